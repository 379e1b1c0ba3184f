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
#
# LEADGATE=binary times another build. BASELINE=binary adds a second
# build to every round (same mails, its own empty store and archive), in
# turn with the others, with its own times and ratios: a before/after
# under the same load. Each round prints the load average: the machine
# may be shared.
#
# SETTLE=SECONDS deletes what the previous run of the same tool left
# (leadgate's store and archive, mbsync's Maildir), syncs and waits that
# long before each run. On an ext4 file system without a journal,
# creating a file skips every free inode of its group deleted in the
# last 60 s (360 s while its inode table block is not yet written): a
# run right after the deletion of 10,000 archived mails pays for each of
# them on every file it writes, and so does mbsync. SETTLE=65 lets them
# age, so the figures measure the tools, not the file system; 0 (the
# default) shows the cost.
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

# settle: with SETTLE, sync and let the deletions just made age.
settle() {
	if [ "${SETTLE:-0}" -gt 0 ]; then
		sync
		sleep "$SETTLE"
	fi
}
# One leadgate run (TAG lg or base, BINARY) on an empty store, the
# server's flags cleared: its wall seconds in $dir/t.TAG, a line of
# figures on standard output.
run_lg() {
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	settle
	dove_adm "$dir" flags remove -u bench '\Seen $LeadgateDone' \
	    mailbox INBOX ALL
	timed "$1" "$2" -c "$dir/leadgate.conf" poll --connector bench \
	    >"$dir/t.$1"
	leads=$("$2" -c "$dir/leadgate.conf" leads list --json |
	    grep -c '"pipeline"')
	done_n=$(dove_flags "$dir" bench INBOX | grep -c LeadgateDone)
	printf '  %s: %s s, peak RSS %s KiB; %s leads, %s of %s marked done\n' \
	    "$(if [ "$1" = lg ]; then echo leadgate; else echo baseline; fi)" \
	    "$(cat "$dir/t.$1")" "$(rss "$1")" "$leads" "$done_n" "$count"
}
# One mbsync run (FSYNC yes or no): wall seconds in $dir/t.FSYNC.
run_mb() {
	rm -rf "$dir/mbsync"
	settle
	line=$(MBSYNC_FSYNC=$1 "$top/bench/lib/mbsync.sh" "$dir")
	echo "$line" | sed -n 's/.* in \([0-9.]*\) s wall.*/\1/p' >"$dir/t.$1"
	printf '  mbsync FSync %s: %s\n' "$1" "$line"
}

: >"$dir/lg.s"
: >"$dir/base.s"
: >"$dir/yes.s"
: >"$dir/no.s"
: >"$dir/r.yes"
: >"$dir/r.no"
: >"$dir/rb.yes"
: >"$dir/rb.no"
tools="lg yes no"
[ -n "${BASELINE:-}" ] && tools="lg base yes no"
ntools=$(echo $tools | wc -w)
i=1
while [ "$i" -le "$runs" ]; do
	printf 'round %d (load %s; settle %s s):\n' "$i" \
	    "$(cut -d' ' -f1 /proc/loadavg)" "${SETTLE:-0}"
	k=0
	while [ "$k" -lt "$ntools" ]; do
		case $(echo $tools | cut -d' ' -f$(( (i - 1 + k) % ntools + 1 ))) in
		lg) run_lg lg "$LG" ;;
		base) run_lg base "$BASELINE" ;;
		yes) run_mb yes ;;
		no) run_mb no ;;
		esac
		k=$((k + 1))
	done
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
	if [ -n "${BASELINE:-}" ]; then
		b=$(cat "$dir/t.base")
		echo "$b" >>"$dir/base.s"
		echo "$(ratio "$b" "$y")" >>"$dir/rb.yes"
		echo "$(ratio "$b" "$n")" >>"$dir/rb.no"
		printf '  ratio baseline/mbsync: %s (FSync yes), %s (FSync no)\n' \
		    "$(ratio "$b" "$y")" "$(ratio "$b" "$n")"
	fi
	i=$((i + 1))
done
printf 'leadgate s:                %s\n' "$(minmed "$dir/lg.s")"
printf 'mbsync s (FSync yes):      %s\n' "$(minmed "$dir/yes.s")"
printf 'mbsync s (FSync no):       %s\n' "$(minmed "$dir/no.s")"
printf 'ratio to mbsync FSync yes: %s\n' "$(minmed "$dir/r.yes")"
printf 'ratio to mbsync FSync no:  %s\n' "$(minmed "$dir/r.no")"
if [ -n "${BASELINE:-}" ]; then
	printf 'baseline s:                         %s\n' "$(minmed "$dir/base.s")"
	printf 'baseline ratio to mbsync FSync yes: %s\n' "$(minmed "$dir/rb.yes")"
	printf 'baseline ratio to mbsync FSync no:  %s\n' "$(minmed "$dir/rb.no")"
fi
