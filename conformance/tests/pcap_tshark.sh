#!/usr/bin/env bash
# --pcap-dir against tshark: the captures touchstone-conform writes open in
# Wireshark's dissector, which names the iSCSI PDUs they carry and finds no
# malformed packet and no TCP sequence problem.
#  1. the embedded reference target, a few cases, --pcap-all: every case's file;
#  2. a silent "target" (accepts, never answers): the error case gets a file
#     without --pcap-all, the initiator's Login Command in it.
# Usage: pcap_tshark.sh TOUCHSTONE_CONFORM
# Exit codes: 0 every capture checked and clean; 1 a check failed; 2 usage
# error; 77 tshark missing (skip).
set -uo pipefail
[ $# -eq 1 ] && [ -x "$1" ] || {
  echo "usage: pcap_tshark.sh TOUCHSTONE_CONFORM" >&2
  echo "exit codes: 0 every capture clean; 1 a check failed; 2 usage error; 77 tshark missing" >&2
  exit 2; }
tool=$1
command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-pcap.XXXXXX")
listener=""
cleanup() { [ -n "$listener" ] && kill "$listener" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
status=0
fail() { echo "FAIL: $*"; status=1; }

# check FILE EXPECTED-OPCODE...: tshark names each opcode, finds nothing wrong.
check() {
  local file=$1; shift
  local port
  port=$(tshark -r "$file" -c 1 -T fields -e tcp.dstport 2>/dev/null)
  [ -n "$port" ] || { fail "$file: tshark reads no TCP frame"; return; }
  local named
  named=$(tshark -r "$file" -d "tcp.port==$port,iscsi" -T fields -e iscsi.opcode 2>/dev/null)
  for opcode in "$@"; do
    grep -qw "$opcode" <<<"$named" || fail "$file: no iSCSI opcode $opcode in: $(tr '\n' ' ' <<<"$named")"
  done
  local bad
  bad=$(tshark -r "$file" -d "tcp.port==$port,iscsi" -Y '_ws.malformed || tcp.analysis.flags' 2>/dev/null)
  [ -z "$bad" ] || fail "$file: tshark finds problems: $bad"
}

# 1. Login Command 0x03 and Login Response 0x23 in every capture (tshark
#    prints opcodes as hex numbers). The verdicts do not matter here.
"$tool" --only 'nop.*' --pcap-dir "$work/all" --pcap-all --no-colour >"$work/all.log" 2>&1
[ $? -le 1 ] || { cat "$work/all.log"; fail "the embedded run did not complete"; }
n=$(ls "$work/all"/*.pcap 2>/dev/null | wc -l)
[ "$n" -ge 1 ] || fail "no capture written with --pcap-all"
for f in "$work/all"/*.pcap; do check "$f" 0x03 0x23; done
echo "embedded: $n capture(s) checked"

# 2. A listener that never answers: the case ends in error and is captured
#    (--no-preflight: the preflight would stop the run before any case).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
held = []
while True:
    c, _ = s.accept(); held.append(c)
PY
listener=$!
for _ in $(seq 1 50); do
  python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))" && break
  sleep 0.1
done
"$tool" "iscsi://127.0.0.1:$port/iqn.2024-01.org.touchstone:silent/0" --only nop.ping.echoes-data \
  --wait 0.5 --timeout 3 --pcap-dir "$work/errors" --no-colour --no-preflight >"$work/errors.log" 2>&1
[ $? -eq 1 ] || { cat "$work/errors.log"; fail "a silent target should make the run fail"; }
f="$work/errors/nop.ping.echoes-data.pcap"
if [ -f "$f" ]; then check "$f" 0x03; else cat "$work/errors.log"; fail "no capture of the error case"; fi
grep -q "capture: $f" "$work/errors.log" || fail "the report does not name the capture"
[ $status -eq 0 ] && echo "pcap captures open in tshark with their iSCSI opcodes named"
exit $status
