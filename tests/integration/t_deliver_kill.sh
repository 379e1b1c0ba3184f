#!/bin/sh
# SIGKILL in the middle of a delivery run, then a second run: nothing is
# lost, and the only messages that can arrive twice are those the server
# had accepted when the kill came but whose acceptance was neither
# committed nor in the delivery journal (at most one per connection: the
# one whose data was going out). The second run replays the journal
# first; what it took from there counts as recorded. The sink answers
# DATA after a second, so the kill almost always lands in that wait,
# where no message is at risk; the checks below hold wherever it lands.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

N=60
CONNS=5
sink_start kill -w 1
lg_case kill "$(lg_smtp "$SINK_PORT" "connections = $CONNS;")" \
    "delivery = { batch = 6; };"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	lg_queue "$i"
done

lg_deliver_bg
pid=$LG_PID
i=0
while [ "$(sink_count)" -lt 20 ] && kill -0 "$pid" 2>/dev/null &&
    [ "$i" -lt 1200 ]; do
	i=$((i + 1))
	sleep 0.05
done
sleep 0.3	# into the next DATA wait of each connection
kill -9 "$pid"
wait "$pid"
check_eq "the first run was killed" "$?" 137
sink_idle || not_ok "the sink did not settle after the kill"
arrived=$(sink_count)
recorded=$(lg_sql "select count(*) from outgoing where state = 'sent'")
echo "# killed after $arrived arrived, $recorded recorded as sent in the store"
check "killed mid-run: some but not all sent" \
    test "$arrived" -gt 0 -a "$arrived" -lt "$N"

# The messages of the sessions open at the kill were recorded in flight:
# the second run counts that attempt and leaves them for
# delivery.inflight_delay; a third run after it sends them.
lg_deliver
check_eq "the second run completes" "$?" 0
journaled=$(sed -n 's/.*result journal: \([0-9]*\) of [0-9]* accepted.*/\1/p' \
    "$LG_HOME/deliver.err")
journaled=${journaled:-0}
unrecorded=$((arrived - recorded - journaled))
echo "# the journal held $journaled more;" \
    "$unrecorded arrived and were recorded nowhere"
check "every message recorded as sent did arrive" test "$unrecorded" -ge 0
check "at most one unrecorded message per connection" \
    test "$unrecorded" -le "$CONNS"
inflight=$(lg_sql "select count(*) from outgoing where state = 'deferred'
    and unconfirmed = 1 and next_attempt = $LG_T0 + 900")
echo "# $inflight messages were in flight at the kill"
check "the messages on the wire at the kill were found in flight" \
    test "$inflight" -ge "$unrecorded" -a "$inflight" -le $((CONNS * 6))
check_eq "the rest were sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" \
    $((N - inflight))
lg_deliver "$(lg_iso $((LG_T0 + 900)))"
check_eq "the third run completes" "$?" 0
sink_stop
check_eq "nothing lost: every message arrived" \
    "$(sink_msgids | wc -l | tr -d ' ')" "$N"
check_eq "nothing sent twice but the unrecorded ones" \
    "$(sink_msgids | awk '$1 > 1' | wc -l | tr -d ' ')" "$unrecorded"
check_eq "no message arrived three times" \
    "$(sink_msgids | awk '$1 > 2' | wc -l | tr -d ' ')" 0
check_eq "every row is sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" "$N"
check_eq "the spool is empty" "$(ls -A "$LG_HOME/spool/queue" \
    "$LG_HOME/spool/tmp" | grep -vc ':$\|^$')" 0
check_eq "the lead moved once" "$(lg_sql "select count(*) from history \
    where action = 'Réponse à la demande'")" 1
t_finish
