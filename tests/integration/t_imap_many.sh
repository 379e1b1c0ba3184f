#!/bin/sh
# Many mailboxes, descriptors above 1024 (issue 17): the daemon watches
# 150 IMAP mailboxes (STARTTLS, IDLE) on one Dovecot while 1100
# descriptors it inherited are held open, so every socket it opens has a
# number above 1024. libetpan's own socket layer waits with select(), and
# a select() on such a descriptor aborts the process ("bit out of range 0
# - FD_SETSIZE"); ours polls. All mailboxes must be idle, the daemon
# alive, and an inquiry APPENDed to the last mailbox a lead. Printed: the
# time until all idled, the inquiry's time to a lead, the daemon's RSS
# and its descriptors per mailbox (the held ones not counted). Ten more
# connectors, first in the file, talk to a server that greets and then
# never answers: they hold a store connection each for their 600 s
# timeout, more than the pool has, and must hold up no one else.
# bench/mailboxes.sh runs the same with 1,000 mailboxes.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/mailboxes.sh"

N=${MANY_N:-150}
HELD=1100
# Sockets above 1024 need room for them: the hard descriptor limit.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((HELD + 4 * N + 200)) ]; then
	echo "# skipped: the hard descriptor limit ($hard) is too low for $HELD held and $N mailboxes"
	t_finish
	exit 0
fi
D=$T_DIR/dove
mkdir -p "$D"
mb_dovecot "$D" "$N" || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start main || { t_finish; exit 1; }
# Ten servers that never answer our login, more than the store pool
# holds: the mailboxes behind them must not wait for their timeout.
mb_hung "$T_DIR/hung.port"
at_exit "kill $!"
i=0
while [ ! -s "$T_DIR/hung.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
CONF=$T_DIR/leadgate.conf
MB_HUNG=10 MB_HUNG_PORT=$(cat "$T_DIR/hung.port") mb_conf "$CONF" "$D" "$N"
LOG=$T_DIR/daemon.log

now() { date +%s.%N; }
secs() { printf '%.2f' "$(echo "$2 - $1" | bc)"; }
all_idle() { [ "$(mb_links "$CONF" | cut -d' ' -f1)" -eq "$N" ]; }
wait_for() {
	_until=$(($(date +%s) + $1))
	shift
	while [ "$(date +%s)" -lt "$_until" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}
alive() { kill -0 "$DPID" 2>/dev/null; }

t0=$(now)
python3 "$TOP/tests/lib/fdfill.py" "$HELD" "$LEADGATE" -c "$CONF" run \
    2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "all $N mailboxes idle within 90 s" wait_for 90 all_idle
echo "# $(secs "$t0" "$(now)") s after the start, links (idle connected other): $(mb_links "$CONF")"
check "the daemon is alive" alive
high=$(ls -l "/proc/$DPID/fd" 2>/dev/null | awk '$NF ~ /^socket:/ && $9 + 0 >= 1024' | wc -l)
echo "# sockets with a descriptor number >= 1024: $high"
check "its IMAP sockets are numbered above 1024" [ "$high" -ge "$N" ]
if grep -q "FD_SETSIZE" "$LOG"; then
	not_ok "the log has a select() abort: $(grep FD_SETSIZE "$LOG")"
else
	ok "no select() abort in the log"
fi

t1=$(now)
dove_save "$D" "m$N" INBOX "$TOP/tests/data/parse/immoscout24/plain-utf8.eml"
has_lead() { [ "$("$LEADGATE" -c "$CONF" leads list --json | grep -c '"id"')" -ge 1 ]; }
if wait_for 60 has_lead; then
	ok "an inquiry to the last mailbox becomes a lead"
	echo "# the inquiry to m$N was a lead $(secs "$t1" "$(now)") s after it was saved"
else
	not_ok "an inquiry to the last mailbox becomes a lead: none within 60 s"
fi
check "the daemon is still alive" alive
fds=$(mb_fds "$DPID")
rss=$(mb_rss "$DPID")
echo "# daemon: RSS $((rss / 1024)) MB for $N mailboxes ($((rss / N)) kB each); $fds descriptors, $((fds - HELD)) without the $HELD held: $(echo "scale=2; ($fds - $HELD) / $N" | bc) per mailbox"
kill "$DPID"
wait "$DPID" 2>/dev/null
t_finish
