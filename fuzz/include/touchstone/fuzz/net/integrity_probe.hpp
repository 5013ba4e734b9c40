// The integrity probe: at each round, fresh sessions (the executor's normal
// login, a TEST UNIT READY first) check and rewrite the canary blocks
// (integrity.hpp) of a writable LUN.
//   1. Once: READ CAPACITY(10), then `canaries` LBAs spread over the LUN,
//      away from its first and last blocks (the generator's favourite LBAs);
//      the disturbance log learns them.
//   2. If the canaries of the last round were written and nothing that may
//      change them ran since (disturbance_log::quiet_since), a read-only
//      session reads them: every block must still be that round's canary.
//   3. A write session writes the next generation and reads it back at once.
// A round whose session met a disturbance is thrown away and the next round
// rewrites (a survivors check a disturbance made pointless is listed, not
// run, disturbed). Every session's program is kept with its run, so a finding's
// program is the probe's own steps (--replay runs it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/disturbance.hpp"
#include "touchstone/fuzz/net/integrity.hpp"

namespace touchstone::fuzz::net {

struct integrity_probe_options {
  int canaries = 4;
  std::uint64_t seed = 1;
  run_options run;
};

// One session of a round.
struct integrity_session {
  std::string purpose;  // "read capacity", "check survivors", "write and read back"
  program prog;
  run_result run;
  integrity_verdict verdict;
  bool disturbed = false;  // a disturbance overlapped it: the verdict is not used
  std::string note;        // why it judged nothing, if it did not
};

class integrity_probe {
 public:
  integrity_probe(const run_target& target, disturbance_log& log, integrity_probe_options o);

  // One round; its sessions in order (their verdicts' problems are findings
  // unless disturbed).
  std::vector<integrity_session> round();

  const std::optional<canary_plan>& plan() const { return plan_; }
  std::uint64_t generation() const { return generation_; }

 private:
  bool ensure_plan(std::vector<integrity_session>& out);
  integrity_session run_session(std::string purpose, program p, const canary_expectations* expected);
  void check_survivors(std::vector<integrity_session>& out);
  void write_next(std::vector<integrity_session>& out);

  const run_target& target_;
  disturbance_log& log_;
  integrity_probe_options o_;
  std::optional<canary_plan> plan_;
  std::uint64_t generation_ = 0;
  std::optional<disturbance_log::mark> written_at_;  // the last generation is on the LUN since
  canary_expectations expected_;
  std::uint64_t isid_counter_ = 0;
};

}  // namespace touchstone::fuzz::net
