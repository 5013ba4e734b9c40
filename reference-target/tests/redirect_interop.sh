#!/bin/bash
# Status class 01 with a real initiator: touchstone-target A redirects Normal
# logins to instance B (same IQN, a 64 MiB LUN where A has 16 MiB); libiscsi
# follows the TargetAddress, so iscsi-readcapacity16 through A's URL reports
# B's size. libiscsi 1.19 follows only "moved temporarily" (0101): a
# permanent redirect (0102) ends its login with "Target moved permanently",
# which is checked as such. Exit 77 when a tool is missing; the targets are
# always stopped.
set -u
usage() {
  echo "usage: redirect_interop.sh path/to/touchstone-target" >&2
  echo "exit codes: 0 every check passed; 1 a check failed; 2 usage or set-up error" \
       "(the target did not start); 77 a tool is missing (skip)" >&2
  exit 2
}
[ $# -eq 1 ] && [ -x "$1" ] || usage
TARGET_BIN=$1
for tool in iscsi-inq iscsi-readcapacity16 iscsi-ls; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
IQN=iqn.2026-11.org.touchstone:moved

# start NAME ARGS...: runs a target on an ephemeral port, sets PORTAL_<NAME>.
start() {
  local name=$1; shift
  "$TARGET_BIN" --listen 127.0.0.1:0 --iqn "$IQN" --control "$WORK/$name.sock" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.log" &
  PIDS+=($!)
  for _ in $(seq 50); do grep -q '^url ' "$WORK/$name.out" && break; kill -0 "${PIDS[-1]}" 2>/dev/null || break; sleep 0.1; done
  local portal
  portal=$(awk '/^portal /{print $2; exit}' "$WORK/$name.out")
  [ -n "$portal" ] || { echo "target $name did not start"; cat "$WORK/$name.log"; exit 2; }
  printf -v "PORTAL_$name" '%s' "$portal"
}
fails=0
check() {
  local name=$1; shift
  if "$@" >"$WORK/cmd.out" 2>&1; then echo "PASS $name"; else
    echo "FAIL $name"; sed 's/^/    /' "$WORK/cmd.out"; fails=$((fails + 1)); fi
}

start B --lun mem:64MiB
start A --lun mem:16MiB --redirect "$PORTAL_B"
start P --lun mem:16MiB --redirect "$PORTAL_B" --redirect-permanent
URL_A="iscsi://$PORTAL_A/$IQN/0"
check "iscsi-inq via A" iscsi-inq "$URL_A"
check "iscsi-readcapacity16 via A reports B's 64 MiB" \
  sh -c "iscsi-readcapacity16 '$URL_A' | grep -q 'Total size:67108864'"
check "libiscsi reports P's 0102" \
  sh -c "iscsi-inq 'iscsi://$PORTAL_P/$IQN/0' 2>&1 | grep -q 'Target moved permanently'"
check "A logged 0101" grep -q "redirected (0101) to $PORTAL_B" "$WORK/A.log"
check "P logged 0102" grep -q "redirected (0102) to $PORTAL_B" "$WORK/P.log"
check "discovery at A is not redirected" sh -c "iscsi-ls -s iscsi://$PORTAL_A | grep -q '$IQN'"
check "B served the sessions" grep -q "session TSIH" "$WORK/B.log"
if [ "$fails" -ne 0 ]; then for n in A P B; do echo "--- $n log"; tail -20 "$WORK/$n.log"; done; fi
exit $((fails != 0))
