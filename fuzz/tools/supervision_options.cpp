// touchstone-fuzz's options for supervised targets and the contract a
// --target-cmd command keeps (supervisor.hpp), in --help.
#include "fuzz_options.hpp"

namespace touchstone::fuzz::tool {
namespace {

const char* const supervision_help = R"(
Supervised targets:
  --target-cmd 'COMMAND' runs COMMAND through /bin/sh -c in a process group of
  its own. COMMAND serves one target and prints its URL on stdout (a line
  holding iscsi://..., e.g. "url iscsi://127.0.0.1:3261/iqn.x:y/0") within
  --target-start-timeout seconds; or, when the URL is given too, it only
  starts the target and the fuzzer waits until the URL's portal accepts
  connections. Its last 64 stderr lines are kept. When it exits, that is a
  crash finding with its exit status and stderr tail (finding.json), and the
  command is started again. At the end (or on Ctrl-C, SIGTERM) its process
  group gets SIGTERM, then SIGKILL after 5 s. Recipes: ci/peers/tgt-serve,
  ci/peers/istgt-serve; the reference target: 'touchstone-target --listen
  127.0.0.1:0 --lun mem:64MiB'.
  --target-pid PID watches a running target: its exit is a crash finding and
  ends the run; with --rss-limit MiB, VmRSS growth beyond MiB since the start
  (sampled at each liveness judgement) is a leak finding.
  touchstone-fuzz --target-cmd 'ci/peers/tgt-serve' --minutes 10 --findings findings-tgt
)";

}  // namespace

void add_supervision_options(CLI::App& app, options& o) {
  auto* cmd = app.add_option("--target-cmd", o.target_cmd,
                             "start the target with /bin/sh -c COMMAND, restart it after a crash (contract below)");
  app.add_option("--target-start-timeout", o.target_start_timeout,
                 "seconds --target-cmd has to print its URL or open its portal (default 30)")
      ->check(CLI::Range(0.1, 3600.0));
  auto* pid = app.add_option("--target-pid", o.target_pid, "watch the running target process PID: its exit, its RSS")
      ->check(CLI::Range(1, 1 << 22))
      ->excludes(cmd);
  app.add_option("--rss-limit", o.rss_limit,
                 "with --target-pid: VmRSS growth beyond MiB is a leak finding (default: off)")
      ->check(CLI::Range(1u, 1u << 20))
      ->needs(pid);
  app.footer(app.get_footer() + supervision_help);
}

}  // namespace touchstone::fuzz::tool
