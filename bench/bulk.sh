#!/bin/sh
# Bulk mail benchmark (issue 17): leadgate mailing COUNT contacts next to
# smtp-source sending as many messages of the same mean size over the
# same number of sessions to the same smtp-sink on 127.0.0.1.
#
#   bench/bulk.sh [COUNT] [SESSIONS] [ROUNDS]        (10000, 2, 3)
#
# leadgate: COUNT inquiries of COUNT different prospects
# (bench/lib/gen_inquiries.py --unique) are read from a Maildir with the
# shipped rules minus their autoreplies, so each contact has a lead in
# "Demande reçue". Each round starts from a copy of that store and runs
#
#   leadgate mail bulk --filter 'phase = "Demande reçue"' \
#       --template object-news --advance-to 'Envoi de documentation' --yes
#
# with smtp.connections = SESSIONS: it selects the contacts, renders the
# shipped template for each (personalised: name, objects, unsubscribe
# link), spools every message durably (each batch synced before its rows
# commit), then delivers them and advances every lead. "spool" is the
# time to the log line that ends the spooling, "deliver" the rest,
# "total" both.
#
# Peer: smtp-source -d -s SESSIONS -m COUNT -l SIZE (-d keeps each
# session for many messages). SIZE is chosen so that smtp-source's
# messages have the mean size of leadgate's on the wire (its own headers
# and the CR of each 80-byte payload line counted).
#
# The two run interleaved, in swapped order every round, against the
# same sink; the ratio is leadgate's total over smtp-source's time. The
# machine may be shared: look at the spread before trusting one figure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
sessions=${2:-2}
rounds=${3:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
sink_pid=""
trap '[ -n "$sink_pid" ] && kill $sink_pid 2>/dev/null; rm -rf "$dir" "$T_DIR"' \
    EXIT INT TERM
phases="python3 $top/bench/lib/phases.py"
from=info@muster-immo.example
to=prospect@example.ch

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
mail = { from = "Immobilien Muster AG <$from>";
         domain = "muster-immo.example";
         unsubscribe_url = "https://muster-immo.example/u/{token}";
         unsubscribe_mailto = "unsubscribe@muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $port; starttls = "off";
         connections = $sessions; };
connectors = ( { name = "bench"; type = "maildir"; path = "$dir/mail"; } );
CONF
}
conf "$dir/base" >"$dir/base.conf"
"$LG" -c "$dir/base.conf" poll --connector bench >/dev/null 2>&1
contacts=$(sqlite3 "$dir/base/leadgate.db" "SELECT count(*) FROM contacts")
leads=$(sqlite3 "$dir/base/leadgate.db" "SELECT count(*) FROM leads")

# The mean size of leadgate's messages: 20 of them rendered as the bulk
# mailer renders them (same template, same headers), spread over the
# leads. Previews write unsubscribe tokens: done on a copy.
mkdir -p "$dir/size"
cp "$dir/base/leadgate.db" "$dir/size/"
conf "$dir/size" >"$dir/size.conf"
total=0
n=0
step=$((leads / 20 > 0 ? leads / 20 : 1))
id=1
while [ "$id" -le "$leads" ] && [ "$n" -lt 20 ]; do
	b=$("$LG" -c "$dir/size.conf" template preview object-news --lead "$id" \
	    --kind bulk 2>/dev/null | wc -c)
	total=$((total + b))
	n=$((n + 1))
	id=$((id + step))
done
mean=$((total / n))
# smtp-source's headers (From, To, Date, Message-Id, blank line; CRLF)
# and one CR per 80 bytes of payload: payload = (mean - headers) * 80/81.
host=$(hostname)
hdr=$(printf 'From: <%s>\r\nTo: <%s>\r\nDate: Mon,  7 Dec 2026 02:17:10 +0000 (UTC)\r\nMessage-Id: <763c.0003.0000@%s>\r\n\r\n' \
    "$from" "$to" "$host" | wc -c)
size=$(( (mean - hdr) * 80 / 81 ))

echo "bulk: $contacts contacts, $leads leads; $sessions SMTP sessions; $rounds rounds"
echo "leadgate messages: $mean bytes on average (20 rendered); smtp-source -l $size (+$hdr bytes of its headers)"

run_lg() {	# run_lg ROUND: one leadgate run; appends to the result files
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	cp "$dir/base/leadgate.db" "$dir/lg/"
	conf "$dir/lg" >"$dir/lg.conf"
	set -- $($phases "$dir/bulk" 'bulk: campaign .*: [0-9]+ contacts, [0-9]+ queued' \
	    "$LG" -v -c "$dir/lg.conf" mail bulk \
	    --filter 'phase = "Demande reçue"' --template object-news \
	    --advance-to 'Envoi de documentation' --yes || true)
	lg_total=$1
	lg_spool=$2
	lg_rss=$3
	lg_deliver=$(awk -v t="$1" -v s="$2" 'BEGIN { printf "%.3f", t - s }')
	sent=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='sent'")
	moved=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM leads WHERE phase_no = 4")
	[ "$sent" -eq "$contacts" ] && [ "$moved" -eq "$leads" ] || {
		echo "  leadgate round $r: only $sent sent, $moved leads moved:"
		tail -n 3 "$dir/bulk.out" "$dir/bulk.err"
	}
	echo "$lg_total" >>"$dir/r.lg_total"
	echo "$lg_spool" >>"$dir/r.lg_spool"
	echo "$lg_deliver" >>"$dir/r.lg_deliver"
	echo "$lg_rss" >>"$dir/r.lg_rss"
}

run_peer() {
	set -- $($phases "$dir/source" "" smtp-source -d -s "$sessions" \
	    -m "$count" -l "$size" -f "$from" -t "$to" "127.0.0.1:$port")
	peer=$1
	echo "$peer" >>"$dir/r.peer"
}

r=1
while [ "$r" -le "$rounds" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		run_peer
		run_lg
		order="smtp-source first"
	else
		run_lg
		run_peer
		order="leadgate first"
	fi
	ratio=$(awk -v a="$lg_total" -v b="$peer" \
	    'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	echo "$ratio" >>"$dir/r.ratio"
	printf 'round %d (%s): leadgate %ss (spool %ss + deliver %ss, %s msg/s, peak RSS %s KiB, %s sent)  smtp-source -d %ss (%s msg/s)  ratio %s\n' \
	    "$r" "$order" "$lg_total" "$lg_spool" "$lg_deliver" \
	    "$(awk -v n="$sent" -v s="$lg_total" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" \
	    "$lg_rss" "$sent" "$peer" \
	    "$(awk -v n="$count" -v s="$peer" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" \
	    "$ratio"
	r=$((r + 1))
done

# minmed FILE: "min M median D" of the numbers in FILE, one a line.
minmed() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
		printf "min %s median %s", v[1], m }'
}
echo "leadgate total:   $(minmed "$dir/r.lg_total") s"
echo "leadgate spool:   $(minmed "$dir/r.lg_spool") s"
echo "leadgate deliver: $(minmed "$dir/r.lg_deliver") s"
echo "smtp-source -d:   $(minmed "$dir/r.peer") s"
echo "ratio leadgate/smtp-source: $(minmed "$dir/r.ratio")"
echo "leadgate peak RSS: $(minmed "$dir/r.lg_rss") KiB"
