#!/bin/sh
# Ingest benchmark (issue "Ingest from mail"): COUNT realistic inquiries in
# a Dovecot folder; leadgate ingests them all through its whole pipeline
# (IMAP fetch, MIME parse, rules, extraction, deduplication, commit, flag
# on the server) next to mbsync merely copying the same folder to a
# Maildir, in one run, against the same Dovecot.
#
#   bench/ingest.sh [COUNT] [RUNS]          (10000, 3)
#
# Each leadgate run starts with an empty database and the server's flags
# cleared. REPLIES=1 keeps the shipped rules' autoreplies (each then also
# rendered and spooled); by default the rules are the shipped ones without
# autoreplies, so both tools do comparable work.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/dovecot.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
runs=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
trap 'dove_stop "$dir"; rm -rf "$dir"' EXIT INT TERM

DOVE_OWNER=$$ "$top/bench/lib/dovecot_fill.sh" "$dir" "$count"

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

i=1
while [ "$i" -le "$runs" ]; do
	rm -rf "$dir/lg"
	mkdir -p "$dir/lg"
	dove_adm "$dir" flags remove -u bench '\Seen $LeadgateDone' \
	    mailbox INBOX ALL
	/usr/bin/time -v -o "$dir/time.txt" "$LG" -c "$dir/leadgate.conf" \
	    poll --connector bench >/dev/null 2>"$dir/poll.err"
	leads=$("$LG" -c "$dir/leadgate.conf" leads list --json | grep -c '"pipeline"')
	done_n=$(dove_flags "$dir" bench INBOX | grep -c LeadgateDone)
	printf 'leadgate run %d: %s wall, %s user, %s sys, peak RSS %s KiB; ' \
	    "$i" "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' \
	    "$dir/time.txt")" "$(field 'User time (seconds)' "$dir/time.txt")" \
	    "$(field 'System time (seconds)' "$dir/time.txt")" \
	    "$(field 'Maximum resident set size (kbytes)' "$dir/time.txt")"
	printf '%s leads, %s of %s marked done; %s\n' "$leads" "$done_n" \
	    "$count" "$(tail -n 1 "$dir/poll.err")"
	i=$((i + 1))
done
i=1
while [ "$i" -le "$runs" ]; do
	printf 'mbsync   run %d: ' "$i"
	"$top/bench/lib/mbsync.sh" "$dir"
	i=$((i + 1))
done
