#!/bin/sh
# Two delivery runs on one PostgreSQL at once, each with a spool folder
# of its own (two hosts, as far as the spool goes): the texts are in the
# store, so either sends what the other queued; each message goes once
# (claims, FOR UPDATE SKIP LOCKED); and the hourly budget of campaign
# mail holds for both together (one run at a time sends campaign mail,
# under the lease job/campaign-mail), counted from the store. A run an
# hour later by the other instance sends the rest from the store's texts.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/pg.sh"

if ! pg_start; then
	ok "skipped: $PG_WHY"
	t_finish
	exit 0
fi
sink_start pgshare || { t_finish; exit 1; }

# conf N: instance N's home, its own spool folder; the store is shared.
conf() {
	mkdir -p "$T_DIR/i$1"
	chmod 700 "$T_DIR/i$1"
	cat >"$T_DIR/i$1/lg.conf" <<CONF
store = { url = "$PG_URL"; password_file = "$PG_PASSWORD_FILE"; };
pipelines = "$TOP/etc/pipelines.conf";
spool = "$T_DIR/i$1/spool";
$(lg_smtp "$SINK_PORT" "connections = 2;")
delivery = { batch = 2; };
bulk = { rate_per_hour = 5; rate_per_sec = 4; };
CONF
}
conf 1
conf 2
LG_HOME=$T_DIR/i1
export LEADGATE_CONFIG="$T_DIR/i1/lg.conf"
"$LEADGATE" sources add web >/dev/null 2>&1 &&
"$LEADGATE" contacts add --first-name Anna --last-name Muster \
    --email anna@example.com >/dev/null &&
"$LEADGATE" leads add --contact 1 --source web >/dev/null ||
    not_ok "set-up"
pg_sql "INSERT INTO campaigns (id, name, filter, template, created_at,
    updated_at) VALUES (1, 'c1', 'all', 'welcome', '$LG_NOW', '$LG_NOW')"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do lg_queue "c$i" --campaign 1; done
for i in 1 2 3 4 5 6; do lg_queue "p$i" --template "other$i"; done
check_eq "the texts are in the store, not in a spool folder" \
    "$(pg_sql "SELECT count(*) FROM outgoing o JOIN outgoing_bodies b
    USING (id) WHERE o.spool_name = 'd' || o.id")" 18
check_eq "no spool file was written" \
    "$(find "$T_DIR/i1/spool/queue" -type f | wc -l)" 0

# Both at once; the rate per second keeps the campaign's run going long
# enough that the two overlap.
for n in 1 2; do
	LEADGATE_NOW=$LG_NOW "$LEADGATE" -c "$T_DIR/i$n/lg.conf" -v deliver \
	    >"$T_DIR/i$n/deliver.out" 2>"$T_DIR/i$n/deliver.err" &
	echo $! >"$T_DIR/i$n/pid"
done
wait "$(cat "$T_DIR/i1/pid")"
rc1=$?
wait "$(cat "$T_DIR/i2/pid")"
rc2=$?
check_eq "both runs exit 0" "$rc1 $rc2" "0 0"
sink_idle
check_eq "the hour's budget holds for both together: 5 campaign mails" \
    "$(pg_sql "SELECT count(*) FROM outgoing WHERE campaign_id = 1 AND
    state = 'sent'")" 5
check_eq "the other mail all went" \
    "$(pg_sql "SELECT count(*) FROM outgoing WHERE campaign_id IS NULL AND
    state = 'sent'")" 6
check_eq "the rest of the campaign waits, untouched" \
    "$(pg_sql "SELECT count(*) FROM outgoing WHERE campaign_id = 1 AND
    state = 'queued' AND attempts = 0")" 7
check_eq "one run sent the campaign mail" \
    "$(pg_sql "SELECT count(DISTINCT owner) FROM outgoing WHERE
    campaign_id = 1 AND state = 'sent'")" 1
check_eq "each message reached smtp-sink once" \
    "$(sink_count) $(sink_msgids | awk '$1 != 1' | wc -l)" "11 0"

# An hour later, the other instance: the texts come from the store.
other=$(pg_sql "SELECT owner FROM outgoing WHERE campaign_id = 1 AND
    state = 'sent' LIMIT 1")
n=2
[ "$other" = "$(hostname):$T_DIR/i2/spool" ] && n=1
check "an hour later instance $n's run exits 0" sh -c "LEADGATE_NOW=$(lg_iso \
    $((LG_T0 + 3601))) '$LEADGATE' -c '$T_DIR/i$n/lg.conf' deliver \
    >'$T_DIR/late.out' 2>'$T_DIR/late.err'"
check_eq "it sends the hour's budget from the store's texts" \
    "$(cat "$T_DIR/late.out")" \
    "5 sent, 0 deferred, 0 failed, 2 held by bulk.rate_per_hour"
sink_idle
check_eq "sixteen messages at smtp-sink, once each" \
    "$(sink_count) $(sink_msgids | awk '$1 != 1' | wc -l)" "16 0"
check_eq "a sent message's text is dropped by the next run" \
    "$(pg_sql "SELECT count(*) FROM outgoing_bodies b JOIN outgoing o
    USING (id) WHERE o.state = 'sent' AND o.id IN (SELECT id FROM outgoing
    WHERE sent_at < '2026-01-05T10:30:00Z')")" 0
check_eq "the unsent keep theirs" \
    "$(pg_sql "SELECT count(*) FROM outgoing_bodies b JOIN outgoing o
    USING (id) WHERE o.state = 'queued'")" 2
# The texts are read from the store by `spool show` and `contacts
# export`, and go with the contact's erasure.
waiting=$(pg_sql "SELECT id FROM outgoing WHERE state = 'queued' ORDER BY id
    LIMIT 1")
check_eq "spool show reads the text from the store" \
    "$("$LEADGATE" spool show "$waiting" --json 2>&1 | jq -r '.message' |
    grep -c '^Message-ID: <c[0-9]*@test.example>')" 1
check_eq "contacts export holds it" \
    "$("$LEADGATE" contacts export 1 2>/dev/null | jq -r "[.outgoing[] |
    select(.id == $waiting) | .text | test(\"Merci\")] | .[0]")" true
check "contacts erase" sh -c "'$LEADGATE' contacts erase 1 \
    >'$T_DIR/erase.out' 2>&1"
check_eq "the erased contact's texts are gone" \
    "$(pg_sql "SELECT count(*) FROM outgoing_bodies")" 0
sink_stop
t_finish
