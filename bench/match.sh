#!/bin/sh
# Matching benchmark (issue 21): `leadgate match OBJ --dry-run` of one
# object against COUNT search profiles (one per contact), next to a
# plain filter over the same contacts asking the same kind of question
# of their custom fields:
#
#   bench/match.sh [COUNT] [ROUNDS]        (100000, 3)
#
#   match:  leadgate match OBJ-1001 --dry-run        (every profile read
#           and compared, each match and near miss listed with its reasons)
#   filter: leadgate contacts list --filter 'contact.custom.search_rooms
#           <= 4.5 and contact.custom.search_price_max >= 1190000'
#           (SQLite, numeric custom fields)
#
# The store: COUNT prospects of bench/lib/fill_contacts.py with a profile
# each (bench/lib/fill_profiles.py), and the 50 objects of
# tests/data/openimmo/feed.xml. The two commands run interleaved, in
# swapped order every round, output to /dev/null. The figures are wall
# seconds; the machine may be shared: look at the spread.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
TOP=$top
. "$top/bench/lib/stats.sh"
LG=${LEADGATE:-$top/leadgate}
count=${1:-100000}
rounds=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench-match.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

cat >"$dir/lg.conf" <<CONF
store = { path = "$dir/leadgate.db"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
spool = "$dir/spool";
CONF
export LEADGATE_CONFIG="$dir/lg.conf"
"$LG" db migrate >/dev/null
python3 "$top/bench/lib/fill_contacts.py" "$dir/leadgate.db" "$count" \
    >/dev/null
python3 "$top/bench/lib/fill_profiles.py" "$dir/leadgate.db"
"$LG" objects import "$top/tests/data/openimmo/feed.xml" >/dev/null

now() { date +%s.%N; }
timed() {	# timed FILE CMD...: append CMD's wall seconds to FILE
	t_file=$1
	shift
	t0=$(now)
	"$@" >/dev/null
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$t_file"
}
run_match() { "$LG" match OBJ-1001 --dry-run; }
run_filter() {
	"$LG" contacts list --filter 'contact.custom.search_rooms <= 4.5 and contact.custom.search_price_max >= 1190000'
}

"$LG" match OBJ-1001 --dry-run | sed -n '2p;/^near misses/p'
printf 'filter: %s contacts\n' "$(run_filter | tail -n +2 | wc -l)"
: >"$dir/m"
: >"$dir/f"
: >"$dir/r"
i=1
while [ "$i" -le "$rounds" ]; do
	if [ $((i % 2)) -eq 1 ]; then
		timed "$dir/m" run_match
		timed "$dir/f" run_filter
	else
		timed "$dir/f" run_filter
		timed "$dir/m" run_match
	fi
	m=$(tail -1 "$dir/m")
	f=$(tail -1 "$dir/f")
	ratio "$m" "$f" >>"$dir/r"
	echo >>"$dir/r"
	printf 'round %d: match %ss, filter %ss, ratio %s\n' "$i" "$m" "$f" \
	    "$(tail -1 "$dir/r")"
	i=$((i + 1))
done
printf 'match  (%d profiles): %s\n' "$count" "$(minmed "$dir/m")"
printf 'filter (%d contacts): %s\n' "$count" "$(minmed "$dir/f")"
printf 'ratio match/filter:      %s\n' "$(minmed "$dir/r")"
