#!/bin/sh
# OAuth2 mailboxes against real peers on loopback: a token service
# (tests/lib/tokensvc.py: token, device, authorize and introspection
# endpoints; it can expire, rotate and revoke tokens) and Dovecot with its
# oauth2 passdb (introspection_mode = auth) pointed at it.
#   - `oauth login` through the device flow (authorization_pending and
#     slow_down honoured), and through the browser flow (PKCE S256);
#   - IMAP AUTHENTICATE XOAUTH2 and OAUTHBEARER; mail becomes leads;
#   - access tokens expired at the server mid-run: refused, renewed
#     once, nothing lost;
#   - a rotated refresh token survives a SIGKILL right after rotation;
#   - a revoked grant: the connector stops with "re-authorise with
#     `leadgate oauth login NAME`", `status` and `oauth status` say so,
#     the other connector goes on; after a new login the mail that waited
#     meanwhile arrives;
#   - a grant without the scope, and a server not offering the mechanism:
#     clear messages;
#   - no token, code or secret in the logs, `status`, `oauth status`,
#     `config check --dump`, error messages or the store.
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

D=$T_DIR/dove
mkdir -p "$D"
# dove_oauth_conf MECHS: a Dovecot whose only passdb is oauth2. The auth
# penalty is off: refusals are provoked on purpose (LIBS.md section 9).
dove_oauth_conf() {
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
auth_mechanisms = $1
passdb {
  driver = oauth2
  mechanisms = $1
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
}
dove_certs "$D" && mkdir -p "$D/run" "$D/state" "$D/home" &&
    chmod go+x "$D" && chown 65534:65534 "$D/home" &&
    dove_free_port >"$D/imap.port" && dove_free_port >"$D/imaps.port" ||
    { not_ok "dovecot setup"; t_finish; exit 1; }
dove_oauth_conf "xoauth2 oauthbearer"
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start main || { t_finish; exit 1; }

printf 'csecret-1\n' >"$T_DIR/client.secret"
chmod 600 "$T_DIR/client.secret"
IMAPPORT=$(cat "$D/imap.port")
cat >"$T_DIR/leadgate.conf" <<CONF
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
oauth = (
  # The Microsoft preset with its URLs pointed at the local service.
  { name = "m365"; provider = "microsoft"; tenant = "contoso";
    client_id = "leadgate-test"; client_secret_file = "$T_DIR/client.secret";
    token_url = "$TURL/token"; device_url = "$TURL/device";
    authorize_url = "$TURL/authorize";
    scopes = [ "imap", "smtp", "offline_access" ]; },
  { name = "carol"; provider = "generic"; client_id = "leadgate-test";
    client_secret_env = "LG_TEST_SECRET";
    token_url = "$TURL/token"; device_url = "$TURL/device";
    scopes = [ "imap" ]; },
  { name = "narrow"; provider = "generic"; client_id = "leadgate-test";
    client_secret_file = "$T_DIR/client.secret";
    token_url = "$TURL/token"; device_url = "$TURL/device";
    authorize_url = "$TURL/authorize"; scopes = [ "smtp" ]; }
);
connectors = (
  { name = "inbox"; type = "imap"; host = "localhost"; port = $IMAPPORT;
    tls = "starttls"; user = "alice"; auth = "xoauth2"; oauth = "m365";
    idle = true; interval = 60; timeout = 5; reconnect_max = 2; },
  { name = "other"; type = "imap"; host = "localhost"; port = $IMAPPORT;
    tls = "starttls"; user = "carol"; auth = "oauthbearer";
    oauth = "carol"; idle = true; interval = 60; timeout = 5;
    reconnect_max = 2; },
  { name = "scoped"; type = "imap"; host = "localhost"; port = $IMAPPORT;
    tls = "starttls"; user = "alice"; auth = "xoauth2"; oauth = "narrow";
    folders = [ "Scoped" ]; timeout = 5; reconnect_max = 2; }
);
CONF
export LEADGATE_CONFIG="$T_DIR/leadgate.conf" LG_TEST_SECRET=csecret-1
LG=$LEADGATE
OUT=$T_DIR/outputs	# everything leadgate printed, for the secret check
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
link_of() {
	"$LG" status --json | python3 -c 'import json, sys
for c in json.load(sys.stdin)["connectors"]:
    if c["name"] == sys.argv[1]: print(c.get("link"))' "$1"
}
link_is() { [ "$(link_of "$1")" = "$2" ]; }
leads() { "$LG" leads list --json | grep -c '"id"'; }
has_leads() { [ "$(leads)" -ge "$1" ]; }
refresh_of() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["refresh_token"])' "$1" 2>/dev/null
}
rotated() { [ "$(refresh_of "$G")" != "$1" ]; }
connected_twice() { [ "$(grep -c "imap: $1: connected to" "$LOG")" -ge 2 ]; }
# mail_n N: an inquiry of its own prospect (a new lead each).
mail_n() {
	sed -e "s/max\.mueller@example\.de/p$1@example.de/g" \
	    -e "s/7f3c2a91/7f3c2a9$1/g" -e "s/2345678/234560$1/g" \
	    "$TOP/tests/data/parse/immoscout24/plain-utf8.eml" >"$T_DIR/mail$1.eml"
	echo "$T_DIR/mail$1.eml"
}

