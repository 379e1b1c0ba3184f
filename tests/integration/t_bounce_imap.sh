#!/bin/sh
# Bounces and complaints through a real Dovecot: bulk mail to smtp-sink
# with VERP senders, then a Postfix-style DSN and an ARF complaint about
# two of its messages appended to the IMAP mailbox, a forged bounce next
# to them. An IMAP poll applies each report once and flags it done: the
# bounced address is suppressed and invalid, the complaining one
# unsubscribed, the forgery held; none of them is a lead or answered.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE
D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" bounces || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start imap || { t_finish; exit 1; }

lg_case imap
printf 'pw-bounces\n' >"$LG_HOME/imap.pw"
chmod 600 "$LG_HOME/imap.pw"
BOUNCE_CONNECTORS="{ name = \"inbox\"; type = \"imap\"; host = \"localhost\";
  port = $(cat "$D/imap.port"); tls = \"starttls\"; user = \"bounces\";
  password_file = \"$LG_HOME/imap.pw\"; folders = [ \"INBOX\" ]; }"
bounce_config "$(verp_lines)" "ca_file = \"$D/tls/ca.pem\";"
"$LG" contacts add --first-name Bob --last-name Test --email bob@example.com \
    >/dev/null && "$LG" leads add --contact 2 --source web >/dev/null ||
    not_ok "add Bob"
check "config check" "$LG" config check
check "a campaign" "$LG" mail bulk --filter 'source = "web"' \
    --template object-news --name imap --yes
sink_idle
check_eq "two messages arrived" "$(sink_count)" 2
check_grep "Anna's went with its VERP sender" \
    "^X-Mail-Args: <$(re "$(verp_of 1)")>" "$(sink_file_to anna@example.com)"

sink_headers "$(sink_file_to anna@example.com)" >"$LG_HOME/h1"
postfix_dsn "$(verp_of 1)" anna@example.com failed 5.1.1 \
    "550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown" \
    "$LG_HOME/h1" 6B0000001 >"$LG_HOME/dsn.eml"
sink_message "$(sink_file_to bob@example.com)" | tr -d '\r' >"$LG_HOME/m2"
arf_report "bounces@$BOUNCE_DOMAIN" abuse "$(verp_of 2)" bob@example.com \
    "$LG_HOME/m2" 2 >"$LG_HOME/arf.eml"
postfix_dsn "$(verp_of 1 | sed 's/-[0-9a-f]*@/-ffffffffffffffff@/')" \
    anna@example.com failed 5.1.1 "550 5.1.1 User unknown" "$LG_HOME/h1" \
    6B0000009 >"$LG_HOME/forged.eml"
for m in dsn arf forged; do
	dove_save "$D" bounces INBOX "$LG_HOME/$m.eml" ||
	    not_ok "append $m to the mailbox"
done
before=$(lg_sql "select count(*) from leads")/$(lg_sql "select count(*) \
    from outgoing")

check "an IMAP poll" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll.out' 2>'$LG_HOME/poll.err'"
check_grep "the DSN is applied" \
    "ignored, contact 1: hard bounce of 'object-news' \\(message 1\\) to anna@example.com" \
    "$LG_HOME/poll.out"
check_grep "the complaint is applied" \
    "ignored, contact 2: complaint \\(abuse\\) about 'object-news' \\(message 2\\) to bob@example.com" \
    "$LG_HOME/poll.out"
check_grep "the forgery is held" "quarantined, quarantine 1: VERP address" \
    "$LG_HOME/poll.out"
check_eq "Anna: suppressed, address invalid" "$(lg_sql "select (s.reason \
    like 'bounced: %') || c.invalid_address from contacts c, suppression s \
    where c.id = 1 and s.address = 'anna@example.com'")" 11
check_eq "Bob: unsubscribed" "$(lg_sql "select s.reason || ' ' || \
    c.opt_out from contacts c, suppression s where c.id = 2 and \
    s.address = 'bob@example.com'")" "unsubscribed (complaint) 1"
check_eq "no lead and no message came of them" \
    "$(lg_sql "select count(*) from leads")/$(lg_sql "select count(*) \
    from outgoing")" "$before"
check_eq "all three are flagged done on the server" \
    "$(dove_flags "$D" bounces INBOX | grep -c 'LeadgateDone')" 3
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns: one bounced, one complained" \
    '^imap +object-news +2 +2 +0 +2 +0 +0 +1 +1 ' "$LG_HOME/camps"

check "a second poll" sh -c "'$LG' poll --connector inbox \
    >'$LG_HOME/poll2.out' 2>'$LG_HOME/poll2.err'"
check_eq "finds nothing new" "$(wc -l <"$LG_HOME/poll2.out" | tr -d ' ')" 0
check_eq "each report was applied once" "$(lg_sql "select count(*) from \
    bounces")/$(lg_sql "select count(*) from history where action in \
    ('bounce', 'complaint')")" "2/2"
sink_stop
t_finish
