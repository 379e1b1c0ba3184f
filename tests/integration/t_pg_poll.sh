#!/bin/sh
# The store on PostgreSQL, end to end: a throwaway cluster (initdb in a
# temp folder, loopback port; tests/lib/pg.sh), a real Dovecot mailbox,
# leadgate poll with store.url: each inquiry becomes one lead, a second
# poll makes none, the autoreply reaches smtp-sink once, and what the
# CLI shows is what PostgreSQL holds. The password reaches libpq from
# store.password_file only; one written into the URL is refused.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/pg.sh"

LG=$LEADGATE
if ! pg_start; then
	ok "skipped: $PG_WHY"
	t_finish
	exit 0
fi
D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" leads || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start tpgpoll || { t_finish; exit 1; }

H=$T_DIR/home
mkdir -p "$H"
chmod 700 "$H"
printf 'pw-leads\n' >"$H/imap.pw"
chmod 600 "$H/imap.pw"
# conf URL: the configuration, with store.url URL.
conf() {
	cat >"$H/lg.conf" <<EOF
store = { url = "$1"; password_file = "$PG_PASSWORD_FILE"; };
pipelines = "$TOP/etc/pipelines.conf";
templates = "$TOP/etc/templates";
rules = "$TOP/etc/rules.conf";
spool = "$H/spool";
lock = "$H/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "warn"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  unsubscribe_url = "https://muster-immo.example/u/{token}"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
connectors = ( { name = "inbox"; type = "imap"; host = "localhost";
  port = $(cat "$D/imap.port"); tls = "starttls"; user = "leads";
  password_file = "$H/imap.pw"; folders = [ "INBOX" ]; } );
EOF
	export LEADGATE_CONFIG="$H/lg.conf"
}

conf "postgresql://leadgate:secret@127.0.0.1:$PG_PORT/leadgate"
"$LG" db migrate >"$H/pw.out" 2>&1
check_grep "a password in store.url is refused" \
    "must not hold a password" "$H/pw.out"
conf "$PG_URL"
check "db migrate on PostgreSQL" sh -c "'$LG' db migrate >'$H/migrate.out' 2>&1"
check_grep "schema version 19" "schema version 19" "$H/migrate.out"
check_eq "schema_version rows" "$(pg_sql 'SELECT max(version) FROM schema_version')" 19
check "config check" "$LG" config check

# inquiry N NAME MAIL OBJECT: an inquiry into INBOX.
inquiry() {
	cat >"$H/q$1.eml" <<EOF
From: $2 <$3>
To: info@muster-immo.example
Subject: Wohnung $4
Message-ID: <anfrage-$1@example.org>
Date: Wed, 04 Mar 2026 09:0$1:00 +0100
Content-Type: text/plain; charset=utf-8

Guten Tag, ist die Wohnung $4 noch frei? Bitte um einen Termin.
$2
Telefon 044 123 45 6$1
EOF
	dove_save "$D" leads INBOX "$H/q$1.eml" || not_ok "append inquiry $1"
}
inquiry 1 "Eva Example" eva@example.org OBJ-1
inquiry 2 "Max Beispiel" max@example.net OBJ-2
inquiry 3 "Lia Muster" lia@example.com OBJ-3

check "poll on PostgreSQL" sh -c "'$LG' poll --connector inbox \
    >'$H/poll.out' 2>'$H/poll.err'"
sed 's/^/    /' "$H/poll.err" | head -20
check_eq "three new leads reported" \
    "$(grep -c 'new lead' "$H/poll.out")" 3
check_eq "three leads in PostgreSQL" \
    "$(pg_sql 'SELECT count(*) FROM leads')" 3
check_eq "three inquiries keyed in PostgreSQL" \
    "$(pg_sql 'SELECT count(*) FROM inquiries')" 3
check_eq "one contact per sender" \
    "$(pg_sql "SELECT string_agg(norm, ' ' ORDER BY norm) FROM contact_emails")" \
    "eva@example.org lia@example.com max@example.net"
check_eq "webhook events written by the triggers" \
    "$(pg_sql "SELECT count(*) FROM webhook_events WHERE type = 'lead.created'")" 3

"$LG" leads list >"$H/leads.out" 2>&1
check_eq "leads list shows them" "$(grep -c 'OBJ-' "$H/leads.out")" 3

# The same mailbox again: nothing new (UIDs and inquiry keys in PostgreSQL).
check "second poll" sh -c "'$LG' poll --connector inbox \
    >'$H/poll2.out' 2>'$H/poll2.err'"
check_eq "no second lead" "$(pg_sql 'SELECT count(*) FROM leads')" 3
check_eq "no new lead reported" "$(grep -c 'new lead' "$H/poll2.out")" 0

# A copy of inquiry 1 under another UID: deduplicated by its key.
dove_save "$D" leads INBOX "$H/q1.eml"
"$LG" poll --connector inbox >"$H/poll3.out" 2>"$H/poll3.err"
check_eq "a re-sent inquiry makes no lead" \
    "$(pg_sql 'SELECT count(*) FROM leads')" 3

