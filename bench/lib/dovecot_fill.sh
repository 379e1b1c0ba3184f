#!/bin/sh
# Fill a folder of the test Dovecot with generated inquiry mails, fast.
#
#   bench/lib/dovecot_fill.sh DIR [COUNT] [USER] [FOLDER]
#
# DIR is a Dovecot directory of tests/lib/dovecot.sh (set up here for USER
# when it has no dovecot.conf yet). COUNT (10000) messages from
# bench/lib/gen_inquiries.py are written straight into USER's (bench)
# Maildir folder FOLDER (INBOX) while Dovecot is stopped, then Dovecot is
# started and doveadm indexes the folder, so that a benchmark afterwards
# measures fetching, not Dovecot's first look at 10,000 new files.
#
# Dovecot keeps running, stopped by its watchdog when DOVE_OWNER (default:
# the calling process) exits, or by ". tests/lib/dovecot.sh; dove_stop DIR".
# Prints one line of figures; the port and password are in DIR/imaps.port
# and in the passwd file (password "pw-USER"). FILL_UNIQUE=1: every
# prospect distinct, no resent Message-ID (gen_inquiries.py --unique).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/dovecot.sh"

dir=${1:?usage: dovecot_fill.sh DIR [COUNT] [USER] [FOLDER]}
count=${2:-10000}
user=${3:-bench}
folder=${4:-INBOX}
owner=${DOVE_OWNER:-$PPID}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -f "$dir/dovecot.conf" ] || dove_setup "$dir" "$user"
dove_stop "$dir"

md=$(dove_maildir "$dir" "$user")
[ "$folder" = INBOX ] || md="$md/.$folder"
mkdir -p "$md/new" "$md/cur" "$md/tmp"
[ "$folder" = INBOX ] || : >"$md/maildirfolder"

now() { date +%s.%N; }
t0=$(now)
gen=$(python3 "$top/bench/lib/gen_inquiries.py" --out "$md/new" \
    --count "$count" ${FILL_UNIQUE:+--unique})
chown -R 65534:65534 "$dir/home"
t1=$(now)
dove_start "$dir" "$owner"
n=$(dove_count "$dir" "$user" "$folder")
t2=$(now)

awk -v g="$gen" -v n="$n" -v f="$user/$folder" -v a="$t0" -v b="$t1" \
    -v c="$t2" 'BEGIN {
	printf "dovecot_fill: %s -> %s now holds %s messages; ", g, f, n
	printf "written in %.2f s, indexed in %.2f s\n", b - a, c - b
}'
