#!/bin/sh
# Threading against real peers: an inquiry through a Maildir connector
# gets its autoreply, delivered to smtp-sink; the prospect's answer, built
# from the Message-ID of the message smtp-sink received (In-Reply-To and
# References), joins that lead: one lead with two inquiries in its
# history, no second autoreply. An answer with only "Re: <our subject>"
# from the same address joins it too; an answer from a new address that
# quotes our Message-ID joins it and the address goes on the contact. A
# answer to a bulk mail joins the lead it was sent for. A rule on
# is_reply sets answers aside; rules test shows what an answer does.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE

# header NAME FILE: the unfolded value of a header of a sink dump file.
header() {
	sink_headers "$2" | awk '/^[ \t]/ { printf "%s", $0; next }
	    { printf "\n%s", $0 } END { print "" }' | sed -n "s/^$1: *//Ip"
}

# counts: "leads inquiries outgoing".
counts() {
	lg_sql "select (select count(*) from leads) || ' ' ||
	    (select count(*) from inquiries) || ' ' ||
	    (select count(*) from outgoing)"
}

sink_start thread || { t_finish; exit 1; }
lg_case thread
bounce_config
cat <<'EOF' | drop 1772618400.1.in
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Wohnung OBJ-9
Message-ID: <anfrage-9@example.org>
Date: Wed, 04 Mar 2026 09:00:00 +0100

Guten Tag, ist die Wohnung OBJ-9 noch frei? Eva Example
EOF
check "poll the inquiry" poll_bounces
check_grep "it is a new lead" "new lead, lead 2, contact 2" "$LG_HOME/poll.out"
check_eq "an autoreply is queued" "$(lg_sql "select count(*) from outgoing \
    where lead_id = 2")" 1
check "deliver it" lg_deliver
sink_idle
f=$(sink_file_to eva@example.org)
check "smtp-sink has it" test -n "$f"
mid=$(header Message-ID "$f")
subj=$(header Subject "$f")
check_eq "the Message-ID sent is the one stored" "$mid" \
    "<$(lg_sql "select message_id from outgoing where id = 1")>"
check "our subject is stored" test -n "$(lg_sql "select subject from \
    outgoing where id = 1")"
before=$(counts)

# The prospect answers it.
cat >"$LG_HOME/answer1.eml" <<EOF
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Re: $subj
Message-ID: <antwort-1@example.org>
In-Reply-To: $mid
References: <anfrage-9@example.org> $mid
Date: Wed, 04 Mar 2026 11:00:00 +0100

Danke! Passt Ihnen Freitag um 10 Uhr für eine Besichtigung?

> Guten Tag, vielen Dank für Ihre Anfrage.
EOF
"$LG" rules test "$LG_HOME/answer1.eml" >"$LG_HOME/rtest" 2>&1
check_grep "rules test says what the answer would do" \
    "^  add the answer to the history of lead 2 \\(no lead, no autoreply\\)" \
    "$LG_HOME/rtest"
check_eq "... and changes nothing" "$(counts)" "$before"
drop 1772618400.2.in <"$LG_HOME/answer1.eml"
check "poll the answer" poll_bounces
check_grep "it joins lead 2" \
    "existing lead, lead 2, contact 2: reply to message 1, lead 2 \\(by header\\)" \
    "$LG_HOME/poll.out"
check_eq "no lead, one inquiry more, no message" "$(counts)" "2 2 1"
check_eq "both inquiries are lead 2's" "$(lg_sql "select count(*) from \
    inquiries where lead_id = 2")" 2
check_eq "the answer is recorded as handled" "$(lg_sql "select decision \
    from inquiries where key = 'mid:antwort-1@example.org'")" \
    "reply to message 1, lead 2 (by header)"
check_eq "the lead's history has the answer with its text" \
    "$(lg_sql "select count(*) from history where lead_id = 2 and action = \
    'reply from the prospect' and remark like '%Freitag um 10 Uhr%'")" 1
check "no second autoreply: nothing to deliver" lg_deliver
check_grep "... delivery sends nothing" "0 sent" "$LG_HOME/deliver.out"
"$LG" leads show 2 >"$LG_HOME/show"
check_grep "leads show lists the answer" "reply from the prospect" \
    "$LG_HOME/show"

# The same Maildir message again (a poll that died before the rename).
cat <<EOF | drop 1772618400.3.in
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Re: $subj
Message-ID: <antwort-1@example.org>
In-Reply-To: $mid

Danke! Passt Ihnen Freitag um 10 Uhr für eine Besichtigung?
EOF
poll_bounces
check_grep "the same answer again is a duplicate" "duplicate, lead 2" \
    "$LG_HOME/poll.out"
