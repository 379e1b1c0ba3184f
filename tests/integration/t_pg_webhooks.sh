#!/bin/sh
# Webhooks out with the store on PostgreSQL (a throwaway cluster,
# tests/lib/pg.sh) against a real receiver (tests/lib/webhook_receiver.py,
# checking every signature): a Maildir poll and a phase move make two
# events; webhooks deliver sends them in order, the first after a 503,
# each acknowledged once; an endpoint that never answers ends failed and
# webhooks retry makes it pending again; webhooks purge keeps what is
# recent or pending and forgets, with the clock moved on, what every
# endpoint configured is done with. What the CLI shows is what PostgreSQL holds.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/pg.sh"

LG=$LEADGATE
if ! pg_start; then
	ok "skipped: $PG_WHY"
	t_finish
	exit 0
fi
W=$T_DIR/work
mkdir -p "$W/Maildir/new" "$W/Maildir/cur" "$W/Maildir/tmp"
cd "$W" || exit 1
printf 'whsec-pg-1\n' >secret
chmod 600 secret

python3 "$TOP/tests/lib/webhook_receiver.py" --port-file crm.port \
    --secret-file secret --log crm.log --script 503,200 &
at_exit "kill $!"
i=0
while [ ! -s crm.port ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
touch crm.log
CRM=$(cat crm.port)
DEAD=$(free_port)	# nothing listens there

# wait_for SECONDS CMD...: until CMD succeeds (never a timing assertion).
wait_for() {
	n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
# count STATE [ENDPOINT]: deliveries in that state, as the CLI lists them.
count() {
	"$LG" webhooks list --state "$1" ${2:+--endpoint "$2"} --json |
	    grep -c '"endpoint":'
}
# deliver_until N: delivery runs until crm has N delivered.
deliver_until() {
	"$LG" webhooks deliver >>deliver.log 2>&1
	[ "$(count delivered crm)" -ge "$1" ]
}

cat >base.conf <<EOF
store = { url = "$PG_URL"; password_file = "$PG_PASSWORD_FILE"; };
pipelines = "$TOP/etc/pipelines.conf";
templates = "$TOP/etc/templates";
rules = "$TOP/etc/rules.conf";
lock = "$W/leadgate.lock";
log = { level = "warn"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $DEAD; starttls = "off"; };
connectors = ( { name = "drop"; type = "maildir"; path = "Maildir"; } );
EOF
cp base.conf leadgate.conf
cat >>leadgate.conf <<EOF
webhooks = (
  { name = "crm"; url = "http://127.0.0.1:$CRM/hooks/leadgate";
    secret_file = "secret"; timeout = 5; connect_timeout = 2;
    backoff = { first = 1; max = 1; }; },
  { name = "dead"; url = "http://127.0.0.1:$DEAD/";
    secret_file = "secret"; events = [ "lead.created" ];
    max_attempts = 1; backoff = { first = 1; max = 1; }; }
);
EOF
export LEADGATE_CONFIG="$W/leadgate.conf"

cat >Maildir/new/1772618400.1.host <<'EOF'
From: Anna Muster <anna.muster@example.ch>
To: info@muster-immo.example
Subject: Anfrage zum Objekt OBJ-1001
Message-ID: <pg-anfrage-1@example.ch>

Guten Tag, ich interessiere mich für die Wohnung.
Anna Muster
EOF
"$LG" poll --connector drop >poll.out 2>&1
check_grep "a Maildir poll made a lead on PostgreSQL" "1 new lead" poll.out
"$LG" leads move 1 3 >/dev/null 2>&1
check_eq "leads move moved it" "$?" 0
check_eq "two events written by the PostgreSQL triggers" \
    "$(pg_sql 'SELECT count(*) FROM webhook_events')" 2

check "crm got both events from webhooks deliver runs" \
    wait_for 60 deliver_until 2
python3 - crm.log <<'PY' >crm.check
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("signed", all(r["sig_ok"] and r["id_ok"] for r in rows))
acked = [r["id"] for r in rows if r["answer"] == "200"]
print("acked", len(acked), "distinct", len(set(acked)))
print("types", ",".join(r["type"] for r in rows if r["answer"] == "200"))
print("first", ",".join(r["answer"] for r in rows[:2]),
      len(set(r["id"] for r in rows[:2])))
PY
check_grep "every request signed" "^signed True" crm.check
check_grep "each event acknowledged exactly once" "^acked 2 distinct 2" \
    crm.check
check_grep "in the order of the changes" \
    "^types lead.created,lead.phase_changed$" crm.check
check_grep "the first event got 503, then 200" "^first 503,200 1$" crm.check
check_eq "PostgreSQL holds crm's two deliveries as delivered" \
    "$(pg_sql "SELECT count(*) FROM webhook_deliveries WHERE \
endpoint = 'crm' AND state = 'delivered'")" 2
check_eq "crm's cursor is at the last event" \
    "$(pg_sql "SELECT last_event = (SELECT max(id) FROM webhook_events) \
FROM webhook_cursors WHERE endpoint = 'crm'")" t
"$LG" webhooks deliver >again.out 2>&1
check_grep "a further run sends crm nothing" "^0 delivered" again.out

check "the dead endpoint's delivery ended failed" [ "$(count failed dead)" -eq 1 ]
check_eq "dead took on lead.created only" \
    "$(pg_sql "SELECT string_agg(e.type, ',') FROM webhook_deliveries d \
JOIN webhook_events e ON e.id = d.event_id WHERE d.endpoint = 'dead'")" \
    lead.created
"$LG" webhooks retry --endpoint dead >retry.out 2>&1
check_grep "webhooks retry makes it pending again" "^1 failed deliveries" \
    retry.out
check_eq "pending again in PostgreSQL, no attempts" \
    "$(pg_sql "SELECT state || ' ' || attempts FROM webhook_deliveries \
WHERE endpoint = 'dead'")" "pending 0"

"$LG" webhooks purge >purge.out 2>&1
check_grep "recent events are kept" "^0 webhook events forgotten$" purge.out
future=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
# Only crm configured: it has passed both events (dead, at the first only).
cp base.conf crmonly.conf
printf 'webhooks = ( { name = "crm"; url = "http://127.0.0.1:%s/";\n  secret_file = "secret"; } );\n' "$CRM" >>crmonly.conf
LEADGATE_NOW=$future "$LG" -c crmonly.conf webhooks purge >purge2.out 2>&1
check_grep "old events: only the one no delivery waits for is forgotten" \
    "^1 webhook events forgotten$" purge2.out
check_eq "the pending delivery and its event stay" \
    "$(pg_sql "SELECT count(*) FROM webhook_events e JOIN \
webhook_deliveries d ON d.event_id = e.id WHERE d.state = 'pending'")" 1
check_eq "crm's delivery of the forgotten event went with it" \
    "$(pg_sql "SELECT count(*) FROM webhook_deliveries WHERE \
endpoint = 'crm'")" 1
t_finish