q=$(pg_sql "SELECT count(*) FROM outgoing")
if [ "$q" -gt 0 ]; then
	check "deliver on PostgreSQL" sh -c "'$LG' -v deliver \
	    >'$H/deliver.out' 2>'$H/deliver.err'"
	sed 's/^/    /' "$H/deliver.err" | grep -v '^ *$' | head -10
	sink_idle
	check_eq "every queued autoreply reached smtp-sink once" \
	    "$(sink_count)" "$q"
	check_eq "and is sent in PostgreSQL" \
	    "$(pg_sql "SELECT count(*) FROM outgoing WHERE state = 'sent'")" "$q"
else
	not_ok "no autoreply was queued (rules.conf answers inquiries)"
fi

# A bulk campaign over the three leads, run twice: one mail each.
before=$(sink_count)
check "mail bulk on PostgreSQL" sh -c "'$LG' mail bulk --filter 'status = open' \
    --template object-news --name news1 --yes >'$H/bulk.out' 2>'$H/bulk.err'"
sed 's/^/    /' "$H/bulk.err" | grep -v '^ *$' | head -5
"$LG" mail bulk --filter 'status = open' --template object-news \
    --name news1 --yes >"$H/bulk2.out" 2>"$H/bulk2.err"
sink_idle
check_eq "the campaign reached each contact once" \
    "$(( $(sink_count) - before ))" 3
check_eq "one campaign row" \
    "$(pg_sql "SELECT name || ' ' || queued FROM campaigns")" "news1 3"
"$LG" mail campaigns >"$H/campaigns.out" 2>&1
check_grep "mail campaigns lists it" "news1" "$H/campaigns.out"

# Paused on PostgreSQL: a new contact's message is queued and waits.
check "pause the campaign" sh -c "'$LG' mail campaigns pause news1 \
    >'$H/pause.out' 2>&1"
"$LG" sources add Web >/dev/null 2>&1
c=$("$LG" contacts add --first-name Ida --last-name Neu \
    --email ida@example.org 2>&1)
"$LG" leads add --contact "$c" --source Web >/dev/null 2>&1
before=$(sink_count)
"$LG" mail bulk --filter 'status = open' --template object-news \
    --name news1 --yes >"$H/bulk3.out" 2>&1
check_grep "the paused run queues the new contact's message" "1 queued" \
    "$H/bulk3.out"
"$LG" deliver >/dev/null 2>&1
check_eq "and a delivery run leaves it queued" \
    "$(pg_sql "SELECT state FROM outgoing o JOIN campaigns c ON \
    c.id = o.campaign_id WHERE o.contact_id = $c")" queued
check "resume it" sh -c "'$LG' mail campaigns resume news1 >/dev/null 2>&1"
"$LG" deliver >/dev/null 2>&1
sink_idle
check_eq "resumed, it is sent" "$(( $(sink_count) - before ))" 1

# The contact's rights on PostgreSQL: export, erase, merge.
m=$(pg_sql "SELECT contact_id FROM contact_emails WHERE norm = \
    'max@example.net'")
check "contacts export on PostgreSQL" sh -c "'$LG' contacts export $m \
    >'$H/export.json' 2>'$H/export.err'"
check_eq "the export holds the address, the lead and its inquiry" \
    "$(jq -r '[.emails[0].norm, (.leads | length), (.inquiries | length),
    (.contact.id | type)] | join(" ")' "$H/export.json")" \
    "max@example.net 1 1 number"
"$LG" contacts erase "$m" >"$H/erase.out" 2>"$H/erase.err"
check_eq "contacts erase on PostgreSQL exits 0" "$?" 0
sed 's/^/    /' "$H/erase.err" | head -3
check_grep "it reports the lead" '^  leads: 1$' "$H/erase.out"
check_eq "the erasure is recorded without personal data" \
    "$(pg_sql "SELECT contact_id || ' ' || (counts::jsonb->>'leads') \
    FROM erasures")" "$m 1"
check_eq "the address is gone from the contact" \
    "$(pg_sql "SELECT count(*) FROM contact_emails WHERE contact_id = $m")" 0
# The same key SQLite writes: sha256: and the hex SHA-256 of the address.
key="sha256:$(printf %s max@example.net | sha256sum | cut -d' ' -f1)"
check_eq "the suppression list holds its hash only" \
    "$(pg_sql "SELECT count(*) FROM suppression WHERE address = '$key'") \
$(pg_sql "SELECT count(*) FROM suppression WHERE address LIKE 'max@%'")" "1 0"
a=$("$LG" contacts add --first-name Rita --last-name Zumbach \
    --email rita@example.org 2>&1)
b=$("$LG" contacts add --first-name Rita --last-name Zumbach \
    --phone "079 111 22 33" --custom budget=900000 2>&1)
"$LG" leads add --contact "$b" --source Web >/dev/null 2>&1
check "contacts merge on PostgreSQL" "$LG" contacts merge "$a" "$b"
check_eq "the other's lead, phone and custom field moved over" \
    "$(pg_sql "SELECT (SELECT count(*) FROM leads WHERE contact_id = $a) \
    || ' ' || (SELECT norm FROM contact_phones WHERE contact_id = $a) \
    || ' ' || (custom::jsonb->>'budget') FROM contacts WHERE id = $a")" \
    "1 +49791112233 900000"
check_eq "the other contact is gone" \
    "$(pg_sql "SELECT count(*) FROM contacts WHERE id = $b")" 0
t_finish
