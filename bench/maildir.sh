#!/bin/sh
# Maildir ingest next to a plain read of the same files (issue "Speed and
# scale"): COUNT realistic inquiries (bench/lib/gen_inquiries.py
# --unique: portal notifications, web forms and plain mails of ~2-5 KB
# from distinct senders) in a Maildir's new/. Per round, interleaved:
#
#   peer      find new -type f | xargs cat >/dev/null: reading every file
#   leadgate  leadgate poll of a maildir connector into an empty store
#             (parse, rules, extraction, dedup, commit, move to cur/)
#
# both on a fresh copy of the same Maildir, the peer first in odd rounds
# and second in even ones. Every leadgate run starts from an empty store
# and an empty kept-mail archive (archive.dir inside the run's folder):
# a run never finds the mails kept by the one before. Prints each
# round's times and their ratio (leadgate / peer), then min and median
# of each and of the ratio, the rate in messages/s and leadgate's peak
# RSS.
#
#   bench/maildir.sh [COUNT] [ROUNDS]          (10000, 3)
#
# LEADGATE=binary times another build; DATA=dir takes the configuration
# data (pipelines, rules, templates, lexicon, portal profiles) from
# another tree's etc/, for a build that reads an older format.
# BASELINE=binary adds a second build to every round (same mails, same
# data, its own fresh copy), in turn with the other two, with its own
# times and ratio: a before/after under the same load. Each run's load
# average is printed with it: the machine may be shared. BASE_DATA=dir
# gives the baseline its own configuration data (say the etc/ of the tree
# it was built from), when it cannot read this tree's lexicon.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
LG=${LEADGATE:-$top/leadgate}
data=${DATA:-$top/etc}
count=${1:-10000}
rounds=${2:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
. "$top/bench/lib/timing.sh"
. "$top/bench/lib/stats.sh"

mkdir -p "$dir/src/new" "$dir/src/cur" "$dir/src/tmp"
python3 "$top/bench/lib/gen_inquiries.py" --unique --count "$count" \
    --out "$dir/src/new" >/dev/null
conf() {	# conf DATA: the configuration, with data from DATA
	grep -v 'autoreply = ' "$1/rules.conf" >"$dir/rules.$2.conf"
	cat <<CONF
store = { path = "$dir/lg/leadgate.db"; default_country = "DE"; };
pipelines = "$1/pipelines.conf";
rules = "$dir/rules.$2.conf";
templates = "$1/templates";
lexicon = "$1/lexicon";
portal_profiles = "$1/portals/mail";
spool = "$dir/lg/spool";
archive = { dir = "$dir/lg/archive"; };
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = ( { name = "md"; type = "maildir"; path = "$dir/box"; } );
CONF
}
conf "$data" lg >"$dir/leadgate.conf"
conf "${BASE_DATA:-$data}" base >"$dir/base.conf"
printf 'maildir: %d mails, %s KiB\n' "$count" \
    "$(du -sk "$dir/src/new" | cut -f1)"

fresh() { rm -rf "$dir/box" "$dir/lg"; cp -R "$dir/src" "$dir/box"; mkdir "$dir/lg"; }
peer() {
	fresh
	timed peer sh -c 'find "$1/new" -type f -print0 | xargs -0 cat \
	    >/dev/null' sh "$dir/box"
}
lg() {	# lg [TAG BINARY]
	fresh
	c=$dir/leadgate.conf
	[ "${1:-lg}" = base ] && c=$dir/base.conf
	timed "${1:-lg}" "${2:-$LG}" -c "$c" poll --connector md
	ls "$dir/box/cur" | wc -l >"$dir/moved"
}
load() { cut -d' ' -f1 /proc/loadavg; }

: >"$dir/peer.s"
: >"$dir/lg.s"
: >"$dir/ratio"
: >"$dir/base.s"
: >"$dir/base.ratio"
tools="peer lg"
[ -n "${BASELINE:-}" ] && tools="peer lg base"
ntools=$(echo $tools | wc -w)
i=1
while [ "$i" -le "$rounds" ]; do
	k=0
	while [ "$k" -lt "$ntools" ]; do
		case $(echo $tools | cut -d' ' -f$(( (i - 1 + k) % ntools + 1 ))) in
		peer) p=$(peer) ;;
		lg) l=$(lg); moved=$(cat "$dir/moved"); lrss=$(rss lg) ;;
		base) b=$(lg base "$BASELINE"); bmoved=$(cat "$dir/moved") ;;
		esac
		k=$((k + 1))
	done
	echo "$p" >>"$dir/peer.s"
	echo "$l" >>"$dir/lg.s"
	ratio "$l" "$p" >>"$dir/ratio"
	echo >>"$dir/ratio"
	printf 'round %d (load %s): leadgate %s s (%s mails/s, %s moved to cur/, peak RSS %s KiB), find|cat %s s, ratio %s\n' \
	    "$i" "$(load)" "$l" "$(rate "$count" "$l")" "$moved" "$lrss" "$p" \
	    "$(ratio "$l" "$p")"
	if [ -n "${BASELINE:-}" ]; then
		echo "$b" >>"$dir/base.s"
		ratio "$b" "$p" >>"$dir/base.ratio"
		echo >>"$dir/base.ratio"
		printf '         baseline %s s (%s mails/s, %s moved to cur/, peak RSS %s KiB), ratio %s\n' \
		    "$b" "$(rate "$count" "$b")" "$bmoved" "$(rss base)" \
		    "$(ratio "$b" "$p")"
	fi
	i=$((i + 1))
done
printf 'leadgate s: %s\n' "$(minmed "$dir/lg.s")"
printf 'find|cat s: %s\n' "$(minmed "$dir/peer.s")"
printf 'ratio:      %s\n' "$(minmed "$dir/ratio")"
best=$(sort -g "$dir/lg.s" | head -1)
printf 'leadgate best rate: %s mails/s\n' "$(rate "$count" "$best")"
if [ -n "${BASELINE:-}" ]; then
	printf 'baseline s: %s\n' "$(minmed "$dir/base.s")"
	printf 'baseline ratio: %s\n' "$(minmed "$dir/base.ratio")"
	best=$(sort -g "$dir/base.s" | head -1)
	printf 'baseline best rate: %s mails/s\n' "$(rate "$count" "$best")"
fi
