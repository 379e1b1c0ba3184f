# Webhooks out against a real receiver (tests/lib/webhook_receiver.py on
# 127.0.0.1, checking every signature): the four event kinds come from
# real flows (a Maildir poll, leads move, unsubscribe, a mail for
# quarantine); the receiver fails (503), hangs past the timeout, then
# succeeds, and each event is acknowledged exactly once, in order; an
# endpoint that never answers ends failed and is retryable; config check
# refuses bad blocks; SIGKILL of the daemon while a request is in flight
# loses nothing (the event comes again after the restart, same id).
# Retention: webhooks purge and the daemon forget only old events no
# delivery waits for (pending) and every endpoint has passed, with
# endpoints configured and without.
. "$TOP/tests/lib/common.sh"

LG=$LEADGATE
W=$T_DIR/work
mkdir -p "$W/Maildir/new" "$W/Maildir/cur" "$W/Maildir/tmp"
cd "$W" || exit 1
printf 'whsec-test-1\n' >secret
chmod 600 secret
cp -R "$TOP/etc/pipelines.conf" "$TOP/etc/rules.conf" "$TOP/etc/templates" .

# start_receiver NAME ARGS...: a receiver logging to NAME.log; sets RPORT.
start_receiver() {
	name=$1
	shift
	python3 "$TOP/tests/lib/webhook_receiver.py" --port-file "$name.port" \
	    --secret-file secret --log "$name.log" "$@" &
	at_exit "kill $!"
	i=0
	while [ ! -s "$name.port" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	touch "$name.log"
	RPORT=$(cat "$name.port")
}
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
# count STATE [ENDPOINT]: deliveries in that state.
count() {
	"$LG" webhooks list --state "$1" ${2:+--endpoint "$2"} --json |
	    grep -c '"endpoint":'
}
at_least() { [ "$(count "$1" "$3")" -ge "$2" ]; }

start_receiver crm --script 503,hang,200 --hang 6
CRM=$RPORT
DEAD=$(free_port)	# nothing listens there
cat >leadgate.conf <<EOF
store = { path = "lg.db"; };
lock = "leadgate.lock";
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
smtp = { host = "127.0.0.1"; port = $DEAD; starttls = "off"; };
connectors = ( { name = "drop"; type = "maildir"; path = "Maildir"; } );
webhooks = (
  { name = "crm"; url = "http://127.0.0.1:$CRM/hooks/leadgate";
    secret_file = "secret"; timeout = 2; connect_timeout = 2;
    backoff = { first = 1; max = 2; }; },
  { name = "dead"; url = "http://127.0.0.1:$DEAD/";
    secret_env = "WH_SECRET"; events = [ "lead.created" ];
    max_attempts = 2; backoff = { first = 1; max = 1; }; }
);
EOF
export LEADGATE_CONFIG="$W/leadgate.conf" WH_SECRET=whsec-test-2

# config check: every mistake of every block, secrets never shown.
cat >bad.conf <<EOF
store = { path = "lg.db"; };
webhooks = (
  { name = "a"; url = "http://crm.example.org/hook"; secret_file = "secret"; },
  { name = "b"; url = "https://crm.example.org/hook"; events = [ "lead.won" ];
    secret_file = "secret"; },
  { name = "c"; url = "https://crm.example.org/hook"; },
  { name = "d"; url = "https://crm.example.org/hook"; secret_env = "WH_SECRET"; },
  { name = "d"; url = "http://crm.example.org/hook"; insecure = true;
    secret_env = "WH_SECRET"; }
);
EOF
"$LG" -c bad.conf config check >check.out 2>&1
check_eq "config check refuses the bad webhook blocks" "$?" 78
check_grep "plain http to another host needs insecure" \
    'bad.conf:3: webhook a: url: only https URLs are allowed .*insecure = true' check.out
check_grep "an unknown event type is named" \
    "bad.conf:4: webhook b: events: 'lead.won' is no event type" check.out
check_grep "a block without a secret is refused" \
    'bad.conf:6: webhook c: give the signing secret' check.out
check_grep "a second endpoint of the same name is refused" \
    "bad.conf:8: webhook d: a second webhook named 'd'" check.out
if grep -q "webhook d: url" check.out || grep -q "whsec" check.out; then
	not_ok "insecure = true allows http, and no secret is shown: $(cat check.out)"
else
	ok "insecure = true allows http, and no secret is shown"
fi
"$LG" config check >check.out 2>&1
check_eq "the good configuration passes config check" "$?" 0
"$LG" config check --dump >dump.out 2>&1
if grep -q "whsec" dump.out; then
	not_ok "config check --dump shows no secret"
else
	ok "config check --dump shows no secret"
fi

# The four kinds of event, from real flows.
cat >Maildir/new/1772618400.1.host <<'EOF'
From: Anna Muster <anna.muster@example.ch>
To: info@muster-immo.example
Subject: Anfrage zum Objekt OBJ-1001
Message-ID: <anfrage-1@example.ch>

Guten Tag, ich interessiere mich für die Wohnung.
Anna Muster
EOF
cat >nobody.eml <<'EOF'
From: <>
To: info@muster-immo.example
Subject: no sender at all
Message-ID: <nobody@example.ch>

Hello?
EOF
"$LG" poll --connector drop >poll.out 2>&1
check_grep "a Maildir poll made a lead" "1 new lead" poll.out
"$LG" leads move 1 3 >/dev/null 2>&1
check_eq "leads move moved it" "$?" 0
"$LG" unsubscribe anna.muster@example.ch >/dev/null 2>&1
check_eq "unsubscribe opted the contact out" "$?" 0
"$LG" ingest --connector inbox nobody.eml >/dev/null 2>&1
check_eq "a mail without sender went to quarantine" "$?" 0
"$LG" leads move 1 3 >/dev/null 2>&1	# refused: already there, no event
"$LG" unsubscribe anna.muster@example.ch >/dev/null 2>&1	# no change, no event
"$LG" webhooks list >list.out 2>&1
check_grep "nothing is taken on before a delivery run" \
    "no webhook deliveries" list.out

"$LG" run 2>daemon.log &
DPID=$!
at_exit "kill -9 $DPID"
check "the daemon delivered four events to crm" wait_for 120 at_least \
    delivered 4 crm
check "the dead endpoint's delivery ended failed" wait_for 60 at_least \
    failed 1 dead
kill $DPID
wait $DPID 2>/dev/null

python3 - crm.log <<'PY' >crm.check
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("signed", all(r["sig_ok"] and r["id_ok"] for r in rows))
acked = [r["id"] for r in rows if r["answer"] == "200"]
print("acked", len(acked), "distinct", len(set(acked)))
order = []
for r in rows:
    if not order or order[-1] != r["id"]:
        order.append(r["id"])
print("inorder", len(order) == len(set(order)))
print("types", ",".join(r["type"] for r in rows if r["answer"] == "200"))
print("first", ",".join(r["answer"] for r in rows[:3]),
      len(set(r["id"] for r in rows[:3])))
d = {r["type"]: r["body"] for r in rows if r["answer"] == "200"}
c = d["lead.created"]["data"]
print("created", c["lead_id"], c["contact_id"], c["connector"], c["phase"])
p = d["lead.phase_changed"]["data"]
print("phase", p["lead_id"], p["phase_before"], p["phase"])
u = d["contact.unsubscribed"]["data"]
print("unsub", u["contact_id"], ",".join(u["emails"]))
q = d["inquiry.quarantined"]["data"]
print("quar", q["quarantine_id"], q["connector"], q["reason"][:40])
print("body", sorted(d["lead.created"].keys()))
PY
check_grep "every request was signed and named its event" "^signed True" crm.check
check_grep "each of the four events acknowledged exactly once" \
    "^acked 4 distinct 4" crm.check
check_grep "in order: none sent before the one before it was acknowledged" \
    "^inorder True" crm.check
check_grep "the kinds, in the order of the changes" \
    "^types lead.created,lead.phase_changed,contact.unsubscribed,inquiry.quarantined$" \
    crm.check
check_grep "the first event got 503, a hang, then 200" "^first 503,hang,200 1$" \
    crm.check
check_grep "lead.created names lead, contact, connector and phase" \
    "^created 1 1 drop 2$" crm.check
check_grep "lead.phase_changed names both phases" "^phase 1 2 3$" crm.check
check_grep "contact.unsubscribed names the contact and its address" \
    "^unsub 1 anna.muster@example.ch$" crm.check
check_grep "inquiry.quarantined names the quarantine row and the reason" \
    "^quar 1 inbox the inquiry has neither an e-mail" crm.check
check_grep "the body is id, type, created_at, data" \
    "^body \['created_at', 'data', 'id', 'type'\]" crm.check

n0=$(wc -l <crm.log)
"$LG" webhooks deliver >deliver.out 2>&1
check_grep "a delivery run after the acknowledgements sends nothing" \
    "^0 delivered, 0 deferred, 0 failed" deliver.out
check_eq "the receiver got nothing more" "$(wc -l <crm.log)" "$n0"
"$LG" webhooks list --endpoint dead >dead.out 2>&1
check_grep "the failed delivery is listed with its attempts and reason" \
    "lead.created +dead +failed +2 .*Couldn't connect|lead.created +dead +failed +2 .*connect" \
    dead.out
"$LG" webhooks list --state delivered --endpoint dead >dead2.out 2>&1
check_grep "only lead.created was meant for dead (its events filter)" \
    "no webhook deliveries" dead2.out
"$LG" webhooks retry --endpoint dead >retry.out 2>&1
check_grep "webhooks retry makes it pending again" "^1 failed deliveries" retry.out
check_eq "it is pending, its attempts reset" "$(count pending dead)" 1
"$LG" webhooks retry nosuchevent >retry2.out 2>&1
check_eq "retrying an unknown event exits 66" "$?" 66

# SIGKILL while a request is in flight: a receiver that answers slowly.
start_receiver slow --delay 1.5
sed "s|127.0.0.1:$CRM/hooks/leadgate|127.0.0.1:$RPORT/slow|; s|name = \"crm\"|name = \"slow\"|; s|timeout = 2; connect|timeout = 20; connect|" \
    leadgate.conf >slow.conf
export LEADGATE_CONFIG="$W/slow.conf"
"$LG" contacts add --first-name Bea --last-name Beispiel \
    --email bea@example.org >/dev/null
"$LG" sources add Website >/dev/null
for o in OBJ-2 OBJ-3 OBJ-4; do
	"$LG" leads add --contact 2 --source website --object $o >/dev/null
done
"$LG" run 2>daemon2.log &
DPID=$!
at_exit "kill -9 $DPID"
has_req() { [ "$(wc -l <slow.log)" -ge "$1" ]; }
check "a request is in flight" wait_for 60 has_req 3
kill -9 $DPID
wait $DPID 2>/dev/null
inflight=$(tail -n 1 slow.log | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["id"])')
"$LG" run 2>daemon3.log &
DPID=$!
at_exit "kill -9 $DPID"
check "after the restart every event is delivered to slow" wait_for 120 \
    at_least delivered 7 slow
kill $DPID
wait $DPID 2>/dev/null
python3 - slow.log "$inflight" <<'PY' >slow.check
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ids = [r["id"] for r in rows]
print("signed", all(r["sig_ok"] and r["id_ok"] for r in rows))
print("distinct", len(set(ids)))
dups = sorted(i for i in set(ids) if ids.count(i) > 1)
print("dups", len(dups), "inflight", dups == [sys.argv[2]] or dups == [])
print("max", max(ids.count(i) for i in set(ids)))
PY
check_grep "after the kill: every request signed" "^signed True" slow.check
check_grep "all seven events reached slow (none lost)" "^distinct 7$" slow.check
check_grep "a duplicate, if any, is the event in flight at the kill" \
    "inflight True$" slow.check
check_grep "no event came more than twice" "^max [12]$" slow.check

# Retention (webhooks_keep_days, default 30), the daemon stopped: with
# the clock 400 days on, and only slow configured (it delivered all).
"$LG" webhooks retry >/dev/null 2>&1
pend=$(count pending)
check "a failed delivery is pending again before the purge" [ "$pend" -ge 1 ]
dlv=$(count delivered slow)
"$LG" webhooks purge >purge.out 2>&1
check_grep "recent events are kept" "^0 webhook events forgotten$" purge.out
future=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
sed '/^webhooks = (/,$d' leadgate.conf >none.conf
cp none.conf slowonly.conf
printf 'webhooks = ( { name = "slow"; url = "http://127.0.0.1:%s/slow";\n  secret_file = "secret"; } );\n' "$RPORT" >>slowonly.conf
LEADGATE_NOW=$future "$LG" -c slowonly.conf webhooks purge >purge2.out 2>&1
check_grep "old events every endpoint is done with are forgotten" \
    "^[1-9][0-9]* webhook events forgotten$" purge2.out
check "with their delivered deliveries" [ "$(count delivered slow)" -lt "$dlv" ]
check_eq "every pending delivery and its event stay" "$(count pending)" "$pend"
# A new event no endpoint has passed; with none configured, the daemon
# forgets it at start (its daily job), still keeping the pending one.
"$LG" leads add --contact 1 --source website --object OBJ-9 >/dev/null
LEADGATE_NOW=$future "$LG" -c none.conf run 2>daemon4.log &
DPID=$!
at_exit "kill -9 $DPID"
check "with no endpoint configured, the daemon's purge forgets it" \
    wait_for 60 grep -q "\] 1 old events forgotten" daemon4.log
kill $DPID
wait $DPID 2>/dev/null
check_eq "the pending deliveries stay" "$(count pending)" "$pend"
"$LG" webhooks list --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
waiting = {r["id"] for r in rows if r["state"] == "pending"}
print("left", all(r["id"] in waiting for r in rows))' >left.out
check_grep "only events a delivery waits for are left" "^left True$" left.out

t_finish
