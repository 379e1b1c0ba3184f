#!/bin/sh
# Power cuts, not just SIGKILLs: the daemon ingests a Maildir and delivers
# the autoreplies to smtp-sink with its store, spool, lock and Maildir in
# a tree modelled by tests/lib/powercut.so; at a random moment it is
# killed and the tree is rebuilt from what was synced (powercut.py
# restore), as a power cut would leave it; then again, PC_CUTS times
# (seeded: PC_SEED, printed), then a clean run to the end.
#
# The Maildir is inside the tree: on a real host the MDA's Maildir and
# leadgate's store share the power supply, so a move to cur/ that was not
# synced comes back undone. The mails are dropped into new/ between cuts
# (as a synced MDA delivery); smtp-sink, the remote relay, is outside.
#
# After every cut: the database passes integrity_check; every mail in
# cur/ with the S flag (leadgate marks it done only after its lead is
# durable) has its lead; every kept mail has its whole archive file (the
# archive is in the tree too); every message recorded as sent was
# received by the sink. At the end: every mail has exactly one lead and is in cur/,
# every autoreply is recorded as sent, and none arrived more than twice
# (a result not yet synced at the cut is lost, and the message sent
# again once: SMTP allows no better).
#
# Then bulk mail (queued in batches made durable by syncfs(), delivered
# at a paced rate): PC_BULK_CUTS campaigns, each cut once at a random
# moment and run again to the end; every prospect gets each campaign's
# one message, at most twice.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/smtp.sh"

LG=$LEADGATE
SO=$BUILD/tests/powercut.so
PCPY=$TOP/tests/lib/powercut.py
CUTS=${PC_CUTS:-20}
PER_CUT=4
SEED=${PC_SEED:-$(date +%s)}
echo "# seed $SEED (PC_SEED=$SEED PC_CUTS=$CUTS to repeat)"
[ -f "$SO" ] || { not_ok "no $SO (make tests builds it)"; t_finish; exit 1; }

# An ASan-built leadgate needs its runtime first in the preload list.
PRE=$SO
asan=$(ldd "$LG" | awk '/libasan/ { print $3 }')
[ -z "$asan" ] || PRE="$asan $SO"

sink_start pc || { t_finish; exit 1; }
DISK=$T_DIR/disk
SHADOW=$T_DIR/shadow
mkdir -p "$DISK/Maildir/new" "$DISK/Maildir/cur" "$DISK/Maildir/tmp"
cat >"$T_DIR/rules.conf" <<'EOF'
rules = ( { name = "mail"; source = "E-Mail";
  autoreply = { template = "inquiry-reply"; }; } );
EOF
cat >"$T_DIR/lg.conf" <<EOF
store = { path = "$DISK/lg.db"; };
pipelines = "$TOP/etc/pipelines.conf";
spool = "$DISK/spool";
lock = "$DISK/leadgate.lock";
templates = "$TOP/etc/templates";
rules = "$T_DIR/rules.conf";
log = { level = "info"; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  unsubscribe_url = "https://muster-immo.example/u/{token}";
  unsubscribe_mailto = "unsubscribe@muster-immo.example"; };
smtp = { host = "localhost"; port = $SINK_PORT; starttls = "off"; };
delivery = { retry_first = 1; retry_max = 2; };
connectors = ( { name = "in"; type = "maildir"; path = "$DISK/Maildir";
  interval = 1; } );
archive = { dir = "$DISK/archive"; };
EOF
export LEADGATE_CONFIG="$T_DIR/lg.conf"
sql() { sqlite3 "$DISK/lg.db" "$1"; }
"$LG" sources add E-Mail >/dev/null || not_ok "set-up: sources add"

# `spool add` into a spool it creates, then a cut: the message it said
# was queued is there.
printf 'Date: Mon, 05 Jan 2026 10:00:00 +0000\r\nFrom: <info@muster-immo.example>\r\nTo: <first@example.org>\r\nMessage-ID: <first@test.example>\r\nSubject: Hallo\r\n\r\nHallo.\r\n' \
    >"$T_DIR/first.eml"
python3 "$PCPY" image "$DISK" "$SHADOW" || not_ok "image"
id=$(env LD_PRELOAD="$PRE" POWERCUT_DIR="$DISK" POWERCUT_SHADOW="$SHADOW" \
    "$LG" spool add --key first --to first@example.org "$T_DIR/first.eml")
python3 "$PCPY" restore "$DISK" "$SHADOW" >/dev/null || not_ok "restore"
check "a message queued into a new spool survives a cut" \
    test -f "$DISK/spool/queue/$id"
