#!/bin/sh
# Throttling of campaign mail: the hourly budget leaves the rest queued
# untouched for a later run (earlier runs count), other mail is never
# held, sends are spaced, failures in a row pause campaign mail. No check
# here looks at how long anything took.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

# campaign_add ID: a campaign row for the outgoing rows to refer to.
campaign_add() {
	lg_sql "insert into campaigns (id, name, filter, template, created_at,
	    updated_at) values ($1, 'c$1', 'all', 'welcome', '$LG_NOW',
	    '$LG_NOW')"
}

# deliver_debug: lg_deliver with the debug log.
deliver_debug() {
	LEADGATE_NOW=$LG_NOW "$LEADGATE" -v -v deliver \
	    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
}

# Five campaign messages and two others, three a sliding hour.
sink_start hour
lg_case hour "$(lg_smtp "$SINK_PORT" "connections = 2;")" \
    "delivery = { batch = 2; };" "bulk = { rate_per_hour = 3; };"
campaign_add 1
for i in c1 c2 c3 c4 c5; do lg_queue "$i" --campaign 1; done
lg_queue p1
lg_queue p2 --template other
check "deliver exits 0" lg_deliver
check_eq "the others and three campaign messages go, two are held" \
    "$(cat "$LG_HOME/deliver.out")" \
    "5 sent, 0 deferred, 0 failed, 2 held by bulk.rate_per_hour"
check_eq "the others are sent" "$(lg_sql "select count(*) from outgoing \
    where campaign_id is null and state = 'sent'")" 2
check_eq "three campaign messages are sent" "$(lg_sql "select count(*) \
    from outgoing where campaign_id = 1 and state = 'sent'")" 3
check_eq "two stay queued, untouched" "$(lg_sql "select count(*) from \
    outgoing where campaign_id = 1 and state = 'queued' and attempts = 0 \
    and last_reply is null and next_attempt = 0")" 2
check_eq "their files stay in the spool" "$(lg_sql "select spool_name \
    from outgoing where state = 'queued'" | while read -r f; do
	[ -f "$LG_HOME/spool/queue/$f" ] && echo "$f"; done | wc -l)" 2
check_eq "five messages reached the server" "$(sink_count)" 5

check "a second run exits 0" lg_deliver
check_eq "the hour is still full: nothing goes" \
    "$(cat "$LG_HOME/deliver.out")" \
    "0 sent, 0 deferred, 0 failed, 2 held by bulk.rate_per_hour"
check_eq "still two queued, no attempt" "$(lg_sql "select count(*) from \
    outgoing where state = 'queued' and attempts = 0")" 2

check "a run an hour later exits 0" lg_deliver "$(lg_iso $((LG_T0 + 3601)))"
check_eq "an hour later the window has room for them" \
    "$(cat "$LG_HOME/deliver.out")" "2 sent, 0 deferred, 0 failed"
sink_stop
check_eq "seven messages reached the server, once each" \
    "$(sink_count) $(sink_msgids | awk '$1 != 1' | wc -l)" "7 0"

# Spaced sends: one campaign message a second, over two connections.
sink_start spaced
lg_case spaced "$(lg_smtp "$SINK_PORT" "connections = 2;")" \
    "delivery = { batch = 1; };" "bulk = { rate_per_sec = 1; };"
campaign_add 1
for i in s1 s2 s3; do lg_queue "$i" --campaign 1; done
check "a spaced run exits 0" deliver_debug
check_eq "every spaced message is sent" "$(cat "$LG_HOME/deliver.out")" \
    "3 sent, 0 deferred, 0 failed"
check_grep "a message waited for its slot" \
    'deliver: outgoing [0-9]*: waiting [0-9.]* s for its slot' \
    "$LG_HOME/deliver.err"
sink_stop

# Temporary failures in a row pause campaign mail, once.
sink_start pause -r rcpt
lg_case pause "$(lg_smtp "$SINK_PORT" "connections = 1;")" \
    "bulk = { pause_after_failures = 2; pause_seconds = 30; };"
campaign_add 1
for i in f1 f2 f3; do lg_queue "$i" --campaign 1; done
check "a failing run exits 0" lg_deliver
check_eq "every message is deferred" "$(cat "$LG_HOME/deliver.out")" \
    "0 sent, 3 deferred, 0 failed"
check_grep "the pause is logged" \
    'deliver: campaign mail paused for 30 s after 2 failed or deferred messages in a row' \
    "$LG_HOME/deliver.err"
check_eq "the pause is logged once" \
    "$(grep -c 'campaign mail paused' "$LG_HOME/deliver.err")" 1
sink_stop

# The same failures without a campaign: no pause.
sink_start plain -r rcpt
lg_case plain "$(lg_smtp "$SINK_PORT" "connections = 1;")" \
    "bulk = { pause_after_failures = 2; pause_seconds = 30; };"
for i in g1 g2 g3; do lg_queue "$i" --template "t$i"; done
check "a failing plain run exits 0" lg_deliver
check_eq "plain mail is deferred too" "$(cat "$LG_HOME/deliver.out")" \
    "0 sent, 3 deferred, 0 failed"
check_eq "plain mail never pauses" \
    "$(grep -c 'campaign mail paused' "$LG_HOME/deliver.err")" 0
sink_stop
t_finish
