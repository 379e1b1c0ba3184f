#!/bin/sh
# The bulk mailer against smtp-sink: who is written to and who is skipped
# (and why), one message per contact about all its matching leads, the
# List-Unsubscribe headers, the leads advanced once accepted, campaigns
# that never send twice, and a SIGKILL while spooling that loses and
# duplicates nothing.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

LG=$LEADGATE
DEMANDE='Demande reçue'
DOC='Envoi de documentation'

# bulk_config PORT [MORE LINES]: the case's configuration for bulk mail.
bulk_config() {
	b_port=$1
	shift
	lg_config "templates = \"$TOP/etc/templates\";" \
	    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
	    '  domain = "muster-immo.example";' \
	    '  unsubscribe_url = "https://muster-immo.example/u/{token}";' \
	    '  unsubscribe_mailto = "unsubscribe@muster-immo.example"; };' \
	    "$(lg_smtp "$b_port" "connections = 2;")" "$@"
}

# add_contact FIRST EMAIL|- [contacts add options]: prints nothing.
add_contact() {
	a_first=$1
	a_mail=$2
	shift 2
	if [ "$a_mail" = - ]; then
		set -- --phone "+41 79 000 00 0${#a_first}" "$@"
	else
		set -- --email "$a_mail" "$@"
	fi
	"$LG" contacts add --first-name "$a_first" --last-name Test "$@" \
	    >/dev/null || not_ok "add contact $a_first"
}

add_lead() {
	"$LG" leads add --contact "$1" --source web --object "$2" >/dev/null ||
	    not_ok "add lead for contact $1"
}

# bulk ARGS...: mail bulk with its output in $LG_HOME/out and err.
bulk() {
	"$LG" mail bulk "$@" >"$LG_HOME/out" 2>"$LG_HOME/err" </dev/null
}

# ---------------------------------------------------------------------
# Who gets a message: contact 1 (Anna, leads 1 and 2) and 2 (Bob, lead
# 3) are written to; 3 is opted out, 4's address is invalid (a bounce), 5
# is on the suppression list, 6 has no e-mail; 7's lead (8) is in another
# phase.
sink_start bulk
lg_case bulk
bulk_config "$SINK_PORT"
add_lead 1 OBJ-2
add_contact Bob bob@example.com
add_contact Carl carl@example.com
add_contact Dora dora@example.com
add_contact Emil emil@example.com
add_contact Fritz -
add_contact Gina gina@example.com
"$LG" contacts update 3 --opt-out yes >/dev/null
lg_sql "update contacts set invalid_address = 1 where id = 4"
lg_sql "insert into suppression values ('emil@example.com', 'bounced', \
    '2026-01-01T00:00:00Z')"
for c in 2 3 4 5 6 7; do add_lead "$c" OBJ-1; done
"$LG" leads move 8 "Demande répondue" >/dev/null

check "a dry run" bulk --filter "phase = \"$DEMANDE\"" \
    --template object-news --advance-to "$DOC" --dry-run
tr -d '\r' <"$LG_HOME/out" | sed -n '2,11p' >"$LG_HOME/dry"
cat >"$LG_HOME/dry.want" <<'EOF'
contacts matched: 6 (7 leads)
would send: 2
skipped: 4
  opted out: 1
  invalid address: 1
  no e-mail address: 1
  on the suppression list: 1
sample, to anna@example.com:
From: Immobilien Muster AG <info@muster-immo.example>
To: Anna Muster <anna@example.com>
EOF
check_file "the dry run counts and shows a sample" "$LG_HOME/dry" \
    "$LG_HOME/dry.want"
check_eq "a dry run records no campaign" \
    "$(lg_sql "select count(*) from campaigns")" 0
check_eq "a dry run queues nothing" \
    "$(lg_sql "select count(*) from outgoing")" 0
check_eq "a dry run makes no token" \
    "$(lg_sql "select count(*) from contacts where unsub_token is not null")" 0

bulk --filter "phase = \"$DEMANDE\"" --template object-news
check_eq "without --yes and a terminal: refused" "$?" 64
check_grep "the refusal says how many and what to add" \
    "would write to 2 contacts: add --yes" "$LG_HOME/err"
check_eq "a refused run queues nothing" \
    "$(lg_sql "select count(*) from outgoing")" 0

check "the campaign" bulk --filter "phase = \"$DEMANDE\"" \
    --template object-news --advance-to "$DOC" --name spring --yes
check_grep "it reports the counts" \
    "^campaign spring: 6 contacts matched, 2 queued, 4 skipped$" \
    "$LG_HOME/out"
check_grep "and the delivery" "^delivery: 2 sent, 0 deferred, 0 failed$" \
    "$LG_HOME/out"
sink_idle
check_eq "one message per contact" "$(sink_count)" 2
f=$(grep -l '^X-Rcpt-Args: <anna@example.com>' "$SINK_DIR"/m.* | head -1)
sink_message "$f" | tr -d '\r' >"$LG_HOME/anna.eml"
check_grep "the message to Anna is about both her leads" "^- OBJ-2$" \
    "$LG_HOME/anna.eml"
