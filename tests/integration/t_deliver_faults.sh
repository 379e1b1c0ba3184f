#!/bin/sh
# Each fault of the smarthost, injected with smtp-sink's flags (LIBS.md
# section 9; -B sets the text of the 5xx replies), and what it does to two
# queued messages, as util/smtpfail.h classifies the reply by its codes
# and the stage it answers: 4xx, a full mailbox, a refused connection or
# EHLO, a timeout or a drop defer them (next attempt in 300 s) with their
# true reason; a refused sender, a policy or content refusal and other
# 5xx fail them with their class and leave the contact alone; only a dead
# mailbox (5.1.1, or a bare 550 to RCPT) also marks the contact's address
# invalid, suppresses it and says so in the history.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

# label | smtp-sink flags (sh words; "none": nothing listens) | state of
# message 1 | of message 2 | reply of 1 (ERE) | reply of 2 (ERE) | address
# refused | failure class of message 1 ("-": none recorded)
# (smtp-sink's -W answers the commands behind a delayed one first, out of
# order, when they come pipelined: the MAIL timeout case turns PIPELINING
# off, and -w delays the reply to DATA, the last command of a group.)
DROP='^localhost:[0-9]+: SMTP server dropped connection$'
CASES="4xx to RCPT|-r RCPT|deferred|deferred|^450 4\.3\.0 Error: command failed\$|^450 4\.3\.0|no|-
4xx to MAIL|-r MAIL|deferred|deferred|^450 4\.3\.0 Error: command failed\$|^450 4\.3\.0|no|-
4xx after the data|-r .|deferred|deferred|^450 4\.3\.0 Error: command failed\$|^450 4\.3\.0|no|-
421 to MAIL|-Q MAIL|deferred|deferred|^421 4\.0\.0 Server closing connection\$|^localhost:[0-9]+ answered: 421 4\.0\.0|no|-
drop at DATA|-q DATA|deferred|deferred|$DROP|$DROP|no|-
drop after the data|-q .|deferred|deferred|$DROP|$DROP|no|-
timeout at MAIL, no PIPELINING|-p -W MAIL:4|deferred|deferred|^no answer from localhost:[0-9]+ within 1 s \(smtp\.timeout\)\$|^no answer|no|-
timeout at DATA, pipelined|-w 4|deferred|deferred|^no answer from localhost:[0-9]+ within 1 s \(smtp\.timeout\)\$|^no answer|no|-
connection refused|none|deferred|deferred|^cannot connect to localhost:[0-9]+: Connection refused\$|^cannot connect|no|-
5xx to EHLO and HELO|-f EHLO,HELO|deferred|deferred|^localhost:[0-9]+ refused EHLO: 500 5\.3\.0 Error: command failed\$|^localhost:[0-9]+ refused EHLO: 500 5\.3\.0|no|-
EHLO refused, HELO taken, drop at DATA|-f EHLO -q DATA|deferred|deferred|$DROP|$DROP|no|-
5xx to the greeting|-f CONNECT|deferred|deferred|^localhost:[0-9]+ refused the connection: 500 5\.3\.0 Error: command failed\$|^localhost:[0-9]+ refused the connection|no|-
550 5.1.1 to RCPT|-f RCPT -B '550 5.1.1 <anna@example.com>: Recipient address rejected'|failed|failed|^550 5\.1\.1 <anna@example\.com>: Recipient address rejected\$|^550 5\.1\.1|yes|mailbox
bare 550 to RCPT|-f RCPT -B '550 No such user here'|failed|failed|^550 No such user here\$|^550 No such|yes|mailbox
552 5.2.2 mailbox full|-f RCPT -B '552 5.2.2 Mailbox full'|deferred|deferred|^552 5\.2\.2 Mailbox full\$|^552 5\.2\.2|no|-
550 5.7.1 after the data|-f . -B '550 5.7.1 Message rejected as spam'|failed|failed|^550 5\.7\.1 Message rejected as spam\$|^550 5\.7\.1|no|policy
554 5.7.1 to MAIL FROM|-f MAIL -B '554 5.7.1 Sender address rejected'|failed|failed|^554 5\.7\.1 Sender address rejected\$|^554 5\.7\.1|no|policy
5xx 5.3.0 to RCPT|-f RCPT|failed|failed|^500 5\.3\.0 Error: command failed\$|^500 5\.3\.0|no|system
5xx 5.3.0 after the data|-f .|failed|failed|^500 5\.3\.0 Error: command failed\$|^500 5\.3\.0|no|system
bare 550 after DATA, then no more|-A 0|failed|deferred|^550 This violates SMTP\$|^localhost:[0-9]+ answered: 550|no|content
5xx to MAIL (our sender)|-f MAIL|failed|failed|^500 5\.3\.0 Error: command failed\$|^500 5\.3\.0|no|system"

