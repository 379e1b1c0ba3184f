# Shared helpers for integration tests (POSIX sh). Source it first:
#   . "$TOP/tests/lib/common.sh"
# Reports "ok - label" / "not ok - label: why" lines for tests/run.sh.

: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LEADGATE:=$TOP/leadgate}"
: "${TMPDIR:=/tmp}"

T_NAME=$(basename "$0" .sh)
T_DIR="$TMPDIR/$T_NAME.$$"
rm -rf "$T_DIR"
mkdir -p "$T_DIR"
T_FAILS=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; T_FAILS=$((T_FAILS + 1)); }

# check LABEL COMMAND...: ok when COMMAND exits 0.
check() {
	label=$1
	shift
	if "$@"; then ok "$label"; else not_ok "$label: command failed: $*"; fi
}

# check_eq LABEL GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: got [$2], want [$3]"
	fi
}

# check_file LABEL GOT_FILE WANT_FILE: a golden-file comparison with a diff.
check_file() {
	if diff -u "$3" "$2" >"$T_DIR/diff.out" 2>&1; then
		ok "$1"
	else
		not_ok "$1: differs from $3"
		sed 's/^/    /' "$T_DIR/diff.out" | head -40
	fi
}

# check_grep LABEL PATTERN FILE
check_grep() {
	if grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1: no line matches /$2/ in $3"
		sed 's/^/    /' "$3" | head -20
	fi
}

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [SECONDS]: wait until something listens on 127.0.0.1:PORT.
wait_port() {
	python3 - "$1" "${2:-10}" <<'PY'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

T_CLEANUPS=""
at_exit() { T_CLEANUPS="$*; $T_CLEANUPS"; }
t_finish() {
	eval "$T_CLEANUPS" 2>/dev/null
	[ "$T_FAILS" -eq 0 ] && rm -rf "$T_DIR"
	[ "$T_FAILS" -eq 0 ]
}
trap 'eval "$T_CLEANUPS" 2>/dev/null' INT TERM
