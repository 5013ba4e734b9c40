// A connection's log lines about its initiator, throttled and budgeted.
#include "touchstone/target/peer_log.hpp"

#include <spdlog/spdlog.h>

namespace touchstone::target {

namespace {

spdlog::level::level_enum spdlog_level(peer_log::level l) {
  return l == peer_log::level::warn ? spdlog::level::warn : spdlog::level::info;
}

std::shared_ptr<log_budget> or_own(std::shared_ptr<log_budget> b) {
  return b ? std::move(b) : std::make_shared<log_budget>();
}

}  // namespace

peer_log::peer_log(std::string remote, std::shared_ptr<log_budget> budget, log_clock::time_point now)
    : remote_(std::move(remote)),
      budget_(or_own(std::move(budget))),
      now_(now),
      warnings_(budget_->limits().interval),
      notices_(budget_->limits().interval) {}

void peer_log::advance(log_clock::time_point now) {
  now_ = now;
  budget_->tick(now);
  for (auto l : {level::warn, level::info}) summarise(l, throttle(l).expire(now));
}

void peer_log::line(level l, std::string_view kind, std::string_view text) {
  summarise(l, throttle(l).expire(now_));
  if (throttle(l).admit(kind, now_)) once(l, text);
}

bool peer_log::prints(level l) { return spdlog::should_log(spdlog_level(l)); }

void peer_log::once(level l, std::string_view text) {
  // A line below the log level costs nothing from the budget.
  if (!prints(l)) return;
  if (budget_->take(now_)) spdlog::log(spdlog_level(l), "[{}] {}", remote_, text);
}

void peer_log::use_budget(std::shared_ptr<log_budget> budget) { budget_ = or_own(std::move(budget)); }

void peer_log::close() {
  for (auto l : {level::warn, level::info}) summarise(l, throttle(l).drain(now_));
}

void peer_log::summarise(level l, const std::vector<log_throttle::summary>& due) {
  for (const auto& s : due) {
    const std::chrono::duration<double> span = s.span;
    once(l, span.count() < 1 ? fmt::format("{}: {} more on this connection in the last {} ms", s.kind,
                                            s.suppressed, std::chrono::duration_cast<std::chrono::milliseconds>(s.span).count())
                             : fmt::format("{}: {} more on this connection in the last {:.1f} s", s.kind,
                                           s.suppressed, span.count()));
  }
}

}  // namespace touchstone::target
