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
#
# BASELINE=PATH (another leadgate binary, say one built from main) adds
# it to every round, in turn with the other two, for a before/after
# comparison under the same load.
#
# SETTLE=SECONDS syncs and waits that long before each leadgate run. On
# an ext4 file system without a journal, creating a file skips every
# free inode of its group deleted in the last 60 s (360 s while its
# inode table block is not yet written): a run right after another one
# deleted 10,000 spool files pays for each of them on every file it
# spools. SETTLE=65 lets them age; 0 (the default) shows the cost.
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
# The baseline reads its own copy: its store may be of an older schema.
[ -n "${BASELINE:-}" ] && cp -r "$dir/mail" "$dir/mail.base"
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

conf() {	# conf DIR [MAILDIR]: the configuration of a store and spool in DIR
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
connectors = ( { name = "bench"; type = "maildir"; path = "${2:-$dir/mail}"; } );
CONF
}
conf "$dir/base" >"$dir/base.conf"
"$LG" -c "$dir/base.conf" poll --connector bench >/dev/null 2>&1
contacts=$(sqlite3 "$dir/base/leadgate.db" "SELECT count(*) FROM contacts")
leads=$(sqlite3 "$dir/base/leadgate.db" "SELECT count(*) FROM leads")
if [ -n "${BASELINE:-}" ]; then
	# The same inquiries in a store of the baseline's own schema.
	mkdir -p "$dir/bbase"
	conf "$dir/bbase" "$dir/mail.base" >"$dir/bbase.conf"
	"$BASELINE" -c "$dir/bbase.conf" poll --connector bench >/dev/null 2>&1
fi

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

echo "bulk: $contacts contacts, $leads leads; $sessions SMTP sessions; $rounds rounds; settle ${SETTLE:-0} s"
echo "leadgate messages: $mean bytes on average (20 rendered); smtp-source -l $size (+$hdr bytes of its headers)"

# run_lg TAG BINARY: one leadgate run; sets $TAG_total, _spool, _deliver,
# _rss, _sent and appends them to $dir/r.TAG_*.
run_lg() {
	tag=$1
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	if [ "$tag" = base ]; then
		cp "$dir/bbase/leadgate.db" "$dir/lg/"
	else
		cp "$dir/base/leadgate.db" "$dir/lg/"
	fi
	conf "$dir/lg" >"$dir/lg.conf"
	if [ "${SETTLE:-0}" -gt 0 ]; then
		sync
		sleep "$SETTLE"
	fi
	set -- $($phases "$dir/bulk" 'bulk: campaign .*: [0-9]+ contacts, [0-9]+ queued' \
	    "$2" -v -c "$dir/lg.conf" mail bulk \
	    --filter 'phase = "Demande reçue"' --template object-news \
	    --advance-to 'Envoi de documentation' --yes || true)
	l_total=$1
	l_spool=$2
	l_rss=$3
	l_deliver=$(awk -v t="$1" -v s="$2" 'BEGIN { printf "%.3f", t - s }')
	l_sent=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='sent'")
	moved=$(sqlite3 "$dir/lg/leadgate.db" \
	    "SELECT count(*) FROM leads WHERE phase_no = 4")
	[ "$l_sent" -eq "$contacts" ] && [ "$moved" -eq "$leads" ] || {
		echo "  $tag round $r: only $l_sent sent, $moved leads moved:"
		tail -n 3 "$dir/bulk.out" "$dir/bulk.err"
	}
	for v in total spool deliver rss sent; do
		eval "${tag}_$v=\$l_$v"
		eval "echo \$l_$v" >>"$dir/r.${tag}_$v"
	done
}

run_peer() {
	set -- $($phases "$dir/source" "" smtp-source -d -s "$sessions" \
	    -m "$count" -l "$size" -f "$from" -t "$to" "127.0.0.1:$port")
	peer=$1
	echo "$peer" >>"$dir/r.peer"
}

# report TAG NAME: one line of the round for a leadgate run.
report() {
	ratio=$(eval awk -v a="\$$1_total" -v b="$peer" \
	    "'BEGIN { printf \"%.2f\", (b > 0 ? a / b : 0) }'")
	echo "$ratio" >>"$dir/r.$1_ratio"
	eval printf "'  %-9s %ss (spool %ss + deliver %ss, %s msg/s, peak RSS %s KiB, %s sent)  ratio to smtp-source %s\n'" \
	    "$2" "\$$1_total" "\$$1_spool" "\$$1_deliver" \
	    "\$(awk -v n=\$$1_sent -v s=\$$1_total 'BEGIN { printf \"%.0f\", (s > 0 ? n / s : 0) }')" \
	    "\$$1_rss" "\$$1_sent" "$ratio"
}

# The tools of a round, in turn: each round starts one later.
tools="peer lg"
[ -n "${BASELINE:-}" ] && tools="peer lg base"
ntools=$(echo $tools | wc -w)
r=1
while [ "$r" -le "$rounds" ]; do
	order=""
	k=0
	while [ "$k" -lt "$ntools" ]; do
		t=$(echo $tools | cut -d' ' -f$(( (r - 1 + k) % ntools + 1 )))
		case $t in
		peer) run_peer; order="$order smtp-source" ;;
		lg) run_lg lg "$LG"; order="$order leadgate" ;;
		base) run_lg base "$BASELINE"; order="$order baseline" ;;
		esac
		k=$((k + 1))
	done
	echo "round $r (in this order:$order):"
	printf '  %-9s %ss (%s msg/s)\n' "smtp-source -d" "$peer" \
	    "$(awk -v n="$count" -v s="$peer" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')"
	report lg leadgate
	[ -n "${BASELINE:-}" ] && report base baseline
	r=$((r + 1))
done

# minmed FILE: "min M median D" of the numbers in FILE, one a line.
minmed() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
		printf "min %s median %s", v[1], m }'
}
echo "smtp-source -d:   $(minmed "$dir/r.peer") s"
for t in lg base; do
	[ -f "$dir/r.${t}_total" ] || continue
	n=leadgate
	[ "$t" = base ] && n="baseline ($BASELINE)"
	echo "$n:"
	echo "  total:   $(minmed "$dir/r.${t}_total") s"
	echo "  spool:   $(minmed "$dir/r.${t}_spool") s"
	echo "  deliver: $(minmed "$dir/r.${t}_deliver") s"
	echo "  ratio to smtp-source: $(minmed "$dir/r.${t}_ratio")"
	echo "  peak RSS: $(minmed "$dir/r.${t}_rss") KiB"
done
