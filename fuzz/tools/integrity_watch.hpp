// The campaign's side of the data-integrity oracle (docs/fuzzing.md, "Data
// integrity: canary blocks"): the disturbance log every job reports its
// programs to, and the integrity probe's rounds: the first after the first
// session, then at a steady interval (one job runs a due round; the others
// go on fuzzing and keep reporting). Each
// round's sessions that met a departure become findings of kind integrity,
// one per requirement id, each with the session's program (the probe's own
// steps, so --replay runs them).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/integrity_probe.hpp"

namespace touchstone::fuzz::tool {

struct integrity_finding {
  net::finding found;
  program prog;
};

struct integrity_tally {
  std::uint64_t rounds = 0;
  std::uint64_t blocks_checked = 0;  // canary blocks read and judged
  std::uint64_t skipped = 0;         // sessions a disturbance or a status left (partly) unjudged
  std::string last_note;             // why the latest of them was
};

class integrity_watch {
 public:
  // every 0: off (no rounds; the log still answers).
  integrity_watch(const net::run_target& target, conformance::milliseconds every, std::uint64_t seed,
                  const net::run_options& run);

  bool on() const { return every_.count() > 0; }
  // Before and after a fuzzed program runs (any job).
  bool started(const program& p) { return log_.started(p); }
  void finished(bool disturbing) { log_.finished(disturbing); }
  // Around anything else that reaches the target (minimising, restarting).
  void unknown() { log_.unknown(); }

  // Runs a round when one is due and no other job runs one; its findings.
  // Call without the campaign's lock: the round's sessions take time.
  std::vector<integrity_finding> maybe_round(std::uint64_t seed, const std::string& shown);
  integrity_tally tally() const;

 private:
  std::vector<integrity_finding> findings_of(const net::integrity_session& s, std::uint64_t seed,
                                             const std::string& shown) const;

  conformance::milliseconds every_;
  net::disturbance_log log_;
  net::integrity_probe probe_;
  std::mutex round_lock_;  // one round at a time
  mutable std::mutex tally_lock_;
  conformance::clock::time_point next_;
  integrity_tally tally_;
};

// --replay: the integrity oracle over one run of a program (run with
// keep_read_data); a line per departure (the signature's text, then what was
// read). A program that is not a canary program gives none.
std::vector<std::string> replay_integrity(const program& p, const net::run_result& r);

}  // namespace touchstone::fuzz::tool
