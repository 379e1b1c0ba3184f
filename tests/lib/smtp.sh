# SMTP peers for the delivery tests: Postfix's smtp-sink, and a private
# Postfix instance (its own config, queue and data directories under
# $T_DIR) for STARTTLS and AUTH, which smtp-sink lacks. Source after
# common.sh. Everything started here is stopped by at_exit.

# smtp-sink and Postfix drop root privileges to this user.
SMTP_USER=nobody

# sink_start NAME [FLAGS...]: smtp-sink on a free port, dumping one file
# per message into $SINK_DIR and its counters into $SINK_DIR.counters.
# Sets SINK_PORT, SINK_DIR and SINK_PID. FLAGS inject faults (smtp-sink(1),
# LIBS.md section 9): -r CMD (4xx), -f CMD (5xx), -q CMD (drop), -Q CMD
# (421), -A DELAY (550 after DATA), -w DELAY (slow DATA), -W CMD:DELAY.
# smtp-sink's -W answers the commands pipelined behind a delayed one
# first, out of order (RFC 2920 wants them in order): with -W, add -p so
# the sink announces no PIPELINING and the client goes in lock-step.
sink_start() {
	SINK_DIR=$T_DIR/sink-$1
	shift
	rm -rf "$SINK_DIR"
	mkdir -p "$SINK_DIR"
	sink_priv=""
	if [ "$(id -u)" -eq 0 ]; then
		chown "$SMTP_USER" "$SINK_DIR"
		sink_priv="-u $SMTP_USER"
	fi
	SINK_PORT=$(free_port)
	# shellcheck disable=SC2086
	smtp-sink $sink_priv -c "$@" -d "$SINK_DIR/m." \
	    "127.0.0.1:$SINK_PORT" 64 >"$SINK_DIR.counters" 2>"$SINK_DIR.log" &
	SINK_PID=$!
	at_exit "kill $SINK_PID"
	if ! wait_port "$SINK_PORT" 10; then
		not_ok "smtp-sink did not start: $(cat "$SINK_DIR.log")"
		return 1
	fi
}

# sink_stop: stop the sink started last (its counters are then final).
sink_stop() {
	kill "$SINK_PID" 2>/dev/null
	wait "$SINK_PID" 2>/dev/null
	return 0
}

# sink_count: how many messages the sink has received.
sink_count() {
	find "$SINK_DIR" -type f -name 'm.*' | wc -l | tr -d ' '
}

# sink_sessions: sessions the stopped sink counted (its -c counters),
# without the one of wait_port's probe in sink_start.
sink_sessions() {
	tr '\r' '\n' <"$SINK_DIR.counters" |
	    sed -n 's/^sess=\([0-9]*\) .*/\1/p' | tail -1 |
	    awk '{ print $1 - 1 }'
}

# sink_msgids: "COUNT MESSAGE-ID" for every Message-ID received.
sink_msgids() {
	find "$SINK_DIR" -type f -name 'm.*' -exec sed -n \
	    's/^Message-ID: *//p' {} + | sort | uniq -c |
	    awk '{ print $1, $2 }'
}

# sink_message FILE: a dumped message without smtp-sink's own lines (the
# X- records and its three-line Received header) and its final empty line.
sink_message() {
	awk 'done { print; next }
	    /^Received: / { skip = 2; next }
	    skip > 0 { if (--skip == 0) done = 1; next }' "$1" | sed '$d'
}

# sink_file_of MESSAGE-ID: the dump file holding that message.
sink_file_of() {
	grep -l "^Message-ID: $1\$" "$SINK_DIR"/m.* 2>/dev/null | head -1
}

# sink_idle [SECONDS]: wait until the sink holds no connection, so that it
# has finished (and dumped, or dropped) every transaction it was in.
sink_idle() {
	i=0
	while [ "$(ss -Htn state established state close-wait \
	    "( sport = :$SINK_PORT )" | wc -l)" -gt 0 ]; do
		i=$((i + 1))
		[ "$i" -le $((${1:-30} * 20)) ] || return 1
		sleep 0.05
	done
}

# connections_to PORT: established TCP connections to 127.0.0.1:PORT.
connections_to() {
	ss -Htn state established "( dport = :$1 )" | wc -l | tr -d ' '
}

# tls_make_ca DIR: a test CA and a server certificate for "localhost",
# another for the wrong name, and a second, unrelated CA (LIBS.md 9).
tls_make_ca() {
	(
	cd "$1" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
	    -days 30 -subj "/CN=leadgate test CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key \
	    -out other-ca.pem -days 30 -subj "/CN=another CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
	for name in localhost wrong.example; do
		openssl req -newkey rsa:2048 -nodes -keyout "$name.key" \
		    -out "$name.csr" -subj "/CN=$name" &&
		printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' \
		    "$name" >"$name.ext" &&
		openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -out "$name.pem" -days 30 \
		    -extfile "$name.ext" || exit 1
	done
	) >"$1/openssl.log" 2>&1
}

