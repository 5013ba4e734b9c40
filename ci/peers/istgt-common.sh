# shellcheck shell=bash
# Sourced by ci/peers/istgt-start and ci/peers/istgt-serve: starts istgt on
# a free loopback port with two file-backed LUNs (LUN 0, the one under test,
# 64 MiB, and LUN 1, 16 MiB, for touchstone-conform's --second-lun) from a
# temporary config (Global, UnitControl, PortalGroup, InitiatorGroup,
# LogicalUnit sections) and records what it chose in STATE_DIR/env:
#   ISTGT_PORT, ISTGT_PID, ISTGT_IQN, ISTGT_LUN, ISTGT_SECOND_LUN, ISTGT_URL
# istgt_launch STATE_DIR LOG [--chap USER PASSWORD [--mutual TUSER TPASSWORD]]
# istgt runs in the background, a child of the calling shell, its output to
# LOG; the variables above are set in the caller too. Returns 1 when istgt is
# missing, exits, or its portal never opens. ci/peers/istgt-stop STATE_DIR
# stops it.

# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

# (The body is not indented: its heredocs are the config files as written.)
istgt_launch() {
local state=$1 log=$2
shift 2
local chap_user="" chap_password="" target_user="" target_password=""
if [ "${1:-}" = "--chap" ]; then chap_user=$2 chap_password=$3; fi
if [ "${4:-}" = "--mutual" ]; then target_user=$5 target_password=$6; fi
local istgt port control_port node_base name iqn backing second auth_method mutual_account pid up
istgt=$(command -v istgt || echo /usr/sbin/istgt)
[ -x "$istgt" ] || { echo "istgt: istgt not found (apt-get install istgt)" >&2; return 1; }

mkdir -p "$state"
state=$(cd "$state" && pwd)
port=$(free_port)
control_port=$(free_port)
while [ "$control_port" = "$port" ]; do control_port=$(free_port); done

node_base="iqn.2024-01.org.touchstone"
name="istgt-$port"
iqn="$node_base:$name"
backing="$state/lun0.img"
truncate -s 64M "$backing"
second="$state/lun1.img"
truncate -s 16M "$second"

auth_method=None
: >"$state/auth.conf"
if [ -n "$chap_user" ]; then
  auth_method=CHAP
  mutual_account=""
  if [ -n "$target_user" ]; then mutual_account=" \"$target_user\" \"$target_password\""; fi
  cat >"$state/auth.conf" <<AUTH
[AuthGroup1]
  Comment "the initiator's account"
  Auth "$chap_user" "$chap_password"$mutual_account
AUTH
fi

# Short timers keep the suite quick; ErrorRecoveryLevel 0 like the others
# unless ISTGT_ERROR_RECOVERY_LEVEL says otherwise (istgt-start --erl N).
cat >"$state/istgt.conf" <<CONF
[Global]
  Comment "touchstone interop"
  NodeBase "$node_base"
  PidFile $state/istgt.pid
  AuthFile $state/auth.conf
  MediaDirectory $state
  LogFacility "local7"
  Timeout 30
  NopInInterval 20
  DiscoveryAuthMethod Auto
  MaxSessions 64
  MaxConnections 4
  MaxR2T 32
  MaxOutstandingR2T 16
  DefaultTime2Wait 2
  DefaultTime2Retain 60
  FirstBurstLength 262144
  MaxBurstLength 1048576
  MaxRecvDataSegmentLength 262144
  InitialR2T Yes
  ImmediateData Yes
  DataPDUInOrder Yes
  DataSequenceInOrder Yes
  ErrorRecoveryLevel ${ISTGT_ERROR_RECOVERY_LEVEL:-0}

[UnitControl]
  Comment "istgtcontrol, loopback only"
  AuthMethod None
  Portal UC1 127.0.0.1:$control_port
  Netmask 127.0.0.1

[PortalGroup1]
  Comment "one loopback portal"
  Portal DA1 127.0.0.1:$port

[InitiatorGroup1]
  Comment "every initiator from loopback"
  InitiatorName "ALL"
  Netmask 127.0.0.1

[LogicalUnit1]
  Comment "file-backed disk"
  TargetName $name
  TargetAlias "touchstone interop"
  Mapping PortalGroup1 InitiatorGroup1
  AuthMethod $auth_method
  AuthGroup AuthGroup1
  UseDigest Auto
  UnitType Disk
  LUN0 Storage $backing 64MB
  LUN1 Storage $second 16MB
CONF

"$istgt" -D -c "$state/istgt.conf" >"$log" 2>&1 &
pid=$!
# shellcheck disable=SC2034  # for the caller
ISTGT_PID=$pid ISTGT_PORT=$port ISTGT_IQN=$iqn ISTGT_LUN=0 ISTGT_SECOND_LUN=1
cat >"$state/env" <<ENV
ISTGT_PORT=$port
ISTGT_PID=$pid
ISTGT_IQN=$iqn
ISTGT_LUN=0
ISTGT_SECOND_LUN=1
ENV

# Wait until the portal accepts connections.
up=""
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || { echo "istgt: istgt exited" >&2; return 1; }
  if port_open "$port"; then
    up=1; break
  fi
  sleep 0.1
done
[ -n "$up" ] || { echo "istgt: the portal never opened" >&2; return 1; }
ISTGT_URL="iscsi://127.0.0.1:$port/$iqn/0"
echo "ISTGT_URL=$ISTGT_URL" >>"$state/env"
}
