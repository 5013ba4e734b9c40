// Whether a program still gives a finding: one run (and the liveness
// judgement after an odd end) per showing, needed-of-runs per answer, the
// target restarted when a crash or hang left it down.
#include "touchstone/fuzz/net/reproduce.hpp"

#include "touchstone/fuzz/net/group_executor.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "touchstone/fuzz/net/integrity.hpp"

namespace touchstone::fuzz::net {
namespace {

std::optional<finding_kind> kind_of(verdict v) {
  switch (v) {
    case verdict::crash: return finding_kind::crash;
    case verdict::hang: return finding_kind::hang;
    case verdict::stall: return finding_kind::stall;
    default: return std::nullopt;
  }
}

double seconds_since(conformance::clock::time_point t) {
  return std::chrono::duration<double>(conformance::clock::now() - t).count();
}

signature signature_of(const run_result& r, finding_kind k) {
  signature s;
  s.kind = k;
  s.at = r.last_phase;
  s.last_request = r.last_request;
  s.last_answer = r.last_answer;
  return s;
}

}  // namespace

bool same_finding(const signature& wanted, const signature& seen) {
  return wanted.kind == seen.kind &&
         ((wanted.kind != finding_kind::protocol && wanted.kind != finding_kind::integrity) ||
          wanted.requirement == seen.requirement);
}

bool needs_restart(finding_kind k) { return k == finding_kind::crash || k == finding_kind::hang; }

bool minimise_at_once(finding_kind k, bool can_restart) { return !needs_restart(k) || can_restart; }

std::vector<signature> signatures_of(const run_result& r, const liveness_report* live) {
  std::vector<signature> out;
  for (const auto& d : r.departures) {
    out.push_back(signature_of(r, finding_kind::protocol));
    out.back().requirement = d.requirement;
  }
  if (live)
    if (const auto k = kind_of(live->outcome)) out.push_back(signature_of(r, *k));
  return out;
}

bool ended_oddly(const run_result& r) {
  return r.end == session_end::closed || r.end == session_end::stream_error ||
         (r.end == session_end::silent && r.silence_is_targets);
}

session_end judged_end(const run_result& r) {
  return r.end == session_end::silent && !r.silence_is_targets ? session_end::answered : r.end;
}

reproducer::reproducer(const run_target& target, signature wanted, reproduce_options o,
                       std::function<bool()> restart_target, bool target_down)
    : target_(target),
      wanted_(std::move(wanted)),
      o_(std::move(o)),
      restart_(std::move(restart_target)),
      down_(target_down) {
  o_.runs = std::max(1, o_.runs);
  o_.needed = std::clamp(o_.needed, 1, o_.runs);
  o_.run.keep_traffic = false;  // a verdict needs no capture
}

bool reproducer::ready(run_note& note) {
  if (lost_) return false;
  if (o_.fresh_target && used_ && restart_) down_ = true;
  if (!down_) return true;
  const auto started = conformance::clock::now();
  const bool up = restart_ && restart_();
  note.restart_seconds = seconds_since(started);
  if (!up) {
    lost_ = true;
    return false;
  }
  ++restarts_;
  down_ = used_ = false;
  return true;
}

bool reproducer::run_and_judge(std::size_t steps, const std::function<run_result()>& run,
                               const program* integrity_of) {
  last_seen_.clear();
  run_note note;
  note.steps = steps;
  bool shown = false;
  if (ready(note)) {
    note.run = ++runs_;
    used_ = true;
    const auto started = conformance::clock::now();
    const auto r = run();
    note.run_seconds = seconds_since(started);
    note.end = std::string(name(r.end));
    shown = judge(r, integrity_of, note);
  } else {
    note.end = "not run: the target is down and could not be restarted";
  }
  note.shown = shown;
  if (o_.on_run) o_.on_run(note);
  return shown;
}

bool reproducer::shows(const program& p) {
  auto run = o_.run;
  // An integrity finding is judged by the integrity oracle over the run.
  run.keep_read_data = wanted_.kind == finding_kind::integrity;
  return run_and_judge(p.steps.size(), [&] { return run_program(p, target_, scratch_, run); },
                       run.keep_read_data ? &p : nullptr);
}

bool reproducer::shows(const program_group& g) {
  if (g.sessions.size() == 1) return shows(g.sessions.front());
  std::size_t steps = 0;
  for (const auto& s : g.sessions) steps += s.steps.size();
  return run_and_judge(steps, [&] { return run_group(g, target_, scratch_, o_.run).summary; }, nullptr);
}

bool reproducer::judge(const run_result& r, const program* integrity_of, run_note& note) {
  // Nothing sent: the program did nothing, the target is not there.
  if (r.pdus_sent == 0 && r.end == session_end::closed) {
    down_ = true;
    last_seen_.push_back("the target could not be reached: " + r.detail);
    note.end = "could not reach the target";
    return false;
  }
  // A crash or hang is judged after every run, as --replay does: a target
  // that dies after its last answer (tgtd, as the connection closes or the
  // next login comes) ended the session as answered.
  std::optional<liveness_report> live;
  if (ended_oddly(r) || needs_restart(wanted_.kind)) {
    const auto started = conformance::clock::now();
    live = judge_liveness(target_.config, judged_end(r), o_.live);
    note.live_seconds = seconds_since(started);
    note.verdict = std::string(name(live->outcome));
  }
  bool shown = false;
  auto seen = signatures_of(r, live ? &*live : nullptr);
  if (integrity_of)
    for (const auto& problem : check_integrity(*integrity_of, r).problems) {
      seen.push_back(signature_of(r, finding_kind::integrity));
      seen.back().requirement = problem.requirement;
    }
  for (const auto& s : seen) {
    last_seen_.push_back(s.text());
    shown = shown || same_finding(wanted_, s);
  }
  if (live && (live->outcome == verdict::crash || live->outcome == verdict::hang)) down_ = true;
  return shown;
}

bool reproducer::reproduces(const program& p) {
  return reproduces_by([&] { return shows(p); });
}

bool reproducer::reproduces(const program_group& g) {
  return reproduces_by([&] { return shows(g); });
}

bool reproducer::reproduces_by(const std::function<bool()>& show) {
  int shown = 0;
  for (int run = 0; run < o_.runs; ++run) {
    if (show()) ++shown;
    if (shown >= o_.needed) return true;
    if (lost_ || shown + (o_.runs - run - 1) < o_.needed) return false;
  }
  return false;
}

bool reproduces(const program& p, const run_target& target, const signature& wanted,
                const reproduce_options& o, const std::function<bool()>& restart_target) {
  reproducer r(target, wanted, o, restart_target);
  return r.reproduces(p);
}

}  // namespace touchstone::fuzz::net
