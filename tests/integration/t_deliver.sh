#!/bin/sh
# Delivery to smtp-sink: the messages arrive byte for byte, many over one
# connection or over several at once, each lead moves on, nothing stays
# in the spool.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

# Five messages, one connection.
sink_start one
lg_case one "$(lg_smtp "$SINK_PORT" "connections = 1;")" \
    "delivery = { batch = 50; };"
for i in 1 2 3 4 5; do lg_queue "$i"; done
check "deliver exits 0" lg_deliver
check_eq "deliver reports its counts" "$(cat "$LG_HOME/deliver.out")" \
    "5 sent, 0 deferred, 0 failed"
sink_stop
check_eq "five messages over one connection" "$(sink_sessions)" 1
for i in 1 2 3 4 5; do
	f=$(sink_file_of "<$i@test.example>")
	if [ -z "$f" ]; then
		not_ok "message $i arrived"
		continue
	fi
	sink_message "$f" >"$LG_HOME/got.$i"
	tr -d '\r' <"$LG_HOME/$i.eml" >"$LG_HOME/want.$i"
	check_file "message $i arrived byte for byte" "$LG_HOME/got.$i" \
	    "$LG_HOME/want.$i"
done
f=$(sink_file_of "<1@test.example>")
check_grep "the envelope sender" '^X-Mail-Args: <info@agency.example>$' "$f"
check_grep "the envelope recipient" '^X-Rcpt-Args: <anna@example.com>$' "$f"
check_eq "every row sent, at the first attempt" "$(lg_sql "select count(*) \
    from outgoing where state = 'sent' and attempts = 1 and \
    last_reply = '250 2.0.0 Ok' and sent_at is not null")" 5
check_eq "sent files leave the spool" \
    "$(ls "$LG_HOME/spool/queue" "$LG_HOME/spool/tmp" | grep -c .)" 2
check_eq "the lead moved to phase 3" \
    "$(lg_sql "select phase_no from leads where id = 1")" 3
check_eq "the move is the phase's action, once" \
    "$(lg_sql "select count(*) || ' ' || remark from history where \
    lead_id = 1 and action = 'Réponse à la demande'")" \
    "1 'welcome' to anna@example.com (250 2.0.0 Ok)"
check "a second run finds nothing due" lg_deliver
check_eq "a second run sends nothing" "$(cat "$LG_HOME/deliver.out")" \
    "0 sent, 0 deferred, 0 failed"

# The null reverse path, as autoreplies use (RFC 3834).
sink_start null
lg_case null "$(lg_smtp "$SINK_PORT")"
lg_message n1 >"$LG_HOME/n1.eml"
"$LEADGATE" spool add --key n1 --to anna@example.com "$LG_HOME/n1.eml" \
    >/dev/null
lg_deliver
check_grep "the null sender is MAIL FROM:<>" '^X-Mail-Args: <>$' \
    "$(sink_file_of "<n1@test.example>")"
sink_stop

# Twelve messages, three connections at once, two messages each: the
# sink answers DATA after a second, so all three are seen open together.
sink_start three -w 1
lg_case three "$(lg_smtp "$SINK_PORT" "connections = 3;")" \
    "delivery = { batch = 2; };"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do lg_queue "$i"; done
lg_deliver_bg
deliver_pid=$LG_PID
most=0
while kill -0 "$deliver_pid" 2>/dev/null && [ "$most" -lt 3 ]; do
	n=$(connections_to "$SINK_PORT")
	[ "$n" -gt "$most" ] && most=$n
	sleep 0.05
done
wait "$deliver_pid"
check_eq "three connections open at once" "$most" 3
check_eq "deliver reports twelve sent" "$(cat "$LG_HOME/deliver.out")" \
    "12 sent, 0 deferred, 0 failed"
sink_stop
check_eq "six sessions of two" "$(sink_sessions)" 6
check_eq "each message arrived once" "$(sink_msgids | awk '$1 != 1' | wc -l)" 0
check_eq "all twelve arrived" "$(sink_count)" 12
t_finish
