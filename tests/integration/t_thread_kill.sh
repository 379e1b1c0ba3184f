#!/bin/sh
# SIGKILL while answers are being applied, then the same poll again:
# every answer joins its lead exactly once. N inquiries each get their
# autoreply (queued with its Message-ID); N answers naming those
# Message-IDs wait in a Maildir; the first poll is killed once some are
# applied (inside an answer's transaction, between its commit and the
# Maildir rename, or between two answers: wherever it lands).
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

LG=$LEADGATE
N=1000

sink_start tkill || { t_finish; exit 1; }
lg_case tkill
cat >"$LG_HOME/rules.conf" <<'EOF'
rules = ( { name = "mail"; source = "E-Mail";
  autoreply = { template = "inquiry-reply"; }; } );
EOF
BOUNCE_RULES=$LG_HOME/rules.conf
bounce_config
"$LG" sources add E-Mail
mkdir -p "$LG_HOME/in"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	printf 'From: P%d <p%d@example.org>\nTo: info@muster-immo.example\nSubject: Anfrage %d\nMessage-ID: <q%d@example.org>\n\nBitte um Unterlagen.\n' \
	    "$i" "$i" "$i" "$i" >"$LG_HOME/in/$i.eml"
done
(cd "$LG_HOME/in" && ls | xargs "$LG" ingest) >/dev/null ||
    not_ok "ingest the $N inquiries"
lg_sql "select rcpt || ' ' || message_id from outgoing where message_id is
    not null order by id" >"$LG_HOME/msgs"
check_eq "one autoreply per inquiry" "$(wc -l <"$LG_HOME/msgs" |
    tr -d ' ')" "$N"

# One answer per autoreply, from its recipient, naming its Message-ID.
i=0
while read -r rcpt mid; do
	i=$((i + 1))
	printf 'From: %s\nTo: info@muster-immo.example\nSubject: Re: Ihre Anfrage\nMessage-ID: <a%d@example.org>\nIn-Reply-To: <%s>\nReferences: <q%d@example.org> <%s>\n\nDanke, ich komme gerne vorbei.\n' \
	    "$rcpt" "$i" "$mid" "$i" "$mid" \
	    >"$LG_HOME/Maildir/new/1772618400.$i.in"
done <"$LG_HOME/msgs"
leads=$(lg_sql "select count(*) from leads")
outgoing=$(lg_sql "select count(*) from outgoing")
inquiries=$(lg_sql "select count(*) from inquiries")

"$LG" poll --connector bounces >"$LG_HOME/poll1.out" 2>&1 &
pid=$!
at_exit "kill -9 $pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 3000 ]; do
	n=$(lg_sql "select count(*) from history where action = 'reply from \
the prospect'" 2>/dev/null)
	[ "${n:-0}" -gt 0 ] && break
	i=$((i + 1))
	sleep 0.01
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
applied=$(lg_sql "select count(*) from history where action = 'reply from \
the prospect'")
echo "# killed with $applied of $N answers applied"
check "killed while applying" test "$applied" -lt "$N"

check "the poll again" sh -c "'$LG' poll --connector bounces \
    >'$LG_HOME/poll2.out' 2>'$LG_HOME/poll2.err'"
check_eq "every answer in its lead's history once" "$(lg_sql "select \
    count(*), count(distinct lead_id) from history where action = \
    'reply from the prospect'")" "$N|$N"
check_eq "every answer recorded once, with its lead" "$(lg_sql "select \
    count(*), count(distinct lead_id) from inquiries where key like \
    'mid:a%@example.org' and decision like 'reply to message %'")" "$N|$N"
check_eq "each lead has its inquiry and its answer" "$(lg_sql "select \
    count(*) from inquiries")" "$((inquiries + N))"
check_eq "no lead came of them" "$(lg_sql "select count(*) from leads")" \
    "$leads"
check_eq "no second autoreply" "$(lg_sql "select count(*) from outgoing")" \
    "$outgoing"
check_eq "nothing in quarantine" \
    "$(lg_sql "select count(*) from quarantine")" 0
check_eq "the Maildir's new/ is empty" \
    "$(ls "$LG_HOME/Maildir/new" | wc -l | tr -d ' ')" 0
check_eq "every answer is in cur/" \
    "$(ls "$LG_HOME/Maildir/cur" | wc -l | tr -d ' ')" "$N"
sink_stop
t_finish
