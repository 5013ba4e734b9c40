// Liveness judgements shared by the jobs of a campaign. A probe served after
// a session ended says what a probe of that session's own would say: the
// target still served a fresh session after it. When many jobs end sessions
// at once, one probe answers for every session that ended before it began:
// a job whose session ended before a served probe began takes its verdict;
// one whose session ended before a probe still running began waits for that
// probe instead of starting its own (at --jobs 32 against the reference
// target, one probe per session took 40% of the jobs' time).
// A probe that was not served is never shared: a refusing or stalling
// target is judged by each session's own probes, as before.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::net {

class shared_liveness {
 public:
  // judge_liveness for a session that ended at `ended` as `fuzzed`, or the
  // verdict of a served probe that began at or after `ended` (ok; stall for
  // a silent session), with that probe in the report and `shared` set.
  liveness_report judge(const conformance::target_config& target, session_end fuzzed,
                        conformance::clock::time_point ended, const liveness_options& o);
  // Judgements answered by another job's probe (none of their own).
  std::uint64_t shared() const;

 private:
  // One judgement in progress; `began` is no later than its first probe.
  struct flight {
    conformance::clock::time_point began;
    bool done = false;
    std::optional<probe_outcome> served;  // its last probe, when served
  };
  std::optional<probe_outcome> borrow(std::unique_lock<std::mutex>& lock, conformance::clock::time_point ended);

  mutable std::mutex mutex_;
  std::condition_variable landed_;
  std::shared_ptr<flight> latest_;  // the judgement begun last
  std::optional<std::pair<conformance::clock::time_point, probe_outcome>> served_;  // latest served
  std::uint64_t shared_ = 0;
};

// The report judge_liveness gives when its first probe is `served`.
liveness_report judged_by(const probe_outcome& served, session_end fuzzed, const liveness_options& o);

}  // namespace touchstone::fuzz::net
