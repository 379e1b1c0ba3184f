#!/bin/sh
# leadgate db copy: a SQLite store with leads, inquiries, quarantine
# bytes, autoreplies and webhook events moves into an empty PostgreSQL
# database (a throwaway cluster, tests/lib/pg.sh); every table's count
# and checksum are printed and match; the CLI shows the same leads on
# both; ids go on after the copied ones; the copy made no webhook
# events of its own; a second copy into the now full database is
# refused; so is a target URL holding a password.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/pg.sh"

LG=$LEADGATE
if ! pg_start; then
	ok "skipped: $PG_WHY"
	t_finish
	exit 0
fi
H=$T_DIR/home
mkdir -p "$H"
chmod 700 "$H"
# conf STORE-LINE: the configuration with that store block.
conf() {
	cat >"$H/lg.conf" <<EOF
$1
pipelines = "$TOP/etc/pipelines.conf";
templates = "$TOP/etc/templates";
rules = "$TOP/etc/rules.conf";
spool = "$H/spool";
log = { level = "warn"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example"; };
webhooks = ( { name = "crm"; url = "https://crm.example/hook";
  secret_file = "$H/hook.key"; } );
EOF
	export LEADGATE_CONFIG="$H/lg.conf"
}
printf 'hook-secret\n' >"$H/hook.key"
chmod 600 "$H/hook.key"
SQ="store = { path = \"$H/lg.db\"; password_file = \"$PG_PASSWORD_FILE\"; };"
conf "$SQ"

i=1
for who in "Eva Example <eva@example.org>" "Max Beispiel <max@example.net>" \
    "Lia Muster <lia@example.com>"; do
	cat >"$H/q$i.eml" <<EOF
From: $who
To: info@muster-immo.example
Subject: Wohnung OBJ-$i
Message-ID: <copy-$i@example.org>
Date: Wed, 04 Mar 2026 09:0$i:00 +0100
Content-Type: text/plain; charset=utf-8

Guten Tag, ist die Wohnung OBJ-$i noch frei? Gruss
EOF
	i=$((i + 1))
done
# Not an inquiry at all: kept in quarantine, bytes and all.
printf 'no headers at all \001\002\377\n' >"$H/junk.eml"
"$LG" ingest "$H/q1.eml" "$H/q2.eml" "$H/q3.eml" >"$H/ingest.out" 2>&1
"$LG" ingest "$H/junk.eml" >>"$H/ingest.out" 2>&1
"$LG" contacts add --company-name "Muster AG" >/dev/null 2>&1
"$LG" contacts update 1 --company 4 >/dev/null 2>&1
check_eq "three leads in SQLite" \
    "$(sqlite3 "$H/lg.db" 'SELECT count(*) FROM leads')" 3
"$LG" leads list >"$H/leads.sqlite" 2>&1
"$LG" contacts list >"$H/contacts.sqlite" 2>&1
# A search profile: REAL columns (migration 12) must copy and verify.
"$LG" contacts profile add 1 --kind sale --price 400000-950000.5 \
    --rooms 3.5-5 --postcodes 8001,80* >/dev/null 2>&1
"$LG" contacts profile list --json >"$H/profiles.sqlite" 2>&1
check_grep "a profile in SQLite" "950000.5" "$H/profiles.sqlite"
ev=$(sqlite3 "$H/lg.db" 'SELECT count(*) FROM webhook_events')
q=$(sqlite3 "$H/lg.db" 'SELECT count(*) FROM quarantine')

"$LG" db copy --from "sqlite:$H/lg.db" \
    --to "postgresql://leadgate:x@127.0.0.1:$PG_PORT/leadgate" \
    >"$H/pw.out" 2>&1
check_grep "a password in the target URL is refused" \
    "must not hold a password" "$H/pw.out"
check "db copy" sh -c "'$LG' db copy --from 'sqlite:$H/lg.db' \
    --to '$PG_URL' >'$H/copy.out' 2>'$H/copy.err'"
sed 's/^/    /' "$H/copy.err" | head -5
check_grep "copy verified" "^copied and verified" "$H/copy.out"
check_grep "leads counted and summed" "^leads +3 +[0-9a-f]{32}$" "$H/copy.out"
check_eq "every table listed" "$(grep -Ec '^[a-z_]+ +[0-9]+ +[0-9a-f]{32}$' \
    "$H/copy.out")" 33
check_eq "quarantine rows in PostgreSQL" \
    "$(pg_sql 'SELECT count(*) FROM quarantine')" "$q"
check_eq "quarantined bytes identical" \
    "$(pg_sql "SELECT md5(raw) FROM quarantine ORDER BY id LIMIT 1")" \
    "$(sqlite3 "$H/lg.db" 'SELECT raw FROM quarantine ORDER BY id LIMIT 1' |
    head -c -1 | md5sum | cut -d' ' -f1)"
check_eq "the copy made no webhook events" \
    "$(pg_sql 'SELECT count(*) FROM webhook_events')" "$ev"
check_eq "employer kept" \
    "$(pg_sql 'SELECT company_id FROM contacts WHERE id = 1')" 4

conf "store = { url = \"$PG_URL\"; password_file = \"$PG_PASSWORD_FILE\"; };"
"$LG" leads list >"$H/leads.pg" 2>&1
"$LG" contacts list >"$H/contacts.pg" 2>&1
check_file "leads list is the same on PostgreSQL" "$H/leads.pg" \
    "$H/leads.sqlite"
check_file "contacts list is the same on PostgreSQL" "$H/contacts.pg" \
    "$H/contacts.sqlite"
"$LG" contacts profile list --json >"$H/profiles.pg" 2>&1
check_file "search profiles are the same on PostgreSQL" "$H/profiles.pg" \
    "$H/profiles.sqlite"
"$LG" sources add Neu >/dev/null 2>&1
n=$("$LG" contacts add --first-name Neu --last-name Person \
    --email neu@example.org 2>&1)
check_eq "ids go on after the copied ones" "$n" 5
check_eq "a new lead's webhook event is written again" \
    "$(pg_sql "SELECT count(*) FROM webhook_events")" "$ev"
"$LG" leads add --contact 5 --source Neu >"$H/la.out" 2>&1
check_eq "triggers are back on" \
    "$(pg_sql "SELECT count(*) FROM webhook_events")" "$((ev + 1))"

conf "$SQ"
"$LG" db copy --from "sqlite:$H/lg.db" --to "$PG_URL" >"$H/again.out" 2>&1
check_grep "a second copy into a full database is refused" \
    "is not empty" "$H/again.out"
check_eq "and changed nothing" "$(pg_sql 'SELECT count(*) FROM leads')" 4
t_finish
