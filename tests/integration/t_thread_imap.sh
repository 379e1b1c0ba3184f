#!/bin/sh
# Threading through a real Dovecot: an inquiry in the IMAP mailbox gets
# its autoreply, delivered to smtp-sink; the prospect's answer, built from
# the Message-ID smtp-sink received, is appended to the mailbox: the next
# poll adds it to the lead's history (one lead, two inquiries, no second
# autoreply) and flags it done; a poll after that finds nothing.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE
D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" leads || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start timap || { t_finish; exit 1; }

lg_case timap
printf 'pw-leads\n' >"$LG_HOME/imap.pw"
chmod 600 "$LG_HOME/imap.pw"
BOUNCE_CONNECTORS="{ name = \"inbox\"; type = \"imap\"; host = \"localhost\";
  port = $(cat "$D/imap.port"); tls = \"starttls\"; user = \"leads\";
  password_file = \"$LG_HOME/imap.pw\"; folders = [ \"INBOX\" ]; }"
bounce_config "ca_file = \"$D/tls/ca.pem\";"
check "config check" "$LG" config check

cat >"$LG_HOME/inquiry.eml" <<'EOF'
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Wohnung OBJ-9
Message-ID: <anfrage-9@example.org>
Date: Wed, 04 Mar 2026 09:00:00 +0100

Guten Tag, ist die Wohnung OBJ-9 noch frei? Eva Example
EOF
dove_save "$D" leads INBOX "$LG_HOME/inquiry.eml" || not_ok "append it"
check "poll the inquiry" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it is a new lead" "new lead, lead 2, contact 2" "$LG_HOME/poll.out"
check "deliver the autoreply" lg_deliver
sink_idle
f=$(sink_file_to eva@example.org)
check "smtp-sink has it" test -n "$f"
mid=$(sink_headers "$f" | sed -n 's/^Message-ID: *//Ip')
check_eq "it is the Message-ID stored" "$mid" "<$(lg_sql "select \
    message_id from outgoing where lead_id = 2")>"

cat >"$LG_HOME/answer.eml" <<EOF
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Re: Ihre Anfrage
Message-ID: <antwort-1@example.org>
In-Reply-To: $mid
References: <anfrage-9@example.org> $mid
Date: Wed, 04 Mar 2026 11:00:00 +0100

Passt Ihnen Freitag um 10 Uhr?
EOF
dove_save "$D" leads INBOX "$LG_HOME/answer.eml" || not_ok "append it"
check "poll the answer" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it joins lead 2" \
    "existing lead, lead 2, contact 2: reply to message 1, lead 2 \\(by header\\)" \
    "$LG_HOME/poll.out"
check_eq "one lead more in all, two inquiries, one message" "$(lg_sql \
    "select (select count(*) from leads) || ' ' || (select count(*) from \
    inquiries where lead_id = 2) || ' ' || (select count(*) from \
    outgoing)")" "2 2 1"
check_eq "the answer is in the lead's history" "$(lg_sql "select count(*) \
    from history where lead_id = 2 and action = 'reply from the prospect' \
    and remark like '%via inbox%Freitag um 10 Uhr%'")" 1
check_eq "both mails are flagged done on the server" \
    "$(dove_flags "$D" leads INBOX | grep -c 'LeadgateDone')" 2
check "a second poll" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll2.out' 2>'$LG_HOME/poll2.err'"
check_eq "finds nothing new" "$(wc -l <"$LG_HOME/poll2.out" | tr -d ' ')" 0
check "deliver again" lg_deliver
check_grep "no second autoreply" "0 sent, 0 deferred" "$LG_HOME/deliver.out"
sink_stop
t_finish
