#!/bin/sh
# STARTTLS against a private Postfix (smtp-sink has none) that relays to
# smtp-sink: verified against ca_file and the host name, refused with a
# clear reason otherwise, never falling back to clear text when it is
# offered; "when-offered" sends in clear to a server without STARTTLS,
# "required" does not. Needs root for Postfix.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

if [ "$(id -u)" -ne 0 ]; then
	not_ok "the private Postfix needs root"
	t_finish
	exit 1
fi
TLS=$T_DIR/pf/tls
mkdir -p "$TLS"
tls_make_ca "$TLS" || not_ok "test certificates: $(tail -3 "$TLS/openssl.log")"
sink_start relay
RELAY_DIR=$SINK_DIR
GOOD=$(free_port)
WRONG=$(free_port)
POSTFIX_LISTENERS="good $GOOD smtpd_tls_loglevel=1
wrongname $WRONG smtpd_tls_cert_file=$TLS/wrong.example.pem smtpd_tls_key_file=$TLS/wrong.example.key"
postfix_start "$T_DIR/pf" "$SINK_PORT"
sink_start clear
CLEAR=$SINK_PORT

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

# label | port | smtp.starttls | ca_file | tls_verify | state | reason (ERE) or how it arrived
CASES="required, the right CA|$GOOD|required|ca.pem|true|sent|with ESMTPS
required, another CA|$GOOD|required|other-ca.pem|true|deferred|^TLS: the certificate of localhost:[0-9]+ was refused: unable to get local issuer certificate \(/CN=localhost\)\$
required, the system store only|$GOOD|required||true|deferred|^TLS: the certificate of localhost:[0-9]+ was refused: unable to get local issuer certificate \(/CN=localhost\)\$
required, a certificate for another name|$WRONG|required|ca.pem|true|deferred|^TLS: the certificate of localhost:[0-9]+ was refused: hostname mismatch \(/CN=wrong.example\)\$
required, another CA, verification off|$GOOD|required|other-ca.pem|false|sent|with ESMTPS
when-offered, another CA: no fallback to clear text|$GOOD|when-offered|other-ca.pem|true|deferred|^TLS: the certificate of localhost:[0-9]+ was refused: unable to get local issuer
off, to Postfix: in clear|$GOOD|off|ca.pem|true|sent|with ESMTP
when-offered, to smtp-sink (no STARTTLS): in clear|$CLEAR|when-offered|ca.pem|true|sent|clear
required, to smtp-sink (no STARTTLS)|$CLEAR|required|ca.pem|true|deferred|^localhost:[0-9]+ does not offer STARTTLS \(smtp\.starttls = required\)\$"

n=0
while IFS='|' read -r label port mode ca verify state want; do
	n=$((n + 1))
	ca_line=""
	[ -n "$ca" ] && ca_line="ca_file = \"$TLS/$ca\";"
	lg_case "tls$n" "$(lg_smtp "$port" "starttls = \"$mode\"; \
	    tls_verify = $verify; timeout = 3;")" "$ca_line"
	lg_queue "$n"
	lg_deliver
	check_eq "$label: the run worked" "$?" 0
	check_eq "$label: $state" "$(lg_sql "select state from outgoing")" \
	    "$state"
	if [ "$state" = deferred ]; then
		reason=$(lg_sql "select last_reply from outgoing")
		if echo "$reason" | grep -Eq -- "$want"; then
			ok "$label: the reason"
		else
			not_ok "$label: the reason [$reason] does not match /$want/"
		fi
	elif [ "$want" = clear ]; then
		check_grep "$label: arrived without TLS" '^X-Client-Proto: ESMTP$' \
		    "$(sink_file_of "<$n@test.example>")"
	else
		f=$(relayed "<$n@test.example>")
		if [ -z "$f" ]; then
			not_ok "$label: relayed to the sink"
		else
			check_grep "$label: Postfix received it $want" \
			    "by localhost \(Postfix\) $want id" "$f"
		fi
	fi
done <<EOF
$CASES
EOF
check_grep "Postfix logged the verified TLS session" \
    'Anonymous TLS connection established from localhost' "$T_DIR/pf/maillog"

# Ten STARTTLS sessions in one run, two at a time, sharing one SSL_CTX,
# with TLS 1.3 allowed: a session ticket arriving after the handshake
# must not stall a session until the timeout (it did with libESMTP).
lg_case sessions "$(lg_smtp "$GOOD" "starttls = \"required\"; \
    connections = 2; timeout = 5;")" "ca_file = \"$TLS/ca.pem\";" \
    "delivery = { batch = 1; };"
for i in 11 12 13 14 15 16 17 18 19 20; do lg_queue "$i"; done
lg_deliver
check_eq "ten STARTTLS sessions in one run" "$(cat "$LG_HOME/deliver.out")" \
    "10 sent, 0 deferred, 0 failed"
for i in 11 12 13 14 15 16 17 18 19 20; do
	check "message $i relayed" test -n "$(relayed "<$i@test.example>")"
done

# Settings that cannot work stop the run before it connects (exit 78).
lg_case badca "$(lg_smtp "$GOOD" "starttls = \"required\";")" \
    "ca_file = \"$TLS/missing.pem\";"
lg_queue 1
lg_deliver
check_eq "a missing ca_file: exit 78" "$?" 78
check_grep "a missing ca_file: the reason" \
    "^leadgate: deliver: ca_file $TLS/missing.pem: .*No such file" \
    "$LG_HOME/deliver.err"
check_eq "a missing ca_file: the message waits" \
    "$(lg_sql "select state || ' ' || attempts from outgoing")" "queued 0"
t_finish
