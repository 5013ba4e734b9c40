// The reference target on a background thread: server + instance + one
// target node with in-memory LUNs, for programs that embed it.
#include "touchstone/target/embedded_server.hpp"

#include <signal.h>

#include <array>
#include <spdlog/spdlog.h>
#include <thread>

#include "touchstone/target/config_file.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/server.hpp"

namespace touchstone::target {

namespace {

constexpr std::array<int, 3> server_signals{SIGINT, SIGTERM, SIGHUP};

// The server installs handlers for its signals when it is constructed; the
// embedding program's dispositions are put back afterwards.
class saved_signals {
 public:
  saved_signals() {
    for (std::size_t i = 0; i < server_signals.size(); ++i) ::sigaction(server_signals[i], nullptr, &saved_[i]);
  }
  void restore() const {
    for (std::size_t i = 0; i < server_signals.size(); ++i) ::sigaction(server_signals[i], &saved_[i], nullptr);
  }

 private:
  std::array<struct sigaction, server_signals.size()> saved_{};
};

target_definition definition_of(const embedded_options& o) {
  target_definition t;
  t.settings.iqn = o.iqn;
  t.settings.chap = o.chap;
  t.settings.mutual_chap = o.mutual_chap;
  t.settings.limits = o.limits;
  t.settings.allowed_initiators = o.allowed_initiators;
  t.settings.mutants = o.mutants;
  for (std::size_t i = 0; i < o.lun_sizes.size(); ++i) {
    lun_definition l;
    l.lun = i;
    l.store = store_kind::memory;
    l.size = o.lun_sizes[i];
    t.luns.push_back(l);
  }
  return t;
}

}  // namespace

struct embedded_server::impl {
  std::unique_ptr<server> srv;
  std::unique_ptr<instance> targets;
  std::thread io_thread;
  std::string host;
  std::uint16_t port = 0;
  std::string iqn;
};

embedded_server::embedded_server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

embedded_server::~embedded_server() { stop(); }

result<std::unique_ptr<embedded_server>, std::string> embedded_server::start(const embedded_options& o) {
  const auto level = spdlog::level::from_str(o.log_level);
  if (level == spdlog::level::off && o.log_level != "off") return fail("unknown log level " + o.log_level);
  spdlog::set_level(level);

  auto p = std::make_unique<impl>();
  const saved_signals signals;
  p->srv = std::make_unique<server>();
  signals.restore();
  auto bound = p->srv->listen({endpoint_text{o.host, o.port}});
  if (!bound) return fail(bound.error());
  p->host = bound->front().host;
  p->port = bound->front().port;
  p->iqn = o.iqn;
  // One target: its discovery sessions negotiate with the same limits.
  p->targets = std::make_unique<instance>(std::vector<std::string>{bound->front().portal()},
                                          discovery_settings{o.discovery_chap, o.discovery_mutual_chap, o.limits});
  auto definition = definition_of(o);
  if (auto bad = check_target(definition, "embedded target")) return fail(bad->text());
  if (auto created = p->targets->create_target(std::move(definition)); !created)
    return fail(created.error().message);
  auto* srv = p->srv.get();
  auto* targets = p->targets.get();
  const auto threads = o.io_threads;
  p->io_thread = std::thread([srv, targets, threads] { srv->run(*targets, threads); });
  return std::unique_ptr<embedded_server>(new embedded_server(std::move(p)));
}

const std::string& embedded_server::host() const { return impl_->host; }
std::uint16_t embedded_server::port() const { return impl_->port; }
const std::string& embedded_server::iqn() const { return impl_->iqn; }

std::string embedded_server::url(std::uint64_t lun) const {
  const auto portal = endpoint_text{impl_->host, impl_->port}.portal();
  return "iscsi://" + portal + "/" + impl_->iqn + "/" + std::to_string(lun);
}

void embedded_server::stop() {
  if (!impl_ || !impl_->io_thread.joinable()) return;
  impl_->srv->stop();
  impl_->io_thread.join();
}

}  // namespace touchstone::target
