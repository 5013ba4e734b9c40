// fork, pipe, poll, kill: one case per child process.
#include "isolation.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace touchstone::conformance {

namespace {

std::string encode(const case_result& r) {
  nlohmann::json j{{"kind", name(r.outcome.kind)},
                   {"message", r.outcome.message},
                   {"violations", r.target_violations},
                   {"capture", r.capture}};
  return j.dump();
}

case_result decode(const std::string& text) {
  case_result r;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    r.outcome = verdict::error("the case's child process sent an unreadable result");
    return r;
  }
  verdict_kind kind = verdict_kind::error;
  (void)parse_verdict_kind(j.value("kind", "error"), kind);
  r.outcome = {kind, j.value("message", "")};
  r.target_violations = j.value("violations", std::vector<std::string>{});
  r.capture = j.value("capture", "");
  return r;
}

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const auto n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// Reads until EOF or the deadline; false on deadline.
bool read_until(int fd, std::string& out, deadline until) {
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string ended_how(int status) {
  if (WIFSIGNALED(status)) return "the case crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "the case's process exited with " + std::to_string(WEXITSTATUS(status));
  return "the case's process ended without a result";
}

}  // namespace

case_result run_isolated(const std::function<case_result()>& body, milliseconds hard_limit) {
  int fds[2];
  if (::pipe(fds) != 0) return {nullptr, verdict::error(std::string("pipe: ") + std::strerror(errno)), 0, {}, {}};
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {nullptr, verdict::error(std::string("fork: ") + std::strerror(errno)), 0, {}, {}};
  }
  if (child == 0) {
    ::close(fds[0]);
    // The parent's handlers (a test framework's, say) must not catch the
    // child's crash: it dies by the signal and the parent reports it.
    for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM}) ::signal(sig, SIG_DFL);
    ::signal(SIGPIPE, SIG_IGN);
    write_all(fds[1], encode(body()));
    ::close(fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  const bool finished = read_until(fds[0], text, clock::now() + hard_limit);
  ::close(fds[0]);
  if (!finished) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    case_result r;
    r.outcome = verdict::error("hard timeout: the case ran past " +
                               std::to_string(hard_limit.count() / 1000.0).substr(0, 5) +
                               " s and was stopped");
    return r;
  }
  if (text.empty()) return {nullptr, verdict::error(ended_how(status)), 0, {}, {}};
  return decode(text);
}

}  // namespace touchstone::conformance