check_eq "its row too" "$(sql "select state from outgoing where id = '$id'")" \
    queued

# add_mails FROM TO: inquiries FROM..TO into new/, as a synced delivery.
add_mails() {
	i=$1
	while [ "$i" -le "$2" ]; do
		printf 'From: P%d <p%d@example.org>\nTo: info@muster-immo.example\nSubject: Anfrage %d\nMessage-ID: <q%d@example.org>\nDate: Mon, 05 Jan 2026 10:00:00 +0000\n\nBitte um Unterlagen.\n' \
		    "$i" "$i" "$i" "$i" >"$DISK/Maildir/new/1767607200.q$i.test"
		i=$((i + 1))
	done
}

# done_without_lead: the mails in cur/ marked done (S) without a lead.
done_without_lead() {
	{
		echo "create temp table done (key text);"
		grep -h '^Message-ID:' "$DISK"/Maildir/cur/*:2,*S* 2>/dev/null |
		    sed "s/^Message-ID: *<\(.*\)>.*/insert into done values ('mid:\1');/"
		echo "select key from done where key not in (select key from \
		    inquiries where lead_id in (select id from leads));"
	} | sqlite3 "$DISK/lg.db"
}
# sent_not_received: messages recorded as sent that the sink never got.
sent_not_received() {
	sink_msgids | awk '{ print $2 }' | tr -d '<>' | sort >"$T_DIR/got"
	sql "select message_id from outgoing where state = 'sent'" | sort |
	    comm -23 - "$T_DIR/got"
}
# queued_without_file: messages waiting whose spool file is gone.
queued_without_file() {
	sql "select id || ' ' || spool_name from outgoing where state in \
	    ('queued', 'deferred')" | while read -r id name; do
		[ -f "$DISK/spool/queue/$name" ] || echo "$id"
	done
}

# kept_without_file: kept mails whose archive file is missing or is not
# the content it is named for (the files are made durable in groups).
kept_without_file() {
	sql "select id || ' ' || sha256 from archive_mails" |
	    while read -r id sha; do
		f=$DISK/archive/$(echo "$sha" | cut -c1-2)/$sha.gz
		[ "$(zcat "$f" 2>/dev/null | sha256sum | cut -d' ' -f1)" = \
		    "$sha" ] || echo "$id"
	done
}

delays=$(awk -v s="$SEED" -v n="$CUTS" 'BEGIN { srand(s);
    for (i = 0; i < n; i++) { r = rand();
    printf "%.2f\n", 0.03 + r * r * 1.2 } }')
cut=0
mails=0
losses=0
dropped=0
reverted=0
synced=0
for d in $delays; do
	cut=$((cut + 1))
	add_mails $((mails + 1)) $((mails + PER_CUT))
	mails=$((mails + PER_CUT))
	python3 "$PCPY" image "$DISK" "$SHADOW" || not_ok "cut $cut: image"
	env LD_PRELOAD="$PRE" POWERCUT_DIR="$DISK" POWERCUT_SHADOW="$SHADOW" \
	    "$LG" run 2>>"$T_DIR/daemon.log" &
	pid=$!
	sleep "$d"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	[ $? = 137 ] || not_ok "cut $cut: the daemon was not running at the cut \
(see $T_DIR/daemon.log)"
	echo "== cut $cut after $d s" >>"$T_DIR/daemon.log"
	sink_idle 10 || not_ok "cut $cut: the sink did not settle"
	# Files synced by the daemon have ids of its process, not "i.N".
	synced=$((synced + $(ls "$SHADOW/data" | grep -vc '^i\.')))
	python3 "$PCPY" restore -v "$DISK" "$SHADOW" >"$T_DIR/restore.out" ||
	    not_ok "cut $cut: restore"
	set -- $(sed -n 's/^# powercut: [0-9]* kept, \([0-9]*\) dropped, \([0-9]*\) reverted.*/\1 \2/p' \
	    "$T_DIR/restore.out" | tail -1)
	{ echo "== cut $cut"; cat "$T_DIR/restore.out"; } >>"$T_DIR/restore.log"
	dropped=$((dropped + ${1:-0}))
	reverted=$((reverted + ${2:-0}))
	ic=$(sql "pragma integrity_check")
	[ "$ic" = ok ] || not_ok "cut $cut (seed $SEED): integrity_check: $ic"
	lost=$(done_without_lead)
	[ -z "$lost" ] || not_ok "cut $cut (seed $SEED): marked done without \
a lead: $lost"
	unsent=$(sent_not_received)
	[ -z "$unsent" ] || not_ok "cut $cut (seed $SEED): recorded as sent, \
never received: $unsent"
	nofile=$(queued_without_file)
	[ -z "$nofile" ] || not_ok "cut $cut (seed $SEED): queued, its spool \
file gone: $nofile"
	nokept=$(kept_without_file)
	[ -z "$nokept" ] || not_ok "cut $cut (seed $SEED): kept mail without \
its whole archive file: $nokept"
	losses=$((losses + $(printf '%s' "$lost$unsent$nofile$nokept" |
	    grep -c .)))
	echo "# cut $cut after $d s: $(sql "select count(*) from leads") leads,\
 $(ls "$DISK/Maildir/cur" | wc -l) done, $(sink_count) received, $(sed \
	    's/# powercut: //' "$T_DIR/restore.out" | tail -1)"
