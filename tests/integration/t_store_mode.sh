#!/bin/sh
# Personal data: a new store is created 0600 whatever the umask, in a
# folder made 0700 when it is missing, and the -wal and -shm files SQLite
# makes beside it take that mode; so do the spooled mails and their
# folders. A store whose files others can read or write, or whose folder
# others can write, is refused by every command, by the daemon at start
# and by config check, with the path, its mode and the chmod that fixes it.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/delivery.sh"

DB=$T_DIR/private/lg.db
cp -R "$TOP/etc/pipelines.conf" "$TOP/etc/rules.conf" "$TOP/etc/templates" \
    "$T_DIR/"
{
	printf 'store = { path = "%s"; };\n' "$DB"
	printf 'spool = "%s/spool";\n' "$T_DIR"
} >"$T_DIR/leadgate.conf"
LG="$LEADGATE -c $T_DIR/leadgate.conf"

(umask 000 && $LG sources add Showroom) >"$T_DIR/out" 2>&1
check_eq "a store made under umask 000 works" "$?" 0
check_eq "a new store is 0600" "$(stat -c %a "$DB")" 600
check_eq "its missing folder was made 0700" \
    "$(stat -c %a "$T_DIR/private")" 700
# A reader holding the store open in WAL mode: the -wal and -shm modes.
(umask 000 && printf 'select count(*) from sources;\n.shell stat -c "%%n %%a" %s-wal %s-shm\n' \
    "$DB" "$DB" | sqlite3 "$DB") >"$T_DIR/wal" 2>&1
check_grep "its WAL file is 0600 too" "^$DB-wal 600\$" "$T_DIR/wal"
check_grep "its SHM file is 0600 too" "^$DB-shm 600\$" "$T_DIR/wal"

# A spooled mail under umask 000: file 0600, folders 0700.
lg_message 1 >"$T_DIR/1.eml"
(umask 000 && $LG spool add --key k1 --to anna@example.com \
    "$T_DIR/1.eml") >/dev/null 2>"$T_DIR/spool.err"
check_eq "a mail is spooled under umask 000" "$?" 0
check_eq "the spooled mail is 0600" "$(find "$T_DIR/spool" -type f \
    ! -name '*.lock' -exec stat -c %a {} + | sort -u)" 600
check_eq "the spool's folders are 0700" "$(find "$T_DIR/spool" -type d \
    -exec stat -c %a {} + | sort -u)" 700

# refused CHMOD WHAT REASON-ERE: with the store's file or folder in that
# mode, a command, config check and the daemon refuse with the reason.
refused() {
	$LG sources list >"$T_DIR/out" 2>"$T_DIR/err"
	check_eq "$2: sources list is refused (65)" "$?" 65
	check_grep "$2: the reason" "^leadgate: sources list: $3\$" "$T_DIR/err"
	$LG config check >"$T_DIR/out" 2>"$T_DIR/err"
	check_eq "$2: config check says so (78)" "$?" 78
	check_grep "$2: config check's reason" \
	    "^$T_DIR/leadgate.conf: $3\$" "$T_DIR/err"
	timeout 20 $LG run >"$T_DIR/out" 2>"$T_DIR/err"
	check_eq "$2: the daemon refuses to start (78)" "$?" 78
	check_grep "$2: the daemon's reason" "$3" "$T_DIR/err"
}

check "config check passes on a private store" $LG config check
chmod 640 "$DB"
refused 640 "a store others can read" \
    "store $DB has mode 0640: other users can read its personal data; run chmod 600 $DB"
check_eq "the refused store keeps its mode" "$(stat -c %a "$DB")" 640
chmod 620 "$DB"
refused 620 "a store others can write" \
    "store $DB has mode 0620: other users can change its personal data; run chmod 600 $DB"
chmod 600 "$DB"
check "after chmod 600 it works again" $LG sources list
# A WAL file left readable (copied in by hand, say).
sqlite3 "$DB" 'pragma journal_mode' >/dev/null
: >"$DB-wal"
chmod 644 "$DB-wal"
refused 644 "a -wal file others can read" \
    "store $DB-wal has mode 0644: other users can read its personal data; run chmod 600 $DB-wal"
rm -f "$DB-wal"
chmod 770 "$T_DIR/private"
refused 770 "a folder the group can write" \
    "the store's folder $T_DIR/private has mode 0770: other users can replace the store; run chmod 700 $T_DIR/private \\(or move the store\\)"
chmod 755 "$T_DIR/private"
check "a folder others can only read and search is accepted" \
    $LG sources list
t_finish
