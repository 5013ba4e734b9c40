// The fuzzing loop: pick generate-or-mutate (corpus programs weighted by the
// rarity of the transitions they reached), run the program, record what it
// found; probe the target's liveness after a session that ended oddly and
// every K sessions; keep findings; print one status line per 5 s. A black-box
// crash stops the run. Also the replay of program files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "minimize.hpp"
#include "reports.hpp"
#include "touchstone/fuzz/phase.hpp"
#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::tool {

class target_supervisor;  // supervisor.hpp

struct campaign_options {
  std::uint64_t seed = 1;
  std::uint64_t sessions = 0;      // 0: unbounded
  conformance::milliseconds duration{0};  // 0: unbounded
  int judge_every = 100;
  std::filesystem::path corpus_dir;  // empty: the corpus is not written
  std::filesystem::path findings_dir;
  std::string shown;                 // the target, for findings
  bool quiet = false;
  net::run_options run;
  net::liveness_options live;
  std::string command_line;   // for finding.json (command_line.hpp)
  minimise_settings minimise;  // new findings minimised at once (minimize.hpp)
  // Supervised runs (--target-cmd, --target-pid): its exit is a crash
  // finding with the status and stderr tail, then a restart when it can.
  target_supervisor* supervisor = nullptr;
  // --jobs N: sessions run at once, each job on its own connection with its
  // own generator and mutator (seeded from seed and the job's number); the
  // state graph, corpus, findings and stats are shared under one lock.
  int jobs = 1;
  only_phase only = only_phase::any;  // --only-phase
  enum class strategy : std::uint8_t { structured, random_bhs } strat = strategy::structured;
  // The answer deadline follows the target's answer times (answer_pace.hpp);
  // false: always run.answer_wait (--fixed-wait).
  bool adaptive_wait = true;
  // --writable with --integrity-every: canary rounds at this interval
  // (integrity_watch.hpp); 0: off.
  conformance::milliseconds integrity_every{0};
  // --multi-rate: percent of sessions run as program groups (several
  // sessions at once, group_generator.hpp); only under --only-phase any or
  // ffp and the structured strategy.
  unsigned multi_rate = 10;
};

struct campaign_stats {
  std::uint64_t sessions = 0;
  std::uint64_t pdus = 0;  // sent and received
  std::uint64_t probes = 0;
  std::uint64_t shared_probes = 0;  // judgements answered by another job's served probe
  double seconds = 0;
  double probe_seconds = 0;                         // spent judging liveness
  std::map<net::session_end, std::uint64_t> ends;  // how sessions ended
  std::uint64_t silences = 0;                      // answer waits that ran to their deadline
  std::uint64_t logged_in = 0;                     // sessions whose login plan reached the FFP
  std::map<net::finding_kind, std::uint64_t> findings;  // every occurrence, by kind
  std::size_t distinct_findings = 0;                    // confirmed ones
  std::uint64_t unconfirmed = 0;  // occurrences of stalls no replay showed again (minimize.hpp)
  std::vector<std::string> finding_dirs;  // written this run
  std::vector<finding_entry> found;       // the same, with their counts (reports.hpp)
  bool crashed = false;
  std::string stop_reason;  // "N sessions", "M minutes", "interrupted", the crash
  std::uint64_t restarts = 0;  // of a supervised target
  std::uint64_t answer_wait_ms = 0;  // the answer deadline at the end (adaptive)
  std::uint32_t answer_p99_us = 0;   // the answer time's 99th percentile it came from
  double session_seconds = 0;        // summed over sessions: in run_program
  double pick_seconds = 0;           // picking and mutating programs
  std::uint64_t integrity_rounds = 0;  // canary rounds run
  std::uint64_t integrity_blocks = 0;  // canary blocks read back and judged
  std::uint64_t integrity_skipped = 0;  // probe sessions (partly) unjudged: disturbed, a conflict, ...
  std::string integrity_note;           // why the latest of them was
  std::uint64_t groups = 0;          // sessions that were program groups
  double group_seconds = 0;          // the part of session_seconds in run_group
};

// Runs the campaign on `graph` (the caller writes it out); every line to out.
campaign_stats run_campaign(const net::run_target& target, corpus& programs, net::state_graph& graph,
                            const campaign_options& o, std::ostream& out);

struct replay_result {
  std::string file;
  bool loaded = false;
  std::string problem;  // load error, or what the finding is
  std::vector<std::string> findings;  // signature texts
};

// Runs each program once (with a liveness judgement after it).
std::vector<replay_result> replay(const std::vector<std::string>& files, const net::run_target& target,
                                  net::state_graph& graph, const campaign_options& o, std::ostream& out);

// Set by SIGINT/SIGTERM: the loop ends with its summary.
void request_stop();

}  // namespace touchstone::fuzz::tool
