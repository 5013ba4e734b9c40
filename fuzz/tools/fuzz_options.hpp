// touchstone-fuzz's command line: the options, the help (examples, exit
// codes) and the parse. The target options (URL, CHAP, --writable, ...) are
// touchstone-conform's own, made into a target_config by its make_target()
// (conformance/tools/conform_options.cpp, linked into both tools).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace touchstone::fuzz::tool {

// The exit status, documented in --help and docs/fuzzing.md.
enum exit_status : int {
  exit_clean = 0,     // no finding
  exit_findings = 1,  // at least one finding (or, with --replay, a program that still gives one)
  exit_usage = 2,     // a usage or set-up error: a bad option, URL or program, a target not ready
};

struct options {
  std::string url;
  std::string mutual_chap, discovery_chap, initiator_name;
  int second_lun = -1;
  bool writable = false;
  double minutes = 0;          // 0: no time bound
  std::uint64_t sessions = 0;  // 0: no session bound
  std::uint64_t seed = 1;
  std::string corpus, findings, json;
  std::vector<std::string> replay;
  int judge_every = 100;   // K: liveness probes after this many sessions
  double wait = 0.25;      // seconds an expected answer is waited for
  int max_delay = 50;      // ms: a step's delay is cut to this while fuzzing
  bool no_preflight = false, quiet = false;
  std::string minimize, out, junit;  // --minimize FILE, --out FILE, --junit FILE
  double minimize_budget = 60;       // seconds per finding; 0: a campaign does not minimise
  bool minimize_trace = false;       // --minimize: one line per run (what it gave, where the time went)
  bool minimize_fresh = false;       // --minimize: restart the target before every run (--target-cmd)
  // Supervised targets (supervision_options.cpp, supervisor.hpp).
  std::string target_cmd;
  double target_start_timeout = 30;  // seconds
  int target_pid = 0;
  unsigned rss_limit = 0;  // MiB of VmRSS growth; 0: off
  double probe_wait = 1;   // seconds each step of a liveness probe waits
  int jobs = 1;                       // sessions at once
  std::string only_phase = "any";     // login, ffp, discovery
  std::string strategy = "structured";  // or random-bhs (the baseline)
  bool fixed_wait = false;            // --wait always, not the adaptive deadline
  double integrity_every = 10;        // seconds between canary rounds (with --writable); 0: off
  unsigned multi_rate = 10;           // percent of sessions that are program groups
};

void add_options(CLI::App& app, options& o);
// --target-cmd, --target-start-timeout, --target-pid, --rss-limit and their help.
void add_supervision_options(CLI::App& app, options& o);

// Parses argv: -1 to go on, else the status to exit with.
int parse_command_line(CLI::App& app, int argc, char** argv);

}  // namespace touchstone::fuzz::tool
