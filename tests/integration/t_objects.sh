#!/bin/sh
# Objects, search profiles and matching (issue 21): an OpenImmo feed of 50
# objects imported twice (nothing duplicated), a full feed a week later
# and a partial one (removed objects withdrawn; each bad record one
# FILE:LINE line), a CSV file; search profiles taken from OpenImmo-
# Feedback mails; `match --dry-run` listing exactly the expected contacts
# with their reasons; the real run mailing them once through smtp-sink
# and putting their leads in phase 1; a rerun mailing nobody.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE
D=$TOP/tests/data/openimmo

# run ARGS...: leadgate with its output in $LG_HOME/out and err; its status.
run() {
	"$LG" "$@" >"$LG_HOME/out" 2>"$LG_HOME/err" </dev/null
}

sink_start objects
lg_case objects
lg_config "templates = \"$TOP/etc/templates\";" \
    "rules = \"$LG_HOME/rules.conf\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example";' \
    '  unsubscribe_url = "https://muster-immo.example/u/{token}"; };' \
    "$(lg_smtp "$SINK_PORT" "connections = 2;")"
echo 'rules = ( { name = "mail"; source = "E-Mail"; } );' >"$LG_HOME/rules.conf"

# ---------------------------------------------------------------------
# The feed, twice.
check "import the feed" run objects import "$D/feed.xml"
check_grep "50 objects, all new" \
    "feed.xml: 50 objects: 50 new, 0 changed, 0 unchanged; 0 withdrawn; 0 bad records$" \
    "$LG_HOME/out"
check "import it again" run objects import "$D/feed.xml"
check_grep "the second time nothing is new or changed" \
    "feed.xml: 50 objects: 0 new, 0 changed, 50 unchanged; 0 withdrawn; 0 bad records$" \
    "$LG_HOME/out"
check_eq "nothing duplicated" "$(lg_sql "select count(*), \
    count(distinct ref) from objects")" "50|50"
check_eq "each object known by its three ids" \
    "$(lg_sql "select count(*) from object_ids")" 150
check_eq "the fields of OBJ-1001" "$(lg_sql "select ref, kind, type, \
    price, rooms, area, postcode, city, state from objects where \
    ref = 'OBJ-1001'")" \
    "OBJ-1001|sale|apartment|1250000.0|4.5|118.0|8001|Zürich|available"
check_eq "a rent object's price is its cold rent (kaltmiete)" "$(lg_sql \
    "select kind, price from objects where ref = 'OBJ-1031'")" "rent|2100.0"

# A week later: the full feed lacks three, one is cheaper, one reserved.
check "import the full feed of a week later" run objects import \
    "$D/feed-full.xml"
check_grep "two changed, three withdrawn" \
    "47 objects: 0 new, 2 changed, 45 unchanged; 3 withdrawn; 0 bad records$" \
    "$LG_HOME/out"
check_eq "the objects missing from a full feed are withdrawn" \
    "$(lg_sql "select group_concat(ref) from (select ref from objects \
    where state = 'withdrawn' order by ref)")" "OBJ-1048,OBJ-1049,OBJ-1050"
check_eq "the new price and state" "$(lg_sql "select group_concat(x) from \
    (select ref || ':' || price || ':' || state as x from objects where \
    ref in ('OBJ-1001', 'OBJ-1002') order by ref)")" \
    "OBJ-1001:1190000.0:available,OBJ-1002:1410000.0:reserved"

# A partial feed: one new, one DELETE, one bad record.
run objects import "$D/feed-delta.xml"
check_eq "a feed with a bad record: status 65" "$?" 65
check_grep "the bad record is FILE:LINE: reason" \
    "^leadgate: objects import: .*/feed-delta.xml:78: object OBJ-1052: vermarktungsart: neither KAUF nor MIETE_PACHT$" \
    "$LG_HOME/err"
check_grep "the rest is imported" \
    "1 objects: 1 new, 0 changed, 0 unchanged; 1 withdrawn; 1 bad records$" \
    "$LG_HOME/out"
