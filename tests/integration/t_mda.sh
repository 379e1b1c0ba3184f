#!/bin/sh
# MDA mode: the snippets of leadgate(1), MAIL DELIVERY, run as written.
# Postfix: a private Postfix whose transport map sends leads@ to the
# pipe(8) service of the manual; a mail becomes a lead, and while the rule
# file is broken leadgate exits 75 (EX_TEMPFAIL), Postfix defers the mail
# and delivers it once the file is fixed. procmail: the recipe of the
# manual, the same two ways (a failure is procmail's exit 75, nothing is
# filed elsewhere). Dovecot's LDA with the Sieve script of the manual:
# a mail becomes a lead; a failure is not the mail server's to retry but
# is kept in INBOX (the implicit keep), from where it is taken later.
# The Postfix part needs root (Postfix's master).
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"

MAIL1=$TOP/etc/sample/Maildir/new/1700000001.demo1.sample
MAIL2=$TOP/etc/sample/Maildir/new/1700000002.demo2.sample
MAIL3=$TOP/etc/sample/Maildir/new/1700000003.demo3.sample

# lg_home DIR OWNER: a configuration and state in DIR that OWNER writes.
lg_home() {
	mkdir -p "$1"
	cp "$TOP/etc/rules.conf" "$1/rules.conf"
	cat >"$1/leadgate.conf" <<CONF
store = { path = "$1/leadgate.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "rules.conf";
templates = "$TOP/etc/templates";
spool = "$1/spool";
lock = "$1/leadgate.lock";
archive = { dir = "$1/archive"; };
mail = { from = "Agency <info@agency.example>"; domain = "agency.example"; };
CONF
	chown -R "$2" "$1"
}
leads_of() { # HOME CONNECTOR: the sources of the leads that came that way
	"$LEADGATE" -c "$1/leadgate.conf" leads list --json 2>/dev/null |
	    python3 -c 'import json, sys
print(" ".join(l["source"] for l in json.load(sys.stdin)))'
}
break_rules() { echo 'rules = ( {' >"$1/rules.conf"; }
fix_rules() { cp "$TOP/etc/rules.conf" "$1/rules.conf"; }

# --- procmail (the recipe as in leadgate(1), paths of this test).
if command -v procmail >/dev/null; then
	H=$T_DIR/procmail
	lg_home "$H" "$(id -u)"
	cat >"$H/procmailrc" <<RC
SHELL=/bin/sh
LOGFILE=$H/procmail.log
DEFAULT=$H/default.mbox

:0 w
| $LEADGATE -c $H/leadgate.conf ingest --connector procmail

# leadgate could not take it now (75): the mail server is to retry.
:0 e
{ EXITCODE=75 HOST }
RC
	procmail -m "$H/procmailrc" <"$MAIL1"
	check_eq "procmail: the recipe takes a mail (exit 0)" "$?" 0
	check_eq "... as a lead" "$(leads_of "$H")" "ImmoScout24"
	break_rules "$H"
	procmail -m "$H/procmailrc" <"$MAIL2"
	check_eq "procmail: with a broken rule file, exit 75 (EX_TEMPFAIL)" "$?" 75
	check "... and the mail is filed nowhere else" test ! -e "$H/default.mbox"
	check_grep "... the reason is in procmail's log" \
	    "rules.conf:[0-9]+: syntax error" "$H/procmail.log"
	fix_rules "$H"
	procmail -m "$H/procmailrc" <"$MAIL2"
	check_eq "procmail: the retried mail is taken" "$?" 0
	check_eq "... as a second lead" "$(leads_of "$H")" "ImmoScout24 ImmoScout24"
else
	ok "skipped: procmail is not installed (scripts/install-deps.sh)"
fi

# --- Dovecot LDA with Sieve's vnd.dovecot.pipe (sieve_extprograms), the
# script and settings as in leadgate(1). dovecot-lda runs as the mail
# user (nobody when the test is root, as for Dovecot's own delivery).
if [ -x /usr/lib/dovecot/dovecot-lda ] &&
    [ -e /usr/lib/dovecot/modules/sieve/lib90_sieve_extprograms_plugin.so ]; then
	S=$T_DIR/sieve
	mu=$(id -u)
	as_mu() { "$@"; }
	if [ "$mu" -eq 0 ]; then
		mu=nobody
		as_mu() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
		chmod go+x "$T_DIR"
	fi
	mkdir -p "$S/bin" "$S/home" "$S/run" "$S/state"
	ln -s "$LEADGATE" "$S/bin/leadgate"
	: >"$S/dovecot.log"
	cat >"$S/dovecot.conf" <<CONF
protocols =
base_dir = $S/run
state_dir = $S/state
log_path = $S/dovecot.log
mail_location = maildir:~/Maildir
protocol lda {
  mail_plugins = \$mail_plugins sieve
}
plugin {
  sieve_before = $S/leads.sieve
  sieve_plugins = sieve_extprograms
  sieve_global_extensions = +vnd.dovecot.pipe
  sieve_pipe_bin_dir = $S/bin
}
CONF
	cat >"$S/leads.sieve" <<SIEVE
require ["vnd.dovecot.pipe"];
if address :is "to" "leads@agency.example" {
  pipe "leadgate" ["-c", "$S/lg/leadgate.conf", "ingest", "--connector", "sieve"];
  stop;
}
SIEVE
	sievec -c "$S/dovecot.conf" "$S/leads.sieve" >"$S/sievec.log" 2>&1
	check_eq "sieve: sievec compiles the script" "$?" 0
	lg_home "$S/lg" "$mu"
	chown -R "$mu" "$S/home" "$S/run" "$S/state" "$S/dovecot.log"
	to_leads() { sed 's/^To: .*/To: leads@agency.example/' "$1"; }
	lda() {
		to_leads "$1" | as_mu env HOME="$S/home" USER="$mu" \
		    /usr/lib/dovecot/dovecot-lda -c "$S/dovecot.conf" \
		    -f noreply@portal.example -e
	}
	kept() { ls "$S/home/Maildir/new" 2>/dev/null | wc -l | tr -d ' '; }
	lda "$MAIL1"
	check_eq "sieve: dovecot-lda delivers (exit 0)" "$?" 0
	check_eq "... to leadgate, a lead" "$(leads_of "$S/lg")" "ImmoScout24"
	check_eq "... and stop: nothing kept in INBOX" "$(kept)" 0
	break_rules "$S/lg"
	lda "$MAIL2"
	check_eq "sieve: with a broken rule file, dovecot-lda still exits 0" "$?" 0
	check_grep "... Dovecot logs leadgate's exit 75" \
	    "exit code 75" "$S/dovecot.log"
	check_eq "... and the implicit keep files the mail in INBOX" "$(kept)" 1
	fix_rules "$S/lg"
	check "... from where leadgate ingest takes it later" as_mu \
	    "$LEADGATE" -c "$S/lg/leadgate.conf" ingest --connector sieve \
	    "$S/home/Maildir/new/$(ls "$S/home/Maildir/new")"
	check_eq "... as the second lead" "$(leads_of "$S/lg")" \
	    "ImmoScout24 ImmoScout24"
else
	ok "skipped: no dovecot-lda with sieve_extprograms (dovecot-sieve)"
fi

# --- Postfix pipe(8) (master.cf and transport map as in leadgate(1)).
if [ "$(id -u)" -ne 0 ]; then
	ok "skipped: the private Postfix needs root"
	t_finish
	exit
fi
H=$T_DIR/postfix-lg
PF=$T_DIR/pf
lg_home "$H" nobody
chmod go+x "$T_DIR"
mkdir -p "$PF/tls"
tls_make_ca "$PF/tls" || not_ok "test certificates"
SMTPD=$(free_port)
POSTFIX_LISTENERS="in $SMTPD"
POSTFIX_SERVICES="leadgate  unix  -       n       n       -       -       pipe
  flags=Rq user=nobody argv=$LEADGATE -c $H/leadgate.conf ingest --connector mta --sender \${sender}"
postfix_start "$PF" 1 \
    "transport_maps = inline:{ leads@agency.example=leadgate: }" \
    "leadgate_destination_recipient_limit = 1" \
    "minimal_backoff_time = 1h" || { t_finish; exit 1; }

send() { # FILE: to leads@agency.example through the private Postfix
	python3 - "$SMTPD" "$1" <<'PY'
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30) as s:
    s.sendmail("noreply@portal.example", ["leads@agency.example"],
               open(sys.argv[2], "rb").read())
PY
}
# wait_log PATTERN: until Postfix's log has a line matching it.
wait_log() {
	i=0
	until grep -Eq "$1" "$PF/maillog" 2>/dev/null || [ "$i" -ge 600 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	grep -E "$1" "$PF/maillog" | tail -1
}

check "postfix: a mail to leads@agency.example is accepted" send "$MAIL1"
line=$(wait_log 'to=<leads@agency.example>.*relay=leadgate.*status=')
case $line in
*status=sent*) ok "postfix: pipe delivers it to leadgate" ;;
*) not_ok "postfix: pipe did not deliver: [$line]" ;;
esac
check_eq "... and it is a lead" "$(leads_of "$H")" "ImmoScout24"

break_rules "$H"
check "postfix: a mail while the rule file is broken is accepted" send "$MAIL3"
line=$(wait_log 'relay=leadgate.*status=deferred')
case $line in
*"status=deferred"*"syntax error"*) ok "postfix: exit 75 defers it, with leadgate's reason" ;;
*) not_ok "postfix: not deferred with the reason: [$line]" ;;
esac
check_eq "... no lead yet" "$(leads_of "$H")" "ImmoScout24"
fix_rules "$H"
chown nobody "$H/rules.conf"
postqueue -c "$PF/etc" -f
i=0
while [ "$(grep -c 'relay=leadgate.*status=sent' "$PF/maillog")" -lt 2 ] &&
    [ "$i" -lt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
check_eq "postfix: once fixed, the deferred mail is delivered" \
    "$(grep -c 'relay=leadgate.*status=sent' "$PF/maillog")" 2
check_eq "... and becomes the second lead" "$(leads_of "$H")" \
    "ImmoScout24 Immowelt"
t_finish
