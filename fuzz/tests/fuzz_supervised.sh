#!/usr/bin/env bash
# touchstone-fuzz's supervised targets end to end (docs/fuzzing.md,
# "Supervised targets") with the reference target as the child:
# --target-cmd that prints its URL and serves (no finding, nothing left
# running afterwards, also after SIGTERM); one that dies (a crash finding
# with its exit status and stderr tail, then a restart); one that never
# prints a URL (exit 2); --target-pid of a process that exits (a crash
# finding, the run stops).
# Usage: fuzz_supervised.sh TOUCHSTONE_FUZZ TOUCHSTONE_TARGET
set -uo pipefail
tool=${1:?usage: fuzz_supervised.sh TOUCHSTONE_FUZZ TOUCHSTONE_TARGET}
target=${2:?usage: fuzz_supervised.sh TOUCHSTONE_FUZZ TOUCHSTONE_TARGET}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-fuzz-supervised.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
status=0
fail() { echo "FAIL: $*"; status=1; }
# A control socket path in $work marks our targets' command lines.
serve="$target --listen 127.0.0.1:0 --lun mem:16MiB --control $work/control"
left() { pgrep -f -- "--control $work/control" >/dev/null; }

# expect RC PATTERN ARGS...: exits RC, output (both streams) matches PATTERN.
expect() {
  local want=$1 pattern=$2; shift 2
  timeout 120 "$tool" "$@" >"$work/out" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "touchstone-fuzz $* exited $rc, not $want:"; sed 's/^/    /' "$work/out" | tail -12
  elif ! grep -Eq -- "$pattern" "$work/out"; then
    fail "touchstone-fuzz $*: no /$pattern/ in:"; sed 's/^/    /' "$work/out" | tail -12
  fi
}

# A target that serves: no finding, and its process group is gone at the end.
expect 0 "0 distinct finding" --target-cmd "$serve" --sessions 40 --quiet --findings "$work/serves"
left && fail "a target of --target-cmd still runs after the run"

# SIGTERM to the fuzzer: the summary, and the target is stopped too.
"$tool" --target-cmd "$serve" --minutes 5 --quiet --findings "$work/term" >"$work/term.out" 2>&1 &
fuzzer=$!
for _ in $(seq 1 100); do left && break; sleep 0.1; done
sleep 1
kill -TERM "$fuzzer"
wait "$fuzzer"
grep -q "stopped: interrupted" "$work/term.out" || { fail "no summary after SIGTERM:"; tail -5 "$work/term.out"; }
left && fail "a target of --target-cmd still runs after SIGTERM"

# A target that dies 1 s after its start: a crash finding with the exit
# status and the stderr tail, and a restart. SIGKILL, not SIGSEGV: under
# ASan a SIGSEGV is caught by the sanitizer, which exits with status 1.
dies="$serve & p=\$!; sleep 1; echo 'planted: the target is killed' >&2; kill -KILL \$p; wait \$p"
expect 1 "restarted it \(restart 1\)" --target-cmd "$dies" --minutes 0.05 --quiet --findings "$work/dies"
finding=$(ls "$work"/dies/crash-*/finding.json 2>/dev/null | head -1)
if [ -z "$finding" ]; then
  fail "no crash finding from a target that died"
else
  python3 - "$finding" <<'PY' || fail "the crash finding lacks the exit status or the stderr tail: $finding"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "crash", d["kind"]
assert d["target_exit"].startswith("exited with status 137"), d["target_exit"]
assert "planted: the target is killed" in d["stderr_tail"], d["stderr_tail"]
PY
fi
left && fail "a target of --target-cmd still runs after the run"

# A command that never prints a URL: a set-up error.
expect 2 "printed no iscsi:// URL within 1 s" --target-cmd "echo starting; sleep 30" --target-start-timeout 1 --sessions 1
true &
gone=$!
wait "$gone"
expect 2 "no such process" iscsi://127.0.0.1:1/iqn.2026-12.org.example:none/0 --target-pid "$gone" --sessions 1

# --target-pid: the watched target exits 1 s into the run: a crash finding
# ("exited"), the run stops (nothing can restart it).
$serve >"$work/banner" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do grep -q "^url " "$work/banner" && break; sleep 0.1; done
url=$(sed -n 's/^url //p' "$work/banner" | head -1)
(sleep 1; kill -KILL "$pid") &
expect 1 "cannot be restarted by the fuzzer, so the run stops" "$url" --target-pid "$pid" --minutes 1 --quiet \
  --findings "$work/pid"
wait "$pid" 2>/dev/null
grep -q '"target_exit": "exited' "$work"/pid/crash-*/finding.json 2>/dev/null ||
  fail "no crash finding with \"exited\" from --target-pid"

[ "$status" -eq 0 ] && echo "touchstone-fuzz supervised: every check passed"
exit "$status"
