#!/bin/sh
# Three `leadgate run` instances on one PostgreSQL (tests/lib/pg.sh), one
# Dovecot mailbox, the portal emulator and a campaign, with one instance
# killed (SIGKILL) every few seconds and started again while inquiries
# arrive. At the end every inquiry is exactly one lead, no message
# reached smtp-sink twice, every message recorded as sent reached it, and
# nothing is left queued: what a dead instance held was taken over.
# Each connector is one instance's at a time (leases, cluster.lease);
# `status` names who holds what. Every instance delivers at once, each
# claiming the rows it sends (outgoing.owner), and each has a state
# folder and a spool folder of its own, as on hosts of their own: the
# messages' texts are in the store.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/pg.sh"
. "$TOP/tests/lib/portal.sh"

LG=$LEADGATE
NMAIL=${MULTI_MAIL:-30}		# inquiries by mail, appended over the run
NPORTAL=${MULTI_PORTAL:-40}	# portal items
ROUNDS=${MULTI_KILLS:-12}	# SIGKILLs, one instance each

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
sink_start tpgmulti || { t_finish; exit 1; }

H=$T_DIR/home
mkdir -p "$H"
chmod 700 "$H"
printf 'pw-leads\n' >"$H/imap.pw"
chmod 600 "$H/imap.pw"
portal_secrets "$H"
portal_start "$H" immo --items "$NPORTAL" --fault slow:0.05 ||
    { not_ok "portal emulator"; t_finish; exit 1; }
portal_block "$TOP/etc/portals/immo-oauth-cursor.conf" "$H/portal.conf" \
    "interval = 2;"
sed -i "s#\"secrets/#\"$H/secrets/#g" "$H/portal.conf"

