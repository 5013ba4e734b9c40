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
#include <thread>

#include "touchstone/target/embedded_server.hpp"

namespace touchstone::conformance {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

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
// port (or the failure) on `report` first.
[[noreturn]] void serve(int report, pid_t runner) {
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
  auto started = target::embedded_server::start(o);
  if (!started) {
    write_all(report, "error " + started.error());
    ::_exit(1);
  }
  auto& server = **started;
  write_all(report, "port " + std::to_string(server.port()) + " " + server.iqn());
  ::close(report);
  int signal = 0;
  ::sigwait(&stop, &signal);
  server.stop();
  ::_exit(0);
}

class reference_target final : public embedded_target {
 public:
  reference_target(pid_t pid, std::uint16_t port, std::string iqn) : pid_(pid) {
    config_.portal = {"127.0.0.1", port};
    config_.target_name = std::move(iqn);
    config_.lun = 0;
    config_.second_lun = 1;
    config_.writable = true;
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

std::unique_ptr<embedded_target> start_embedded_target(std::string& why) {
  int fds[2];
  if (::pipe(fds) != 0) {
    why = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
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
    serve(fds[1], runner);
  }
  ::close(fds[1]);
  const auto report = read_report(fds[0]);
  ::close(fds[0]);
  const auto space = report.find(' ', 5);
  if (report.rfind("port ", 0) == 0 && space != std::string::npos) {
    const auto port = static_cast<std::uint16_t>(std::stoul(report.substr(5, space - 5)));
    return std::make_unique<reference_target>(pid, port, report.substr(space + 1));
  }
  why = "cannot start the embedded reference target: " +
        (report.rfind("error ", 0) == 0 ? report.substr(6) : std::string("it sent no port"));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return nullptr;
}

}  // namespace touchstone::conformance
