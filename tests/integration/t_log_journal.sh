#!/bin/sh
# Logging under systemd: when stderr is the stream $JOURNAL_STREAM names
# (systemd.exec(5)), every line starts with its syslog priority for
# journald (sd-daemon(3)) and has no stamp of its own; stderr redirected
# elsewhere keeps the plain lines.
. "$(dirname "$0")/../lib/common.sh"
conf=$T_DIR/leadgate.conf
cat >"$conf" <<CONF
store = { path = "$T_DIR/leadgate.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
spool = "$T_DIR/spool";
lock = "$T_DIR/leadgate.lock";
archive = { dir = "$T_DIR/archive"; };
mail = { from = "Agency <info@agency.example>"; domain = "agency.example"; };
CONF
mail=$TOP/etc/sample/Maildir/new/1700000001.demo1.sample
log=$T_DIR/journal.log
: >"$log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$log") "$LEADGATE" -c "$conf" -v ingest \
    <"$mail" >/dev/null 2>>"$log"
check_grep "on the journal's stream: <6> and the level, no name nor time" \
    "^<6>info ingest: \[stdin\] mid:.*: new lead" "$log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$log") "$LEADGATE" -c "$conf" -v ingest \
    <"$mail" >/dev/null 2>"$T_DIR/other.log"
check_grep "on another file: the plain line" \
    "^leadgate: info ingest: \[stdin\] mid:.*: duplicate" "$T_DIR/other.log"
t_finish
