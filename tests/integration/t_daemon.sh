# The daemon against real peers: an inquiry appended to Dovecot (IMAP IDLE)
# becomes a lead whose autoreply smtp-sink receives, and the lead moves on,
# its message marked done and still unread; a hung IMAP server holds up no
# one else; SIGHUP with a broken rule file or a broken portal profile keeps
# the old set; one daemon per configuration; SIGTERM stops it; SIGKILL
# between a lead's commit and the mark on the server loses nothing and
# takes nothing twice.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dovecot.sh"
. "$TOP/tests/lib/smtp.sh"

D=$T_DIR/dove
mkdir -p "$D"
dove_setup "$D" alice || { not_ok "dovecot setup"; t_finish; exit 1; }
dove_start "$D" || { not_ok "dovecot start"; t_finish; exit 1; }
at_exit "dove_stop '$D'"
sink_start main || { t_finish; exit 1; }

# A second "server" that answers the greeting and then hangs for ever.
python3 "$TOP/tests/lib/tcpproxy.py" --port-file "$T_DIR/hung.port" \
    --target "$(cat "$D/imap.port")" --stall-server-bytes 40 &
at_exit "kill $!"
i=0
while [ ! -s "$T_DIR/hung.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

printf 'pw-alice\n' >"$T_DIR/imap.pw"
chmod 600 "$T_DIR/imap.pw"
cp "$TOP/etc/rules.conf" "$T_DIR/rules.conf"
mkdir -p "$T_DIR/profiles"
cp "$TOP"/etc/portals/mail/*.conf "$T_DIR/profiles/"
# write_conf FILE CONNECTORS: the daemon's configuration.
write_conf() {
	cat >"$1" <<CONF
store = { path = "$T_DIR/lg.db"; default_country = "DE"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$T_DIR/rules.conf";
portal_profiles = "$T_DIR/profiles";
templates = "$TOP/etc/templates";
spool = "$T_DIR/spool";
lock = "$T_DIR/leadgate.lock";
ca_file = "$D/tls/ca.pem";
log = { level = "info"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = (
$2
);
CONF
}
# inbox PORT TIMEOUT [TLS]: alice's INBOX, done by the default keyword.
inbox() {
	printf '  { name = "inbox"; type = "imap"; host = "%s";
    port = %s; tls = "%s"; user = "alice";
    password_file = "%s"; folders = [ "INBOX" ];
    idle = true; interval = 30; timeout = %s; }' \
	    "$([ "${3:-starttls}" = none ] && echo 127.0.0.1 || echo localhost)" \
	    "$1" "${3:-starttls}" "$T_DIR/imap.pw" "$2"
}
hung() {
	printf '  { name = "hung"; type = "imap"; host = "localhost";
    port = %s; tls = "starttls"; user = "alice";
    password_file = "%s"; folders = [ "INBOX" ];
    idle = true; interval = 30; timeout = 600; }' \
	    "$(cat "$T_DIR/hung.port")" "$T_DIR/imap.pw"
}
write_conf "$T_DIR/leadgate.conf" "$(inbox "$(cat "$D/imap.port")" 5),
$(hung)"
export LEADGATE_CONFIG="$T_DIR/leadgate.conf"
LG=$LEADGATE

"$LG" run 2>"$T_DIR/daemon.log" &
DPID=$!
at_exit "kill -9 $DPID"

# wait_for SECONDS CMD...: until CMD succeeds (never a timing assertion).
wait_for() {
	n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
has_leads() { [ "$("$LG" leads list --json | grep -c '"id"')" -ge "$1" ]; }
sink_has() { [ "$(sink_count)" -ge "$1" ]; }

check "the daemon is up and polling" wait_for 30 grep -q "\[inbox\] started" \
    "$T_DIR/daemon.log"
sleep 1
"$LG" run >"$T_DIR/second.out" 2>&1
check_eq "a second daemon on the same configuration is refused" "$?" 78
check_grep "it says who holds the lock" "already runs with this configuration" \
    "$T_DIR/second.out"

start=$(date +%s.%N)
dove_save "$D" alice INBOX "$TOP/tests/data/parse/immoscout24/plain-utf8.eml"
check "the inquiry became a lead (IDLE woke the connector)" wait_for 60 has_leads 1
# The log line names the message (Message-ID, folder and UID) and the rule.
check "its log line has the Message-ID, the UID and the rule" wait_for 20 \
    grep -Eq '\[inbox\] mid:[^ ]+ \(INBOX uid [0-9]+\): new lead \(contact [0-9]+, lead [0-9]+, rule [^)]+\)$' \
    "$T_DIR/daemon.log"
check "its autoreply reached the SMTP server" wait_for 60 sink_has 1
end=$(date +%s.%N)
echo "# from APPEND to the autoreply accepted: $(echo "$end - $start" | bc 2>/dev/null || python3 -c "print($end - $start)") s"
f=$(find "$SINK_DIR" -type f -name 'm.*' | head -1)
check_grep "the reply goes to the prospect, not the portal" \
    "^X-Rcpt-Args: <max.mueller@example.de>" "$f"
check_grep "the reply is marked auto-replied" "^Auto-Submitted: auto-replied" "$f"
check_grep "it answers the inquiry" \
    "^In-Reply-To: <20240312081401.7f3c2a91@immobilienscout24.de>" "$f"
check_grep "it has the null return path" "^X-Mail-Args: <>" "$f"
moved() { "$LG" leads show 1 | grep -q "phase: 3 Demande répondue"; }
check "the accepted reply moved the lead to Demande répondue" wait_for 30 moved
"$LG" leads show 1 >"$T_DIR/lead.out"
check_grep "as the phase's action in the history" \
    "Réponse à la demande \[2 -> 3\]" "$T_DIR/lead.out"
flagged() { dove_flags "$D" alice INBOX | grep -q 'LeadgateDone'; }
check "the message is marked done on the server" wait_for 30 flagged
if dove_flags "$D" alice INBOX | grep -q 'Seen'; then
	not_ok "the message is still unread for the agents: $(dove_flags "$D" alice INBOX)"
else
	ok "the message is still unread for the agents (no \\Seen)"
fi

"$LG" status --json >"$T_DIR/status.json"
check_grep "status: the connector's last poll" '"last_poll": "20' "$T_DIR/status.json"
check_grep "status: spool depth by state" '"sent": 1' "$T_DIR/status.json"
check_grep "status: counts are numbers" '"new_leads": 1,' "$T_DIR/status.json"
check_eq "status: the daemon's instance" "$(jq -r .instance "$T_DIR/status.json")" \
    "$(hostname):$DPID"
check_eq "status: it holds the connector's lease (one instance on SQLite)" \
    "$(jq -r '.connectors[] | select(.name == "inbox") | .holder' \
    "$T_DIR/status.json")" "$(hostname):$DPID"

# SIGHUP with a mistake in the rule file: refused, the old rules stay.
printf 'rules = (\n  { name = "x"; pipeline = "boats"; }\n);\n' >"$T_DIR/rules.conf"
kill -HUP $DPID
check "a broken rule file is refused with file:line" wait_for 20 grep -q \
    "reload refused.*rules.conf:2: unknown pipeline 'boats'" "$T_DIR/daemon.log"
dove_save "$D" alice INBOX "$TOP/tests/data/parse/seloger/plain-utf8.eml"
check "the old rules still work after the refused reload" wait_for 60 has_leads 2
check "and delivery goes on while the hung server holds its connector" \
    wait_for 60 sink_has 2
cp "$TOP/etc/rules.conf" "$T_DIR/rules.conf"
kill -HUP $DPID
check "a good rule file is loaded" wait_for 20 grep -q "reloaded" "$T_DIR/daemon.log"
dove_save "$D" alice INBOX "$TOP/tests/data/parse/homegate/de-plain.eml"
check "the reloaded daemon takes new inquiries" wait_for 60 has_leads 3

# SIGHUP with a mistake in a portal profile: the whole new set is refused
# (its renamed Immowelt too), the old profiles read the next inquiry.
P=$T_DIR/profiles
sed -e 's/^display = .*/display = "Immowelt Neu";/' \
    -e 's/^kind = .*/kind = "realestate";/' "$TOP/etc/portals/mail/immowelt.conf" \
    >"$P/immowelt.conf"
kill -HUP $DPID
check "a broken profile is refused with file:line" wait_for 20 grep -q \
    "reload refused.*profiles/immowelt.conf:6: kind 'realestate'" \
    "$T_DIR/daemon.log"
dove_save "$D" alice INBOX "$TOP/tests/data/parse/immowelt/plain-cp1252.eml"
check "the old profiles still read mail after the refused reload" \
    wait_for 60 has_leads 4
"$LG" leads show 4 >"$T_DIR/lead4.out"
check_grep "with the old profile's source" "source: Immowelt$" \
    "$T_DIR/lead4.out"
cp "$TOP/etc/portals/mail/immowelt.conf" "$P/immowelt.conf"
sed 's/^display = .*/display = "Immonet Neu";/' \
    "$TOP/etc/portals/mail/immonet.conf" >"$P/immonet.conf"
kill -HUP $DPID
reloads() { [ "$(grep -c "reloaded" "$T_DIR/daemon.log")" -ge 2 ]; }
check "good profiles are loaded" wait_for 20 reloads
dove_save "$D" alice INBOX "$TOP/tests/data/parse/immowelt/immonet.eml"
check "the new profiles read the next inquiry" wait_for 60 has_leads 5
"$LG" leads show 5 >"$T_DIR/lead5.out"
check_grep "with the new profile's source" "source: Immonet Neu$" \
    "$T_DIR/lead5.out"

kill -TERM $DPID
stopped() { ! kill -0 $DPID 2>/dev/null; }
check "SIGTERM stops the daemon" wait_for 30 stopped
check_grep "it says so" "stopped$" "$T_DIR/daemon.log"
if grep -q "pw-alice" "$T_DIR/daemon.log"; then
	not_ok "the password appears in the log"
else
	ok "the password never appears in the log"
fi
# SIGKILL between the commit of a lead and the mark on the server: a
# proxy holds back the UID STORE that marks the message done, and the
# daemon is killed while it waits for the answer. (Without TLS, so the
# proxy can read the commands.)
python3 "$TOP/tests/lib/tcpproxy.py" --port-file "$T_DIR/store.port" \
    --target "$(cat "$D/imap.port")" --stall-on-client "UID STORE" &
at_exit "kill $!"
i=0
while [ ! -s "$T_DIR/store.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
write_conf "$T_DIR/kill.conf" "$(inbox "$(cat "$T_DIR/store.port")" 120 none)"
marked() { [ "$(dove_flags "$D" alice INBOX | grep -c 'LeadgateDone')" -eq "$1" ]; }
leads_now() { "$LG" leads list --json | grep -c '"id"'; }
outgoing_now() { sqlite3 "$T_DIR/lg.db" 'select count(*) from outgoing'; }
inquiries_now() { sqlite3 "$T_DIR/lg.db" 'select count(*) from inquiries'; }
n0=$(dove_count "$D" alice INBOX)
check "before: every message marked done" wait_for 30 marked "$n0"
leads0=$(leads_now)
before=$(outgoing_now)
dove_save "$D" alice INBOX "$TOP/tests/data/parse/immowelt/html-latin9.eml"
"$LG" -c "$T_DIR/kill.conf" run 2>"$T_DIR/kill1.log" &
KPID=$!
at_exit "kill -9 $KPID"
check "the daemon sends the UID STORE after the lead" wait_for 60 \
    test -f "$T_DIR/store.port.hit"
kill -9 $KPID
wait $KPID
check_eq "the daemon was killed" "$?" 137
check_eq "the new lead was committed" "$(leads_now)" $((leads0 + 1))
check "and its message is not marked done" marked "$n0"
sent=$(outgoing_now)
inq=$(inquiries_now)
check_eq "with its autoreply recorded" "$sent" $((before + 1))
"$LG" -c "$T_DIR/kill.conf" run 2>"$T_DIR/kill2.log" &
KPID=$!
at_exit "kill -9 $KPID"
check "after a restart the message is marked done" wait_for 60 marked \
    $((n0 + 1))
check "without being handed over again" wait_for 30 grep -q \
    "inbox: INBOX: 1 not done, 0 handed over, 1 marked done" "$T_DIR/kill2.log"
check_eq "no lead twice" "$(leads_now)" $((leads0 + 1))
check_eq "no inquiry twice" "$(inquiries_now)" "$inq"
check_eq "no second autoreply" "$(outgoing_now)" "$sent"
if dove_flags "$D" alice INBOX | grep -q 'Seen'; then
	not_ok "all are still unread: $(dove_flags "$D" alice INBOX)"
else
	ok "all are still unread"
fi
kill -TERM $KPID
kstopped() { ! kill -0 $KPID 2>/dev/null; }
check "the restarted daemon stops" wait_for 30 kstopped
cp "$T_DIR/daemon.log" /tmp/daemon-last.log; t_finish
