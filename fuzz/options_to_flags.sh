#!/bin/sh
# Prints the libFuzzer flags a harness's fuzz/<name>.options holds, one line:
#   fuzz/options_to_flags.sh target_session
#   -> -max_len=20000 -dict=/abs/path/fuzz/target_session.dict
# The .options file (ClusterFuzz's format: a [libfuzzer] section of
# `key = value` lines) is the one source of these values: fuzz/CMakeLists.txt
# runs this script for the ctest fuzz runs, docs/fuzzing.md's commands run it
# too. A dict path is taken relative to fuzz/ and printed absolute (paths with
# spaces are not supported: the output is split on blanks).
# Exit codes: 0 flags printed; 2 usage error or no such .options file.
set -eu
usage() {
  echo "usage: options_to_flags.sh NAME   (NAME: a harness in fuzz/, e.g. target_session)" >&2
  echo "exit codes: 0 flags printed; 2 usage error or no fuzz/NAME.options" >&2
  exit 2
}
[ $# -eq 1 ] || usage
dir=$(cd "$(dirname "$0")" && pwd)
options="$dir/$1.options"
[ -f "$options" ] || { echo "no $options" >&2; usage; }
awk -v dir="$dir" '
  /^[ \t]*(#|;|$)/ { next }
  /^\[/ { section = $0; next }
  section == "[libfuzzer]" && index($0, "=") {
    key = $0; sub(/[ \t]*=.*/, "", key); sub(/^[ \t]*/, "", key)
    value = $0; sub(/^[^=]*=[ \t]*/, "", value); sub(/[ \t]*$/, "", value)
    if (key == "dict" && value !~ /^\//) value = dir "/" value
    flags = flags (flags == "" ? "" : " ") "-" key "=" value
  }
  END { print flags }
' "$options"
