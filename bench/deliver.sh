#!/bin/sh
# Outbound benchmark (issue "Outbound"): COUNT personalised messages are
# spooled and delivered to Postfix's smtp-sink on 127.0.0.1, next to
# smtp-source sending the same number of messages of the same mean size
# over the same number of sessions to the same sink.
#
#   bench/deliver.sh [COUNT] [SESSIONS] [RUNS]        (10000, 4, 3)
#
# The messages are real autoreplies: COUNT inquiries from COUNT different
# prospects (bench/lib/gen_inquiries.py --unique) are taken from a Maildir
# with the shipped rules, each rendered from the shipped templates with
# the prospect's name, object and language, and spooled durably. Then one
# `leadgate deliver` sends them over SESSIONS connections
# (smtp.connections), delivery.batch (100) messages per session. Printed
# per run: the spooling (ingest, render,
# spool) and the delivery, each with its wall time and rate, and
# "spool+deliver" for the two together; smtp-source's rate below.
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

mkdir -p "$dir/mail/new" "$dir/mail/cur" "$dir/mail/tmp"
python3 "$top/bench/lib/gen_inquiries.py" --unique --count "$count" \
    --out "$dir/mail/new" >/dev/null
cp -R "$dir/mail" "$dir/mail.orig"

# smtp-sink accepting everything, counting only (no dump: both tools pay
# the same for the sink).
port=$(free_port)
user=""
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
smtp-sink $user -c "127.0.0.1:$port" 256 >"$dir/sink.counters" 2>&1 &
sink_pid=$!
wait_port "$port" 10

cat >"$dir/leadgate.conf" <<CONF
store = { path = "$dir/lg/leadgate.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$top/etc/rules.conf";
templates = "$top/etc/templates";
spool = "$dir/lg/spool";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $port; starttls = "off";
         connections = $sessions; };
connectors = ( { name = "bench"; type = "maildir"; path = "$dir/mail"; } );
CONF

. "$top/bench/lib/timing.sh"

i=1
while [ "$i" -le "$runs" ]; do
	rm -rf "$dir/lg" "$dir/mail"
	mkdir -p "$dir/lg"
	cp -R "$dir/mail.orig" "$dir/mail"
	t_spool=$(timed spool "$LG" -c "$dir/leadgate.conf" poll \
	    --connector bench)
	queued=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='queued'")
	bytes=$(cat "$dir/lg/spool/queue/"* | wc -c)
	t_deliver=$(timed deliver "$LG" -c "$dir/leadgate.conf" deliver)
	sent=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='sent'")
	printf 'leadgate run %d: %s messages spooled in %ss (%s msg/s, peak RSS %s KiB); ' \
	    "$i" "$queued" "$t_spool" "$(rate "$queued" "$t_spool")" \
	    "$(rss spool)"
	printf '%s sent in %ss over %s sessions (%s msg/s, peak RSS %s KiB); ' \
	    "$sent" "$t_deliver" "$sessions" "$(rate "$sent" "$t_deliver")" \
	    "$(rss deliver)"
	printf 'spool+deliver %s msg/s\n' "$(rate "$sent" \
	    "$(awk -v a="$t_spool" -v b="$t_deliver" 'BEGIN { print a + b }')")"
	[ "$sent" -eq "$queued" ] ||
	    echo "  (not all sent: $(tail -n 1 "$dir/deliver.err"))"
	i=$((i + 1))
done

# smtp-source opens a session per message unless -d keeps it: both ways,
# SESSIONS at a time.
size=$((bytes / (queued > 0 ? queued : 1)))
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
