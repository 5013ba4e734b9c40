#!/usr/bin/env bash
# touchstone-fuzz end to end (docs/fuzzing.md, "touchstone-fuzz"): 50
# sessions against the embedded reference target exit 0 with no finding (any
# finding against our own target is a bug) and write the state graph and the
# report; --replay of a program runs it; --multi-rate runs program groups
# under --only-phase ffp and none under login; the usage and set-up errors
# exit 2.
# Usage: fuzz_tool.sh TOUCHSTONE_FUZZ EXAMPLE_PROGRAM
set -uo pipefail
tool=${1:?usage: fuzz_tool.sh TOUCHSTONE_FUZZ EXAMPLE_PROGRAM}
example=${2:?usage: fuzz_tool.sh TOUCHSTONE_FUZZ EXAMPLE_PROGRAM}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# shellcheck source=tool_test_lib.sh
. "$(dirname "$0")/tool_test_lib.sh"

free_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

expect 0 "Exit status" --help
expect 2 "not expected|extraneous|not valid|unknown" --bogus
expect 2 "--replay .*no such file" --replay "$work/missing.json"
expect 2 "not ready" "iscsi://127.0.0.1:$free_port/iqn.2026-12.org.example:none/0" --sessions 1

expect 0 "0 distinct finding" --sessions 50 --seed 1 --quiet \
  --findings "$work/findings" --corpus "$work/corpus" --json "$work/report.json"
for f in findings/state-graph.dot findings/state-graph.json report.json; do
  [ -s "$work/$f" ] || fail "no $f"
done
grep -q '"sessions": 50' "$work/report.json" || fail "report.json does not count 50 sessions"
ls "$work/corpus"/*.json >/dev/null 2>&1 || fail "no program in the corpus"
if ls -d "$work"/findings/*-*/ >/dev/null 2>&1; then
  fail "findings against the reference target:"; ls "$work/findings"
fi

expect 0 "no finding" --replay "$example"

# Program groups (--multi-rate): made under --only-phase ffp, never under login.
expect 0 "0 distinct finding" --sessions 12 --seed 1 --quiet --multi-rate 100 --only-phase ffp \
  --findings "$work/groups" --json "$work/groups.json"
grep -Eq '"groups": [1-9]' "$work/groups.json" || fail "--multi-rate 100 --only-phase ffp ran no group"
expect 0 "0 distinct finding" --sessions 12 --seed 1 --quiet --multi-rate 100 --only-phase login \
  --findings "$work/nogroups" --json "$work/nogroups.json"
grep -q '"groups": 0' "$work/nogroups.json" || fail "--only-phase login ran a group"
[ "$status" -eq 0 ] && echo "touchstone-fuzz: every check passed"
exit "$status"
