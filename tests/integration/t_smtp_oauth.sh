#!/bin/sh
# SMTP AUTH XOAUTH2 and OAUTHBEARER (RFC 7628) against a real Postfix
# smtpd using Dovecot's SASL with its oauth2 passdb and a small
# introspection responder (tests/lib/smtpd_oauth.sh): a good token sends;
# a refused token is asked for again (force = 1) once, and a token
# refreshed meanwhile then sends; a bad token is refused after the
# server's error challenge is answered (no hang: the reason is the 535,
# not a timeout) and stops the run; a server without the mechanism says
# so; AUTH never goes out before STARTTLS, and no token appears in any
# log, store or message. The token comes from smtp.password_file (the
# default token source of spool/smtpc.c). Needs root.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/smtpd_oauth.sh"

if [ "$(id -u)" -ne 0 ]; then
	not_ok "the private Postfix and Dovecot need root"
	t_finish
	exit 1
fi
GOOD=tok-good-4f1c9a7e2b
FRESH=tok-fresh-8d2e6b1a3c
BAD=tok-bad-0a9b8c7d6e
STALE=tok-stale-5e4d3c2b1a
IS=$T_DIR/is
sink_start relay
RELAY_DIR=$SINK_DIR
introspect_start "$IS" "$T_DIR/refresh.token" "$FRESH"
printf '%s alice\n%s alice\n' "$GOOD" "$FRESH" >"$IS/tokens"
smtpd_oauth_start "$T_DIR/so" "$SINK_PORT"
CA=$T_DIR/so/pf/tls/ca.pem
MAILLOG=$T_DIR/so/pf/maillog
for t in good bad; do
	eval "printf '%s\n' \"\$$(echo "$t" | tr a-z A-Z)\"" >"$T_DIR/$t.token"
	chmod 600 "$T_DIR/$t.token"
done
printf '%s\n' "$STALE" >"$T_DIR/refresh.token"
chmod 600 "$T_DIR/refresh.token"

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

# requests: how many the introspection responder has answered.
requests() {
	wc -l <"$IS/introspect.log" | tr -d ' '
}

# label | port | smtp.auth | token file | state | mechanism or reason (ERE) |
# what the token service was asked (two messages: one session each)
CASES="XOAUTH2, a good token|$OAUTH_SMTPD_PORT|xoauth2|good|sent|XOAUTH2|ok alice ok alice
OAUTHBEARER, a good token|$OAUTH_SMTPD_PORT|oauthbearer|good|sent|OAUTHBEARER|ok alice ok alice
XOAUTH2, a stale token refreshed meanwhile|$OAUTH_SMTPD_PORT|xoauth2|refresh|sent|XOAUTH2|refused ok alice ok alice
XOAUTH2, a bad token|$OAUTH_SMTPD_PORT|xoauth2|bad|deferred|^AUTH XOAUTH2 as alice failed: 535 5\.7\.8 |refused refused
OAUTHBEARER, a bad token|$OAUTH_SMTPD_PORT|oauthbearer|bad|deferred|^AUTH OAUTHBEARER as alice failed: 535 5\.7\.8 |refused refused
OAUTHBEARER, not offered|$OAUTH_XONLY_PORT|oauthbearer|good|deferred|^localhost:[0-9]+ offered no AUTH OAUTHBEARER for alice\$|
XOAUTH2 to a server that offers AUTH without STARTTLS|$OAUTH_CLEAR_PORT|xoauth2|good|deferred|^localhost:[0-9]+ does not offer STARTTLS: the access token of smtp\.user goes only over TLS|"

n=0
while IFS='|' read -r label port auth tok state want seen; do
	n=$((n + 1))
	before=$(requests)
	# No starttls setting: when-offered, made required by the user.
	lg_case "oauth$n" "smtp = { host = \"localhost\"; port = $port; \
	    timeout = 20; connections = 1; user = \"alice\"; \
	    auth = \"$auth\"; password_file = \"$T_DIR/$tok.token\"; };" \
	    "ca_file = \"$CA\";" "delivery = { batch = 1; };"
	lg_queue "$n"
	lg_queue "$n-2"
	LEADGATE_NOW=$LG_NOW "$LEADGATE" -v -v deliver \
	    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
	check_eq "$label: the run worked" "$?" 0
	check_eq "$label: what the token service was asked" \
	    "$(tail -n +$((before + 1)) "$IS/introspect.log" | tr '\n' ' ' |
	    sed 's/ $//')" "$seen"
	if [ "$state" = sent ]; then
		check_eq "$label: sent" "$(cat "$LG_HOME/deliver.out")" \
		    "2 sent, 0 deferred, 0 failed"
		check "$label: relayed" test -n "$(relayed "<$n@test.example>")"
		check_grep "$label: Postfix saw AUTH $want" \
		    "postfix/oauth/smtpd.*sasl_method=$want, sasl_username=alice" \
		    "$MAILLOG"
		continue
	fi
	check_eq "$label: deferred, the run stopped" \
	    "$(lg_sql "select group_concat(state || ' ' || attempts, ', ') \
	    from outgoing")" "deferred 1, queued 0"
	reason=$(lg_sql "select last_reply from outgoing where id = 1")
	if echo "$reason" | grep -Eq -- "$want"; then
		ok "$label: the reason"
	else
		not_ok "$label: the reason [$reason] does not match /$want/"
	fi
	check_eq "$label: nothing relayed" \
	    "$(SINK_DIR=$RELAY_DIR sink_file_of "<$n@test.example>")" ""
done <<EOF
$CASES
EOF
check_eq "no AUTH reached the listener without STARTTLS" \
    "$(grep -c 'postfix/clear/smtpd.*sasl_' "$MAILLOG")" 0
check_eq "AUTH was never tried before STARTTLS (no 503 to AUTH)" \
    "$(grep -c 'AUTH.*5\.5\.1\|503 5\.5\.1' "$MAILLOG")" 0

# No token is in any log, store or message: as given, and base64 as the
# XOAUTH2 initial response carries it.
for t in "$GOOD" "$FRESH" "$BAD" "$STALE"; do
	b1=$(printf 'user=alice\001auth=Bearer %s\001\001' "$t" | base64 -w0)
	hits=0
	for f in "$T_DIR"/oauth*/deliver.err "$T_DIR"/oauth*/deliver.out \
	    "$MAILLOG" "$RELAY_DIR"/*; do
		grep -qF -e "$t" -e "$b1" "$f" && hits=$((hits + 1))
	done
	for db in "$T_DIR"/oauth*/lg.db; do
		sqlite3 "$db" .dump | grep -qF -e "$t" -e "$b1" &&
		    hits=$((hits + 1))
	done
	check_eq "the token '$t' is in no log, store or message" "$hits" 0
done

# smtp.auth names one of the three: anything else is refused at load.
mkdir -p "$T_DIR/badauth"
printf 'smtp = { user = "alice"; auth = "cram-md5"; };\n' >"$T_DIR/badauth/lg.conf"
LEADGATE_CONFIG=$T_DIR/badauth/lg.conf "$LEADGATE" config check \
    >"$T_DIR/badauth/out" 2>&1
check_eq "an unknown smtp.auth: exit 78" "$?" 78
check_grep "an unknown smtp.auth: the reason" \
    "setting smtp\.auth: 'cram-md5' is not one of password\|xoauth2\|oauthbearer" \
    "$T_DIR/badauth/out"
t_finish