check_grep "... both" "^- Ihre Anfrage vom " "$LG_HOME/anna.eml"
check_grep "Precedence: bulk" "^Precedence: bulk$" "$LG_HOME/anna.eml"
tok=$(lg_sql "select unsub_token from contacts where id = 1")
check "Anna has a 32-digit token" expr "$tok" : '[0-9a-f]\{32\}$'
check_grep "List-Unsubscribe with her token, URL and mailto" \
    "^List-Unsubscribe: <https://muster-immo.example/u/$tok>,\$" \
    "$LG_HOME/anna.eml"
check_grep "... and the mailto" \
    "^ <mailto:unsubscribe@muster-immo[.]example[?]subject=unsubscribe%20$tok>\$" \
    "$LG_HOME/anna.eml"
check_grep "List-Unsubscribe-Post (RFC 8058)" \
    "^List-Unsubscribe-Post: List-Unsubscribe=One-Click$" "$LG_HOME/anna.eml"
check_grep "the envelope sender takes the bounces" \
    '^X-Mail-Args: <info@muster-immo.example>' "$f"
check_eq "the leads of the written contacts advanced" \
    "$(lg_sql "select group_concat(x) from (select id || ':' || phase_no \
    as x from leads where id in (1, 2, 3, 4, 7) order by id)")" \
    "1:4,2:4,3:4,4:2,7:2"
check_eq "recorded as the phase's action" \
    "$(lg_sql "select count(*) from history where action = '$DOC' \
    and phase_before = 2 and phase_after = 4")" 3
check_eq "the campaign is recorded with its counts" \
    "$(lg_sql "select name, filter, template, advance_to, matched, queued, \
    skipped from campaigns")" \
    "spring|phase = \"$DEMANDE\"|object-news|$DOC|6|2|4"
"$LG" mail campaigns >"$LG_HOME/camps"
check_grep "mail campaigns shows what was sent" \
    '^spring  *object-news  *6  *2  *4  *2  *0  *0 ' "$LG_HOME/camps"

check "the same campaign again" bulk --filter "phase = \"$DEMANDE\"" \
    --template object-news --advance-to "$DOC" --name spring --yes
check_grep "its written contacts left the phase: nothing more to send" \
    "^campaign spring: 4 contacts matched, 0 queued, 4 skipped$" \
    "$LG_HOME/out"
bulk --filter 'phase = 3' --template object-news --name spring --yes
check_eq "a name used for another request is refused" "$?" 65
check_grep "... saying why" "campaign 'spring' was made with" "$LG_HOME/err"

# A campaign on contacts, run twice: the second sends nothing.
check "a campaign on contact fields" bulk --filter 'email ~ "*@example.com"' \
    --template object-news --yes
check_grep "it writes to the contacts that may be written to" \
    "6 contacts matched, 3 queued, 3 skipped$" "$LG_HOME/out"
check "the same request again" bulk --filter 'email ~ "*@example.com"' \
    --template object-news --yes
check_grep "sends nothing twice" "6 contacts matched, 0 queued, 6 skipped$" \
    "$LG_HOME/out"
check_grep "... saying so" "already sent in this campaign: 3" \
    "$LG_HOME/out"
bulk --filter 'email ~ "*@example.com"' --template object-news \
    --advance-to "$DOC" --yes
check_eq "--advance-to needs a filter on leads" "$?" 65
sink_idle
check_eq "five messages in all" "$(sink_count)" 5
check_eq "nobody got the contacts campaign twice" \
    "$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort | uniq -d | \
    grep -c 'gina')" 0

# Only forward: a lead past --advance-to stays, with a note.
"$LG" leads move 3 "1. Visite du bien" >/dev/null
check "a campaign whose phase is behind a lead" bulk --filter "lead = 3" \
    --template object-news --advance-to "$DOC" --yes
check_eq "the lead does not move back" \
    "$(lg_sql "select phase_no from leads where id = 3")" 5
check_eq "its history says the mail went" \
    "$(lg_sql "select count(*) from history where lead_id = 3 and \
    action = 'mail sent'")" 1

# Pacing: --rate is checked; bulk.rate_per_hour holds what does not fit.
bulk --filter 'email ~ "*@example.com"' --template object-news --rate fast --yes
check_eq "a --rate that is not N/s is refused" "$?" 64
# Six campaign messages went out in this hour already: room for two.
bulk_config "$SINK_PORT" "bulk = { rate_per_hour = 8; };"
lg_sql "update contacts set opt_out = 0 where id = 3"
check "a campaign over the hourly limit" bulk --filter 'email ~ "*@example.com"' \
    --template object-news --name hourly --rate 50/s --yes
check_grep "it queues four, sends two and holds two" \
    "^delivery: 2 sent, 0 deferred, 0 failed, 2 held by bulk.rate_per_hour$" \
    "$LG_HOME/out"
check_eq "the held ones wait untouched" "$(lg_sql "select state, attempts \
    from outgoing where campaign_id = (select id from campaigns where \
    name = 'hourly') order by id")" "sent|1
sent|1
queued|0
queued|0"

