#!/bin/sh
# Autoreply latency with IMAP IDLE (issue 17: "p95 < 1 s for single
# inquiries and < 2 s for every inquiry of a 40-mail burst"): the time
# from an inquiry's APPEND to Dovecot to its autoreply's arrival at
# smtp-sink, on 127.0.0.1.
#
#   bench/latency.sh [SINGLES] [BURST] [ROUNDS]        (20, 40, 3)
#
# leadgate: `leadgate run` with one IMAP connector (STARTTLS, IDLE,
# interval 60), the shipped rules (every inquiry gets the
# "inquiry-reply" autoreply) and smtp = the sink. Peer:
# bench/lib/idle_responder.py, the least an IDLE autoresponder does (IDLE,
# fetch, pick the address, send a short answer; no parsing, no store, no
# sync): a floor on the same path. Each works on a mailbox of its own
# (alice, bob) on one Dovecot, with a fresh store per round.
#
# Mails: bench/lib/gen_inquiries.py --unique (portal notifications, web
# forms, plain mails, ~2-5 KB, each from a prospect of its own), new ones
# for every run. Per run: SINGLES inquiries one at a time (each APPENDed
# 0.3 s after the previous one's answer, so the daemon idles again), then
# BURST inquiries APPENDed 25 ms apart. bench/lib/latency.py watches the
# sink and matches each answer to its inquiry by the prospect's address.
# The two tools go in turn, swapped every round. Prints per run p50 / p95
# / max of the singles and of the burst, then min / median over the
# rounds of each, and of leadgate's p95 over the peer's.
#
# LEADGATE=binary measures another build; BASELINE=binary adds a second
# build (mailbox carol) to every round, in turn with the others.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
. "$top/tests/lib/dovecot.sh"
. "$top/tests/lib/smtp.sh"
. "$top/bench/lib/stats.sh"
LG=${LEADGATE:-$top/leadgate}
singles=${1:-20}
burst=${2:-40}
rounds=${3:-3}
dir=$T_DIR
chmod 711 "$dir"
trap 'eval "$T_CLEANUPS" 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

D=$dir/dove
mkdir -p "$D"
dove_setup "$D" alice bob carol >/dev/null && dove_start "$D" ||
    { echo "dovecot did not start"; exit 1; }
at_exit "dove_stop '$D'"
PORT=$(cat "$D/imap.port")
sink_start lat >/dev/null || { echo "smtp-sink did not start"; exit 1; }

per=$((singles + burst))
mkdir -p "$dir/mails"
python3 "$top/bench/lib/gen_inquiries.py" --unique \
    --count $((per * rounds * 3)) --out "$dir/mails" >/dev/null
