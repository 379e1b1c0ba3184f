#!/bin/sh
# RFC 2920 pipelining, checked against a strict recording server
# (tests/lib/smtp_groups.py) that answers nothing before a group is
# complete, so a client that waits inside a group times out: the groups
# must be MAIL+RCPT+DATA, then content+"."+the next MAIL+RCPT+DATA (or
# QUIT), golden in tests/data/smtp/. One session also meets a fault at
# every stage (MAIL, RCPT 4xx/5xx with DATA refused, DATA, 4xx/5xx after
# the data, a drop after the data): each message gets its own verdict,
# RSET comes where a transaction stayed open, the one after the drop is
# left unanswered. Without PIPELINING the same server sees one command at
# a time. The bytes arrive as queued (dot-stuffing undone by the server).
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

GOLDEN=$TOP/tests/data/smtp

# groups_start NAME [OPTION]: the recording server (--no-pipelining,
# --size=N); GROUPS_PORT,
# GROUPS_LOG (its transcript) and GROUPS_MSGS (what it received).
groups_start() {
	GROUPS_LOG=$T_DIR/$1.transcript
	GROUPS_MSGS=$T_DIR/$1.msgs
	mkdir -p "$GROUPS_MSGS"
	GROUPS_PORT=$(free_port)
	python3 "$TOP/tests/lib/smtp_groups.py" "$GROUPS_PORT" "$GROUPS_LOG" \
	    "$GROUPS_MSGS" "$2" 2>"$T_DIR/$1.err" &
	at_exit "kill $!"
	wait_port "$GROUPS_PORT" 10 || not_ok "$1: the server did not start"
}

# add ID TO [FROM]: queue lg_message ID to TO.
add() {
	lg_message "$1" >"$LG_HOME/$1.eml"
	LEADGATE_NOW=$LG_NOW "$LEADGATE" spool add --key "k$1" --to "$2" \
	    --from "${3:-info@agency.example}" --lead 1 --contact 1 \
	    --template welcome "$LG_HOME/$1.eml" >/dev/null ||
	    not_ok "queue message $1"
}

# golden LABEL TRANSCRIPT FILE
golden() {
	check_file "$1: the groups are as in $3" "$2" "$GOLDEN/$3"
}

# 1. Three good messages, one session: one round trip each.
groups_start good
lg_case good "$(lg_smtp "$GROUPS_PORT" "timeout = 5; connections = 1;")" \
    "delivery = { batch = 20; };"
for i in 1 2 3; do add "g$i" "anna$i@example.com"; done
lg_deliver
check_eq "pipelined: the run worked" "$?" 0
check_eq "pipelined: all sent" "$(cat "$LG_HOME/deliver.out")" \
    "3 sent, 0 deferred, 0 failed"
golden "pipelined" "$GROUPS_LOG" pipelined.transcript
for i in 1 2 3; do
	check "pipelined: message g$i arrived byte for byte" \
	    cmp "$LG_HOME/g$i.eml" "$GROUPS_MSGS/$i.eml"
done

# 2. A fault at every stage in one pipelined session.
# id | to | from | state | last reply (ERE)
FAULTS="f1|ok1@example.com||sent|^250 2\.0\.0 queued\$
f2|rcpt4@example.com||deferred|^450 4\.2\.0 try later\$
f3|data5@example.com||failed|^554 5\.6\.0 data refused\$
f4|eod4@example.com||deferred|^451 4\.3\.0 local trouble\$
f5|eod5@example.com||failed|^550 5\.7\.1 message refused\$
f6|ok2@example.com|mail5@agency.example|failed|^554 5\.7\.1 sender refused\$
f7|ok3@example.com||sent|^250 2\.0\.0 queued\$
f8|rcpt5@example.com||failed|^550 5\.1\.1 no such user\$
f9|drop@example.com||deferred|^localhost:[0-9]+: SMTP server dropped connection\$
f10|ok4@example.com||deferred|^localhost:[0-9]+: SMTP server dropped connection\$"
groups_start faults
lg_case faults "$(lg_smtp "$GROUPS_PORT" "timeout = 5; connections = 1;")" \
    "delivery = { batch = 20; };"
while IFS='|' read -r id to from state want; do
	add "$id" "$to" "$from"
done <<EOF
$FAULTS
EOF
lg_deliver
check_eq "faults: the run worked" "$?" 0
check_eq "faults: counts" "$(cat "$LG_HOME/deliver.out")" \
    "2 sent, 4 deferred, 4 failed"
golden "faults" "$GROUPS_LOG" faults.transcript
n=0
while IFS='|' read -r id to from state want; do
	n=$((n + 1))
	got=$(lg_sql "select state || '|' || coalesce(last_reply, '') from \
	    outgoing where id = $n")
	case "$got" in
	"$state|"*) ok "faults: $id to $to is $state" ;;
	*) not_ok "faults: $id to $to: [$got], want $state" ;;
	esac
	if echo "${got#*|}" | grep -Eq -- "$want"; then
		ok "faults: $id: the reply"
	else
		not_ok "faults: $id: the reply [${got#*|}] does not match /$want/"
	fi
done <<EOF
$FAULTS
EOF
check_eq "faults: only the dead mailbox is suppressed" \
    "$(lg_sql "select group_concat(address) from suppression")" \
    "rcpt5@example.com"

# 3. No PIPELINING: one command at a time, RSET after a refused RCPT.
groups_start lockstep --no-pipelining
lg_case lockstep "$(lg_smtp "$GROUPS_PORT" "timeout = 5; connections = 1;")" \
    "delivery = { batch = 20; };"
add l1 ok1@example.com
add l2 rcpt5@example.com
add l3 ok2@example.com
lg_deliver
check_eq "lock-step: the run worked" "$?" 0
check_eq "lock-step: counts" "$(cat "$LG_HOME/deliver.out")" \
    "2 sent, 0 deferred, 1 failed"
golden "lock-step" "$GROUPS_LOG" lockstep.transcript
check "lock-step: message l3 arrived byte for byte" \
    cmp "$LG_HOME/l3.eml" "$GROUPS_MSGS/2.eml"

t_finish
