#!/bin/sh
# A lost IMAP connection is noticed within seconds: the daemon idles on a
# real Dovecot, Dovecot is stopped (its connections die with it) and
# started again on the same port. The log says the connection to the
# mailbox was lost and why, `status` shows it lost with the next try, the
# daemon reconnects with its backoff (the first try after a second or
# two, doubling up to reconnect_max = 4 s) soon after the server is back,
# `status` shows it idle again, and a mail delivered after the restart
# becomes a lead. The seconds from the server's return to the reconnect
# are printed and must stay under 5 (reconnect_max plus the connection).
# Then a server that goes silent (a proxy that stops forwarding our DONE,
# keeping the connection open): the keepalive's IDLE end and its read
# timeout notice it, and the daemon reconnects.
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
log = { level = "info"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = (
  { name = "inbox"; type = "imap"; host = "localhost";
    port = $(cat "$D/imap.port"); tls = "starttls"; user = "alice";
    password_file = "$T_DIR/imap.pw"; folders = [ "INBOX" ];
    idle = true; interval = 60; timeout = 5; keepalive = 30;
    reconnect_max = 4; }
);
CONF
export LEADGATE_CONFIG="$T_DIR/leadgate.conf"
LG=$LEADGATE
LOG=$T_DIR/daemon.log

# wait_for SECONDS CMD...: until CMD succeeds.
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
link_is() {
	"$LG" status --json | python3 -c 'import json, sys
c = json.load(sys.stdin)["connectors"][0]
sys.exit(0 if c["link"] in sys.argv[1:] else 1)' "$@"
}
has_leads() { [ "$("$LG" leads list --json | grep -c '"id"')" -ge "$1" ]; }
now() { date +%s.%N; }
# secs T0 T1: the seconds between two now() values, two decimals.
secs() { printf '%.2f' "$(echo "$2 - $1" | bc)"; }
# dove_kill: Dovecot killed outright, its master and the processes it
# started (the one serving our connection among them), by their pids.
dove_kill() {
	k_master=$(cat "$D/run/master.pid")
	k_kids=$(ps -o pid= --ppid "$k_master" | tr '\n' ' ')
	# shellcheck disable=SC2086
	kill -9 "$k_master" $k_kids 2>/dev/null
	rm -f "$D/run/master.pid"
}

"$LG" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "the daemon connects" wait_for 30 grep -q "imap: inbox: connected to localhost:.* as alice" "$LOG"
check "status shows the connection idle" wait_for 30 link_is idle
dove_save "$D" alice INBOX "$TOP/tests/data/parse/immoscout24/plain-utf8.eml"
check "a first mail becomes a lead" wait_for 60 has_leads 1

# The server dies: its processes and connections with it.
t_stop=$(now)
dove_kill
check "the log says the connection was lost, naming the mailbox" \
    wait_for 30 grep -q "imap: inbox (alice@localhost, INBOX): connection lost: .*; reconnecting in [12] s" "$LOG"
t_lost=$(now)
echo "# the loss was logged $(secs "$t_stop" "$t_lost") s after the server was killed"
grep "connection lost" "$LOG" | head -1 | sed 's/^/# /'
check "status shows it lost or reconnecting" wait_for 10 link_is lost reconnecting
"$LG" status --json >"$T_DIR/status-lost.json"
check_eq "status --json: when it was lost, why, and the next try" \
    "$(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))["connectors"][0]
print(all(c.get(k) for k in ("lost_at", "lost_why", "next_try")))' \
    "$T_DIR/status-lost.json")" True
"$LG" status >"$T_DIR/status-lost.txt"
check_grep "status in words: lost since T, next try at T" \
    "(lost|reconnecting, lost) since 20[0-9-]+T[0-9:]+Z, next try at 20" \
    "$T_DIR/status-lost.txt"

# Back on the same port, a few seconds later (reconnects fail meanwhile).
sleep 3
dove_start "$D" || not_ok "dovecot restart"
t_back=$(now)
check "the log says it reconnected" \
    wait_for 60 grep -q "imap: inbox (alice@localhost, INBOX): reconnected" "$LOG"
t_re=$(now)
back=$(secs "$t_back" "$t_re")
echo "# reconnected $back s after the server was back, $(secs "$t_stop" "$t_re") s after it was killed ($(grep -c '\[inbox\] .*next try in' "$LOG") failed tries meanwhile)"
grep "reconnected\|\[inbox\] .*next try in" "$LOG" | sed 's/^/# /'
check "the reconnect came within 5 s of the server's return" \
    [ "$(echo "$back < 5" | bc)" -eq 1 ]
check "status shows it idle again" wait_for 30 link_is idle
dove_save "$D" alice INBOX "$TOP/tests/data/parse/seloger/plain-utf8.eml"
check "a mail delivered after the restart becomes a lead" wait_for 60 has_leads 2
kill "$DPID"
wait "$DPID" 2>/dev/null

# A silent server: in plain text (loopback) through a proxy that forwards
# nothing from the client once it sends DONE, the end of the first
# keepalive round; later connections pass.
python3 "$TOP/tests/lib/tcpproxy.py" --port-file "$T_DIR/silent.port" \
    --target "$(cat "$D/imap.port")" --stall-on-client DONE &
at_exit "kill $!"
wait_for 10 test -s "$T_DIR/silent.port" || not_ok "the proxy did not start"
sed -e "s/host = \"localhost\"; *$/host = \"127.0.0.1\";/" \
    -e "s/port = $(cat "$D/imap.port"); tls = \"starttls\";/port = $(cat "$T_DIR/silent.port"); tls = \"none\";/" \
    -e 's/timeout = 5; keepalive = 30;/timeout = 2; keepalive = 5;/' \
    "$T_DIR/leadgate.conf" >"$T_DIR/silent.conf"
grep -q 'keepalive = 5;' "$T_DIR/silent.conf" &&
    grep -q 'tls = "none"' "$T_DIR/silent.conf" ||
    not_ok "the silent case's configuration: $(cat "$T_DIR/silent.conf")"
LOG=$T_DIR/silent.log
"$LG" -c "$T_DIR/silent.conf" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "silent: the daemon connects through the proxy" \
    wait_for 30 grep -q "imap: inbox: connected to 127.0.0.1:.* as alice" "$LOG"
check "silent: the first keepalive round ends with DONE, which the proxy swallows" \
    wait_for 30 test -e "$T_DIR/silent.port.hit"
t_hit=$(now)
check "silent: the loss is logged" \
    wait_for 30 grep -q "imap: inbox (alice@127.0.0.1, INBOX): connection lost: .*IDLE" "$LOG"
t_lost=$(now)
echo "# silent server: the loss was logged $(secs "$t_hit" "$t_lost") s after it went silent (timeout = 2)"
grep "connection lost" "$LOG" | sed 's/^/# /'
check "silent: it reconnects" \
    wait_for 30 grep -q "imap: inbox (alice@127.0.0.1, INBOX): reconnected" "$LOG"
grep "reconnected" "$LOG" | sed 's/^/# /'
dove_save "$D" alice INBOX "$TOP/tests/data/parse/homegate/de-plain.eml"
check "silent: a new mail after the reconnect becomes a lead" \
    wait_for 60 has_leads 3
kill "$DPID"
wait "$DPID" 2>/dev/null
t_finish
