#!/bin/sh
# Personal data: a new store is created 0600 whatever the umask, and the
# WAL file SQLite makes beside it takes that mode; an existing store keeps
# the mode the admin gave it.
. "$TOP/tests/lib/common.sh"

printf 'store = { path = "%s/lg.db"; };\n' "$T_DIR" >"$T_DIR/leadgate.conf"
(umask 000 && "$LEADGATE" -c "$T_DIR/leadgate.conf" sources add Showroom) \
    >"$T_DIR/out" 2>&1
check_eq "a store made under umask 000 works" "$?" 0
check_eq "a new store is 0600" "$(stat -c %a "$T_DIR/lg.db")" 600
# A reader holding the store open in WAL mode: the -wal file's mode.
(umask 000 && printf 'select count(*) from sources;\n.shell stat -c %%a %s/lg.db-wal\n' \
    "$T_DIR" | sqlite3 "$T_DIR/lg.db") >"$T_DIR/wal" 2>&1
check_grep "its WAL file is 0600 too" '^600$' "$T_DIR/wal"
chmod 640 "$T_DIR/lg.db"
"$LEADGATE" -c "$T_DIR/leadgate.conf" sources list >/dev/null 2>&1
check_eq "an existing store keeps its mode" "$(stat -c %a "$T_DIR/lg.db")" 640
t_finish
