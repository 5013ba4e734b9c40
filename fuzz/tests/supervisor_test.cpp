// The supervisor (fuzz/tools/supervisor.hpp) with real child processes (sh
// one-liners, python3): the URL line, the stderr ring, exit statuses and
// signals, restarts, the start deadline, a group that ignores SIGTERM, the
// portal wait, --target-pid's exit and RSS growth. Every wait bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "supervisor.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::tool;
using namespace std::chrono_literals;

namespace {

command_spec spec_of(std::string command, std::chrono::milliseconds start = 5000ms) {
  command_spec s;
  s.command = std::move(command);
  s.start_timeout = start;
  s.term_grace = 500ms;
  return s;
}

bool group_gone(pid_t group) { return ::kill(-group, 0) != 0; }

// Polls exited() for at most 5 s.
std::optional<target_exit> wait_exit(target_supervisor& s) {
  for (int i = 0; i < 100; ++i) {
    if (auto e = s.exited()) return e;
    std::this_thread::sleep_for(50ms);
  }
  return std::nullopt;
}

// A process that is not the test's child's child: fork, exec.
pid_t run(const char* shell_command) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", shell_command, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// A loopback listener on a free port, closed at the end.
struct listener {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  std::uint16_t port = 0;
  listener() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 8) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0);
    port = ntohs(a.sin_port);
  }
  ~listener() { ::close(fd); }
};

}  // namespace

TEST_CASE("supervisor: the stderr ring keeps the last lines, each cut", "[fuzz][supervisor]") {
  line_ring ring(3, 5);
  const std::string text = "one\ntwo\nthree\nfour-is-long\nfi";
  ring.feed(text.data(), text.size());
  CHECK(ring.lines() == std::vector<std::string>{"two", "three", "four-"});
  ring.flush();
  CHECK(ring.lines() == std::vector<std::string>{"three", "four-", "fi"});
}

TEST_CASE("supervisor: wait statuses are named", "[fuzz][supervisor]") {
  CHECK(describe_wait_status(3 << 8) == "exited with status 3");
  CHECK(describe_wait_status(SIGSEGV).rfind("killed by signal 11 (", 0) == 0);
  CHECK(describe_wait_status(139 << 8).find("killed by signal 11") != std::string::npos);
}

TEST_CASE("supervisor: a command that prints its URL and serves", "[fuzz][supervisor]") {
  target_command c(spec_of("echo starting; echo 'url iscsi://127.0.0.1:3261/iqn.2026-12.org.example:t/0'; "
                           "echo 'serving' >&2; exec sleep 30"));
  std::string url, why;
  REQUIRE(c.start(url, why));
  CHECK(url == "iscsi://127.0.0.1:3261/iqn.2026-12.org.example:t/0");
  const pid_t group = c.pid();
  CHECK_FALSE(c.exited());
  c.stop();
  CHECK(group_gone(group));
}

TEST_CASE("supervisor: a command that dies is a crash with its status and stderr tail, and restarts",
          "[fuzz][supervisor]") {
  target_command c(spec_of("echo iscsi://127.0.0.1:3261/iqn.x:y/0; echo 'about to fail' >&2; sleep 0.2; exit 3"));
  int urls = 0;
  c.on_url = [&](const std::string& url, std::string&) {
    ++urls;
    return url == "iscsi://127.0.0.1:3261/iqn.x:y/0";
  };
  std::string url, why;
  REQUIRE(c.start(url, why));
  auto gone = wait_exit(c);
  REQUIRE(gone);
  CHECK(gone->status == "exited with status 3");
  CHECK(gone->stderr_tail == std::vector<std::string>{"about to fail"});
  CHECK_FALSE(c.exited());  // told once
  REQUIRE(c.restart(why));
  CHECK(urls == 1);
  CHECK(wait_exit(c).has_value());
}

