#!/bin/bash
# Interop: libiscsi's tools and qemu-img against touchstone-target on an
# ephemeral port. Exit 77 (skip) when a tool is missing. The target is always
# stopped, pass or fail.
set -u
usage() {
  echo "usage: interop.sh path/to/touchstone-target" >&2
  echo "exit codes: 0 every check passed; 1 a check failed; 2 usage or set-up error" \
       "(the target did not start); 77 a tool is missing (skip)" >&2
  exit 2
}
[ $# -eq 1 ] && [ -x "$1" ] || usage
TARGET_BIN=$1
for tool in iscsi-ls iscsi-inq iscsi-readcapacity16 qemu-img; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
WORK=$(mktemp -d)
TARGET_PID=
cleanup() {
  [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null && wait "$TARGET_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$TARGET_BIN" --listen 127.0.0.1:0 --lun mem:64MiB >"$WORK/out" 2>"$WORK/log" &
TARGET_PID=$!
for _ in $(seq 50); do grep -q '^url ' "$WORK/out" && break; kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 0.1; done
PORTAL=$(awk '/^portal /{print $2; exit}' "$WORK/out")
IQN=$(awk '/^iqn /{print $2; exit}' "$WORK/out")
[ -n "$PORTAL" ] || { echo "target did not start"; cat "$WORK/log"; exit 2; }
URL="iscsi://$PORTAL/$IQN/0"
fails=0
check() {
  local name=$1; shift
  if "$@" >"$WORK/cmd.out" 2>&1; then echo "PASS $name"; else
    echo "FAIL $name"; sed 's/^/    /' "$WORK/cmd.out"; fails=$((fails + 1)); fi
}
check "iscsi-ls discovery" sh -c "iscsi-ls -s iscsi://$PORTAL | grep -q '$IQN'"
check "iscsi-inq" iscsi-inq "$URL"
check "iscsi-readcapacity16" sh -c "iscsi-readcapacity16 '$URL' | grep -q 'Total size:67108864'"
head -c $((8 << 20)) /dev/urandom >"$WORK/in.raw"
check "qemu-img write" qemu-img convert -n -f raw -O raw "$WORK/in.raw" "$URL"
check "qemu-img read" qemu-img convert -f raw -O raw "$URL" "$WORK/back.raw"
check "round trip checksum" sh -c "head -c $((8 << 20)) '$WORK/back.raw' | cmp - '$WORK/in.raw'"
if [ "$fails" -ne 0 ]; then echo "--- target log"; tail -50 "$WORK/log"; fi
exit $((fails != 0))