check_eq "aktion DELETE withdraws; a partial feed withdraws nothing else" \
    "$(lg_sql "select count(*), group_concat(ref) from objects where \
    state = 'withdrawn' and ref not in ('OBJ-1048','OBJ-1049','OBJ-1050')")" \
    "1|OBJ-1045"
check_eq "the bad record is not there" \
    "$(lg_sql "select count(*) from objects where ref = 'OBJ-1052'")" 0

# CSV: columns by name, ; separated, Swiss thousands marks, a bad row.
run objects import "$D/objects.csv"
check_eq "a CSV file with a bad row: status 65" "$?" 65
check_grep "the bad row is FILE:LINE: reason" \
    "objects.csv:4: price: not a number: 'about 1500'$" "$LG_HOME/err"
check_grep "an unknown column is said and ignored" \
    "objects.csv:1: unknown column 'floor' [(]ignored[)]$" "$LG_HOME/err"
check_eq "the CSV objects" "$(lg_sql "select group_concat(x, ' ') from \
    (select ref || ':' || kind || ':' || type || ':' || price || ':' || \
    rooms || ':' || state as x from objects where origin = 'csv' \
    order by ref)")" \
    "CSV-1:sale:apartment:1450000.0:4.5:available CSV-2:sale:house:980000.0:5.5:reserved CSV-4:rent:apartment:2900.0:2.5:available"
printf 'ref,aliases,kind\nCSV-9,OBJ-1001,sale\n' >"$LG_HOME/alias.csv"
run objects import "$LG_HOME/alias.csv"
check_eq "an alias that is another object's id: status 65" "$?" 65
check_grep "... FILE:LINE: reason" \
    "alias.csv:2: object CSV-9: 'OBJ-1001' is already an id of another object$" \
    "$LG_HOME/err"
check_eq "... and the record is left out" \
    "$(lg_sql "select count(*) from objects where ref = 'CSV-9'")" 0
check "an object is found by a portal id" run objects show IS24-9004
check_grep "... CSV-4" "^object [0-9]+: CSV-4$" "$LG_HOME/out"
check "objects list --format json" run objects list --state withdrawn \
    --format json
check_eq "... lists the four withdrawn" "$(python3 -c 'import json,sys; \
    print(" ".join(o["ref"] for o in json.load(sys.stdin)))' \
    <"$LG_HOME/out")" "OBJ-1045 OBJ-1048 OBJ-1049 OBJ-1050"

# ---------------------------------------------------------------------
# Search profiles from OpenImmo-Feedback mails (contacts 2 to 5).
check "ingest four feedback mails" run ingest "$D"/feedback-lena.eml \
    "$D"/feedback-marc.eml "$D"/feedback-nora.eml "$D"/feedback-olga.eml
check "contacts profile list" run contacts profile list
cat >"$LG_HOME/profiles.want" <<'EOF2'
ID  CONTACT  ORIGIN   PROFILE
1   2        inquiry  sale apartment, price <= 1300000, rooms 4-5, cities Zürich,Winterthur
2   3        inquiry  sale, price 800000-1100000, postcodes 8001,8004
3   4        inquiry  sale, area >= 100, postcodes 80*
4   5        inquiry  rent, price <= 3000, cities Zürich
EOF2
check_file "each feedback mail's search data is its contact's profile" \
    "$LG_HOME/out" "$LG_HOME/profiles.want"
check "ingesting a mail again adds no second profile" run ingest \
    --connector again "$D"/feedback-lena.eml
check_eq "... still four" "$(lg_sql "select count(*) from \
    search_profiles")" 4

# By hand: Anna (contact 1) matches but is opted out; Paul matches but
# already talks about OBJ-1001 (phase 3); Rita asks for a house.
check "a profile by hand" run contacts profile add 1 --kind sale \
    --cities zurich
