#!/bin/sh
# SMTP delivery with the tokens of an oauth grant (smtp.oauth), end to
# end against real peers on loopback: the token service
# (tests/lib/tokensvc.py: device flow, refresh with rotation, expiry,
# revocation, introspection) and a private Postfix smtpd using Dovecot's
# SASL whose oauth2 passdb introspects against that same service
# (tests/lib/smtpd_oauth.sh).
#   - `leadgate oauth login NAME --device`, then a queued message goes out
#     with AUTH XOAUTH2 and an access token of the grant;
#   - the access token expires before the next delivery: renewed with the
#     refresh token (the rotated one saved), the message goes out;
#   - the grant is revoked: the message is deferred (not failed), the
#     reason names `leadgate oauth login NAME` in the store, `spool list`,
#     `status` and the log; after a new login it goes out;
#   - no token or secret in the logs, outputs, store or messages;
#   - `config check` refuses smtp.oauth with smtp.auth = "password".
# Needs root (the private Postfix and Dovecot).
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/smtpd_oauth.sh"

if [ "$(id -u)" -ne 0 ]; then
	not_ok "the private Postfix and Dovecot need root"
	t_finish
	exit 1
fi

TS=$T_DIR/tokensvc
mkdir -p "$TS"
TPORT=$(free_port)
python3 "$TOP/tests/lib/tokensvc.py" "$TPORT" "$TS" 2>"$TS/err" &
at_exit "kill $!"
wait_port "$TPORT" || { not_ok "token service start"; t_finish; exit 1; }
TURL=http://127.0.0.1:$TPORT
sink_start relay || { t_finish; exit 1; }
RELAY_DIR=$SINK_DIR
# Dovecot introspects against the token service (its /introspect checks
# that the service Dovecot names, "smtp", is in the token's scope).
INTROSPECT_PORT=$TPORT
smtpd_oauth_start "$T_DIR/so" "$SINK_PORT" ||
    { not_ok "postfix and dovecot start"; t_finish; exit 1; }
CA=$T_DIR/so/pf/tls/ca.pem
MAILLOG=$T_DIR/so/pf/maillog

printf 'csecret-1\n' >"$T_DIR/client.secret"
chmod 600 "$T_DIR/client.secret"
OAUTH="oauth = ( { name = \"m365\"; provider = \"generic\"; \
client_id = \"leadgate-test\"; client_secret_file = \"$T_DIR/client.secret\"; \
token_url = \"$TURL/token\"; device_url = \"$TURL/device\"; \
scopes = [ \"smtp\", \"offline_access\" ]; } );"
SMTP="smtp = { host = \"localhost\"; port = $OAUTH_SMTPD_PORT; timeout = 20; \
connections = 1; user = \"alice\"; auth = \"xoauth2\"; oauth = \"m365\"; };"
lg_case grant "$SMTP" "$OAUTH" "rules = \"$TOP/etc/rules.conf\";" \
    "templates = \"$TOP/etc/templates\";" "ca_file = \"$CA\";" "delivery = { batch = 1; };"
G=$LG_HOME/oauth/m365.json
OUT=$T_DIR/outputs	# everything leadgate printed, for the secret check
mkdir -p "$OUT"

ctl() {
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"")).read()' \
	    "$TURL/control/$1"
}
stat_of() {
	python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1])).get(sys.argv[2], 0))' \
	    "$TURL/control/stats" "$1"
}
refresh_of() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["refresh_token"])' "$1" 2>/dev/null
}
# relayed MESSAGE-ID: wait until the relay sink has it; its dump file.
relayed() {
	r_i=0
	while [ -z "$(SINK_DIR=$RELAY_DIR sink_file_of "$1")" ] &&
	    [ "$r_i" -lt 400 ]; do
		r_i=$((r_i + 1))
		sleep 0.05
	done
	SINK_DIR=$RELAY_DIR sink_file_of "$1"
}
# deliver LABEL NOW: one delivery run at NOW; its outputs kept in $OUT.
deliver() {
	LEADGATE_NOW=$2 "$LEADGATE" -v -v deliver \
	    >"$OUT/$1.out" 2>"$OUT/$1.err"
	check_eq "$1: the run worked" "$?" 0
}
state_of() {
	lg_sql "select state || ' ' || attempts from outgoing where id = $1"
}
sasl_ok() {
	grep -c "postfix/oauth/smtpd.*sasl_method=XOAUTH2, sasl_username=alice" \
	    "$MAILLOG"
}

