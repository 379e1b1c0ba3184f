#!/bin/sh
# SIGKILL while a bulk campaign is being delivered (its results grouped,
# the messages on the wire and the results not yet committed only in the
# delivery journal), then `leadgate deliver` until nothing is due: every
# contact gets the message, the store records each one sent, and only
# the messages whose data was out at the kill (at most one per
# connection) can arrive twice; every lead moves on.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE
N=1500
CONNS=2

sink_start bkill
lg_case bkill
lg_config "templates = \"$TOP/etc/templates\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example";' \
    '  unsubscribe_url = "https://muster-immo.example/u/{token}"; };' \
    "$(lg_smtp "$SINK_PORT" "connections = $CONNS;")" \
    "rules = \"$LG_HOME/rules.conf\";"
echo 'rules = ( { name = "mail"; source = "E-Mail"; } );' >"$LG_HOME/rules.conf"
"$LG" sources add E-Mail
mkdir -p "$LG_HOME/in"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	printf 'From: P%d <p%d@example.org>\nTo: info@muster-immo.example\nSubject: Anfrage\nMessage-ID: <q%d@example.org>\n\nBitte um Unterlagen.\n' \
	    "$i" "$i" "$i" >"$LG_HOME/in/$i.eml"
done
(cd "$LG_HOME/in" && ls | xargs "$LG" ingest) >/dev/null ||
    not_ok "ingest the $N inquiries"

LEADGATE_NOW=$LG_NOW "$LG" -v mail bulk --filter 'source = "E-Mail"' \
    --template object-news --advance-to 'Envoi de documentation' \
    --name big --yes >"$LG_HOME/out" 2>"$LG_HOME/err" </dev/null &
pid=$!
at_exit "kill -9 $pid"
i=0
while [ "$(sink_count)" -lt $((N / 3)) ] && kill -0 "$pid" 2>/dev/null &&
    [ "$i" -lt 2400 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
check_eq "killed while delivering" "$?" 137
sink_idle || not_ok "the sink did not settle after the kill"
arrived=$(sink_count)
recorded=$(lg_sql "select count(*) from outgoing where state = 'sent'")
echo "# killed with $arrived of $N arrived, $recorded recorded as sent in the store"
check "killed mid-delivery: some but not all arrived" \
    test "$arrived" -gt 0 -a "$arrived" -lt "$N"

LEADGATE_NOW=$LG_NOW "$LG" -v deliver >"$LG_HOME/d1.out" 2>"$LG_HOME/d1.err"
check_eq "the next run completes" "$?" 0
journaled=$(sed -n 's/.*result journal: \([0-9]*\) of [0-9]* accepted.*/\1/p' \
    "$LG_HOME/d1.err")
journaled=${journaled:-0}
unrecorded=$((arrived - recorded - journaled))
waiting=$(lg_sql "select count(*) from outgoing where unconfirmed = 1")
echo "# the journal held $journaled more; $unrecorded arrived and were" \
    "recorded nowhere; $waiting wait as unconfirmed"
check "at most one unrecorded message per connection" \
    test "$unrecorded" -ge 0 -a "$unrecorded" -le "$CONNS"
check "the unrecorded ones wait as unconfirmed" \
    test "$waiting" -ge "$unrecorded"
LEADGATE_NOW=$(lg_iso $((LG_T0 + 900))) "$LG" deliver \
    >"$LG_HOME/d2.out" 2>"$LG_HOME/d2.err"
check_eq "the run after inflight_delay completes" "$?" 0
sink_idle
check_eq "every row sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" "$N"
sink_stop
check_eq "every contact got the message" \
    "$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort -u | wc -l)" "$N"
twice=$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort | uniq -d | wc -l)
echo "# $twice contacts got it twice"
check "only the unrecorded ones arrived twice" test "$twice" -le "$unrecorded"
check_eq "nobody got it three times" \
    "$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort | uniq -c |
    awk '$1 > 2' | wc -l)" 0
check_eq "every lead moved to the next phase" \
    "$(lg_sql "select count(*) from leads where phase_no = 4")" "$N"
check_eq "no file left in the spool" \
    "$(ls "$LG_HOME/spool/queue" "$LG_HOME/spool/tmp" | grep -c .)" 2
t_finish
