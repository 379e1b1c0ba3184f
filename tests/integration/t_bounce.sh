#!/bin/sh
# Bounces and complaints against real peers: bulk mail to smtp-sink goes
# out with a VERP envelope sender per message (its HMAC checked with
# openssl); delivery status notifications as Postfix writes them, about
# those messages, come back through a Maildir connector: a hard bounce
# suppresses the address and marks it invalid, soft bounces do so at
# bounce.soft_limit, an ARF complaint unsubscribes, a forged VERP is held
# in quarantine and changes nothing; no report becomes a lead or gets an
# answer, the autoreply's own bounce included. Without VERP, a bounce is
# matched by the Message-ID it returns.
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

# counts: "contacts leads outgoing": what a report must never add to.
counts() {
	lg_sql "select (select count(*) from contacts) || ' ' ||
	    (select count(*) from leads) || ' ' ||
	    (select count(*) from outgoing)"
}

# ---------------------------------------------------------------------
# A campaign to four contacts, each message with its own envelope sender.
sink_start verp || { t_finish; exit 1; }
lg_case verp
bounce_config "$(verp_lines)"
add_contact Bob bob@example.com 2
add_contact Carl carl@example.com 3
add_contact Dora dora@example.com 4
check "config check reads the VERP secret" "$LG" config check
check "the campaign" "$LG" mail bulk --filter 'source = "web"' \
    --template object-news --name news --yes
sink_idle
check_eq "four messages arrived" "$(sink_count)" 4
for id in 1 2 3 4; do
	rcpt=$(lg_sql "select rcpt from outgoing where id = $id")
	want=$(verp_of "$id")
	check_eq "message $id: the stored envelope sender is its VERP" \
	    "$(lg_sql "select sender from outgoing where id = $id")" "$want"
	f=$(sink_file_to "$rcpt")
	check_grep "message $id: MAIL FROM is its VERP address" \
	    "^X-Mail-Args: <$(re "$want")>" "$f"
	check_grep "message $id: the stored Message-ID is the one sent" \
	    "^Message-ID: <$(lg_sql "select message_id from outgoing \
	    where id = $id")>" "$f"
done
check_eq "four different senders" "$(grep -h '^X-Mail-Args:' \
    "$SINK_DIR"/m.* | sort -u | wc -l | tr -d ' ')" 4
before=$(counts)

# A hard bounce for Anna (message 1), as Postfix writes it.
sink_headers "$(sink_file_to anna@example.com)" >"$LG_HOME/h1"
postfix_dsn "$(verp_of 1)" anna@example.com failed 5.1.1 \
    "550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown" \
    "$LG_HOME/h1" 4F1C2A0001 | drop 1772618400.1.mx
check "poll the bounce" poll_bounces
check_grep "it is applied to message 1" \
    "ignored, contact 1: hard bounce of 'object-news' \\(message 1\\) to anna@example.com: 550 5.1.1" \
    "$LG_HOME/poll.out"
check_eq "Anna's address is on the suppression list" \
    "$(lg_sql "select reason from suppression where address = \
    'anna@example.com'")" \
    "bounced: 550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown (mail.$BOUNCE_DOMAIN)"
check_eq "her address is marked invalid" \
    "$(lg_sql "select invalid_address from contacts where id = 1")" 1
check_eq "her lead's history says so" "$(lg_sql "select count(*) from \
    history where lead_id = 1 and action = 'bounce' and remark like \
    'hard bounce of ''object-news'' (message 1)%'")" 1
check_eq "no contact, lead or message came of it" "$(counts)" "$before"
check "contacts show says the address is invalid" \
    sh -c "'$LG' contacts show 1 | grep -q '^  invalid address$'"
check "contacts list marks it" \
    sh -c "'$LG' contacts list | grep -q 'anna@example.com (invalid)'"
check_eq "the Maildir message is done" \
    "$(ls "$LG_HOME/Maildir/new" | wc -l | tr -d ' ')" 0
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns counts it as bounced" \
    '^news +object-news +4 +4 +0 +4 +0 +0 +1 +0 ' "$LG_HOME/camps"

# The same report again: nothing more.
postfix_dsn "$(verp_of 1)" anna@example.com failed 5.1.1 \
    "550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown" \
    "$LG_HOME/h1" 4F1C2A0001 | drop 1772618400.2.mx
poll_bounces
check_grep "the same report is a duplicate" "duplicate, contact 1" \
    "$LG_HOME/poll.out"
# Another report about the same message (another MTA's, say): applied once.
postfix_dsn "$(verp_of 1)" anna@example.com failed 5.1.1 "550 5.1.1 no such user" \
    "$LG_HOME/h1" 4F1C2A0002 | drop 1772618400.3.mx
