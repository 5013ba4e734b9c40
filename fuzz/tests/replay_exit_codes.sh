#!/bin/bash
# The replay driver's exit codes (fuzz/replay_main.cpp, docs/fuzzing.md):
# 0 no finding, 1 a finding, 2 usage or set-up error; libFuzzer flags are
# not inputs.
#   replay_exit_codes.sh FUZZ_HARNESS PROBE_HARNESS SEED_DIR
# FUZZ_HARNESS: a real harness linked to the replay driver (fuzz_pdu_framer);
# PROBE_HARNESS: fuzz/tests/replay_probe.cpp linked to it (aborts on inputs
# starting with "finding"); SEED_DIR: that harness's corpus.
# Exit codes of this script: 0 every check passed, 1 a check failed, 2 usage.
set -u
usage() { echo "usage: replay_exit_codes.sh FUZZ_HARNESS PROBE_HARNESS SEED_DIR" >&2
          echo "exit codes: 0 every check passed; 1 a check failed; 2 usage error" >&2; exit 2; }
[ $# -eq 3 ] && [ -x "$1" ] && [ -x "$2" ] && [ -d "$3" ] || usage
HARNESS=$1 PROBE=$2 SEEDS=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SEED=$(find "$SEEDS" -maxdepth 1 -type f | head -1)
[ -n "$SEED" ] || usage
printf 'finding here' >"$WORK/crash-probe"
printf 'harmless' >"$WORK/harmless"
mkdir "$WORK/empty"

fails=0
# check NAME EXPECTED-RC PATTERN COMMAND...: the exit code, and PATTERN (grep -E)
# in stdout+stderr.
check() {
  local name=$1 want=$2 pattern=$3; shift 3
  "$@" >"$WORK/out" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ] && grep -qE -- "$pattern" "$WORK/out"; then
    echo "PASS $name"
  else
    echo "FAIL $name (expected exit $want and /$pattern/, got exit $rc)"
    sed 's/^/    /' "$WORK/out"; fails=$((fails + 1))
  fi
}

check "a missing file is a set-up error" 2 'does not exist' "$HARNESS" "$WORK/no-such-crash"
check "a missing file among good ones is a set-up error" 2 'no-such-dir does not exist' \
  "$HARNESS" "$SEEDS" "$WORK/no-such-dir"
check "a libFuzzer flag is not an input" 0 '^replayed 1 inputs$' "$HARNESS" -runs=10 "$SEED"
check "  ... and the driver says it ignored it" 0 'ignoring -runs=10' "$HARNESS" -runs=10 "$SEED"
check "flags alone: no input, a set-up error" 2 'no input' "$HARNESS" -runs=10 -max_len=20000
check "an empty directory: no input" 2 'no input' "$HARNESS" "$WORK/empty"
check "no argument at all: usage" 2 'usage:' "$HARNESS"
check "--help names the exit codes" 0 'exit codes: 0 no finding; 1 a finding' "$HARNESS" --help
check "the corpus replays clean" 0 '^replayed [1-9][0-9]* inputs$' "$HARNESS" "$SEEDS"
check "an input without a finding" 0 '^replayed 1 inputs$' "$PROBE" "$WORK/harmless"
check "a finding exits 1 and names the input" 1 "finding: .*on input $WORK/crash-probe" \
  "$PROBE" "$WORK/harmless" "$WORK/crash-probe"
check "  ... after the harness's own message" 1 'replay_probe oracle failed' "$PROBE" "$WORK/crash-probe"
exit $((fails != 0))
