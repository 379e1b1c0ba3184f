# Timing helpers of the benchmarks, with /usr/bin/time -v. Source after
# setting $dir, the benchmark's scratch directory.

# field NAME FILE: the value of a "NAME: value" line of time -v.
field() { sed -n "s/^[[:space:]]*$1: //p" "$2"; }
# secs H:MM:SS|M:SS.SS: seconds.
secs() {
	echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i;
	    printf "%.2f", s }'
}
# rate COUNT SECONDS: per second, rounded.
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
# timed OUT CMD...: run CMD with time -v into $dir/OUT.time (its output in
# $dir/OUT.out and .err); prints the wall time in seconds.
timed() {
	o=$1
	shift
	/usr/bin/time -v -o "$dir/$o.time" "$@" >"$dir/$o.out" 2>"$dir/$o.err"
	secs "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' \
	    "$dir/$o.time")"
}
# rss OUT: the peak resident set of the timed OUT, in KiB.
rss() { field 'Maximum resident set size (kbytes)' "$dir/$1.time"; }
