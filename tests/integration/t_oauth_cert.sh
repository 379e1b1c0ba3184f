#!/bin/sh
# OAuth2 client authentication by certificate (RFC 7523 client assertions,
# Microsoft's "certificate credentials") against real peers on loopback:
# tests/lib/tokensvc.py verifies each assertion's signature with openssl
# against the registered certificate, its thumbprints, aud, iss/sub, exp
# and jti; Dovecot (oauth2 passdb) checks the tokens.
#   - client credentials (RS256, key in a file): an IMAP connector logs in
#     with the token, mail becomes a lead;
#   - a user grant (PS256, key in the environment): `oauth login` by the
#     device flow (polls) and the browser flow (code exchange), then a
#     refresh, each authenticated by a fresh assertion;
#   - an assertion replayed is refused (jti), one the service sees as
#     expired is refused with a clear message, as is a key that does not
#     fit the certificate; `config check` reports every mistake;
#   - the key and the assertions never appear in logs, dump or errors.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"

TS=$T_DIR/tokensvc
mkdir -p "$TS"
TPORT=$(free_port)
python3 "$TOP/tests/lib/tokensvc.py" "$TPORT" "$TS" &
at_exit "kill $!"
wait_port "$TPORT" || { not_ok "token service start"; t_finish; exit 1; }
TURL=http://127.0.0.1:$TPORT

# The application's certificate, as registered with the provider, and a
# second pair that is not registered.
K=$T_DIR/keys
mkdir -p "$K"
for n in app stranger; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/$n.key" \
	    -out "$K/$n.pem" -days 2 -subj "/CN=leadgate $n" 2>/dev/null ||
	    { not_ok "openssl makes a certificate"; t_finish; exit 1; }