# A delivery run under way (the daemon's) holds the spool: left to it.
add_contact Hans hans@example.com
flock "$LG_HOME/spool/deliver.lock" "$LG" mail bulk --filter 'contact = 8' \
    --template object-news --yes >"$LG_HOME/out" 2>"$LG_HOME/err" </dev/null
check_eq "with the spool held by another run: exit 0" "$?" 0
check_grep "the message is left to that run" \
    "^delivery: 1 queued for the delivery run under way" "$LG_HOME/out"
check_eq "... and waits queued" \
    "$(lg_sql "select state from outgoing where contact_id = 8")" queued
sink_stop

# ---------------------------------------------------------------------
# One campaign, contacts of several languages: the template is compiled
# once per language variant, and each contact gets its own (with the
# partial of that language), as a letter built alone would be.
sink_start lang
lg_case lang
mkdir -p "$LG_HOME/tpl/partials"
printf 'Subject: Neuigkeiten {{contact.first_name}}\n\nGuten Tag {{contact.first_name}}\n{{> sig}}\n' \
    >"$LG_HOME/tpl/news.txt"
printf 'Subject: Nouvelles {{contact.first_name}}\n\nBonjour {{contact.first_name}}\n{{> sig}}\n' \
    >"$LG_HOME/tpl/news.fr.txt"
printf -- '-- Gruss {{sender.name}}\n' >"$LG_HOME/tpl/partials/sig.txt"
printf -- '-- Salutations {{sender.name}}\n' >"$LG_HOME/tpl/partials/sig.fr.txt"
bulk_config "$SINK_PORT"
sed -i "s|^templates = .*|templates = \"$LG_HOME/tpl\";|" "$LEADGATE_CONFIG"
add_contact Anna anna@lang.example --language de
add_contact Louis louis@lang.example --language fr
add_contact Marco marco@lang.example
add_contact Zoe zoe@lang.example --language fr-CH
add_contact Ben ben@lang.example --language de-CH
check "a campaign to contacts of four languages" \
    bulk --filter 'email ~ "*@lang.example"' --template news --yes
check_grep "... all written to" "5 contacts matched, 5 queued, 0 skipped$" \
    "$LG_HOME/out"
sink_idle
for want in anna:Neuigkeiten:Gruss louis:Nouvelles:Salutations \
    marco:Neuigkeiten:Gruss zoe:Nouvelles:Salutations \
    ben:Neuigkeiten:Gruss; do
	who=${want%%:*}
	subj=${want#*:}
	sig=${subj#*:}
	subj=${subj%%:*}
	f=$(grep -l "^X-Rcpt-Args: <$who@lang.example>" "$SINK_DIR"/m.* | head -1)
	sink_message "$f" | tr -d '\r' >"$LG_HOME/$who.eml"
	check_grep "$who gets the $subj variant" "^Subject: $subj " \
	    "$LG_HOME/$who.eml"
	check_grep "... with the partial of that language" \
	    "^-- $sig Immobilien Muster AG$" "$LG_HOME/$who.eml"
done
sink_stop

# ---------------------------------------------------------------------
# SIGKILL while spooling 3000 contacts, then the same command again.
N=3000
sink_start kill
lg_case kill
bulk_config "$SINK_PORT" "rules = \"$LG_HOME/rules.conf\";"
echo 'rules = ( { name = "mail"; source = "E-Mail"; } );' >"$LG_HOME/rules.conf"
"$LG" sources add E-Mail
mkdir -p "$LG_HOME/in"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	printf 'From: P%d <p%d@example.org>\nTo: info@muster-immo.example\nSubject: Anfrage\nMessage-ID: <q%d@example.org>\n\nBitte um Unterlagen.\n' \
	    "$i" "$i" "$i" >"$LG_HOME/in/$i.eml"
done
(cd "$LG_HOME/in" && ls | xargs "$LG" ingest) >/dev/null ||
    not_ok "ingest the $N inquiries"
"$LG" mail bulk --filter 'source = "E-Mail"' --template object-news \
    --name big --yes >"$LG_HOME/out" 2>&1 &
pid=$!
at_exit "kill -9 $pid"
i=0
q=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 2000 ]; do
	q=$(lg_sql "select queued from campaigns" 2>/dev/null)
	[ "${q:-0}" -gt 0 ] && break
	i=$((i + 1))
	sleep 0.01
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
echo "# killed with $q of $N queued"
check "killed while spooling" test "${q:-0}" -lt "$N"
check "bulk again completes" bulk --filter 'source = "E-Mail"' \
    --template object-news --name big --yes
sink_idle
check_eq "one row per contact" \
    "$(lg_sql "select count(*), count(distinct contact_id) from outgoing")" \
    "$N|$N"
check_eq "every row sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" "$N"
check_eq "no file left in the spool" \
    "$(ls "$LG_HOME/spool/queue" "$LG_HOME/spool/tmp" | grep -c .)" 2
sink_stop
check_eq "every contact got the message" "$(sink_count)" "$N"
check_eq "nobody got it twice" \
    "$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort | uniq -d | wc -l)" 0

t_finish
