#!/bin/sh
# SIGKILL while inquiries with attachments are being ingested and kept,
# five times at different points, then the same poll again: every inquiry is kept once, with its lead;
# no kept mail names a missing file; every file holds the content its
# name says; what the kill left unnamed is removed by the purge once it
# is an hour old.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/bounce.sh"

umask 022
LG=$LEADGATE
# Maildir commits its mail 100 at a time: 600 mails give every kill
# below a group to cut into.
N=600

sink_start takill || { t_finish; exit 1; }
lg_case takill
A=$LG_HOME/archive
cat >"$LG_HOME/rules.conf" <<'EOF'
rules = ( { name = "mail"; source = "E-Mail"; } );
EOF
BOUNCE_RULES=$LG_HOME/rules.conf
bounce_config "archive = { dir = \"$A\"; };"
"$LG" sources add E-Mail
head -c 10000 /dev/urandom >"$LG_HOME/doc.bin"
base64 "$LG_HOME/doc.bin" >"$LG_HOME/doc.b64"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	{
		printf 'From: P%d <p%d@example.org>\nTo: info@muster-immo.example\nSubject: Anfrage %d\nMessage-ID: <q%d@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nBitte um Unterlagen, Nummer %d.\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="doc%d.pdf"\nContent-Transfer-Encoding: base64\n\n' \
		    "$i" "$i" "$i" "$i" "$i" "$i"
		cat "$LG_HOME/doc.b64"
		printf -- '--b--\n'
	} >"$LG_HOME/Maildir/new/1772618400.$i.in"
done
leads=$(lg_sql "select count(*) from leads")

# Kill a poll once it has kept more than the last one did, a few times,
# each time a little later within the mail being written.
kills=0
short=0
last=0
for delay in 0 0.02 0.05 0.01 0.03; do
	# A round after everything was kept has nothing left to interrupt.
	[ "$last" -lt "$N" ] || break
	"$LG" poll --connector bounces >"$LG_HOME/poll1.out" 2>&1 &
	pid=$!
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 3000 ]; do
		n=$(lg_sql "select count(*) from archive_mails" 2>/dev/null)
		[ "${n:-0}" -gt "$last" ] && break
		i=$((i + 1))
		sleep 0.01
	done
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	last=$(lg_sql "select count(*) from archive_mails")
	[ "$last" -lt "$N" ] && short=$((short + 1))
	echo "# kill $kills: $last of $N mails kept"
done
# At least one kill stopped a poll that had not kept everything yet.
check "killed while keeping" test "$kills" -gt 0 -a "$short" -gt 0

check "the poll again" sh -c "'$LG' poll --connector bounces \
    >'$LG_HOME/poll2.out' 2>'$LG_HOME/poll2.err'"
check_eq "every inquiry made its lead" "$(lg_sql "select count(*) from \
    leads")" "$((leads + N))"
check_eq "every inquiry is kept once, with its lead and inquiry row" \
    "$(lg_sql "select count(*), count(distinct m.lead_id), \
    count(distinct m.inquiry_id) from archive_mails m join inquiries i on \
    i.id = m.inquiry_id and i.lead_id = m.lead_id")" "$N|$N|$N"
check_eq "no inquiry with a lead is without its mail" "$(lg_sql "select \
    count(*) from inquiries i where i.lead_id is not null and not exists \
    (select 1 from archive_mails m where m.inquiry_id = i.id)")" 0
missing=0
lg_sql "select distinct sha256 from archive_mails" >"$LG_HOME/shas"
while read -r sha; do
	f=$A/$(printf %.2s "$sha")/$sha.gz
	if [ ! -f "$f" ] || [ "$(zcat "$f" | sha256sum | cut -c1-64)" != \
	    "$sha" ]; then
		missing=$((missing + 1))
	fi
done <"$LG_HOME/shas"
check_eq "no kept mail names a missing or wrong file" "$missing" 0
check_eq "each file is a mail as it was in the Maildir" "$(for f in \
    "$LG_HOME"/Maildir/cur/*; do sha256sum <"$f" | cut -c1-64; done |
    sort | comm -3 - "$LG_HOME/shas" | wc -l | tr -d ' ')" 0
"$LG" mail attachment "$(lg_sql "select max(id) from archive_mails")" 1 \
    >"$LG_HOME/out.bin"
check "an attachment comes back whole" cmp "$LG_HOME/out.bin" \
    "$LG_HOME/doc.bin"

files=$(find "$A" -type f -name '*.gz' | wc -l | tr -d ' ')
temps=$(find "$A" -type f -name '.tmp-*' | wc -l | tr -d ' ')
echo "# $files files for $N mails, $temps temporary files after the kill"
later=$(lg_iso $(($(date +%s) + 2 * 3600)))
check "mail purge two hours later" sh -c "LEADGATE_NOW=$later '$LG' mail \
    purge >'$LG_HOME/purge.out'"
cat "$LG_HOME/purge.out" | sed 's/^/# /'
check_eq "leaves one file per kept mail, no temporary file" "$(find "$A" \
    -type f | wc -l | tr -d ' ')" "$N"
sink_stop
t_finish
