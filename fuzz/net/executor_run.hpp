// The executor's state for one run, shared by its two halves: the login
// plans (executor_login.cpp) and the steps (executor.cpp).
#pragma once

#include <optional>
#include <unordered_set>

#include "follow_numbering.hpp"
#include "touchstone/conformance/session.hpp"
#include "touchstone/fuzz/net/executor.hpp"

namespace touchstone::fuzz::net::detail {

struct run_state {
  run_state(const program& p, const run_target& t, state_graph& g, const run_options& o);

  // A deadline `d` from now, never past the run's cap.
  conformance::deadline within(milliseconds d) const;
  bool capped() const { return conformance::clock::now() >= cap; }

  // Every observation goes through here: oracle, R2T tags, the transition.
  void observe(phase from, const pdu::pdu& request, const conformance::observation& seen);

  const program& prog;
  const run_target& target;
  state_graph& graph;
  const run_options& options;
  conformance::clock::time_point cap;
  conformance::timing times;
  conformance::session s;
  answer_oracle oracle;
  follow_numbering numbers;
  run_result r;
  phase at = phase::login_security;
  bool discovery = false;
  // The latest step owed an answer, and its phase (a late answer to it is
  // waited for before a session is called silent).
  pdu::pdu last_owed;
  phase last_owed_phase = phase::login_security;
  std::unordered_set<std::uint64_t> reached_keys;
  // A scripted login's keys that matter once it succeeds: what the target
  // answered for the digests, what our requests declared.
  pdu::session_parameters scripted;
};

// The login plan; false when the run cannot go on (r.end and r.detail set).
bool run_login(run_state& st);
// A scripted login's request: notes SessionType and MaxRecvDataSegmentLength.
void on_scripted_login_request(run_state& st, const pdu::pdu& request);
// A scripted login's answer: enters the Full Feature Phase on the final
// success (digests and our data segment limit from the keys exchanged).
void on_scripted_login_answer(run_state& st, const pdu::pdu& answer);

// One step of the program (its index): numbered, sent, its answers read;
// `ending` becomes the observation that ends the session so far. False when
// the session can go no further (the cap, the connection lost).
bool run_step(run_state& st, std::size_t index, std::optional<conformance::observation>& ending);
// After the steps: how the session ended (r.end, r.detail), a silent end
// checked with a late answer or a ping.
void finish(run_state& st, const std::optional<conformance::observation>& ending);
// The result: departures, traffic; the connection closed.
run_result collect(run_state& st);

}  // namespace touchstone::fuzz::net::detail