# --- configuration and the first login ---
check "config check accepts the oauth blocks" "$LG" config check
"$LG" config check --dump >"$OUT/dump" 2>&1
"$LG" oauth status >"$OUT/status0" 2>&1
check_grep "oauth status before a login: no grant" '^m365 +no grant' \
    "$OUT/status0"
"$LG" poll --connector inbox >"$OUT/poll0" 2>&1
check_grep "a connector without a grant says how to get one" \
    "re-authorise with .leadgate oauth login m365" "$OUT/poll0"

ctl "set?pending=1&slow_down=1&user=alice"
"$LG" oauth login inbox >"$OUT/login1" 2>&1
check_eq "oauth login inbox (device flow) succeeds" "$?" 0
check_grep "it prints the address and the code" \
    "open $TURL/verify and enter the code WXYZ-1234" "$OUT/login1"
check_eq "it polled through slow_down and authorization_pending" \
    "$(stat_of token_urn:ietf:params:oauth:grant-type:device_code)" 3
G=$T_DIR/oauth/m365.json
check_eq "the grant file is mode 0600" "$(stat -c %a "$G")" 600
check_eq "no temporary file is left" "$(ls "$T_DIR/oauth" | grep -c tmp)" 0
ctl "set?pending=0&slow_down=0&user=carol"
"$LG" oauth login other >"$OUT/login2" 2>&1
check_eq "oauth login through a connector's name (carol)" "$?" 0
ctl "set?user=alice"
# The browser flow: the authorization address, then the address the
# browser is sent back to (fetched here without following the redirect).
mkfifo "$T_DIR/paste"
"$LG" oauth login narrow --browser <"$T_DIR/paste" >"$OUT/login3" 2>&1 &
LPID=$!
exec 7>"$T_DIR/paste"
wait_for 10 grep -q "^$TURL/authorize?" "$OUT/login3"
check_grep "the browser address carries an S256 challenge" \
    "^$TURL/authorize?.*code_challenge_method=S256" "$OUT/login3"
python3 -c 'import sys, urllib.request, urllib.error
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a): return None
try:
    urllib.request.build_opener(NoRedirect).open(sys.argv[1])
except urllib.error.HTTPError as e:
    print(e.headers["Location"])' "$(grep "^$TURL/authorize?" "$OUT/login3")" >&7
exec 7>&-
wait "$LPID"
check_eq "oauth login --browser (PKCE) succeeds" "$?" 0
"$LG" oauth status >"$OUT/status1" 2>&1
check_grep "oauth status: m365 ok, used by inbox" '^m365 +ok .* inbox ' \
    "$OUT/status1"

# --- the daemon ---
dove_mkbox "$D" alice Scoped
LOG=$OUT/daemon.log
"$LG" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "XOAUTH2: inbox connects" wait_for 30 grep -q \
    "imap: inbox: connected to localhost:.* as alice" "$LOG"
check "OAUTHBEARER: other connects" wait_for 30 grep -q \
    "imap: other: connected to localhost:.* as carol" "$LOG"
dove_save "$D" alice INBOX "$(mail_n 1)"
dove_save "$D" carol INBOX "$(mail_n 2)"
check "mail of both mailboxes becomes leads" wait_for 60 has_leads 2
check "wrong scope: refused twice, with the grant named" wait_for 30 grep -q \
    "AUTHENTICATE XOAUTH2 as alice refused twice.*grant 'narrow' have the scope" \
    "$LOG"

# Access tokens expire at the server mid-run: the reconnect is refused
# once, the token renewed, the session goes on.
r0=$(stat_of token_refresh_token)
ctl expire
dove_kick "$D" alice
check "expired mid-run: the connector reconnects" \
    wait_for 30 connected_twice inbox
