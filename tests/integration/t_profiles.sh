# Portal profiles and the lexicon from the command line: `rules check`
# and `config check` check them (every mistake of
# tests/data/profiles/bad/NAME.conf as NAME.want says, FILE:LINE, exit
# 65 and 78), `portals list` shows them, `parse` reads them from the
# configuration, from --data DIR or from the data directory leadgate was
# built with, and takes many files in one run.
. "$TOP/tests/lib/common.sh"

BAD=$TOP/tests/data/profiles/bad

# setup DIR: DIR/lexicon (the shipped files), DIR/portals/mail (empty)
# and DIR/leadgate.conf naming them.
setup() {
	rm -rf "$1"
	mkdir -p "$1/lexicon" "$1/portals/mail"
	cp "$TOP"/etc/lexicon/*.conf "$1/lexicon/"
	cat >"$1/leadgate.conf" <<CONF
store = { path = "$1/lg.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
lexicon = "lexicon";
portal_profiles = "portals/mail";
CONF
}

# The value of "# KEY: value" in the first lines of FILE.
header() { sed -n "s/^# $1: //p" "$2" | head -1; }

"$LEADGATE" -c "$TOP/etc/leadgate.conf" rules check >"$T_DIR/out" 2>&1
check_eq "the shipped files: rules check exits 0" "$?" 0
check_grep "the shipped lexicon" "etc/lexicon: 36 lexicon files, ok" \
    "$T_DIR/out"
check_grep "the shipped profiles" "etc/portals/mail: 70 profiles, ok" \
    "$T_DIR/out"

for f in "$BAD"/*.conf; do
	name=$(basename "$f" .conf)
	d=$T_DIR/$name
	setup "$d"
	cp "$f" "$d/$(header install "$f")"
	with=$(header with "$f")
	[ -n "$with" ] && cp "$TOP/etc/$with" "$d/$with"
	case $(header install "$f") in
	lexicon/*) cp "$TOP/etc/portals/mail/immoscout24.conf" \
	    "$d/portals/mail/" ;;
	esac
	"$LEADGATE" -c "$d/leadgate.conf" rules check >"$T_DIR/out" \
	    2>"$T_DIR/err"
	check_eq "$name: rules check exits 65" "$?" 65
	sed "s|^$d/||" "$T_DIR/err" >"$T_DIR/got"
	check_file "$name: every mistake, FILE:LINE" "$T_DIR/got" \
	    "$BAD/$name.want"
	check_eq "$name: nothing on stdout" "$(wc -c <"$T_DIR/out")" 0
done

# config check loads them too: every mistake, exit 78.
d=$T_DIR/config
setup "$d"
cp "$BAD/many-mistakes.conf" "$d/portals/mail/"
cp "$BAD/bad-kind.conf" "$d/portals/mail/"
"$LEADGATE" -c "$d/leadgate.conf" config check >/dev/null 2>"$T_DIR/err"
check_eq "config check: exit 78" "$?" 78
check_eq "config check: every mistake of every file" \
    "$(wc -l <"$T_DIR/err")" \
    "$(cat "$BAD/many-mistakes.want" "$BAD/bad-kind.want" | wc -l)"
check_grep "config check: FILE:LINE: first on the line, no prefix" \
    "^$d/portals/mail/bad-kind.conf:4: kind" \
    "$T_DIR/err"

# A rule naming a profile passes; the old extractor names are profiles.
d=$T_DIR/named
setup "$d"
cp "$TOP"/etc/portals/mail/*.conf "$d/portals/mail/"
cat >"$d/rules.conf" <<'RULES'
rules = (
  { name = "habitaclia"; extractor = "habitaclia"; },
  { name = "old name"; extractor = "immowelt"; },
  { name = "web form"; extractor = "contact-form-7"; },
  { name = "typo"; extractor = "habitacla"; }
);
RULES
"$LEADGATE" -c "$d/leadgate.conf" rules check "$d/rules.conf" \
    >/dev/null 2>"$T_DIR/err"
check_eq "a rule's unknown extractor: exit 65" "$?" 65
check_eq "only the unknown one is refused" "$(cat "$T_DIR/err")" \
    "$d/rules.conf:5: unknown extractor 'habitacla'"

# portals list: the configuration's, --data's, the built-in ones.
"$LEADGATE" -c "$TOP/etc/leadgate.conf" portals list >"$T_DIR/out"
check_eq "portals list: a line per profile and a header" \
    "$(wc -l <"$T_DIR/out")" 71
check_grep "portals list: name, display, kind, country, languages" \
    "^habitaclia +habitaclia +real-estate +ES +es$" "$T_DIR/out"
check_grep "portals list: a portal of many markets" \
    "^idealista +idealista +real-estate +- +es,it,pt" "$T_DIR/out"
env -u LEADGATE_CONFIG "$LEADGATE" portals list >"$T_DIR/out2"
check_file "portals list without a configuration: the built-in ones" \
    "$T_DIR/out2" "$T_DIR/out"
d=$T_DIR/data
mkdir -p "$d/portals/mail"
cp -R "$TOP/etc/lexicon" "$d/"
cp "$TOP/etc/portals/mail/seloger.conf" "$d/portals/mail/"
"$LEADGATE" portals list --data "$d" --json >"$T_DIR/out"
check_grep "portals list --data: that directory's" '"name": "seloger"' \
    "$T_DIR/out"
check_grep "portals list --json: the domains" '"seloger.com"' "$T_DIR/out"
check_eq "portals list --data: only those" \
    "$(grep -c '"name"' "$T_DIR/out")" 1
"$LEADGATE" portals list --data "$T_DIR/nowhere" >/dev/null 2>"$T_DIR/err"
check_eq "portals list --data of nothing: exit 78" "$?" 78
check_grep "it says which directory" "$T_DIR/nowhere/lexicon" "$T_DIR/err"

# parse: --data decides what a mail is read with.
P=$TOP/tests/data/parse
"$LEADGATE" parse --json --data "$d" "$P/seloger/phone-only.eml" \
    "$P/homegate/de-plain.eml" >"$T_DIR/out"
check_eq "parse of two files: two lines" "$(wc -l <"$T_DIR/out")" 2
check_grep "the first with its profile" '^\{"extractor":"seloger",' \
    "$T_DIR/out"
check_grep "the second without one (not in --data)" \
    '^\{"extractor":"generic",' "$T_DIR/out"
env -u LEADGATE_CONFIG "$LEADGATE" parse --json "$P/homegate/de-plain.eml" \
    >"$T_DIR/out"
check_file "parse without a configuration: the built-in data" \
    "$T_DIR/out" "$P/homegate/de-plain.json"

# Many files in one run: in order, the refused ones on stderr, exit 65.
set -- "$P/immoscout24/plain-utf8.eml" "$P/bad/empty.eml" \
    "$P/seloger/phone-only.eml" "$P/bad/deep-comments.eml"
"$LEADGATE" parse --json "$@" >"$T_DIR/out" 2>"$T_DIR/err"
check_eq "a refused mail among many: exit 65 at the end" "$?" 65
check_eq "one line per mail read" "$(wc -l <"$T_DIR/out")" 2
check_eq "one error line per mail refused" "$(wc -l <"$T_DIR/err")" 2
check_grep "the error names the file" "^leadgate: parse: .*bad/empty.eml: " \
    "$T_DIR/err"
sed -n 2p "$T_DIR/out" | grep -q '"extractor":"seloger"' &&
    ok "the lines are in the order of the files" ||
    not_ok "the lines are in the order of the files"
python3 - "$T_DIR/out" "$P/immoscout24/plain-utf8.json" \
    "$P/seloger/phone-only.json" <<'EOF' && ok "each line is the mail's own --json" || not_ok "each line is the mail's own --json"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
want = [json.load(open(f)) for f in sys.argv[2:]]
sys.exit(0 if [json.loads(l) for l in lines if l] == want else 1)
EOF
t_finish
