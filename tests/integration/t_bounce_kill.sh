#!/bin/sh
# SIGKILL while bounces are being applied, then the same poll again: every
# bounce is applied exactly once. A campaign to N contacts goes to
# smtp-sink with VERP senders; N Postfix-style bounces, one per message,
# wait in a Maildir; the first poll is killed once some are applied (the
# kill lands wherever it lands: inside a report's transaction, between
# its commit and the Maildir rename, or between two reports).
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE
N=400

sink_start kill || { t_finish; exit 1; }
lg_case kill
echo 'rules = ( { name = "mail"; source = "E-Mail"; } );' >"$LG_HOME/rules.conf"
BOUNCE_RULES=$LG_HOME/rules.conf
bounce_config "$(verp_lines)"
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
check "the campaign" sh -c "'$LG' mail bulk --filter 'source = \"E-Mail\"' \
    --template object-news --name big --yes >'$LG_HOME/bulk.out' 2>&1"
sink_idle
check_eq "every message went out" "$(sink_count)" "$N"

# One bounce per message, to its VERP address, returning its header.
lg_sql "select id || ' ' || rcpt || ' ' || message_id from outgoing where
    campaign_id is not null" >"$LG_HOME/msgs"
check_eq "one message per contact" "$(wc -l <"$LG_HOME/msgs" | tr -d ' ')" "$N"
while read -r id rcpt mid; do
	printf 'From: Immobilien Muster AG <info@%s>\nTo: %s\nSubject: Neuigkeiten\nMessage-ID: <%s>\n' \
	    "$BOUNCE_DOMAIN" "$rcpt" "$mid" >"$LG_HOME/h"
	postfix_dsn "$(verp_of "$id")" "$rcpt" failed 5.1.1 \
	    "550 5.1.1 <$rcpt>: Recipient address rejected: User unknown" \
	    "$LG_HOME/h" "7C$id" >"$LG_HOME/Maildir/new/1772618400.$id.mx"
done <"$LG_HOME/msgs"
leads=$(lg_sql "select count(*) from leads")
outgoing=$(lg_sql "select count(*) from outgoing")

"$LG" poll --connector bounces >"$LG_HOME/poll1.out" 2>&1 &
pid=$!
at_exit "kill -9 $pid"
i=0
n=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 3000 ]; do
	n=$(lg_sql "select count(*) from bounces" 2>/dev/null)
	[ "${n:-0}" -gt 0 ] && break
	i=$((i + 1))
	sleep 0.01
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
applied=$(lg_sql "select count(*) from bounces")
echo "# killed with $applied of $N bounces applied"
check "killed while applying" test "$applied" -lt "$N"

check "the poll again" sh -c "'$LG' poll --connector bounces \
    >'$LG_HOME/poll2.out' 2>'$LG_HOME/poll2.err'"
check_eq "every bounce applied once" \
    "$(lg_sql "select count(*), count(distinct outgoing_id) from bounces")" \
    "$N|$N"
check_eq "every address suppressed once" \
    "$(lg_sql "select count(*) from suppression where reason like \
    'bounced: %'")" "$N"
check_eq "every contact's address invalid" \
    "$(lg_sql "select count(*) from contacts where invalid_address = 1")" "$N"
check_eq "one bounce entry per lead" "$(lg_sql "select count(*), \
    count(distinct lead_id) from history where action = 'bounce'")" "$N|$N"
check_eq "one recorded report per bounce" "$(lg_sql "select count(*) from \
    inquiries where key like 'mid:20260304090007.7C%'")" "$N"
check_eq "no lead came of them" "$(lg_sql "select count(*) from leads")" \
    "$leads"
check_eq "no message came of them" \
    "$(lg_sql "select count(*) from outgoing")" "$outgoing"
check_eq "nothing in quarantine" \
    "$(lg_sql "select count(*) from quarantine")" 0
check_eq "the Maildir's new/ is empty" \
    "$(ls "$LG_HOME/Maildir/new" | wc -l | tr -d ' ')" 0
check_eq "every report is in cur/" \
    "$(ls "$LG_HOME/Maildir/cur" | wc -l | tr -d ' ')" "$N"
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns counts each once" \
    "^big +object-news +$N +$N +0 +$N +0 +0 +$N +0 " "$LG_HOME/camps"
sink_stop
t_finish