TEST_CASE("supervisor: a command killed by a signal says which", "[fuzz][supervisor]") {
  target_command c(spec_of("echo iscsi://127.0.0.1:3261/iqn.x:y/0; sleep 0.1; kill -SEGV $$"));
  std::string url, why;
  REQUIRE(c.start(url, why));
  const auto gone = wait_exit(c);
  REQUIRE(gone);
  CHECK(gone->status.rfind("killed by signal 11", 0) == 0);
}

TEST_CASE("supervisor: a command that never prints a URL fails its start, and is stopped",
          "[fuzz][supervisor]") {
  target_command c(spec_of("echo 'no url here'; echo 'still thinking' >&2; exec sleep 30", 300ms));
  std::string url, why;
  CHECK_FALSE(c.start(url, why));
  CHECK(why.find("printed no iscsi:// URL within 0.3 s") != std::string::npos);
  CHECK(why.find("still thinking") != std::string::npos);
  CHECK(c.pid() < 0);
}

TEST_CASE("supervisor: a command that exits before its URL fails its start with the status",
          "[fuzz][supervisor]") {
  target_command c(spec_of("echo 'bad option' >&2; exit 2"));
  std::string url, why;
  CHECK_FALSE(c.start(url, why));
  CHECK(why.find("exited with status 2 before it printed a URL") != std::string::npos);
  CHECK(why.find("bad option") != std::string::npos);
}

TEST_CASE("supervisor: a group that ignores SIGTERM is killed, nothing is left", "[fuzz][supervisor]") {
  target_command c(spec_of("trap '' TERM; echo iscsi://127.0.0.1:3261/iqn.x:y/0; sleep 30 & sleep 30; wait"));
  std::string url, why;
  REQUIRE(c.start(url, why));
  const pid_t group = c.pid();
  c.stop();
  CHECK(group_gone(group));
}

TEST_CASE("supervisor: with a URL given, the start waits for its portal", "[fuzz][supervisor]") {
  listener open;
  auto spec = spec_of("exec sleep 30");
  spec.portal = conformance::endpoint{"127.0.0.1", open.port};
  target_command c(spec);
  std::string url, why;
  CHECK(c.start(url, why));
  CHECK(url.empty());

  std::uint16_t closed_port = 0;
  {
    listener gone;
    closed_port = gone.port;
  }
  auto never = spec_of("exec sleep 30", 400ms);
  never.portal = conformance::endpoint{"127.0.0.1", closed_port};
  target_command d(never);
  CHECK_FALSE(d.start(url, why));
  CHECK(why.find("accepted no connection within 0.4 s") != std::string::npos);
}

TEST_CASE("supervisor: --target-pid: a process that exits, one that does not exist", "[fuzz][supervisor]") {
  const pid_t pid = run("sleep 0.3");
  watched_pid w(pid, 0);
  REQUIRE(w.ok());
  CHECK_FALSE(w.exited());
  std::string why;
  CHECK_FALSE(w.restart(why));
  const auto gone = wait_exit(w);
  REQUIRE(gone);
  CHECK(gone->status.rfind("exited", 0) == 0);
  ::waitpid(pid, nullptr, 0);
  CHECK_FALSE(watched_pid(pid, 0).ok());
}

TEST_CASE("supervisor: --target-pid: VmRSS growth past the limit is a leak, reported once per growth",
          "[fuzz][supervisor]") {
  const pid_t pid = run("exec python3 -c 'import time; time.sleep(0.3); b = b\"a\" * (48 << 20); time.sleep(10)'");
  watched_pid w(pid, 16);
  REQUIRE(w.ok());
  std::optional<std::string> leak;
  for (int i = 0; i < 100 && !leak; ++i) {
    std::this_thread::sleep_for(50ms);
    leak = w.leak();
  }
  const auto again = w.leak();  // the baseline moved up
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  REQUIRE(leak);
  CHECK(leak->find("more than --rss-limit 16 MiB") != std::string::npos);
  CHECK_FALSE(again);
}
