#!/bin/sh
# The contact's rights: contacts export holds every kind of data about a
# person; contacts erase leaves no byte of their name, address or phone in
# any file of the data folder (database, WAL, spool, archive) while the
# hash on the suppression list still stops an autoreply to a new inquiry
# from them (nothing more arrives at smtp-sink); contacts merge keeps
# every lead and history entry.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"

LG=$LEADGATE
H=$T_DIR/data
mkdir -p "$H"
sink_start gdpr || { t_finish; exit 1; }
cat >"$H/lg.conf" <<EOF2
store = { path = "$H/lg.db"; default_country = "CH"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "$H/spool";
archive = { dir = "$H/archive"; };
lock = "$H/lg.lock";
log = { level = "warn"; };
mail = {
  from = "Immobilien Beispiel AG <info@beispiel-immo.example>";
  domain = "beispiel-immo.example";
  own_addresses = [ "info@beispiel-immo.example" ];
};
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
EOF2
export LEADGATE_CONFIG="$H/lg.conf"
export LEADGATE_NOW=2026-03-04T10:00:00Z
sql() { sqlite3 "$H/lg.db" "$1"; }

# inquiry N OBJECT: a mail from Zoé Quellmatt about OBJECT.
inquiry() {
	printf 'From: =?utf-8?q?Zo=C3=A9_Quellmatt?= <zoe.quellmatt@example.net>\nTo: info@beispiel-immo.example\nSubject: Anfrage %s\nMessage-ID: <zq-%s@example.net>\nDate: Mon, 02 Mar 2026 09:00:00 +0100\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nGuten Tag, ist %s noch frei?\nRufen Sie mich an: 044 987 65 43.\nZoé Quellmatt, Quellweg 7, 8001 Zürich\n' \
	    "$2" "$1" "$2"
}

inquiry 1 OBJ-7001 >"$H/in1.eml"
inquiry 2 OBJ-7002 >"$H/in2.eml"
check "the first inquiry" sh -c "'$LG' ingest --connector inbox '$H/in1.eml' >/dev/null"
"$LG" deliver >/dev/null 2>&1
check_eq "its autoreply arrived at smtp-sink" "$(sink_count)" 1
check "the second inquiry" "$LG" ingest --connector inbox "$H/in2.eml"
contact=$(sql "select contact_id from leads where id = 1")
"$LG" contacts update "$contact" --custom hobby=Segelfliegen \
    --street "Quellweg 7" >/dev/null
"$LG" leads convert 1 --to deal >/dev/null 2>&1
# A search profile: the person's wishes (the city is a trace to find).
check "a search profile" sh -c "'$LG' contacts profile add '$contact' \
    --kind sale --rooms 3-4 --cities Quellmattingen >/dev/null"
# A message still queued for them (the deliverer does not run again).
printf 'Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nFrom: info@beispiel-immo.example\r\nTo: zoe.quellmatt@example.net\r\nMessage-ID: <queued-1@beispiel-immo.example>\r\nSubject: Besichtigung Quellmatt\r\n\r\nGuten Tag Frau Quellmatt\r\n' \
    >"$H/queued.eml"
"$LG" spool add --key gdpr-1 --to zoe.quellmatt@example.net \
    --contact "$contact" --lead 1 "$H/queued.eml" >/dev/null
queued=$(sql "select count(*) from outgoing where state = 'queued'")
check "a message waits in the spool" test "$queued" -ge 1

# Export: every kind of data, to a file of mode 0600.
check "contacts export --output" "$LG" contacts export "$contact" \
    --output "$H/export.json"
check_eq "the export file is 0600" "$(stat -c %a "$H/export.json")" 600
kinds=$(python3 - "$H/export.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
have = []
if d["contact"]["last_name"] == "Quellmatt": have.append("contact")
if d["contact"]["custom"].get("hobby") == "Segelfliegen": have.append("custom")
if any(e["norm"] == "zoe.quellmatt@example.net" for e in d["emails"]): have.append("emails")
if any(p["norm"] == "+41449876543" for p in d["phones"]): have.append("phones")
if len(d["leads"]) >= 2: have.append("leads")
if len(d["history"]) >= 3: have.append("history")
if d["deals"]: have.append("deals")
if d["inquiries"]: have.append("inquiries")
if any(o["state"] == "sent" for o in d["outgoing"]) and \
   any("Frau Quellmatt" in (o.get("text") or "") for o in d["outgoing"]):
    have.append("outgoing")
if any("Quellweg 7" in (m.get("text") or "") for m in d["mails"]): have.append("mails")
if d["webhook_events"]: have.append("events")
if any("Quellmattingen" in (p.get("cities") or "") for p in d["search_profiles"]):
    have.append("profiles")
if d["phase_arrivals"]: have.append("arrivals")
print(" ".join(have))
PY
)
check_eq "the export holds every kind of data" "$kinds" \
    "contact custom emails phones leads history deals inquiries outgoing mails events profiles arrivals"
"$LG" contacts export "$contact" >"$H/export2.json"
check "contacts export to stdout is the same document" \
    cmp -s "$H/export.json" "$H/export2.json"
"$LG" unsubscribe zoe.quellmatt@example.net >/dev/null
check_grep "the export holds the suppression entry" '"address": "zoe.quellmatt@example.net"' \
    "$(sh -c "'$LG' contacts export $contact >'$H/export3.json'; echo '$H/export3.json'")"
rm -f "$H/export.json" "$H/export2.json" "$H/export3.json" "$H"/*.eml

# Erase.
"$LG" contacts erase "$contact" >"$H/erase.out" 2>"$H/erase.err"
check_eq "contacts erase exits 0" "$?" 0
check_grep "it reports the leads" '^  leads: 2$' "$H/erase.out"
check_grep "it reports the spool message" '^  spool messages: 1$' "$H/erase.out"
check_grep "it reports the archive files" '^  archive files: 2$' "$H/erase.out"
check_eq "the WAL is truncated" "$(stat -c %s "$H/lg.db-wal" 2>/dev/null || echo 0)" 0
check_eq "the erasure is recorded without personal data" \
    "$(sql "select contact_id, actor like 'user %', json_extract(counts, '\$.leads') from erasures")" \
    "$contact|1|2"
check_eq "the queued message is cancelled" \
    "$(sql "select count(*) from outgoing where state in ('queued','deferred','held')")" 0
check_eq "the suppression list holds only a hash" \
    "$(sql "select count(*) from suppression where address like 'sha256:%'") $(sql "select count(*) from suppression where address like '%@%'")" \
    "1 0"
check_eq "leads are kept for the reports" "$(sql "select count(*) from leads")" 2
check_eq "the search profile is erased; the leads' phase arrivals kept" \
    "$(sql "select count(*) from search_profiles where contact_id = $contact") $(sql "select count(*) > 0 from phase_arrivals where lead_id in (1, 2)")" \
    "0 1"
check_grep "it reports the search profile" '^  search profiles: 1$' \
    "$H/erase.out"
# Every file of the data folder, archived mails decompressed too.
traces=$T_DIR/traces
: >"$traces"
find "$H" -type f | while read -r f; do
	case "$f" in
	*.gz) zcat "$f" ;;
	*) cat "$f" ;;
	esac | grep -a -i -o -E 'quellmatt|zoe\.quellmatt|987 ?65 ?43|449876543|Segelfliegen|Quellweg' |
	    sed "s|^|$f: |" >>"$traces"
done
check_eq "no trace of name, address, phone or custom field in any file" \
    "$(sort -u "$traces" | head -5)" ""
check "the files of the data folder were searched" test \
    "$(find "$H" -type f | wc -l)" -ge 4

# The hash still holds: a new inquiry from them gets no autoreply.
inquiry 3 OBJ-7003 >"$H/in3.eml"
check "a new inquiry from the erased address" "$LG" ingest --connector inbox "$H/in3.eml"
"$LG" deliver >/dev/null 2>&1
sink_idle 5 2>/dev/null
check_eq "no autoreply went out to the erased address" "$(sink_count)" 1
check_eq "and none is queued" \
    "$(sql "select count(*) from outgoing where rcpt = 'zoe.quellmatt@example.net'")" 0
check_grep "the new lead's history says why" 'suppression' \
    "$(sh -c "'$LG' leads show 3 >'$H/show3.out' 2>&1; echo '$H/show3.out'")"
"$LG" mail bulk --filter 'object = "OBJ-7003"' --template object-news \
    --name gdpr --yes >"$H/bulk.out" 2>&1
check_grep "bulk mail skips the erased address: it is suppressed" \
    '^  on the suppression list: 1$' "$H/bulk.out"
sink_idle 5 2>/dev/null
check_eq "still nothing more arrived at smtp-sink" "$(sink_count)" 1
check "erasing an unknown contact fails" sh -c \
    "! '$LG' contacts erase 999 2>/dev/null"

# Merge: two contacts that are one person.
"$LG" sources add Telefon >/dev/null 2>&1
a=$("$LG" contacts add --first-name Rita --last-name Zumbach --email rita@example.org)
b=$("$LG" contacts add --first-name Rita --last-name Zumbach --phone "079 111 22 33" --custom budget=900000)
"$LG" leads add --contact "$a" --source Telefon >/dev/null
"$LG" leads add --contact "$b" --source Telefon >/dev/null
"$LG" leads add --contact "$b" --source Telefon >/dev/null
"$LG" contacts profile add "$b" --kind rent --postcodes 8002 >/dev/null
arrivals=$(sql "select count(*) from phase_arrivals where lead_id in (select id from leads where contact_id in ($a, $b))")
before=$(sql "select count(*) from history where contact_id in ($a, $b)")
# As if a mail with an unsubscribe link had gone to the other one.
sql "update contacts set unsub_token = 'tok-other' where id = $b"
check "contacts merge" "$LG" contacts merge "$a" "$b"
check_eq "every lead is the kept contact's" \
    "$(sql "select count(*) from leads where contact_id = $a")" 3
check_eq "every history entry is kept, and the merge recorded" \
    "$(sql "select count(*) from history where contact_id = $a")" \
    "$((before + 1))"
check_eq "the other contact is gone" \
    "$(sql "select count(*) from contacts where id = $b")" 0
check_eq "its phone and custom field moved over" \
    "$(sql "select (select norm from contact_phones where contact_id = $a), json_extract(custom, '\$.budget') from contacts where id = $a")" \
    "+41791112233|900000"
check_eq "the phone finds the kept contact (dedup keys follow)" \
    "$(sql "select min(contact_id) from contact_phones where norm = '+41791112233'")" "$a"
check_eq "the other's unsubscribe link still works: its token is the kept one's" \
    "$(sql "select id from contacts where unsub_token = 'tok-other'")" "$a"
check_eq "the other's search profile moved over" \
    "$(sql "select contact_id || ' ' || postcodes from search_profiles where kind = 'rent'")" \
    "$a 8002"
check_eq "the leads' phase arrivals moved with them" \
    "$(sql "select count(*) from phase_arrivals where lead_id in (select id from leads where contact_id = $a)")" \
    "$arrivals"
check "merging a contact into itself fails" sh -c \
    "! '$LG' contacts merge $a $a 2>/dev/null"
t_finish
