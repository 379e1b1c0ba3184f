#!/bin/sh
# HTTP API benchmark (issue 19): requests per second of
#   GET /api/v1/leads?filter=phase+%3D+3&limit=100
# on a store of LEADS leads (100,000), next to a static file served by the
# same library in the same listener (GET /api/v1/openapi.json, 38 KB read
# from disk per request), both by ab(1) with keep-alive, CONC concurrent
# connections, N requests, interleaved for ROUNDS rounds. Printed per round
# the two rates and their ratio; then min and median of each.
#
#   bench/api.sh [LEADS] [N] [CONC] [ROUNDS]          (100000, 2000, 4, 5)
#
# The store is filled with SQL (not through leadgate: that is not what is
# measured): LEADS contacts, one lead each, phases 2 to 5 in turn, so the
# filter matches a quarter of them; each request runs the filter over the
# store, then reads and renders one page of 100.
#
# Measured once (2026-12-07, 2 CPUs shared with other jobs, load average
# about 21; defaults): leads min 105.6 median 113.0 req/s, static min
# 5975 median 17239 req/s, ratio min 0.005 median 0.007. A page of 100
# leads is 100 reads and renders after the filter's query; the static
# file is one read(2). Under such load the figures move a lot: rerun.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
. "$top/bench/lib/stats.sh"
LG=${LEADGATE:-$top/leadgate}
leads=${1:-100000}
n=${2:-2000}
conc=${3:-4}
rounds=${4:-5}
command -v ab >/dev/null || { echo "bench/api.sh: needs ab (apache2-utils)"; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
srv=""
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir" "$T_DIR"' \
    EXIT INT TERM

port=$(free_port)
cat >"$dir/lg.conf" <<EOF2
store = { path = "$dir/lg.db"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$top/etc/rules.conf";
templates = "$top/etc/templates";
spool = "$dir/spool";
serve = { port = $port; connections = 64; page_max = 100; };
EOF2
export LEADGATE_CONFIG="$dir/lg.conf"
"$LG" db migrate >/dev/null
"$LG" sources add web
sqlite3 "$dir/lg.db" >/dev/null <<EOF2
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < $leads)
INSERT INTO contacts (id, type, kind, first_name, last_name, language,
    prospect_state, created_at, updated_at)
SELECT i, 'person', 'lead', 'First' || i, 'Last' || i, 'de', 'current',
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO contact_emails (contact_id, pos, given, norm)
SELECT id, 0, 'p' || id || '@example.com', 'p' || id || '@example.com'
    FROM contacts;
INSERT INTO leads (id, contact_id, pipeline, phase_no, status, source_id,
    object_ref, connector, created_at, updated_at)
SELECT id, id, 'sale', 2 + (id % 4), 'open', 1, 'OBJ-' || (id % 500),
    'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM contacts;
COMMIT;
EOF2
tok=$("$LG" token add bench --scope read)
"$LG" serve 2>"$dir/serve.log" &
srv=$!
wait_port "$port" 20 || { echo "serve did not start"; cat "$dir/serve.log"; exit 1; }

url_api="http://127.0.0.1:$port/api/v1/leads?filter=phase+%3D+3&limit=100"
url_static="http://127.0.0.1:$port/api/v1/openapi.json"
got=$(curl -s -H "Authorization: Bearer $tok" "$url_api" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print(len(j["items"]), j["next"])')
echo "# $leads leads; the filter's first page: $got (items, next)"
echo "# $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures vary)"

# rps URL [HEADER]: requests per second ab measured, or exit on errors.
rps() {
	ab -q -k -n "$n" -c "$conc" ${2:+-H "$2"} "$1" >"$dir/ab.out" 2>&1 ||
	    { cat "$dir/ab.out"; exit 1; }
	if ! grep -q '^Failed requests: *0$' "$dir/ab.out" ||
	    grep -q '^Non-2xx responses' "$dir/ab.out"; then
		cat "$dir/ab.out"
		exit 1
	fi
	sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$dir/ab.out"
}

: >"$dir/api"
: >"$dir/static"
: >"$dir/ratio"
printf '%-6s %14s %14s %8s\n' round "leads req/s" "static req/s" ratio
for r in $(seq 1 "$rounds"); do
	# Turns alternate which goes first, so neither always follows the other.
	if [ $((r % 2)) -eq 1 ]; then
		a=$(rps "$url_api" "Authorization: Bearer $tok")
		s=$(rps "$url_static")
	else
		s=$(rps "$url_static")
		a=$(rps "$url_api" "Authorization: Bearer $tok")
	fi
	echo "$a" >>"$dir/api"
	echo "$s" >>"$dir/static"
	q=$(ratio "$a" "$s")
	echo "$q" >>"$dir/ratio"
	printf '%-6s %14s %14s %8s\n' "$r" "$a" "$s" "$q"
done
echo "GET /api/v1/leads?filter=...  req/s: $(minmed "$dir/api")"
echo "GET static openapi.json       req/s: $(minmed "$dir/static")"
echo "ratio leads/static:                  $(minmed "$dir/ratio")"
