#!/bin/sh
# Deduplication as the store grows (issue 17: "dedup still flat to
# 1,000,000 contacts"): COUNT inquiries ingested with `leadgate poll` from
# a Maildir into a small store and into one of CONTACTS more prospects.
#
#   bench/dedup.sh [COUNT] [CONTACTS] [ROUNDS]        (1000, 1000000, 3)
#
# Mails: bench/lib/gen_inquiries.py --unique (portal notifications, web
# forms and plain mails of ~2-5 KB, each from a prospect of its own).
#
#   known  COUNT prospects already in the store asking again (--again:
#          the same inquiries with new Message-IDs, a month later): each
#          must match its contact by e-mail; those with an object
#          reference (about a third: "added to open leads") join their
#          open lead for it, the others open a new lead for the contact.
#   new    COUNT prospects nobody has seen (--first 5000000): each must
#          become a new contact.
#
# Stores, made once per binary with that binary's own schema:
#
#   small  the COUNT known prospects, ingested by leadgate itself.
#   big    small plus CONTACTS earlier prospects written by
#          bench/lib/fill_contacts.py straight into the schema leadgate
#          created (bound inserts): contact, e-mail (given, normalised),
#          phone (given, E.164), open lead, history and inquiry rows as an
#          inquiry leaves them, so every index is as large as it would be.
#          Before it is used, 20 probe mails from filled prospects
#          (fill_contacts.py --probe) must match 10 by e-mail and 10 by
#          phone on a small fill of the same rows: leadgate finds what
#          the filler writes.
#
# Each run starts from a copy of its store (copied and synced before the
# clock starts, so the copy's writeback is not timed) and a fresh copy of
# the Maildir. Per round the four runs go in turn, one place later each
# round; the ratio is big / small of the same mails in the same round.
# Prints each run's wall time, CPU time (user + system), the KiB it wrote
# to the file system (time -v), the poll summary and the contacts it
# added, then min / median of every time and of the ratios of wall and
# of CPU time. The machine may be shared: wall times then scatter (look
# at the spread before trusting one figure); CPU time and bytes written
# say more steadily whether the work grows with the store.
#
# LEADGATE=binary times another build; BASELINE=binary adds a second
# build to every round (with stores of its own schema) for a
# before/after comparison under the same load. CACHE=dir keeps the big
# stores there between invocations (keyed by schema, COUNT and CONTACTS;
# about 1.1 GB for 1,000,000); without it they live in the scratch
# directory and go at the end.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
LG=${LEADGATE:-$top/leadgate}
count=${1:-1000}
contacts=${2:-1000000}
rounds=${3:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
. "$top/bench/lib/timing.sh"
. "$top/bench/lib/stats.sh"
cache=${CACHE:-$dir/cache}
mkdir -p "$cache"

maildir() { mkdir -p "$1/new" "$1/cur" "$1/tmp"; }
maildir "$dir/known0"
maildir "$dir/known"
maildir "$dir/new"
gen="python3 $top/bench/lib/gen_inquiries.py --unique --count $count"
$gen --out "$dir/known0/new" >/dev/null
$gen --again --out "$dir/known/new" >/dev/null
$gen --first 5000000 --seed 2 --out "$dir/new/new" >/dev/null
grep -v 'autoreply = ' "$top/etc/rules.conf" >"$dir/rules.conf"

# conf STORE BOX: a configuration polling Maildir BOX into STORE.
conf() {
	cat <<CONF
store = { path = "$1"; default_country = "CH"; };
pipelines = "$top/etc/pipelines.conf";
rules = "$dir/rules.conf";
templates = "$top/etc/templates";
lexicon = "$top/etc/lexicon";
portal_profiles = "$top/etc/portals/mail";
spool = "$dir/run/spool";
log = { level = "warn"; };
ingest = { loop_max = 1000000; };
mail = { from = "Immobilien Muster AG <info@muster-immo.example>";
         domain = "muster-immo.example"; };
connectors = ( { name = "md"; type = "maildir"; path = "$2"; } );
CONF
}
nrows() { sqlite3 "$1" "SELECT count(*) FROM $2"; }
# poll BIN STORE BOX: an untimed poll of a fresh copy of Maildir BOX.
poll() {
	rm -rf "$dir/box" "$dir/run"
	mkdir -p "$dir/run"
	cp -R "$3" "$dir/box"
	conf "$2" "$dir/box" >"$dir/setup.conf"
	"$1" -c "$dir/setup.conf" poll --connector md >"$dir/setup.out" 2>&1 ||
	    { tail -3 "$dir/setup.out"; exit 1; }
}

# stores TAG BIN: $dir/TAG.small.db and the big store for BIN.
stores() {
	small=$dir/$1.small.db
	poll "$2" "$small" "$dir/known0"
	sqlite3 "$small" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	[ "$(nrows "$small" contacts)" -eq "$count" ] || {
		echo "$1: the small store has $(nrows "$small" contacts) contacts, not $count"
		exit 1
	}
	# Does leadgate find the rows the filler writes? 1,000 of them,
	# then the 20 probes.
	cp "$small" "$dir/probe.db"
	python3 "$top/bench/lib/fill_contacts.py" "$dir/probe.db" 1000 >/dev/null
	maildir "$dir/probe"
	rm -f "$dir/probe/new/"*
	python3 "$top/bench/lib/fill_contacts.py" --probe "$dir/probe/new"
	before=$(nrows "$dir/probe.db" contacts)
	poll "$2" "$dir/probe.db" "$dir/probe"
	by_mail=$(sqlite3 "$dir/probe.db" "SELECT count(*) FROM inquiries
	    WHERE key LIKE 'mid:probe.%' AND decision LIKE '% by e-mail %'")
	by_phone=$(sqlite3 "$dir/probe.db" "SELECT count(*) FROM inquiries
	    WHERE key LIKE 'mid:probe.%' AND decision LIKE '% by phone %'")
	after=$(nrows "$dir/probe.db" contacts)
	echo "$1: probes on filled rows: $by_mail of 10 matched by e-mail, $by_phone of 10 by phone, $((after - before)) new contacts"
	[ "$by_mail" -eq 10 ] && [ "$by_phone" -eq 10 ] &&
	    [ "$after" -eq "$before" ] || { echo "$1: the filled rows are not what leadgate matches"; exit 1; }
	rm -f "$dir/probe.db"*
	key=$({ sqlite3 "$small" .schema; echo "$count $contacts";
	    cat "$top/bench/lib/fill_contacts.py"; } | sha256sum | cut -c1-16)
	big=$cache/big-$key.db
	if [ ! -f "$big" ]; then
		t0=$(date +%s)
		cp "$small" "$big.tmp"
		python3 "$top/bench/lib/fill_contacts.py" "$big.tmp" \
		    "$contacts" >/dev/null
		mv "$big.tmp" "$big"
		echo "$1: filled $contacts prospects in $(( $(date +%s) - t0 )) s"
	fi
	ln -sf "$big" "$dir/$1.big.db"
	echo "$1: small store $(nrows "$small" contacts) contacts; big store $(nrows "$big" contacts) contacts, $(nrows "$big" contact_emails) e-mails, $(nrows "$big" contact_phones) phones, $(nrows "$big" leads) leads, $(nrows "$big" inquiries) inquiries ($(du -m "$big" | cut -f1) MB)"
}

tags="lg"
stores lg "$LG"
if [ -n "${BASELINE:-}" ]; then
	tags="lg base"
	stores base "$BASELINE"
fi
bin() { [ "$1" = base ] && echo "$BASELINE" || echo "$LG"; }
echo "dedup: $count inquiries per run, small store vs $contacts more contacts; $rounds rounds"

# run TAG SIZE KIND: one timed poll; appends the time to $dir/TAG.SIZE.KIND.s
run() {
	rm -rf "$dir/box" "$dir/run"
	mkdir -p "$dir/run"
	cp -R "$dir/$3" "$dir/box"
	cp "$dir/$1.$2.db" "$dir/run/leadgate.db"
	conf "$dir/run/leadgate.db" "$dir/box" >"$dir/run.conf"
	c0=$(nrows "$dir/run/leadgate.db" contacts)
	sync
	t=$(timed poll "$(bin "$1")" -c "$dir/run.conf" poll --connector md)
	c1=$(nrows "$dir/run/leadgate.db" contacts)
	cpu=$(awk -v u="$(field 'User time (seconds)' "$dir/poll.time")" \
	    -v s="$(field 'System time (seconds)' "$dir/poll.time")" \
	    'BEGIN { printf "%.2f", u + s }')
	out=$(field 'File system outputs' "$dir/poll.time")
	echo "$t" >>"$dir/$1.$2.$3.s"
	echo "$cpu" >>"$dir/$1.$2.$3.cpu"
	eval "t_$1_$2_$3=$t c_$1_$2_$3=$cpu"
	sum=$(cat "$dir/poll.out" "$dir/poll.err" | grep "^poll md:" | sed 's/^poll md: //')
	printf '  %-4s %-5s %-5s %6s s, CPU %5s s, %6s KiB written, peak RSS %s KiB; +%d contacts: %s\n' \
	    "$1" "$2" "$3" "$t" "$cpu" "$((out / 2))" "$(rss poll)" \
	    "$((c1 - c0))" "$sum"
	want=0
	[ "$3" = new ] && want=$count
	[ "$((c1 - c0))" -eq "$want" ] ||
	    echo "  ^ not ok: $want new contacts expected"
	rm -rf "$dir/run"
}

runs=""
for t in $tags; do
	runs="$runs $t:small:new $t:big:new $t:small:known $t:big:known"
done
nruns=$(echo $runs | wc -w)
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r:"
	k=0
	while [ "$k" -lt "$nruns" ]; do
		x=$(echo $runs | cut -d' ' -f$(( (r - 1 + k) % nruns + 1 )))
		run $(echo "$x" | tr : ' ')
		k=$((k + 1))
	done
	for t in $tags; do
		for kind in new known; do
			v=$(eval ratio "\$t_${t}_big_$kind" "\$t_${t}_small_$kind")
			c=$(eval ratio "\$c_${t}_big_$kind" "\$c_${t}_small_$kind")
			echo "$v" >>"$dir/$t.$kind.ratio"
			echo "$c" >>"$dir/$t.$kind.cratio"
			echo "  $t $kind: big / small: wall $v, CPU $c"
		done
	done
	r=$((r + 1))
done
for t in $tags; do
	name=leadgate
	[ "$t" = base ] && name=baseline
	for kind in new known; do
		for size in small big; do
			printf '%s %-5s %-5s s: %s\n' "$name" "$kind" "$size" \
			    "$(minmed "$dir/$t.$size.$kind.s")"
		done
		printf '%s %-5s big/small wall: %s\n' "$name" "$kind" \
		    "$(minmed "$dir/$t.$kind.ratio")"
		for size in small big; do
			printf '%s %-5s %-5s CPU s: %s\n' "$name" "$kind" \
			    "$size" "$(minmed "$dir/$t.$size.$kind.cpu")"
		done
		printf '%s %-5s big/small CPU: %s\n' "$name" "$kind" \
		    "$(minmed "$dir/$t.$kind.cratio")"
	done
done
