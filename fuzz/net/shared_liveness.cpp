// Liveness judgements shared by a campaign's jobs (see shared_liveness.hpp).
#include "touchstone/fuzz/net/shared_liveness.hpp"

namespace touchstone::fuzz::net {

using conformance::clock;

liveness_report judged_by(const probe_outcome& served, session_end fuzzed, const liveness_options& o) {
  liveness_classifier c(fuzzed, o);
  liveness_report report;
  report.probes.push_back(served);
  report.shared = true;
  report.outcome = c.on_probe(served.result, clock::now());
  report.summary = liveness_summary(report.outcome, fuzzed, report.probes) + " (another job's probe)";
  return report;
}

shared_liveness::shared_liveness() : probe_(judge_liveness) {}

// Bounded: each wait is for a judgement in flight, which ends within its
// probes and span, and at most two are waited for (the one in flight when
// the session ended, then the next, which began after it ended).
std::optional<probe_outcome> shared_liveness::borrow(std::unique_lock<std::mutex>& lock, clock::time_point ended) {
  for (;;) {
    if (served_ && served_->first >= ended) return served_->second;
    if (!latest_ || latest_->done) return std::nullopt;  // this job probes next
    const auto in_flight = latest_;
    landed_.wait(lock, [&] { return in_flight->done; });
    if (in_flight->began >= ended && !in_flight->served) return std::nullopt;  // not served: probe
  }
}

liveness_report shared_liveness::judge(const conformance::target_config& target, session_end fuzzed,
                                       clock::time_point ended, const liveness_options& o) {
  std::unique_lock lock(mutex_);
  if (const auto probe = borrow(lock, ended)) {
    ++shared_;
    return judged_by(*probe, fuzzed, o);
  }
  auto mine = std::make_shared<flight>();
  mine->began = clock::now();
  latest_ = mine;
  lock.unlock();
  auto report = probe_(target, fuzzed, o);
  lock.lock();
  // Only a served last probe is shared (a served probe ends a judgement).
  if (!report.probes.empty() && report.probes.back().result == probe_result::served) {
    mine->served = report.probes.back();
    if (!served_ || served_->first < mine->began) served_ = std::make_pair(mine->began, report.probes.back());
  }
  mine->done = true;
  landed_.notify_all();
  return report;
}

std::uint64_t shared_liveness::shared() const {
  std::lock_guard lock(mutex_);
  return shared_;
}

}  // namespace touchstone::fuzz::net
