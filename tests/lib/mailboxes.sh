# Many IMAP mailboxes on one Dovecot, for t_imap_many and
# bench/mailboxes.sh (POSIX sh; source it after common.sh or with T_DIR,
# TOP and dovecot.sh loaded).
#
#   mb_dovecot D N       Dovecot in D with users m1..mN, tuned to serve
#                        them all at once (few imap processes, each with
#                        many clients); started, stopped at exit by the
#                        caller's at_exit or trap
#   mb_conf FILE D N     a daemon configuration with one IMAP connector
#                        (IDLE, STARTTLS, the test CA) per user; with
#                        MB_HUNG=K and MB_HUNG_PORT=P, first K connectors
#                        h1..hK to a server on P that greets and then
#                        never answers (timeout 600 s)
#   mb_links FILE        "idle connected other" counts of status --json
#                        (the m connectors)
#   mb_fds PID           descriptors open in PID
#   mb_rss PID           resident memory of PID in kB

mb_dovecot() {
	_users=$(seq -f 'm%g' 1 "$2" | tr '\n' ' ')
	# imap-login in performance mode (one process, many clients); an
	# imap process per session, so process_limit above N (Dovecot's
	# default_process_limit of 100 turns the 101st session away).
	# shellcheck disable=SC2086
	DOVE_EXTRA_CONF='
service imap-login {
  service_count = 0
  client_limit = 4000
  process_min_avail = 1
}
service imap {
  process_limit = '$(($2 + 100))'
}
service anvil {
  client_limit = 4000
}
service auth {
  client_limit = 4000
}
mail_max_userip_connections = 50
default_client_limit = 4000
# IDLE learns of new mail by inotify, one instance per imap process; past
# fs.inotify.max_user_instances (128 here, all run as one uid) Dovecot
# looks every mailbox_idle_check_interval (30 s by default) instead.
mailbox_idle_check_interval = 1 secs
' dove_setup "$1" $_users
}

mb_conf() {
	{
		cat <<CONF
store = { path = "$T_DIR/lg.db"; default_country = "DE"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "$T_DIR/spool";
lock = "$T_DIR/leadgate.lock";
ca_file = "$2/tls/ca.pem";
log = { level = "${MB_LOG:-info}"; };
smtp = { host = "localhost"; port = ${SINK_PORT:-25}; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = (
CONF
		_i=1
		while [ "$_i" -le "${MB_HUNG:-0}" ]; do
			printf 'pw\n' >"$T_DIR/pw.h$_i"
			chmod 600 "$T_DIR/pw.h$_i"
			printf '  { name = "h%s"; type = "imap"; host = "127.0.0.1";
    port = %s; tls = "none"; user = "h%s";
    password_file = "%s"; folders = [ "INBOX" ];
    idle = true; interval = 300; timeout = 600; },\n' "$_i" \
			    "$MB_HUNG_PORT" "$_i" "$T_DIR/pw.h$_i"
			_i=$((_i + 1))
		done
		_i=1
		while [ "$_i" -le "$3" ]; do
			printf 'pw-m%s\n' "$_i" >"$T_DIR/pw.m$_i"
			chmod 600 "$T_DIR/pw.m$_i"
			[ "$_i" -gt 1 ] && printf ',\n'
			printf '  { name = "m%s"; type = "imap"; host = "localhost";
    port = %s; tls = "starttls"; user = "m%s";
    password_file = "%s"; folders = [ "INBOX" ];
    idle = true; interval = 300; timeout = 30; }' "$_i" \
			    "$(cat "$2/imap.port")" "$_i" "$T_DIR/pw.m$_i"
			_i=$((_i + 1))
		done
		printf '\n);\n'
	} >"$1"
}

mb_links() {
	"$LEADGATE" -c "$1" status --json | python3 -c 'import json, sys
c = [x for x in json.load(sys.stdin)["connectors"]
     if not x["name"].startswith("h")]
idle = sum(1 for x in c if x.get("link") == "idle")
conn = sum(1 for x in c if x.get("link") == "connected")
print(idle, conn, len(c) - idle - conn)'
}

mb_fds() {
	ls "/proc/$1/fd" | wc -l
}

mb_rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# mb_hung PORTFILE: a server that greets every connection and then says
# nothing more; its port goes to PORTFILE. Ends with its parent.
mb_hung() {
	python3 - "$1" "$$" <<'PY' &
import os, socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
s.settimeout(0.5)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    try:
        os.kill(int(sys.argv[2]), 0)
    except OSError:
        break
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.sendall(b"* OK IMAP4rev1 ready\r\n")
    held.append(c)
PY
}
