# A private Dovecot for tests and benchmarks (POSIX sh; source it).
# Everything lives in one directory D: configuration, certificates,
# passwd file, Maildirs, logs, sockets. Dovecot runs as root with a static
# userdb of uid 65534 (see LIBS.md section 9) and listens on 127.0.0.1 only,
# on free ports written to D/imap.port and D/imaps.port.
#
#   dove_certs D                 test CA + good, wrong-host, self-signed certs
#   dove_setup D USER...         write D/dovecot.conf (password "pw-USER");
#                                settings in $DOVE_EXTRA_CONF are appended
#   dove_start D [OWNER_PID]     start; stopped when OWNER_PID (default: the
#                                caller's shell) exits, even after SIGKILL
#   dove_stop D                  stop and wait until it is gone
#   dove_use_cert D KIND         serve KIND (good|wronghost|selfsigned); restart
#   dove_save D USER FOLDER FILE add a message (doveadm save)
#   dove_flags D USER FOLDER     "UID FLAGS" per message, one a line
#   dove_count D USER FOLDER     number of messages
#   dove_mkbox D USER FOLDER     create a folder
#   dove_uidvalidity D USER FOLDER [VALUE]  print, or set, UIDVALIDITY
#   dove_kick D USER             disconnect the user's IMAP sessions
#   dove_maildir D USER          path of the user's Maildir

DOVE_PASSWORD_PREFIX=pw-

dove_free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

dove_wait_port() {
	python3 - "$1" "${2:-20}" <<'PY'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# dove_cert_sign D NAME SAN: a server key and certificate signed by the CA.
dove_cert_sign() {
	openssl req -newkey rsa:2048 -nodes -keyout "$1/tls/$2.key" \
	    -out "$1/tls/$2.csr" -subj "/CN=$2" 2>/dev/null || return 1
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$3" \
	    >"$1/tls/$2.ext"
	openssl x509 -req -in "$1/tls/$2.csr" -CA "$1/tls/ca.pem" \
	    -CAkey "$1/tls/ca.key" -CAcreateserial -out "$1/tls/$2.pem" \
	    -days 30 -extfile "$1/tls/$2.ext" 2>/dev/null
}

dove_certs() {
	[ -f "$1/tls/good.pem" ] && return 0
	mkdir -p "$1/tls" || return 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/tls/ca.key" \
	    -out "$1/tls/ca.pem" -days 30 -subj "/CN=leadgate test CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null &&
	dove_cert_sign "$1" good "DNS:localhost,IP:127.0.0.1" &&
	dove_cert_sign "$1" wronghost "DNS:wrong.example" &&
	openssl req -x509 -newkey rsa:2048 -nodes \
	    -keyout "$1/tls/selfsigned.key" -out "$1/tls/selfsigned.pem" \
	    -days 30 -subj "/CN=localhost" \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null &&
	cp "$1/tls/good.pem" "$1/tls/server.pem" &&
	cp "$1/tls/good.key" "$1/tls/server.key"
}

dove_setup() {
	_d=$(cd "$1" && pwd) || return 1
	shift
	dove_certs "$_d" || return 1
	mkdir -p "$_d/run" "$_d/state" "$_d/home" || return 1
	# Dovecot's auth (user dovecot) and mail (uid 65534) processes pass.
	chmod go+x "$_d"
	chown 65534:65534 "$_d/home"
	: >"$_d/passwd"
	for _u in "$@"; do
		printf '%s:{PLAIN}%s%s\n' "$_u" "$DOVE_PASSWORD_PREFIX" "$_u" \
		    >>"$_d/passwd"
	done
	[ -f "$_d/imap.port" ] || dove_free_port >"$_d/imap.port"
	[ -f "$_d/imaps.port" ] || dove_free_port >"$_d/imaps.port"
	cat >"$_d/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $_d/run
state_dir = $_d/state
log_path = $_d/dovecot.log
ssl = yes
ssl_cert = <$_d/tls/server.pem
ssl_key = <$_d/tls/server.key
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $_d/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$_d/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = $(cat "$_d/imap.port")
  }
  inet_listener imaps {
    port = $(cat "$_d/imaps.port")
    ssl = yes
  }
}
${DOVE_EXTRA_CONF:-}
EOF
}

dove_conf() {
	echo "$1/dovecot.conf"
}

dove_start() {
	_owner=${2:-$$}
	# Its stdio must not hold the caller's pipes open (popen, $(...)).
	if ! dovecot -c "$(dove_conf "$1")" </dev/null >"$1/start.log" 2>&1
	then
		cat "$1/start.log" >&2
		return 1
	fi
	dove_wait_port "$(cat "$1/imap.port")" &&
	    dove_wait_port "$(cat "$1/imaps.port")" || return 1
	# A watchdog: stop this Dovecot when its owner is gone, however it
	# died. It ignores the signals timeout(1) sends the whole group.
	(
		trap '' HUP INT TERM
		while kill -0 "$_owner" 2>/dev/null &&
		    [ -f "$1/run/master.pid" ]; do
			sleep 1
		done
		dove_stop "$1"
	) </dev/null >/dev/null 2>&1 &
}

dove_stop() {
	[ -f "$1/run/master.pid" ] || return 0
	_pid=$(cat "$1/run/master.pid")
	# Callers may run under set -e: a process already gone is no error.
	kill "$_pid" 2>/dev/null || true
	_n=0
	while kill -0 "$_pid" 2>/dev/null && [ "$_n" -lt 200 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	kill -9 "$_pid" 2>/dev/null || true
	rm -f "$1/run/master.pid"
}

dove_use_cert() {
	cp "$1/tls/$2.pem" "$1/tls/server.pem" &&
	cp "$1/tls/$2.key" "$1/tls/server.key" &&
	dove_stop "$1" && dove_start "$1" "${3:-$$}"
}

dove_adm() {
	_d=$1
	shift
	doveadm -c "$(dove_conf "$_d")" "$@"
}

dove_save() {
	dove_adm "$1" save -u "$2" -m "$3" <"$4"
}

dove_flags() {
	dove_adm "$1" -f tab fetch -u "$2" "uid flags" mailbox "$3" |
	    sed '1d; s/\t/ /'
}

dove_count() {
	dove_adm "$1" -f tab mailbox status -u "$2" messages "$3" |
	    awk -F '\t' 'NR == 2 { print $2 }'
}

dove_mkbox() {
	dove_adm "$1" mailbox create -u "$2" "$3"
}

dove_uidvalidity() {
	if [ -n "${4:-}" ]; then
		dove_adm "$1" mailbox update -u "$2" --uid-validity "$4" "$3"
	else
		dove_adm "$1" -f tab mailbox status -u "$2" uidvalidity "$3" |
		    awk -F '\t' 'NR == 2 { print $2 }'
	fi
}

dove_kick() {
	dove_adm "$1" kick "$2" >/dev/null
}

dove_maildir() {
	echo "$1/home/$2/Maildir"
}