# --- the first login, through the device flow ---
check "config check accepts smtp.oauth with xoauth2" "$LEADGATE" config check
ctl "set?pending=1&slow_down=0&user=alice"
"$LEADGATE" oauth login m365 --device >"$OUT/login1" 2>&1
check_eq "oauth login m365 --device succeeds" "$?" 0
check_grep "it prints the address and the code" \
    "open $TURL/verify and enter the code WXYZ-1234" "$OUT/login1"
check_eq "the grant file is mode 0600" "$(stat -c %a "$G")" 600

# --- a queued message goes out with a token of the grant ---
lg_queue 1
deliver first "$LG_NOW"
check_eq "first: sent" "$(cat "$OUT/first.out")" "1 sent, 0 deferred, 0 failed"
check "first: relayed" test -n "$(relayed "<1@test.example>")"
check_eq "first: Postfix saw AUTH XOAUTH2 as alice" "$(sasl_ok)" 1
check "first: the token service vouched for the token" \
    [ "$(stat_of introspect_ok)" -ge 1 ]

# --- the access token expires before the next delivery ---
rt0=$(refresh_of "$G")
r0=$(stat_of token_refresh_token)
ctl expire
lg_queue 2
T1=$(lg_iso $((LG_T0 + 60)))
deliver expired "$T1"
check_eq "expired: sent" "$(cat "$OUT/expired.out")" \
    "1 sent, 0 deferred, 0 failed"
check "expired: relayed" test -n "$(relayed "<2@test.example>")"
check_eq "expired: Postfix saw AUTH XOAUTH2 again" "$(sasl_ok)" 2
check_eq "expired: one refresh at the token service" \
    "$(stat_of token_refresh_token)" $((r0 + 1))
rt1=$(refresh_of "$G")
check "expired: the rotated refresh token was saved" \
    [ -n "$rt1" -a "$rt1" != "$rt0" ]
check_eq "expired: the grant file is still mode 0600" \
    "$(stat -c %a "$G")" 600
check_eq "expired: no temporary file is left" \
    "$(ls -a "$LG_HOME/oauth" | grep -c tmp)" 0

# --- the grant is revoked ---
ctl "revoke?user=alice"
lg_queue 3
T2=$(lg_iso $((LG_T0 + 120)))
deliver revoked "$T2"
check_eq "revoked: deferred" "$(cat "$OUT/revoked.out")" \
    "0 sent, 1 deferred, 0 failed"
check_eq "revoked: the message stays queued (deferred, not failed)" \
    "$(state_of 3)" "deferred 1"
check_eq "revoked: nothing relayed" \
    "$(SINK_DIR=$RELAY_DIR sink_file_of "<3@test.example>")" ""
WANT='re-authorise with .leadgate oauth login m365.'
reason=$(lg_sql "select last_reply from outgoing where id = 3")
if echo "$reason" | grep -q -- "$WANT"; then
	ok "revoked: the stored reason names the login"
else
	not_ok "revoked: the stored reason [$reason] does not say /$WANT/"
fi
check_grep "revoked: the log names the login" "$WANT" "$OUT/revoked.err"
LEADGATE_NOW=$T2 "$LEADGATE" spool list >"$OUT/spool-revoked" 2>&1
check_grep "revoked: spool list shows it deferred" \
    '^ *3 +deferred +1 .*AUTH XOAUTH2 as alice' "$OUT/spool-revoked"
