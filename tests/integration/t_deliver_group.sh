#!/bin/sh
# Delivery results go into the store in groups, but an open group is
# never left holding the store's write lock while a session waits for its
# server: the run's flusher commits it. The sink holds the reply to each
# message's end of data for 4 s (without PIPELINING: smtp-sink cannot
# delay a pipelined reply); while it holds the second message, the first
# one's result is already committed (another process sees it sent) and
# another writer gets the store. The build before the flusher fails the
# second and the fourth check.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

sink_start group -p -W .:4
lg_case group "$(lg_smtp "$SINK_PORT" "connections = 1;")"
for i in 1 2 3; do
	lg_queue "$i"
done

lg_deliver_bg
pid=$LG_PID
i=0
# The second message's data is out: the first one's result came before.
while [ "$(sink_count)" -lt 2 ] && kill -0 "$pid" 2>/dev/null &&
    [ "$i" -lt 600 ]; do
	i=$((i + 1))
	sleep 0.05
done
check_eq "the second message's data reached the sink" "$(sink_count)" 2
sleep 1	# within the sink's wait for the second message
check_eq "while the second waits, the first is committed as sent" \
    "$(lg_sql "select state from outgoing where id = 1")" sent
check_eq "while the second waits, the second is not recorded yet" \
    "$(lg_sql "select state from outgoing where id = 2")" queued
check "while the second waits, another process can write to the store" \
    sqlite3 -cmd '.timeout 1000' "$LG_DB" \
    "begin immediate; create table probe (x); drop table probe; commit;"
wait "$pid"
check_eq "the run completes" "$?" 0
check_eq "all three are sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" 3
check_eq "no attempt is left recorded" \
    "$(lg_sql "select count(*) from outgoing
    where wire != 0 or inflight != 0")" 0
t_finish
