#!/bin/sh
# A crash loop: delivery runs restarted at once after each of 40 SIGKILLs
# at random 50-500 ms intervals, to an smtp-sink that answers the end of
# the data of half the messages only after a second or more (a relay that
# scans content): a kill then lands while the sink has the message and
# leadgate has no answer, where a message can go twice. Then clean runs
# to the end. Without the admin, no message arrives more than twice
# (delivery.max_unconfirmed = 1) and every message not held arrives; the
# held ones go after `spool retry --all`. The test prints the largest
# count and the extra copies it saw. Every state change the log showed
# during the loop is one the store holds: sent and held are final there,
# so each message logged as sent (held) is sent (held) in the store.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

N=${KILLLOOP_N:-300}
KILLS=40
sink_start loop -p -W .:1:50
lg_case loop "$(lg_smtp "$SINK_PORT" "connections = 2;")" \
    "delivery = { batch = 2; inflight_delay = 1; give_up = 31536000; };"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	lg_queue "$i"
done

# The real clock from here: an unconfirmed message is due again 1 s later.
LOG=$LG_HOME/loop.log
: >"$LOG"
k=0
while [ "$k" -lt "$KILLS" ]; do
	k=$((k + 1))
	"$LEADGATE" -v deliver >>"$LG_HOME/loop.out" 2>>"$LOG" &
	pid=$!
	at_exit "kill -9 $pid"
	sleep "$(awk -v s="$k$$" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * 0.45 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
sink_idle || not_ok "the sink did not settle after the loop"
during=$(sink_msgids | wc -l | tr -d ' ')
echo "# $KILLS kills: $during of $N messages arrived during the loop"
check "the loop delivered some but not all" \
    test "$during" -gt 0 -a "$during" -lt "$N"

# The log against the store, before anything else changes it.
grep -o 'outgoing [0-9]* to [^:]*: [a-z]* -> [a-z]*' "$LOG" |
    awk '{ print $2, $NF }' >"$LG_HOME/logged"
for st in sent held; do
	awk -v s="$st" '$2 == s { print $1 }' "$LG_HOME/logged" | sort -u \
	    >"$LG_HOME/logged.$st"
	lg_sql "select id from outgoing where state = '$st'" | sort -u \
	    >"$LG_HOME/store.$st"
	check_eq "every message logged $st is $st in the store" \
	    "$(comm -23 "$LG_HOME/logged.$st" "$LG_HOME/store.$st" | wc -l | tr -d ' ')" 0
done
echo "# logged during the loop: $(wc -l <"$LG_HOME/logged.sent" | tr -d ' ') sent, $(wc -l <"$LG_HOME/logged.held" | tr -d ' ') held; unconfirmed attempts counted: $(lg_sql "select coalesce(sum(unconfirmed), 0) from outgoing")"

# Clean runs to the end (later clocks: every delay is over). The first
# finds the messages in flight at the last kill and makes them wait; the
# second sends them.
lg_deliver "$(lg_iso $(($(date +%s) + 60)))"
check_eq "the first clean run completes" "$?" 0
lg_deliver "$(lg_iso $(($(date +%s) + 120)))"
check_eq "the second clean run completes" "$?" 0
held=$(lg_sql "select count(*) from outgoing where state = 'held'")
sink_idle
max=$(sink_msgids | awk '$1 > m { m = $1 } END { print m + 0 }')
extra=$(sink_msgids | awk '{ n += $1 - 1 } END { print n + 0 }')
echo "# without the admin: $(sink_msgids | wc -l | tr -d ' ') of $N arrived, $held held; copies per Message-ID at most $max, extra copies in all $extra ($KILLS kills)"
check "without the admin: at most 2 copies of any message" test "$max" -le 2
check_eq "every message not held is sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" \
    $((N - held))
check_eq "a held message has had two unconfirmed attempts" \
    "$(lg_sql "select count(*) from outgoing where state = 'held' and
    unconfirmed = 2")" "$held"

# The admin sends the held ones again: each may now arrive a third time.
"$LEADGATE" spool retry --all >"$LG_HOME/retry.out" 2>&1
check_eq "spool retry --all releases the held ones" \
    "$(cat "$LG_HOME/retry.out")" "$held queued again, 0 skipped"
lg_deliver "$(lg_iso $(($(date +%s) + 180)))"
sink_idle
sink_stop
check_eq "every row is sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" "$N"
check_eq "every message arrived" "$(sink_msgids | wc -l | tr -d ' ')" "$N"
max=$(sink_msgids | awk '$1 > m { m = $1 } END { print m + 0 }')
extra=$(sink_msgids | awk '{ n += $1 - 1 } END { print n + 0 }')
echo "# after the admin released $held held: copies per Message-ID at most $max, extra copies in all $extra"
check "after the release: at most 3 copies of any message" test "$max" -le 3
check_eq "the spool is empty" "$(ls -A "$LG_HOME/spool/queue" | wc -l | tr -d ' ')" 0
t_finish