done
chmod 600 "$K"/*.key
cp "$K/app.pem" "$TS/client-cert.pem"

D=$T_DIR/dove
mkdir -p "$D"
dove_certs "$D" && mkdir -p "$D/run" "$D/state" "$D/home" &&
    chmod go+x "$D" && chown 65534:65534 "$D/home" &&
    dove_free_port >"$D/imap.port" && dove_free_port >"$D/imaps.port" ||
    { not_ok "dovecot setup"; t_finish; exit 1; }
printf '%s\n' "introspection_mode = auth" \
    "introspection_url = $TURL/introspect" \
    "username_attribute = username" "send_auth_headers = yes" \
    >"$D/oauth2.conf"
cat >"$D/dovecot.conf" <<DOVE
protocols = imap
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
ssl = yes
ssl_cert = <$D/tls/server.pem
ssl_key = <$D/tls/server.key
auth_mechanisms = xoauth2
passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = $D/oauth2.conf
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$D/home/%u allow_all_users=yes
}
mail_location = maildir:~/Maildir
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    port = $(cat "$D/imap.port")
  }
  inet_listener imaps {
    port = $(cat "$D/imaps.port")
    ssl = yes
  }
}
DOVE
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start main || { t_finish; exit 1; }
IMAPPORT=$(cat "$D/imap.port")

# conf FILE OAUTH-BLOCKS: a configuration with two IMAP connectors.
conf() {
	cat >"$1" <<CONF
store = { path = "$T_DIR/lg.db"; default_country = "DE"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "$T_DIR/spool";
lock = "$T_DIR/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "info"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
oauth = ( $2 );
connectors = (
  { name = "app"; type = "imap"; host = "localhost"; port = $IMAPPORT;
    tls = "starttls"; user = "client"; auth = "xoauth2"; oauth = "app";
    timeout = 5; reconnect_max = 2; },
  { name = "alice"; type = "imap"; host = "localhost"; port = $IMAPPORT;
    tls = "starttls"; user = "alice"; auth = "xoauth2"; oauth = "dev";
    timeout = 5; reconnect_max = 2; }
);
CONF
}
GOOD='
  { name = "app"; provider = "microsoft"; tenant = "contoso";
    client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_cert_file = "'$K'/app.pem";
    client_key_file = "'$K'/app.key"; token_url = "'$TURL'/token";
    scopes = [ "imap" ]; },
  { name = "dev"; provider = "generic"; client_id = "leadgate-test";
    client_auth = "certificate"; client_cert_file = "'$K'/app.pem";
    client_key_env = "LG_TEST_KEY"; client_assertion_alg = "PS256";
    token_url = "'$TURL'/token"; device_url = "'$TURL'/device";
    authorize_url = "'$TURL'/authorize"; scopes = [ "imap" ]; }'
conf "$T_DIR/leadgate.conf" "$GOOD"
LG_TEST_KEY=$(cat "$K/app.key")
export LEADGATE_CONFIG="$T_DIR/leadgate.conf" LG_TEST_KEY
LG=$LEADGATE
OUT=$T_DIR/outputs	# everything leadgate printed, for the leak check
mkdir -p "$OUT"

wait_for() {
	n=$(($1 * 20))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
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
leads() { "$LG" leads list --json | grep -c '"id"'; }
mail_n() {
	sed -e "s/max\.mueller@example\.de/p$1@example.de/g" \
	    -e "s/7f3c2a91/7f3c2a9$1/g" -e "s/2345678/234560$1/g" \
	    "$TOP/tests/data/parse/immoscout24/plain-utf8.eml" >"$T_DIR/mail$1.eml"
	echo "$T_DIR/mail$1.eml"
}

# --- configuration ---
"$LG" config check >"$OUT/check" 2>&1
check_eq "config check accepts certificate blocks" "$?" 0
"$LG" config check --dump >"$OUT/dump" 2>&1
conf "$T_DIR/bad.conf" '
  { name = "app"; client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_key_file = "'$K'/app.key";
    client_key_env = "LG_TEST_KEY"; client_secret_env = "X";
    token_url = "'$TURL'/token"; },
  { name = "dev"; client_id = "leadgate-test"; grant = "client";
    client_cert_file = "'$K'/app.pem"; token_url = "'$TURL'/token"; },
  { name = "mismatch"; client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_cert_file = "'$K'/app.pem";
    client_key_file = "'$K'/stranger.key"; token_url = "'$TURL'/token"; }'
"$LG" -c "$T_DIR/bad.conf" config check >"$OUT/badcheck" 2>&1
check_eq "config check refuses the mistakes (EX_CONFIG)" "$?" 78
check_grep "no certificate" 'needs client_cert_file' "$OUT/badcheck"
check_grep "key file and variable both" 'client_key_file and client_key_env: give one' \
    "$OUT/badcheck"
check_grep "a secret with a certificate" 'takes no client secret' "$OUT/badcheck"
check_grep "certificate settings without client_auth" \
    'need client_auth = "certificate"' "$OUT/badcheck"
check_grep "a key of another certificate" \
    "oauth 'mismatch': the client key does not belong to the certificate" \
    "$OUT/badcheck"

# --- client credentials, RS256, key in a file ---
dove_save "$D" client INBOX "$(mail_n 1)" || not_ok "dove save"
"$LG" poll --connector app >"$OUT/poll1" 2>&1
check_eq "client credentials by certificate: the IMAP poll succeeds" "$?" 0
check_eq "the service verified an assertion" "$(stat_of assertion_ok)" 1
check_eq "mail became a lead" "$(leads)" 1

# A replayed assertion (the last one, from the service's record).
python3 - "$TURL/token" "$(grep '^ey' "$TS/issued" | tail -1)" >"$OUT/replay" 2>&1 <<'PY'
import sys, urllib.parse, urllib.request, urllib.error
f = urllib.parse.urlencode({"grant_type": "client_credentials",
    "client_id": "leadgate-test", "client_assertion": sys.argv[2],
    "client_assertion_type":
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}).encode()
try:
    urllib.request.urlopen(sys.argv[1], data=f)
    print("accepted")
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
check_grep "a replayed assertion is refused (jti)" '^401 .*jti_reuse' \
    "$OUT/replay"
# The same with its claims changed (iss), the signature kept: openssl
# finds the signature bad.
python3 - "$TURL/token" "$(grep '^ey' "$TS/issued" | tail -1)" \
    >"$OUT/tampered" 2>&1 <<'PY'
import base64, json, sys, urllib.parse, urllib.request, urllib.error
h, c, s = sys.argv[2].split(".")
cl = json.loads(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)))
cl["jti"] = cl["jti"] + "x"
c = base64.urlsafe_b64encode(json.dumps(cl).encode()).decode().rstrip("=")
f = urllib.parse.urlencode({"grant_type": "client_credentials",
    "client_id": "leadgate-test", "client_assertion": h + "." + c + "." + s,
    "client_assertion_type":
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}).encode()
try:
    urllib.request.urlopen(sys.argv[1], data=f)
    print("accepted")
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
check_grep "changed claims under the old signature are refused" \
    '^401 .*"signature"' "$OUT/tampered"

# An assertion the service sees as expired (its clock 10 minutes ahead).
ctl "set?clock=600"
"$LG" poll --connector app >"$OUT/poll-expired" 2>&1
check "expired assertion: the poll fails" [ "$?" -ne 0 ]
check_eq "the service refused it as expired" "$(stat_of assertion_expired)" 1
check_grep "expired assertion: a clear message" \
    "refused the client certificate assertion .invalid_client, HTTP 401" \
    "$OUT/poll-expired"
ctl "set?clock=0"

# --- a user grant, PS256, key in the environment ---
ctl "set?pending=1&slow_down=0&user=alice"
"$LG" oauth login dev >"$OUT/login1" 2>&1
check_eq "oauth login by the device flow, certificate-authenticated polls" \
    "$?" 0
check_eq "both polls carried an assertion" "$(stat_of assertion_ok)" 3
ok0=$(stat_of assertion_ok)
mkfifo "$T_DIR/paste"
"$LG" oauth login dev --browser <"$T_DIR/paste" >"$OUT/login2" 2>&1 &
LPID=$!
exec 7>"$T_DIR/paste"
wait_for 10 grep -q "^$TURL/authorize?" "$OUT/login2"
python3 -c 'import sys, urllib.request, urllib.error
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a): return None
try:
    urllib.request.build_opener(NoRedirect).open(sys.argv[1])
except urllib.error.HTTPError as e:
    print(e.headers["Location"])' "$(grep "^$TURL/authorize?" "$OUT/login2")" >&7
exec 7>&-
wait "$LPID"
check_eq "oauth login --browser: the code exchange by certificate" "$?" 0
check_eq "the code exchange carried an assertion" \
    "$(stat_of assertion_ok)" $((ok0 + 1))
ctl expire
r0=$(stat_of token_refresh_token)
dove_save "$D" alice INBOX "$(mail_n 2)" || not_ok "dove save"
"$LG" poll --connector alice >"$OUT/poll2" 2>&1
check_eq "user grant: the IMAP poll succeeds" "$?" 0
check "the access token was refreshed" \
    [ "$(stat_of token_refresh_token)" -gt "$r0" ]
check_eq "the refresh carried an assertion" "$(stat_of assertion_ok)" \
    $((ok0 + 2))
check_eq "mail became a lead" "$(leads)" 2

# --- a key that is not the certificate's, a certificate not registered ---
conf "$T_DIR/wrong.conf" '
  { name = "app"; client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_cert_file = "'$K'/app.pem";
    client_key_file = "'$K'/stranger.key"; token_url = "'$TURL'/token";
    scopes = [ "imap" ]; },
  { name = "dev"; client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_cert_file = "'$K'/stranger.pem";
    client_key_file = "'$K'/stranger.key"; token_url = "'$TURL'/token";
    scopes = [ "imap" ]; }'
"$LG" -c "$T_DIR/wrong.conf" poll --connector app >"$OUT/poll-wrong" 2>&1
check "wrong key: the poll fails" [ "$?" -ne 0 ]
check_grep "wrong key: refused before anything is sent, clearly" \
    "oauth 'app': the client key does not belong to the certificate" \
    "$OUT/poll-wrong"
conf "$T_DIR/unreg.conf" '
  { name = "app"; client_id = "leadgate-test"; grant = "client";
    client_auth = "certificate"; client_cert_file = "'$K'/stranger.pem";
    client_key_file = "'$K'/stranger.key"; token_url = "'$TURL'/token";
    scopes = [ "imap" ]; },
  { name = "dev"; client_id = "leadgate-test"; grant = "client";
    client_secret_env = "NONE"; token_url = "'$TURL'/token"; }'
"$LG" -c "$T_DIR/unreg.conf" poll --connector app >"$OUT/poll-unreg" 2>&1
check "an unregistered certificate: the poll fails" [ "$?" -ne 0 ]
check_eq "the service refused its thumbprint" \
    "$(stat_of assertion_thumbprint)" 1
check_grep "an unregistered certificate: a clear message" \
    "refused the client certificate assertion .invalid_client, HTTP 401" \
    "$OUT/poll-unreg"

# --- nothing secret anywhere ---
"$LG" oauth status >"$OUT/ostatus" 2>&1
grep -v -- '-----' "$K/app.key" "$K/stranger.key" | cut -d: -f2 \
    >"$T_DIR/secrets"
cat "$TS/issued" >>"$T_DIR/secrets"
sed -i '/^$/d' "$T_DIR/secrets"
check "assertions and tokens were issued (the check has something)" \
    [ "$(grep -c '^ey' "$TS/issued")" -ge 6 ]
cp "$D/dovecot.log" "$OUT/" 2>/dev/null
if grep -rFf "$T_DIR/secrets" "$OUT" >"$T_DIR/leaks" 2>&1; then
	not_ok "no key, assertion or token in outputs: $(head -c 300 "$T_DIR/leaks")"
else
	ok "no key, assertion or token in outputs, dump, errors ($(ls "$OUT" | wc -l) files)"
fi
if sqlite3 "$T_DIR/lg.db" .dump | grep -Ff "$T_DIR/secrets" >/dev/null; then
	not_ok "no key, assertion or token in the store"
else
	ok "no key, assertion or token in the store"
fi
t_finish
