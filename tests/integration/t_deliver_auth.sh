#!/bin/sh
# AUTH PLAIN and LOGIN against a private Postfix authenticating through a
# private Dovecot (smtpd_sasl_type = dovecot), after STARTTLS: the right
# password sends, a wrong one defers with the server's reason and stops
# the run (no data goes out unauthenticated),
# and the password appears in no log, store or message. Needs root for
# Postfix and Dovecot.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

if [ "$(id -u)" -ne 0 ]; then
	not_ok "the private Postfix and Dovecot need root"
	t_finish
	exit 1
fi
PASSWORD='Pa55-w0rd-xyzzy'
WRONG='not-the-Pa55word'
TLS=$T_DIR/pf/tls
mkdir -p "$TLS"
tls_make_ca "$TLS" || not_ok "test certificates: $(tail -3 "$TLS/openssl.log")"
dovecot_auth_start "$T_DIR/dv" alice "$PASSWORD"
sink_start relay
RELAY_DIR=$SINK_DIR
SASL="smtpd_sasl_auth_enable=yes smtpd_sasl_type=dovecot \
smtpd_sasl_path=$T_DIR/dv/auth-postfix smtpd_tls_auth_only=yes mynetworks= \
smtpd_relay_restrictions=permit_sasl_authenticated,reject"
PLAIN=$(free_port)
LOGIN=$(free_port)
NOAUTH=$(free_port)
CLEAR=$(free_port)
# clear: AUTH offered, STARTTLS not (what an attacker stripping it shows).
POSTFIX_LISTENERS="plain $PLAIN $SASL smtpd_sasl_mechanism_filter=plain
login $LOGIN $SASL smtpd_sasl_mechanism_filter=login
noauth $NOAUTH mynetworks=127.0.0.0/8
clear $CLEAR $SASL smtpd_tls_auth_only=no smtpd_tls_security_level=none"
postfix_start "$T_DIR/pf" "$SINK_PORT"
printf '%s\n' "$PASSWORD" >"$T_DIR/right.secret"
printf '%s\n' "$WRONG" >"$T_DIR/wrong.secret"
chmod 600 "$T_DIR/right.secret" "$T_DIR/wrong.secret"

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

# label | port | user | password setting | state | reason (ERE) or mechanism
CASES="PLAIN, the right password|$PLAIN|alice|password_file = \"$T_DIR/right.secret\";|sent|PLAIN
LOGIN, the right password|$LOGIN|alice|password_file = \"$T_DIR/right.secret\";|sent|LOGIN
the password from the environment|$PLAIN|alice|password_env = \"LG_TEST_SMTP_PASSWORD\";|sent|PLAIN
PLAIN, a wrong password|$PLAIN|alice|password_file = \"$T_DIR/wrong.secret\";|deferred|^AUTH PLAIN as alice failed: 535 5\.7\.8 Error: authentication failed
LOGIN, a wrong password|$LOGIN|alice|password_file = \"$T_DIR/wrong.secret\";|deferred|^AUTH LOGIN as alice failed: 535 5\.7\.8 Error: authentication failed
an unknown user|$PLAIN|bob|password_file = \"$T_DIR/right.secret\";|deferred|^AUTH PLAIN as bob failed: 535 5\.7\.8
a server without AUTH|$NOAUTH|alice|password_file = \"$T_DIR/right.secret\";|deferred|^localhost:[0-9]+ offered no AUTH PLAIN or LOGIN for alice"

export LG_TEST_SMTP_PASSWORD=$PASSWORD
n=0
while IFS='|' read -r label port user secret state want; do
	n=$((n + 1))
	lg_case "auth$n" "$(lg_smtp "$port" "starttls = \"required\"; \
	    timeout = 10; connections = 1; user = \"$user\"; $secret")" \
	    "ca_file = \"$TLS/ca.pem\";" "delivery = { batch = 1; };"
	lg_queue "$n"
	lg_queue "$n-2"
	LEADGATE_NOW=$LG_NOW "$LEADGATE" -v -v deliver \
	    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
	check_eq "$label: the run worked" "$?" 0
	if [ "$state" = sent ]; then
		check_eq "$label: sent" "$(cat "$LG_HOME/deliver.out")" \
		    "2 sent, 0 deferred, 0 failed"
		check "$label: relayed" test -n "$(relayed "<$n@test.example>")"
		check_grep "$label: Postfix saw AUTH $want" \
		    "sasl_method=$want, sasl_username=$user" "$T_DIR/pf/maillog"
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
	check_eq "$label: the address stays valid" "$(lg_sql "select \
	    invalid_address || ' ' || (select count(*) from suppression) \
	    from contacts where id = 1")" "0 0"
	check_eq "$label: nothing relayed" \
	    "$(SINK_DIR=$RELAY_DIR sink_file_of "<$n@test.example>")" ""
done <<EOF
$CASES
EOF

