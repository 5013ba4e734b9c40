// Whether a session program still gives a finding, and the minimisation of
// a finding's program driven by that answer.
//
// A showing: one run of the program (run_program) and, after a session that
// ended oddly (closed, broken stream, silent where the silence is the
// target's) or after every run when a crash or hang is wanted (a target may
// die as the connection closes, after a session that ended answered), the
// liveness judgement, gave a finding of the wanted kind and,
// for a protocol or integrity finding, the same requirement id (integrity:
// check_integrity over the run, integrity.hpp). The last request and the
// answer are not compared: they move as the minimiser drops steps (a
// departure in step 3 of 40 has step 40 as the run's last request).
//
// Reproduces: at least `needed` showings in at most `runs` runs (default 2 of
// 3, stopping once decided), so a flaky finding that shows two times in
// three still counts and a one-off does not. While minimising each candidate
// gets one run and is kept when it shows (a showing is never false: the
// finding was seen); the smallest program is then confirmed 2 of 3.
//
// Crash and hang leave the target unable to serve: the next run needs it
// restarted (restart_target; empty: it cannot be). A run that could not
// connect sends nothing and shows nothing: it only says the target is down.
// Without a restart a down target ends every later attempt at once (lost()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "touchstone/fuzz/minimiser.hpp"
#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/liveness.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz::net {

// One run of the reproducer, for a trace of where a minimisation's time
// goes (touchstone-fuzz --minimize-trace prints one line per run).
struct run_note {
  std::uint64_t run = 0;      // 1, 2, ...
  std::size_t steps = 0;      // every session's, for a group
  bool shown = false;
  std::string end;            // how the session ended, or why nothing ran
  std::string verdict;        // the liveness verdict, "" when not judged
  double restart_seconds = 0; // the restart before this run (0: none)
  double run_seconds = 0;
  double live_seconds = 0;
};

struct reproduce_options {
  run_options run;
  liveness_options live;
  int runs = 3;    // at most this many runs for one answer
  int needed = 2;  // showings that make it "reproduces"
  std::function<void(const run_note&)> on_run;  // told after every run; empty: nothing
  // Restart the target before every run after the first (with a restart):
  // each candidate meets a fresh target, so a heap one run corrupted
  // without dying cannot kill the target under the next candidate and have
  // that one kept (tgtd's write-past-EDTL crashes).
  bool fresh_target = false;
};

// Same finding: the kind, and for protocol findings the requirement id.
bool same_finding(const signature& wanted, const signature& seen);
// Crash and hang: the target cannot serve the next run until restarted.
bool needs_restart(finding_kind k);
// Whether a campaign minimises a new finding at once: protocol and stall
// findings always (the target still serves), crash and hang only when the
// target can be restarted (a hung target may recover, but nothing says when).
bool minimise_at_once(finding_kind k, bool can_restart);

// The signatures one run gives: a protocol one per departure, and the
// liveness verdict's (crash, hang, stall) when `live` has one.
std::vector<signature> signatures_of(const run_result& r, const liveness_report* live);

// A session that ended as sessions should not (closed, a broken stream, a
// silence that is the target's): the target may have died, so the campaign
// and the reproducer judge liveness after it.
bool ended_oddly(const run_result& r);

// How the classifier hears a run's end: a silence we caused (a length field
// promising bytes never sent, the cap) is "answered", never a stall.
session_end judged_end(const run_result& r);

class reproducer {
 public:
  // `target` is read at every run; restart_target may change it (a target
  // started again may listen on another port). target_down: the target is
  // known to be down now (the finding itself just crashed or hung it).
  reproducer(const run_target& target, signature wanted, reproduce_options o,
             std::function<bool()> restart_target = {}, bool target_down = false);

  // One run: whether it showed the finding.
  bool shows(const program& p);
  // Up to options().runs runs, options().needed showings; stops when decided.
  bool reproduces(const program& p);
  // The same for a program group (run_group's summary is the run).
  bool shows(const program_group& g);
  bool reproduces(const program_group& g);

  // Down and not restarted: no run is made any more.
  bool lost() const { return lost_; }
  std::uint64_t runs() const { return runs_; }
  std::uint64_t restarts() const { return restarts_; }
  // What the last run gave (signature texts), for messages.
  const std::vector<std::string>& last_seen() const { return last_seen_; }
  const reproduce_options& options() const { return o_; }

 private:
  bool ready(run_note& note);
  // Runs one program or group, judges it, tells on_run.
  bool run_and_judge(std::size_t steps, const std::function<run_result()>& run, const program* integrity_of);
  // integrity_of: the program whose read data the integrity oracle judges
  // (an integrity finding is wanted), else none.
  bool judge(const run_result& r, const program* integrity_of, run_note& note);
  bool reproduces_by(const std::function<bool()>& show);

  const run_target& target_;
  signature wanted_;
  reproduce_options o_;
  std::function<bool()> restart_;
  bool down_;
  bool used_ = false;  // a run met the target since it was (re)started
  bool lost_ = false;
  std::uint64_t runs_ = 0;
  std::uint64_t restarts_ = 0;
  std::vector<std::string> last_seen_;
  state_graph scratch_;  // the runs' transitions are not the campaign's coverage
};

// The plain form: whether p reproduces `wanted` against target.
bool reproduces(const program& p, const run_target& target, const signature& wanted,
                const reproduce_options& o = {}, const std::function<bool()>& restart_target = {});

struct minimise_finding_options {
  reproduce_options reproduce;
  milliseconds budget{60000};  // wall time: the minimiser stops trying after it
  std::size_t max_oracle_calls = default_max_oracle_calls;
};

struct finding_minimisation {
  bool reproduced = false;  // the input reproduced (needed of runs) first
  bool confirmed = false;   // and so did the smallest program
  program smallest;         // the input when it did not reproduce
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
  std::size_t oracle_calls = 0;  // the minimiser's (those after the budget made no run)
  std::uint64_t runs = 0;        // programs actually run, confirmations included
  std::uint64_t restarts = 0;
  double seconds = 0;
  std::string note;  // why it stopped short (budget, target lost), if it did
};

// Checks that input reproduces, minimises it (fuzz::minimise, one run per
// candidate) within o.budget and o.max_oracle_calls, confirms the result.
finding_minimisation minimise_finding(const program& input, const run_target& target,
                                      const signature& wanted, const minimise_finding_options& o,
                                      const std::function<bool()>& restart_target = {},
                                      bool target_down = false);

// A finding's program group minimised the same way (fuzz::minimise for
// groups: sessions dropped first); steps_before/after count every session's.
struct group_minimisation {
  finding_minimisation m;  // m.smallest unused
  program_group smallest;
  std::size_t sessions_before = 0;
  std::size_t sessions_after = 0;
};
group_minimisation minimise_group_finding(const program_group& input, const run_target& target,
                                          const signature& wanted, const minimise_finding_options& o,
                                          const std::function<bool()>& restart_target = {},
                                          bool target_down = false);

}  // namespace touchstone::fuzz::net
