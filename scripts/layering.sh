#!/bin/sh
# The layout's guard: data flows one way, and so do #include lines.
#
#   util <- core <- parse <- connectors rules templates spool
#        <- outbound <- ingest <- gateway
#
# A folder may include its own headers and those of folders of a lower
# rank; an include of the same rank (a sibling) or a higher one fails, as
# does a folder missing from the table (place it before adding code).
# Inside a folder, modules (foo.c + foo.h) must not include each other in
# a circle either.
#
# Usage: scripts/layering.sh [--edges] [TOP]
#   --edges  print "FROM -> TO  COUNT" for every folder-to-folder edge
# Exit 0 when the layout holds; 1 with one "layering: ..." line per fault.
set -u
edges=0
[ "${1:-}" = "--edges" ] && { edges=1; shift; }
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

RANKS="util:0 core:1 parse:2 connectors:3 rules:3 templates:3 spool:3
outbound:4 ingest:5 gateway:6"

# Every include of a project header: "FROMDIR FROMMODULE TODIR TOMODULE".
incs=$(find . -path ./tests -prune -o -path ./bench -prune \
    -o -path ./build -prune -o -path ./build-san -prune \
    -o -path './.*' -prune -o -name '*.[ch]' -print | sort |
    xargs grep -H '^#[[:space:]]*include[[:space:]]*"' 2>/dev/null |
    sed -n 's|^\./\([^/]*\)/\([^/.]*\)\.[ch]:#[[:space:]]*include[[:space:]]*"\([^/"]*\)/\([^/".]*\)\.h".*|\1 \2 \3 \4|p')

if [ "$edges" -eq 1 ]; then
	echo "$incs" | awk '$1 != $3 { n[$1 " -> " $3]++ }
	    END { for (k in n) printf "%-26s %d\n", k, n[k] }' | sort
	exit 0
fi

faults=$(echo "$incs" | awk -v ranks="$RANKS" '
BEGIN { n = split(ranks, r, /[ \n]+/)
	for (i = 1; i <= n; i++) { split(r[i], kv, ":"); rank[kv[1]] = kv[2] } }
NF == 4 {
	if (!($1 in rank)) { if (!seen[$1]++) print "layering: folder " $1 "/ has no rank in scripts/layering.sh"; next }
	if (!($3 in rank)) { if (!seen[$3]++) print "layering: folder " $3 "/ has no rank in scripts/layering.sh"; next }
	if ($1 != $3 && rank[$3] >= rank[$1])
		print "layering: " $1 "/" $2 " includes " $3 "/" $4 ".h, which is not below " $1 "/ in the flow"
}')

# Circles between the modules of one folder: tsort names the loop.
for d in $(echo "$incs" | awk '{ print $1 }' | sort -u); do
	loop=$(echo "$incs" | awk -v d="$d" '$1 == d && $3 == d && $2 != $4 { print $4, $2 }' |
	    tsort 2>&1 >/dev/null | grep -v 'input contains a loop' | sed 's|^tsort: ||')
	[ -n "$loop" ] && faults="$faults
layering: modules of $d/ include each other in a circle: $(echo $loop)"
done

faults=$(echo "$faults" | sed '/^$/d')
[ -z "$faults" ] && exit 0
echo "$faults"
exit 1