# conf N: instance N's configuration; all share the store, each has its
# own spool.
conf() {
	mkdir -p "$H/i$1"
	cp "$H/portal.conf" "$H/i$1/portal.conf"	# @include: relative
	cat >"$H/i$1/lg.conf" <<EOF
store = { url = "$PG_URL"; password_file = "$PG_PASSWORD_FILE"; };
pipelines = "$TOP/etc/pipelines.conf";
templates = "$TOP/etc/templates";
rules = "$TOP/etc/rules.conf";
spool = "$H/i$1/spool";
lock = "$H/i$1/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "info"; };
cluster = { lease = 6; };
delivery = { inflight_delay = 1; max_unconfirmed = 0; retry_first = 1; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  unsubscribe_url = "https://muster-immo.example/u/{token}"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
connectors = (
  { name = "inbox"; type = "imap"; host = "localhost";
    port = $(cat "$D/imap.port"); tls = "starttls"; user = "leads";
    password_file = "$H/imap.pw"; folders = [ "INBOX" ];
    idle = true; interval = 2; },
@include "portal.conf"
);
EOF
}
conf 1
conf 2
conf 3
check "db migrate" sh -c "'$LG' -c '$H/i1/lg.conf' db migrate \
    >'$H/migrate.out' 2>&1"
"$LG" -c "$H/i1/lg.conf" sources add ImmoPortal >/dev/null 2>&1

# start N: instance N in the background, its pid in i N/pid.
start() {
	"$LG" -c "$H/i$1/lg.conf" run >>"$H/i$1/log" 2>&1 &
	echo $! >"$H/i$1/pid"
}
stop_all() {
	for n in 1 2 3; do
		[ -f "$H/i$n/pid" ] && kill "$(cat "$H/i$n/pid")" 2>/dev/null
	done
}
at_exit "stop_all"
start 1
start 2
start 3

# inquiry N: a new sender's inquiry into INBOX.
inquiry() {
	cat >"$H/q$1.eml" <<EOF
From: Person $1 <person$1@multi.example>
To: info@muster-immo.example
Subject: Wohnung OBJ-$1
Message-ID: <multi-$1@multi.example>
Date: Mon, 07 Dec 2026 09:00:00 +0100
Content-Type: text/plain; charset=utf-8

Guten Tag, ist die Wohnung OBJ-$1 noch frei? Bitte um einen Termin.
Person $1
EOF
	dove_save "$D" leads INBOX "$H/q$1.eml" || not_ok "append inquiry $1"
}
sql() { pg_sql "$1"; }
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
leads_at_least() { [ "$(sql 'SELECT count(*) FROM leads')" -ge "$1" ]; }
two_leases() {
	[ "$(sql "SELECT count(*) FROM leases WHERE name IN ('connector/inbox',
	    'connector/immo')")" -eq 2 ]
}

if ! wait_for 60 two_leases; then
	not_ok "the instances took the connectors"
	sed 's/^/    /' "$H/i1/log" | tail -20
	stop_all
	t_finish
	exit 1
fi
ok "the instances took the connectors"
"$LG" -c "$H/i1/lg.conf" status --json >"$H/status.json" 2>&1
check_eq "status names this instance" \
    "$(jq -r '.instance' "$H/status.json")" \
    "$(hostname):$(cat "$H/i1/pid")"
check_eq "status names a holder for each connector" \
    "$(jq -r '[.connectors[] | select(.holder != null)] | length' \
    "$H/status.json")" 2
check_eq "and the holders are the leases'" \
    "$(jq -r '[.connectors[].holder] | sort | join(",")' "$H/status.json")" \
    "$(sql "SELECT string_agg(holder, ',' ORDER BY holder) FROM leases
    WHERE name LIKE 'connector/%'")"
"$LG" -c "$H/i1/lg.conf" status >"$H/status.txt" 2>&1
check_grep "status text: the instance" "^instance: $(hostname):" "$H/status.txt"
check_eq "no lease on the delivery: every instance delivers" \
    "$(sql "SELECT count(*) FROM leases WHERE name = 'job/delivery'")" 0

# Kill one instance every few seconds while inquiries arrive; start a
# campaign half way.
i=1
k=0
victim=1
while [ $k -lt "$ROUNDS" ]; do
	j=0
	while [ $j -lt 3 ] && [ $i -le "$NMAIL" ]; do
		inquiry $i
		i=$((i + 1))
		j=$((j + 1))
	done
	sleep 2
	kill -9 "$(cat "$H/i$victim/pid")" 2>/dev/null
	wait "$(cat "$H/i$victim/pid")" 2>/dev/null
	echo "--- SIGKILL" >>"$H/i$victim/log"
	sleep 1
	start $victim
	victim=$((victim % 3 + 1))
	k=$((k + 1))
	if [ $k -eq $((ROUNDS / 2)) ]; then
		"$LG" -c "$H/i1/lg.conf" mail bulk --filter 'status = open' \
		    --template object-news --name multi1 --yes \
		    >"$H/bulk.out" 2>"$H/bulk.err" ||
		    not_ok "mail bulk: $(cat "$H/bulk.err")"
	fi
done
while [ $i -le "$NMAIL" ]; do
	inquiry $i
	i=$((i + 1))
done
ok "$ROUNDS instances killed with SIGKILL and started again"

want=$((NMAIL + NPORTAL))
check "every inquiry made its lead" wait_for 120 leads_at_least $want
nothing_waits() {
	[ "$(sql "SELECT count(*) FROM outgoing WHERE state IN ('queued',
	    'deferred')")" -eq 0 ]
}
check "nothing is left queued or deferred" wait_for 120 nothing_waits
sink_idle
check_eq "exactly one lead per inquiry" \
    "$(sql 'SELECT count(*) FROM leads')" $want
check_eq "every inquiry key once" \
    "$(sql "SELECT count(*) || ' ' || count(DISTINCT key) FROM inquiries")" \
    "$want $want"
check_eq "every mail inquiry a lead" \
    "$(sql "SELECT count(*) FROM contact_emails WHERE norm LIKE
    '%@multi.example'")" "$NMAIL"
check_eq "every portal item a lead" \
    "$(sql "SELECT count(DISTINCT portal_ref) FROM leads WHERE
    portal = 'ImmoPortal'")" "$NPORTAL"
check_eq "the campaign was queued" \
    "$(sql "SELECT count(*) > 0 FROM outgoing o JOIN campaigns c ON
    c.id = o.campaign_id WHERE c.name = 'multi1'")" t
check_eq "autoreplies were queued" \
    "$(sql "SELECT count(*) > 0 FROM outgoing WHERE campaign_id IS NULL")" t
sink_msgids >"$H/sink.ids"
check_eq "no message reached smtp-sink twice" \
    "$(awk '$1 > 1' "$H/sink.ids" | head -5)" ""
sql "SELECT '<' || message_id || '>' FROM outgoing WHERE state = 'sent'
    ORDER BY 1" >"$H/sent.ids"
awk '{ print $2 }' "$H/sink.ids" | sort >"$H/sink.only"
check_eq "every message recorded as sent reached smtp-sink" \
    "$(sort "$H/sent.ids" | comm -23 - "$H/sink.only" | head -5)" ""
sent=$(sql "SELECT count(*) FILTER (WHERE campaign_id IS NULL) ||
    ' autoreplies and ' || count(*) FILTER (WHERE campaign_id IS NOT NULL)
    FROM outgoing WHERE state = 'sent'")
ok "sent: $sent campaign mails, each once at smtp-sink"
held=$(sql "SELECT count(*) FROM outgoing WHERE state = 'held'")
ok "messages held because a kill cut their session after the data began: $held"
check_eq "what reached smtp-sink is sent or held, nothing else" \
    "$(sql "SELECT '<' || message_id || '>' FROM outgoing WHERE state IN
    ('sent', 'held') ORDER BY 1" | comm -13 - "$H/sink.only" | head -5)" ""
owners=$(sql "SELECT count(DISTINCT owner) FROM outgoing WHERE state =
    'sent'")
check "more than one instance delivered ($owners spools)" \
    test "$owners" -ge 2
sql "SELECT owner, count(*) FROM outgoing WHERE state = 'sent' GROUP BY
    owner ORDER BY owner" | sed "s#$H/##; s/^/# sent by /"
check_eq "every text in the store, none in a spool folder" \
    "$(sql "SELECT count(*) FROM outgoing WHERE spool_name <> 'd' || id")\
 $(find "$H"/i*/spool/queue -type f | wc -l)" "0 0"
check_eq "one lease per connector and the jobs, none of a dead instance" \
    "$(sql "SELECT count(*) FROM leases WHERE expires_at <
    extract(epoch FROM now()) - 6")" 0
for n in 1 2 3; do
	if grep -q "AddressSanitizer\|runtime error" "$H/i$n/log"; then
		not_ok "instance $n logged an error: $(grep -m3 \
		    'AddressSanitizer\|runtime error' "$H/i$n/log")"
	fi
done
stop_all
t_finish
