#!/bin/sh
# The CRM of issue 22: every action of the reference sale table moves a
# lead to its phase with its history entry; on_phase runs once per
# arrival; round-robin over three agents spreads nine leads 3/3/3 and
# each agent gets a mail at smtp-sink; a conversion cannot be repeated.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

crm_case() {
	LG_HOME=$T_DIR/$1
	shift
	rm -rf "$LG_HOME"
	mkdir -p "$LG_HOME"
	LG_DB=$LG_HOME/lg.db
	lg_config "templates = \"$TOP/etc/templates\";" \
	    "mail = { from = \"Agence Muster <info@agency.example>\"; domain = \"agency.example\"; };" \
	    "$@"
	"$LEADGATE" sources add web && "$LEADGATE" sources add Homegate ||
	    not_ok "$LG_HOME: set-up failed"
}

# person N: contact N with an address, printed id
person() {
	"$LEADGATE" contacts add --first-name "P$1" --last-name Muster \
	    --email "p$1@example.com" ${2:+--postcode "$2"}
}

# 1. Every action of the reference sale table, in order, reaches its phase.
crm_case actions
c=$(person 1)
l=$("$LEADGATE" leads add --contact "$c" --source web --object OBJ-1)
# phase: the action that reaches it (etc/pipelines.conf, reference page 000)
while IFS='|' read -r want action; do
	out=$("$LEADGATE" leads action "$l" "$action" 2>&1)
	got=$(lg_sql "select phase_no from leads where id = $l")
	check_eq "'$action' moves lead $l to phase $want ($out)" "$got" "$want"
	check_eq "'$action' is in the history with its move to $want" \
	    "$(lg_sql "select count(*) from history where lead_id = $l and \
	    action = '$(echo "$action" | sed "s/'/''/g")' and \
	    phase_after = $want")" 1
done <<'END'
3|Réponse à la demande
4|Envoi de documentation
5|Visite du bien
6|Visite du bien
7|Action manuelle
8|Réservation
9|Confirmation d'achat
10|Action manuelle
11|Action manuelle
12|Action manuelle
END
c2=$(person 2)
l2=$("$LEADGATE" leads add --contact "$c2" --source web)
"$LEADGATE" leads action "$l2" "Appel" --remark "called back" >/dev/null
check_eq "a call records without moving" "$(lg_sql "select phase_no || ' ' \
    || (select count(*) from history where lead_id = $l2 and action = \
    'Appel' and phase_after is not null and phase_after <> 0) || ' ' || \
    (select remark from history where lead_id = $l2 and action = 'Appel') \
    from leads where id = $l2")" "2 0 called back"
"$LEADGATE" leads note "$l2" "prefers mornings"
check_eq "a note records without moving" "$(lg_sql "select phase_no || ' ' \
    || (select remark from history where lead_id = $l2 and action = \
    'note') from leads where id = $l2")" "2 prefers mornings"
"$LEADGATE" leads move "$l2" 4 >/dev/null
check_eq "a move without an action is 'moved by hand'" "$(lg_sql "select \
    count(*) from history where lead_id = $l2 and action = 'move' and \
    remark like 'moved by hand%'")" 1
"$LEADGATE" leads action "$l" "Certification notariale" >/dev/null
check_eq "the signature's action wins the lead (13, won)" "$(lg_sql "select \
    phase_no || ' ' || status from leads where id = $l")" "13 won"
c3=$(person 3)
l3=$("$LEADGATE" leads add --contact "$c3" --source web)
"$LEADGATE" leads action "$l3" "Refus" >/dev/null
check_eq "the refusal loses the lead (14, lost)" "$(lg_sql "select \
    phase_no || ' ' || status from leads where id = $l3")" "14 lost"
c4=$(person 4)
l4=$("$LEADGATE" leads add --contact "$c4" --source Homegate --pipeline rental)
"$LEADGATE" leads action "$l4" "Visite du bien" >/dev/null
check_eq "the rental pipeline's visit is its phase 5" "$(lg_sql "select \
    phase_no from leads where id = $l4")" 5

# 2. Conversion: wins the lead once, a second deal is refused.
c5=$(person 5)
l5=$("$LEADGATE" leads add --contact "$c5" --source web --object OBJ-5)
check_eq "conversion into a deal" "$("$LEADGATE" leads convert "$l5" \
    --to deal)" "deal 1"
check_eq "the conversion closed the lead: won" "$(lg_sql "select status \
    from leads where id = $l5")" won
out=$("$LEADGATE" leads convert "$l5" --to deal 2>&1)
check_eq "a second conversion is refused with the deal's id" "$out" \
    "leadgate: leads convert: lead $l5 was already converted into deal 1"
check_eq "one deal only" "$(lg_sql "select count(*) from deals where \
    lead_id = $l5")" 1
"$LEADGATE" leads update "$l5" --object OBJ-55 --custom budget=900000
check_eq "leads update changes fields and records it" "$(lg_sql "select \
    object_ref || ' ' || json_extract(custom, '\$.budget') || ' ' || \
    (select remark from history where lead_id = $l5 and action = \
    'updated') from leads where id = $l5")" "OBJ-55 900000 object, custom"

