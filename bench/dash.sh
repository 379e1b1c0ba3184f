#!/bin/sh
# Dashboard benchmark (issue 20): milliseconds per page of
#   GET /dash                the funnel (two grouped counts over the store)
#   GET /dash/leads          the first page of 50 leads with their contacts
#   GET /dash/leads/ID       a lead with contact, history and mails
# on a store of LEADS leads (100,000), each next to the JSON API answer of
# the same data in the same listener (GET /api/v1/reports?by=phase,
# /api/v1/leads?limit=50, /api/v1/leads/ID), by ab(1) with keep-alive, one
# connection, N requests each, interleaved for ROUNDS rounds. Printed per
# round the mean ms of each and the ratio page/API; then min and median.
# The target is under 100 ms a page.
#
#   bench/dash.sh [LEADS] [N] [ROUNDS]          (100000, 50, 3)
#
# The store is filled with SQL (not through leadgate: that is not what is
# measured): LEADS contacts, one lead each, phases 2 to 5 in turn, created
# over 2026, with one history entry each.
#
# Measured once (2026-12-07, 2 CPUs shared with other jobs, load average
# about 17.5; defaults): funnel min 113.4 median 141.2 ms (its API peer,
# the report by phase, min 121.3 median 128.6; ratio median 1.08); leads
# list min 8.1 median 8.5 ms (API 2.0 / 4.8); a lead min 1.8 median 3.3 ms
# (API 0.1 / 0.7). The funnel misses the 100 ms target under that load:
# its query (one pass over the covering index leads_funnel) took 14 ms of
# CPU in sqlite3(1) on the same store, the rest is waiting for a CPU.
# Again the same day at load average 4.1-4.4 (the test suite running
# beside it): funnel min 30.2 median 50.8 ms (API 27.7 / 30.1); leads list
# min 2.3 median 5.9 ms; a lead min 0.4 median 1.2 ms: every page under
# 100 ms.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/tests/lib/common.sh"
. "$top/bench/lib/stats.sh"
LG=${LEADGATE:-$top/leadgate}
leads=${1:-100000}
n=${2:-50}
rounds=${3:-3}
command -v ab >/dev/null || { echo "bench/dash.sh: needs ab (apache2-utils)"; exit 1; }
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
archive = { dir = "$dir/archive"; };
serve = { port = $port; };
EOF2
export LEADGATE_CONFIG="$dir/lg.conf"
"$LG" db migrate >/dev/null
"$LG" sources add web
"$LG" sources add portal
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
SELECT id, id, 'sale', 2 + (id % 4), 'open', 1 + (id % 2), 'OBJ-' || (id % 500),
    'bench', strftime('%Y-%m-%dT%H:%M:%SZ', 1767225600 + id * 300, 'unixepoch'),
    '2026-01-01T00:00:00Z' FROM contacts;
INSERT INTO history (lead_id, contact_id, at, action, phase_before,
    phase_after, remark)
SELECT id, id, created_at, 'Demande reçue', 0, 2, 'bench' FROM leads;
COMMIT;
EOF2
printf 'bench-password\n' | "$LG" user add bench --role agent
tok=$("$LG" token add bench --scope read)
"$LG" serve 2>"$dir/serve.log" &
srv=$!
wait_port "$port" 20 || { echo "serve did not start"; cat "$dir/serve.log"; exit 1; }

B="http://127.0.0.1:$port"
curl -s -c "$dir/jar" "$B/dash/login" >"$dir/login.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$dir/login.html")
curl -s -b "$dir/jar" -c "$dir/jar" -d "csrf=$csrf" -d user=bench \
    -d password=bench-password "$B/dash/login" >/dev/null
sess=$(awk '$6 == "lg_session" { print $7 }' "$dir/jar")
[ -n "$sess" ] || { echo "cannot sign in"; exit 1; }
mid=$((leads / 2))
echo "# $leads leads; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures vary)"

# ms URL HEADER: the mean ms per request ab measured, or exit on errors.
ms() {
	ab -q -k -n "$n" -c 1 -H "$2" "$1" >"$dir/ab.out" 2>&1 ||
	    { cat "$dir/ab.out"; exit 1; }
	if ! grep -q '^Failed requests: *0$' "$dir/ab.out" ||
	    grep -q '^Non-2xx responses' "$dir/ab.out"; then
		cat "$dir/ab.out"
		exit 1
	fi
	sed -n 's/^Time per request: *\([0-9.]*\) \[ms\] (mean)$/\1/p' \
	    "$dir/ab.out" | head -1
}

set -- funnel "/dash" "/api/v1/reports?by=phase" \
    leads "/dash/leads" "/api/v1/leads?limit=50" \
    lead "/dash/leads/$mid" "/api/v1/leads/$mid"
printf '%-7s %-6s %10s %10s %8s\n' page round "page ms" "api ms" ratio
while [ $# -ge 3 ]; do
	name=$1 page=$2 api=$3
	shift 3
	: >"$dir/$name.page"
	: >"$dir/$name.api"
	: >"$dir/$name.ratio"
	for r in $(seq 1 "$rounds"); do
		# Turns alternate which goes first.
		if [ $((r % 2)) -eq 1 ]; then
			p=$(ms "$B$page" "Cookie: lg_session=$sess")
			a=$(ms "$B$api" "Authorization: Bearer $tok")
		else
			a=$(ms "$B$api" "Authorization: Bearer $tok")
			p=$(ms "$B$page" "Cookie: lg_session=$sess")
		fi
		echo "$p" >>"$dir/$name.page"
		echo "$a" >>"$dir/$name.api"
		q=$(ratio "$p" "$a")
		echo "$q" >>"$dir/$name.ratio"
		printf '%-7s %-6s %10s %10s %8s\n' "$name" "$r" "$p" "$a" "$q"
	done
	echo "$name: page ms $(minmed "$dir/$name.page"); api ms $(minmed "$dir/$name.api"); ratio $(minmed "$dir/$name.ratio")"
done
