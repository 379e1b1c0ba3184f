# Summaries of benchmark rounds. Source it.

# minmed FILE: "min MIN median MEDIAN" of the numbers in FILE, one a line.
minmed() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "min - median -"; exit }
	    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    printf "min %.3f median %.3f\n", v[1], m }'
}

# ratio A B: A / B to three places ("-" when B is 0).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
	    if (b > 0) printf "%.3f", a / b; else printf "-" }'
}
