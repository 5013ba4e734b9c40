// The fuzzing loop (replay.cpp replays program files).
#include "campaign.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "answer_pace.hpp"
#include "campaign_job.hpp"
#include "findings_of_run.hpp"
#include "integrity_watch.hpp"

#include "supervisor.hpp"
#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/net/group_executor.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"  // judged_end
#include "touchstone/fuzz/net/shared_liveness.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/fuzz/random_bhs.hpp"

namespace touchstone::fuzz::tool {
namespace {

using conformance::clock;
using net::finding_kind;
using net::session_end;

std::atomic<bool> stop_requested{false};
constexpr auto status_every = std::chrono::seconds{5};
constexpr unsigned generate_pct = 30;  // fresh programs; the rest mutate the corpus

class campaign {
 public:
  campaign(const net::run_target& t, corpus& c, net::state_graph& g, const campaign_options& o, std::ostream& out)
      : target_(t), corpus_(c), graph_(g), o_(o), out_(out), store_(o.findings_dir), pace_(o.run.answer_wait),
        integrity_(t, o.integrity_every, o.seed, o.run) {}

  campaign_stats run();

 private:
  program next_program(job& j);
  std::optional<program_group> next_group(job& j);
  void one_session(job& j);
  void merge(net::run_result& r, const net::state_graph& local);
  void record(const program& p, const std::optional<program_group>& g, const net::run_result& r,
              const net::liveness_report* live, const std::vector<net::captured_connection>& group_traffic);
  void supervise(const net::run_result& r, const net::liveness_report* live, std::vector<net::finding>& found);
  void after_crash(const net::finding& f);
  minimise_settings minimise_now() const;
  bool claim();
  bool done();
  void status_line();
  void run_job(int index);
  void record_integrity(std::vector<integrity_finding> found);
  std::optional<std::filesystem::path> store(net::finding& f, const std::string& program_json, const std::string& detail);
  void unconfirmed(net::finding_kind k);

