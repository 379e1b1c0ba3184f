#!/bin/sh
# Extraction benchmark (issue "Extraction that generalises"): `leadgate
# parse --json` on COUNT mails, the mails of tests/data/corpus/ (train and
# held-out: every portal, web form and mail client, every charset and
# layout there) repeated in turn until COUNT, in two ways:
#
#   per mail   one process per mail, as a mail server's pipe would run
#              it: process start-up and loading the profiles and the
#              lexicon every time;
#   one run    one process for all COUNT mails (`parse --json FILE...`,
#              one JSON object per line): what reading mail costs once
#              the data is loaded, as in the daemon.
#
# RUNS rounds of each; printed per round the wall time and mails/s, then
# the minimum and the median of the rounds per way, and a baseline: the
# same number of processes of /bin/true started the same way (what
# process start-up alone costs here).
#
#   bench/extract.sh [COUNT] [RUNS]          (10000, 3; needs `make` first)
#
# Compare the medians before and after a change to the extractors on the
# same machine. The outputs are not looked at: no mail is scored here.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
LG=${LEADGATE:-$top/leadgate}
count=${1:-10000}
runs=${2:-3}
[ "$runs" -ge 1 ] || { echo "RUNS must be at least 1" >&2; exit 64; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

. "$top/bench/lib/timing.sh"

# Paths relative to the corpus: 10,000 of them fit on one command line.
corpus=$top/tests/data/corpus
(cd "$corpus" && find . -name '*.eml' | sed 's|^\./||' | LC_ALL=C sort) \
    >"$dir/corpus"
n=$(wc -l <"$dir/corpus")
[ "$n" -gt 0 ] || { echo "no mails under tests/data/corpus" >&2; exit 66; }
awk -v c="$count" '{ m[NR] = $0 } END { for (i = 0; i < c; i++)
    print m[i % NR + 1] }' "$dir/corpus" >"$dir/list"

# Each corpus mail once: how many leadgate refuses (they are timed too).
refused=0
while read -r f; do
	(cd "$corpus" && "$LG" parse --json "$f") >/dev/null 2>&1 ||
	    refused=$((refused + 1))
done <"$dir/corpus"
printf 'corpus: %d mails (%d refused by parse), repeated to %d\n' \
    "$n" "$refused" "$count"

# summary LABEL: min and median of the rates in $dir/rates.
summary() {
	sort -n "$dir/rates" | awk -v l="$1" '{ r[NR] = $1 } END {
	    med = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
	    printf "parse --json, %s: min %.0f, median %.0f mails/s over %d runs\n",
	        l, r[1], med, NR }'
}

i=1
: >"$dir/rates"
while [ "$i" -le "$runs" ]; do
	s=$(timed "per$i" sh -c 'cd "$3" && xargs -n 1 "$1" parse --json \
	    <"$2" >/dev/null 2>&1; exit 0' sh "$LG" "$dir/list" "$corpus")
	r=$(rate "$count" "$s")
	echo "$r" >>"$dir/rates"
	printf 'per mail, run %d: %d mails in %s s = %s mails/s, peak RSS %s KiB\n' \
	    "$i" "$count" "$s" "$r" "$(rss "per$i")"
	i=$((i + 1))
done
summary "one process per mail"

i=1
: >"$dir/rates"
while [ "$i" -le "$runs" ]; do
	# One process: the whole list as arguments (no xargs splitting).
	s=$(timed "one$i" sh -c 'cd "$3" && "$1" parse --json $(cat "$2") \
	    >/dev/null 2>&1; exit 0' sh "$LG" "$dir/list" "$corpus")
	r=$(rate "$count" "$s")
	echo "$r" >>"$dir/rates"
	printf 'one run, run %d: %d mails in %s s = %s mails/s, peak RSS %s KiB\n' \
	    "$i" "$count" "$s" "$r" "$(rss "one$i")"
	i=$((i + 1))
done
summary "one process for all"

s=$(timed base sh -c 'xargs -n 1 /bin/true <"$1" >/dev/null 2>&1; exit 0' \
    sh "$dir/list")
printf 'baseline /bin/true: %d processes in %s s = %s/s\n' "$count" "$s" \
    "$(rate "$count" "$s")"
