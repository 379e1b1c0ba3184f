#!/bin/sh
# Daemon memory over a long stream of mail (issue 17: "RSS still flat
# over 50,000 mails"): one `leadgate run` with a Maildir connector
# (interval 1 s) and the shipped rules, autoreplies included, delivering
# to smtp-sink on 127.0.0.1. COUNT realistic inquiries
# (bench/lib/gen_inquiries.py --unique: portal notifications, web forms
# and plain mails of ~2-5 KB from distinct senders) arrive in STEPS equal
# batches: each batch is renamed into new/ (as a delivery agent does)
# once the daemon has moved the previous one to cur/.
#
#   bench/rss.sh [COUNT] [STEPS] [ROUNDS]          (50000, 5, 3)
#
# Per round, a fresh store, spool and Maildir; the daemon's VmRSS is read
# from /proc when it idles before the first batch (0) and each time a
# batch is all in cur/ (10000, 20000, ...), and sampled every 0.5 s in
# between; with it the autoreplies still waiting in the spool (delivery
# to the sink may lag behind ingest). Prints per round those figures, the peak (VmHWM), the
# autoreplies smtp-sink took, and the ratio "flat": RSS at the end over
# RSS after the first batch (the first batch warms the caches: SQLite's
# page cache, the templates, the allocator's arenas). Then min / median
# of the end RSS, the peak and the ratio. Nothing here is timed against
# a peer: the figure is memory, and the machine's load changes only how
# long a round takes.
#
# LEADGATE=binary measures another build; BASELINE=binary adds a second
# build, in turn with the first every round (the order swaps each round).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
. "$top/bench/lib/stats.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-50000}
steps=${2:-5}
rounds=${3:-3}
batch=$((count / steps))
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
sink_pid=""
dpid=""
spid=""
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
	rm -rf "$dir" "$T_DIR"
}
trap cleanup EXIT INT TERM

# The mails, in STEPS batch directories.
mkdir -p "$dir/all"
python3 "$top/bench/lib/gen_inquiries.py" --unique --count "$count" \
    --out "$dir/all" >/dev/null
s=1
ls "$dir/all" | sort | split -l "$batch" - "$dir/list."
for f in "$dir"/list.*; do
	mkdir -p "$dir/src/$s"
	(cd "$dir/all" && xargs mv -t "$dir/src/$s") <"$f"
	s=$((s + 1))
done
rm -rf "$dir/all" "$dir"/list.*
echo "rss: $count mails ($(du -sk "$dir/src" | cut -f1) KiB) in $steps batches of $batch; $rounds rounds"

port=$(free_port)
user=""
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
smtp-sink $user -c "127.0.0.1:$port" 256 >"$dir/sink.counters" 2>&1 &
sink_pid=$!
wait_port "$port" 10

conf() {
	cat <<CONF
store = { path = "$dir/run/leadgate.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$top/etc/rules.conf";
templates = "$top/etc/templates";
lexicon = "$top/etc/lexicon";
portal_profiles = "$top/etc/portals/mail";
spool = "$dir/run/spool";
lock = "$dir/run/leadgate.lock";
log = { level = "warn"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $port; starttls = "off"; };
connectors = ( { name = "md"; type = "maildir"; path = "$dir/box";
                 interval = 1; } );
CONF
}
conf >"$dir/leadgate.conf"

kib() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$2/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
incur() { find "$dir/box/cur" -type f | wc -l; }

# one TAG BINARY: a round of one build.
one() {
	rm -rf "$dir/box" "$dir/run" "$dir/work"
	mkdir -p "$dir/box/new" "$dir/box/cur" "$dir/box/tmp" "$dir/run"
	cp -R "$dir/src" "$dir/work"
	"$2" -c "$dir/leadgate.conf" run 2>"$dir/daemon.log" &
	dpid=$!
	# Sampler: VmRSS every 0.5 s.
	(while kill -0 "$dpid" 2>/dev/null; do
		kib VmRSS "$dpid" 2>/dev/null
		sleep 0.5
	done) >"$dir/samples" &
	spid=$!
	sleep 3
	line=$(mib "$(kib VmRSS "$dpid")")
	first=""
	backlog=""
	n=1
	while [ "$n" -le "$steps" ]; do
		find "$dir/work/$n" -type f -exec mv -t "$dir/box/new" {} +
		want=$((n * batch))
		w=0
		while [ "$(incur)" -lt "$want" ]; do
			kill -0 "$dpid" 2>/dev/null || {
				echo "  $1: the daemon died:"; tail -3 "$dir/daemon.log"
				return 1
			}
			sleep 0.5
			w=$((w + 1))
			[ "$w" -gt 2400 ] && { echo "  $1: batch $n not done in 20 min"; return 1; }
		done
		v=$(kib VmRSS "$dpid")
		[ -z "$first" ] && first=$v
		line="$line $(mib "$v")"
		q=$(sqlite3 "$dir/run/leadgate.db" "SELECT count(*) FROM outgoing
		    WHERE state IN ('queued','deferred')" 2>/dev/null || echo -)
		backlog="$backlog $q"
		n=$((n + 1))
	done
	last=$v
	hwm=$(kib VmHWM "$dpid")
	kill -TERM "$dpid"
	wait "$dpid" 2>/dev/null || true
	dpid=""
	wait "$spid" 2>/dev/null || true
	spid=""
	leads=$(sqlite3 "$dir/run/leadgate.db" "SELECT count(*) FROM leads")
	sent=$(sqlite3 "$dir/run/leadgate.db" \
	    "SELECT count(*) FROM outgoing WHERE state='sent'")
	smax=$(sort -n "$dir/samples" | tail -1)
	flat=$(ratio "$last" "$first")
	mib "$last" >>"$dir/$1.end"
	echo >>"$dir/$1.end"
	mib "$hwm" >>"$dir/$1.peak"
	echo >>"$dir/$1.peak"
	echo "$flat" >>"$dir/$1.flat"
	printf '  %-8s RSS MB at 0/%s: %s; peak %s MB (sampled max %s MB); %s leads, %s autoreplies sent; flat %s\n' \
	    "$1" "$(seq -s/ "$batch" "$batch" "$count")" "$line" "$(mib "$hwm")" \
	    "$(mib "$smax")" "$leads" "$sent" "$flat"
	printf '  %-8s autoreplies waiting in the spool at each step:%s\n' \
	    "$1" "$backlog"
}

tools="lg"
[ -n "${BASELINE:-}" ] && tools="lg base"
ntools=$(echo $tools | wc -w)
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r:"
	k=0
	while [ "$k" -lt "$ntools" ]; do
		t=$(echo $tools | cut -d' ' -f$(( (r - 1 + k) % ntools + 1 )))
		case $t in
		lg) one leadgate "$LG" ;;
		base) one baseline "$BASELINE" ;;
		esac
		k=$((k + 1))
	done
	r=$((r + 1))
done
for t in leadgate baseline; do
	[ -f "$dir/$t.end" ] || continue
	printf '%-8s end RSS MB: %s\n' "$t" "$(minmed "$dir/$t.end")"
	printf '%-8s peak MB:    %s\n' "$t" "$(minmed "$dir/$t.peak")"
	printf '%-8s flat (end / after first batch): %s\n' "$t" \
	    "$(minmed "$dir/$t.flat")"
done
