#!/usr/bin/env bash
# Runs one CLI golden case: tests/cli/<case>/cmd is a bash script run in a
# fresh directory with an isolated environment; its stdout must equal `out`,
# its exit status `status` (default 0), and its stderr `err` when that exists.
# On a mismatch, the diff is printed. tests/accept CASE... records new expectations.
set -u
bin=$1 case_dir=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/config"
cd "$work" || exit 1
ln -s "$src/fixtures" fixtures  # cases name fixtures/... so messages do not depend on the checkout
# Nothing from the developer's environment leaks in.
for v in $(env | grep -o '^INFLUENCE_[A-Z_]*'); do unset "$v"; done
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC
export BIN="$bin" SRC="$src" FIXTURES="$src/fixtures" CASE="$case_dir"
influence() { "$BIN" --no-config "$@"; }
export -f influence
bash "$case_dir/cmd" > "$work/.out" 2> "$work/.err" < /dev/null
status=$?
# ACCEPT=1 records what the binary did as the expectation (review the diff!).
if [ "${ACCEPT:-0}" = 1 ]; then
  cp "$work/.out" "$case_dir/out"
  [ -f "$case_dir/err" ] && cp "$work/.err" "$case_dir/err"
  if [ "$status" != 0 ]; then echo "$status" > "$case_dir/status"; else rm -f "$case_dir/status"; fi
  exit 0
fi
expected_status=0
[ -f "$case_dir/status" ] && expected_status=$(cat "$case_dir/status")
ok=1
if ! diff -u "$case_dir/out" "$work/.out" > "$work/.diff"; then
  echo "stdout differs from $case_dir/out:"; cat "$work/.diff"; ok=0
fi
if [ -f "$case_dir/err" ] && ! diff -u "$case_dir/err" "$work/.err" > "$work/.diff"; then
  echo "stderr differs from $case_dir/err:"; cat "$work/.diff"; ok=0
fi
if [ "$status" != "$expected_status" ]; then
  echo "exit status $status, expected $expected_status"; echo "stderr:"; cat "$work/.err"; ok=0
fi
[ $ok = 1 ] && exit 0 || exit 1
