#!/bin/sh
# The reference for the ingest benchmark: mbsync copying COUNT inquiry
# mails from a private Dovecot to a Maildir (PRODUCT.md: leadgate's whole
# ingest pipeline should beat this plain copy).
#
#   bench/ingest_baseline.sh [COUNT] [RUNS]
#
# Sets up Dovecot in a temporary directory, fills INBOX (dovecot_fill.sh),
# times RUNS (3) mbsync copies (mbsync.sh), then stops Dovecot and removes
# the directory. Keep it with KEEP=1 to add another client's run against
# the same Dovecot (its port: DIR/imaps.port, CA: DIR/tls/ca.pem, user
# "bench", password "pw-bench").
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/dovecot.sh"

count=${1:-10000}
runs=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
chmod 711 "$dir"
cleanup() {
	dove_stop "$dir"
	[ "${KEEP:-0}" = 1 ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

DOVE_OWNER=$$ "$top/bench/lib/dovecot_fill.sh" "$dir" "$count"
i=1
while [ "$i" -le "$runs" ]; do
	printf 'run %d: ' "$i"
	"$top/bench/lib/mbsync.sh" "$dir"
	i=$((i + 1))
done
