#!/usr/bin/env bash
# touchstone-fuzz's findings end to end (docs/fuzzing.md, "Findings:
# minimised, replayed"), against fuzz_test_target depart: the reference
# target behind a proxy that breaks the one answer to its trigger ping (the
# NOP-In's F bit cleared, 11.19).
#   planted.json: the trigger among ten TEST UNIT READYs; clean.json: the ten.
# - --replay exits 1 on planted.json and 0 on clean.json, naming each file;
# - --minimize planted.json exits 0 with one step left, the trigger; --replay
#   of that minimized.json exits 1; --minimize clean.json exits 1;
# - a program group of clean.json and planted.json: --replay exits 1,
#   --minimize drops the clean session, then the steps, to the trigger; a
#   campaign of groups (--multi-rate 100) finds it: program.json holds the
#   group, traffic.pcap every connection;
# - a 20-session campaign with planted.json as its corpus finds the
#   departure, minimises it at once (program.json, minimized.json, finding.json
#   with "minimised" and the annotated PDUs) and writes --json's finding list
#   and a --junit report that parses (python3 xml.etree);
# - with --pcap instead: that campaign's traffic.pcap opens in tshark
#   without a malformed packet (ctest label interop; skipped without tshark).
# Usage: findings_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET [--pcap]
set -uo pipefail
tool=${1:?usage: findings_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET [--pcap]}
target=${2:?usage: findings_tool.sh TOUCHSTONE_FUZZ FUZZ_TEST_TARGET [--pcap]}
pcap_only=${3:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-findings.XXXXXX")
# shellcheck source=tool_test_lib.sh
. "$(dirname "$0")/tool_test_lib.sh"
trap tool_test_cleanup EXIT INT TERM
start_test_target "$target" depart

# planted.json: fuzz/tests/planted-departure.json (ten TEST UNIT READYs,
# follow numbering, and the trigger: a NOP-Out ping with the proxy's ITT
# 0x7e57d1e5, sent as written, as step 6); clean.json: without the trigger.
planted_source="$(dirname "$0")/planted-departure.json"
python3 - "$planted_source" "$work" <<'PY'
import json, sys
program = json.load(open(sys.argv[1]))
json.dump(program, open(sys.argv[2] + "/planted.json", "w"), indent=2)
program["steps"] = [s for s in program["steps"] if not s["pdu"]["opcode"].startswith("NOP-Out")]
assert len(program["steps"]) == 10
json.dump(program, open(sys.argv[2] + "/clean.json", "w"), indent=2)
PY

campaign() {
  mkdir -p "$work/corpus" && cp "$work/planted.json" "$work/corpus/"
  expect 1 "finding: protocol .*f-bit-set" "$url" --sessions 20 --seed 1 --quiet \
    --corpus "$work/corpus" --findings "$work/findings" --json "$work/report.json" --junit "$work/junit.xml" \
    --minimize-budget 30
  found=$(ls -d "$work"/findings/protocol-*/ 2>/dev/null | head -1)
  [ -n "$found" ] || { fail "no protocol finding folder in $work/findings"; return; }
  for f in program.json minimized.json finding.json traffic.pcap; do
    [ -s "$found/$f" ] || fail "no $f in $found"
  done
}

if [ "$pcap_only" = "--pcap" ]; then
  tshark=$(command -v tshark) || { echo "tshark is not installed: skipped"; exit 0; }
  campaign
  [ "$status" -eq 0 ] || exit "$status"
  complaints=$("$tshark" -n -r "$found/traffic.pcap" -d "tcp.port==$port,iscsi" \
    -Y '_ws.malformed || _ws.expert.severity >= 0x00600000' -T fields -e frame.number -e _ws.expert.message 2>/dev/null)
  frames=$("$tshark" -n -r "$found/traffic.pcap" -d "tcp.port==$port,iscsi" -Y iscsi 2>/dev/null | wc -l)
  [ "$frames" -gt 0 ] || fail "tshark shows no iSCSI frame in $found/traffic.pcap"
  [ -z "$complaints" ] || fail "tshark complains about $found/traffic.pcap: $complaints"
  [ "$status" -eq 0 ] && echo "touchstone-fuzz findings: the capture opens in tshark ($frames iSCSI frames)"
  exit "$status"
fi

expect 1 "planted.json: 1 finding.*" "$url" --replay "$work/planted.json"
grep -q "f-bit-set" "$work/out" || fail "--replay planted.json does not name the departure"
expect 0 "clean.json: no finding" "$url" --replay "$work/clean.json"
expect 0 "steps 11 -> 1 " "$url" --minimize "$work/planted.json" --out "$work/minimized.json"
python3 - "$work/minimized.json" <<'PY' || fail "minimized.json is not the trigger alone"
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
assert len(steps) == 1, steps
assert steps[0]["pdu"]["bhs"][32:40] == "7e57d1e5", steps[0]["pdu"]["bhs"]
PY
expect 1 "minimized.json: 1 finding" "$url" --replay "$work/minimized.json"
expect 1 "did not reproduce" "$url" --minimize "$work/clean.json"

# A program group (docs/fuzzing.md, "Several sessions at once"): the clean
# program and the planted one on two sessions, interleaved. --replay finds
# the departure; --minimize drops the clean session first, then the steps.
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
group = {"format": "touchstone-session-group/1", "schedule": [0, 1, 0, 1, 1, 0],
         "sessions": [json.load(open(w + "/clean.json")), json.load(open(w + "/planted.json"))]}
group["sessions"][1]["login"]["isid"] = "0x800000000002"
json.dump(group, open(w + "/group.json", "w"), indent=2)
PY
expect 1 "group.json: 1 finding.*" "$url" --replay "$work/group.json"
grep -q "f-bit-set" "$work/out" || fail "--replay group.json does not name the departure"
expect 0 "sessions 2 -> 1, steps 21 -> 1 " "$url" --minimize "$work/group.json" --out "$work/group-min.json"
python3 - "$work/group-min.json" <<'PY' || fail "group-min.json is not the trigger alone, as a program"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["format"] == "touchstone-session-program/1", doc["format"]
assert len(doc["steps"]) == 1 and doc["steps"][0]["pdu"]["bhs"][32:40] == "7e57d1e5", doc["steps"]
PY

# A campaign of groups only, its corpus group.json: the finding holds the
# group, its minimisation counts sessions, its capture every connection.
mkdir -p "$work/group-corpus" && cp "$work/group.json" "$work/group-corpus/"
expect 1 "finding: protocol .*f-bit-set" "$url" --sessions 10 --seed 1 --quiet --multi-rate 100 \
  --corpus "$work/group-corpus" --findings "$work/group-findings" --minimize-budget 30
python3 - "$work"/group-findings/protocol-*/ <<'PY' || fail "the group finding's folder is not as expected"
import json, struct, sys
d = sys.argv[1]
assert json.load(open(d + "/program.json"))["format"] == "touchstone-session-group/1"
m = json.load(open(d + "/finding.json"))["minimised"]
assert m["sessions_before"] == 2 and m["sessions_after"] == 1 and m["steps_after"] == 1, m
pcap = open(d + "/traffic.pcap", "rb").read()
assert struct.unpack("<I", pcap[20:24])[0] == 1, "not Ethernet"
off, conns = 24, set()
while off + 16 <= len(pcap):
    incl = struct.unpack("<I", pcap[off + 8:off + 12])[0]
    ip = pcap[off + 16 + 14:off + 16 + incl]
    off += 16 + incl
    tcp = ip[(ip[0] & 0xf) * 4:]
    conns.add(frozenset(struct.unpack(">HH", tcp[:4])))
assert len(conns) >= 2, conns
PY

campaign
python3 - "$work/report.json" "$work/junit.xml" "$found" <<'PY' || fail "the reports or the finding folder are not as expected"
import json, sys, xml.etree.ElementTree as ET
report = json.load(open(sys.argv[1]))
listed = [f for f in report["finding_list"] if "f-bit-set" in f["signature"]]
assert len(listed) == 1 and listed[0]["kind"] == "protocol" and listed[0]["minimised"], report["finding_list"]
assert listed[0]["count"] >= 1 and listed[0]["folder"].rstrip("/") == sys.argv[3].rstrip("/"), listed
suite = ET.parse(sys.argv[2]).getroot().find("testsuite")
failures = [c for c in suite.iter("testcase") if c.find("failure") is not None]
assert len(failures) == len(report["finding_list"]) >= 1, ET.tostring(suite)
assert any("f-bit-set" in c.get("name") for c in failures)
finding = json.load(open(sys.argv[3] + "/finding.json"))
assert finding["minimised"]["steps_after"] == 1 and finding["minimised"]["program"] == "minimized.json", finding["minimised"]
assert "--sessions 20" in finding["command_line"], finding["command_line"]
assert finding["pdus_sent"] and all("fields" in p for p in finding["pdus_sent"]), finding["pdus_sent"][:1]
assert len(json.load(open(sys.argv[3] + "/minimized.json"))["steps"]) == 1
PY

# No finding: a passing testcase "no findings".
expect 0 "0 distinct finding" --sessions 5 --seed 1 --quiet --findings "$work/clean" --junit "$work/clean.xml"
python3 -c '
import sys, xml.etree.ElementTree as ET
cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
assert [c.get("name") for c in cases] == ["no findings"] and cases[0].find("failure") is None
' "$work/clean.xml" || fail "--junit without findings is not one passing \"no findings\" testcase"

[ "$status" -eq 0 ] && echo "touchstone-fuzz findings: every check passed"
exit "$status"