poll_bounces
check_grep "another report of it changes nothing" \
    "hard report about 'object-news' \\(message 1\\) to anna@example.com was applied before: nothing changed" \
    "$LG_HOME/poll.out"
check_eq "one bounce entry in the history" "$(lg_sql "select count(*) \
    from history where action = 'bounce'")" 1
check_eq "one bounce recorded" "$(lg_sql "select count(*) from bounces")" 1

# A complaint about Carl's message (3): unsubscribed.
sink_message "$(sink_file_to carl@example.com)" | tr -d '\r' >"$LG_HOME/m3"
arf_report "fbl@$BOUNCE_DOMAIN" abuse "$(verp_of 3)" carl@example.com \
    "$LG_HOME/m3" 1 | drop 1772618400.4.fbl
check "poll the complaint" poll_bounces
check_grep "it unsubscribes Carl" \
    "ignored, contact 3: complaint \\(abuse\\) about 'object-news' \\(message 3\\) to carl@example.com \\(mail.feedback.example\\): unsubscribed carl@example.com \\(contact 3\\)" \
    "$LG_HOME/poll.out"
check_eq "Carl is opted out, his address suppressed" \
    "$(lg_sql "select c.opt_out || ' ' || s.reason from contacts c, \
    suppression s where c.id = 3 and s.address = 'carl@example.com'")" \
    "1 unsubscribed (complaint)"
check_eq "his address is not marked invalid" \
    "$(lg_sql "select invalid_address from contacts where id = 3")" 0
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns counts the complaint" \
    '^news +object-news +4 +4 +0 +4 +0 +0 +1 +1 ' "$LG_HOME/camps"
"$LG" mail campaigns --json >"$LG_HOME/camps.json"
check_grep "... and so does --json" '"complained": 1' "$LG_HOME/camps.json"

# A forged bounce for Dora: her VERP address with another HMAC.
forged=$(verp_of 4 | sed 's/-[0-9a-f]*@/-0123456789abcdef@/')
sink_headers "$(sink_file_to dora@example.com)" >"$LG_HOME/h4"
supp=$(lg_sql "select count(*) from suppression")
hist=$(lg_sql "select count(*) from history")
postfix_dsn "$forged" dora@example.com failed 5.1.1 "550 5.1.1 unknown" \
    "$LG_HOME/h4" 4F1C2A0004 | drop 1772618400.5.mx
poll_bounces
check_grep "a forged bounce is held with the reason" \
    "quarantined, quarantine 1: VERP address $(re "$forged"): wrong HMAC for message 4" \
    "$LG_HOME/poll.out"
check_eq "nothing changed: the suppression list" \
    "$(lg_sql "select count(*) from suppression")" "$supp"
check_eq "... the history" "$(lg_sql "select count(*) from history")" "$hist"
check_eq "... Dora's address" "$(lg_sql "select invalid_address || opt_out \
    from contacts where id = 4")" 00
check_eq "... and no bounce is recorded for her message" \
    "$(lg_sql "select count(*) from bounces where outgoing_id = 4")" 0
check_eq "the quarantine keeps it with the reason" \
    "$(lg_sql "select state || ': ' || substr(reason, 1, 12) from \
    quarantine")" "held: VERP address"

# The true bounce of Dora's message: a spam verdict (5.7.1) is a refusal
# of that message, not a dead address (util/smtpfail.h).
postfix_dsn "$(verp_of 4)" dora@example.com failed 5.7.1 \
    "550 5.7.1 Message rejected as spam by Content Filtering" \
    "$LG_HOME/h4" 4F1C2A0008 | drop 1772618400.51.mx
check "poll the 5.7.1 bounce" poll_bounces
check_grep "it is applied as a policy refusal" \
    "ignored, contact 4: refused \\(policy\\) 'object-news' \\(message 4\\) to dora@example.com: 550 5.7.1 Message rejected as spam by Content Filtering \\(mail.$BOUNCE_DOMAIN\\); the address stays" \
    "$LG_HOME/poll.out"
check_eq "5.7.1: Dora's address is not suppressed" \
    "$(lg_sql "select count(*) from suppression where address = \
    'dora@example.com'")" 0
check_eq "5.7.1: her address stays valid" \
    "$(lg_sql "select invalid_address || opt_out from contacts where id = 4")" 00
check_eq "5.7.1: the message keeps its class and the report" \
    "$(lg_sql "select o.fail_class || ' ' || b.kind || ' ' || b.status \
    from outgoing o join bounces b on b.outgoing_id = o.id where o.id = 4")" \
    "policy hard 5.7.1"
check_eq "5.7.1: her lead's history says why" "$(lg_sql "select count(*) \
    from history where lead_id = 4 and action = 'bounce' and remark like \
    'refused (policy) ''object-news'' (message 4)%550 5.7.1 Message rejected%'")" 1
