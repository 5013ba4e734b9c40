// --target-cmd: the target command in its own process group, its stdout read
// for the URL and its stderr kept in a ring by one reader thread (so a
// chatty target never blocks on a full pipe), its exit reaped, the group
// stopped with SIGTERM then SIGKILL. Every wait bounded.
#include "supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

extern char** environ;

namespace touchstone::fuzz::tool {
namespace {

using steady = std::chrono::steady_clock;
std::atomic<bool> stop_requested{false};
constexpr auto output_grace = std::chrono::milliseconds{300};  // the last stderr lines after an exit
constexpr std::size_t max_stdout_line = 4096;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// The word starting at "iscsi://" in a line, or "".
std::string url_in(const std::string& line) {
  const auto at = line.find("iscsi://");
  if (at == std::string::npos) return {};
  const auto end = line.find_first_of(" \t\r", at);
  return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string seconds(std::chrono::milliseconds t) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", static_cast<double>(t.count()) / 1000.0);
  return text;
}

}  // namespace

void request_supervisor_stop() { stop_requested = true; }

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* what = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + " (" + (what ? what : "?") + ")" +
           (WCOREDUMP(status) ? ", core dumped" : "");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : status;
  auto text = "exited with status " + std::to_string(code);
  // A shell reports a child killed by signal N as 128 + N.
  if (code > 128 && code < 128 + 65) {
    const char* what = ::strsignal(code - 128);
    text += " (a shell's way to say: killed by signal " + std::to_string(code - 128) + ", " + (what ? what : "?") + ")";
  }
  return text;
}

void line_ring::push(std::string line) {
  if (line.size() > width_) line.resize(width_);
  ring_.push_back(std::move(line));
  while (ring_.size() > max_lines_) ring_.pop_front();
}

void line_ring::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == '\n') {
      push(std::move(partial_));
      partial_.clear();
    } else if (partial_.size() < width_) {
      partial_ += data[i];
    }
  }
}

void line_ring::flush() {
  if (!partial_.empty()) push(std::move(partial_));
  partial_.clear();
}

target_command::target_command(command_spec spec) : spec_(std::move(spec)) {}

target_command::~target_command() { stop(); }

bool target_command::spawn(std::string& why) {
  int out[2] = {-1, -1}, err[2] = {-1, -1}, wake[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(wake, O_CLOEXEC) != 0) {
    why = std::string("pipe: ") + std::strerror(errno);
    for (int* fd : {&out[0], &out[1], &err[0], &err[1], &wake[0], &wake[1]}) close_fd(*fd);
    return false;
  }
  // Orphans of the command (its children once the shell is gone) become
  // ours, so they are reaped here, not left as zombies.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files, out[1], 1);
  posix_spawn_file_actions_adddup2(&files, err[1], 2);
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::string sh = "sh", dash_c = "-c", command = spec_.command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
  const int spawned = posix_spawn(&pid_, "/bin/sh", &files, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  close_fd(out[1]);
  close_fd(err[1]);
  if (spawned != 0) {
    pid_ = -1;
    why = std::string("cannot run /bin/sh: ") + std::strerror(spawned);
    for (int* fd : {&out[0], &err[0], &wake[0], &wake[1]}) close_fd(*fd);
    return false;
  }
  reaped_ = exit_told_ = output_closed_ = false;
  {
    std::lock_guard lock(mutex_);
    err_.clear();
    url_.clear();
  }
  wake_ = wake[1];
  wake_read_ = wake[0];
  try {
    reader_ = std::thread(&target_command::read_loop, this, out[0], err[0], wake[0]);
  } catch (const std::system_error& e) {
    why = std::string("cannot start the reader thread: ") + e.what();
    close_fd(out[0]);
    close_fd(err[0]);
    stop();
    return false;
  }
  return true;
}

// Until both outputs close or stop() wakes it. Owns the two outputs; the
// wake pipe is stop()'s (written while the loop may be gone: no SIGPIPE).
void target_command::read_loop(int out, int err, int wake) {
  std::string line;  // stdout, until the URL is found
  char buffer[4096];
  while (out >= 0 || err >= 0) {
    pollfd fds[3] = {{out, POLLIN, 0}, {err, POLLIN, 0}, {wake, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents) break;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex_);
      if (n <= 0) {
        close_fd(i == 0 ? out : err);
      } else if (i == 1) {
        err_.feed(buffer, static_cast<std::size_t>(n));
      } else if (url_.empty()) {
        for (ssize_t k = 0; k < n && url_.empty(); ++k) {
          if (buffer[k] != '\n') {
            if (line.size() < max_stdout_line) line += buffer[k];
            continue;
          }
          url_ = url_in(line);
          line.clear();
        }
        if (!url_.empty()) changed_.notify_all();
      }
    }
  }
  close_fd(out);
  close_fd(err);
  std::lock_guard lock(mutex_);
  err_.flush();
  output_closed_ = true;
  changed_.notify_all();
}