# A relay offering AUTH but no STARTTLS, with smtp.starttls at its
# default (when-offered): the password never goes out, the message waits
# with the reason. With starttls = "off" the admin chose clear text.
# (written by hand: lg_smtp turns STARTTLS off when not told otherwise)
lg_case authclear "smtp = { host = \"localhost\"; port = $CLEAR; \
    timeout = 10; connections = 1; user = \"alice\"; \
    password_file = \"$T_DIR/right.secret\"; };" \
    "ca_file = \"$TLS/ca.pem\";" "delivery = { batch = 1; };"
lg_queue c1
LEADGATE_NOW=$LG_NOW "$LEADGATE" -v -v deliver \
    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
check_eq "no STARTTLS, a password: the run worked" "$?" 0
check_eq "no STARTTLS, a password: deferred" \
    "$(lg_sql "select state from outgoing where id = 1")" "deferred"
reason=$(lg_sql "select last_reply from outgoing where id = 1")
check_eq "no STARTTLS, a password: the reason" "$reason" \
    "localhost:$CLEAR does not offer STARTTLS: the password of smtp.user goes only over TLS (set smtp.starttls = \"off\" to send it in clear)"
check_eq "no STARTTLS, a password: nothing relayed" \
    "$(SINK_DIR=$RELAY_DIR sink_file_of "<c1@test.example>")" ""
check_eq "no STARTTLS, a password: Postfix saw no AUTH" \
    "$(grep -c 'postfix/clear/smtpd.*sasl_username=' "$T_DIR/pf/maillog")" 0
lg_case authclearoff "$(lg_smtp "$CLEAR" "starttls = \"off\"; \
    timeout = 10; connections = 1; user = \"alice\"; \
    password_file = \"$T_DIR/right.secret\";")" \
    "delivery = { batch = 1; };"
lg_queue c2
LEADGATE_NOW=$LG_NOW "$LEADGATE" -v -v deliver \
    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
check_eq "starttls = off on purpose: sent in clear" \
    "$(cat "$LG_HOME/deliver.out")" "1 sent, 0 deferred, 0 failed"
check_grep "starttls = off on purpose: the log warns" \
    "password may cross the network in clear" "$LG_HOME/deliver.err"
check "starttls = off on purpose: relayed" \
    test -n "$(relayed "<c2@test.example>")"
check_grep "starttls = off on purpose: Postfix saw the AUTH" \
    "postfix/clear/smtpd.*sasl_method=PLAIN, sasl_username=alice" \
    "$T_DIR/pf/maillog"

# The password is in no log, no store and no message.
for p in "$PASSWORD" "$WRONG"; do
	# As given, and base64 as AUTH PLAIN (with or without authzid) and
	# AUTH LOGIN put it on the wire.
	b1=$(printf '\0alice\0%s' "$p" | base64)
	b2=$(printf 'alice\0alice\0%s' "$p" | base64)
	b3=$(printf '%s' "$p" | base64)
	hits=0
	for f in "$T_DIR"/auth*/deliver.err "$T_DIR"/auth*/deliver.out \
	    "$T_DIR"/pf/maillog "$RELAY_DIR"/*; do
		grep -qF -e "$p" -e "$b1" -e "$b2" -e "$b3" "$f" &&
		    hits=$((hits + 1))
	done
	for db in "$T_DIR"/auth*/lg.db; do
		sqlite3 "$db" .dump | grep -qF -e "$p" -e "$b1" -e "$b2" -e "$b3" &&
		    hits=$((hits + 1))
	done
	check_eq "the password '$p' is in no log, store or message" "$hits" 0
done

# Settings that cannot work: exit 78, nothing attempted.
lg_case nopass "$(lg_smtp "$PLAIN" "user = \"alice\";")"
lg_queue 1
lg_deliver
check_eq "a user without a password: exit 78" "$?" 78
check_eq "a user without a password: the reason" "$(cat "$LG_HOME/deliver.err")" \
    "leadgate: deliver: smtp.user is set but neither smtp.password_file nor smtp.password_env"
lg_config "$(lg_smtp "$PLAIN" "user = \"alice\"; \
    password_file = \"$T_DIR/missing.secret\";")"
lg_deliver
check_eq "a missing password file: exit 78" "$?" 78
check_eq "a missing password file: the reason" "$(cat "$LG_HOME/deliver.err")" \
    "leadgate: deliver: smtp password: secret file $T_DIR/missing.secret: No such file or directory"
lg_config "$(lg_smtp "$PLAIN" "user = \"alice\"; \
    password_env = \"LG_TEST_UNSET_PASSWORD\";")"
lg_deliver
check_eq "an unset password variable: exit 78" "$?" 78
check_eq "an unset password variable: the reason" "$(cat "$LG_HOME/deliver.err")" \
    "leadgate: deliver: smtp password: environment variable LG_TEST_UNSET_PASSWORD is not set"
check_eq "settings refused: the message waits" \
    "$(lg_sql "select state || ' ' || attempts from outgoing")" "queued 0"
t_finish
