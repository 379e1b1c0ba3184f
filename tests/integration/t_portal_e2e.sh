#!/bin/sh
# Portal items through the real ingest pipeline with `leadgate poll`:
# contacts and leads with the portal's source and the pipeline's initial
# phase, deduplicated against a contact that came in by mail, acknowledged
# after commit; then SIGKILL in the middle of a poll and a restart: nothing
# twice, nothing skipped.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/portal.sh"

lg() { (cd "$D" && "$LEADGATE" -c leadgate.conf "$@" </dev/null); }
# Never the first to open the store: sqlite3 would create it 0644, and
# leadgate refuses a store others can read.
count() { [ -e "$D/leadgate.db" ] && sqlite3 "$D/leadgate.db" "$1"; }

# 1. Mail first, then the portal: one contact for Marc Keller.
D="$T_DIR/e2e"
mkdir -p "$D"
portal_secrets "$D"
portal_store_setup "$D"
portal_start "$D" immo --items 120
portal_block "$TOP/etc/portals/immo-oauth-cursor.conf" "$D/portal.conf" ""
portal_config "$D" portal.conf
cat >"$D/mail.eml" <<'EOM'
From: Marc Keller <marc.keller1@example.org>
To: info@muster-immo.example
Subject: Wohnung an der Seestrasse
Message-ID: <e2e-1@example.org>
Date: Fri, 20 Nov 2026 07:00:00 +0000

Guten Tag, ist die Wohnung noch frei? Marc Keller
EOM
lg ingest mail.eml >"$D/ingest.out" 2>&1
check_grep "the mail made a contact" "new lead, lead 1, contact 1" "$D/ingest.out"
lg poll --connector immo >"$D/poll1.out" 2>"$D/poll1.err"
check_eq "poll: exit status" "$?" 0
check_eq "poll: a line per inquiry" "$(wc -l <"$D/poll1.out")" 120
check_grep "poll: summary" "poll immo: 120 new lead\(s\), 0 added to open leads, 0 duplicate\(s\), 0 ignored, 0 in quarantine" "$D/poll1.err"
check_eq "leads with the portal as source, in the initial phase" \
    "$(count "SELECT count(*) FROM leads l JOIN sources s ON s.id = l.source_id
      WHERE s.name = 'ImmoPortal' AND l.phase_no = 2 AND l.pipeline = 'sale'
      AND l.status = 'open'")" 120
check_eq "each portal inquiry once" \
    "$(count "SELECT count(DISTINCT portal_ref) FROM leads WHERE portal = 'ImmoPortal'")" 120
check_eq "contacts: the mail's contact got the portal lead, no duplicate" \
    "$(count "SELECT count(*) FROM contacts")" 120
check_eq "the portal lead of Marc Keller is on contact 1" \
    "$(count "SELECT contact_id FROM leads WHERE portal_ref = 'ld_00001'")" 1
check_eq "fields mapped onto the lead" \
    "$(count "SELECT object_ref || ' ' || portal_object_ref FROM leads WHERE portal_ref = 'ld_00007'")" \
    "A-102 12ABCDE00007"
check_eq "every item acknowledged once, after commit" \
    "$(python3 - "$EM_LOG" <<'PY'
import json, sys
ids = []
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["kind"] == "ack":
        ids += json.loads(e["body"])["leadIds"]
print(len(ids), len(set(ids)))
PY
)" "120 120"
lg report --by source >"$D/report.out" 2>&1
check_grep "report by source" "ImmoPortal +120" "$D/report.out"
lg poll --connector immo >"$D/poll2.out" 2>"$D/poll2.err"
check_eq "second poll: nothing new" "$(cat "$D/poll2.out")" ""
check_eq "second poll: asked from the saved cursor" \
    "$(tail -1 "$EM_LOG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["query"].get("cursor"))')" c120
portal_stop

# 2. SIGKILL in the middle of the run, then again: nothing twice, nothing
# skipped. Big pages that arrive slowly, so the kill lands inside one.
D="$T_DIR/kill"
mkdir -p "$D"
portal_secrets "$D"
portal_store_setup "$D"
portal_start "$D" cars --items 600 --fault slow:0.05
portal_block "$TOP/etc/portals/cars-basic-linkheader.conf" "$D/portal.conf" ""
sed -i 's/query = { size = "20"; };/query = { size = "100"; };/' "$D/portal.conf"
portal_config "$D" portal.conf
(cd "$D" && exec "$LEADGATE" -c leadgate.conf poll --connector cars \
    >poll1.out 2>poll1.err </dev/null) &
LG_PID=$!
at_exit "kill -9 $LG_PID 2>/dev/null"
n=0
i=0
while [ "$i" -lt 600 ]; do
	n=$(count "SELECT count(*) FROM leads" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 150 ] && break
	kill -0 "$LG_PID" 2>/dev/null || break
	sleep 0.02
	i=$((i + 1))
done
kill -9 "$LG_PID" 2>/dev/null
wait "$LG_PID" 2>/dev/null
before=$(count "SELECT count(*) FROM leads")
echo "# killed after $before leads"
if [ "$before" -gt 0 ] && [ "$before" -lt 600 ]; then
	ok "killed in the middle of the run"
else
	not_ok "killed in the middle of the run: $before leads at the kill"
fi
lg poll --connector cars >"$D/poll2.out" 2>"$D/poll2.err"
check_eq "restarted poll: exit status" "$?" 0
check_eq "after the restart: every lead once" \
    "$(count "SELECT count(*) || ' ' || count(DISTINCT portal_ref) FROM leads")" "600 600"
check_eq "nothing skipped: every lead id there" \
    "$(count "SELECT count(*) FROM leads WHERE portal_ref IN ($(python3 -c \
    'print(",".join("'"'"'lead-%06d'"'"'" % i for i in range(1, 601)))'))")" 600
check_eq "nothing in quarantine" "$(count "SELECT count(*) FROM quarantine")" 0
check_eq "every lead acknowledged" \
    "$(grep '"kind": "ack"' "$EM_LOG" | python3 -c '
import json, sys
print(len({json.loads(l)["path"] for l in sys.stdin}))')" 600
portal_stop
t_finish
