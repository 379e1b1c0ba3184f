#!/bin/sh
# leadgate serve: every /api/v1 route driven over HTTP by
# tests/lib/serve_api.py, each answer checked against the OpenAPI
# document it serves; tokens and scopes, paging, ETag/If-Match, web-form
# intake through the mail pipeline (rules, dedup, quarantine, autoreply),
# idempotency and the per-form rate; bad input on every route gives
# problem JSON and changes nothing. Then the token commands, and the
# listener inside `run`: a held mail retried over HTTP after a reload
# fixed its rule becomes a lead.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE
PORT=$(free_port)
lg_case serve
cat >"$LG_HOME/rules.conf" <<'EOF2'
rules = (
  { name = "offers"; action = "quarantine"; reason = "an offer";
    when = { on = "subject"; contains = "Offer"; }; },
  { name = "spam"; action = "quarantine"; reason = "looks like spam";
    when = { on = "field:message"; contains = "casino"; }; },
  { name = "web"; autoreply = { template = "inquiry-reply"; }; }
);
EOF2
lg_config "rules = \"$LG_HOME/rules.conf\";" \
    "templates = \"$TOP/etc/templates\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example"; };' \
    "serve = { port = $PORT; form_rate = 4; form_window = 3600; };" \
    'agents = ( { name = "anna"; email = "anna@agency.example"; } );'
"$LG" contacts add --first-name Bob --last-name Test \
    --email bob@example.com >/dev/null
"$LG" contacts add --first-name Carl --last-name Test \
    --email carl@example.com >/dev/null
for cl in 1:OBJ-2 2:OBJ-2 2:OBJ-3 3:OBJ-4 3:OBJ-5; do
	"$LG" leads add --contact "${cl%%:*}" --source web \
	    --object "${cl#*:}" >/dev/null || not_ok "add lead $cl"
done

# A mail the spam rule holds, for quarantine retry over HTTP.
printf 'From: Win <win@spam.example>\r\nTo: info@muster-immo.example\r\nSubject: Offer\r\nMessage-ID: <spam-1@spam.example>\r\n\r\nBest casino in town.\r\n' \
    >"$LG_HOME/spam.eml"
"$LG" ingest --connector inbox "$LG_HOME/spam.eml" >"$LG_HOME/ingest.out"
check_grep "a mail the spam rule quarantines" "quarantined" "$LG_HOME/ingest.out"

READ=$("$LG" token add crm --scope read)
check "token add prints a token once" expr "$READ" : 'lg_[A-Za-z0-9_-]\{43\}$'
WRITE=$("$LG" token add admin --scope write)
FORM=$("$LG" token add site --scope form --source Website)
FORM2=$("$LG" token add landing --scope form --source Website)
check_eq "only the SHA-256 of a token is stored" \
    "$(lg_sql "select count(*) from api_tokens where hash = '$(printf %s "$READ" | sha256sum | cut -c1-64)'")" 1
check_eq "... never the token" \
    "$(lg_sql "select count(*) from api_tokens where hash = '$READ' or name = '$READ'")" 0
"$LG" token add crm --scope read >/dev/null 2>"$LG_HOME/err"
check_eq "a name taken: 65" "$?" 65
"$LG" token add x --scope form >/dev/null 2>&1
check_eq "a form token needs its source: 64" "$?" 64
"$LG" token add x --scope admin >/dev/null 2>&1
check_eq "an unknown scope: 65" "$?" 65

"$LG" serve 2>"$LG_HOME/serve.log" &
SERVE=$!
at_exit "kill $SERVE"
if wait_port "$PORT" 10; then
	python3 "$TOP/tests/lib/serve_api.py" "$PORT" "$LG_DB" \
	    "$TOP/etc/openapi.json" "$READ" "$WRITE" "$FORM" "$FORM2" ||
	    T_FAILS=$((T_FAILS + 1))
else
	not_ok "serve listens on $PORT: $(cat "$LG_HOME/serve.log")"
fi

# A token removed no longer opens anything.
"$LG" token list >"$LG_HOME/tokens"
check_grep "token list names the tokens" "^crm  *read" "$LG_HOME/tokens"
check "token list shows no token" sh -c "! grep -q lg_ '$LG_HOME/tokens'"
check "token remove" "$LG" token remove crm
code=$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $READ" "http://127.0.0.1:$PORT/api/v1/leads")
check_eq "a removed token: 401" "$code" 401
"$LG" token remove crm 2>/dev/null
check_eq "removing it again: 66" "$?" 66

kill "$SERVE"
wait "$SERVE"
check_eq "serve ends on SIGTERM with 0" "$?" 0
check "... and logs no error" sh -c "! grep -qi 'error' '$LG_HOME/serve.log'"

# The same listener inside `leadgate run` (serve.enabled), through a reload.
lg_config "rules = \"$LG_HOME/rules.conf\";" \
    "templates = \"$TOP/etc/templates\";" "lock = \"$LG_HOME/lock\";" \
    'mail = { from = "info@muster-immo.example"; };' \
    "serve = { enabled = true; port = $PORT; };" "$(lg_smtp "$(free_port)")"
"$LG" run 2>"$LG_HOME/run.log" &
RUN=$!
at_exit "kill $RUN"
wait_port "$PORT" 10 || not_ok "run listens: $(cat "$LG_HOME/run.log")"
get() {
	curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" \
	    "http://127.0.0.1:$PORT/api/v1/leads/1"
}
check_eq "run with serve.enabled answers /api/v1" "$(get "$WRITE")" 200
# The rule that held the mail is fixed; the reload below takes it up.
cat >"$LG_HOME/rules.conf" <<'EOF2'
rules = (
  { name = "offers"; action = "quarantine"; reason = "an offer";
    when = { on = "subject"; contains = "Special offer for you"; }; }
);
EOF2
kill -HUP "$RUN"
n=0
until grep -q "reloaded" "$LG_HOME/run.log" || [ $n -ge 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
wait_port "$PORT" 10
check_eq "... and again after SIGHUP" "$(get "$WRITE")" 200
check_eq "... still refusing a bad token" "$(get nope)" 401
# The held mail retried over HTTP now that no rule holds it: a lead.
QID=$(lg_sql "select id from quarantine where kind = 'mail' and state = 'held'")
check "the mail is still held before the retry" [ -n "$QID" ]
curl -s -X POST -H "Authorization: Bearer $WRITE" \
    "http://127.0.0.1:$PORT/api/v1/quarantine/$QID/retry" >"$LG_HOME/retry.json"
check_grep "retry after the rule was fixed makes a new lead" \
    '"outcome": *"new lead"' "$LG_HOME/retry.json"
LID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lead_id"])' \
    "$LG_HOME/retry.json" 2>/dev/null)
check_eq "... the lead named is the sender's" \
    "$(lg_sql "select count(*) from leads l join contact_emails e on e.contact_id = l.contact_id where l.id = '$LID' and e.norm = 'win@spam.example'")" 1
check "... and the mail is no longer held" [ "$(lg_sql "select state from quarantine where id = $QID")" != held ]
kill "$RUN"
wait "$RUN"
check_eq "run ends on SIGTERM with 0" "$?" 0
t_finish
