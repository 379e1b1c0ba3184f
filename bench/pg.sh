#!/bin/sh
# The store on PostgreSQL next to SQLite (issue 24): COUNT realistic
# inquiries (bench/lib/gen_inquiries.py --unique) in a Dovecot folder;
# one leadgate instance ingests them all (IMAP fetch, parse, rules,
# deduplication, commit, flag on the server) once with the store in
# SQLite and once in a throwaway PostgreSQL cluster (tests/lib/pg.sh,
# fsync on, on this machine's disk). The two run interleaved, the order
# turning every round; each round prints both times and their ratio,
# the end the min and median of each. Each run starts from an empty
# store and the server's flags cleared. Several instances on one
# PostgreSQL, and a campaign: bench/multi.sh.
#
#   bench/pg.sh [COUNT] [RUNS]          (10000, 3)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/dovecot.sh"
. "$top/tests/lib/pg.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
runs=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
trap 'dove_stop "$dir"; pg_stop; rm -rf "$dir" "${PG_DIR:-}"' EXIT INT TERM

pg_start || { echo "bench/pg.sh: $PG_WHY" >&2; exit 1; }
# The benchmark measures a durable store: fsync back on.
pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=on" \
    restart >/dev/null
FILL_UNIQUE=${FILL_UNIQUE-1} DOVE_OWNER=$$ "$top/bench/lib/dovecot_fill.sh" "$dir" "$count"

grep -v 'autoreply = ' "$top/etc/rules.conf" >"$dir/rules.conf"
printf 'pw-bench\n' >"$dir/bench.pw"
chmod 600 "$dir/bench.pw"
# conf NAME STORE-BLOCK: $dir/NAME.conf.
conf() {
	cat >"$dir/$1.conf" <<CONF
$2
pipelines = "$top/etc/pipelines.conf";
rules = "$dir/rules.conf";
templates = "$top/etc/templates";
spool = "$dir/lg/spool";
ca_file = "$dir/tls/ca.pem";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = ( { name = "bench"; type = "imap"; host = "localhost";
  port = $(cat "$dir/imaps.port"); tls = "implicit"; user = "bench";
  password_file = "$dir/bench.pw"; folders = [ "INBOX" ]; } );
CONF
}
conf sqlite "store = { path = \"$dir/lg/leadgate.db\"; };"
conf pg "store = { url = \"$PG_URL\"; password_file = \"$PG_PASSWORD_FILE\"; };"

. "$top/bench/lib/timing.sh"
. "$top/bench/lib/stats.sh"

# run KIND: one poll on an empty store of KIND; seconds in $dir/t.KIND.
run() {
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	if [ "$1" = pg ]; then
		pg_sql 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;
		    ALTER SCHEMA public OWNER TO leadgate' >/dev/null 2>&1
		"$LG" -c "$dir/pg.conf" db migrate >/dev/null
	fi
	dove_adm "$dir" flags remove -u bench '\Seen $LeadgateDone' \
	    mailbox INBOX ALL
	timed "$1" "$LG" -c "$dir/$1.conf" poll --connector bench >"$dir/t.$1"
	leads=$("$LG" -c "$dir/$1.conf" leads list --json | grep -c '"pipeline"')
	printf '  %-6s: %s s, %s leads of %s inquiries\n' "$1" \
	    "$(cat "$dir/t.$1")" "$leads" "$count"
}

: >"$dir/sqlite.s"
: >"$dir/pg.s"
: >"$dir/r.s"
i=1
while [ "$i" -le "$runs" ]; do
	printf 'round %d:\n' "$i"
	case $((i % 2)) in
	1) run sqlite; run pg ;;
	0) run pg; run sqlite ;;
	esac
	s=$(cat "$dir/t.sqlite")
	p=$(cat "$dir/t.pg")
	echo "$s" >>"$dir/sqlite.s"
	echo "$p" >>"$dir/pg.s"
	ratio "$p" "$s" >>"$dir/r.s"
	echo >>"$dir/r.s"
	printf '  ratio postgresql/sqlite: %s\n' "$(ratio "$p" "$s")"
	i=$((i + 1))
done
printf 'sqlite s (1 instance):     %s\n' "$(minmed "$dir/sqlite.s")"
printf 'postgresql s (1 instance): %s\n' "$(minmed "$dir/pg.s")"
printf 'ratio postgresql/sqlite:   %s\n' "$(minmed "$dir/r.s")"
