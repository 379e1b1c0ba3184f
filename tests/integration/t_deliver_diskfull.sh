#!/bin/sh
# The store and the spool on a small tmpfs that fills up in the middle of
# a delivery run, while the sink has the data of the first messages and
# has not answered yet (it waits 3 s before it answers the end of the
# data): every message the sink accepted is recorded as sent (through the
# result journal, as the store cannot take it), and none is sent again
# afterwards. Then store.min_free_mb: with less free, a run
# sends nothing and `status` says why; once space is back it sends.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

N=40
FS=$T_DIR/fs
mkdir -p "$FS"
if ! mount -t tmpfs -o size=6m,mode=0700 tmpfs "$FS" 2>"$T_DIR/mount.err"; then
	echo "# skipped: cannot mount a tmpfs: $(cat "$T_DIR/mount.err")"
	t_finish
	exit 0
fi
at_exit "umount -l $FS"

# conf MIN_FREE_MB [PORT]: the case's configuration, store and spool on
# $FS, the sink on PORT (default: the fast one).
conf() {
	{
		echo "store = { path = \"$FS/lg.db\"; min_free_mb = $1; };"
		echo "pipelines = \"$TOP/etc/pipelines.conf\";"
		echo "spool = \"$FS/spool\";"
		lg_smtp "${2:-$FAST}" "connections = 2;"
		echo "delivery = { batch = 40; };"
	} >"$LG_HOME/lg.conf"
}

# fill KB: a file taking all but about KB KiB of $FS.
fill() {
	rm -f "$FS/fill"
	avail=$(df -k --output=avail "$FS" | tail -1 | tr -d ' ')
	dd if=/dev/zero of="$FS/fill" bs=4k count=$(((avail - $1) / 4)) \
	    2>/dev/null
	echo "# $(df -k --output=avail "$FS" | tail -1 | tr -d ' ') KiB left on $FS"
}

# ids DIR: "COUNT MESSAGE-ID" for every message a sink dumped into DIR.
ids() {
	find "$@" -type f -name 'm.*' -exec sed -n 's/^Message-ID: *//p' {} + |
	    sort | uniq -c | awk '{ print $1, $2 }'
}

sink_start slow -p -W .:3
SLOW=$SINK_PORT
SLOW_DIR=$SINK_DIR
sink_start full
FAST=$SINK_PORT
LG_HOME=$T_DIR/case
mkdir -p "$LG_HOME"
LG_DB=$FS/lg.db
conf 0
export LEADGATE_CONFIG="$LG_HOME/lg.conf"
"$LEADGATE" sources add web &&
"$LEADGATE" contacts add --first-name Anna --last-name Muster \
    --email anna@example.com >/dev/null &&
"$LEADGATE" leads add --contact 1 --source web >/dev/null ||
    not_ok "set-up failed"
lg_deliver	# creates the result journal while there is space
check "the result journal is allocated" test -s "$FS/spool/results.journal"
check_eq "the result journal is 0600" \
    "$(stat -c %a "$FS/spool/results.journal")" 600
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	lg_queue "$i"
done

