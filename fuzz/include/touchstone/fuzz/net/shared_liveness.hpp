// Liveness judgements shared by the jobs of a campaign. A probe served after
// a session ended says what a probe of that session's own would say: the
// target still served a fresh session after it. At most one judgement of
// the campaign probes at a time: a job whose session ended before the probe
// in flight began takes that probe's verdict; one whose session ended after
// it began waits for it to land and then for the next, which begins after
// its session ended, starting that one itself when no other job has (at
// --jobs 32 against the reference target, a probe beside every other one
// took 22% of the jobs' time and opened almost as many connections as the
// sessions did). A probe that was not served is never shared: a refusing or
// stalling target is judged by each session's own probes, as before.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <functional>
#include <optional>

#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::net {

class shared_liveness {
 public:
  // How a judgement of its own is made: judge_liveness, or a test's stand-in.
  using prober = std::function<liveness_report(const conformance::target_config&, session_end,
                                               const liveness_options&)>;
  shared_liveness();
  explicit shared_liveness(prober probe) : probe_(std::move(probe)) {}

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
  // A served probe that began at or after `ended`, waited for; nullopt
  // when this job is to probe (none in flight, or the one it could take
  // was not served).
  std::optional<probe_outcome> borrow(std::unique_lock<std::mutex>& lock, conformance::clock::time_point ended);

  prober probe_;
  mutable std::mutex mutex_;
  std::condition_variable landed_;
  std::shared_ptr<flight> latest_;  // the judgement begun last
  std::optional<std::pair<conformance::clock::time_point, probe_outcome>> served_;  // latest served
  std::uint64_t shared_ = 0;
};

// The report judge_liveness gives when its first probe is `served`.
liveness_report judged_by(const probe_outcome& served, session_end fuzzed, const liveness_options& o);

}  // namespace touchstone::fuzz::net
