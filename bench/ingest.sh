#!/bin/sh
# Ingest benchmark (issues "Ingest from mail", "Speed and scale"): COUNT
# realistic inquiries (bench/lib/gen_inquiries.py --unique: portal
# notifications, web forms and plain mails, distinct senders) in a
# Dovecot folder; leadgate ingests them all through its whole pipeline
# (IMAP fetch, MIME parse, rules, extraction, deduplication, commit, flag
# on the server) next to mbsync merely copying the same folder to a
# Maildir, with its default FSync yes and with FSync no, against the same
# Dovecot. The three run interleaved, in an order that turns every
# round; each round prints the times and leadgate's ratio to each
# mbsync, and the end min and median of every time and ratio.
#
#   bench/ingest.sh [COUNT] [RUNS]          (10000, 3)
#
# Each leadgate run starts with an empty database, an empty kept-mail
# archive and the server's flags cleared. REPLIES=1 keeps the shipped
# rules' autoreplies (each then also rendered and spooled); by default
# the rules are the shipped ones without autoreplies, so both tools do
# comparable work.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/dovecot.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
runs=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
trap 'dove_stop "$dir"; rm -rf "$dir"' EXIT INT TERM

FILL_UNIQUE=${FILL_UNIQUE-1} DOVE_OWNER=$$ "$top/bench/lib/dovecot_fill.sh" "$dir" "$count"

if [ "${REPLIES:-0}" = 1 ]; then
	cp "$top/etc/rules.conf" "$dir/rules.conf"
else
	grep -v 'autoreply = ' "$top/etc/rules.conf" >"$dir/rules.conf"
fi
printf 'pw-bench\n' >"$dir/bench.pw"
chmod 600 "$dir/bench.pw"
cat >"$dir/leadgate.conf" <<CONF
store = { path = "$dir/lg/leadgate.db"; default_country = "DE"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$dir/rules.conf";
templates = "$top/etc/templates";
spool = "$dir/lg/spool";
archive = { dir = "$dir/lg/archive"; };
ca_file = "$dir/tls/ca.pem";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = ( { name = "bench"; type = "imap"; host = "localhost";
  port = $(cat "$dir/imaps.port"); tls = "implicit"; user = "bench";
  password_file = "$dir/bench.pw"; folders = [ "INBOX" ]; } );
CONF

. "$top/bench/lib/timing.sh"
. "$top/bench/lib/stats.sh"

# One leadgate run on an empty store, the server's flags cleared: its wall
# seconds in $dir/t.lg, a line of figures on standard output.
run_lg() {
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	dove_adm "$dir" flags remove -u bench '\Seen $LeadgateDone' \
	    mailbox INBOX ALL
	timed poll "$LG" -c "$dir/leadgate.conf" poll --connector bench \
	    >"$dir/t.lg"
	leads=$("$LG" -c "$dir/leadgate.conf" leads list --json |
	    grep -c '"pipeline"')
	done_n=$(dove_flags "$dir" bench INBOX | grep -c LeadgateDone)
	printf '  leadgate: %s s, peak RSS %s KiB; %s leads, %s of %s marked done\n' \
	    "$(cat "$dir/t.lg")" "$(rss poll)" "$leads" "$done_n" "$count"
}
# One mbsync run (FSYNC yes or no): wall seconds in $dir/t.FSYNC.
run_mb() {
	line=$(MBSYNC_FSYNC=$1 "$top/bench/lib/mbsync.sh" "$dir")
	echo "$line" | sed -n 's/.* in \([0-9.]*\) s wall.*/\1/p' >"$dir/t.$1"
	printf '  mbsync FSync %s: %s\n' "$1" "$line"
}

: >"$dir/lg.s"
: >"$dir/yes.s"
: >"$dir/no.s"
: >"$dir/r.yes"
: >"$dir/r.no"
i=1
while [ "$i" -le "$runs" ]; do
	printf 'round %d:\n' "$i"
	case $((i % 3)) in
	1) run_lg; run_mb yes; run_mb no ;;
	2) run_mb yes; run_mb no; run_lg ;;
	0) run_mb no; run_lg; run_mb yes ;;
	esac
	l=$(cat "$dir/t.lg")
	y=$(cat "$dir/t.yes")
	n=$(cat "$dir/t.no")
	echo "$l" >>"$dir/lg.s"
	echo "$y" >>"$dir/yes.s"
	echo "$n" >>"$dir/no.s"
	echo "$(ratio "$l" "$y")" >>"$dir/r.yes"
	echo "$(ratio "$l" "$n")" >>"$dir/r.no"
	printf '  ratio leadgate/mbsync: %s (FSync yes), %s (FSync no)\n' \
	    "$(ratio "$l" "$y")" "$(ratio "$l" "$n")"
	i=$((i + 1))
done
printf 'leadgate s:                %s\n' "$(minmed "$dir/lg.s")"
printf 'mbsync s (FSync yes):      %s\n' "$(minmed "$dir/yes.s")"
printf 'mbsync s (FSync no):       %s\n' "$(minmed "$dir/no.s")"
printf 'ratio to mbsync FSync yes: %s\n' "$(minmed "$dir/r.yes")"
printf 'ratio to mbsync FSync no:  %s\n' "$(minmed "$dir/r.no")"
