// Integrity rounds inside a campaign (integrity_watch.hpp).
#include "integrity_watch.hpp"

#include <map>

namespace touchstone::fuzz::tool {
namespace {

net::integrity_probe_options probe_options(std::uint64_t seed, const net::run_options& run) {
  net::integrity_probe_options o;
  o.seed = seed;
  o.run = run;
  o.run.max_delay = conformance::milliseconds{0};
  // The probe's own answers are waited for as a liveness probe's are: a
  // slow answer is not a short read.
  o.run.answer_wait = std::max(run.answer_wait, conformance::milliseconds{1000});
  return o;
}

}  // namespace

integrity_watch::integrity_watch(const net::run_target& target, conformance::milliseconds every,
                                 std::uint64_t seed, const net::run_options& run)
    : every_(every), probe_(target, log_, probe_options(seed, run)), next_(conformance::clock::now()) {}

std::vector<integrity_finding> integrity_watch::findings_of(const net::integrity_session& s, std::uint64_t seed,
                                                            const std::string& shown) const {
  // One finding per requirement id, every block that broke it listed.
  std::map<std::string, std::vector<net::departure>> by_requirement;
  for (const auto& p : s.verdict.problems)
    by_requirement[p.requirement].push_back({p.requirement, p.summary, "integrity probe: " + s.purpose, 1});
  std::vector<integrity_finding> out;
  for (auto& [requirement, departures] : by_requirement) {
    integrity_finding f;
    f.prog = s.prog;
    auto& n = f.found;
    n.sig.kind = net::finding_kind::integrity;
    n.sig.at = s.run.last_phase;
    n.sig.last_request = s.run.last_request;
    n.sig.last_answer = s.run.last_answer;
    n.sig.requirement = requirement;
    n.seed = seed;
    n.target = shown;
    n.requests = s.run.requests;
    n.answers = s.run.answers;
    n.departures = std::move(departures);
    if (!s.run.traffic.traffic.empty()) n.connections.push_back(s.run.traffic);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<integrity_finding> integrity_watch::maybe_round(std::uint64_t seed, const std::string& shown) {
  if (!on()) return {};
  std::unique_lock held(round_lock_, std::try_to_lock);
  if (!held || conformance::clock::now() < next_) return {};
  const auto sessions = probe_.round();
  next_ = conformance::clock::now() + every_;
  std::vector<integrity_finding> out;
  integrity_tally seen;
  seen.rounds = 1;
  for (const auto& s : sessions) {
    const auto why = !s.note.empty() ? s.note : s.verdict.skipped.empty() ? std::string() : s.verdict.skipped.front();
    if (!why.empty()) {
      ++seen.skipped;
      seen.last_note = s.purpose + ": " + why;
    }
    if (s.disturbed) continue;
    seen.blocks_checked += s.verdict.blocks_checked;
    auto found = findings_of(s, seed, shown);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  std::lock_guard counted(tally_lock_);
  tally_.rounds += seen.rounds;
  tally_.blocks_checked += seen.blocks_checked;
  tally_.skipped += seen.skipped;
  if (!seen.last_note.empty()) tally_.last_note = seen.last_note;
  return out;
}

std::vector<std::string> replay_integrity(const program& p, const net::run_result& r) {
  std::vector<std::string> out;
  for (const auto& problem : net::check_integrity(p, r).problems) {
    net::signature sig;
    sig.kind = net::finding_kind::integrity;
    sig.at = r.last_phase;
    sig.last_request = r.last_request;
    sig.last_answer = r.last_answer;
    sig.requirement = problem.requirement;
    out.push_back(sig.text() + "\n    " + problem.summary);
  }
  return out;
}

integrity_tally integrity_watch::tally() const {
  std::lock_guard counted(tally_lock_);
  return tally_;
}

}  // namespace touchstone::fuzz::tool
