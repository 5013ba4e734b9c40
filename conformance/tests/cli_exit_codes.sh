#!/usr/bin/env bash
# touchstone-conform's exit codes (docs/conformance.md, "Exit status"):
# 0 every case passed or skipped, 1 departures, 2 a usage or set-up error.
# Every mistake a user can make on the command line ends in 2 with a message,
# never in 0 (a CI job trusts that) nor in CLI11's own codes (104-109); a
# report that could not be written ends in 2 whatever the verdicts were.
# Usage: cli_exit_codes.sh TOUCHSTONE_CONFORM
set -uo pipefail
tool=${1:?usage: cli_exit_codes.sh TOUCHSTONE_CONFORM}
work=$(mktemp -d "${TMPDIR:-/tmp}/touchstone-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
status=0
checks=0
fail() { echo "FAIL: $*"; status=1; }

# expect RC PATTERN ARGS...: the tool exits RC and its output (stdout and
# stderr together) matches the extended regular expression PATTERN.
expect() {
  local want=$1 pattern=$2; shift 2
  checks=$((checks + 1))
  timeout 120 "$tool" --no-colour "$@" >"$work/out" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "touchstone-conform $* exited $rc, not $want:"; sed 's/^/    /' "$work/out" | tail -8
  elif ! grep -Eq -- "$pattern" "$work/out"; then
    fail "touchstone-conform $*: no /$pattern/ in:"; sed 's/^/    /' "$work/out" | tail -8
  fi
}

# A port nothing listens on: bound, then closed.
free_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
quick=(--only nop.ping.echoes-itt)

# Help: 0, with the exit codes, examples and defaults.
expect 0 "Exit status" --help
expect 0 "touchstone-conform --list --tag" --help
expect 0 "default: 3" --help

# Parse errors: 2 (CLI11's message kept).
expect 2 "not expected" --bogus
expect 2 "jobs" --jobs 0
expect 2 "required" --json
# --timeout 0: refused in words, no 309-digit bound.
expect 2 "more than 0" --timeout 0
grep -Eq '[0-9]{20}' "$work/out" && fail "--timeout 0 prints a huge number: $(cat "$work/out")"
expect 2 "LUN" --second-lun -1
expect 2 "LUN" --second-lun 16384
expect 2 "not expected|--erl1" --erl1

# Selections that match nothing: 2, with a message.
expect 2 "no case" --only 'nop.pin.*'
expect 2 "no case" --list --tag nosuch
expect 2 "--from no.such.case: no selected case" --list --from no.such.case
expect 0 "^nop.ping.empty-echo" --list --only 'nop.ping.*' --from nop.ping.empty-echo
expect 0 "^nop +[0-9]+" --list-tags

# Profiles: a case that does not exist, a truncated file.
printf '{"cases": {"no.such.case": {"verdict": "fail", "reason": "r"}}}' >"$work/unknown.json"
expect 2 "no.such.case" "${quick[@]}" --profile "$work/unknown.json"
printf '{"target": "x", "cases": {' >"$work/truncated.json"
expect 2 "line 1, column" "${quick[@]}" --profile "$work/truncated.json"

# Reports that cannot be written: 2, before the run (a missing folder) or
# after it (the path is a folder).
expect 2 "cannot write" "${quick[@]}" --json /nonexistent/dir/r.json
expect 2 "cannot write" "${quick[@]}" --junit /nonexistent/dir/r.xml
mkdir -p "$work/a-folder"
expect 2 "cannot write" "${quick[@]}" --json "$work/a-folder"

# Preflight: nothing listens there.
expect 2 "connection refused \(is a target listening" "iscsi://127.0.0.1:$free_port/iqn.2024-01.org.touchstone:none/0" "${quick[@]}"

# A good run: 0, and the report is written.
expect 0 "1 pass" "${quick[@]}" --json "$work/r.json"
[ -s "$work/r.json" ] || fail "no JSON report written"

[ $status -eq 0 ] && echo "touchstone-conform: $checks exit-code checks passed"
exit $status