# 1. The disk fills up while the sink holds the first message of each
# connection: their results cannot go into the store.
conf 0 "$SLOW"
lg_deliver_bg
i=0
while [ "$(connections_to "$SLOW")" -lt 2 ] && [ "$i" -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
sleep 1		# the data is out; the sink waits
fill 0
wait "$LG_PID"
echo "# run 1: $(cat "$LG_HOME/deliver.out")"
arrived=$(ids "$SLOW_DIR" | wc -l | tr -d ' ')
recorded=$(lg_sql "select count(*) from outgoing where state = 'sent'")
journaled=$(grep -c 'kept in the result journal' "$LG_HOME/deliver.err")
echo "# the disk filled up: $arrived arrived, $recorded recorded in the store, $journaled in the result journal"
check "the disk filled up mid-run: some but not all arrived" \
    test "$arrived" -gt 0 -a "$arrived" -lt "$N"
check "some results could not go into the store" test "$journaled" -gt 0
check_eq "every arrived message is in the store or the journal" \
    $((recorded + journaled)) "$arrived"
check_grep "the store's refusal is logged" 'not recorded in the store' \
    "$LG_HOME/deliver.err"

# 2. Space is back: the journal goes into the store first, then the rest
# is sent (to a sink that answers at once).
rm -f "$FS/fill"
conf 0
lg_deliver
check_eq "the second run completes" "$?" 0
check_grep "the journal is replayed" \
    "result journal: $journaled of $journaled accepted messages recorded as sent now" \
    "$LG_HOME/deliver.err"
lg_deliver "$(lg_iso $((LG_T0 + 3600)))"
sink_idle
check_eq "every message arrived" \
    "$(ids "$SLOW_DIR" "$SINK_DIR" | wc -l | tr -d ' ')" "$N"
resent=$(ids "$SLOW_DIR" "$SINK_DIR" |
    awk '$1 > 1 { n += $1 - 1 } END { print n + 0 }')
echo "# re-sent after the full disk: $resent"
check_eq "none was sent again" "$resent" 0
check_eq "every row is sent" \
    "$(lg_sql "select count(*) from outgoing where state = 'sent'")" "$N"

# 3. Below store.min_free_mb: nothing is sent, status says why, and the
# next run after space is back sends.
lg_queue 900
conf 3
fill 1024
lg_deliver
check_eq "low on space: the run works" "$?" 0
check_grep "low on space: the run says it paused" 'paused: low on space' \
    "$LG_HOME/deliver.out"
check_grep "low on space: logged" 'delivery paused: .*store.min_free_mb' \
    "$LG_HOME/deliver.err"
check_eq "low on space: nothing sent" \
    "$(lg_sql "select state from outgoing where dedup_key = 'k900'")" queued
lg_message 901 >"$LG_HOME/901.eml"
"$LEADGATE" spool add --key k901 --to anna@example.com "$LG_HOME/901.eml" \
    >/dev/null 2>"$LG_HOME/add.err"
check_eq "low on space: spool add refuses, exit 75" "$?" 75
check_grep "low on space: spool add says why" \
    '^leadgate: spool add: low on space, nothing queued: .*store.min_free_mb' \
    "$LG_HOME/add.err"
"$LEADGATE" status >"$LG_HOME/status.out" 2>&1
check_grep "low on space: status says so" \
    '^space: low, no new work taken: .*less than store.min_free_mb \(3\)' \
    "$LG_HOME/status.out"
rm -f "$FS/fill"
lg_deliver
check_eq "space is back: sent" \
    "$(lg_sql "select state from outgoing where dedup_key = 'k900'")" sent
check_eq "nothing was queued while low on space" \
    "$(lg_sql "select count(*) from outgoing where dedup_key = 'k901'")" 0
"$LEADGATE" status >"$LG_HOME/status.out" 2>&1
check "space is back: status has no space line" \
    sh -c "! grep -q '^space:' '$LG_HOME/status.out'"

# 4. The daemon: below store.min_free_mb its Maildir connector does not
# poll (no lead, no autoreply), and it resumes by itself once space is
# back: the inquiry becomes a lead and its autoreply arrives.
mkdir -p "$T_DIR/mail/new" "$T_DIR/mail/cur" "$T_DIR/mail/tmp"
conf 3
{
	echo "rules = \"$TOP/etc/rules.conf\";"
	echo "templates = \"$TOP/etc/templates\";"
	echo "lock = \"$LG_HOME/leadgate.lock\";"
	echo "log = { level = \"info\"; };"
	echo "mail = { from = \"Immobilien Muster AG <info@muster-immo.example>\";"
	echo "         domain = \"muster-immo.example\"; };"
	echo "connectors = ( { name = \"drop\"; type = \"maildir\";"
	echo "    path = \"$T_DIR/mail\"; interval = 1; } );"
} >>"$LG_HOME/lg.conf"
leads=$("$LEADGATE" leads list | wc -l)
before=$(sink_msgids | wc -l | tr -d ' ')
fill 1024
"$LEADGATE" run 2>"$LG_HOME/daemon.err" &
dpid=$!
at_exit "kill -9 $dpid"
python3 "$TOP/bench/lib/gen_inquiries.py" --unique --count 1 \
    --out "$T_DIR/mail/new" >/dev/null
i=0
while ! grep -q '\[drop\] paused' "$LG_HOME/daemon.err" && [ "$i" -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
sleep 2	# two poll intervals
check_grep "daemon, low on space: the connector pauses" \
    '\[drop\] paused: .*less than store.min_free_mb \(3\)' \
    "$LG_HOME/daemon.err"
check_eq "daemon, low on space: no lead taken" \
    "$("$LEADGATE" leads list | wc -l)" "$leads"
check_eq "daemon, low on space: the inquiry waits in new/" \
    "$(ls "$T_DIR/mail/new" | wc -l | tr -d ' ')" 1
rm -f "$FS/fill"
i=0
while [ "$(sink_msgids | wc -l | tr -d ' ')" -le "$before" ] && [ "$i" -lt 150 ]; do
	i=$((i + 1))
	sleep 0.1
done
check_grep "daemon: resumes by itself" '\[drop\] resumed' \
    "$LG_HOME/daemon.err"
check_eq "daemon, space back: the lead is taken" \
    "$("$LEADGATE" leads list | wc -l)" $((leads + 1))
check_eq "daemon, space back: its autoreply arrived" \
    "$(sink_msgids | wc -l | tr -d ' ')" $((before + 1))
kill "$dpid"
wait "$dpid"
sink_stop
t_finish