LEADGATE_NOW=$T2 "$LEADGATE" spool show 3 >"$OUT/spool-show-revoked" 2>&1
check_grep "revoked: spool show names the login" "$WANT" \
    "$OUT/spool-show-revoked"
LEADGATE_NOW=$T2 "$LEADGATE" status >"$OUT/status-revoked" 2>&1
check_grep "revoked: status names the login" \
    "^delivery: needs-login: .*$WANT" "$OUT/status-revoked"
LEADGATE_NOW=$T2 "$LEADGATE" oauth status >"$OUT/ostatus-revoked" 2>&1
check_grep "revoked: oauth status says needs login" '^m365 +needs login' \
    "$OUT/ostatus-revoked"
ig=$(stat_of invalid_grant)
T3=$(lg_iso $((LG_T0 + 7200)))
deliver revoked-again "$T3"
check_eq "revoked, a later run: still deferred" "$(state_of 3)" "deferred 2"
check_eq "revoked, a later run: the dead refresh token is not sent again" \
    "$(stat_of invalid_grant)" "$ig"

# --- a new login: the deferred message goes out ---
"$LEADGATE" oauth login m365 --device >"$OUT/login2" 2>&1
check_eq "a new login" "$?" 0
T4=$(lg_iso $((LG_T0 + 4 * 86400)))
deliver relogin "$T4"
check_eq "after the new login: sent" "$(cat "$OUT/relogin.out")" \
    "1 sent, 0 deferred, 0 failed"
check_eq "after the new login: the deferred message is sent" \
    "$(lg_sql "select state from outgoing where id = 3")" sent
check "after the new login: relayed" test -n "$(relayed "<3@test.example>")"
"$LEADGATE" status >"$OUT/status-relogin" 2>&1
check_eq "after the new login: status no longer says needs-login" \
    "$(grep -c '^delivery:' "$OUT/status-relogin")" 0
check_eq "after the new login: Postfix saw AUTH XOAUTH2" "$(sasl_ok)" 3

# --- smtp.oauth with smtp.auth = "password" is refused ---
mkdir -p "$T_DIR/pw"
sed 's/auth = "xoauth2"/auth = "password"/' "$LG_HOME/lg.conf" \
    >"$T_DIR/pw/lg.conf"
LEADGATE_CONFIG=$T_DIR/pw/lg.conf "$LEADGATE" config check \
    >"$OUT/check-pw" 2>&1
check_eq "config check: smtp.oauth with auth = password: exit 78" "$?" 78
check_grep "config check: the reason" \
    'smtp\.oauth names a grant but smtp\.auth is "password"' "$OUT/check-pw"

# --- not one token, code or secret anywhere ---
"$LEADGATE" status --json >"$OUT/status.json" 2>&1
"$LEADGATE" spool list >"$OUT/spool-end" 2>&1
"$LEADGATE" config check --dump >"$OUT/dump" 2>&1
echo csecret-1 >>"$TS/issued"
check "tokens were issued (the check below has something to look for)" \
    [ "$(wc -l <"$TS/issued")" -gt 6 ]
# The XOAUTH2 initial responses too, base64 as they crossed the wire.
while read -r t; do
	printf 'user=alice\001auth=Bearer %s\001\001' "$t" | base64 -w0
	echo
done <"$TS/issued" >"$T_DIR/issued.b64"
cat "$TS/issued" "$T_DIR/issued.b64" >"$T_DIR/needles"
if grep -rFf "$T_DIR/needles" "$OUT" "$MAILLOG" "$RELAY_DIR" \
    "$LG_HOME/spool" >"$T_DIR/leaks" 2>&1; then
	not_ok "no token or secret in logs, outputs or messages: $(head -3 "$T_DIR/leaks")"
else
	ok "no token or secret in logs, outputs or messages"
fi
if sqlite3 "$LG_DB" .dump | grep -Ff "$T_DIR/needles" >/dev/null; then
	not_ok "no token or secret in the store"
else
	ok "no token or secret in the store"
fi
t_finish
