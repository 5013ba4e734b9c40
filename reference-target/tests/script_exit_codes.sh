#!/bin/bash
# The exit codes of the interop scripts in this folder (docs/interop.md):
# 0 all good, 1 failures, 2 usage or set-up error, 77 skip. Checks that each
# script's usage names its exit codes and exits 2, that a target binary that
# never starts is a set-up error (2, not a failure), and that
# iscsi_test_cu.sh with a family matching no test exits 2 instead of passing
# "total 0 ran 0".
#   script_exit_codes.sh path/to/touchstone-target
# Exit codes: 0 every check passed; 1 a check failed; 2 usage error.
set -u
[ $# -eq 1 ] && [ -x "$1" ] || {
  echo "usage: script_exit_codes.sh path/to/touchstone-target" >&2
  echo "exit codes: 0 every check passed; 1 a check failed; 2 usage error" >&2; exit 2; }
TARGET_BIN=$1
# The scripts check their tools before they start a target: without them
# they skip (77) and the set-up checks below would not be reached.
for tool in iscsi-ls iscsi-inq iscsi-readcapacity16 qemu-img iscsi-test-cu; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fails=0
# check NAME EXPECTED-RC PATTERN COMMAND...: the exit code, and PATTERN
# (grep -E) in stdout+stderr.
check() {
  local name=$1 want=$2 pattern=$3; shift 3
  timeout 120 "$@" >"$WORK/out" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ] && grep -qE -- "$pattern" "$WORK/out"; then echo "PASS $name"; else
    echo "FAIL $name (expected exit $want and /$pattern/, got exit $rc)"
    sed 's/^/    /' "$WORK/out"; fails=$((fails + 1)); fi
}

for script in interop chap_interop redirect_interop management iscsi_test_cu; do
  check "$script.sh without arguments: usage with the exit codes" 2 '^exit codes: 0 .*; 2 usage' \
    "$HERE/$script.sh"
  check "$script.sh with a target that does not start: set-up error" 2 'did not start' \
    "$HERE/$script.sh" /bin/false
done
check "iscsi_test_cu.sh with an unknown MODE: usage" 2 'unknown MODE' \
  "$HERE/iscsi_test_cu.sh" "$TARGET_BIN" ALL no-such-mode
check "iscsi_test_cu.sh with a family that matches nothing: exit 2" 2 \
  '^no test matched ALL.SCSI.TestUnitReady' "$HERE/iscsi_test_cu.sh" "$TARGET_BIN" ALL.SCSI.TestUnitReady
check "iscsi_test_cu.sh with one test: it ran and passed" 0 '^total 1 ran 1 passed 1 failed 0' \
  "$HERE/iscsi_test_cu.sh" "$TARGET_BIN" ALL.TestUnitReady.Simple
exit $((fails != 0))
