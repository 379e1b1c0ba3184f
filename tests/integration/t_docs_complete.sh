# The manual pages are complete: every name in the code's tables (commands,
# settings, connector settings, rule subjects, operators, actions and keys,
# extractors, template headers) appears in its page. The names are read
# from the code at test time (the commands and settings from leadgate
# itself), so a new command or setting without its documentation fails
# here.
. "$TOP/tests/lib/common.sh"
D="$TOP/docs"

# complete LABEL PAGE PATTERN NAME...: every NAME occurs in PAGE, where
# PATTERN is a grep -E pattern with @ standing for the name.
complete() {
	label=$1 page=$2 pat=$3
	shift 3
	missing=""
	n=0
	for name in "$@"; do
		n=$((n + 1))
		q=$(printf '%s' "$name" | sed 's/[].[*^$()+?{}|\\]/\\&/g')
		re=$(printf '%s' "$pat" | sed "s|@|$(printf '%s' "$q" | sed 's/[&|\\]/\\&/g')|g")
		grep -Eq -- "$re" "$page" || missing="$missing '$name'"
	done
	if [ "$n" -eq 0 ]; then
		not_ok "$label: no names found in the code (did a table move?)"
	elif [ -z "$missing" ]; then
		ok "$label ($n names)"
	else
		not_ok "$label: not in $(basename "$page"):$missing"
	fi
}

# Names between the first quotes of the table rows matching a pattern.
names() {
	sed -n "s/$1/\\1/p" "$2" | sort -u
}

for p in leadgate.1.md leadgate.conf.5.md leadgate-rules.5.md \
    leadgate-templates.5.md; do
	check "docs/$p exists" test -s "$D/$p"
	check_grep "README.md links docs/$p" "\(docs/$p\)" "$TOP/README.md"
done
if grep -rn --exclude-dir=.git --exclude=t_docs_complete.sh 'templates\.md' "$TOP" >"$T_DIR/old" 2>/dev/null; then
	not_ok "nothing refers to docs/templates.md any more: $(head -3 "$T_DIR/old")"
else
	ok "nothing refers to docs/templates.md any more"
fi

# Commands: from `leadgate --help`, "  WORDS   summary" lines.
"$LEADGATE" --help | sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\)  .*/\1/p' \
    >"$T_DIR/commands"
# A command is in a synopsis line: "    CMD ..." or "... | CMD ...".
IFS='
'
# shellcheck disable=SC2046
complete "leadgate.1.md has a synopsis of every command" "$D/leadgate.1.md" \
    '(^    |\| )@( |$)' $(cat "$T_DIR/commands")

# Configuration settings: the tables the configuration is checked against,
# as `leadgate config settings TABLE` prints them (NAME first, after a
# header line): the main file and the blocks of each connector type.
settings() {
	"$LEADGATE" config settings "$1" | sed -n '2,$s/ .*//p'
}
# shellcheck disable=SC2046
complete "leadgate.conf.5.md has every setting of the main file" \
    "$D/leadgate.conf.5.md" '`@`' $(settings main)
# shellcheck disable=SC2046
complete "leadgate.conf.5.md has every imap connector setting" \
    "$D/leadgate.conf.5.md" '`@`' $(settings imap)
# shellcheck disable=SC2046
complete "leadgate.conf.5.md has every maildir connector setting" \
    "$D/leadgate.conf.5.md" '`@`' $(settings maildir)
# shellcheck disable=SC2046
complete "leadgate.conf.5.md has every portal connector setting" \
    "$D/leadgate.conf.5.md" '`@`' $(settings portal)
# shellcheck disable=SC2046
complete "leadgate.conf.5.md has every webhook setting" \
    "$D/leadgate.conf.5.md" '`@`' $(settings webhook)
complete "leadgate.conf.5.md has every oauth block setting" \
    "$D/leadgate.conf.5.md" '`@`' $(settings oauth)
complete "leadgate.conf.5.md names every connector type" \
    "$D/leadgate.conf.5.md" '^### @$' imap maildir portal

# The rule language: subjects, operators and actions of rules/cond.c and
# rules/rules.c, the rule and dedup keys, the extractors.
# shellcheck disable=SC2046
complete "leadgate-rules.5.md has every condition subject" \
    "$D/leadgate-rules.5.md" '`@' \
    $(names '^[[:space:]]*{ "\([a-z:_-]*\)", S_[A-Z_]*, [01] },' \
    "$TOP/rules/cond.c")
# shellcheck disable=SC2046
complete "leadgate-rules.5.md has every condition operator" \
    "$D/leadgate-rules.5.md" '^\| `@ ' \
    $(names '^[[:space:]]*{ "\([a-z]*\)", OP_[A-Z]* },' "$TOP/rules/cond.c")
complete "leadgate-rules.5.md has every combinator" \
    "$D/leadgate-rules.5.md" '\{ @ = ' all any not
# shellcheck disable=SC2046
complete "leadgate-rules.5.md has every action" \
    "$D/leadgate-rules.5.md" '^`@`$' \
    $(names '^[[:space:]]*{ RULE_[A-Z]*, "\([a-z]*\)" },' "$TOP/rules/rules.c")
# shellcheck disable=SC2046
complete "leadgate-rules.5.md has every rule key" \
    "$D/leadgate-rules.5.md" '^\| `@` \|' \
    $(sed -n '/rule_keys\[\] = {/,/};/p' "$TOP/rules/rules.c" |
    grep -o '"[a-z_]*"' | tr -d '"')
complete "leadgate-rules.5.md has every dedup key" \
    "$D/leadgate-rules.5.md" '^\| `@` \|' email phone name_postcode same_object
# shellcheck disable=SC2046
complete "leadgate-rules.5.md names every extractor" \
    "$D/leadgate-rules.5.md" '`@`' \
    $(names '^[[:space:]]*{ "\([a-z0-9]*\)", [a-z_]*detect.*' "$TOP/parse/extract.c") \
    generic

# Templates: the header names of templates/template.c.
# shellcheck disable=SC2046
complete "leadgate-templates.5.md has every template header" \
    "$D/leadgate-templates.5.md" '^\| `@` \|' \
    $(names '^[[:space:]]*{ "\([A-Za-z-]*\)", TH_[A-Z]*,.*' \
    "$TOP/templates/template.c")
complete "leadgate-templates.5.md has every variable" \
    "$D/leadgate-templates.5.md" '^\| `@`' \
    contact lead object phase recipient unsubscribe_url
unset IFS
t_finish
