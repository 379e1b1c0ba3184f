#!/bin/sh
# The mail kept, through a real Dovecot: an inquiry with a binary (PDF)
# attachment in base64 and the prospect's answer to its autoreply are
# polled by IMAP; leads show lists both mails and the attachment; mail
# attachment gives the original bytes; mail show gives the mail as
# delivered into the mailbox, in the form IMAP sends it (CRLF line
# ends); a Maildir copy of it is a duplicate and writes no file; a mail
# read from a Maildir is kept as the file was; the archive is 0700/0600
# under umask 022; mail purge forgets what is older than keep_days;
# with archive.enabled false nothing is kept.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

umask 022
LG=$LEADGATE
D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" leads || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start tarch || { t_finish; exit 1; }

lg_case tarch
printf 'pw-leads\n' >"$LG_HOME/imap.pw"
chmod 600 "$LG_HOME/imap.pw"
A=$LG_HOME/archive
BOUNCE_CONNECTORS="{ name = \"inbox\"; type = \"imap\"; host = \"localhost\";
  port = $(cat "$D/imap.port"); tls = \"starttls\"; user = \"leads\";
  password_file = \"$LG_HOME/imap.pw\"; folders = [ \"INBOX\" ]; },
  { name = \"box\"; type = \"maildir\"; path = \"$LG_HOME/Maildir\"; }"
bounce_config "ca_file = \"$D/tls/ca.pem\";" "archive = { dir = \"$A\"; };"
check "config check" "$LG" config check

# A PDF-like file: a PDF header, then every byte value, NULs and CRs too.
{
	printf '%%PDF-1.4\n%%\342\343\317\323\n'
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 20)'
	head -c 4000 /dev/urandom
	printf '\r\n%%%%EOF\r\n'
} >"$LG_HOME/bewerbung.pdf"
pdf_size=$(wc -c <"$LG_HOME/bewerbung.pdf" | tr -d ' ')
{
	cat <<'EOF'
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Wohnung OBJ-9
Message-ID: <anfrage-9@example.org>
Date: Wed, 04 Mar 2026 09:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b-9"

--b-9
Content-Type: text/plain; charset=utf-8

Guten Tag, ist die Wohnung OBJ-9 noch frei? Anbei meine Unterlagen.
Eva Example

--b-9
Content-Type: application/pdf; name="bewerbung.pdf"
Content-Disposition: attachment; filename="bewerbung.pdf"
Content-Transfer-Encoding: base64

EOF
	base64 "$LG_HOME/bewerbung.pdf"
	printf -- '--b-9--\n'
} >"$LG_HOME/inquiry.eml"
dove_save "$D" leads INBOX "$LG_HOME/inquiry.eml" || not_ok "append it"
check "poll the inquiry" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it is a new lead" "new lead, lead 2, contact 2" "$LG_HOME/poll.out"
check "deliver the autoreply" lg_deliver
sink_idle
f=$(sink_file_to eva@example.org)
mid=$(sink_headers "$f" | sed -n 's/^Message-ID: *//Ip')
check "the autoreply has a Message-ID" test -n "$mid"
cat >"$LG_HOME/answer.eml" <<EOF
From: Eva Example <eva@example.org>
To: info@muster-immo.example
Subject: Re: Ihre Anfrage
Message-ID: <antwort-1@example.org>
In-Reply-To: $mid
Date: Wed, 04 Mar 2026 11:00:00 +0100

Passt Ihnen Freitag um 10 Uhr?
EOF
dove_save "$D" leads INBOX "$LG_HOME/answer.eml" || not_ok "append it"
check "poll the answer" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it joins lead 2" "existing lead, lead 2, contact 2: reply" \
    "$LG_HOME/poll.out"

m1=$(lg_sql "select id from archive_mails where message_id = \
    'anfrage-9@example.org' and lead_id = 2")
m2=$(lg_sql "select id from archive_mails where message_id = \
    'antwort-1@example.org' and lead_id = 2")
check "both mails are kept with lead 2" test -n "$m1" -a -n "$m2"
check_eq "each with its inquiry row" "$(lg_sql "select count(*) from \
    archive_mails m join inquiries i on i.id = m.inquiry_id where \
    i.lead_id = 2 and i.key in ('mid:anfrage-9@example.org', \
    'mid:antwort-1@example.org')")" 2

