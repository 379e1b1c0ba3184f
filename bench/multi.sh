#!/bin/sh
# Several gateways on one PostgreSQL (issue 24) next to one on SQLite:
# COUNT realistic inquiries (bench/lib/gen_inquiries.py --unique) in a
# Dovecot folder are ingested by `leadgate run` daemons (the time from
# their start until the store holds COUNT leads), then a campaign to
# those COUNT contacts (`mail bulk`, then the daemons deliver to
# smtp-sink; the time from the command's start until every message is
# sent). Three set-ups, interleaved, their order turning every round:
#
#   sqlite  one daemon, SQLite
#   pg1     one daemon, PostgreSQL (a throwaway cluster, fsync on)
#   pg3     three daemons on that PostgreSQL, sharing the work
#
# Each run starts from an empty store and the server's flags cleared.
# A connector is one instance's at a time (leases), so three instances
# give availability, not more ingest throughput for one mailbox: pg3 next
# to pg1 shows what the coordination costs. The delivery is every
# instance's at once (claims), each with a spool folder of its own, the
# messages' texts in the store, as on hosts of their own. Each round
# prints every time; the end prints min and median of each and of the
# ratios pg1/sqlite and pg3/pg1.
#
#   bench/multi.sh [COUNT] [RUNS]          (10000, 3)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/dovecot.sh"
. "$top/tests/lib/pg.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
runs=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
sink_pid=""
stop_daemons() {
	for f in "$dir"/run.*/p*/pid; do
		[ -f "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null || true
		wait "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	done
}
trap 'stop_daemons; [ -n "$sink_pid" ] && kill $sink_pid; dove_stop "$dir";
    pg_stop; rm -rf "$dir" "${PG_DIR:-}"' EXIT INT TERM

pg_start || { echo "bench/multi.sh: $PG_WHY" >&2; exit 1; }
pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=on \
    -c max_connections=100" restart >/dev/null
FILL_UNIQUE=${FILL_UNIQUE-1} DOVE_OWNER=$$ "$top/bench/lib/dovecot_fill.sh" "$dir" "$count"
sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
smtp-sink $( [ "$(id -u)" -eq 0 ] && echo "-u nobody" ) "127.0.0.1:$sink_port" 256 \
    >/dev/null 2>&1 &
sink_pid=$!

grep -v 'autoreply = ' "$top/etc/rules.conf" >"$dir/rules.conf"
printf 'pw-bench\n' >"$dir/bench.pw"
chmod 600 "$dir/bench.pw"
# conf NAME N STORE-BLOCK: $dir/run.NAME/N.conf (instance N of set-up NAME).
conf() {
	mkdir -p "$dir/run.$1"
	cat >"$dir/run.$1/$2.conf" <<CONF
$3
pipelines = "$top/etc/pipelines.conf";
rules = "$dir/rules.conf";
templates = "$top/etc/templates";
spool = "$dir/lg/spool.$2";
lock = "$dir/run.$1/$2.lock";
ca_file = "$dir/tls/ca.pem";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
smtp = { host = "127.0.0.1"; port = $sink_port; starttls = "off";
  connections = 4; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  unsubscribe_url = "https://muster-immo.example/u/{token}"; };
connectors = ( { name = "bench"; type = "imap"; host = "localhost";
  port = $(cat "$dir/imaps.port"); tls = "implicit"; user = "bench";
  password_file = "$dir/bench.pw"; folders = [ "INBOX" ];
  idle = true; interval = 5; } );
CONF
}
sq="store = { path = \"$dir/lg/leadgate.db\"; };"
pg="store = { url = \"$PG_URL\"; password_file = \"$PG_PASSWORD_FILE\"; };"
conf sqlite 1 "$sq"
conf pg1 1 "$pg"
for n in 1 2 3; do conf pg3 $n "$pg"; done

. "$top/bench/lib/stats.sh"

# q KIND SQL: one number from the store of KIND.
q() {
	if [ "$1" = sqlite ]; then
		sqlite3 "$dir/lg/leadgate.db" "$2" 2>/dev/null || echo 0
	else
		pg_sql "$2" 2>/dev/null || echo 0
	fi
}
now() { date +%s.%N; }
# until_n KIND SQL N: wait until SQL counts at least N.
until_n() {
	while [ "$(q "$1" "$2")" -lt "$3" ]; do sleep 0.2; done
}

# run NAME INSTANCES: ingest and campaign times in $dir/t.NAME.{in,camp}.
run() {
	name=$1 k=$2 kind=sqlite
	[ "$name" = sqlite ] || kind=pg
	stop_daemons
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	if [ "$kind" = pg ]; then
		pg_sql 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;
		    ALTER SCHEMA public OWNER TO leadgate' >/dev/null 2>&1 ||
		    { echo "bench/multi.sh: schema reset failed" >&2; exit 1; }
	fi
	"$LG" -c "$dir/run.$name/1.conf" db migrate >/dev/null
	dove_adm "$dir" flags remove -u bench '\Seen $LeadgateDone' \
	    mailbox INBOX ALL
	t0=$(now)
	n=1
	while [ "$n" -le "$k" ]; do
		"$LG" -c "$dir/run.$name/$n.conf" run \
		    >>"$dir/run.$name/$n.log" 2>&1 &
		mkdir -p "$dir/run.$name/p$n"
		echo $! >"$dir/run.$name/p$n/pid"
		n=$((n + 1))
	done
	until_n "$kind" "SELECT count(*) FROM leads" "$count"
	t1=$(now)
	"$LG" -c "$dir/run.$name/1.conf" mail bulk --filter 'status = open' \
	    --template object-news --name "b$name" --yes >/dev/null
	until_n "$kind" "SELECT count(*) FROM outgoing WHERE state = 'sent'" \
	    "$count"
	t2=$(now)
	stop_daemons
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' \
	    >"$dir/t.$name.in"
	awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f\n", b - a }' \
	    >"$dir/t.$name.camp"
	printf '  %-6s (%d instance%s): ingest %s s, campaign %s s\n' \
	    "$name" "$k" "$([ "$k" -eq 1 ] || echo s)" \
	    "$(cat "$dir/t.$name.in")" "$(cat "$dir/t.$name.camp")"
}

for s in sqlite pg1 pg3; do
	for p in in camp; do : >"$dir/$s.$p.s"; done
done
for p in in camp; do : >"$dir/r1.$p.s"; : >"$dir/r3.$p.s"; done
i=1
while [ "$i" -le "$runs" ]; do
	printf 'round %d (%s inquiries, %s contacts):\n' "$i" "$count" "$count"
	case $((i % 3)) in
	1) run sqlite 1; run pg1 1; run pg3 3 ;;
	2) run pg1 1; run pg3 3; run sqlite 1 ;;
	0) run pg3 3; run sqlite 1; run pg1 1 ;;
	esac
	for s in sqlite pg1 pg3; do
		for p in in camp; do cat "$dir/t.$s.$p" >>"$dir/$s.$p.s"; done
	done
	for p in in camp; do
		ratio "$(cat "$dir/t.pg1.$p")" "$(cat "$dir/t.sqlite.$p")" \
		    >>"$dir/r1.$p.s"
		echo >>"$dir/r1.$p.s"
		ratio "$(cat "$dir/t.pg3.$p")" "$(cat "$dir/t.pg1.$p")" \
		    >>"$dir/r3.$p.s"
		echo >>"$dir/r3.$p.s"
	done
	i=$((i + 1))
done
for p in in camp; do
	[ "$p" = in ] && what=ingest || what=campaign
	printf '%-8s sqlite, 1 instance:     %s\n' "$what" "$(minmed "$dir/sqlite.$p.s")"
	printf '%-8s postgresql, 1:          %s\n' "$what" "$(minmed "$dir/pg1.$p.s")"
	printf '%-8s postgresql, 3:          %s\n' "$what" "$(minmed "$dir/pg3.$p.s")"
	printf '%-8s ratio pg1/sqlite:       %s\n' "$what" "$(minmed "$dir/r1.$p.s")"
	printf '%-8s ratio pg3/pg1:          %s\n' "$what" "$(minmed "$dir/r3.$p.s")"
done
