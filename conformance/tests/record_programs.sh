#!/usr/bin/env bash
# touchstone-conform --record against the embedded reference target: one
# session program per case that ran (the NOP ping cases), each of which
# touchstone::fuzz's loader reads back within the bounds (fuzz_program_tests
# '[.record-dir]' on the directory).
# Usage: record_programs.sh TOUCHSTONE_CONFORM FUZZ_PROGRAM_TESTS
# Exit codes: 0 every program written and loadable; 1 a check failed; 2 usage.
set -uo pipefail
[ $# -eq 2 ] && [ -x "$1" ] && [ -x "$2" ] || {
  echo "usage: record_programs.sh TOUCHSTONE_CONFORM FUZZ_PROGRAM_TESTS" >&2; exit 2; }
tool=$1 loader=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-record.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

expected=$("$tool" --list --only 'nop.ping.*' | grep -cE '^nop\.ping\.')
"$tool" --no-colour --quiet --jobs 2 --only 'nop.ping.*' --record "$work/programs" > "$work/run.log" 2>&1 ||
  { cat "$work/run.log"; echo "FAIL: touchstone-conform --record exited non-zero"; exit 1; }
written=$(find "$work/programs" -name 'nop.ping.*.json' | wc -l)
if [ "$expected" -lt 1 ] || [ "$written" -ne "$expected" ]; then
  ls "$work/programs"
  echo "FAIL: $written programs for $expected cases"
  exit 1
fi
TOUCHSTONE_RECORD_DIR="$work/programs" "$loader" '[.record-dir]' || { echo "FAIL: a program does not load"; exit 1; }
echo "ok: $written programs, each loads within the bounds"
