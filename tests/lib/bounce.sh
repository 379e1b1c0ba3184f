# Bounces for the bounce tests: reports as MTAs write them, about the
# messages smtp-sink received, dropped into a Maildir. Source after
# common.sh, smtp.sh and delivery.sh.

BOUNCE_DOMAIN=muster-immo.example
BOUNCE_VERP="bounces+{id}-{hmac}@$BOUNCE_DOMAIN"

# bounce_config [MORE LINES]: the case's configuration: the sample
# templates and rules, smtp-sink as the relay, and the connectors of
# $BOUNCE_CONNECTORS, by default a Maildir connector "bounces". The VERP
# secret is made in $LG_HOME/verp.key (verp_lines adds the block).
bounce_config() {
	[ -s "$LG_HOME/verp.key" ] || {
		printf 'test-verp-secret-%s\n' "$$" >"$LG_HOME/verp.key"
		chmod 600 "$LG_HOME/verp.key"
	}
	mkdir -p "$LG_HOME/Maildir/new" "$LG_HOME/Maildir/cur" \
	    "$LG_HOME/Maildir/tmp"
	lg_config "templates = \"$TOP/etc/templates\";" \
	    "rules = \"${BOUNCE_RULES:-$TOP/etc/rules.conf}\";" \
	    'log = { level = "warn"; };' \
	    "mail = { from = \"Immobilien Muster AG <info@$BOUNCE_DOMAIN>\";" \
	    "  domain = \"$BOUNCE_DOMAIN\";" \
	    "  unsubscribe_url = \"https://$BOUNCE_DOMAIN/u/{token}\"; };" \
	    "$(lg_smtp "$SINK_PORT")" \
	    "connectors = ( ${BOUNCE_CONNECTORS:-{ name = \"bounces\";
	    type = \"maildir\"; path = \"$LG_HOME/Maildir\"; \}} );" "$@"
}

# verp_lines: the bounce block of the configuration, VERP on.
verp_lines() {
	echo "bounce = { verp = \"$BOUNCE_VERP\";"
	echo "  secret_file = \"$LG_HOME/verp.key\"; soft_limit = 2; };"
}

# verp_of ID: the VERP address leadgate must give message ID, computed
# with openssl from the secret: HMAC-SHA256 of "leadgate-verp:ID".
verp_of() {
	v_mac=$(printf 'leadgate-verp:%s' "$1" |
	    openssl dgst -sha256 -hmac "$(head -1 "$LG_HOME/verp.key")" |
	    sed 's/.*= *//' | cut -c1-16)
	echo "bounces+$1-$v_mac@$BOUNCE_DOMAIN"
}

# re TEXT: TEXT as a grep -E pattern that matches only itself.
re() {
	printf '%s' "$1" | sed 's/[].[*^$()+?{}|\\]/\\&/g'
}

# sink_headers FILE: the header of a message smtp-sink received, LF ends.
sink_headers() {
	sink_message "$1" | tr -d '\r' | sed '/^$/q' | sed '$d'
}

# sink_file_to RCPT: the newest dump file of a message to RCPT.
sink_file_to() {
	grep -l "^X-Rcpt-Args: <$1>" "$SINK_DIR"/m.* 2>/dev/null | tail -1
}

# postfix_dsn TO RCPT ACTION STATUS DIAG HEADERS QID: a delivery status
# notification as Postfix's bounce(8) writes it, to the address TO,
# about RCPT, returning the header block in the file HEADERS.
postfix_dsn() {
	pd_subject="Undelivered Mail Returned to Sender"
	[ "$3" = delayed ] && pd_subject="Delayed Mail (still being retried)"
	pd_b="$7.1772614807/mail.$BOUNCE_DOMAIN"
	cat <<EOF
Return-Path: <>
Delivered-To: $1
Received: by mail.$BOUNCE_DOMAIN (Postfix)
	id $7; Wed,  4 Mar 2026 10:00:07 +0100 (CET)
Date: Wed,  4 Mar 2026 10:00:07 +0100 (CET)
From: MAILER-DAEMON@mail.$BOUNCE_DOMAIN (Mail Delivery System)
Subject: $pd_subject
To: $1
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="$pd_b"
Content-Transfer-Encoding: 8bit
Message-Id: <20260304090007.$7@mail.$BOUNCE_DOMAIN>

This is a MIME-encapsulated message.

--$pd_b
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.$BOUNCE_DOMAIN.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

                   The mail system

<$2>: host mx.example.net[192.0.2.25] said: $5 (in reply to RCPT TO
    command)

--$pd_b
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.$BOUNCE_DOMAIN
X-Postfix-Queue-ID: $7
X-Postfix-Sender: rfc822; $1
Arrival-Date: Wed,  4 Mar 2026 10:00:05 +0100 (CET)

Final-Recipient: rfc822; $2
Original-Recipient: rfc822;$2
Action: $3
Status: $4
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; $5

--$pd_b
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Return-Path: <$1>
$(cat "$6")

--$pd_b--
EOF
}

# arf_report TO FEEDBACK_TYPE MAIL_FROM RCPT MESSAGE ID: a complaint of a
# feedback loop (RFC 5965) returning the whole message in the file MESSAGE.
arf_report() {
	cat <<EOF
From: Feedback Loop <feedbackloop@feedback.example>
To: $1
Subject: Complaint about a message from $BOUNCE_DOMAIN
Date: Wed, 04 Mar 2026 12:00:00 +0100
Message-ID: <fbl-$6@feedback.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
	boundary="fbl-$6"

--fbl-$6
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for a message received from IP
203.0.113.5 on Wed, 04 Mar 2026 11:00:00 +0100.

--fbl-$6
Content-Type: message/feedback-report

Feedback-Type: $2
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <$3>
Original-Rcpt-To: <$4>
Arrival-Date: Wed, 04 Mar 2026 11:00:00 +0100
Reporting-MTA: dns; mail.feedback.example
Source-IP: 203.0.113.5

--fbl-$6
Content-Type: message/rfc822
Content-Disposition: inline

Return-Path: <$3>
$(cat "$5")
--fbl-$6--
EOF
}

# drop NAME: standard input into the Maildir's new/, as a delivery does.
drop() {
	cat >"$LG_HOME/Maildir/tmp/$1" &&
	    mv "$LG_HOME/Maildir/tmp/$1" "$LG_HOME/Maildir/new/$1"
}

# poll_bounces: poll the Maildir once; its lines in $LG_HOME/poll.out.
poll_bounces() {
	"$LEADGATE" poll --connector bounces >"$LG_HOME/poll.out" \
	    2>"$LG_HOME/poll.err"
}
