#!/usr/bin/env bash
# touchstone-fuzz's data-integrity oracle end to end (docs/fuzzing.md, "Data
# integrity: canary blocks"):
# - against fuzz_test_target corrupt (the reference target behind a proxy
#   that flips byte 100 of every block read after a write), a 5-session
#   --writable campaign with canary rounds every 0.2 s (the first after the
#   first session) finds an integrity
#   finding (exit 1; its folder, program.json, finding.json naming the
#   requirement; the --json report counts the kind), and --replay of its
#   program.json exits 1 with the departure;
# - against the embedded reference target, a 150-session --writable campaign
#   with --jobs 2 gives no integrity finding, while its canary rounds did
#   read blocks back (integrity_blocks_checked > 0 in the --json report).
# INTEGRITY_EVERY (default 0.2) sets --integrity-every: 0 switches the
# oracle off (then the first check fails: the test can fail).
# Usage: integrity_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET
set -uo pipefail
tool=${1:?usage: integrity_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET}
target=${2:?usage: integrity_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET}
every=${INTEGRITY_EVERY:-0.2}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-integrity.XXXXXX")
# shellcheck source=tool_test_lib.sh
. "$(dirname "$0")/tool_test_lib.sh"
trap tool_test_cleanup EXIT INT TERM
start_test_target "$target" corrupt

# run RC ARGS...: touchstone-fuzz exits RC (output in $work/out).
run() { local want=$1; shift; expect "$want" '' "$@"; }

run 1 "$url" --writable --integrity-every "$every" --sessions 5 --seed 3 --minimize-budget 0 \
  --findings corrupt --json corrupt.json -q
found=$(ls -d "$work"/corrupt/integrity-* 2>/dev/null | head -1)
if [ -z "$found" ]; then
  fail "no integrity finding against fuzz_test_target corrupt:"; tail -12 "$work/out" | sed 's/^/    /'
else
  grep -q '"requirement": "sbc3#section-5.11/read-returns-written-data"' "$found/finding.json" ||
    fail "$found/finding.json does not name the requirement"
  grep -q 'byte 100 of 512 differs' "$found/finding.json" || fail "$found/finding.json does not say which byte"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["findings"]["integrity"] >= 1' \
    "$work/corrupt.json" || fail "the --json report does not count the integrity finding"
  run 1 "$url" --replay "$found/program.json"
  grep -q 'integrity .*sbc3#section-5.11/read-returns-written-data' "$work/out" ||
    { fail "--replay did not reproduce the integrity finding:"; tail -12 "$work/out" | sed 's/^/    /'; }
fi

# The reference target (embedded): no integrity finding, blocks checked.
run 0 --writable --integrity-every "$every" --sessions 150 --jobs 2 --seed 5 --findings reference \
  --json reference.json -q
python3 - "$work/reference.json" <<'PY' || fail "the reference target: an integrity finding, or no canary checked"
import json, sys
report = json.load(open(sys.argv[1]))
print("reference target: findings", report["findings"], "canary rounds", report["integrity_rounds"],
      "blocks checked", report["integrity_blocks_checked"])
assert "integrity" not in report["findings"]
assert report["integrity_blocks_checked"] > 0
PY
exit $status
