// A program group run in-process on one node (group_runner.hpp): one
// program_session per member, made at its first turn (so a later member
// can take an earlier one's TSIH), steps by the turn order.
#include "touchstone/fuzz/inproc/group_runner.hpp"

#include <algorithm>
#include <memory>

#include "program_session.hpp"

namespace touchstone::fuzz::inproc {
namespace {

struct member {
  std::unique_ptr<program_session> session;  // made at its first turn
  bool done = false;  // no more turns: the login was refused or the connection is over
};

struct group_run {
  const program_group& g;
  group_record* record;
  std::shared_ptr<target::target_node> node;
  target::clock::time_point clock{};
  bool chap = false;
  std::vector<member> members;
};

// The TSIH member i logs in with: that of the session tsih_from names once
// it has logged in, else its plan's (rfc7143 6.3.4: with that session's
// CID, a connection reinstatement).
std::uint16_t tsih_for(const group_run& run, std::size_t i) {
  const auto& plan = run.g.sessions[i].login;
  if (i >= run.g.tsih_from.size() || run.g.tsih_from[i] < 0) return plan.tsih;
  const auto& from = run.members[static_cast<std::size_t>(run.g.tsih_from[i])];
  return from.session ? from.session->tsih() : plan.tsih;
}

void open_member(group_run& run, std::size_t i) {
  auto s = scenario_for(run.g.sessions[i]);
  s.chap = run.chap;  // a node that requires CHAP refuses any other login
  auto* record = run.record ? &run.record->sessions[i] : nullptr;
  auto& m = run.members[i];
  m.session = std::make_unique<program_session>(run.g.sessions[i], s, run.node, &run.clock, record);
  if (!m.session->open(tsih_for(run, i))) m.done = true;
}

void take_turn(group_run& run, std::size_t i) {
  auto& m = run.members[i];
  if (m.done) return;
  if (!m.session) {
    open_member(run, i);
    if (m.done) return;
  }
  if (m.session->over()) {
    m.done = true;
    return;
  }
  if (m.session->steps_left() && !m.session->send_next()) m.done = true;
}

// The connections the session directory woke take their tick now.
void poll_woken(group_run& run) {
  for (auto& m : run.members)
    if (m.session && m.session->poll_if_woken()) m.done = true;
}

// Every connection ends as one program's does, in step: held jobs, time, close.
void finish_all(group_run& run) {
  for (auto& m : run.members)
    if (m.session) m.session->driver().settle();
  for (int seconds : {5, 40, 100})
    for (auto& m : run.members)
      if (m.session) m.session->driver().age(seconds);
  for (auto& m : run.members)
    if (m.session) m.session->driver().close_transport();
  oracle(run.node->sessions.count() == 0, "a session outlives its connections");
}

}  // namespace

void run_group(const program_group& g, group_record* record) {
  const auto n = std::min(g.sessions.size(), max_group_sessions);
  if (n == 0) return;
  group_run run{g, record, nullptr, {}, false, {}};
  run.chap = std::any_of(g.sessions.begin(), g.sessions.begin() + static_cast<std::ptrdiff_t>(n),
                         [](const program& p) { return p.login.chap; });
  auto node_scenario = scenario_for(g.sessions.front());
  node_scenario.chap = run.chap;
  run.node = make_node(node_scenario);
  run.members.resize(n);
  if (record) record->sessions.assign(n, {});
  for (const auto i : turn_order(g)) {
    take_turn(run, i);
    poll_woken(run);
  }
  finish_all(run);
}

}  // namespace touchstone::fuzz::inproc
