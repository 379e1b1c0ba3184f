# A real SMTP server taking AUTH XOAUTH2 and OAUTHBEARER on loopback: a
# private Postfix smtpd (STARTTLS, smtpd_tls_auth_only = yes) using a
# private Dovecot's SASL with its oauth2 passdb, which asks a small
# introspection responder (tests/lib/introspect.py) about each token
# (LIBS.md section 9, "OAuth2 peers on loopback"). Source after
# common.sh and smtp.sh; needs root. Everything is stopped by at_exit.

# introspect_start DIR [REFRESH_FILE FRESH_TOKEN]: the responder, reading
# the good tokens from DIR/tokens ("token user" lines) and logging each
# request in DIR/introspect.log. Sets INTROSPECT_PORT.
introspect_start() {
	is_dir=$1
	shift
	mkdir -p "$is_dir"
	touch "$is_dir/tokens" "$is_dir/introspect.log"
	INTROSPECT_PORT=$(free_port)
	python3 "$TOP/tests/lib/introspect.py" "$INTROSPECT_PORT" \
	    "$is_dir/tokens" "$is_dir/introspect.log" "$@" \
	    2>"$is_dir/introspect.err" &
	at_exit "kill $!"
	wait_port "$INTROSPECT_PORT" 10 ||
	    not_ok "the introspection responder did not start"
}

# dovecot_oauth_start DIR: Dovecot serving only authentication, XOAUTH2
# and OAUTHBEARER through the oauth2 passdb against the responder on
# $INTROSPECT_PORT, on the socket DIR/auth-postfix. The per-IP auth
# penalty is off: refused tokens would slow every later login (and
# Postfix would answer 454).
dovecot_oauth_start() {
	do_dir=$1
	mkdir -p "$do_dir/run" "$do_dir/state"
	cat >"$do_dir/oauth2.conf" <<DOEOF
introspection_mode = auth
introspection_url = http://127.0.0.1:$INTROSPECT_PORT/introspect
username_attribute = username
send_auth_headers = yes
DOEOF
	cat >"$do_dir/dovecot.conf" <<DOEOF
protocols =
listen = 127.0.0.1
base_dir = $do_dir/run
state_dir = $do_dir/state
log_path = $do_dir/dovecot.log
ssl = no
auth_mechanisms = xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $do_dir/oauth2.conf
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$do_dir/home/%u
}
service auth {
  unix_listener $do_dir/auth-postfix {
    mode = 0666
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
DOEOF
	if ! dovecot -c "$do_dir/dovecot.conf" >"$do_dir/start.log" 2>&1; then
		not_ok "dovecot did not start: $(cat "$do_dir/start.log")"
		return 1
	fi
	at_exit "kill \$(cat $do_dir/run/master.pid)"
	i=0
	while [ ! -S "$do_dir/auth-postfix" ] && [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	[ -S "$do_dir/auth-postfix" ] || not_ok "dovecot's auth socket is missing"
}

# smtpd_oauth_start DIR RELAY_PORT: Dovecot (DIR/dv) and Postfix (DIR/pf,
# test certificates in DIR/pf/tls) relaying what it accepts to
# 127.0.0.1:RELAY_PORT. Call introspect_start first. Sets
# OAUTH_SMTPD_PORT (AUTH only after STARTTLS), OAUTH_XONLY_PORT (the same,
# offering XOAUTH2 alone) and OAUTH_CLEAR_PORT (AUTH offered without
# STARTTLS, what a STARTTLS-stripping attacker shows).
smtpd_oauth_start() {
	so_dir=$1
	mkdir -p "$so_dir/pf/tls"
	tls_make_ca "$so_dir/pf/tls" ||
	    not_ok "test certificates: $(tail -3 "$so_dir/pf/tls/openssl.log")"
	dovecot_oauth_start "$so_dir/dv" || return 1
	OAUTH_SMTPD_PORT=$(free_port)
	OAUTH_CLEAR_PORT=$(free_port)
	OAUTH_XONLY_PORT=$(free_port)
	so_sasl="smtpd_sasl_auth_enable=yes smtpd_sasl_type=dovecot \
smtpd_sasl_path=$so_dir/dv/auth-postfix mynetworks= \
smtpd_relay_restrictions=permit_sasl_authenticated,reject"
	POSTFIX_LISTENERS="oauth $OAUTH_SMTPD_PORT $so_sasl smtpd_tls_auth_only=yes
xonly $OAUTH_XONLY_PORT $so_sasl smtpd_tls_auth_only=yes smtpd_sasl_mechanism_filter=xoauth2
clear $OAUTH_CLEAR_PORT $so_sasl smtpd_tls_auth_only=no smtpd_tls_security_level=none"
	postfix_start "$so_dir/pf" "$2"
}
