#!/bin/sh
# The mail kept, for a portal API: each portal inquiry keeps the record
# the connector handed in (the item's JSON), with its lead, in the
# archive; mail show prints it; a portal record has no attachments.
# The daemon runs the purge.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/portal.sh"

lg() { (cd "$D" && "$LEADGATE" -c leadgate.conf "$@" </dev/null); }
count() { sqlite3 "$D/leadgate.db" "$1"; }

umask 022
D="$T_DIR/p"
mkdir -p "$D"
portal_secrets "$D"
portal_store_setup "$D"
portal_start "$D" immo --items 3
portal_block "$TOP/etc/portals/immo-oauth-cursor.conf" "$D/portal.conf" ""
portal_config "$D" portal.conf
lg poll --connector immo >"$D/poll.out" 2>"$D/poll.err"
check_eq "poll: exit status" "$?" 0
check_eq "three portal records kept, each with its lead" "$(count "select \
    count(*), count(distinct lead_id) from archive_mails where kind = \
    'json' and connector = 'immo'")" "3|3"
id=$(count "select min(id) from archive_mails where kind = 'json'")
lg mail show "$id" >"$D/rec.json"
check_eq "mail show prints the record, whose e-mail the row has" \
    "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
print(sys.argv[2] in s)' "$D/rec.json" "$(count "select from_addr from \
    archive_mails where id = $id")")" True
check_eq "it is the file named by its SHA-256" "$(sha256sum <"$D/rec.json" |
    cut -c1-64)" "$(count "select sha256 from archive_mails where id = $id")"
lead=$(count "select lead_id from archive_mails where id = $id")
lg leads show "$lead" >"$D/show.out"
check_grep "leads show lists it as a portal record" "^  $id  .*  \
\\(portal record\\)  [0-9]+ bytes$" "$D/show.out"
check_eq "it has no attachment" "$(lg mail attachment "$id" 1 2>&1 \
    >/dev/null; echo "rc=$?")" "leadgate: mail attachment: mail $id has 0 \
attachments: no attachment 1
rc=66"

# The daemon applies the retention when it starts (then once a day): a
# file no kept mail names, two hours old, is removed; the kept stay.
z=0000000000000000000000000000000000000000000000000000000000000000
mkdir -p "$D/archive/00"
printf 'left by a crash' | gzip >"$D/archive/00/$z.gz"
touch -d '2 hours ago' "$D/archive/00/$z.gz"
kept=$(find "$D/archive" -type f | wc -l | tr -d ' ')
(cd "$D" && exec "$LEADGATE" -c leadgate.conf run 2>"$D/daemon.log") &
dpid=$!
at_exit "kill -9 $dpid 2>/dev/null"
n=0
while [ -e "$D/archive/00/$z.gz" ] && [ "$n" -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -TERM "$dpid"
wait "$dpid"
check "the daemon removed the unnamed file" test ! -e \
    "$D/archive/00/$z.gz"
check_grep "and says so" "\\[archive\\] 0 kept mails forgotten, 1 files \
removed" "$D/daemon.log"
check_eq "the kept files stay" "$(find "$D/archive" -type f | wc -l |
    tr -d ' ')" "$((kept - 1))"
portal_stop
t_finish