check_eq "... and is in the history once" "$(lg_sql "select count(*) from \
    history where action = 'reply from the prospect'")" 1

# Only the subject: "AW: <our subject>" from her address.
cat <<EOF | drop 1772618400.4.in
From: eva@example.org
To: info@muster-immo.example
Subject: AW: $subj
Message-ID: <antwort-2@example.org>

Und haben Sie einen Grundriss?
EOF
poll_bounces
check_grep "a reply subject from her joins lead 2" \
    "existing lead, lead 2, contact 2: reply to message 1, lead 2 \\(by subject\\)" \
    "$LG_HOME/poll.out"
check_eq "still no new lead or message" "$(counts)" "2 3 1"

# A new address (her phone's mail app) quoting our Message-ID.
cat <<EOF | drop 1772618400.5.in
From: Eva <eva.mobile@example.net>
To: info@muster-immo.example
Subject: Re: Wohnung
Message-ID: <antwort-3@example.net>
In-Reply-To: $mid

Gesendet von unterwegs: Freitag passt.
EOF
poll_bounces
check_grep "an answer from a new address joins lead 2" \
    "existing lead, lead 2, contact 2: reply to message 1, lead 2 \\(by header\\), new address" \
    "$LG_HOME/poll.out"
check_eq "the address is added to her contact" "$(lg_sql "select \
    group_concat(norm, ' ') from (select norm from contact_emails where \
    contact_id = 2 order by pos)")" "eva@example.org eva.mobile@example.net"
check_eq "no new contact, lead or message" "$(lg_sql "select \
    (select count(*) from contacts) || ' ' || (select count(*) from leads) \
    || ' ' || (select count(*) from outgoing)")" "2 2 1"
check_eq "three answers in the history" "$(lg_sql "select count(*) from \
    history where lead_id = 2 and action = 'reply from the prospect'")" 3

# An answer to a bulk mail joins the lead it was sent for.
check "a campaign to Anna" sh -c "'$LG' mail bulk --filter 'contact = 1' \
    --template object-news --name news --yes >'$LG_HOME/bulk.out'"
sink_idle
fb=$(sink_file_to anna@example.com)
check "smtp-sink has the bulk mail" test -n "$fb"
bmid=$(header Message-ID "$fb")
cat <<EOF | drop 1772618400.51.in
From: Anna Muster <anna@example.com>
To: info@muster-immo.example
Subject: Re: $(header Subject "$fb")
Message-ID: <anna-1@example.com>
References: $bmid

Bitte senden Sie mir die Unterlagen.
EOF
poll_bounces
check_grep "an answer to the campaign joins Anna's lead" \
    "existing lead, lead 1, contact 1: reply to message 2, lead 1 \\(by header\\)" \
    "$LG_HOME/poll.out"
check_eq "... in its history" "$(lg_sql "select count(*) from history \
    where lead_id = 1 and action = 'reply from the prospect'")" 1

# A Re: from someone unknown, quoting nothing of ours: a new inquiry.
cat <<EOF | drop 1772618400.6.in
From: Max Muster <max@example.com>
To: info@muster-immo.example
Subject: Re: $subj
Message-ID: <fremd-1@example.com>

Ich interessiere mich auch für OBJ-9.
EOF
poll_bounces
check_grep "a Re: from someone else is a new lead" "new lead, lead 3, contact 3" \
    "$LG_HOME/poll.out"

# A rule on is_reply: answers are held for a person.
cat >"$LG_HOME/rules.conf" <<'EOF'
rules = (
  { name = "answers"; when = { on = "is_reply"; exists = true; };
    action = "quarantine"; reason = "an answer: read it"; },
  { name = "mail"; source = "E-Mail"; }
);
EOF
BOUNCE_RULES=$LG_HOME/rules.conf
bounce_config
cat >"$LG_HOME/reply4.eml" <<EOF
From: eva@example.org
To: info@muster-immo.example
Subject: Re: $subj
Message-ID: <antwort-4@example.org>
References: $mid

Noch eine Frage.
EOF
"$LG" rules test "$LG_HOME/reply4.eml" >"$LG_HOME/rtest" 2>&1
check_grep "rules test: the is_reply rule matches" "^rule: answers " "$LG_HOME/rtest"
drop 1772618400.7.in <"$LG_HOME/reply4.eml"
poll_bounces
check_grep "the rule holds the answer" \
    "quarantined, quarantine 1: an answer: read it" "$LG_HOME/poll.out"
check_eq "... and it is not in the history" "$(lg_sql "select count(*) \
    from history where action = 'reply from the prospect'")" 4
sink_stop
t_finish