ls "$dir/mails" | sort >"$dir/mails.list"
next=0
# take N: the next N mail files into $dir/take.
take() {
	sed -n "$((next + 1)),$((next + $1))p" "$dir/mails.list" |
	    sed "s|^|$dir/mails/|" >"$dir/take"
	next=$((next + $1))
}
printf 'pw-alice\n' >"$dir/alice.pw"
printf 'pw-carol\n' >"$dir/carol.pw"
chmod 600 "$dir"/*.pw

conf() {	# conf USER
	cat <<CONF
store = { path = "$dir/run/lg.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$top/etc/rules.conf";
templates = "$top/etc/templates";
lexicon = "$top/etc/lexicon";
portal_profiles = "$top/etc/portals/mail";
spool = "$dir/run/spool";
lock = "$dir/run/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "warn"; };
smtp = { host = "127.0.0.1"; port = $SINK_PORT; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = (
  { name = "inbox"; type = "imap"; host = "localhost"; port = $PORT;
    tls = "starttls"; user = "$1"; password_file = "$dir/$1.pw";
    folders = [ "INBOX" ]; idle = true; interval = 60; timeout = 10; }
);
CONF
}
wait_for() {	# wait_for SECONDS CMD...
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
idles() {
	"$1" -c "$dir/run.conf" status --json | python3 -c 'import json, sys
sys.exit(0 if json.load(sys.stdin)["connectors"][0]["link"] == "idle" else 1)'
}

# measure TAG USER READY_CHECK...: the singles and the burst of one run;
# appends p50/p95/max to $dir/TAG.{single,burst}.{p50,p95,max}.
measure() {
	tag=$1
	user=$2
	shift 2
	line="  $tag:"
	for mode in single burst; do
		wait_for 30 "$@" || { echo "  $tag: not idle"; return 1; }
		if [ "$mode" = single ]; then
			take "$singles"
			# shellcheck disable=SC2046
			python3 "$top/bench/lib/latency.py" single "$PORT" "$user" \
			    "pw-$user" "$SINK_DIR" 30 $(cat "$dir/take") \
			    >"$dir/lat.out" || true
		else
			take "$burst"
			# shellcheck disable=SC2046
			python3 "$top/bench/lib/latency.py" burst "$PORT" "$user" \
			    "pw-$user" "$SINK_DIR" 25 60 $(cat "$dir/take") \
			    >"$dir/lat.out" || true
		fi
		res=$(grep "^$mode [0-9]*: " "$dir/lat.out" || true)
		if [ -z "$res" ]; then
			line="$line $mode FAILED ($(tail -1 "$dir/lat.out"))"
			continue
		fi
		p50=$(echo "$res" | awk '{ print $4 }')
		p95=$(echo "$res" | awk '{ print $7 }')
		max=$(echo "$res" | awk '{ print $10 }')
		echo "$p50" >>"$dir/$tag.$mode.p50"
		echo "$p95" >>"$dir/$tag.$mode.p95"
		echo "$max" >>"$dir/$tag.$mode.max"
		eval "${tag}_${mode}_p95=$p95"
		line="$line $mode p50 $p50 p95 $p95 max $max s;"
		# Let the daemon go back to IDLE.
		sleep 1
	done
	echo "$line"
}

run_lg() {	# run_lg TAG BINARY USER
	rm -rf "$dir/run"
	mkdir -p "$dir/run"
	conf "$3" >"$dir/run.conf"
	"$2" -c "$dir/run.conf" run 2>"$dir/$1.log" &
	dpid=$!
	measure "$1" "$3" idles "$2" || true
	kill "$dpid" 2>/dev/null
	wait "$dpid" 2>/dev/null || true
}
run_peer() {
	rm -f "$dir/peer.ready"
	python3 "$top/bench/lib/idle_responder.py" "$PORT" bob pw-bob \
	    "$SINK_PORT" "$dir/peer.ready" 2>"$dir/peer.log" &
	ppid=$!
	measure peer bob test -e "$dir/peer.ready" || true
	kill "$ppid" 2>/dev/null
	wait "$ppid" 2>/dev/null || true
}

echo "latency: $singles single inquiries and a burst of $burst (25 ms apart) per run; $rounds rounds; APPEND to autoreply at smtp-sink"
tools="peer lg"
[ -n "${BASELINE:-}" ] && tools="peer lg base"
ntools=$(echo $tools | wc -w)
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r:"
	k=0
	while [ "$k" -lt "$ntools" ]; do
		t=$(echo $tools | cut -d' ' -f$(( (r - 1 + k) % ntools + 1 )))
		case $t in
		peer) run_peer ;;
		lg) run_lg leadgate "$LG" alice ;;
		base) run_lg baseline "$BASELINE" carol ;;
		esac
		k=$((k + 1))
	done
	for t in leadgate baseline; do
		for mode in single burst; do
			v=$(eval echo "\${${t}_${mode}_p95:-}")
			[ -n "$v" ] && [ -n "$(eval echo "\${peer_${mode}_p95:-}")" ] || continue
			ratio "$v" "$(eval echo "\$peer_${mode}_p95")" >>"$dir/$t.$mode.ratio"
			echo >>"$dir/$t.$mode.ratio"
			eval "unset ${t}_${mode}_p95"
		done
	done
	unset peer_single_p95 peer_burst_p95 || true
	r=$((r + 1))
done
for t in leadgate baseline peer; do
	for mode in single burst; do
		[ -f "$dir/$t.$mode.p95" ] || continue
		printf '%-8s %-6s p50 s: %s\n' "$t" "$mode" "$(minmed "$dir/$t.$mode.p50")"
		printf '%-8s %-6s p95 s: %s\n' "$t" "$mode" "$(minmed "$dir/$t.$mode.p95")"
		printf '%-8s %-6s max s: %s\n' "$t" "$mode" "$(minmed "$dir/$t.$mode.max")"
		[ -f "$dir/$t.$mode.ratio" ] &&
		    printf '%-8s %-6s p95 / peer p95: %s\n' "$t" "$mode" \
		    "$(minmed "$dir/$t.$mode.ratio")"
	done
done
