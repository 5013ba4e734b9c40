#!/bin/bash
# Management interop: touchstone-target started from a config file on an
# ephemeral port with its control socket in a temp dir; `touchstone-target
# ctl` adds a LUN, libiscsi's iscsi-ls / iscsi-inq / iscsi-readcapacity16 see
# it served; SIGHUP reloads (a bad config is refused and the old one kept);
# a second instance runs side by side; SIGTERM stops cleanly. Exit 77 (skip)
# when a libiscsi tool is missing. The targets are always stopped.
set -u
usage() {
  echo "usage: management.sh path/to/touchstone-target" >&2
  echo "exit codes: 0 every check passed; 1 a check failed; 2 usage or set-up error" \
       "(the target did not start); 77 a tool is missing (skip)" >&2
  exit 2
}
[ $# -eq 1 ] && [ -x "$1" ] || usage
BIN=$1
for tool in iscsi-ls iscsi-inq iscsi-readcapacity16; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

IQN=iqn.2026-11.org.touchstone:managed
write_config() {  # $1: extra target JSON (may be empty)
  cat >"$WORK/target.json" <<EOF
{
  "portals": ["127.0.0.1:0"],
  "targets": [
    {"iqn": "$IQN", "alias": "managed",
     "luns": [{"lun": 0, "store": "mem", "size": "16MiB"}]}$1
  ]
}
EOF
}
write_config ""

start() {  # $1: name; starts an instance with $WORK/$1.sock, output in $WORK/$1.out/.log
  "$BIN" --config "$WORK/target.json" --control "$WORK/$1.sock" >"$WORK/$1.out" 2>"$WORK/$1.log" &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q '^control ' "$WORK/$1.out" && return 0; kill -0 "${PIDS[-1]}" 2>/dev/null || break; sleep 0.1; done
  echo "instance $1 did not start"; cat "$WORK/$1.log"; exit 2
}
start a
PID=${PIDS[0]}
PORTAL=$(awk '/^portal /{print $2; exit}' "$WORK/a.out")
CTL=("$BIN" ctl --control "$WORK/a.sock")

fails=0
check() {
  local name=$1; shift
  if "$@" >"$WORK/cmd.out" 2>&1; then echo "PASS $name"; else
    echo "FAIL $name"; sed 's/^/    /' "$WORK/cmd.out"; fails=$((fails + 1)); fi
}

check "ephemeral port reported" sh -c "echo '$PORTAL' | grep -qv ':0$'"
check "--help lists the leniencies with their requirement ids" \
  sh -c "$(printf '%q' "$BIN") --help | grep -q 'data-sn (rfc7143#section-7.9/data-sn)'"
check "--allow of an unknown rule is refused" sh -c \
  "timeout 10 $(printf '%q' "$BIN") --listen 127.0.0.1:0 --lun mem:1MiB --allow no-such-rule >'$WORK/allow.out' 2>&1; rc=\$?; [ \$rc -ne 0 ] && [ \$rc -ne 124 ] && grep -q 'not in' '$WORK/allow.out'"
check "ctl target.list" sh -c "$(printf '%q ' "${CTL[@]}") target.list | grep -q '$IQN'"
check "ctl lun.add" sh -c "$(printf '%q ' "${CTL[@]}") lun.add target=$IQN store=mem size=32MiB | grep -q '^lun: 1$'"
check "ctl lun.list shows both" sh -c "$(printf '%q ' "${CTL[@]}") --json lun.list target=$IQN | grep -c '\"lun\"' | grep -qx 2"
check "iscsi-ls lists LUN 1" sh -c "iscsi-ls -s iscsi://$PORTAL | grep -q 'Lun:1 '"
check "iscsi-inq on LUN 1" iscsi-inq "iscsi://$PORTAL/$IQN/1"
check "iscsi-readcapacity16 LUN 1 is 32 MiB" \
  sh -c "iscsi-readcapacity16 iscsi://$PORTAL/$IQN/1 | grep -q 'Total size:33554432'"
check "stats counted commands" \
  sh -c "$(printf '%q ' "${CTL[@]}") --json stats | grep -q '\"commands\": [1-9]'"
check "bad params give -32602" \
  sh -c "$(printf '%q ' "${CTL[@]}") lun.add target=$IQN store=mem size=lots 2>&1 | grep -q 'error -32602: params.size: expected a size like 64MiB'"

# SIGHUP: a second target appears; a bad config is refused and the old one kept.
write_config ', {"iqn": "iqn.2026-11.org.touchstone:second", "luns": [{"store": "null", "size": "1GiB"}]}'
kill -HUP "$PID"
sleep 0.5
check "SIGHUP added a target" sh -c "$(printf '%q ' "${CTL[@]}") target.list | grep -q ':second'"
echo '{"targets": [{"iqn": "bad name"}]}' >"$WORK/target.json"
kill -HUP "$PID"
sleep 0.5
check "SIGHUP refused a bad config" grep -q 'reload refused.*targets\[0\].iqn' "$WORK/a.log"
check "old config kept" sh -c "$(printf '%q ' "${CTL[@]}") target.list | grep -q ':second'"

# A second instance side by side.
write_config ""
start b
check "second instance serves" sh -c "iscsi-inq iscsi://$(awk '/^portal /{print $2; exit}' "$WORK/b.out")/$IQN/0"

# SIGTERM: a clean exit, control socket gone.
kill -TERM "$PID"
wait "$PID"
rc=$?
PIDS=("${PIDS[@]:1}")
check "SIGTERM exit status 0" test "$rc" -eq 0
check "control socket removed" test ! -e "$WORK/a.sock"

if [ "$fails" -ne 0 ]; then echo "--- target log"; tail -30 "$WORK/a.log"; fi
exit $((fails != 0))
