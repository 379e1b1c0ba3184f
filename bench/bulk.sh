#!/bin/sh
# Bulk mail benchmark (issue "Bulk mailer"): COUNT contacts in one phase,
# one campaign, to Postfix's smtp-sink on 127.0.0.1, next to smtp-source
# sending as many messages of the same mean size over the same number of
# sessions to the same sink.
#
#   bench/bulk.sh [COUNT] [SESSIONS] [RUNS]        (10000, 4, 3)
#
# The contacts come from COUNT inquiries of COUNT different prospects
# (bench/lib/gen_inquiries.py --unique) taken from a Maildir with the
# shipped rules minus their autoreplies, so each has a lead in "Demande
# reçue". Each run starts from that store and times one command, from
# its start to the last SMTP acceptance:
#
#   leadgate mail bulk --filter 'phase = "Demande reçue"' \
#       --template object-news --advance-to 'Envoi de documentation' --yes
#
# which selects the contacts, renders the shipped template for each,
# spools every message durably (synced before its row commits), delivers
# them over SESSIONS connections and advances every lead.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
sessions=${2:-4}
runs=${3:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
sink_pid=""
trap '[ -n "$sink_pid" ] && kill $sink_pid 2>/dev/null; rm -rf "$dir" "$T_DIR"' \
    EXIT INT TERM

mkdir -p "$dir/mail/new" "$dir/mail/cur" "$dir/mail/tmp" "$dir/base"
python3 "$top/bench/lib/gen_inquiries.py" --unique --count "$count" \
    --out "$dir/mail/new" >/dev/null
sed '/autoreply = /d' "$top/etc/rules.conf" >"$dir/rules.conf"

# smtp-sink accepting everything, counting only (no dump: both tools pay
# the same for the sink).
port=$(free_port)
user=""
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
smtp-sink $user -c "127.0.0.1:$port" 256 >"$dir/sink.counters" 2>&1 &
sink_pid=$!
wait_port "$port" 10

conf() {	# conf DIR: the configuration of a store and spool in DIR
	cat <<CONF
store = { path = "$1/leadgate.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$dir/rules.conf";
templates = "$top/etc/templates";
spool = "$1/spool";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example";
         unsubscribe_url = "https://muster-immo.example/u/{token}";
         unsubscribe_mailto = "unsubscribe@muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $port; starttls = "off";
         connections = $sessions; };
connectors = ( { name = "bench"; type = "maildir"; path = "$dir/mail"; } );
CONF
}
conf "$dir/base" >"$dir/base.conf"
"$LG" -c "$dir/base.conf" poll --connector bench >/dev/null
contacts=$(sqlite3 "$dir/base/leadgate.db" "SELECT count(*) FROM contacts")

. "$top/bench/lib/timing.sh"

i=1
while [ "$i" -le "$runs" ]; do
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	cp "$dir/base/leadgate.db" "$dir/lg/"
	conf "$dir/lg" >"$dir/lg.conf"
	t=$(timed bulk "$LG" -c "$dir/lg.conf" mail bulk \
	    --filter 'phase = "Demande reçue"' --template object-news \
	    --advance-to 'Envoi de documentation' --yes)
	sent=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='sent'")
	moved=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM leads WHERE phase_no = 4")
	printf 'leadgate mail bulk run %d: %s contacts, %s sent in %ss (%s msg/s, peak RSS %s KiB), %s leads advanced\n' \
	    "$i" "$contacts" "$sent" "$t" "$(rate "$sent" "$t")" \
	    "$(rss bulk)" "$moved"
	[ "$sent" -eq "$contacts" ] ||
	    echo "  (not all sent: $(tail -n 3 "$dir/bulk.out" "$dir/bulk.err"))"
	i=$((i + 1))
done

# The mean size of what leadgate sent: render one message the same way.
size=$("$LG" -c "$dir/base.conf" template preview object-news --lead 1 \
    --kind bulk | wc -c)
for keep in "" -d; do
	i=1
	while [ "$i" -le "$runs" ]; do
		# shellcheck disable=SC2086
		t=$(timed source smtp-source -s "$sessions" $keep -m "$count" \
		    -l "$size" -f info@muster-immo.example \
		    -t prospect@example.ch "127.0.0.1:$port")
		printf 'smtp-source %-2s run %d: %s messages of %s bytes in %ss, %s sessions at a time (%s msg/s)\n' \
		    "$keep" "$i" "$count" "$size" "$t" "$sessions" \
		    "$(rate "$count" "$t")"
		i=$((i + 1))
	done
done