"$LG" contacts update 1 --opt-out yes >/dev/null
"$LG" contacts add --first-name Paul --last-name Frei \
    --email paul.frei@example.org >/dev/null
"$LG" contacts profile add 6 --kind sale --rooms 4-5 --postcodes 8001 \
    >/dev/null
"$LG" leads add --contact 6 --source web --object I-1001 --phase 3 \
    >/dev/null
"$LG" contacts add --first-name Rita --last-name Roth \
    --email rita.roth@example.org >/dev/null
"$LG" contacts profile add 7 --type house --price -2000000 >/dev/null
run contacts profile add 7 --price 1000
check_eq "a range without a dash is refused" "$?" 64
run contacts profile add 7
check_eq "an empty profile is refused" "$?" 64

# ---------------------------------------------------------------------
# Matching OBJ-1001 (sale, apartment, 1190000, 4.5 rooms, 118 m2, 8001
# Zürich).
check "match --dry-run" run match OBJ-1001 --dry-run
cat >"$LG_HOME/dry.want" <<'EOF2'
object OBJ-1001: sale apartment, price 1190000, 4.5 rooms, 118 m2, 8001 Zürich (available)
matches: 4 (would write to 2)
  contact 1 Anna Muster (profile 5): kind sale = sale; city Zürich in zurich -- skipped: opted out
  contact 2 Lena Keller (profile 1): kind sale = sale; type apartment = apartment; price 1190000 in <= 1300000; rooms 4.5 in 4-5; city Zürich in Zürich,Winterthur
  contact 4 Nora Graf (profile 3): kind sale = sale; area 118 in >= 100; postcode 8001 in 80*
  contact 6 Paul Frei (profile 6): kind sale = sale; rooms 4.5 in 4-5; postcode 8001 in 8001 -- skipped: lead 6 on it is in phase 3 (Demande répondue)
near misses: 2
  contact 3 Marc Brunner (profile 2): price 1190000 not in 800000-1100000
  contact 7 Rita Roth (profile 7): type apartment != house
dry run: nothing is sent or changed
EOF2
check_file "the dry run lists exactly the expected contacts and why" \
    "$LG_HOME/out" "$LG_HOME/dry.want"
check_eq "a dry run changes nothing" "$(lg_sql "select (select count(*) \
    from campaigns) || ':' || (select count(*) from outgoing) || ':' || \
    (select count(*) from leads where object_ref = 'OBJ-1001')")" "0:0:0"

check "match, for real" run match OBJ-1001
check_grep "two queued, two leads made" \
    "^campaign match-OBJ-1001: 2 queued, 0 skipped; 2 leads made$" \
    "$LG_HOME/out"
check_grep "and delivered" "^delivery: 2 sent, 0 deferred, 0 failed$" \
    "$LG_HOME/out"
sink_idle
check_eq "two messages reached smtp-sink" "$(sink_count)" 2
check_eq "to Lena and Nora" "$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | \
    sort | tr -d '\r' | tr '\n' ' ')" \
    "X-Rcpt-Args: <lena.keller@example.org> X-Rcpt-Args: <nora.graf@example.org> "
f=$(grep -l '^X-Rcpt-Args: <lena.keller@example.org>' "$SINK_DIR"/m.* | head -1)
sink_message "$f" | tr -d '\r' >"$LG_HOME/lena.eml"
check_grep "the message names the object" "^- Objekt-Nr. OBJ-1001$" \
    "$LG_HOME/lena.eml"
check_grep "as bulk mail" "^Precedence: bulk$" "$LG_HOME/lena.eml"
check_eq "their leads on the object are in phase 1" "$(lg_sql "select \
    group_concat(x, ' ') from (select contact_id || ':' || pipeline || ':' \
    || phase_no || ':' || s.name as x from leads l join sources s on \
    s.id = l.source_id where object_ref = 'OBJ-1001' order by contact_id)")" "2:sale:1:matching 4:sale:1:matching"