# next_of STATE: the next attempt a first failure of that kind sets.
next_of() {
	if [ "$1" = deferred ]; then echo $((LG_T0 + 300)); else echo 0; fi
}

# reply_check LABEL ID ERE
reply_check() {
	got=$(lg_sql "select last_reply from outgoing where id = $2")
	if echo "$got" | grep -Eq -- "$3"; then
		ok "$1: the reason of message $2 is recorded"
	else
		not_ok "$1: the reason of message $2: [$got] does not match /$3/"
	fi
}

n=0
while IFS='|' read -r label flags s1 s2 r1 r2 refused class; do
	n=$((n + 1))
	if [ "$flags" = none ]; then
		port=$(free_port)
	else
		eval "set -- $flags"
		sink_start "case$n" "$@" || continue
		port=$SINK_PORT
	fi
	lg_case "case$n" "$(lg_smtp "$port" "timeout = 1;")"
	lg_queue 1
	lg_queue 2
	lg_deliver
	check_eq "$label: the run worked" "$?" 0
	nf=0
	[ "$s1" = failed ] && nf=$((nf + 1))
	[ "$s2" = failed ] && nf=$((nf + 1))
	check_eq "$label: counts" "$(cat "$LG_HOME/deliver.out")" \
	    "0 sent, $((2 - nf)) deferred, $nf failed"
	check_eq "$label: states, one attempt each" "$(lg_sql "select \
	    group_concat(state || ' ' || attempts || ' ' || next_attempt, \
	    ', ') from outgoing")" \
	    "$s1 1 $(next_of "$s1"), $s2 1 $(next_of "$s2")"
	reply_check "$label" 1 "$r1"
	reply_check "$label" 2 "$r2"
	check_eq "$label: the failure class of message 1" \
	    "$(lg_sql "select coalesce(fail_class, '-') from outgoing where id = 1")" \
	    "$class"
	if grep -q "No Error" "$LG_HOME/deliver.err"; then
		not_ok "$label: the log gives 'No Error' as a reason"
	else
		ok "$label: no 'No Error' in the log"
	fi
	if [ "$refused" = yes ]; then
		check_eq "$label: the contact's address is invalid" \
		    "$(lg_sql "select invalid_address from contacts where id=1")" 1
		check_eq "$label: the address is suppressed" \
		    "$(lg_sql "select count(*) from suppression where \
		    address = 'anna@example.com'")" 1
	else
		check_eq "$label: the contact's address stays valid" \
		    "$(lg_sql "select invalid_address from contacts where id=1")" 0
		check_eq "$label: nothing suppressed" \
		    "$(lg_sql "select count(*) from suppression")" 0
	fi
	check_eq "$label: the lead's history says why it failed" \
	    "$(lg_sql "select count(*) from history where lead_id = 1 and \
	    action = 'delivery failed' and remark like \
	    '''welcome'' to anna@example.com: %'")" "$nf"
	check_eq "$label: the lead did not move" \
	    "$(lg_sql "select phase_no from leads where id = 1")" 2
	check_eq "$label: the files stay in the spool" \
	    "$(ls "$LG_HOME/spool/queue" | wc -l | tr -d ' ')" 2
	[ "$flags" = none ] || sink_stop
done <<EOF
$CASES
EOF
# Settings that cannot work: exit 78 before any connection, nothing changes.
# label | smtp settings | reason
SETTINGS='a HELO name with a space|helo = "mail agency";|smtp.helo '"'"'mail agency'"'"' is not a host name or an address literal
a HELO name with CRLF|helo = "a\r\nRSET";|smtp.helo '"'"'a??RSET'"'"' is not a host name or an address literal
a host name with a space|host = "mail relay";|smtp.host '"'"'mail relay'"'"' is not a host name or an IP address'
n=0
while IFS='|' read -r label settings want; do
	n=$((n + 1))
	[ -n "$settings" ] || continue
	lg_case "settings$n" "smtp = { port = 25; $settings };"
	lg_queue 1
	lg_deliver
	check_eq "$label: exit 78" "$?" 78
	check_eq "$label: the reason" "$(cat "$LG_HOME/deliver.err")" \
	    "leadgate: deliver: $want"
	check_eq "$label: the message waits" \
	    "$(lg_sql "select state || ' ' || attempts from outgoing")" "queued 0"
done <<EOF
$SETTINGS
EOF
t_finish
