#!/bin/bash
# touchstone-target's command line as a new user meets it: exit statuses (0
# ok, 1 runtime failure, 2 usage or set-up error, CLI11's parse errors
# included), --help, host names in --listen, refused file LUNs, the no-LUN
# warning, a portal in use, --log-level warn, a closed stderr at shutdown, and
# ctl skipping the sockets of stopped instances. Every target is stopped.
set -u
BIN=${1:?usage: command_line.sh path/to/touchstone-target}
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
export XDG_RUNTIME_DIR=$WORK/run TOUCHSTONE_TARGET_CONTROL=
mkdir -p "$XDG_RUNTIME_DIR"
fails=0
pass() { echo "PASS $1"; }
failed() { echo "FAIL $1"; sed 's/^/    /' "$WORK/err" | tail -5; fails=$((fails + 1)); }

# status NAME WANT PATTERN ARGS...: the exit status of a command that ends by
# itself, and a grep -E PATTERN on its stdout and stderr (empty: none).
status() {
  local name=$1 want=$2 pattern=$3; shift 3
  timeout 10 "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" = "$want" ] && { [ -z "$pattern" ] || cat "$WORK/out" "$WORK/err" | grep -qE -- "$pattern"; }; then
    pass "$name"
  else
    echo "    exit $got, expected $want${pattern:+ and /$pattern/}"; failed "$name"
  fi
}

# start NAME ARGS...: a target in the background; sets PID and PORTAL.
start() {
  local name=$1; shift
  "$BIN" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!; PIDS+=("$PID")
  for _ in $(seq 50); do grep -q '^control ' "$WORK/$name.out" && break; sleep 0.1; done
  PORTAL=$(awk '/^portal /{print $2; exit}' "$WORK/$name.out")
}

status "--help exits 0 with examples and exit statuses" 0 'Exit status: 0' --help
status "ctl --help exits 0" 0 'Exit status: 0 answered' ctl --help
status "an unknown option exits 2 (not CLI11's 109)" 2 'no-such-option' --no-such-option
status "a value out of range exits 2 (not 105)" 2 'threads' --threads 0
status "ctl without a verb exits 2" 2 'verb' ctl
status "an unknown log level exits 2 and lists the names" 2 'warn \(or warning\)' --log-level loud
status "a config file that does not exist exits 2" 2 'cannot read' --config "$WORK/none.json"
status "a file LUN that does not exist, no size: exit 2" 2 'does not exist: give a size' \
  --listen 127.0.0.1:0 --lun "file:$WORK/missing.img"
if [ -e "$WORK/missing.img" ]; then failed "  ... and the file is not created"; else pass "  ... and the file is not created"; fi

start host --listen localhost:0 --lun mem:1MiB --control "$WORK/host.sock"
if [ -n "$PORTAL" ]; then pass "--listen localhost:0 resolves ($PORTAL)"; else cp "$WORK/host.err" "$WORK/err"; failed "--listen localhost:0"; fi
status "a portal in use exits 2 and suggests a free port" 2 'listen 127.0.0.1:0 picks a free port' \
  --listen "${PORTAL:-127.0.0.1:1}" --lun mem:1MiB --control "$WORK/second.sock"
kill "$PID"; wait "$PID" 2>/dev/null

start nolun --listen 127.0.0.1:0 --log-level warn --control "$WORK/nolun.sock"
kill "$PID"; wait "$PID"; rc=$?
cp "$WORK/nolun.err" "$WORK/err"
if grep -q 'warning.*has no LUNs' "$WORK/err"; then pass "no LUN: a warning"; else failed "no LUN: a warning"; fi
if [ "$rc" = 0 ] && ! grep -q ' info ' "$WORK/err"; then pass "--log-level warn: no info lines, exit 0"
else failed "--log-level warn: no info lines, exit 0 (got $rc)"; fi

# stderr a pipe whose reader has gone: shutdown lines must not kill the target.
"$BIN" --listen 127.0.0.1:0 --lun mem:1MiB --control "$WORK/pipe.sock" >"$WORK/pipe.out" 2> >(exit 0) &
PID=$!; PIDS+=("$PID")
for _ in $(seq 50); do [ -S "$WORK/pipe.sock" ] && break; sleep 0.1; done
sleep 0.2
kill "$PID"; wait "$PID"; rc=$?
: >"$WORK/err"
if [ "$rc" = 0 ] && [ ! -e "$WORK/pipe.sock" ]; then pass "closed stderr: exit 0, control socket removed"
else failed "closed stderr: exit 0, control socket removed (got $rc, socket $(ls "$WORK/pipe.sock" 2>&1))"; fi

# ctl finds the one live instance among sockets left by stopped ones.
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
  "$XDG_RUNTIME_DIR/touchstone-target-$(id -u)-127.0.0.1-1.sock"
start live --listen 127.0.0.1:0 --lun mem:1MiB
status "ctl skips a dead socket and asks the live instance" 0 'skipping .*-1.sock' ctl target.list
status "  ... the live instance answered" 0 'iqn.2026-11.org.touchstone:target' ctl target.list
status "ctl with a bad argument exits 2" 2 'key=value' ctl target.list notakeyvalue
status "ctl with an error answered exits 1" 1 'error -32001' ctl target.remove iqn=iqn.2026-11.org.touchstone:none
status "ctl on a socket nobody answers exits 1" 1 '' ctl --control "$XDG_RUNTIME_DIR/touchstone-target-$(id -u)-127.0.0.1-1.sock" stats
kill "$PID"; wait "$PID" 2>/dev/null
rm -f "$XDG_RUNTIME_DIR"/*.sock
status "ctl with no instance running exits 2" 2 'no running instance' ctl target.list

echo "$fails failed"
exit $((fails != 0))
