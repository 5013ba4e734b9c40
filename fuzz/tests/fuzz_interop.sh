#!/usr/bin/env bash
# A 60 s supervised touchstone-fuzz run (docs/interop.md, docs/fuzzing.md
# "Supervised targets"): --target-cmd COMMAND, seeded with a copy of
# corpus/netfuzz, --json report. Passes when the tool exited 0 or 1 and wrote
# its report (peer: a finding in someone else's target does not fail the
# test) or exited 0 with no finding (strict: the reference target). The
# fuzzer exiting 2, crashing or running past its bound fails it.
# Usage: fuzz_interop.sh TOUCHSTONE_FUZZ SEEDS_DIR peer|strict COMMAND [OPTION...]
# (OPTIONs go to touchstone-fuzz).
set -uo pipefail
tool=${1:?usage: fuzz_interop.sh TOUCHSTONE_FUZZ SEEDS_DIR peer|strict COMMAND}
seeds=${2:?seeds dir}
mode=${3:?peer or strict}
command=${4:?the --target-cmd command}
shift 4
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-fuzz-interop.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/corpus"
cp "$seeds"/*.json "$work/corpus/"

# 60 s of fuzzing, the start, the last liveness judgement and the stop:
# 150 s is a fuzzer that hangs.
timeout -k 10 150 "$tool" --target-cmd "$command" --minutes 1 --seed 1 \
  --corpus "$work/corpus" --findings "$work/findings" --json "$work/report.json" "$@" >"$work/out" 2>&1
rc=$?
tail -25 "$work/out"
fail() { echo "FAIL: $*"; exit 1; }
case $rc in
  0|1) ;;
  124|137) fail "touchstone-fuzz ran past 150 s (exit $rc)" ;;
  *) fail "touchstone-fuzz exited $rc" ;;
esac
[ -s "$work/report.json" ] || fail "no report.json"
python3 - "$work/report.json" <<'PY' || fail "report.json does not read as a run's report"
import json, sys
r = json.load(open(sys.argv[1]))
print("sessions %d in %.0f s (%.1f/s), transitions %d, findings %s, unconfirmed stalls %s, restarts %s, stopped: %s" % (
    r["sessions"], r["seconds"], r["sessions_per_second"], r["transitions"], r["findings"],
    r.get("unconfirmed"), r.get("restarts"), r["stopped"]))
assert r["sessions"] > 0
PY
# An unconfirmed stall (no replay showed it again: a deadline missed on a
# loaded machine) is in the report and its folder, not a finding.
confirmed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["distinct_findings"])' "$work/report.json")
if [ "$mode" = strict ] && { [ "$rc" -ne 0 ] || [ "$confirmed" != 0 ]; }; then
  for f in "$work"/findings/*-*/finding.json; do [ -f "$f" ] && sed 's/^/    /' "$f" | head -40; done
  fail "findings against the reference target (exit $rc)"
fi
echo "fuzz-interop ($mode): touchstone-fuzz exited $rc with its report"
