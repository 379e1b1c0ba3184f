#!/bin/sh
# Mail that arrives while the daemon fetches is not left for the next
# round (issue 17): with IDLE on a real Dovecot and interval = 60, 40
# inquiries from distinct senders are APPENDed 25 ms apart; all 40 must
# be committed as leads within 20 s (before the fix the last one waited
# for the IDLE round to end, 60 s). The time of the last commit is
# printed. Then 20 single inquiries, each APPENDed once the daemon idles
# again: the latency from APPEND to the lead's commit, p50 and p95.
# Whether a burst hits the gap between the poll's search and the next
# IDLE is luck; so the last case makes it happen: a proxy holds the
# daemon's UID FETCH until one more inquiry is in the folder (the server
# announces it in the FETCH's answer), and that one must become a lead
# within 20 s, not at the end of the 60 s IDLE round.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"

D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" alice || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start main || { t_finish; exit 1; }

printf 'pw-alice\n' >"$T_DIR/imap.pw"
chmod 600 "$T_DIR/imap.pw"
cat >"$T_DIR/leadgate.conf" <<CONF
store = { path = "$T_DIR/lg.db"; default_country = "DE"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "$T_DIR/spool";
lock = "$T_DIR/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "debug"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = (
  { name = "inbox"; type = "imap"; host = "localhost";
    port = $(cat "$D/imap.port"); tls = "starttls"; user = "alice";
    password_file = "$T_DIR/imap.pw"; folders = [ "INBOX" ];
    idle = true; interval = 60; timeout = 10; }
);
CONF
export LEADGATE_CONFIG="$T_DIR/leadgate.conf"
LG=$LEADGATE
LOG=$T_DIR/daemon.log

# 62 inquiries, every one from a prospect of its own.
mkdir -p "$T_DIR/mails"
python3 "$TOP/bench/lib/gen_inquiries.py" --out "$T_DIR/mails" --count 62 \
    --seed 17 --unique || not_ok "generating the inquiries"
set -- $(ls "$T_DIR/mails" | sort | sed "s|^|$T_DIR/mails/|")
[ $# -eq 62 ] || not_ok "62 inquiries generated, got $#"

wait_for() {
	n=$(($1 * 20))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
idles() {
	"$LG" status --json | python3 -c 'import json, sys
sys.exit(0 if json.load(sys.stdin)["connectors"][0]["link"] == "idle" else 1)'
}

"$LG" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "the daemon idles on the INBOX" wait_for 30 idles

PORT=$(cat "$D/imap.port")
BURST=$(echo "$@" | cut -d' ' -f1-40)
# shellcheck disable=SC2086
python3 "$TOP/tests/lib/imap_burst.py" burst "$PORT" alice pw-alice \
    "$T_DIR/lg.db" 25 20 $BURST >"$T_DIR/burst.out"
rc=$?
sed 's/^/# burst: /' "$T_DIR/burst.out"
check_eq "all 40 inquiries of a burst 25 ms apart are leads within 20 s" \
    "$rc" 0
check_grep "the burst's figures were printed" "committed 40 of 40; last at" \
    "$T_DIR/burst.out"
grep -c "no IDLE: " "$LOG" | sed 's/^/# polls started again instead of idling: /'
check "the daemon idles again after the burst" wait_for 30 idles

SINGLES=$(echo "$@" | cut -d' ' -f41-60)
# shellcheck disable=SC2086
python3 "$TOP/tests/lib/imap_burst.py" single "$PORT" alice pw-alice \
    "$T_DIR/lg.db" 20 $SINGLES >"$T_DIR/single.out"
rc=$?
sed 's/^/# single: /' "$T_DIR/single.out"
check_eq "20 single inquiries each become a lead within 20 s" "$rc" 0
check_eq "60 leads in all" "$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM leads").fetchone()[0])' \
    "$T_DIR/lg.db")" 60
kill "$DPID"
wait "$DPID" 2>/dev/null

python3 "$TOP/tests/lib/tcpproxy.py" --port-file "$T_DIR/px.port" \
    --target "$PORT" --pause-on-client "UID FETCH" &
at_exit "kill $!"
wait_for 10 test -s "$T_DIR/px.port" || not_ok "the proxy did not start"
sed -e 's/host = "localhost";/host = "127.0.0.1";/' \
    -e "s/port = $PORT; tls = \"starttls\";/port = $(cat "$T_DIR/px.port"); tls = \"none\";/" \
    "$T_DIR/leadgate.conf" >"$T_DIR/px.conf"
grep -q 'tls = "none"' "$T_DIR/px.conf" ||
    not_ok "the proxied configuration: $(cat "$T_DIR/px.conf")"
export LEADGATE_CONFIG="$T_DIR/px.conf"
LOG=$T_DIR/px.log
"$LG" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "through the proxy: the daemon idles" wait_for 30 idles
# shellcheck disable=SC2086
python3 "$TOP/tests/lib/imap_burst.py" single "$PORT" alice pw-alice \
    "$T_DIR/lg.db" 20 $(echo "$@" | cut -d' ' -f61) >"$T_DIR/a.out" &
APID=$!
check "the daemon's UID FETCH is held" wait_for 30 test -e "$T_DIR/px.port.hit"
t0=$(date +%s.%N)
python3 "$TOP/tests/lib/imap_burst.py" single "$PORT" alice pw-alice \
    "$T_DIR/lg.db" 0 $(echo "$@" | cut -d' ' -f62) >/dev/null 2>&1
touch "$T_DIR/px.port.go"
wait "$APID"
has_leads() { [ "$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM leads").fetchone()[0])' \
    "$T_DIR/lg.db")" -ge "$1" ]; }
wait_for 90 has_leads 62
late=$(python3 -c "import sys, time; print('%.2f' % (time.time() - float(sys.argv[1])))" "$t0")
echo "# the inquiry that arrived during the fetch: a lead $late s after its APPEND (interval 60 s)"
check "an inquiry that arrived during the fetch is a lead within 20 s" \
    [ "$(echo "$late < 20" | bc)" -eq 1 ]
grep "no IDLE: " "$LOG" | sed 's/^/# /'
kill "$DPID"
wait "$DPID" 2>/dev/null
t_finish
