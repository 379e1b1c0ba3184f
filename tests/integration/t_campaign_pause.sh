#!/bin/sh
# mail campaigns pause|resume against smtp-sink: a paused campaign's
# queued mail is held (no delivery run sends it, nothing is lost), shown
# paused in mail campaigns and status, and goes out once resumed; other
# mail is not held.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE

sink_start pause
lg_case pause "templates = \"$TOP/etc/templates\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example";' \
    '  unsubscribe_mailto = "unsubscribe@muster-immo.example"; };' \
    "$(lg_smtp "$SINK_PORT")"
for who in Bob Carl; do
	"$LG" contacts add --first-name "$who" --last-name Test \
	    --email "$(echo "$who" | tr A-Z a-z)@example.com" >/dev/null
done
"$LG" leads add --contact 2 --source web >/dev/null
"$LG" leads add --contact 3 --source web >/dev/null

# The first run of the campaign writes to Anna and Bob only.
"$LG" leads move 3 'Demande répondue' >/dev/null
"$LG" mail bulk --filter 'phase = "Demande reçue"' --template object-news \
    --name spring --yes >"$LG_HOME/out" 2>&1
check_grep "the campaign's first run sends" "^delivery: 2 sent" "$LG_HOME/out"
check_eq "the sink has both" "$(sink_count)" 2

"$LG" mail campaigns pause spring >"$LG_HOME/out" 2>&1
check_eq "pause it" "$?" 0
check_grep "it says what pausing means" "paused: its mail waits until resumed" \
    "$LG_HOME/out"
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns shows it paused" '^spring .* paused$' \
    "$LG_HOME/camps"
"$LG" mail campaigns --json >"$LG_HOME/camps.json"
check_grep "... and so does --json" '"paused": true' "$LG_HOME/camps.json"
"$LG" status >"$LG_HOME/status"
check_grep "status names it" "^campaigns paused .their mail waits.: spring$" \
    "$LG_HOME/status"

# A run of the paused campaign queues Carl's message, which waits.
"$LG" leads move 3 'Demande reçue' >/dev/null
"$LG" mail bulk --filter 'phase = "Demande reçue"' --template object-news \
    --name spring --yes >"$LG_HOME/out" 2>&1
check_grep "the run queues the missing message" "1 queued" "$LG_HOME/out"
check_grep "... and sends nothing" "^delivery: 0 sent" "$LG_HOME/out"
# Other mail is not held.
lg_queue other
lg_deliver
check_grep "a delivery run sends the other mail" "^1 sent" \
    "$LG_HOME/deliver.out"
check_eq "the sink has the other mail but not Carl's" "$(sink_count)" 3
lg_deliver "$(lg_iso "$(($(date +%s) + 86400))")"
check_eq "a day later it still holds Carl's" "$(sink_count)" 3
check_eq "held, not lost: queued in the spool" \
    "$(lg_sql "select count(*) from outgoing o join campaigns c on \
    c.id = o.campaign_id where c.name = 'spring' and o.state = 'queued'")" 1
"$LG" mail campaigns --json >"$LG_HOME/camps.json"
check_grep "mail campaigns counts it waiting" '"waiting": 1' \
    "$LG_HOME/camps.json"

check "resume it" "$LG" mail campaigns resume spring
lg_deliver
check_grep "the next run sends it" "^1 sent" "$LG_HOME/deliver.out"
check_eq "the sink has Carl's too" "$(sink_count)" 4
check_eq "Carl's message went to Carl" \
    "$(grep -l '^To: .*carl@example.com' "$SINK_DIR"/* 2>/dev/null | wc -l)" 1
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns shows it active" '^spring .* active$' \
    "$LG_HOME/camps"

"$LG" mail campaigns pause autumn >"$LG_HOME/out" 2>&1
check_eq "pausing an unknown campaign: 66" "$?" 66
check_grep "it names it" "no campaign 'autumn'" "$LG_HOME/out"
"$LG" mail campaigns stop spring >"$LG_HOME/out" 2>&1
check_eq "an unknown action: usage (64)" "$?" 64

t_finish
