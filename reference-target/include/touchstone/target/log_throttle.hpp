// Bounds on what initiators can make the target log (issue 10, log floods).
//
// log_throttle: one connection's lines, by kind (a requirement id): the
// first line of a kind in an interval is logged in full, the repeats are
// counted, and when the interval ends (or the connection closes) one summary
// says how many were left out.
//
// log_budget: the instance's token bucket over every peer-triggered line of
// every connection (a flood from many connections, each logging its first
// lines): `burst` lines at once, `lines_per_second` after that; what it
// drops is reported once per interval.
//
// Sans-I/O: both take the time as an argument, tests drive them without
// sleeping. (spdlog's dup_filter_sink is not a fit: it only drops identical
// consecutive messages, by its own clock.)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace touchstone::target {

using log_clock = std::chrono::steady_clock;

// The config file's "logging" object and --log-interval, --log-rate,
// --log-burst (docs/target.md).
struct log_limits {
  std::chrono::seconds interval{10};  // 0: every line in full
  std::uint32_t lines_per_second = 20;  // instance-wide; 0: no bound
  std::uint32_t burst = 200;
  friend bool operator==(const log_limits&, const log_limits&) = default;
};

class log_throttle {
 public:
  // A kind whose repeats were left out: `suppressed` of them in `span`.
  struct summary {
    std::string kind;
    std::uint64_t suppressed = 0;
    log_clock::duration span{};
  };
  // Kinds beyond max_kinds at once share one entry under this name.
  static constexpr std::string_view other_kinds = "(other kinds)";

  explicit log_throttle(log_clock::duration interval, std::size_t max_kinds = 32);

  // True: log this line of `kind` in full; false: it is counted.
  bool admit(std::string_view kind, log_clock::time_point now);
  // The kinds whose interval ended by `now` with lines left out; those
  // intervals are over (the next line of the kind is logged in full).
  std::vector<summary> expire(log_clock::time_point now);
  // Every kind with lines left out (the connection closes); the table empties.
  std::vector<summary> drain(log_clock::time_point now);
  std::size_t kinds() const { return windows_.size(); }

 private:
  struct window {
    log_clock::time_point start;
    std::uint64_t suppressed = 0;
  };
  log_clock::duration interval_;
  std::size_t max_kinds_;
  std::map<std::string, window, std::less<>> windows_;
  std::optional<log_clock::time_point> next_end_;  // the earliest window end
};

// Thread-safe: the connections of every I/O thread share it.
class log_budget {
 public:
  explicit log_budget(log_limits limits = {});
  void configure(const log_limits& limits);
  log_limits limits() const;

  // True: the line may be logged. Reports the lines dropped since the last
  // report (one warning line) once an interval has passed.
  bool take(log_clock::time_point now);
  // The report alone, for a clock tick.
  void tick(log_clock::time_point now);
  std::uint64_t dropped_total() const;

 private:
  void refill(log_clock::time_point now);
  void report_due(log_clock::time_point now);

  mutable std::mutex mutex_;
  log_limits limits_;
  double tokens_;
  std::optional<log_clock::time_point> last_refill_;
  std::optional<log_clock::time_point> first_drop_;  // since the last report
  std::uint64_t dropped_ = 0;        // since the last report
  std::uint64_t dropped_total_ = 0;  // since the start
};

}  // namespace touchstone::target
