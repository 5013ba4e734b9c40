// Supervised targets (docs/fuzzing.md, "Supervised targets"): the fuzzer
// watches a target process, not only its portal.
//
// --target-cmd 'COMMAND' (target_command): COMMAND runs through /bin/sh -c
// in a process group of its own, stdin /dev/null. The contract: it serves
// one target and prints its URL on stdout, a line holding `iscsi://...`
// (the URL is that word: "url iscsi://..." as touchstone-target prints it
// will do), within the start deadline; or, when the fuzzer was given the
// URL too, it just starts the target and the fuzzer waits until the URL's
// portal accepts connections. Its stderr is kept in a ring of its last 64
// lines. When it exits, the campaign makes a crash finding with its exit
// status and that tail and starts it again. At the end the whole group gets
// SIGTERM, then SIGKILL after 5 s; the shell is reaped.
//
// --target-pid PID (watched_pid): a running process that is not ours: its
// exit is a crash finding and stops the run (nothing can restart it); its
// VmRSS growth past --rss-limit MiB is a leak finding.
//
// Every wait here is bounded; nothing throws.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "touchstone/conformance/connection.hpp"

namespace touchstone::fuzz::tool {

// How a watched target went away.
struct target_exit {
  std::string status;  // "exited with status 3", "killed by signal 11 (Segmentation fault)", "exited"
  std::vector<std::string> stderr_tail;
};

// What the campaign asks of a watched target (campaign_options::supervisor).
class target_supervisor {
 public:
  virtual ~target_supervisor() = default;
  // The target's exit, once, when it has gone since the last call; never blocks long.
  virtual std::optional<target_exit> exited() = 0;
  // Its RSS growth past the limit since the last report (then the baseline moves up).
  virtual std::optional<std::string> leak() = 0;
  // The last lines of its stderr, when kept (for a crash whose process still runs).
  virtual std::vector<std::string> stderr_tail() const = 0;
  // Stops what is left of it and starts it again; false with the reason
  // (always for --target-pid).
  virtual bool restart(std::string& why) = 0;
};

// "exited with status N" / "killed by signal N (name)" from a waitpid status.
std::string describe_wait_status(int status);

// The last `lines` lines written to a stream, each cut to `width` bytes.
class line_ring {
 public:
  explicit line_ring(std::size_t lines = 64, std::size_t width = 512) : max_lines_(lines), width_(width) {}
  void feed(const char* data, std::size_t n);  // whole lines enter; a partial one waits
  void flush();                                // the partial line enters too
  std::vector<std::string> lines() const { return {ring_.begin(), ring_.end()}; }
  void clear() { ring_.clear(); partial_.clear(); }

 private:
  void push(std::string line);
  std::size_t max_lines_, width_;
  std::deque<std::string> ring_;
  std::string partial_;
};

struct command_spec {
  std::string command;
  // Given on the command line: the command just starts it, the fuzzer waits
  // until this portal accepts connections.
  std::optional<conformance::endpoint> portal;
  std::chrono::milliseconds start_timeout{30000};
  std::chrono::milliseconds term_grace{5000};  // SIGTERM to SIGKILL
};

class target_command final : public target_supervisor {
 public:
  explicit target_command(command_spec spec);
  ~target_command() override;  // stop()
  target_command(const target_command&) = delete;
  target_command& operator=(const target_command&) = delete;

  // Starts the command; `url` is the URL it printed (empty when a portal was
  // given). False with the reason (its exit and stderr tail if it died).
  bool start(std::string& url, std::string& why);
  // SIGTERM to the group, SIGKILL after term_grace; the shell is reaped.
  void stop();
  pid_t pid() const { return pid_; }

  std::optional<target_exit> exited() override;
  std::optional<std::string> leak() override { return std::nullopt; }
  std::vector<std::string> stderr_tail() const override;
  bool restart(std::string& why) override;

  // Told the new URL after a restart (the port may change); false: give up.
  std::function<bool(const std::string& url, std::string& why)> on_url;

 private:
  bool spawn(std::string& why);
  void read_loop(int out, int err, int wake);
  bool reaped(bool wait_for_output);  // waitpid WNOHANG; records the status
  bool wait_for_url(std::string& url, std::string& why);
  bool wait_for_portal(std::string& why);
  void join_reader();

  command_spec spec_;
  pid_t pid_ = -1;  // the shell, leader of its process group
  bool reaped_ = false;
  bool exit_told_ = false;
  int status_ = 0;
  int wake_ = -1;       // write end: ends the reader
  int wake_read_ = -1;  // its read end
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  line_ring err_;
  std::string url_;
  bool output_closed_ = false;
};

class watched_pid final : public target_supervisor {
 public:
  // rss_limit_mib 0: no leak judgement. `ok` false when PID is not running.
  watched_pid(pid_t pid, unsigned rss_limit_mib);
  ~watched_pid() override;
  watched_pid(const watched_pid&) = delete;
  watched_pid& operator=(const watched_pid&) = delete;
  bool ok() const { return ok_; }

  std::optional<target_exit> exited() override;
  std::optional<std::string> leak() override;
  std::vector<std::string> stderr_tail() const override { return {}; }
  bool restart(std::string& why) override;

 private:
  bool gone();
  pid_t pid_;
  int pidfd_ = -1;
  unsigned limit_mib_;
  long baseline_kib_ = -1;
  bool ok_ = false;
  bool told_ = false;
};

// VmRSS of /proc/PID/status in KiB; -1 when it cannot be read.
long rss_kib(pid_t pid);

// Set by SIGINT/SIGTERM: a start that is still waiting gives up.
void request_supervisor_stop();

}  // namespace touchstone::fuzz::tool
