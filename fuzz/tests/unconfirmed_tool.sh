#!/usr/bin/env bash
# A stall counts as a finding only when a replay shows it again
# (docs/fuzzing.md, "Unconfirmed stalls"): against fuzz_test_target
# stall-once (the first trigger ping stalls its connection, later ones are
# answered: what a deadline missed on a loaded machine looks like) a campaign
# seeded with the trigger exits 0, says "unconfirmed stall", and its --json
# report holds the stall as unconfirmed (distinct_findings 0, finding.json
# "confirmed": false) and --junit as a skipped testcase; against
# fuzz_test_target stall (every trigger stalls) the same campaign exits 1
# with a confirmed stall finding.
# Usage: unconfirmed_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET PLANTED_PROGRAM
set -uo pipefail
tool=${1:?usage: unconfirmed_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET PLANTED_PROGRAM}
target=${2:?usage: unconfirmed_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET PLANTED_PROGRAM}
planted=${3:?usage: unconfirmed_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET PLANTED_PROGRAM}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-unconfirmed.XXXXXX")
# shellcheck source=tool_test_lib.sh
. "$(dirname "$0")/tool_test_lib.sh"
trap tool_test_cleanup EXIT INT TERM
mkdir -p "$work/corpus" && cp "$planted" "$work/corpus/planted.json"

# campaign NAME RC PATTERN SESSIONS: seeded with the trigger; report in NAME.json.
campaign() {
  expect "$2" "$3" "$url" --sessions "$4" --seed 1 --quiet --corpus "$work/corpus" --findings "$work/$1" \
    --json "$work/$1.json" --junit "$work/$1.xml" --minimize-budget 8
}

start_test_target "$target" stall-once
campaign once 0 "unconfirmed: no replay showed it again" 6
python3 - "$work/once.json" "$work/once.xml" "$work/once" <<'PY' || fail "the unconfirmed stall is not reported as such"
import glob, json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
assert r["distinct_findings"] == 0 and "stall" not in r["findings"], r["findings"]
assert r["unconfirmed"] >= 1, r
listed = [f for f in r["finding_list"] if f["kind"] == "stall"]
assert listed and not any(f["confirmed"] for f in listed), r["finding_list"]
folders = glob.glob(sys.argv[3] + "/stall-*/finding.json")
assert folders and all(json.load(open(f))["confirmed"] is False for f in folders), folders
suite = ET.parse(sys.argv[2]).getroot().find("testsuite")
assert suite.get("failures") == "0" and int(suite.get("skipped")) == len(listed), ET.tostring(suite)
PY
kill "$target_pid" 2>/dev/null; wait 2>/dev/null

start_test_target "$target" stall
campaign always 1 "finding: stall" 2
python3 - "$work/always.json" <<'PY' || fail "the stall that replays is not a finding"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"].get("stall", 0) >= 1 and r["distinct_findings"] >= 1, r["findings"]
assert any(f["kind"] == "stall" and f["confirmed"] for f in r["finding_list"]), r["finding_list"]
PY

[ "$status" -eq 0 ] && echo "touchstone-fuzz: an unrepeated stall is unconfirmed, a repeated one a finding"
exit "$status"
