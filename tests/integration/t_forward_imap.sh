#!/bin/sh
# Forwarded inquiries through a real Dovecot: an agent forwards two
# prospects' mails to the gateway mailbox, one in Gmail's style (text),
# one in Outlook's (HTML, the divRplyFwdMsg block). Each becomes a lead
# whose contact is the original prospect, never the agent; the autoreply
# smtp-sink receives goes to the prospect; the agent is recorded in the
# lead's history and custom fields (forward.h, issue 15). A third one,
# forwarded from the gateway's own address, is answered too.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE
D=$T_DIR/dove
AGENT='Anna Agentin <anna.agentin@muster-immo.example>'
mkdir -p "$D"
dove_setup "$D" leads || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start tfwd || { t_finish; exit 1; }

lg_case tfwd
printf 'pw-leads\n' >"$LG_HOME/imap.pw"
chmod 600 "$LG_HOME/imap.pw"
BOUNCE_CONNECTORS="{ name = \"inbox\"; type = \"imap\"; host = \"localhost\";
  port = $(cat "$D/imap.port"); tls = \"starttls\"; user = \"leads\";
  password_file = \"$LG_HOME/imap.pw\"; folders = [ \"INBOX\" ]; }"
bounce_config "ca_file = \"$D/tls/ca.pem\";"
check "config check" "$LG" config check

cat >"$LG_HOME/gmail.eml" <<EOF
From: $AGENT
To: leads@muster-immo.example
Subject: Fwd: Wohnung OBJ-21
Message-ID: <fwd-gmail-1@muster-immo.example>
Date: Wed, 04 Mar 2026 09:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bitte anlegen.

Anna Agentin
Immobilien Muster AG, Tel. 044 555 12 12

---------- Forwarded message ---------
Von: Lukas Gerber <lukas.gerber@example.net>
Date: Di., 3. März 2026 um 20:14 Uhr
Subject: Wohnung OBJ-21
To: <anna.agentin@muster-immo.example>


Guten Tag Frau Agentin,

ist die Wohnung OBJ-21 noch frei? Ich bin unter 079 123 45 67 erreichbar.

Freundliche Grüsse
Lukas Gerber
EOF
cat >"$LG_HOME/outlook.eml" <<EOF
From: $AGENT
To: leads@muster-immo.example
Subject: WG: Besichtigung OBJ-22
Message-ID: <fwd-outlook-1@muster-immo.example>
Date: Wed, 04 Mar 2026 09:05:00 +0100
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<html><body><div>Zur Erfassung.</div><div>Anna Agentin | Tel. 044 555 12 12</div>
<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt"><b>Von:</b> Martina Kälin &lt;martina.kaelin@example.com&gt;<br><b>Gesendet:</b> Dienstag, 3. März 2026 21:40<br><b>An:</b> Anna Agentin &lt;anna.agentin@muster-immo.example&gt;<br><b>Betreff:</b> Besichtigung OBJ-22</font><div>&nbsp;</div></div>
<div>Guten Abend,<br><br>ich möchte die Wohnung OBJ-22 gerne besichtigen. Telefon 078 987 65 43.<br><br>Beste Grüsse<br>Martina Kälin</div>
</body></html>
EOF
# Forwarded from the gateway's own address (mail.from): still answered,
# to the prospect; that From stops only mail that is not a forward.
cat >"$LG_HOME/own.eml" <<EOF
From: Immobilien Muster AG <info@muster-immo.example>
To: leads@muster-immo.example
Subject: Fwd: Haus OBJ-23
Message-ID: <fwd-tb-1@muster-immo.example>
Date: Wed, 04 Mar 2026 09:10:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

-------- Weitergeleitete Nachricht --------
Betreff: 	Haus OBJ-23
Datum: 	Tue, 3 Mar 2026 22:05:00 +0100
Von: 	Reto Zwahlen <reto.zwahlen@example.ch>
An: 	info@muster-immo.example

Grüezi, ist das Haus OBJ-23 noch zu haben? Reto Zwahlen, 076 555 44 33
EOF
dove_save "$D" leads INBOX "$LG_HOME/gmail.eml" || not_ok "append gmail"
dove_save "$D" leads INBOX "$LG_HOME/own.eml" || not_ok "append own"
dove_save "$D" leads INBOX "$LG_HOME/outlook.eml" || not_ok "append outlook"
check "poll the forwards" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_eq "three new leads" "$(grep -c 'new lead' "$LG_HOME/poll.out")" 3
# lg_case's store has one contact of its own (Anna Muster, lead 1).
NEW="contact_id in (select contact_id from leads where connector = 'inbox')"
check_eq "the contacts are the prospects, not the agent" "$(lg_sql \
    "select group_concat(norm, ' ') from (select norm from contact_emails \
    where $NEW order by norm)")" \
    "lukas.gerber@example.net martina.kaelin@example.com reto.zwahlen@example.ch"
check_eq "the prospects' names" "$(lg_sql "select group_concat(n, ', ') \
    from (select first_name || ' ' || last_name as n from contacts where \
    id in (select contact_id from leads where connector = 'inbox') \
    order by last_name)")" \
    "Lukas Gerber, Martina Kälin, Reto Zwahlen"
check_eq "their phones, not the agent's" "$(lg_sql \
    "select group_concat(given, ', ') from (select given from \
    contact_phones where $NEW order by given)")" \
    "076 555 44 33, 078 987 65 43, 079 123 45 67"
check_eq "the agent is in each lead's history" "$(lg_sql "select count(*) \
    from history where remark like '%forwarded by $AGENT%'")" 2
check_eq "the own address too" "$(lg_sql "select count(*) from history \
    where remark like '%forwarded by Immobilien Muster AG%'")" 1
check_eq "and in each lead's custom fields" "$(lg_sql "select count(*) \
    from leads where json_extract(custom, '\$.forwarded_by') = '$AGENT'")" 2
check_eq "the leads keep the originals' subjects" "$(lg_sql "select \
    group_concat(s, ' | ') from (select json_extract(custom, '\$.subject') \
    as s from leads where connector = 'inbox' order by id)")" \
    "Wohnung OBJ-21 | Haus OBJ-23 | Besichtigung OBJ-22"
check "deliver the autoreplies" lg_deliver
sink_idle
check "smtp-sink has the autoreply to the Gmail forward's prospect" \
    test -n "$(sink_file_to lukas.gerber@example.net)"
check "and to the Outlook forward's prospect" \
    test -n "$(sink_file_to martina.kaelin@example.com)"
check "and to the prospect forwarded from our own address" \
    test -n "$(sink_file_to reto.zwahlen@example.ch)"
check_eq "none to the agent" \
    "$(sink_file_to anna.agentin@muster-immo.example)" ""
check_eq "three messages in all" "$(sink_count)" 3
check_eq "the three mails are flagged done on the server" \
    "$(dove_flags "$D" leads INBOX | grep -c 'LeadgateDone')" 3
sink_stop
t_finish
