#!/bin/sh
# One-click unsubscribe end to end: a bulk campaign is delivered to
# smtp-sink; the List-Unsubscribe URL of a delivered message, POSTed as a
# mailbox provider does (RFC 8058, tests/lib/unsub_post.py), unsubscribes
# that contact and no other, as `leadgate unsubscribe` would; a second
# POST says "already". GET shows the confirmation page in the contact's
# language (de, fr, en fallback) and changes nothing. The listener speaks
# HTTPS here (serve.tls_cert, serve.tls_key): RFC 8058 wants an https URI,
# and leadgate writes List-Unsubscribe-Post only for one.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE
PORT=$(free_port)
U=https://localhost:$PORT
sink_start unsub || { t_finish; exit 1; }
lg_case unsub
tls_make_ca "$LG_HOME" || not_ok "test CA: $(cat "$LG_HOME/openssl.log")"
curl() { command curl --cacert "$LG_HOME/ca.pem" "$@"; }
lg_config "templates = \"$TOP/etc/templates\";" \
    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
    '  domain = "muster-immo.example";' \
    "  unsubscribe_url = \"$U/u/{token}\"; };" \
    "$(lg_smtp "$SINK_PORT")" \
    "serve = { port = $PORT; tls_cert = \"$LG_HOME/localhost.pem\";" \
    "  tls_key = \"$LG_HOME/localhost.key\"; };" \
    "rules = \"$LG_HOME/rules.conf\";"
echo 'rules = ( { name = "mail"; } );' >"$LG_HOME/rules.conf"
"$LG" contacts update 1 --language de >/dev/null
"$LG" contacts add --first-name Bob --last-name Test --language fr \
    --email bob@example.com >/dev/null
"$LG" contacts add --first-name Cleo --last-name Test --language sv \
    --email cleo@example.com >/dev/null
for c in 2 3; do "$LG" leads add --contact "$c" --source web >/dev/null; done

"$LG" mail bulk --filter 'status = open' --template object-news \
    --name spring --yes >"$LG_HOME/out" 2>&1
check_grep "the campaign is delivered" "^delivery: 3 sent" "$LG_HOME/out"
sink_idle
f=$(grep -l '^X-Rcpt-Args: <bob@example.com>' "$SINK_DIR"/m.* | head -1)
sink_message "$f" >"$LG_HOME/bob.eml"
check_grep "Bob's message has List-Unsubscribe-Post" \
    "^List-Unsubscribe-Post: List-Unsubscribe=One-Click" "$LG_HOME/bob.eml"

"$LG" serve 2>"$LG_HOME/serve.log" &
SERVE=$!
at_exit "kill $SERVE"
wait_port "$PORT" 10 || not_ok "serve listens: $(cat "$LG_HOME/serve.log")"

tokb=$(lg_sql "select unsub_token from contacts where id = 2")
# GET: the page, in each contact's language, changing nothing.
curl -s "$U/u/$tokb" >"$LG_HOME/page.fr"
check_grep "GET: the page in Bob's language (fr)" \
    "Souhaitez-vous ne plus recevoir nos e-mails" "$LG_HOME/page.fr"
check_grep "... with a button that POSTs to the same URL" \
    '<form method="post" action="">' "$LG_HOME/page.fr"
curl -s "$U/u/$(lg_sql "select unsub_token from contacts where id = 1")" \
    >"$LG_HOME/page.de"
check_grep "GET: Anna's page in German" "keine E-Mails mehr" \
    "$LG_HOME/page.de"
curl -s "$U/u/$(lg_sql "select unsub_token from contacts where id = 3")" \
    >"$LG_HOME/page.sv"
check_grep "GET: Cleo's language has no phrases: English" \
    "Do you want to stop receiving our mail" "$LG_HOME/page.sv"
check_eq "GET changed nothing" \
    "$(lg_sql "select count(*) from suppression") $(lg_sql "select count(*) from contacts where opt_out = 1")" \
    "0 0"

# POST, as a mailbox provider does with the message's header.
python3 "$TOP/tests/lib/unsub_post.py" "$LG_HOME/bob.eml" "$LG_HOME/ca.pem" \
    >"$LG_HOME/post"
check_eq "the provider's POST to the message's URL: 200" \
    "$(cut -d' ' -f1 "$LG_HOME/post")" 200
check_eq "... the URL is Bob's" "$(cut -d' ' -f2 "$LG_HOME/post")" \
    "$U/u/$tokb"
check_eq "Bob is opted out" \
    "$(lg_sql "select opt_out from contacts where id = 2")" 1
check_eq "... his address is on the suppression list" \
    "$(lg_sql "select reason from suppression where address = 'bob@example.com'")" \
    "unsubscribed (link)"
check_eq "... and nobody else is" \
    "$(lg_sql "select count(*) from contacts where opt_out = 1") $(lg_sql "select count(*) from suppression")" \
    "1 1"
"$LG" contacts show 2 >"$LG_HOME/bob.show"
check_grep "... his history says so, as leadgate unsubscribe writes it" \
    "unsubscribed: via link; opted out; suppressed bob@example.com" \
    "$LG_HOME/bob.show"
curl -s -X POST -d 'List-Unsubscribe=One-Click' "$U/u/$tokb" \
    >"$LG_HOME/again"
check_grep "a second POST: already, in French" "Vous étiez déjà désinscrit" \
    "$LG_HOME/again"
"$LG" unsubscribe "$tokb" >"$LG_HOME/cli"
check_grep "leadgate unsubscribe agrees: already" \
    "^already unsubscribed: bob@example[.]com [(]contact 2[)]" "$LG_HOME/cli"
code=$(curl -s -o "$LG_HOME/nf" -w '%{http_code}' -X POST \
    -d 'List-Unsubscribe=One-Click' "$U/u/0123456789abcdef0123456789abcdef")
check_eq "an unknown token: 404" "$code" 404
check_grep "... as problem JSON" '"type":"urn:leadgate:problem:not-found"' \
    "$LG_HOME/nf"
"$LG" mail bulk --filter 'status = open' --template object-news \
    --name summer --yes >"$LG_HOME/out2" 2>&1
check_grep "the next campaign skips Bob" "opted out: 1" "$LG_HOME/out2"
tok=$("$LG" token add crm --scope read)
curl -s -H "Authorization: Bearer $tok" "$U/api/v1/campaigns" >"$LG_HOME/camp"
check_grep "GET /api/v1/campaigns lists both, spring with 3 sent" \
    '"name":"spring","template":"object-news",.*"sent":3' "$LG_HOME/camp"
check_grep "... and summer" '"name":"summer"' "$LG_HOME/camp"
python3 -c 'import json, sys, jsonschema
doc = json.load(open(sys.argv[1]))
s = dict(doc["paths"]["/api/v1/campaigns"]["get"]["responses"]["200"]["content"]["application/json"]["schema"])
s["components"] = doc["components"]
jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))' \
    "$TOP/etc/openapi.json" "$LG_HOME/camp" 2>"$LG_HOME/camp.err"
check_eq "... as etc/openapi.json says: $(tail -1 "$LG_HOME/camp.err")" "$?" 0
code=$(command curl -s -o /dev/null -w '%{http_code}' "$U/u/$tokb")
check_eq "a certificate of an unknown CA is refused (curl: 000)" "$code" 000
t_finish