check "expired mid-run: the token was renewed" \
    [ "$(stat_of token_refresh_token)" -gt "$r0" ]
dove_save "$D" alice INBOX "$(mail_n 3)"
check "expired mid-run: nothing lost, the next mail becomes a lead" \
    wait_for 60 has_leads 3

# A rotated refresh token, and a SIGKILL right after it was written.
old=$(refresh_of "$G")
ctl expire
dove_kick "$D" alice
wait_for 30 rotated "$old"
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
check "the refresh token was rotated before the kill" rotated "$old"
check_eq "the grant file is whole JSON, mode 0600, after the kill" \
    "$(refresh_of "$G" | cut -c1-3) $(stat -c %a "$G")" "rt- 600"
ig0=$(stat_of invalid_grant)
ctl expire
LOG=$OUT/daemon2.log
"$LG" run 2>"$LOG" &
DPID=$!
at_exit "kill -9 $DPID"
check "after the kill: the rotated refresh token renews the access" \
    wait_for 30 grep -q "imap: inbox: connected to localhost:.* as alice" "$LOG"
check_eq "after the kill: no invalid_grant" "$(stat_of invalid_grant)" "$ig0"
dove_save "$D" alice INBOX "$(mail_n 4)"
check "after the kill: mail becomes a lead" wait_for 60 has_leads 4

# The grant is revoked: inbox stops, other goes on.
ctl "revoke?user=alice"
dove_kick "$D" alice
check "revoked: the log says to re-authorise" wait_for 30 grep -q \
    "inbox.*re-authorise with .leadgate oauth login m365" "$LOG"
check "revoked: status shows inbox needs a login" \
    wait_for 30 link_is inbox needs-login
"$LG" status >"$OUT/status-revoked" 2>&1
check_grep "status in words" "^inbox .*needs-login: re-authorise with .leadgate oauth login m365" \
    "$OUT/status-revoked"
"$LG" oauth status >"$OUT/ostatus-revoked" 2>&1
check_grep "oauth status: needs login" '^m365 +needs login' \
    "$OUT/ostatus-revoked"
dove_save "$D" alice INBOX "$(mail_n 5)"
dove_save "$D" carol INBOX "$(mail_n 6)"
check "revoked: the other connector goes on" wait_for 60 has_leads 5
check "revoked: the daemon is still running" kill -0 "$DPID"
n=$(stat_of invalid_grant)
sleep 5
check_eq "a dead grant is not sent to the server again" \
    "$(stat_of invalid_grant)" "$n"
"$LG" oauth login m365 >"$OUT/login4" 2>&1
check_eq "a new login" "$?" 0
check "after the new login the mail that waited becomes a lead" \
    wait_for 60 has_leads 6
check "status shows inbox connected again" wait_for 30 sh -c \
    "[ \"\$('$LG' status --json | python3 -c 'import json,sys
print([c[\"link\"] for c in json.load(sys.stdin)[\"connectors\"] if c[\"name\"] == \"inbox\"][0])')\" != needs-login ]"
kill "$DPID"
wait "$DPID" 2>/dev/null

# The server does not offer the mechanism.
dove_stop "$D"
dove_oauth_conf "xoauth2"
dove_start "$D" || not_ok "dovecot restart (xoauth2 only)"
"$LG" poll --connector other >"$OUT/poll-mech" 2>&1
check_grep "no OAUTHBEARER at the server: said so" \
    "does not offer AUTH=OAUTHBEARER" "$OUT/poll-mech"

# Not one token, code or secret anywhere leadgate wrote or printed.
"$LG" status >"$OUT/status-end" 2>&1
"$LG" status --json >"$OUT/status-end.json" 2>&1
"$LG" oauth status >"$OUT/ostatus-end" 2>&1
"$LG" config check --dump >"$OUT/dump2" 2>&1
echo csecret-1 >>"$TS/issued"
check "tokens were issued (the check below has something to look for)" \
    [ "$(wc -l <"$TS/issued")" -gt 10 ]
if grep -rFf "$TS/issued" "$OUT" >"$T_DIR/leaks" 2>&1; then
	not_ok "no token or secret in logs, status, dump or errors: $(head -3 "$T_DIR/leaks")"
else
	ok "no token or secret in logs, status, dump or errors ($(ls "$OUT" | wc -l) files)"
fi
if sqlite3 "$T_DIR/lg.db" .dump | grep -Ff "$TS/issued" >/dev/null; then
	not_ok "no token or secret in the store"
else
	ok "no token or secret in the store"
fi
t_finish