bool target_command::reaped(bool wait_for_output) {
  if (pid_ < 0 || reaped_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) return false;
  reaped_ = true;
  status_ = r == pid_ ? status : 0;
  while (::waitpid(-pid_, &status, WNOHANG) > 0) {
  }
  if (wait_for_output) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, output_grace, [&] { return output_closed_; });
  }
  return true;
}

std::vector<std::string> target_command::stderr_tail() const {
  std::lock_guard lock(mutex_);
  auto tail = err_.lines();
  return tail;
}

std::optional<target_exit> target_command::exited() {
  if (pid_ < 0 || exit_told_ || !reaped(true)) return std::nullopt;
  exit_told_ = true;
  return target_exit{describe_wait_status(status_), stderr_tail()};
}

void target_command::join_reader() {
  if (wake_ >= 0 && ::write(wake_, "x", 1) < 0) {
  }
  if (reader_.joinable()) reader_.join();
  close_fd(wake_);
  close_fd(wake_read_);
}

void target_command::stop() {
  if (pid_ < 0) return;
  ::kill(-pid_, SIGTERM);
  const auto term_until = steady::now() + spec_.term_grace;
  const auto kill_until = term_until + std::chrono::seconds{2};
  bool killed = false;
  int status = 0;
  for (;;) {
    reaped(false);
    while (::waitpid(-pid_, &status, WNOHANG) > 0) {
    }
    if (reaped_ && ::kill(-pid_, 0) != 0) break;  // the group is empty
    const auto now = steady::now();
    if (!killed && now >= term_until) {
      ::kill(-pid_, SIGKILL);
      killed = true;
    }
    if (now >= kill_until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  join_reader();
  pid_ = -1;
}

bool target_command::wait_for_url(std::string& url, std::string& why) {
  const auto until = steady::now() + spec_.start_timeout;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, std::chrono::milliseconds{50}, [&] { return !url_.empty(); });
      if (!url_.empty()) {
        url = url_;
        return true;
      }
    }
    if (reaped(true)) {
      why = "the target command " + describe_wait_status(status_) + " before it printed a URL";
      return false;
    }
    if (stop_requested) {
      why = "interrupted";
      return false;
    }
    if (steady::now() >= until) {
      why = "the target command printed no iscsi:// URL within " + seconds(spec_.start_timeout) + " s";
      return false;
    }
  }
}

bool target_command::wait_for_portal(std::string& why) {
  const auto until = steady::now() + spec_.start_timeout;
  const auto& at = *spec_.portal;
  for (;;) {
    conformance::connection probe;
    if (!probe.connect(at, conformance::clock::now() + std::chrono::milliseconds{200})) return true;
    if (reaped(true)) {
      why = "the target command " + describe_wait_status(status_) + " before " + at.host + ":" +
            std::to_string(at.port) + " accepted a connection";
      return false;
    }
    if (stop_requested) {
      why = "interrupted";
      return false;
    }
    if (steady::now() >= until) {
      why = at.host + ":" + std::to_string(at.port) + " accepted no connection within " +
            seconds(spec_.start_timeout) + " s of the target command's start";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

bool target_command::start(std::string& url, std::string& why) {
  url.clear();
  if (!spawn(why)) return false;
  const bool up = spec_.portal ? wait_for_portal(why) : wait_for_url(url, why);
  if (up) return true;
  stop();
  const auto tail = stderr_tail();
  if (!tail.empty()) why += "; its stderr ended with:";
  for (const auto& line : tail) why += "\n    " + line;
  return false;
}

bool target_command::restart(std::string& why) {
  stop();
  std::string url;
  if (!start(url, why)) return false;
  return !on_url || url.empty() || on_url(url, why);
}

}  // namespace touchstone::fuzz::tool