# 3. on_phase: once per arrival, again on a new arrival.
sed 's|{ no = 4;  name = "Envoi de documentation";           action = "Envoi de documentation"; }|{ no = 4; name = "Envoi de documentation"; action = "Envoi de documentation"; on_phase = ( { send = "new-documentation"; }, { assign = "anna"; } ); }|' \
    "$TOP/etc/pipelines.conf" >"$T_DIR/pipelines-steps.conf"
check_grep "the test pipelines have steps" 'on_phase' \
    "$T_DIR/pipelines-steps.conf"
crm_case onphase \
    'agents = ( { name = "anna"; email = "anna@agency.example"; } );'
sed -i "s|pipelines = .*|pipelines = \"$T_DIR/pipelines-steps.conf\";|" \
    "$LG_HOME/lg.conf"
c=$(person 1)
l=$("$LEADGATE" leads add --contact "$c" --source web --object OBJ-1001)
"$LEADGATE" leads action "$l" "Envoi de documentation" >/dev/null
"$LEADGATE" leads note "$l" "a note runs nothing again"
"$LEADGATE" leads action "$l" "Appel" >/dev/null
check_eq "on_phase ran its two steps once" "$(lg_sql "select count(*) \
    from history where lead_id = $l and action = 'on_phase'")" 2
check_eq "the template was queued once, keyed by the arrival" \
    "$(lg_sql "select count(*) from outgoing where lead_id = $l and \
    template = 'new-documentation' and dedup_key like 'phase.%'")" 1
check_eq "the assign step assigned anna" "$(lg_sql "select \
    json_extract(custom, '\$.assignee') from leads where id = $l")" anna
"$LEADGATE" leads move "$l" 3 >/dev/null
"$LEADGATE" leads action "$l" "Envoi de documentation" >/dev/null
check_eq "a re-arrival in phase 4 is a new arrival: the template again" \
    "$(lg_sql "select count(*) from outgoing where lead_id = $l and \
    template = 'new-documentation'")" 2
check_eq "arrivals in phase 4 recorded: two, both done" "$(lg_sql "select \
    count(*) || ' ' || sum(done) from phase_arrivals where lead_id = $l \
    and phase_no = 4")" "2 2"

# 4. Round-robin over three agents, nine leads, a mail each at smtp-sink.
sink_start rr
crm_case rr "$(lg_smtp "$SINK_PORT")" \
    'agents = ( { name = "anna"; email = "anna@agency.example"; },
      { name = "ben"; email = "ben@agency.example"; languages = [ "fr" ]; },
      { name = "cleo"; email = "cleo@agency.example"; } );' \
    'assign = ( { object = "OBJ-FIX"; agents = [ "cleo" ]; },
      { agents = [ "anna", "ben", "cleo" ]; } );' \
    'notify = { public_url = "https://crm.agency.example/"; };'
# every command is a process of its own: the turn lives in the database
for i in 1 2 3 4 5 6 7 8 9; do
	c=$(person "$i")
	"$LEADGATE" leads add --contact "$c" --source web >/dev/null
done
check_eq "nine leads spread 3/3/3" "$(lg_sql "select a || ' ' || n from \
    (select json_extract(custom, '\$.assignee') as a, count(*) as n from \
    leads group by a order by a)" | tr '\n' ' ')" "anna 3 ben 3 cleo 3 "
c=$(person 10)
lf=$("$LEADGATE" leads add --contact "$c" --source web --object OBJ-FIX)
check_eq "by object: fixed to cleo" "$(lg_sql "select json_extract(custom, \
    '\$.assignee') from leads where id = $lf")" cleo
check "deliver the notifications" lg_deliver
check_eq "ten notifications sent" "$(cat "$LG_HOME/deliver.out")" \
    "10 sent, 0 deferred, 0 failed"
sink_stop
for a in anna ben cleo; do
	n=$(grep -l "^X-Rcpt-Args: <$a@agency.example>" "$SINK_DIR"/m.* \
	    2>/dev/null | wc -l)
	want=3
	[ "$a" = cleo ] && want=4
	check_eq "$a got $want mails at smtp-sink" "$n" "$want"
done
f=$(grep -l "^X-Rcpt-Args: <ben@agency.example>" "$SINK_DIR"/m.* | head -1)
check_grep "the mail links to the dashboard page of the lead" \
    '^Im Dashboard: https://crm.agency.example/leads/[0-9]' "$f"
"$LEADGATE" leads assign 1 ben >/dev/null 2>&1
out=$("$LEADGATE" leads assign 1 nobody 2>&1)
check_eq "an unknown agent is refused" "$out" "leadgate: leads assign: no \
agent 'nobody' (see agents in leadgate.conf(5))"
check_eq "leads assign records the change" "$(lg_sql "select remark from \
    history where lead_id = 1 and action = 'assign' order by id desc \
    limit 1")" "assigned to ben (was anna): by hand"

t_finish
