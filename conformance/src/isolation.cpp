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
                   {"capture", r.capture},
                   {"record", r.record_note}};
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
  r.record_note = j.value("record", "");
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

std::string ended_how(int status) {
  if (WIFSIGNALED(status)) return "the case crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "the case's process exited with " + std::to_string(WEXITSTATUS(status));
  return "the case's process ended without a result";
}

}  // namespace

// Forks the child: it runs body and writes the encoded result to the pipe.
isolated_child::isolated_child(const std::function<case_result()>& body, milliseconds hard_limit)
    : until_(clock::now() + hard_limit) {
  int fds[2];
  if (::pipe(fds) != 0) {
    failure_ = std::string("pipe: ") + std::strerror(errno);
    return;
  }
  pid_ = ::fork();
  if (pid_ < 0) {
    failure_ = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid_ == 0) {
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
  fd_ = fds[0];
}

isolated_child::~isolated_child() {
  if (pid_ > 0) (void)finish();
}

bool isolated_child::read_ready() {
  if (fd_ < 0 || eof_) return false;
  char buffer[4096];
  const auto n = ::read(fd_, buffer, sizeof buffer);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) {
    eof_ = true;
    return false;
  }
  text_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

case_result isolated_child::finish() {
  if (!failure_.empty()) {
    case_result r;
    r.outcome = verdict::error(failure_);
    return r;
  }
  const bool finished = eof_;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!finished && pid_ > 0) ::kill(pid_, SIGKILL);
  int status = 0;
  while (pid_ > 0 && ::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (!finished) {
    case_result r;
    r.outcome = verdict::error("hard timeout: the case ran past its limit and was stopped");
    return r;
  }
  if (text_.empty()) return {nullptr, verdict::error(ended_how(status)), 0, {}, {}, {}};
  return decode(text_);
}

case_result run_isolated(const std::function<case_result()>& body, milliseconds hard_limit) {
  isolated_child child(body, hard_limit);
  while (child.fd() >= 0 && clock::now() < child.until()) {
    const auto left = std::chrono::duration_cast<milliseconds>(child.until() - clock::now()).count();
    pollfd p{child.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    if (!child.read_ready()) break;
  }
  auto r = child.finish();
  if (r.outcome.kind == verdict_kind::error && r.outcome.message.rfind("hard timeout", 0) == 0)
    r.outcome = verdict::error("hard timeout: the case ran past " +
                               std::to_string(hard_limit.count() / 1000.0).substr(0, 5) + " s and was stopped");
  return r;
}

}  // namespace touchstone::conformance
