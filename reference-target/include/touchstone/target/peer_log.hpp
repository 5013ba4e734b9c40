// What a connection core logs about its initiator: violations, leniencies,
// refusals, its login and its end. Repeatable lines go through a
// log_throttle by kind (the requirement id): the first of a kind in an
// interval in full, "[remote] KIND: N more on this connection in the last
// S s" after it. Every line, summaries included, takes from the instance's
// log_budget. The clock is the core's (advance()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/target/log_throttle.hpp"

namespace touchstone::target {

class peer_log {
 public:
  enum class level : std::uint8_t { info, warn };

  // `budget` null: no instance-wide bound (a budget of its own, defaults).
  peer_log(std::string remote, std::shared_ptr<log_budget> budget, log_clock::time_point now);

  // The core's clock: summaries of the intervals that ended by `now`.
  void advance(log_clock::time_point now);
  // "[remote] TEXT", in full the first time `kind` comes in an interval.
  void line(level l, std::string_view kind, std::string_view text);
  // "[remote] TEXT" of a line a connection logs once (login, closing): only
  // the budget applies.
  void once(level l, std::string_view text);
  // Whether a line at `l` can be printed at the current log level: callers
  // skip building text nobody reads (line() still counts the kind).
  static bool prints(level l);
  // The connection ends: summaries of every kind left out. Idempotent.
  void close();
  // Takes from `budget` from now on (a connection copied onto another node:
  // connection_copy.cpp); null: a budget of its own.
  void use_budget(std::shared_ptr<log_budget> budget);

 private:
  log_throttle& throttle(level l) { return l == level::warn ? warnings_ : notices_; }
  void summarise(level l, const std::vector<log_throttle::summary>& due);

  std::string remote_;
  std::shared_ptr<log_budget> budget_;
  log_clock::time_point now_;
  // By level, so that a summary goes out at its lines' level.
  log_throttle warnings_;
  log_throttle notices_;
};

}  // namespace touchstone::target
