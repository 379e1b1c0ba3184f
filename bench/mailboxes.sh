#!/bin/sh
# Scale benchmark (issue 17): one daemon against N IMAP mailboxes on one
# Dovecot (STARTTLS, IDLE, one connector per user). Prints the time until
# every mailbox idles, the daemon's RSS and descriptors (per mailbox),
# whether it stays up for HOLD seconds, and how long an inquiry saved to
# the last mailbox takes to become a lead.
#
#   bench/mailboxes.sh [N] [HOLD]          (1000, 60)
#
# LEADGATE=path runs another build (an older one, to compare).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
LEADGATE=${LEADGATE:-$top/leadgate}
. "$top/tests/lib/dovecot.sh"
. "$top/tests/lib/mailboxes.sh"
N=${1:-1000}
HOLD=${2:-60}
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$T_DIR"
D=$T_DIR/dove
mkdir -p "$D"
DPID=
trap '[ -n "$DPID" ] && kill -9 $DPID 2>/dev/null; dove_stop "$D"; rm -rf "$T_DIR"' EXIT INT TERM
# Nothing listens on port 1: autoreplies wait in the spool.
SINK_PORT=1
mb_dovecot "$D" "$N" && dove_start "$D" || exit 1
CONF=$T_DIR/leadgate.conf
mb_conf "$CONF" "$D" "$N"

now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }
alive() { kill -0 "$DPID" 2>/dev/null; }
report() {
	fds=$(mb_fds "$DPID")
	rss=$(mb_rss "$DPID")
	echo "$1: RSS $((rss / 1024)) MB ($((rss / N)) kB a mailbox), $fds descriptors ($(echo "scale=2; $fds / $N" | bc) a mailbox), links (idle connected other): $(mb_links "$CONF")"
}

echo "leadgate $LEADGATE (worktree at $(git -C "$top" rev-parse --short HEAD 2>/dev/null)), $N mailboxes, ulimit -n $(ulimit -n)"
t0=$(now)
"$LEADGATE" -c "$CONF" run 2>"$T_DIR/daemon.log" &
DPID=$!
idle=
while alive; do
	if [ "$(mb_links "$CONF" | cut -d' ' -f1)" -eq "$N" ]; then
		idle=$(now)
		break
	fi
	[ "$(echo "$(now) - $t0 > 300" | bc)" -eq 1 ] && break
	sleep 1
done
if ! alive; then
	echo "the daemon died after $(secs "$t0" "$(now)") s:"
	tail -3 "$T_DIR/daemon.log"
	exit 1
fi
[ -n "$idle" ] && echo "all $N idle after $(secs "$t0" "$idle") s" ||
    echo "not all idle after 300 s"
report "after start"
sleep "$HOLD"
alive || { echo "the daemon died within $HOLD s:"; tail -3 "$T_DIR/daemon.log"; exit 1; }
report "after $HOLD s more"
t1=$(now)
dove_save "$D" "m$N" INBOX "$top/tests/data/parse/immoscout24/plain-utf8.eml"
lead=
while [ "$(echo "$(now) - $t1 < 120" | bc)" -eq 1 ]; do
	if [ "$("$LEADGATE" -c "$CONF" leads list --json | grep -c '"id"')" -ge 1 ]; then
		lead=$(now)
		break
	fi
	sleep 0.1
done
[ -n "$lead" ] && echo "inquiry to m$N: a lead $(secs "$t1" "$lead") s after it was saved" ||
    echo "inquiry to m$N: no lead within 120 s"
alive && echo "the daemon is up" || echo "the daemon died"
grep -c 'FD_SETSIZE' "$T_DIR/daemon.log" | sed 's/^/select() aborts in the log: /'
