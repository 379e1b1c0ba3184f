#!/bin/sh
# Run every test and print one summary line: "N passed, N failed".
#
# Unit tests are the binaries $BUILD/tests/test_*; integration tests are
# tests/integration/t_*.sh. Each prints "ok - label" or "not ok - label:
# why" per case. A test that exits non-zero without reporting a failure
# (a crash, a sanitizer report) counts as one failed case.
#
# Usage: tests/run.sh [PATTERN]   (PATTERN selects tests by name, grep -E)

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=$top/build}"
: "${LEADGATE:=$top/leadgate}"
: "${TEST_TIMEOUT:=900}"
export BUILD LEADGATE TOP="$top"
pattern=${1:-.}

TMPDIR=${TMPDIR:-/tmp}/leadgate-tests.$$
mkdir -p "$TMPDIR"
export TMPDIR

passed=0
failed=0
failed_names=""

run_one() {
	name=$1
	shift
	out="$TMPDIR/$name.out"
	printf '== %s\n' "$name"
	timeout -k 10 "$TEST_TIMEOUT" "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exited with status $rc without reporting a failure"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: reported no result"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failed_names="$failed_names $name"
}

# The store's unit tests run on PostgreSQL too when a server is installed:
# one throwaway cluster for them (tests/lib/pg.sh), stopped at the end.
# LG_TEST_PG=0 turns it off; a caller's LG_TEST_PG_URL is used as is.
pg_started=0
if [ "${LG_TEST_PG:-1}" != 0 ] && [ -z "${LG_TEST_PG_URL:-}" ] &&
    echo test_store_ops | grep -Eq -- "$pattern"; then
	. "$top/tests/lib/pg.sh"
	if pg_start; then
		pg_started=1
		LG_TEST_PG_URL=$PG_URL
		LG_TEST_PG_PASSWORD_FILE=$PG_PASSWORD_FILE
		export LG_TEST_PG_URL LG_TEST_PG_PASSWORD_FILE
	else
		echo "note: store tests on SQLite only: $PG_WHY"
	fi
fi

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "$name" | grep -Eq -- "$pattern" || continue
	run_one "$name" "$t"
done

for t in "$top"/tests/integration/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	echo "$name" | grep -Eq -- "$pattern" || continue
	run_one "$name" sh "$t"
done

if [ "$pg_started" -eq 1 ]; then
	pg_stop
	rm -rf "$PG_DIR"
fi

[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$TMPDIR"
[ "$failed" -eq 0 ]