check_eq "the 5.1.1 bounce of message 1 has class mailbox" \
    "$(lg_sql "select fail_class from outgoing where id = 1")" mailbox
"$LG" mail campaigns --json >"$LG_HOME/camps.json"
check_eq "mail campaigns --json counts one policy refusal" \
    "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[0];
print(c["name"], c["bounced"], c["policy"], c["content"])' "$LG_HOME/camps.json")" \
    "news 2 1 0"
"$LG" status --json >"$LG_HOME/status.json"
check_eq "status --json counts the failures by class" \
    "$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["failures"];
print(f["mailbox"], f["policy"], f["content"])' "$LG_HOME/status.json")" \
    "1 1 0"
"$LG" status >"$LG_HOME/status.txt"
check_grep "status says so in words" \
    "^failures: .*1 mailbox.*1 policy" "$LG_HOME/status.txt"

# Soft bounces (bounce.soft_limit 2): Bob's first message is delayed...
sink_headers "$(sink_file_to bob@example.com)" >"$LG_HOME/h2"
postfix_dsn "$(verp_of 2)" bob@example.com delayed 4.4.1 \
    "connect to mx.example.net[192.0.2.25]:25: Connection timed out" \
    "$LG_HOME/h2" 4F1C2A0005 | drop 1772618400.6.mx
poll_bounces
check_grep "a soft bounce, below the limit" \
    "soft bounce of 'object-news' \\(message 2\\) to bob@example.com: 4.4.1 .*; 1 of 2 soft bounces within 30 days" \
    "$LG_HOME/poll.out"
check_eq "below the limit the address stays" "$(lg_sql "select \
    (select count(*) from suppression where address = 'bob@example.com') \
    || (select invalid_address from contacts where id = 2)")" 00
check_eq "Bob's lead notes the soft bounce" "$(lg_sql "select count(*) \
    from history where lead_id = 2 and action = 'soft bounce'")" 1
# ... and delayed again: the same message counts once.
postfix_dsn "$(verp_of 2)" bob@example.com delayed 4.4.1 \
    "connect to mx.example.net[192.0.2.25]:25: Connection timed out" \
    "$LG_HOME/h2" 4F1C2A0006 | drop 1772618400.7.mx
poll_bounces
check_grep "a second delay of the same message changes nothing" \
    "was applied before: nothing changed" "$LG_HOME/poll.out"
check_eq "Bob still has his address" "$(lg_sql "select invalid_address \
    from contacts where id = 2")" 0
# A second message to Bob fails with a 4.x.x status: the limit.
check "a second campaign, to Bob" "$LG" mail bulk --filter 'contact = 2' \
    --template object-news --name second --yes
sink_idle
id2=$(lg_sql "select id from outgoing where contact_id = 2 order by id desc \
    limit 1")
check_eq "it has its own VERP" "$(lg_sql "select sender from outgoing \
    where id = $id2")" "$(verp_of "$id2")"
sink_headers "$(sink_file_to bob@example.com)" >"$LG_HOME/h5"
postfix_dsn "$(verp_of "$id2")" bob@example.com failed 4.4.7 \
    "delivery temporarily suspended: connect to mx.example.net: timed out" \
    "$LG_HOME/h5" 4F1C2A0007 | drop 1772618400.8.mx
poll_bounces
check_grep "the second soft bounce reaches the limit" \
    "soft bounce of 'object-news' \\(message $id2\\) to bob@example.com: .*2 of 2 soft bounces within 30 days; suppressed, address marked invalid" \
    "$LG_HOME/poll.out"
check_eq "Bob's address is suppressed and invalid" "$(lg_sql "select \
    (select count(*) from suppression where address = 'bob@example.com') \
    || (select invalid_address from contacts where id = 2)")" 11
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "a message that failed for good counts as bounced" \
    '^second +object-news +1 +1 +0 +1 +0 +0 +1 +0 ' "$LG_HOME/camps"

# An inquiry: a lead and its autoreply, which goes out with a VERP too.
cat <<'EOF' | drop 1772618400.9.in
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Wohnung OBJ-9
Message-ID: <anfrage-9@example.org>
Date: Wed, 04 Mar 2026 09:00:00 +0100

Guten Tag, ist die Wohnung OBJ-9 noch frei? Eva Example
EOF
poll_bounces
check_grep "the inquiry is a lead" "new lead, lead 5, contact 5" \
    "$LG_HOME/poll.out"
ar=$(lg_sql "select id from outgoing where lead_id = 5")
check_eq "its autoreply has a VERP sender" \
    "$(lg_sql "select sender from outgoing where id = $ar")" "$(verp_of "$ar")"