check "leads show" sh -c "'$LG' leads show 2 >'$LG_HOME/show.out'"
check_grep "lists the inquiry" "^  $m1  .*  Eva Example <eva@example.org>  \
Wohnung OBJ-9  [0-9]+ bytes$" "$LG_HOME/show.out"
check_grep "its attachment, numbered, with the decoded size" \
    "^    attachment 1: bewerbung.pdf  application/pdf  $pdf_size bytes$" \
    "$LG_HOME/show.out"
check_grep "lists the answer" "^  $m2  .*  Re: Ihre Anfrage  [0-9]+ bytes$" \
    "$LG_HOME/show.out"
check "leads show --json" sh -c "'$LG' leads show 2 --json \
    >'$LG_HOME/show.json'"
check_eq "the JSON has both mails and the attachment" "$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["mails"]
a = m[0]["attachments"][0]
print(len(m), m[0]["id"], m[1]["id"], a["n"], a["filename"],
    a["content_type"], a["size"], len(m[1]["attachments"]))
' "$LG_HOME/show.json")" "2 $m1 $m2 1 bewerbung.pdf application/pdf \
$pdf_size 0"

check "mail attachment" sh -c "'$LG' mail attachment $m1 1 \
    >'$LG_HOME/out.pdf'"
check "gives the original bytes" cmp "$LG_HOME/out.pdf" \
    "$LG_HOME/bewerbung.pdf"

