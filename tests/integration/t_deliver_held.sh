#!/bin/sh
# Attempts that end in a crash. Killed before its data went out (the sink
# waits 5 s before it answers DATA), a message is not counted: the next
# run sends it as it was. Killed after its data went out (the sink waits
# 5 s before it answers the end of the data, so it has the message), the
# attempt is unconfirmed: the next run makes it wait
# delivery.inflight_delay, and the one after a second such attempt (above
# delivery.max_unconfirmed = 1) holds it for the admin. `spool list` and
# `status` show it held, no run sends it, `spool retry` releases it.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

# killed_run PORT NOW: a run at NOW, killed 0.5 s into its session.
killed_run() {
	lg_deliver_bg "$2"
	i=0
	while [ "$(connections_to "$1")" -eq 0 ] && [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	sleep 0.5
	kill -9 "$LG_PID"
	wait "$LG_PID" 2>/dev/null
}

# 1. Killed before the data: not an attempt.
sink_start before -w 5
lg_case before "$(lg_smtp "$SINK_PORT")"
lg_queue 1
killed_run "$SINK_PORT" "$LG_NOW"
check_eq "killed before the data: in flight, no data sent" \
    "$(lg_sql "select state, inflight > 0, wire from outgoing")" "queued|1|0"
CLOSED=$(free_port)
lg_config "$(lg_smtp "$CLOSED")"
lg_deliver
check_eq "next run: not counted, tried at once" \
    "$(lg_sql "select state, unconfirmed, inflight, attempts from outgoing")" \
    "deferred|0|0|1"
check_grep "next run: logged as never sent" \
    '1 messages of the sessions cut short never had their data sent' \
    "$LG_HOME/deliver.err"
sink_stop

# 2. Killed after the data, twice: held.
sink_start slow -p -W .:5
SLOW=$SINK_PORT
lg_case held "$(lg_smtp "$SLOW")"
lg_queue 1
killed_run "$SLOW" "$LG_NOW"
# The wire mark is in the delivery journal (no result came, so no group
# put it into the store); the next run takes it from there.
check_eq "killed after the data: in flight" \
    "$(lg_sql "select state, inflight > 0, unconfirmed from outgoing")" \
    "queued|1|0"
lg_deliver
check_grep "next run: the data sent is taken from the delivery journal" \
    'result journal: 1 messages out and 0 refusals of the last run' \
    "$LG_HOME/deliver.err"
check_eq "next run: counted, waits delivery.inflight_delay (900 s)" \
    "$(lg_sql "select state, unconfirmed, next_attempt - $LG_T0 from outgoing")" \
    "deferred|1|900"
check_grep "next run: the reason is in the log" \
    'deferred \(the attempt at 2026-01-05T10:00:00Z has no result' \
    "$LG_HOME/deliver.err"

killed_run "$SLOW" "$(lg_iso $((LG_T0 + 900)))"
lg_deliver "$(lg_iso $((LG_T0 + 901)))"
check_eq "second unconfirmed attempt: held" \
    "$(lg_sql "select state, unconfirmed, inflight from outgoing")" "held|2|0"
check_grep "held: logged as a warning" \
    'warn queue: outgoing 1 to anna@example.com: deferred -> held' \
    "$LG_HOME/deliver.err"
"$LEADGATE" spool list --state held >"$LG_HOME/list.out" 2>&1
check_grep "spool list --state held shows it" '^ *1 +held +2 ' \
    "$LG_HOME/list.out"
"$LEADGATE" status >"$LG_HOME/status.out" 2>&1
check_grep "status counts it" '^spool: .* 1 held$' "$LG_HOME/status.out"
lg_deliver "$(lg_iso $((LG_T0 + 100000)))"
check_eq "no run sends a held message" \
    "$(lg_sql "select state from outgoing")" held
sink_stop
check_eq "the slow sink got it once per unconfirmed attempt" \
    "$(sink_msgids)" "2 <1@test.example>"

sink_start fast
lg_config "$(lg_smtp "$SINK_PORT")"
LEADGATE_NOW=$(lg_iso $((LG_T0 + 100000))) "$LEADGATE" -v spool retry 1 \
    >"$LG_HOME/retry.out" 2>"$LG_HOME/retry.err"
check_eq "spool retry releases it" "$(cat "$LG_HOME/retry.out")" \
    "outgoing 1 queued again"
check_grep "the release is logged" 'held -> queued' "$LG_HOME/retry.err"
check_eq "released: queued, its count cleared" \
    "$(lg_sql "select state, unconfirmed from outgoing")" "queued|0"
lg_deliver "$(lg_iso $((LG_T0 + 100000)))"
check_eq "released: sent" "$(lg_sql "select state from outgoing")" sent
sink_stop
check_eq "released: arrived once" "$(sink_msgids)" "1 <1@test.example>"
t_finish
