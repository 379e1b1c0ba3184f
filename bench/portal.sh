#!/bin/sh
# Portal connector benchmark: the emulator (tests/lib/portal_emulator.py)
# serves 10,000 inquiries over 100 pages in the OAuth2 + cursor shape of
# etc/portals/immo-oauth-cursor.conf; `leadgate poll` reads them all once.
# The poll goes through the whole ingest pipeline (rules, deduplication,
# contact and lead committed per inquiry, acknowledgement per page). Prints
# inquiries per second and peak memory (GNU time), next to a --dry-run of
# the same poll (fetch, parse and map only) and curl fetching the same 100
# pages over one connection (transport only).
#
# Usage: bench/portal.sh [ITEMS] [PAGE_SIZE]   (needs `make` first)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
LEADGATE=${LEADGATE:-$TOP/leadgate}
ITEMS=${1:-10000}
SIZE=${2:-100}
DIR="${TMPDIR:-/tmp}/lg-bench-portal.$$"
rm -rf "$DIR" && mkdir -p "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SECRET=bench-secret

python3 "$TOP/tests/lib/portal_emulator.py" --port "$PORT" --shape immo \
    --items "$ITEMS" --secret "$SECRET" >"$DIR/emulator.out" 2>&1 &
EM=$!
trap 'kill $EM 2>/dev/null; wait $EM 2>/dev/null; rm -rf "$DIR"' EXIT INT TERM
python3 - "$PORT" <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY

mkdir -p "$DIR/secrets"
printf '%s\n' "$SECRET" >"$DIR/secrets/immo-client-secret"
chmod 600 "$DIR/secrets/immo-client-secret"
sed -e "s#https://api.immo-portal.example#http://127.0.0.1:$PORT#" \
    -e "s#limit = \"50\"#limit = \"$SIZE\"#" \
    -e "s#^  interval = 300;#  interval = 300; max_pages = 100000;#" \
    "$TOP/etc/portals/immo-oauth-cursor.conf" >"$DIR/portal.conf"
printf 'store = { path = "leadgate.db"; };\nconnectors = (\n@include "portal.conf"\n);\n' \
    >"$DIR/leadgate.conf"
cp "$TOP/etc/pipelines.conf" "$DIR/pipelines.conf"
printf 'dedup = { email = true; phone = true; };\nrules = ( { name = "all"; } );\n' \
    >"$DIR/rules.conf"

# Reference: curl fetching the same pages on one connection.
TOKEN=$(curl -s -u "leadgate:$SECRET" -d grant_type=client_credentials \
    "http://127.0.0.1:$PORT/oauth/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PAGES=$(( (ITEMS + SIZE - 1) / SIZE ))
i=0
: >"$DIR/curl.cfg"
while [ $i -lt $PAGES ]; do
	printf 'url = "http://127.0.0.1:%s/v1/leads?limit=%s&cursor=c%s"\noutput = "/dev/null"\n' \
	    "$PORT" "$SIZE" $((i * SIZE)) >>"$DIR/curl.cfg"
	i=$((i + 1))
done
t0=$(date +%s.%N)
curl -s -H "Authorization: Bearer $TOKEN" -K "$DIR/curl.cfg"
t1=$(date +%s.%N)

cd "$DIR"
# measure NAME ARGS...: run leadgate under GNU time; sets N, SECS, RSS.
measure() {
	/usr/bin/time -v "$LEADGATE" -c leadgate.conf poll --connector immo \
	    "$@" >"$DIR/out" 2>"$DIR/time"
	N=$(wc -l <"$DIR/out")
	SECS=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' \
	    "$DIR/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++)
	    s = s * 60 + $i; print s }')
	RSS=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time")
}
report() {
	awk -v w="$1" -v n="$N" -v s="$SECS" -v r="$RSS" 'BEGIN {
	printf "%-28s %6d inquiries in %6.2f s = %7.0f inquiries/s, peak RSS %.1f MiB\n",
	    w, n, s, (s > 0 ? n / s : 0), r / 1024 }'
}
echo "portal bench: $ITEMS inquiries over $PAGES pages from the emulator (loopback)"
measure --dry-run
report "leadgate poll --dry-run:"
[ "$N" -eq "$ITEMS" ] || { echo "bench: dry run found $N, not $ITEMS" >&2; exit 1; }
measure
report "leadgate poll (ingest):"
leads=$(sqlite3 "$DIR/leadgate.db" "SELECT count(*) FROM leads")
[ "$leads" -eq "$ITEMS" ] || { echo "bench: $leads leads, not $ITEMS" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v p="$PAGES" 'BEGIN {
	printf "reference, curl fetching the same %d pages: %.2f s\n", p, b - a }'
