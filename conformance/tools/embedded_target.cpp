// The embedded reference target behind touchstone-conform's default: a
// forked child serving target::embedded_server until SIGTERM.
#include "embedded_target.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <sstream>
#include <thread>

#include "touchstone/target/embedded_server.hpp"

namespace touchstone::conformance {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

// The CHAP stand-in: a second server whose target and Discovery sessions
// require CHAP, with accounts whose secrets are new on every run.
constexpr std::string_view chap_iqn = "iqn.2026-11.org.touchstone:target-chap";

//= rfc7143#section-9.2.1
//# verify that the CHAP secret is at least 96 bits
// 24 characters from 62 (about 143 bits), all distinct per account: a secret
// used for one direction is never used for the other.
std::string random_secret(std::mt19937_64& bits) {
  static constexpr std::string_view alphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s;
  for (int i = 0; i < 24; ++i) s += alphabet[pick(bits)];
  return s;
}

chap_credentials random_accounts(std::mt19937_64& bits, std::string_view initiator, std::string_view target) {
  return {std::string(initiator), random_secret(bits), std::string(target), random_secret(bits)};
}

target::chap_account initiator_account(const chap_credentials& c) { return {c.user, c.secret}; }
target::chap_account target_account(const chap_credentials& c) { return {c.target_user, c.target_secret}; }

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const auto n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// Reads the child's one-line report until EOF (at most 10 s).
std::string read_report(int fd) {
  std::string text;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char buffer[512];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

// The child: serve until SIGTERM/SIGINT (or the runner's death), report the
// ports (or the failure) on `report` first.
[[noreturn]] void serve(int report, pid_t runner, const chap_stand_in& secured, const target::mutant_set& mutants) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != runner) ::_exit(1);  // the runner died before prctl
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  // Blocked before the server's thread starts, so that only sigwait sees them.
  ::pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  target::embedded_options o;
  o.host = "127.0.0.1";
  o.lun_sizes = {64 * mib, 16 * mib};
  // Two I/O threads: the suite runs against the multi-threaded transport.
  o.io_threads = 2;
  o.mutants = mutants;
  auto started = target::embedded_server::start(o);
  if (!started) {
    write_all(report, "error " + started.error());
    ::_exit(1);
  }
  target::embedded_options c = o;
  c.iqn = std::string(chap_iqn);
  c.lun_sizes = {16 * mib};
  c.chap = initiator_account(secured.chap);
  c.mutual_chap = target_account(secured.chap);
  c.discovery_chap = initiator_account(secured.discovery_chap);
  c.discovery_mutual_chap = target_account(secured.discovery_chap);
  auto chap_started = target::embedded_server::start(c);
  if (!chap_started) {
    write_all(report, "error " + chap_started.error());
    ::_exit(1);
  }
  auto& server = **started;
  auto& chap_server = **chap_started;
  write_all(report, "port " + std::to_string(server.port()) + " " + server.iqn() + " " +
                        std::to_string(chap_server.port()) + " " + chap_server.iqn());
  ::close(report);
  int signal = 0;
  ::sigwait(&stop, &signal);
  chap_server.stop();
  server.stop();
  ::_exit(0);
}

class reference_target final : public embedded_target {
 public:
  reference_target(pid_t pid, std::uint16_t port, std::string iqn, chap_stand_in secured) : pid_(pid) {
    config_.portal = {"127.0.0.1", port};
    config_.target_name = std::move(iqn);
    config_.lun = 0;
    config_.second_lun = 1;
    config_.writable = true;
    config_.chap_target = std::move(secured);
  }
  ~reference_target() override { stop(); }

  const target_config& target() const override { return config_; }
  std::string url() const override {
    return "iscsi://127.0.0.1:" + std::to_string(config_.portal.port) + "/" + config_.target_name + "/0";
  }

 private:
  // SIGTERM, then SIGKILL if the target has not ended within 5 s.
  void stop() {
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  pid_t pid_;
  target_config config_;
};

}  // namespace

std::unique_ptr<embedded_target> start_embedded_target(std::string& why, const target::mutant_set& mutants) {
  int fds[2];
  if (::pipe(fds) != 0) {
    why = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  std::random_device seed;
  std::mt19937_64 bits((static_cast<std::uint64_t>(seed()) << 32) ^ seed());
  chap_stand_in secured;
  secured.chap = random_accounts(bits, "touchstone-conform", "touchstone-target");
  secured.discovery_chap = random_accounts(bits, "touchstone-discovery", "touchstone-discovery-target");
  const pid_t runner = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    why = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    ::close(fds[0]);
    serve(fds[1], runner, secured, mutants);
  }
  ::close(fds[1]);
  const auto report = read_report(fds[0]);
  ::close(fds[0]);
  // "port PORT IQN CHAP-PORT CHAP-IQN"
  std::istringstream words(report);
  std::string word, iqn;
  unsigned port = 0, chap_port = 0;
  if (words >> word >> port >> iqn >> chap_port >> secured.target_name && word == "port" && port > 0 &&
      port <= 65535 && chap_port > 0 && chap_port <= 65535) {
    secured.portal = {"127.0.0.1", static_cast<std::uint16_t>(chap_port)};
    return std::make_unique<reference_target>(pid, static_cast<std::uint16_t>(port), iqn, std::move(secured));
  }
  why = "cannot start the embedded reference target: " +
        (report.rfind("error ", 0) == 0 ? report.substr(6) : std::string("it sent no port"));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return nullptr;
}

}  // namespace touchstone::conformance