  const net::run_target& target_;
  corpus& corpus_;
  net::state_graph& graph_;
  const campaign_options& o_;
  std::ostream& out_;
  net::findings_store store_;
  answer_pace pace_;
  net::shared_liveness liveness_;  // served probes the jobs share (its own lock)
  integrity_watch integrity_;  // has its own locks
  campaign_stats stats_;
  std::mutex lock_;  // everything above that jobs share
  std::uint64_t claimed_ = 0;
  clock::time_point started_ = clock::now();
  clock::time_point next_status_ = started_ + status_every;
};

// Under the lock.
program campaign::next_program(job& j) {
  j.picked.reset();
  if (std::exchange(j.cleanup_due, false)) return reservation_cleanup();
  if (o_.strat == campaign_options::strategy::random_bhs) return j.bhs.next();
  if (corpus_.empty() || j.rng() % 100 < generate_pct) return j.gen.next();
  auto p = corpus_.pick(j.rng, graph_).prog;
  j.picked = corpus_.last_picked();
  if (corpus_.size() > 1 && j.rng() % 10 == 0) p = j.mut.crossover(p, corpus_.entries()[j.rng() % corpus_.size()].prog);
  for (auto n = 1 + j.rng() % 4; n > 0; --n) j.mut.mutate(p);
  // --only-phase: a corpus program of another phase (loaded from --corpus)
  // gives way to a fresh one.
  if (!of_phase(p, o_.only)) {
    j.picked.reset();
    return j.gen.next();
  }
  return p;
}

// Under the lock. A program group at --multi-rate percent of sessions: a
// fresh one, or a kept one mutated; none under --only-phase login or
// discovery (members log in as Normal sessions) or random-bhs.
std::optional<program_group> campaign::next_group(job& j) {
  if (o_.multi_rate == 0 || o_.strat != campaign_options::strategy::structured) return std::nullopt;
  if (o_.only != only_phase::any && o_.only != only_phase::ffp) return std::nullopt;
  if (j.cleanup_due || j.multi_rng() % 100 >= o_.multi_rate) return std::nullopt;
  j.picked.reset();
  const auto* kept = corpus_.pick_group(j.multi_rng, graph_);
  if (!kept || j.multi_rng() % 100 < generate_pct) return j.groups.next();
  auto g = kept->group;
  for (auto n = 1 + j.multi_rng() % 4; n > 0; --n) j.group_mut.mutate(g);
  for (const auto& p : g.sessions)
    if (!of_phase(p, o_.only)) return j.groups.next();
  return g;
}

// The session's transitions into the shared graph (under the lock): those
// new to it are the run's fresh ones.
void campaign::merge(net::run_result& r, const net::state_graph& local) {
  r.fresh.clear();
  for (const auto& t : r.reached)
    for (auto n = local.count(t); n > 0; --n)
      if (graph_.record(t) == net::recorded::new_transition) r.fresh.push_back(t);
}

void campaign::one_session(job& j) {
  std::unique_lock held(lock_);
  auto started = clock::now();
  const auto g = next_group(j);  // most sessions: none (--multi-rate)
  const auto p = g ? program{} : next_program(j);
  stats_.pick_seconds += std::chrono::duration<double>(clock::now() - started).count();
  auto run = o_.run;
  if (o_.adaptive_wait) run.answer_wait = pace_.wait();
  // A silent session is confirmed with the patience a liveness probe gets
  // per step (and at least --wait): under --jobs and load a ping answered
  // late is not a stall.
  run.confirm_wait = std::max(o_.run.answer_wait, o_.live.step_deadline);
  const bool disturbing = integrity_.started(g ? all_steps(*g) : p);
  held.unlock();
  // Each session records into a graph of its own, merged afterwards, so
  // jobs do not share the graph while they run.
  net::state_graph local;
  started = clock::now();
  std::vector<net::captured_connection> group_traffic;
  auto r = g ? run_group_keeping(*g, target_, local, run, group_traffic) : net::run_program(p, target_, local, run);
  integrity_.finished(disturbing);
  const auto ended = clock::now();
  const auto took = std::chrono::duration<double>(ended - started).count();
  held.lock();
  stats_.session_seconds += took;
  merge(r, local);
  pace_.add(r.answer_micros);
  ++stats_.sessions;
  if (g) ++stats_.groups, stats_.group_seconds += took;
  if (g && sends_pr_out(*g)) j.cleanup_due = true;
  ++stats_.ends[r.end];
  if (r.logged_in) ++stats_.logged_in;
  stats_.silences += r.silences;
  stats_.pdus += r.pdus_sent + r.pdus_received;
  if (j.picked) corpus_.learned(*j.picked, r.reached);
  if (!r.fresh.empty()) {
    std::string why;
    const bool kept = g ? corpus_.add_group(*g, r.reached, o_.corpus_dir, why) : corpus_.add(p, r.reached, o_.corpus_dir, why);
    if (!kept) out_ << "touchstone-fuzz: " << why << "\n";
  }
  const bool judge = net::ended_oddly(r) || stats_.sessions % static_cast<std::uint64_t>(o_.judge_every) == 0;
  held.unlock();
  // Liveness is judged beside the other jobs' sessions (they go on).
  std::optional<net::liveness_report> live;
  if (judge) {
    started = clock::now();
    live = liveness_.judge(target_.config, net::judged_end(r), ended, o_.live);
  }
  held.lock();
  if (live && live->shared) ++stats_.shared_probes;
  if (live && !live->shared) {
    stats_.probes += live->probes.size();
    stats_.probe_seconds += std::chrono::duration<double>(clock::now() - started).count();
  }
  record(p, g, r, live ? &*live : nullptr, group_traffic);
  held.unlock();
  auto canaries = integrity_.maybe_round(o_.seed, o_.shown);
  held.lock();
  record_integrity(std::move(canaries));
  if (!o_.quiet && clock::now() >= next_status_) {
    status_line();
    next_status_ += status_every;
  }
}

// Under the lock: counts the finding and writes it with its program when it
// is new (then returns its folder), or counts a repeat.
std::optional<std::filesystem::path> campaign::store(net::finding& f, const std::string& program_json,
                                                      const std::string& detail) {
  ++stats_.findings[f.sig.kind];
  f.command_line = o_.command_line;
  const auto stored = store_.add(f);
  if (stored.what == net::stored::written) ++stats_.distinct_findings;
  if (stored.what == net::stored::written) {
    std::ofstream(stored.where / "program.json", std::ios::binary) << program_json;
    stats_.finding_dirs.push_back(stored.where.string());
    out_ << "finding: " << f.sig.text() << detail << "\n  -> " << stored.where.string() << "\n";
    stats_.found.push_back({f.sig.kind, f.sig.text(), stored.where.string(), 1, false});
    return stored.where;
  }
  if (stored.what == net::stored::repeat) {
    for (auto& e : stats_.found) {
      if (e.folder != stored.where.string()) continue;
      ++e.count;
      if (!e.confirmed) unconfirmed(e.kind);
    }
  } else if (stored.what == net::stored::failed) {
    out_ << "touchstone-fuzz: a finding could not be written: " << stored.error << "\n";
  }
  return std::nullopt;
}

// Under the lock.
void campaign::record(const program& p, const std::optional<program_group>& g, const net::run_result& r,
                      const net::liveness_report* live, const std::vector<net::captured_connection>& group_traffic) {
  auto found = findings_of(r, live, o_.seed, o_.shown);
  if (o_.supervisor) supervise(r, live, found);
  // Minimising a finding and restarting the target reach the target
  // unseen by the disturbance log: the canaries are not trusted across them.
  if (!found.empty()) integrity_.unknown();
  for (auto& f : found) f.connections.insert(f.connections.end(), group_traffic.begin(), group_traffic.end());
  for (auto f : found) {
    if (const auto where = store(f, g ? save_json(*g) : save_json(p), "")) {
      const auto m = g ? minimise_new_finding(*g, f, *where, target_, minimise_now(), out_)
                       : minimise_new_finding(p, f, *where, target_, minimise_now(), out_);
      auto& entry = stats_.found.back();
      entry.minimised = m && m->reproduced;
      if (needs_confirmation(f.sig.kind) &&
          !confirm_new_finding(g ? *g : program_group{{p}, {}, {}}, f, *where, m, target_, minimise_now())) {
        entry.confirmed = false;
        --stats_.distinct_findings;
        unconfirmed(f.sig.kind);
        out_ << "  unconfirmed: no replay showed it again (a missed deadline on a loaded machine?); not "
                "counted as a finding\n";
      }
    }
    if (f.sig.kind == finding_kind::crash && o_.supervisor) {
      after_crash(f);
    } else if (f.sig.kind == finding_kind::crash && !stats_.crashed) {
      stats_.crashed = true;
      stats_.stop_reason = "the target crashed after session " + std::to_string(stats_.sessions) +
                           " (" + f.liveness + "); a black-box target cannot be restarted, so the run stops";
    }
  }
  if (!found.empty()) integrity_.finished(true);
}

// Under the lock: an occurrence of an unconfirmed stall moves from the
// findings to the unconfirmed count.
void campaign::unconfirmed(finding_kind k) {
  if (auto it = stats_.findings.find(k); it != stats_.findings.end() && --it->second == 0) stats_.findings.erase(it);
  ++stats_.unconfirmed;
}

// Under the lock: integrity findings are stored as they are (the probe's
// program is already a handful of steps: not minimised).
void campaign::record_integrity(std::vector<integrity_finding> found) {
  for (auto& [f, prog] : found) (void)store(f, save_json(prog), "\n  " + f.departures.front().summary);
}

// Minimising stays within the run's time bound, and stops for Ctrl-C.
minimise_settings campaign::minimise_now() const {
  auto s = o_.minimise;
  if (stop_requested) s.options.budget = conformance::milliseconds{0};
  if (o_.duration.count() > 0) {
    const auto left = std::chrono::duration_cast<conformance::milliseconds>(o_.duration - (clock::now() - started_));
    s.options.budget = std::clamp(left, conformance::milliseconds{0}, s.options.budget);
  }
  return s;
}

// Supervised (supervisor.hpp): the target's exit makes a crash finding (or
// joins the classifier's) with its status and stderr tail; the RSS growth
// sampled at a liveness judgement past the limit is a leak finding.
void campaign::supervise(const net::run_result& r, const net::liveness_report* live,
                         std::vector<net::finding>& found) {
  auto& watch = *o_.supervisor;
  auto crash = std::find_if(found.begin(), found.end(), [](const auto& f) { return f.sig.kind == finding_kind::crash; });
  if (auto gone = watch.exited()) {
    if (crash == found.end()) {
      found.push_back(base_finding(r, finding_kind::crash, o_.seed, o_.shown));
      crash = std::prev(found.end());
      crash->liveness = "the target process " + gone->status;
    }
    crash->target_exit = gone->status;
    crash->stderr_tail = std::move(gone->stderr_tail);
  } else if (crash != found.end()) {
    crash->target_exit = "still running, serving no session";
    crash->stderr_tail = watch.stderr_tail();
  }
  if (live) {
    if (auto grown = watch.leak()) {
      auto f = base_finding(r, finding_kind::leak, o_.seed, o_.shown);
      f.liveness = *grown;
      found.push_back(std::move(f));
    }
  }
}

// A supervised crash: restart the target and go on, or stop when it cannot be.
void campaign::after_crash(const net::finding& f) {
  std::string why;
  if (o_.supervisor->restart(why)) {
    ++stats_.restarts;
    out_ << "touchstone-fuzz: the target " << f.target_exit << " after session " << stats_.sessions
         << "; restarted it (restart " << stats_.restarts << ")\n";
    return;
  }
  stats_.crashed = true;
  stats_.stop_reason = "the target " + f.target_exit + " after session " + std::to_string(stats_.sessions) +
                       "; " + why + ", so the run stops";
}

// Under the lock.
bool campaign::done() {
  const auto elapsed = clock::now() - started_;
  if (stats_.crashed) return true;
  if (!stats_.stop_reason.empty()) return true;
  if (stop_requested) stats_.stop_reason = "interrupted";
  else if (o_.sessions && claimed_ >= o_.sessions) stats_.stop_reason = std::to_string(o_.sessions) + " sessions";
  else if (o_.duration.count() > 0 && elapsed >= o_.duration) stats_.stop_reason = "the time bound";
  return !stats_.stop_reason.empty();
}

// A job takes the next session, unless the run is over.
bool campaign::claim() {
  std::lock_guard held(lock_);
  if (done()) return false;
  ++claimed_;
  return true;
}

void campaign::status_line() {
  const double s = std::chrono::duration<double>(clock::now() - started_).count();
  char line[256];
  std::snprintf(line, sizeof line,
                "[%6.0fs] sessions %llu (%.0f/s)  PDUs %llu (%.0f/s)  transitions %zu  corpus %zu  findings",
                s, static_cast<unsigned long long>(stats_.sessions), stats_.sessions / std::max(s, 1e-9),
                static_cast<unsigned long long>(stats_.pdus), stats_.pdus / std::max(s, 1e-9), graph_.distinct(),
                corpus_.size());
  out_ << line;
  for (const auto k : {finding_kind::crash, finding_kind::hang, finding_kind::stall, finding_kind::protocol,
                       finding_kind::leak, finding_kind::integrity})
    out_ << " " << net::name(k) << " " << (stats_.findings.count(k) ? stats_.findings.at(k) : 0);
  out_ << " unconfirmed " << stats_.unconfirmed << "\n" << std::flush;
}

void campaign::run_job(int index) {
  job j(o_, index);
  while (claim()) one_session(j);
}

campaign_stats campaign::run() {
  const int jobs = std::max(1, o_.jobs);
  if (jobs == 1) {
    run_job(0);
  } else {
    std::vector<std::thread> threads;
    for (int i = 0; i < jobs; ++i) threads.emplace_back([this, i] { run_job(i); });
    for (auto& t : threads) t.join();
  }
  stats_.seconds = std::chrono::duration<double>(clock::now() - started_).count();
  stats_.answer_wait_ms = static_cast<std::uint64_t>((o_.adaptive_wait ? pace_.wait() : o_.run.answer_wait).count());
  stats_.answer_p99_us = pace_.p99_micros();
  const auto canaries = integrity_.tally();
  stats_.integrity_rounds = canaries.rounds;
  stats_.integrity_blocks = canaries.blocks_checked;
  stats_.integrity_skipped = canaries.skipped;
  stats_.integrity_note = canaries.last_note;
  if (!o_.quiet) status_line();
  return stats_;
}

}  // namespace

void request_stop() { stop_requested = true; }

campaign_stats run_campaign(const net::run_target& target, corpus& programs, net::state_graph& graph,
                            const campaign_options& o, std::ostream& out) {
  campaign c(target, programs, graph, o, out);
  return c.run();
}

}  // namespace touchstone::fuzz::tool
