// Program groups run: one run_state per session, made at its first turn
// (so a later session can take an earlier one's TSIH), steps by the turn
// order, each session finished and collected as run_program does.
#include "touchstone/fuzz/net/group_executor.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <unordered_set>

#include "executor_run.hpp"
#include "touchstone/pdu/login_request.hpp"

namespace touchstone::fuzz::net {
namespace {

using conformance::clock;
using conformance::observation;
using conformance::observed;
using detail::run_state;

struct member {
  program prog;  // the session's program, its TSIH filled in
  run_options options;
  std::unique_ptr<run_state> st;
  std::optional<observation> ending;
  std::size_t next = 0;
  bool open = false;     // connected and logged in as its plan says
  bool done = false;     // no more turns (closed, capped, login failed)
  bool replaced = false; // a later login with its ISID closed it
};

struct group_run {
  const program_group& g;
  const run_target& target;
  state_graph& graph;
  const run_options& options;
  clock::time_point cap;
  std::vector<member> members;
};

// Its login plan's TSIH from the session it names (tsih_from).
void fill_tsih(group_run& run, std::size_t i) {
  auto& m = run.members[i];
  if (i >= run.g.tsih_from.size() || run.g.tsih_from[i] < 0) return;
  const auto& from = run.members[static_cast<std::size_t>(run.g.tsih_from[i])];
  if (from.st) m.prog.login.tsih = from.st->s.tsih();
}

bool open_session(group_run& run, std::size_t i) {
  auto& m = run.members[i];
  fill_tsih(run, i);
  const auto left = std::chrono::duration_cast<milliseconds>(run.cap - clock::now());
  m.options.cap = std::max(left, milliseconds{1});
  m.st = std::make_unique<run_state>(m.prog, run.target, run.graph, m.options);
  if (const auto ec = m.st->s.connect()) {
    m.st->r.end = session_end::closed;
    m.st->r.detail = "connect: " + ec.message();
    return false;
  }
  return detail::run_login(*m.st);
}

// Session i logged in with the ISID of open sessions: the target ends the
// old session (or its connection); what their connections do next is their
// answer to that login.
//= rfc7143#section-6.3.5
//# Session reinstatement is the process of an initiator logging in with
//# an ISID that is possibly active from the target's perspective for
//# that initiator, thus implicitly logging out the session that
//# corresponds to the ISID
void observe_reinstatement(group_run& run, std::size_t i) {
  const auto& by = run.members[i];
  if (!by.st->r.logged_in) return;
  const auto login = pdu::login_request_builder{}
                         .csg(pdu::login_stage::operational_negotiation)
                         .transit_to(pdu::login_stage::full_feature_phase)
                         .build();
  for (std::size_t k = 0; k < run.members.size(); ++k) {
    auto& old = run.members[k];
    if (k == i) continue;
    if (!old.st || old.done || !old.st->r.logged_in || old.prog.login.isid != by.prog.login.isid) continue;
    auto& st = *old.st;
    // The target may end the old session on its own clock (a timer tick,
    // not the login's answer): the patience of a silent session's check
    // (confirm_wait), not the short adaptive answer_wait.
    const auto wait = std::max(st.options.answer_wait, st.options.confirm_wait);
    const auto seen = st.s.next(st.within(wait));
    st.observe(st.at, login, seen);
    if (seen.connection_lost()) {
      old.ending = seen;
      old.done = old.replaced = true;
    }
  }
}

void take_turn(group_run& run, std::size_t i) {
  auto& m = run.members[i];
  if (m.done) return;
  if (!m.open) {
    m.open = true;
    if (!open_session(run, i)) {
      m.done = true;
      return;
    }
    observe_reinstatement(run, i);
    if (m.prog.steps.empty()) return;
  }
  if (m.next < m.prog.steps.size() && !detail::run_step(*m.st, m.next++, m.ending)) m.done = true;
}

int badness(const run_result& r, bool replaced) {
  switch (r.end) {
    case session_end::stream_error: return 3;
    case session_end::silent: return 2;
    case session_end::closed: return replaced ? 0 : 1;
    default: return 0;
  }
}

constexpr std::size_t max_summary_times = 1024;

// The group as one run (group_executor.hpp).
run_result summarise(const std::vector<run_result>& sessions, const std::vector<bool>& replaced) {
  run_result out;
  if (sessions.empty()) return out;
  // The last session a reinstatement did not close, unless one ended worse.
  std::size_t worst = sessions.size() - 1;
  while (worst > 0 && replaced[worst]) --worst;
  for (std::size_t i = 0; i < sessions.size(); ++i)
    if (badness(sessions[i], replaced[i]) > badness(sessions[worst], replaced[worst])) worst = i;
  const auto& w = sessions[worst];
  out.end = w.end, out.silence_is_targets = w.silence_is_targets;
  out.detail = "session " + std::to_string(worst) + ": " + w.detail;
  out.last_phase = w.last_phase, out.last_request = w.last_request, out.last_answer = w.last_answer;
  out.logged_in = true;
  std::unordered_set<std::uint64_t> reached, fresh;
  for (const auto& r : sessions) {
    out.logged_in = out.logged_in && r.logged_in;
    for (const auto& t : r.reached)
      if (reached.insert(t.key()).second) out.reached.push_back(t);
    for (const auto& t : r.fresh)
      if (fresh.insert(t.key()).second) out.fresh.push_back(t);
    out.departures.insert(out.departures.end(), r.departures.begin(), r.departures.end());
    out.requests.insert(out.requests.end(), r.requests.begin(), r.requests.end());
    out.answers.insert(out.answers.end(), r.answers.begin(), r.answers.end());
    out.pdus_sent += r.pdus_sent, out.pdus_received += r.pdus_received, out.silences += r.silences;
    for (const auto us : r.answer_micros)
      if (out.answer_micros.size() < max_summary_times) out.answer_micros.push_back(us);
  }
  return out;
}

}  // namespace

group_result run_group(const program_group& g, const run_target& target, state_graph& graph,
                       const run_options& options) {
  group_result out;
  std::vector<bool> replaced;
  try {
    group_run run{g, target, graph, options, clock::now() + options.cap, {}};
    run.members.resize(std::min(g.sessions.size(), max_group_sessions));
    for (std::size_t i = 0; i < run.members.size(); ++i) {
      run.members[i].prog = g.sessions[i];
      run.members[i].options = options;
    }
    for (const auto s : turn_order(g)) take_turn(run, s);
    for (auto& m : run.members) {
      if (!m.st) continue;
      if (m.st->r.logged_in || m.st->prog.login.kind == login_kind::none ||
          m.st->prog.login.kind == login_kind::scripted)
        detail::finish(*m.st, m.ending);
      out.sessions.push_back(detail::collect(*m.st));
      replaced.push_back(m.replaced);
      if (m.replaced) out.sessions.back().detail = "closed by a later login with its ISID: " + out.sessions.back().detail;
    }
  } catch (const std::exception& e) {  // allocation failure: the run ends, the fuzzer goes on
    out.sessions.emplace_back();
    out.sessions.back().end = session_end::closed;
    out.sessions.back().silence_is_targets = false;
    out.sessions.back().detail = std::string("the executor failed: ") + e.what();
    replaced.assign(out.sessions.size(), false);
  }
  out.summary = summarise(out.sessions, replaced);
  return out;
}

}  // namespace touchstone::fuzz::net
