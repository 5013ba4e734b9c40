// The executor for program groups (touchstone/fuzz/program_group.hpp):
// each session on its own connection, opened (connect and login plan) at
// its first turn, its steps sent in the schedule's order with its own
// numbering, its answers read on its own connection with run_program's
// deadlines and oracles, transitions recorded into the one graph. When a
// session logs in with the ISID of a session still open (a reinstatement),
// what the old session's connection then does (its close) is read (up to
// max(answer_wait, confirm_wait)) and recorded as the old session's answer
// to that login.
#pragma once

#include <vector>

#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz::net {

struct group_result {
  std::vector<run_result> sessions;  // one per session of the group
  // The group as one run (what the campaign and the findings read):
  // transitions without repeats, departures, counts and answer times of
  // all; the end, detail and last request/answer of the session that
  // ended worst (a stream error, then silence, then a close the group did
  // not cause by a reinstatement), else of the last session no
  // reinstatement closed. No traffic: each session's is in `sessions`
  // (copying the worst one's cost the campaign 3% of its time).
  run_result summary;
};

group_result run_group(const program_group& g, const run_target& target, state_graph& graph,
                       const run_options& options = {});

}  // namespace touchstone::fuzz::net
