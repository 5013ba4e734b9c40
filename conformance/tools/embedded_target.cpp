// The embedded reference target behind touchstone-conform's default.
#include "embedded_target.hpp"

#include "touchstone/target/embedded_server.hpp"

namespace touchstone::conformance {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

class reference_target final : public embedded_target {
 public:
  explicit reference_target(std::unique_ptr<target::embedded_server> server) : server_(std::move(server)) {
    config_.portal = {server_->host(), server_->port()};
    config_.target_name = server_->iqn();
    config_.lun = 0;
    config_.second_lun = 1;
    config_.writable = true;
  }
  ~reference_target() override { server_->stop(); }

  const target_config& target() const override { return config_; }
  std::string url() const override { return server_->url(0); }

 private:
  std::unique_ptr<target::embedded_server> server_;
  target_config config_;
};

}  // namespace

std::unique_ptr<embedded_target> start_embedded_target(std::string& why) {
  target::embedded_options o;
  o.host = "127.0.0.1";
  o.lun_sizes = {64 * mib, 16 * mib};
  auto started = target::embedded_server::start(o);
  if (!started) {
    why = "cannot start the embedded reference target: " + started.error();
    return nullptr;
  }
  return std::make_unique<reference_target>(std::move(*started));
}

}  // namespace touchstone::conformance
