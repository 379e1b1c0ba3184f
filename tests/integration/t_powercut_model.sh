#!/bin/sh
# The power-cut model itself (tests/lib/powercut.c, powercut.py): what it
# drops and what it keeps, case by case, so that t_powercut can fail. Each
# case makes a small tree, takes its image, runs a few system calls under
# the preload (Python's os module calls the libc functions the library
# replaces), restores, and compares. Also: the ranges copied at a sync
# give the same image as a whole-file comparison, and what the copying
# costs on an SQLite workload.
. "$TOP/tests/lib/common.sh"

SO=$BUILD/tests/powercut.so
PCPY=$TOP/tests/lib/powercut.py
[ -f "$SO" ] || { not_ok "no $SO (make tests builds it)"; t_finish; exit 1; }

# case_run NAME SETUP_PY OPS_PY: a fresh tree $T_DIR/NAME/d, SETUP_PY run
# in it without the preload, the image, OPS_PY under the preload, restore.
case_run() {
	C=$T_DIR/$1/d
	S=$T_DIR/$1/shadow
	mkdir -p "$C"
	(cd "$C" && python3 -c "import os
$2") || not_ok "$1: setup"
	python3 "$PCPY" image "$C" "$S" || not_ok "$1: image"
	(cd "$C" && LD_PRELOAD=$SO POWERCUT_DIR=$C POWERCUT_SHADOW=$S \
	    python3 -c "import os
def put(p, data, sync=False, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC):
    fd = os.open(p, flags, 0o600)
    os.write(fd, data)
    if sync:
        os.fsync(fd)
    os.close(fd)
def dsync(p='.'):
    fd = os.open(p, os.O_RDONLY | os.O_DIRECTORY)
    os.fsync(fd)
    os.close(fd)
$3") || not_ok "$1: operations"
	python3 "$PCPY" restore "$C" "$S" >"$T_DIR/$1/restore.out" ||
	    not_ok "$1: restore"
}
content() { cat "$C/$1" 2>/dev/null || echo "(none)"; }

case_run unsynced "open('a','w').write('old\n')" \
    "put('a', b'new\n')"
check_eq "a write without fsync is lost" "$(content a)" "old"

case_run nodirsync "" \
    "put('a', b'new\n', sync=True)"
check_eq "a new file synced, its directory not: gone" "$(content a)" "(none)"

case_run synced "os.mkdir('sub')" \
    "put('sub/a', b'new\n', sync=True); dsync('sub')"
check_eq "a new file synced, its directory too: kept" "$(content sub/a)" "new"

case_run nodatasync "" \
    "put('a', b'new\n'); dsync()"
check_eq "a new name synced, its data not: empty" "$(content a)" ""

case_run rename "open('a','w').write('one\n')" \
    "put('tmp', b'two\n', sync=True); os.rename('tmp', 'a')"
check_eq "a rename without a directory fsync: the old file" "$(content a)" \
    "one"
check_eq "and no temporary name" "$(content tmp)" "(none)"

case_run renamesync "open('a','w').write('one\n')" \
    "put('tmp', b'two\n', sync=True); os.rename('tmp', 'a'); dsync()"
check_eq "fsync, rename, directory fsync: the new file" "$(content a)" "two"
check_eq "under its new name only" "$(content tmp)" "(none)"

case_run unlink "open('a','w').write('one\n')" \
    "os.unlink('a')"
check_eq "an unlink without a directory fsync is undone" "$(content a)" "one"

case_run otherfd "open('a','w').write('one\n')" \
    "put('a', b'two\n'); fd = os.open('a', os.O_RDONLY); os.fsync(fd)"
check_eq "an fsync through another descriptor syncs the file" \
    "$(content a)" "two"

case_run osync "open('a','w').write('old\n')" \
    "put('a', b'new\n', flags=os.O_WRONLY | os.O_TRUNC | os.O_DSYNC)"
check_eq "a write through an O_DSYNC descriptor is durable" "$(content a)" \
    "new"

case_run mkdirnosync "" \
    "os.mkdir('sub'); put('sub/a', b'x\n', sync=True); dsync('sub')"
check_eq "a new directory whose parent was not synced: gone" \
    "$(content sub/a)" "(none)"

# An unlinked file whose inode a new file may get: each keeps its own.
case_run reuse "os.mkdir('sub'); open('a','w').write('old\n')" \
    "os.unlink('a'); put('sub/b', b'new\n', sync=True); dsync('sub')"
check_eq "a durable name keeps its file when its inode is reused" \
    "$(content a)" "old"
check_eq "and the new file has its own content" "$(content sub/b)" "new"

case_run syncfs "os.mkdir('sub'); open('a','w').write('old\n')" \
    "import ctypes
put('a', b'new\n'); put('sub/b', b'bee\n')
fd = os.open('.', os.O_RDONLY)
assert ctypes.CDLL(None, use_errno=True).syncfs(fd) == 0"
check_eq "syncfs keeps every write" "$(content a)" "new"
check_eq "and every new name" "$(content sub/b)" "bee"

case_run truncate "open('a','w').write('abcdef\n')" \
    "fd = os.open('a', os.O_RDWR); os.ftruncate(fd, 2); os.ftruncate(fd, 4)
os.fsync(fd)"
check_eq "a shrink then a growth: zeros, not the old bytes" \
    "$(od -An -c "$C/a" | tr -s ' ')" " a b \\0 \\0"

# Random writes by two processes, synced by a third: the image made from
# the ranges equals the file, and equals a whole-file comparison.
ops="import random
random.seed(7)
fd = os.open('f', os.O_RDWR | os.O_CREAT, 0o600)
for i in range(300):
    os.pwrite(fd, random.randbytes(random.randint(1, 9000)), random.randint(0, 200000))
    if i % 50 == 0:
        os.ftruncate(fd, random.randint(1000, 150000))
    if i % 70 == 0:
        os.fsync(fd)
os.close(fd)"
for mode in ranges full; do
	case_run "random-$mode" "open('f','w').close()" "$ops"
	sum1=$(sha1sum <"$C/f")
	C0=$C
	S0=$S
	(cd "$C" && LD_PRELOAD=$SO POWERCUT_DIR=$C POWERCUT_SHADOW=$S \
	    POWERCUT_FULL=$([ $mode = full ] && echo 1 || echo 0) \
	    python3 -c "import os
$ops
fd = os.open('f', os.O_RDWR)
os.pwrite(fd, b'last', 7)
os.close(fd)
fd = os.open('f', os.O_RDONLY)
os.fsync(fd)") || not_ok "random: second run"
	want=$(sha1sum <"$C0/f")
	python3 "$PCPY" restore "$C0" "$S0" >/dev/null
	check_eq "random writes, synced by another process ($mode): image = file" \
	    "$(sha1sum <"$C0/f")" "$want"
	eval "sum_$mode=\$want"
	[ "$sum1" != "$want" ] || not_ok "random: the second run changed nothing"
done
check_eq "the ranges give the image a whole-file comparison gives" \
    "$sum_ranges" "$sum_full"

# SQLite in WAL mode: FULL keeps every commit, OFF (no fsync) none.
sql_ops() {
	printf '%s\n' "import sqlite3, time
db = sqlite3.connect('lg.db', isolation_level=None)
db.execute('pragma journal_mode=wal')
db.execute('pragma synchronous=$1')
t = time.time()
for i in range($2):
    db.execute('insert into t values (?, ?)', (i, 'x' * 300))
print('%.3f' % (time.time() - t))
os._exit(0)"
}
sql_setup="import sqlite3
db = sqlite3.connect('lg.db')
db.execute('pragma journal_mode=wal')
db.execute('create table t (i, v)')
db.commit()
db.close()"
for s in full off; do
	case_run "sqlite-$s" "$sql_setup" "$(sql_ops $s 200)" >/dev/null
	rows=$(sqlite3 "$C/lg.db" 'select count(*) from t')
	check_eq "SQLite WAL, synchronous=$s: integrity after the cut" \
	    "$(sqlite3 "$C/lg.db" 'pragma integrity_check')" ok
	eval "rows_$s=\$rows"
done
check_eq "synchronous=FULL: every commit survives" "$rows_full" 200
check_eq "synchronous=OFF: no commit survives (none was synced)" \
    "$rows_off" 0

# The cost of a sync: 2000 commits with synchronous=FULL, plain, under
# the model copying ranges, under the model comparing whole files.
mkdir -p "$T_DIR/cost"
(cd "$T_DIR/cost" && python3 -c "import os
$sql_setup" && python3 -c "import os
$(sql_ops full 2000)") >"$T_DIR/cost.plain"
for mode in 0 1; do
	rm -rf "$T_DIR/cost$mode"
	mkdir -p "$T_DIR/cost$mode/d"
	(cd "$T_DIR/cost$mode/d" && python3 -c "import os
$sql_setup")
	python3 "$PCPY" image "$T_DIR/cost$mode/d" "$T_DIR/cost$mode/s"
	(cd "$T_DIR/cost$mode/d" && LD_PRELOAD=$SO \
	    POWERCUT_DIR=$T_DIR/cost$mode/d POWERCUT_SHADOW=$T_DIR/cost$mode/s \
	    POWERCUT_FULL=$mode python3 -c "import os
$(sql_ops full 2000)") >"$T_DIR/cost.$mode"
done
echo "# 2000 SQLite commits (WAL, FULL): $(cat "$T_DIR/cost.plain") s with" \
    "real fsyncs, $(cat "$T_DIR/cost.0") s modelled copying ranges," \
    "$(cat "$T_DIR/cost.1") s modelled comparing whole files"
t_finish
