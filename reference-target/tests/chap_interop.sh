#!/bin/bash
# CHAP with libiscsi's tools against touchstone-target on an ephemeral port:
# one-way and mutual CHAP logins, a wrong secret, authenticated discovery, and
# iscsi-ls with credentials against a discovery that does not use CHAP (libiscsi
# 1.19 then redeclares InitiatorName, which RFC 7143 answers with a Login
# reject, initiator error: docs/interop.md). Discovery uses the instance's
# settings: a first target that requires CRC32C does not make iscsi-ls (no
# digests) fail. Exit 77 (skip) when a tool is
# missing. The target is always stopped.
set -u
usage() {
  echo "usage: chap_interop.sh path/to/touchstone-target" >&2
  echo "exit codes: 0 every check passed; 1 a check failed; 2 usage or set-up error" \
       "(the target did not start); 77 a tool is missing (skip)" >&2
  exit 2
}
[ $# -eq 1 ] && [ -x "$1" ] || usage
TARGET_BIN=$1
for tool in iscsi-ls iscsi-inq; do
  command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
WORK=$(mktemp -d)
TARGET_PID=
stop_target() {
  [ -n "$TARGET_PID" ] && kill "$TARGET_PID" 2>/dev/null && wait "$TARGET_PID" 2>/dev/null
  TARGET_PID=
}
trap 'stop_target; rm -rf "$WORK"' EXIT

IQN=iqn.2026-11.org.touchstone:chap
DIGESTS_IQN=iqn.2026-11.org.touchstone:a-digests  # sorts first
USER=chap-initiator SECRET=chap-initiator-1
TUSER=chap-target TSECRET=chap-target-sec-2
DUSER=discovery-user DSECRET=discovery-secret

# start ARGS...: the target on 127.0.0.1:0; sets PORTAL.
start() {
  "$TARGET_BIN" --listen 127.0.0.1:0 "$@" >"$WORK/out" 2>"$WORK/log" &
  TARGET_PID=$!
  for _ in $(seq 50); do grep -q '^portal ' "$WORK/out" && break; kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 0.1; done
  PORTAL=$(awk '/^portal /{print $2; exit}' "$WORK/out")
  [ -n "$PORTAL" ] || { echo "target did not start"; cat "$WORK/log"; exit 2; }
}
fails=0
# check NAME EXPECT(ok|fail) PATTERN COMMAND...: the exit status, and PATTERN
# (a grep -E on the output, empty for none).
check() {
  local name=$1 expect=$2 pattern=$3; shift 3
  local got=ok
  "$@" >"$WORK/cmd.out" 2>&1 || got=fail
  if [ "$got" = "$expect" ] && { [ -z "$pattern" ] || grep -qE "$pattern" "$WORK/cmd.out"; }; then
    echo "PASS $name"
  else
    echo "FAIL $name (expected $expect${pattern:+ and /$pattern/}, got $got)"
    sed 's/^/    /' "$WORK/cmd.out"; fails=$((fails + 1))
  fi
}

cat >"$WORK/config.json" <<JSON
{"discovery": {"chap": {"user": "$DUSER", "secret": "$DSECRET"}},
 "targets": [{"iqn": "$DIGESTS_IQN", "limits": {"header_digest": "required", "data_digest": "required"}},
             {"iqn": "$IQN",
              "chap": {"user": "$USER", "secret": "$SECRET"},
              "mutual_chap": {"user": "$TUSER", "secret": "$TSECRET"},
              "luns": [{"store": "mem", "size": "16MiB"}]}]}
JSON
start --config "$WORK/config.json"
URL="iscsi://$USER%$SECRET@$PORTAL/$IQN/0"
check "CHAP login" ok 'DIRECT_ACCESS' iscsi-inq "$URL"
check "mutual CHAP login" ok 'DIRECT_ACCESS' iscsi-inq "$URL?target_user=$TUSER&target_password=$TSECRET"
check "wrong secret: authentication failure" fail 'Authentication failure' \
  iscsi-inq "iscsi://$USER%wrong-secret-123@$PORTAL/$IQN/0"
check "no credentials: authentication failure" fail 'Authentication failure' iscsi-inq "iscsi://$PORTAL/$IQN/0"
check "mutual CHAP, wrong target secret: refused by libiscsi" fail '' \
  iscsi-inq "$URL?target_user=$TUSER&target_password=not-the-secret"
check "authenticated discovery" ok "$IQN" iscsi-ls "iscsi://$DUSER%$DSECRET@$PORTAL"
check "  ... without digests, the first target requiring CRC32C" ok "$DIGESTS_IQN" \
  iscsi-ls "iscsi://$DUSER%$DSECRET@$PORTAL"
stop_target

# Discovery without CHAP, credentials given all the same: libiscsi offers
# AuthMethod=CHAP,None, the target selects None, and libiscsi's next request
# declares InitiatorName and SessionType a second time.
start --iqn "$IQN" --lun mem:16MiB --chap "$USER:$SECRET"
check "iscsi-ls with credentials, discovery without CHAP: initiator error" fail 'Initiator error' \
  iscsi-ls "iscsi://$USER%$SECRET@$PORTAL"
check "  ... the target names the redeclared key" ok 'key_renegotiated' cat "$WORK/log"
check "iscsi-ls without credentials" ok "$IQN" iscsi-ls "iscsi://$PORTAL"
stop_target

if [ "$fails" -ne 0 ]; then echo "--- target log"; tail -30 "$WORK/log"; fi
exit $((fails != 0))
