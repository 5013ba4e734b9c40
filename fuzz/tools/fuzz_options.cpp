// touchstone-fuzz's options, their help, examples and exit codes.
#include "fuzz_options.hpp"

namespace touchstone::fuzz::tool {
namespace {

const char* const help_footer = R"(Examples:
  touchstone-fuzz --sessions 200                      fuzz the embedded reference target for 200 sessions
  touchstone-fuzz iscsi://192.0.2.7/iqn.2024-01.com.example:disk/0 --minutes 30 --corpus corpus --findings findings
  touchstone-fuzz iscsi://192.0.2.7/iqn.2024-01.com.example:disk/0 --replay findings/*/program.json

Without --minutes or --sessions the run goes on until interrupted (Ctrl-C
ends it with the summary). Before fuzzing the target is checked (connect,
log in, READ CAPACITY, log out), as touchstone-conform does. The state
graph (state-graph.dot, state-graph.json) goes into --findings DIR, or the
current folder.

Exit status:
  0  no finding (with --replay: no program gave one)
  1  a finding: crash, hang, stall, leak, protocol departure or integrity (with --replay: a program still gives one)
  2  a usage or set-up error: a bad option or URL, a program that does not load,
     a target that failed the check, a report that could not be written
)";

}  // namespace

void add_options(CLI::App& app, options& o) {
  app.add_option("url", o.url,
                 "iscsi://[user[%secret]@]host[:port]/target-iqn/lun (port default: 3260); "
                 "none: the embedded reference target");
  app.add_option("--mutual-chap", o.mutual_chap, "the target's CHAP USER%SECRET (mutual CHAP)");
  app.add_option("--discovery-chap", o.discovery_chap, "Discovery sessions authenticate with CHAP as USER%SECRET");
  app.add_option("--second-lun", o.second_lun, "a second LUN (0-16383)")->check(CLI::Range(0, 16383));
  app.add_flag("--writable", o.writable, "the LUN may be written (the preflight says so; programs write anyway)");
  app.add_option("--initiator-name", o.initiator_name, "the InitiatorName to log in with");
  app.add_option("--minutes", o.minutes, "stop after M minutes")->check(CLI::Range(0.001, 100000.0));
  app.add_option("--sessions", o.sessions, "stop after N sessions")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option("--seed", o.seed, "the PRNG seed (default 1): same seed, same programs");
  app.add_option("--corpus", o.corpus, "load DIR/*.json programs at start, write programs reaching new transitions there");
  app.add_option("--findings", o.findings, "write findings and the state graph to DIR (default: findings in ./touchstone-fuzz-findings, the graph in .)");
  app.add_option("--replay", o.replay, "run each program FILE once, report what it gives, exit 1 if any gives a finding")
      ->allow_extra_args(true);
  app.add_option("--json", o.json, "write a JSON report to FILE");
  app.add_option("--judge-every", o.judge_every, "probe the target's liveness every K sessions (default 100)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--wait", o.wait, "seconds an expected answer is waited for (default 0.25)")->check(CLI::Range(0.01, 60.0));
  app.add_option("--max-delay", o.max_delay,
                 "cut a step's delay to MS milliseconds while fuzzing (default 50; 2000 honours every delay; "
                 "--replay always does)")->check(CLI::Range(0, 2000));
  app.add_flag("--no-preflight", o.no_preflight, "fuzz even if the target fails the check before");
  app.add_flag("--quiet,-q", o.quiet, "no status lines, only the summary");
  app.add_option("--minimize", o.minimize,
                 "minimise the finding program FILE gives (the one its finding.json names) to the smallest "
                 "program that still reproduces it; exit 0 minimised, 1 it did not reproduce, 2 set-up error");
  app.add_option("--out", o.out, "with --minimize: write the smallest program to FILE (default: minimized.json beside it)");
  app.add_option("--minimize-budget", o.minimize_budget,
                 "seconds spent minimising one finding (default 60; 0: a campaign keeps findings as found)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_flag("--minimize-trace", o.minimize_trace,
               "with --minimize: print one line per run (steps, how the session ended, the liveness verdict, "
               "whether it showed the finding, seconds spent restarting, running and probing)");
  app.add_flag("--minimize-fresh", o.minimize_fresh,
               "with --minimize and a target touchstone-fuzz can restart: restart it before every run, so no "
               "run meets what an earlier one left (a heap corrupted without a crash)");
  app.add_option("--junit", o.junit, "write a JUnit XML report to FILE (a failing testcase per distinct finding)");
  app.add_option("--probe-wait", o.probe_wait,
                 "seconds each step of a liveness probe (connect, login, TEST UNIT READY, logout) waits "
                 "(default 1; a target whose logins take a second, as istgt's do, needs more)")
      ->check(CLI::Range(0.1, 60.0));
  app.add_option("--jobs,-j", o.jobs,
                 "run N sessions at once, each on its own connection (default 1; with N > 1 a seed fixes each "
                 "job's fresh programs, not the run)")->check(CLI::Range(1, 64));
  app.add_option("--only-phase", o.only_phase,
                 "fuzz one phase: login (fuzzed Login Requests), ffp (a legal login, then Full Feature Phase "
                 "steps), discovery (Discovery sessions, Text)")
      ->check(CLI::IsMember({"any", "login", "ffp", "discovery"}));
  app.add_option("--strategy", o.strategy,
                 "structured (default), or random-bhs: the baseline that sends random 48-byte BHSs after one "
                 "login, as SPDK's iscsi_fuzz does")
      ->check(CLI::IsMember({"structured", "random-bhs"}));
  app.add_flag("--fixed-wait", o.fixed_wait,
               "wait --wait for every owed answer (default: 4x the answer time's p99, at least 20 ms, at most --wait)");
  app.add_option("--integrity-every", o.integrity_every,
                 "with --writable: write canary blocks and read them back every SECONDS, a departure is an "
                 "integrity finding (default 10; 0: off)")->check(CLI::Range(0.0, 86400.0));
  app.add_option("--multi-rate", o.multi_rate,
                 "percent of sessions run as a program group: several sessions at once (persistent "
                 "reservations from 2-3 nexuses, session or connection reinstatement, one program racing "
                 "on 2-4 sessions; default 10, 0: none; not with --only-phase login or discovery)")
      ->check(CLI::Range(0, 100));
  app.footer(help_footer);
  add_supervision_options(app, o);
}

int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_clean : exit_usage;
  }
  return -1;
}

}  // namespace touchstone::fuzz::tool