check_eq "recorded as the phase's action" "$(lg_sql "select count(*) from \
    history h join leads l on l.id = h.lead_id where l.object_ref = \
    'OBJ-1001' and h.action = 'Écrire aux contacts du matching'")" 2
check_eq "Paul's lead stayed in phase 3" \
    "$(lg_sql "select phase_no from leads where id = 6")" 3

check "match again" run match OBJ-1001
check_grep "a rerun queues nothing" \
    "^campaign match-OBJ-1001: 0 queued, 2 skipped; 0 leads made$" \
    "$LG_HOME/out"
check_grep "... because they have it" "^matches: 4 [(]to write to 2[)]$" \
    "$LG_HOME/out"
sink_idle
check_eq "nobody is mailed twice" "$(sink_count)" 2
check_eq "no lead is made twice" "$(lg_sql "select count(*) from leads \
    where object_ref = 'OBJ-1001'")" 2

# ---------------------------------------------------------------------
# Objet > Contact, the report, the filter.
check "objects show" run objects show OBJ-1001
sed -n '/^contacts by phase:/,$p' "$LG_HOME/out" >"$LG_HOME/show"
cat >"$LG_HOME/show.want" <<'EOF2'
contacts by phase:
  sale 1 Contacté via matching:
    lead 7 (open): contact 2 Lena Keller lena.keller@example.org
    lead 8 (open): contact 4 Nora Graf nora.graf@example.org
  sale 3 Demande répondue:
    lead 6 (open): contact 6 Paul Frei paul.frei@example.org
EOF2
check_file "objects show lists its contacts by phase" "$LG_HOME/show" \
    "$LG_HOME/show.want"
check "report --by object" run report --by object --format csv
check_grep "OBJ-1001 has three open leads" "^OBJ-1001,3,0,0,3" \
    "$LG_HOME/out"
check "a filter on the object and a phase without accents" run leads list \
    --filter 'object.price >= 1000000 and object.rooms > 4 and phase = "contacte via MATCHING"'
check_eq "... selects the two matched leads" "$(awk 'NR > 1 { print $1 }' \
    "$LG_HOME/out" | tr '\n' ' ')" "7 8 "

run match OBJ-1048
check_eq "a withdrawn object is not offered" "$?" 65
check_grep "... and says so" "object OBJ-1048 is withdrawn" "$LG_HOME/err"
run match NOSUCH --dry-run
check_eq "an unknown object: 66" "$?" 66

# ---------------------------------------------------------------------
# match.on_import: the first feed again brings OBJ-1002 (reserved) and
# the withdrawn rent objects back; each is matched, the mail delivered.
lg_config "templates = \"$TOP/etc/templates\";" \
    "rules = \"$LG_HOME/rules.conf\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example";' \
    '  unsubscribe_url = "https://muster-immo.example/u/{token}"; };' \
    "$(lg_smtp "$SINK_PORT" "connections = 2;")" \
    'match = { on_import = true; };'
check "import with match.on_import" run objects import "$D/feed.xml"
check_grep "OBJ-1002, available again, is matched: Nora" \
    "^match OBJ-1002: 2 matches, 1 queued, 0 skipped; 1 leads made$" \
    "$LG_HOME/out"
check_grep "the rent house back from withdrawn too: Olga, and Rita (any kind)" \
    "^match OBJ-1049: 2 matches, 2 queued, 0 skipped; 2 leads made$" \
    "$LG_HOME/out"
check_eq "an object available before is not matched again" \
    "$(grep -c "^match OBJ-1001" "$LG_HOME/out")" 0
check_grep "and delivered" "^delivery: 3 sent, 0 deferred, 0 failed$" \
    "$LG_HOME/out"
sink_idle
check_eq "three more messages" "$(sink_count)" 5
check_eq "Olga's lead is in the rental pipeline's phase 1" "$(lg_sql \
    "select pipeline, phase_no from leads where object_ref = 'OBJ-1049' \
    and contact_id = 5")" \
    "rental|1"

t_finish
