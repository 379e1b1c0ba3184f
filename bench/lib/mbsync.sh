#!/bin/sh
# Time mbsync (isync) copying a folder of the test Dovecot to a Maildir.
#
#   bench/lib/mbsync.sh DIR [USER] [FOLDER]
#
# DIR is a running Dovecot of tests/lib/dovecot.sh (see dovecot_fill.sh).
# mbsync connects with implicit TLS, verified against DIR/tls/ca.pem, and
# pulls FOLDER (INBOX) of USER (bench) into a fresh DIR/mbsync/out, so
# every run copies every message. Wall time, CPU and peak RSS come from
# GNU time -v. Prints one line of figures and checks the copy is complete.
# MBSYNC_FSYNC=no runs it with "FSync no" (no fsync of what it writes).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/dovecot.sh"

dir=$(cd "${1:?usage: mbsync.sh DIR [USER] [FOLDER]}" && pwd)
user=${2:-bench}
folder=${3:-INBOX}
work="$dir/mbsync"
out="$work/out"

rm -rf "$work"
mkdir -p "$out"
cat >"$work/rc" <<RC
FSync ${MBSYNC_FSYNC:-yes}

IMAPAccount bench
Host localhost
Port $(cat "$dir/imaps.port")
User $user
Pass $DOVE_PASSWORD_PREFIX$user
SSLType IMAPS
CertificateFile $dir/tls/ca.pem

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path $out/
Inbox $out/INBOX
SubFolders Verbatim

Channel bench
Far :bench-far:
Near :bench-near:
Patterns $folder
Create Near
Sync Pull
SyncState *
RC

want=$(dove_count "$dir" "$user" "$folder")
if ! /usr/bin/time -v -o "$work/time.txt" mbsync -q -c "$work/rc" bench \
    >"$work/mbsync.log" 2>&1; then
	echo "mbsync failed:" >&2
	cat "$work/mbsync.log" >&2
	exit 1
fi
[ "$folder" = INBOX ] && box="$out/INBOX" || box="$out/$folder"
got=$(find "$box/cur" "$box/new" -type f | wc -l)
if [ "$got" -ne "$want" ]; then
	echo "mbsync copied $got of $want messages" >&2
	exit 1
fi

awk -F': ' -v n="$got" '
/Elapsed \(wall clock\)/ {
	k = split($2, t, ":")
	wall = (k == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]
}
/User time/ { user = $2 }
/System time/ { sys = $2 }
/Maximum resident set size/ { rss = $2 }
END {
	rate = wall > 0 ? n / wall : 0
	printf "mbsync: %d messages in %.2f s wall (%.0f msg/s), ", n, wall,
	    rate
	printf "user %.2f s, sys %.2f s, peak RSS %d KiB\n", user, sys, rss
}' "$work/time.txt"
