# Shared by the touchstone-fuzz shell tests (sourced, not run): the failure
# count, `expect`, and fuzz_test_target started in the background.
# The caller sets: tool (touchstone-fuzz), work (a scratch directory).
status=0
target_pid=
fail() { echo "FAIL: $*"; status=1; }

# The test's end: stop the test target, remove the scratch directory.
tool_test_cleanup() {
  [ -n "$target_pid" ] && kill "$target_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}

# expect RC PATTERN ARGS...: touchstone-fuzz ARGS (run in $work, at most
# 120 s) exits RC and its output (both streams, in $work/out) matches the
# extended regular expression PATTERN ('' matches anything).
expect() {
  local want=$1 pattern=$2; shift 2
  (cd "$work" && timeout 120 "$tool" "$@") >"$work/out" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "touchstone-fuzz $* exited $rc, not $want:"; sed 's/^/    /' "$work/out" | tail -12
  elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$work/out"; then
    fail "touchstone-fuzz $*: no /$pattern/ in:"; sed 's/^/    /' "$work/out" | tail -12
  fi
}

# start_test_target FUZZ_TEST_TARGET MODE: serves for 300 s at most; sets
# url and port, or ends the test when it does not start.
start_test_target() {
  "$1" "$2" 300 >"$work/url" 2>"$work/target.err" &
  target_pid=$!
  for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
  url=$(head -1 "$work/url")
  [ -n "$url" ] || { echo "fuzz_test_target did not start:"; cat "$work/target.err"; exit 1; }
  port=$(echo "$url" | sed -E 's|iscsi://127.0.0.1:([0-9]+)/.*|\1|')
}
