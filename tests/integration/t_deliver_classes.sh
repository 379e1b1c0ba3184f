#!/bin/sh
# Campaign mail refused by the relay, by class (util/smtpfail.h): a spam
# verdict after the data (550 5.7.1) and a content refusal (554 5.6.0)
# fail the messages and are counted per campaign (mail campaigns, text
# and --json) and in status, with the server's reply recorded, and leave
# every contact alone; a dead mailbox (550 5.1.1 to RCPT) suppresses the
# addresses and marks them invalid.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE

add_contact() {
	"$LG" contacts add --first-name "$1" --last-name Test --email "$2" \
	    >/dev/null && "$LG" leads add --contact "$3" --source web \
	    --object "OBJ-$3" >/dev/null || not_ok "add contact $1"
}

# campaign NAME: one message per contact, delivered at once.
campaign() {
	"$LG" mail bulk --filter 'source = "web"' --template object-news \
	    --name "$1" --yes >"$LG_HOME/$1.out" 2>"$LG_HOME/$1.err"
}

# json_of NAME FIELD...: those fields of campaign NAME in mail campaigns --json.
json_of() {
	"$LG" mail campaigns --json | python3 -c 'import json, sys
c = [c for c in json.load(sys.stdin) if c["name"] == sys.argv[1]][0]
print(" ".join(str(c[k]) for k in sys.argv[2:]))' "$@"
}

status_failures() {
	"$LG" status --json | python3 -c 'import json, sys
f = json.load(sys.stdin)["failures"]
print(" ".join("%s=%d" % (k, f[k]) for k in sys.argv[1:]))' "$@"
}

untouched() {
	check_eq "$1: no address suppressed" \
	    "$(lg_sql "select count(*) from suppression")" 0
	check_eq "$1: every contact's address stays valid" \
	    "$(lg_sql "select sum(invalid_address) from contacts")" 0
}

sink_start spam -f . -B "550 5.7.1 Message rejected as spam" ||
    { t_finish; exit 1; }
lg_case classes
bounce_config
add_contact Bob bob@example.com 2
add_contact Carl carl@example.com 3
campaign spam
check_grep "spam: three messages failed" "^delivery: 0 sent, 0 deferred, 3 failed" \
    "$LG_HOME/spam.out"
check_eq "spam: the reply and class of each" \
    "$(lg_sql "select group_concat(distinct state || ' ' || fail_class || ' ' || \
    last_reply) from outgoing")" \
    "failed policy 550 5.7.1 Message rejected as spam"
untouched spam
check_eq "spam: mail campaigns --json counts 3 policy refusals" \
    "$(json_of spam failed policy content)" "3 3 0"
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "spam: mail campaigns shows POLICY and CONTENT" \
    '^NAME +TEMPLATE +MATCHED +QUEUED +SKIPPED +SENT +WAITING +FAILED +BOUNCED +COMPLAINED +POLICY +CONTENT +CREATED' \
    "$LG_HOME/camps"
check_grep "spam: ... with its counts" \
    '^spam +object-news +3 +3 +0 +0 +0 +3 +0 +0 +3 +0 ' "$LG_HOME/camps"
sink_stop

sink_start content -f . -B "554 5.6.0 Content rejected" ||
    { t_finish; exit 1; }
bounce_config
campaign content
check_grep "content: three messages failed" \
    "^delivery: 0 sent, 0 deferred, 3 failed" "$LG_HOME/content.out"
untouched content
check_eq "content: counted as content" "$(json_of content failed policy content)" \
    "3 0 3"
check_eq "status counts both" "$(status_failures policy content mailbox)" \
    "policy=3 content=3 mailbox=0"
"$LG" status >"$LG_HOME/status.txt"
check_grep "status in words" "^failures: 3 policy, 3 content$" \
    "$LG_HOME/status.txt"
sink_stop

sink_start dead -f RCPT -B "550 5.1.1 No such user here" ||
    { t_finish; exit 1; }
bounce_config
campaign dead
check_grep "dead: three messages failed" \
    "^delivery: 0 sent, 0 deferred, 3 failed" "$LG_HOME/dead.out"
check_eq "dead: the addresses are suppressed with the reply" \
    "$(lg_sql "select count(*) || ' ' || min(reason) from suppression")" \
    "3 550 5.1.1 No such user here"
check_eq "dead: the contacts' addresses are invalid" \
    "$(lg_sql "select sum(invalid_address) from contacts")" 3
check_eq "dead: not counted as policy or content" \
    "$(json_of dead failed policy content)" "3 0 0"
check_eq "status counts the dead mailboxes" \
    "$(status_failures policy content mailbox)" \
    "policy=3 content=3 mailbox=3"
sink_stop
t_finish
