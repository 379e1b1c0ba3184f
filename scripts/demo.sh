#!/bin/sh
# leadgate's first run: the real job on a bundled sample, with nothing else
# to install or start. Inquiries come from a Maildir of portal mails in
# several formats (etc/sample/Maildir) and from a portal API playing a
# recorded response (etc/sample/portal, served here on a loopback port);
# they become contacts and leads in demo/leadgate.db; autoreplies are
# spooled and delivered to a local SMTP sink this script starts (Postfix's
# smtp-sink; without it they stay queued and are shown); then the reports
# by phase and by source. Run it twice: nothing is created twice.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
D=${DEMO_DIR:-$top/demo}
BIN=${LEADGATE:-$top/leadgate}
mkdir -p "$D"

pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
}
# Whatever ends the demo ends its servers: a signal exits through the EXIT
# trap (`make demo | head -2` is a SIGPIPE at the first line too many).
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
	python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# The mailbox as the portals delivered it. A new copy each run: the same
# messages arrive again and are recognised by their Message-ID.
rm -rf "$D/Maildir"
cp -R etc/sample/Maildir "$D/Maildir"
mkdir -p "$D/Maildir/cur" "$D/Maildir/tmp"  # git keeps no empty directories

# The portal API: its recorded answer, over HTTP on loopback.
http_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory etc/sample/portal \
    "$http_port" >/dev/null 2>&1 &
pids="$pids $!"

# A local SMTP server that accepts and keeps every message.
smtp_port=$(free_port)
sink=""
if SMTP_SINK=$(command -v smtp-sink || ls /usr/sbin/smtp-sink 2>/dev/null); then
	mkdir -p "$D/sink"
	priv=""
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody "$D/sink"
		priv="-u nobody"
	fi
	# shellcheck disable=SC2086
	"$SMTP_SINK" $priv -d "$D/sink/%Y%m%d%H%M%S." "127.0.0.1:$smtp_port" \
	    16 >/dev/null 2>&1 &
	pids="$pids $!"
	wait_port "$smtp_port" && sink=yes
fi
wait_port "$http_port"

cat >"$D/leadgate.conf" <<CONF
# Written by scripts/demo.sh for the demo; see etc/leadgate.conf.
store = { path = "$D/leadgate.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$top/etc/rules.conf";
templates = "$top/etc/templates";
spool = "$D/spool";
lock = "$D/leadgate.lock";
log = { level = "error"; };
smtp = { host = "localhost"; port = $smtp_port; starttls = "off"; timeout = 10; };
mail = {
  from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  own_addresses = [ "info@muster-immo.example", "noreply@muster-immo.example" ];
  unsubscribe_url = "https://muster-immo.example/unsubscribe/{token}";
  unsubscribe_mailto = "unsubscribe@muster-immo.example";
};
connectors = (
  { name = "sample-mailbox"; type = "maildir"; path = "$D/Maildir"; },
  {
    name = "sample-portal"; type = "portal"; source = "Website";
    base_url = "http://127.0.0.1:$http_port";
    request = { method = "GET"; path = "/leads.json"; };
    auth = { type = "none"; };
    items = "/items";
    id = "/uid";
    fields = {
      first_name = { from = "/person/first"; transforms = [ "trim" ]; };
      last_name = { from = "/person/last"; transforms = [ "trim" ]; };
      email = { from = "/person/mail"; transforms = [ "trim", "lower" ]; };
      phones = "/person/tel";
      language = { from = "/person/lang"; default = "de"; };
      message = { join = [ "/subject", "/text" ]; sep = ": "; };
      object_ref = "/ref";
    };
    paging = { type = "none"; };
  }
);
CONF

LG="$BIN -c $D/leadgate.conf"
n=$(ls "$D/Maildir/new" | wc -l)
echo "== 1. The sample mailbox: $n messages from ImmoScout24, Immowelt, Homegate, SeLoger,"
echo "==    Leboncoin, OpenImmo-Feedback and ADF attachments, direct mail, a newsletter"
$LG poll --connector sample-mailbox
echo
echo "== 2. The sample portal API (a recorded response on http://127.0.0.1:$http_port)"
$LG poll --connector sample-portal
echo
if [ -n "$sink" ]; then
	echo "== 3. Autoreplies delivered to a local SMTP sink (127.0.0.1:$smtp_port)"
	$LG deliver
	echo "   (the delivered messages are in $D/sink/)"
else
	echo "== 3. Autoreplies (no smtp-sink here: they stay queued)"
fi
$LG spool list
echo
echo "== 4. Kept in quarantine, with the reason"
$LG quarantine list
echo
echo "== 5. Leads"
$LG leads list
echo
echo "== 6. Report by phase"
$LG report --by phase --pipeline sale
echo
echo "== 7. Report by source"
$LG report --by source
echo
echo "Run it again: the same inquiries are recognised and nothing is created twice."
echo "Try: $BIN -c $D/leadgate.conf leads show 1"
