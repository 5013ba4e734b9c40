// --target-pid: a running target the fuzzer did not start. Its exit is seen
// through a pidfd (pidfd_open, Linux 5.3; kill(pid, 0) where there is none):
// not our child, so there is no status to reap, only "exited". Its VmRSS is
// read from /proc/PID/status at each liveness judgement.
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "supervisor.hpp"

namespace touchstone::fuzz::tool {

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  for (int n = 0; n < 200 && std::getline(status, line); ++n) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    try {
      return std::stol(line.substr(6));  // "VmRSS:   1234 kB"
    } catch (const std::exception&) {
      return -1;
    }
  }
  return -1;
}

watched_pid::watched_pid(pid_t pid, unsigned rss_limit_mib) : pid_(pid), limit_mib_(rss_limit_mib) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return;
#ifdef SYS_pidfd_open
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#endif
  baseline_kib_ = rss_kib(pid);
  ok_ = true;
}

watched_pid::~watched_pid() {
  if (pidfd_ >= 0) ::close(pidfd_);
}

bool watched_pid::gone() {
  if (pidfd_ >= 0) {
    pollfd fd{pidfd_, POLLIN, 0};
    return ::poll(&fd, 1, 0) > 0;  // readable: the process has exited
  }
  return ::kill(pid_, 0) != 0 && errno == ESRCH;
}

std::optional<target_exit> watched_pid::exited() {
  if (!ok_ || told_ || !gone()) return std::nullopt;
  told_ = true;
  return target_exit{"exited (process " + std::to_string(pid_) + ", not started by the fuzzer: no status)", {}};
}

std::optional<std::string> watched_pid::leak() {
  if (!ok_ || limit_mib_ == 0 || told_) return std::nullopt;
  const long now = rss_kib(pid_);
  if (now < 0) return std::nullopt;
  if (baseline_kib_ < 0) baseline_kib_ = now;
  const long grown = now - baseline_kib_;
  if (grown <= static_cast<long>(limit_mib_) * 1024) return std::nullopt;
  auto text = "leak: VmRSS of process " + std::to_string(pid_) + " grew by " + std::to_string(grown / 1024) +
              " MiB (from " + std::to_string(baseline_kib_ / 1024) + " to " + std::to_string(now / 1024) +
              " MiB), more than --rss-limit " + std::to_string(limit_mib_) + " MiB";
  baseline_kib_ = now;  // the next finding needs another limit's growth
  return text;
}

bool watched_pid::restart(std::string& why) {
  why = "--target-pid " + std::to_string(pid_) + " cannot be restarted by the fuzzer";
  return false;
}

}  // namespace touchstone::fuzz::tool