done
check_eq "no cut lost an acknowledged inquiry or message" "$losses" 0
check "the model saw the daemon's syncs" test "$synced" -gt 0
check "the cuts undid something (names dropped or files reverted)" \
    test $((dropped + reverted)) -gt 0

# The clean run to the end.
starts=$(grep -c '\[in\] started' "$T_DIR/daemon.log")
"$LG" run 2>>"$T_DIR/daemon.log" &
pid=$!
at_exit "kill -9 $pid"
started() {
	[ "$(grep -c '\[in\] started' "$T_DIR/daemon.log")" -gt "$starts" ]
}
i=0
while ! started && [ "$i" -lt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
finished() {
	[ "$(ls "$DISK/Maildir/new" | wc -l)" -eq 0 ] &&
	[ "$(sql "select count(*) from outgoing where state in ('queued', \
	    'deferred')")" = 0 ] &&
	[ "$(sql "select count(*) from outgoing")" -gt "$mails" ]
}
i=0
while ! finished && [ "$i" -lt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
check_eq "the clean run stops cleanly" "$?" 0
sink_idle 10

leads=$(sql "select count(*) from leads")
check_eq "the database passes integrity_check" \
    "$(sql "pragma integrity_check")" ok
check_eq "every mail is marked done" \
    "$(ls "$DISK/Maildir/cur" | grep -c ':2,S$')" "$mails"
check_eq "one lead per mail" "$leads" "$mails"
check_eq "every lead's mail kept, each in its whole archive file" \
    "$(sql "select count(distinct lead_id) from archive_mails") \
$(kept_without_file | wc -l | tr -d ' ')" "$mails 0"
check_eq "no lead twice" "$(sql "select count(*) from (select contact_id \
    from leads group by contact_id having count(*) > 1)")" 0
check_eq "every inquiry once, with its lead" "$(sql "select count(*), \
    count(distinct lead_id) from inquiries where lead_id is not null")" \
    "$mails|$mails"
check_eq "every message recorded as sent (the autoreplies and the first)" \
    "$(sql "select count(*) from outgoing where state = 'sent'")" \
    $((mails + 1))
check_eq "no autoreply lost with its spool file" "$(sql "select count(*) \
    from outgoing where last_reply like '%spool file lost%'")" 0
check_eq "every message received" "$(sink_msgids | wc -l | tr -d ' ')" \
    $((mails + 1))
sink_msgids >"$T_DIR/copies"
maxc=$(awk 'm < $1 { m = $1 } END { print m + 0 }' "$T_DIR/copies")
twice=$(awk '$1 > 1' "$T_DIR/copies" | wc -l | tr -d ' ')
# Per prospect, too: a lead lost and made again would answer with a new
# Message-ID.
per_rcpt=$(grep -h '^X-Rcpt-Args:' "$SINK_DIR"/m.* | sort | uniq -c |
    awk 'm < $1 { m = $1 } END { print m + 0 }')
check "no autoreply arrived more than twice" test "$maxc" -le 2
check_eq "one Message-ID per prospect" "$per_rcpt" "$maxc"
echo "# powercut: seed $SEED, $CUTS cuts, $mails mails, $leads leads," \
    "$(sink_count) messages received, max $maxc copies of one," \
    "$twice sent twice, $losses lost; the cuts dropped $dropped names" \
    "and reverted $reverted files"

# Bulk mail: campaigns to every prospect, their files made durable by one
# syncfs() per batch; each is cut once while it queues and delivers, then
# run again to the end (a campaign sends only what is missing).
BULK_CUTS=${PC_BULK_CUTS:-4}
# bulk NAME [env VAR=... ...]: campaign NAME in the background (BULK_PID
# is leadgate's own pid, so that the SIGKILL reaches it).
bulk() {
	b_name=$1
	shift
	"$@" "$LG" mail bulk --filter 'phase = "Demande reçue"' \
	    --template object-news --name "$b_name" --rate 200/s --yes \
	    >>"$T_DIR/bulk.out" 2>>"$T_DIR/bulk.err" </dev/null &
	BULK_PID=$!
}
bdelays=$(awk -v s="$SEED" -v n="$BULK_CUTS" 'BEGIN { srand(s + 1);
    for (i = 0; i < n; i++) printf "%.2f\n", 0.05 + rand() * 0.5 }')
bcut=0
for d in $bdelays; do
	bcut=$((bcut + 1))
	python3 "$PCPY" image "$DISK" "$SHADOW" || not_ok "bulk cut $bcut: image"
	bulk "pc$bcut" env LD_PRELOAD="$PRE" POWERCUT_DIR="$DISK" \
	    POWERCUT_SHADOW="$SHADOW"
	sleep "$d"
	kill -9 "$BULK_PID" 2>/dev/null
	wait "$BULK_PID" 2>/dev/null
	sink_idle 10 || not_ok "bulk cut $bcut: the sink did not settle"
	python3 "$PCPY" restore "$DISK" "$SHADOW" >"$T_DIR/restore.out" ||
	    not_ok "bulk cut $bcut: restore"
	ic=$(sql "pragma integrity_check")
	[ "$ic" = ok ] || not_ok "bulk cut $bcut (seed $SEED): integrity: $ic"
	unsent=$(sent_not_received)
	[ -z "$unsent" ] || not_ok "bulk cut $bcut (seed $SEED): recorded as \
sent, never received: $unsent"
	nofile=$(queued_without_file)
	[ -z "$nofile" ] || not_ok "bulk cut $bcut (seed $SEED): queued, its \
spool file gone: $nofile"
	losses=$((losses + $(printf '%s' "$unsent$nofile" | grep -c .)))
	camp="from outgoing o join campaigns c on c.id = o.campaign_id where \
c.name = 'pc$bcut'"
	sink_msgids | awk '{ print $2 }' | tr -d '<>' | sort >"$T_DIR/got"
	echo "# bulk cut $bcut after $d s: $(sql "select count(*) $camp") \
queued, $(sql "select message_id $camp" | sort | comm -12 - "$T_DIR/got" |
	    wc -l) received, $(sql "select count(*) $camp and o.state = \
'sent'") recorded as sent"
	bulk "pc$bcut"
	wait "$BULK_PID" || not_ok "campaign pc$bcut: the run to the end"
done
sink_idle 10
sink_stop
check_eq "bulk: the database passes integrity_check" \
    "$(sql "pragma integrity_check")" ok
all=$((mails * BULK_CUTS))
check_eq "bulk: one message per prospect and campaign, all sent" "$(sql \
    "select count(*), count(distinct campaign_id || ' ' || contact_id), \
    sum(state = 'sent') from outgoing where campaign_id is not null")" \
    "$all|$all|$all"
for f in $(grep -l '^Precedence: bulk' "$SINK_DIR"/m.*); do
	sed -n 's/^X-Rcpt-Args: //p; s/^Message-ID: //p' "$f" | paste -sd ' '
done | sort >"$T_DIR/bulk.got"
uniq -c "$T_DIR/bulk.got" >"$T_DIR/bulk.copies"
check_eq "bulk: every message received" \
    "$(wc -l <"$T_DIR/bulk.copies" | tr -d ' ')" "$all"
check_eq "bulk: each prospect one Message-ID per campaign" "$(uniq \
    "$T_DIR/bulk.got" | awk '{ print $1 }' | uniq -c | awk '{ print $1 }' |
    sort -u)" "$BULK_CUTS"
bmax=$(awk 'm < $1 { m = $1 } END { print m + 0 }' "$T_DIR/bulk.copies")
btwice=$(awk '$1 > 1' "$T_DIR/bulk.copies" | wc -l | tr -d ' ')
check "bulk: no message received more than twice" test "$bmax" -le 2
check_eq "bulk: nothing lost at a cut" "$losses" 0
echo "# powercut bulk: $BULK_CUTS campaigns cut once each, $all messages," \
    "max $bmax copies of one, $btwice sent twice"
t_finish
