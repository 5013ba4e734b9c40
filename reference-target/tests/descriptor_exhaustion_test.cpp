// Out of descriptors: a child process serves the target under RLIMIT_NOFILE
// 64 while this process opens more connections than that and stalls them.
// Accept then fails with EMFILE at every attempt; the target must pause
// accepting (not spin: its CPU time over the stall stays low), log the
// failures a few times (not once per attempt), and serve a fresh session
// once the stalled connections go.
//
// The child is forked before it starts any thread (one test case per
// process under ctest) and reports over pipes: its port, and its own CPU
// time (getrusage) over the stall window this process marks.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "tcp_peer.hpp"
#include "touchstone/target/embedded_server.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

constexpr rlim_t child_descriptors = 64;
constexpr int stalled_connections = 150;
constexpr auto stall_window = std::chrono::seconds(3);

std::int64_t cpu_microseconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

// The child: the target under a low descriptor limit, its log in `log_fd`.
// Commands on `commands`: 's' starts the CPU window, 'e' ends it (the CPU
// microseconds used are written to `reports`); end of file stops it.
[[noreturn]] void serve_with_few_descriptors(int log_fd, int commands, int reports) {
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  ::close(log_fd);
  const rlimit few{child_descriptors, child_descriptors};
  if (::setrlimit(RLIMIT_NOFILE, &few) != 0) ::_exit(10);
  embedded_options o;
  o.lun_sizes = {1u << 20};
  o.log_level = "info";
  auto started = embedded_server::start(o);
  if (!started) ::_exit(11);
  const std::uint16_t port = (*started)->port();
  if (::write(reports, &port, sizeof port) != sizeof port) ::_exit(12);
  std::int64_t window_start = 0;
  char c = 0;
  while (::read(commands, &c, 1) == 1) {
    if (c == 's') window_start = cpu_microseconds();
    if (c != 'e') continue;
    const std::int64_t used = cpu_microseconds() - window_start;
    if (::write(reports, &used, sizeof used) != sizeof used) ::_exit(13);
  }
  (*started)->stop();
  spdlog::default_logger()->flush();
  std::fflush(stdout);
  ::_exit(0);
}

// Reads one report of the child (bounded: 20 s).
template <class T>
T report(int fd) {
  pollfd p{fd, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 20000) == 1);
  T value{};
  REQUIRE(::read(fd, &value, sizeof value) == sizeof value);
  return value;
}

// One login on a new connection; false when the target closed it unanswered.
bool logs_in(tcp_peer& p) {
  const pdu::text_pairs keys{{"InitiatorName", "iqn.2026-11.org.touchstone:fresh"},
                             {"TargetName", std::string(default_iqn)},
                             {"SessionType", "Normal"}};
  pdu::login_request_builder b;
  b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase)
      .isid(0x80000000777ULL).initiator_task_tag(0).cmd_sn(1).cid(1).data(pdu::encode_text(keys));
  p.send(b.build());
  const auto answer = p.receive();
  if (!answer) return false;
  REQUIRE(answer->op() == pdu::opcode::login_response);
  REQUIRE(pdu::login_response_view(*answer).status() == pdu::login_status::success);
  return true;
}

std::size_t lines_with(const std::string& path, std::string_view what) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);)
    if (line.find(what) != std::string::npos) ++n;
  return n;
}

// Waits for the child to exit (bounded: 20 s, then SIGKILL); its exit status.
int reap(pid_t child) {
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  return -2;
}

}  // namespace

TEST_CASE("tcp: out of descriptors the target pauses accepting instead of spinning, and recovers",
          "[target][limits][tcp][descriptors]") {
  char log_path[] = "/tmp/touchstone-descriptors-XXXXXX";
  const int log_fd = ::mkstemp(log_path);
  REQUIRE(log_fd >= 0);
  int commands[2], reports[2];
  REQUIRE(::pipe(commands) == 0);
  REQUIRE(::pipe(reports) == 0);
  std::fflush(stdout);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(commands[1]);
    ::close(reports[0]);
    serve_with_few_descriptors(log_fd, commands[0], reports[1]);
  }
  ::close(log_fd);
  ::close(commands[0]);
  ::close(reports[1]);
  const auto port = report<std::uint16_t>(reports[0]);

  // More connections than the child has descriptors, none sending a byte:
  // the rest wait in the listen queue, and every accept fails with EMFILE.
  asio::io_context io;
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> stalled;
  for (int i = 0; i < stalled_connections; ++i) {
    auto s = std::make_unique<asio::ip::tcp::socket>(io);
    s->connect({asio::ip::make_address("127.0.0.1"), port});
    stalled.push_back(std::move(s));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the child reaches its limit
  REQUIRE(::write(commands[1], "s", 1) == 1);
  std::this_thread::sleep_for(stall_window);
  REQUIRE(::write(commands[1], "e", 1) == 1);
  const auto cpu = report<std::int64_t>(reports[0]);
  const auto failures = lines_with(log_path, "accept failed");
  const auto reserve_closes = lines_with(log_path, "on the reserve descriptor");
  INFO("child CPU over the " << stall_window.count() << " s stall: " << cpu << " us; accept failure lines: "
                             << failures << "; reserve lines: " << reserve_closes << "; log " << log_path);
  CHECK(failures >= 1);    // the stall did exhaust the child's descriptors
  CHECK(failures <= 20);   // a line per interval, not one per failed accept
  CHECK(cpu < 1000000);    // < 1 s of CPU over the 3 s: no spin
  // Waiting connections are taken off the queue and closed with the reserve
  // descriptor (a line per interval too), not left hanging.
  CHECK(reserve_closes >= 1);
  CHECK(reserve_closes <= 20);

  // The stalled connections go: a fresh session logs in and runs TEST UNIT
  // READY. A few tries: while the child is still out of descriptors, the
  // reserve descriptor closes a new connection at once rather than leave it
  // waiting (tcp_peer's receive guard bounds each try).
  stalled.clear();
  bool served = false;
  for (int attempt = 0; attempt < 10 && !served; ++attempt) {
    tcp_peer fresh("127.0.0.1", port);
    if (logs_in(fresh)) {
      clear_unit_attentions(fresh);
      served = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  CHECK(served);

  ::close(commands[1]);  // the child stops its server and exits
  CHECK(reap(child) == 0);
  ::close(reports[0]);
  INFO("accept failure lines in the end: " << lines_with(log_path, "accept failed"));
  CHECK(lines_with(log_path, "accept failed") <= 20);
  ::unlink(log_path);
}