# postfix_start DIR RELAY_PORT [main.cf lines...]: a private Postfix in DIR
# relaying everything to 127.0.0.1:RELAY_PORT. Each "NAME PORT OPTS" line
# of $POSTFIX_LISTENERS becomes an smtpd listener on 127.0.0.1:PORT with
# the -o options OPTS. Needs root (Postfix's master runs as root).
postfix_start() {
	pf_dir=$1
	pf_relay=$2
	shift 2
	mkdir -p "$pf_dir/etc" "$pf_dir/queue" "$pf_dir/data"
	chown postfix "$pf_dir/data"
	{
		echo "compatibility_level = 3.6"
		echo "queue_directory = $pf_dir/queue"
		echo "data_directory = $pf_dir/data"
		echo "mail_owner = postfix"
		echo "setgid_group = postdrop"
		echo "inet_interfaces = 127.0.0.1"
		echo "inet_protocols = ipv4"
		echo "myhostname = localhost"
		echo "mydestination ="
		echo "mynetworks = 127.0.0.0/8"
		echo "relayhost = [127.0.0.1]:$pf_relay"
		echo "smtp_tls_security_level = none"
		echo "maillog_file_prefixes = $pf_dir"
		echo "maillog_file = $pf_dir/maillog"
		echo "smtpd_tls_cert_file = $pf_dir/tls/localhost.pem"
		echo "smtpd_tls_key_file = $pf_dir/tls/localhost.key"
		echo "smtpd_tls_security_level = may"
		echo "alias_maps ="
		echo "alias_database ="
		echo "shlib_directory = /usr/lib/postfix"
		echo "daemon_directory = /usr/lib/postfix/sbin"
		for line in "$@"; do echo "$line"; done
	} >"$pf_dir/etc/main.cf"
	postfix_master_cf "$pf_dir" >"$pf_dir/etc/master.cf"
	postfix -c "$pf_dir/etc" check >"$pf_dir/start.log" 2>&1 &&
	postfix -c "$pf_dir/etc" start >>"$pf_dir/start.log" 2>&1
	pf_rc=$?
	at_exit "postfix -c $pf_dir/etc stop >/dev/null 2>&1"
	if [ "$pf_rc" -ne 0 ]; then
		not_ok "postfix did not start: $(cat "$pf_dir/start.log" \
		    "$pf_dir/maillog" 2>/dev/null | tail -5)"
		return 1
	fi
	echo "$POSTFIX_LISTENERS" | while read -r pf_name pf_port pf_opts; do
		[ -n "$pf_port" ] || continue
		wait_port "$pf_port" 15 || echo "listener $pf_name" >>"$pf_dir/dead"
	done
	if [ -e "$pf_dir/dead" ]; then
		not_ok "postfix listeners did not open: $(cat "$pf_dir/dead")"
		return 1
	fi
}

# The services a relaying Postfix needs (and virtual(8), for tests that
# have it deliver to a Maildir), one smtpd per listener, and the lines of
# $POSTFIX_SERVICES (a pipe(8) transport, say).
postfix_master_cf() {
	[ -z "${POSTFIX_SERVICES:-}" ] || printf '%s\n' "$POSTFIX_SERVICES"
	echo "$POSTFIX_LISTENERS" | while read -r pf_name pf_port pf_opts; do
		[ -n "$pf_port" ] || continue
		echo "127.0.0.1:$pf_port inet n - n - - smtpd"
		echo "  -o syslog_name=postfix/$pf_name"
		for o in $pf_opts; do echo "  -o $o"; done
	done
	cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# dovecot_auth_start DIR USER PASSWORD: a private Dovecot serving only
# authentication (PLAIN, LOGIN) on the socket DIR/auth-postfix, for
# Postfix's smtpd_sasl_type = dovecot. Needs root.
dovecot_auth_start() {
	dv_dir=$1
	mkdir -p "$dv_dir/run" "$dv_dir/state"
	printf '%s:{PLAIN}%s\n' "$2" "$3" >"$dv_dir/passwd"
	cat >"$dv_dir/dovecot.conf" <<DVEOF
protocols =
listen = 127.0.0.1
base_dir = $dv_dir/run
state_dir = $dv_dir/state
log_path = $dv_dir/dovecot.log
ssl = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dv_dir/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$dv_dir/home/%u
}
service auth {
  unix_listener $dv_dir/auth-postfix {
    mode = 0666
  }
}
DVEOF
	if ! dovecot -c "$dv_dir/dovecot.conf" >"$dv_dir/start.log" 2>&1; then
		not_ok "dovecot did not start: $(cat "$dv_dir/start.log")"
		return 1
	fi
	at_exit "kill \$(cat $dv_dir/run/master.pid)"
	i=0
	while [ ! -S "$dv_dir/auth-postfix" ] && [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	[ -S "$dv_dir/auth-postfix" ] || not_ok "dovecot's auth socket is missing"
}
