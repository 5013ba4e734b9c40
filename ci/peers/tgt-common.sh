# shellcheck shell=bash
# Sourced by ci/peers/tgt-start and ci/peers/tgt-serve: starts tgtd on a free
# loopback port with two file-backed LUNs (LUN 1, the one under test, 64 MiB,
# and LUN 2, 16 MiB, for touchstone-conform's --second-lun; LUN 0 is tgt's
# controller) and records what it chose in STATE_DIR/env:
#   TGT_PORT, TGT_CONTROL, TGT_PID, TGT_IQN, TGT_LUN, TGT_SECOND_LUN, TGT_URL
# tgt_launch STATE_DIR LOG [--chap USER PASSWORD [--mutual TUSER TPASSWORD]]
# tgtd runs in the background, a child of the calling shell, its output to
# LOG; the variables above are set in the caller too. Returns 1 when tgtd
# is missing or exits before its control socket opens. ci/peers/tgt-stop
# STATE_DIR stops it.

# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

tgt_launch() {
  local state=$1 log=$2
  shift 2
  local chap_user="" chap_password="" target_user="" target_password=""
  if [ "${1:-}" = "--chap" ]; then chap_user=$2 chap_password=$3; fi
  if [ "${4:-}" = "--mutual" ]; then target_user=$5 target_password=$6; fi

  local tgtd tgtadm
  tgtd=$(command -v tgtd || echo /usr/sbin/tgtd)
  tgtadm=$(command -v tgtadm || echo /usr/sbin/tgtadm)
  [ -x "$tgtd" ] || { echo "tgt: tgtd not found (apt-get install tgt)" >&2; return 1; }

  mkdir -p "$state"
  # A free TCP port on loopback, and a control number (-C) no other tgtd uses.
  local port control="" n
  port=$(free_port)
  for _ in $(seq 1 50); do
    n=$(( (RANDOM % 900) + 100 ))
    if [ ! -e "/var/run/tgtd/socket.$n" ] && [ ! -e "/var/run/tgtd.ipc_abstract_namespace.$n" ]; then
      control=$n; break
    fi
  done
  [ -n "$control" ] || { echo "tgt: no free control number" >&2; return 1; }

  local iqn="iqn.2024-01.org.touchstone:tgt-$port"
  truncate -s 64M "$state/lun1.img"
  truncate -s 16M "$state/lun2.img"

  "$tgtd" -f -C "$control" --iscsi "portal=127.0.0.1:$port" >"$log" 2>&1 &
  TGT_PID=$!
  # shellcheck disable=SC2034  # for the caller
  TGT_PORT=$port TGT_CONTROL=$control TGT_IQN=$iqn TGT_LUN=1 TGT_SECOND_LUN=2
  cat >"$state/env" <<ENV
TGT_PORT=$port
TGT_CONTROL=$control
TGT_PID=$TGT_PID
TGT_IQN=$iqn
TGT_LUN=1
TGT_SECOND_LUN=2
ENV

  adm() { "$tgtadm" -C "$control" --lld iscsi "$@"; }
  # tgtd takes a moment to open its control socket.
  for _ in $(seq 1 50); do
    if adm --op show --mode system >/dev/null 2>&1; then break; fi
    kill -0 "$TGT_PID" 2>/dev/null || { echo "tgt: tgtd exited" >&2; return 1; }
    sleep 0.1
  done
  adm --op new --mode target --tid 1 -T "$iqn" &&
    adm --op new --mode logicalunit --tid 1 --lun 1 -b "$state/lun1.img" &&
    adm --op new --mode logicalunit --tid 1 --lun 2 -b "$state/lun2.img" &&
    adm --op bind --mode target --tid 1 -I ALL || return 1
  if [ -n "$chap_user" ]; then
    adm --op new --mode account --user "$chap_user" --password "$chap_password" &&
      adm --op bind --mode account --tid 1 --user "$chap_user" || return 1
  fi
  if [ -n "$target_user" ]; then
    adm --op new --mode account --user "$target_user" --password "$target_password" &&
      adm --op bind --mode account --tid 1 --user "$target_user" --outgoing || return 1
  fi
  # Wait until the portal accepts connections.
  for _ in $(seq 1 50); do
    if port_open "$port"; then break; fi
    sleep 0.1
  done
  TGT_URL="iscsi://127.0.0.1:$port/$iqn/1"
  echo "TGT_URL=$TGT_URL" >>"$state/env"
}
