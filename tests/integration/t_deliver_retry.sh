#!/bin/sh
# Retries: a deferred message waits 300 s, then twice as long each time up
# to 4000 s, is sent once the server takes it, and is given up after five
# days. By hand: spool retry and cancel. The same key is never queued twice.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

out() { cat "$LG_HOME/deliver.out"; }

sink_start soft -r RCPT
lg_case backoff "$(lg_smtp "$SINK_PORT")"
lg_queue 1
t=$LG_T0
k=0
for wait in 300 600 1200 2400 4000 4000; do
	k=$((k + 1))
	lg_deliver "$(lg_iso "$t")"
	check_eq "attempt $k deferred" "$(out)" "0 sent, 1 deferred, 0 failed"
	next=$(lg_sql "select next_attempt from outgoing where id = 1")
	check_eq "attempt $k: the next one $wait s later" $((next - t)) "$wait"
	lg_deliver "$(lg_iso $((next - 1)))"
	check_eq "attempt $k: not due a second early" "$(out)" \
	    "0 sent, 0 deferred, 0 failed"
	t=$next
done
sink_stop
sink_start good
lg_config "$(lg_smtp "$SINK_PORT")"
lg_deliver "$(lg_iso "$t")"
check_eq "sent once the server takes it" "$(out)" "1 sent, 0 deferred, 0 failed"
check_eq "sent at attempt 7" "$(lg_sql "select state || ' ' || attempts \
    from outgoing where id = 1")" "sent 7"
check_eq "the lead moved on" "$(lg_sql "select phase_no from leads")" 3
check_eq "it arrived once" "$(sink_msgids)" "1 <1@test.example>"
sink_stop

sink_start giveup -r RCPT
lg_case giveup "$(lg_smtp "$SINK_PORT")"
lg_queue 1
lg_deliver
lg_deliver "$(lg_iso $((LG_T0 + 432000)))"
check_eq "still deferred after exactly five days" "$(lg_sql "select state \
    || ' ' || attempts from outgoing")" "deferred 2"
lg_deliver "$(lg_iso "$(lg_sql "select next_attempt from outgoing")")"
check_eq "given up after five days" "$(out)" "0 sent, 0 deferred, 1 failed"
check_eq "given up: the reason" "$(lg_sql "select last_reply from outgoing")" \
    "gave up after 3 attempts over 432600 s: 450 4.3.0 Error: command failed"
check_eq "given up: the address is not suppressed" \
    "$(lg_sql "select count(*) from suppression")" 0
check_eq "given up: the lead's history says so" "$(lg_sql "select remark \
    from history where action = 'delivery failed'")" \
    "'welcome' to anna@example.com: gave up after 3 attempts over 432600 s: 450 4.3.0 Error: command failed (temporary)"
sink_stop
sink_start giveup-retry
lg_config "$(lg_smtp "$SINK_PORT")"
later=$(lg_iso $((LG_T0 + 500000)))
check_eq "spool retry of a failed message" \
    "$(LEADGATE_NOW=$later "$LEADGATE" spool retry 1)" "outgoing 1 queued again"
check_eq "retry: queued, due now" "$(lg_sql "select state || ' ' || \
    next_attempt from outgoing")" "queued $((LG_T0 + 500000))"
lg_deliver "$later"
check_eq "retried and sent" "$(out)" "1 sent, 0 deferred, 0 failed"

# Cancel and retry by hand.
lg_queue 2
check_eq "cancel" "$("$LEADGATE" spool cancel 2)" "outgoing 2 cancelled"
lg_deliver "$later"
check_eq "a cancelled message is not sent" "$(out)" \
    "0 sent, 0 deferred, 0 failed"
LEADGATE_NOW=$later "$LEADGATE" spool retry 2 >/dev/null
lg_deliver "$later"
check_eq "retried after the cancel, sent" "$(out)" "1 sent, 0 deferred, 0 failed"
"$LEADGATE" spool cancel 2 2>"$LG_HOME/err"
check_eq "a sent message cannot be cancelled (exit 65)" "$?" 65
check_eq "cancel a sent message: the reason" "$(cat "$LG_HOME/err")" \
    "leadgate: spool cancel: outgoing message 2 is sent and cannot become cancelled"
"$LEADGATE" spool retry 2 2>"$LG_HOME/err"
check_eq "a sent message cannot be retried (exit 65)" "$?" 65
check_eq "two messages arrived, once each" "$(sink_msgids)" \
    "$(printf '1 <1@test.example>\n1 <2@test.example>')"
sink_stop

# The same key twice: refused, one row, one file.
lg_queue 3
lg_message 3 >"$LG_HOME/3b.eml"
"$LEADGATE" spool add --key k3 --to anna@example.com "$LG_HOME/3b.eml" \
    2>"$LG_HOME/err"
check_eq "the same key again is refused (exit 65)" "$?" 65
check_eq "the same key again: the reason" "$(cat "$LG_HOME/err")" \
    "leadgate: spool add: outgoing message 'k3' is already queued"
check_eq "the same key again: one row" \
    "$(lg_sql "select count(*) from outgoing where dedup_key = 'k3'")" 1
check_eq "the same key again: one file" \
    "$(ls "$LG_HOME/spool/queue" | wc -l | tr -d ' ')" 1

# retry --all: every failed or deferred message, except a suppressed one.
sink_start hard -f RCPT -B "550 5.1.1 No such user"
lg_case all "$(lg_smtp "$SINK_PORT")"
lg_queue 1
lg_deliver
sink_stop
"$LEADGATE" contacts add --first-name Bob --last-name Soft \
    --email bob@example.com >/dev/null
for i in 2 3; do
	lg_message "$i" >"$LG_HOME/$i.eml"
	"$LEADGATE" spool add --key "k$i" --to bob@example.com \
	    "$LG_HOME/$i.eml" >/dev/null
done
sink_start soft-all -r RCPT
lg_config "$(lg_smtp "$SINK_PORT")"
lg_deliver
sink_stop
"$LEADGATE" spool retry --all >"$LG_HOME/out" 2>"$LG_HOME/err"
check_eq "retry --all" "$(cat "$LG_HOME/out")" "2 queued again, 1 skipped"
check_eq "retry --all: why one was skipped" "$(cat "$LG_HOME/err")" \
    "leadgate: spool retry: skipped: outgoing 1: anna@example.com is on the suppression list (550 5.1.1 No such user)"
check_eq "retry --all: states" "$(lg_sql "select group_concat(state, ' ') \
    from outgoing")" "failed queued queued"

# One run at a time.
flock "$LG_HOME/spool/deliver.lock" "$LEADGATE" deliver \
    >"$LG_HOME/out" 2>"$LG_HOME/err"
check_eq "a second delivery run is refused (exit 75)" "$?" 75
check_eq "a second delivery run: the reason" "$(cat "$LG_HOME/err")" \
    "leadgate: deliver: another delivery run holds $LG_HOME/spool/deliver.lock"
t_finish
