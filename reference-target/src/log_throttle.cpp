// One connection's log lines by kind, and the instance's budget of lines.
#include "touchstone/target/log_throttle.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace touchstone::target {

log_throttle::log_throttle(log_clock::duration interval, std::size_t max_kinds)
    : interval_(interval), max_kinds_(std::max<std::size_t>(max_kinds, 1)) {}

bool log_throttle::admit(std::string_view kind, log_clock::time_point now) {
  if (interval_ <= log_clock::duration::zero()) return true;
  auto it = windows_.find(kind);
  // A full table: kinds not in it share one entry (it may exceed the bound by one).
  if (it == windows_.end() && windows_.size() >= max_kinds_) {
    kind = other_kinds;
    it = windows_.find(kind);
  }
  if (it != windows_.end()) {
    // Counted even past the interval's end until expire() has reported it:
    // no repeat goes uncounted.
    ++it->second.suppressed;
    return false;
  }
  windows_.emplace(std::string(kind), window{now, 0});
  if (!next_end_ || now + interval_ < *next_end_) next_end_ = now + interval_;
  return true;
}

std::vector<log_throttle::summary> log_throttle::expire(log_clock::time_point now) {
  std::vector<summary> out;
  if (!next_end_ || now < *next_end_) return out;
  next_end_.reset();
  for (auto it = windows_.begin(); it != windows_.end();) {
    const auto& w = it->second;
    if (now - w.start < interval_) {
      if (!next_end_ || w.start + interval_ < *next_end_) next_end_ = w.start + interval_;
      ++it;
      continue;
    }
    if (w.suppressed > 0) out.push_back({it->first, w.suppressed, now - w.start});
    it = windows_.erase(it);
  }
  return out;
}

std::vector<log_throttle::summary> log_throttle::drain(log_clock::time_point now) {
  std::vector<summary> out;
  for (const auto& [kind, w] : windows_)
    if (w.suppressed > 0) out.push_back({kind, w.suppressed, now - w.start});
  windows_.clear();
  next_end_.reset();
  return out;
}

log_budget::log_budget(log_limits limits) : limits_(limits), tokens_(limits.burst) {}

void log_budget::configure(const log_limits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
  tokens_ = std::min<double>(tokens_, limits.burst);
}

log_limits log_budget::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

std::uint64_t log_budget::dropped_total() const {
  std::lock_guard lock(mutex_);
  return dropped_total_;
}

bool log_budget::take(log_clock::time_point now) {
  std::lock_guard lock(mutex_);
  report_due(now);
  if (limits_.lines_per_second == 0) return true;
  refill(now);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  if (!first_drop_) first_drop_ = now;
  ++dropped_;
  ++dropped_total_;
  return false;
}

void log_budget::tick(log_clock::time_point now) {
  std::lock_guard lock(mutex_);
  report_due(now);
}

void log_budget::refill(log_clock::time_point now) {
  // Connections on other threads may pass a slightly older time: no refill then.
  if (last_refill_ && now <= *last_refill_) return;
  if (last_refill_) {
    const std::chrono::duration<double> elapsed = now - *last_refill_;
    tokens_ = std::min<double>(limits_.burst, tokens_ + elapsed.count() * limits_.lines_per_second);
  }
  last_refill_ = now;
}

// One line per interval at most, counted outside the budget.
void log_budget::report_due(log_clock::time_point now) {
  const log_clock::duration every =
      limits_.interval.count() > 0 ? log_clock::duration(limits_.interval) : std::chrono::seconds(10);
  if (!first_drop_ || now - *first_drop_ < every) return;
  const std::chrono::duration<double> span = now - *first_drop_;
  spdlog::warn("log budget: {} lines about initiators dropped in the last {:.1f} s (at most {} a second, "
               "{} at once; session.list counts every violation)",
               dropped_, span.count(), limits_.lines_per_second, limits_.burst);
  dropped_ = 0;
  first_drop_.reset();
}

}  // namespace touchstone::target