check "deliver it" lg_deliver
sink_idle
f=$(sink_file_to eva@example.org)
check_grep "the autoreply's MAIL FROM is its VERP" \
    "^X-Mail-Args: <$(re "$(verp_of "$ar")")>" "$f"
before=$(counts)
# Its bounce, as Exim writes it, returning the whole message.
sink_message "$f" | tr -d '\r' >"$LG_HOME/m-ar"
{
	cat <<EOF
Return-path: <>
Envelope-to: $(verp_of "$ar")
From: Mail Delivery System <Mailer-Daemon@mx1.example.org>
To: $(verp_of "$ar")
Content-Type: multipart/report; report-type=delivery-status; boundary=1772614900-eximdsn-1804289383
MIME-Version: 1.0
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1vXyZa-0001Ab-2C@mx1.example.org>
Date: Wed, 04 Mar 2026 10:01:40 +0100

--1772614900-eximdsn-1804289383
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  eva@example.org
    mailbox unavailable

--1772614900-eximdsn-1804289383
Content-type: message/delivery-status

Reporting-MTA: dns; mx1.example.org

Action: failed
Final-Recipient: rfc822;eva@example.org
Status: 5.2.1

--1772614900-eximdsn-1804289383
Content-type: message/rfc822

Return-path: <$(verp_of "$ar")>
EOF
	cat "$LG_HOME/m-ar"
	echo
	echo "--1772614900-eximdsn-1804289383--"
} | drop 1772618400.10.mx
poll_bounces
check_grep "the autoreply's bounce is applied to it" \
    "ignored, contact 5: hard bounce of 'inquiry-reply' \\(message $ar\\) to eva@example.org: 5.2.1 \\(mx1.example.org\\); suppressed, address marked invalid" \
    "$LG_HOME/poll.out"
check_eq "no lead and no answer came of the bounce" "$(counts)" "$before"
check_eq "Eva's lead notes it" "$(lg_sql "select count(*) from history \
    where lead_id = 5 and action = 'bounce'")" 1
check_eq "nothing went to quarantine but the forgery" \
    "$(lg_sql "select count(*) from quarantine")" 1
sink_stop

# ---------------------------------------------------------------------
# Without VERP: bulk mail goes with mail.from's address; a bounce to that
# address is matched by the Message-ID it returns, and one returning a
# Message-ID of no message of ours is held.
sink_start plain || { t_finish; exit 1; }
lg_case plain
bounce_config
check "a campaign without VERP" "$LG" mail bulk --filter 'source = "web"' \
    --template object-news --name plain --yes
sink_idle
f=$(sink_file_to anna@example.com)
check_grep "MAIL FROM is mail.from's address" \
    "^X-Mail-Args: <info@$BOUNCE_DOMAIN>" "$f"
sink_headers "$f" >"$LG_HOME/h1"
postfix_dsn "info@$BOUNCE_DOMAIN" anna@example.com failed 5.1.1 \
    "550 5.1.1 user unknown" "$LG_HOME/h1" 5A0000001 | drop 1772618500.1.mx
poll_bounces
check_grep "matched by the returned Message-ID" \
    "hard bounce of 'object-news' \\(message 1\\) to anna@example.com" \
    "$LG_HOME/poll.out"
check_eq "Anna's address is suppressed and invalid" "$(lg_sql "select \
    (select count(*) from suppression where address = 'anna@example.com') \
    || (select invalid_address from contacts where id = 1)")" 11
sed 's/^Message-ID: <bulk\./Message-ID: <other./' "$LG_HOME/h1" \
    >"$LG_HOME/h1x"
postfix_dsn "info@$BOUNCE_DOMAIN" anna@example.com failed 5.1.1 \
    "550 5.1.1 user unknown" "$LG_HOME/h1x" 5A0000002 | drop 1772618500.2.mx
poll_bounces
check_grep "a bounce about a message not ours is held" \
    "quarantined, quarantine 1: the report names no message of ours \\(Message-ID <other\\." \
    "$LG_HOME/poll.out"
# The right Message-ID, but another recipient than the message's.
sed 's/anna@example.com/zoe@example.com/' "$LG_HOME/h1" >"$LG_HOME/h1z"
postfix_dsn "info@$BOUNCE_DOMAIN" zoe@example.com failed 5.1.1 \
    "550 5.1.1 user unknown" "$LG_HOME/h1z" 5A0000003 | drop 1772618500.3.mx
poll_bounces
check_grep "a Message-ID of ours for someone else is held too" \
    "quarantined, quarantine 2: the report names no message of ours \\(Message-ID <.*> went to someone else\\)" \
    "$LG_HOME/poll.out"
check_eq "zoe@example.com was not suppressed" "$(lg_sql "select count(*) \
    from suppression where address = 'zoe@example.com'")" 0
sink_stop

t_finish