# "Raw" is the message as the connector received it: from IMAP, the
# delivered message as the server sends it, with CRLF line ends.
delivered=$(grep -l 'anfrage-9@example.org' "$D"/home/leads/Maildir/cur/* \
    "$D"/home/leads/Maildir/new/* 2>/dev/null | head -1)
check "Dovecot has the delivered file" test -n "$delivered"
sed 's/$/\r/' "$delivered" >"$LG_HOME/want.eml"
check "mail show" sh -c "'$LG' mail show $m1 >'$LG_HOME/got.eml'"
check "is the delivered mail byte for byte (CRLF)" cmp "$LG_HOME/got.eml" \
    "$LG_HOME/want.eml"
delivered=$(grep -l 'antwort-1@example.org' "$D"/home/leads/Maildir/cur/* \
    "$D"/home/leads/Maildir/new/* 2>/dev/null | head -1)
sed 's/$/\r/' "$delivered" >"$LG_HOME/want2.eml"
"$LG" mail show "$m2" >"$LG_HOME/got2.eml"
check "so is the answer" cmp "$LG_HOME/got2.eml" "$LG_HOME/want2.eml"

sha=$(lg_sql "select sha256 from archive_mails where id = $m1")
file=$A/$(printf %.2s "$sha")/$sha.gz
check "the file is named by the SHA-256 of the mail" test "$(sha256sum \
    <"$LG_HOME/got.eml" | cut -c1-64)" = "$sha"
check "zcat gives the mail back" sh -c "zcat '$file' | cmp - \
    '$LG_HOME/got.eml'"
check_eq "the archive folder is 0700" "$(stat -c %a "$A")" 700
check_eq "its fan-out folder is 0700" "$(stat -c %a "$A/$(printf %.2s \
    "$sha")")" 700
check_eq "the file is 0600" "$(stat -c %a "$file")" 600

check_eq "a bad mail id" "$("$LG" mail show 999 2>&1 >/dev/null; echo \
    "rc=$?")" "leadgate: mail show: no mail with id 999
rc=66"
check_eq "a bad attachment number" "$("$LG" mail attachment "$m1" 2 2>&1 \
    >/dev/null; echo "rc=$?")" "leadgate: mail attachment: mail $m1 has 1 \
attachment: no attachment 2
rc=66"
check_eq "the answer has none" "$("$LG" mail attachment "$m2" 1 2>&1 \
    >/dev/null; echo "rc=$?")" "leadgate: mail attachment: mail $m2 has 0 \
attachments: no attachment 1
rc=66"

# The same mail again, from a Maildir (LF line ends this time): a
# duplicate, so no row and no file.
files=$(find "$A" -type f | wc -l | tr -d ' ')
rows=$(lg_sql "select count(*) from archive_mails")
drop copy.1 <"$LG_HOME/inquiry.eml"
check "poll the Maildir copy" sh -c "'$LG' poll --connector box \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it is a duplicate" "duplicate" "$LG_HOME/poll.out"
check_eq "no new file, no new row" "$(find "$A" -type f | wc -l | \
    tr -d ' ') $(lg_sql "select count(*) from archive_mails")" "$files $rows"

# A mail read from a Maildir is kept as the file is. Received 40 days
# ago (the clock of LEADGATE_NOW), it is what keep_days 30 forgets.
old=$(lg_iso $(($(date +%s) - 40 * 86400)))
cat >"$LG_HOME/old.eml" <<'EOF'
From: Otto Old <otto@example.org>
To: info@muster-immo.example
Subject: Haus OBJ-3
Message-ID: <alt-3@example.org>

Ist das Haus OBJ-3 noch zu haben? Otto Old
EOF
drop old.1 <"$LG_HOME/old.eml"
check "poll it, 40 days ago" sh -c "LEADGATE_NOW=$old '$LG' poll \
    --connector box >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
m3=$(lg_sql "select id from archive_mails where message_id = \
    'alt-3@example.org'")
check "it is kept" test -n "$m3"
"$LG" mail show "$m3" >"$LG_HOME/got3.eml"
check "as the file was (LF line ends)" cmp "$LG_HOME/got3.eml" \
    "$LG_HOME/old.eml"
sha3=$(lg_sql "select sha256 from archive_mails where id = $m3")

check "mail purge, keep_days 0" sh -c "'$LG' mail purge \
    >'$LG_HOME/purge.out'"
check_grep "removes nothing" "^0 kept mails forgotten \\(archive.keep_days \
0\\), 0 files removed \\(0 bytes\\), 0 temporary files removed$" \
    "$LG_HOME/purge.out"
bounce_config "ca_file = \"$D/tls/ca.pem\";" \
    "archive = { dir = \"$A\"; keep_days = 30; };"
check "mail purge, keep_days 30" sh -c "'$LG' mail purge \
    >'$LG_HOME/purge.out'"
check_grep "forgets the old mail and removes its file" "^1 kept mail \
forgotten \\(archive.keep_days 30\\), 1 file removed \\([0-9]+ bytes\\), 0 \
temporary files removed$" "$LG_HOME/purge.out"
check "the old file is gone" test ! -e "$A/$(printf %.2s "$sha3")/$sha3.gz"
check_eq "the old mail is no more" "$("$LG" mail show "$m3" 2>&1 \
    >/dev/null; echo "rc=$?")" "leadgate: mail show: no mail with id $m3
rc=66"
"$LG" mail show "$m1" >"$LG_HOME/got.eml"
check "the recent mail stays" cmp "$LG_HOME/got.eml" "$LG_HOME/want.eml"
"$LG" mail attachment "$m1" 1 >"$LG_HOME/out.pdf"
check "with its attachment" cmp "$LG_HOME/out.pdf" "$LG_HOME/bewerbung.pdf"

# archive.enabled = false: a new inquiry makes its lead, nothing is kept.
bounce_config "ca_file = \"$D/tls/ca.pem\";" \
    "archive = { dir = \"$A\"; enabled = false; };"
files=$(find "$A" -type f | wc -l | tr -d ' ')
rows=$(lg_sql "select count(*) from archive_mails")
printf 'From: Nina New <nina@example.org>\nTo: info@muster-immo.example\nSubject: Wohnung OBJ-4\nMessage-ID: <neu-4@example.org>\n\nIst OBJ-4 frei? Nina New\n' |
    drop new.1
check "poll with the archive off" sh -c "'$LG' poll --connector box \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "it is a new lead" "new lead" "$LG_HOME/poll.out"
check_eq "nothing is kept" "$(find "$A" -type f | wc -l | tr -d ' ') \
$(lg_sql "select count(*) from archive_mails")" "$files $rows"
sink_stop
t_finish
