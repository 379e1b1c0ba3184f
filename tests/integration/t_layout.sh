#!/bin/sh
# The layout's guard (scripts/layering.sh): the include graph of the
# sources follows the data's one-way flow, and the guard itself catches
# an upward include, a sideways include, a folder without a rank and a
# circle between modules, each in a small tree of its own.
. "$TOP/tests/lib/common.sh"

G="$TOP/scripts/layering.sh"

if "$G" "$TOP" >"$T_DIR/out" 2>&1; then
	ok "leadgate's folders include only down the flow, with no circle"
else
	not_ok "leadgate's folders include only down the flow, with no circle"
	sed 's/^/    /' "$T_DIR/out" | head -20
fi

# tree NAME FILE=INCLUDE...: a tree with one include per file.
tree() {
	d="$T_DIR/$1"
	shift
	for spec in "$@"; do
		f=${spec%%=*}
		mkdir -p "$d/$(dirname "$f")"
		printf '#include "%s"\n' "${spec#*=}" >>"$d/$f"
	done
	echo "$d"
}

# refuses LABEL PATTERN TREE
refuses() {
	if "$G" "$3" >"$T_DIR/got" 2>&1; then
		not_ok "$1: the guard passed"
	else
		check_grep "$1" "$2" "$T_DIR/got"
	fi
}

t=$(tree good core/store.c=util/buf.h gateway/main.c=ingest/ingest.h \
    ingest/ingest.c=outbound/autoreply.h outbound/autoreply.c=spool/spool.h \
    rules/rules.c=parse/mail.h parse/mail.c=core/lead.h)
check "a tree that follows the flow passes" "$G" "$t"

t=$(tree up util/buf.c=core/store.h)
refuses "an upward include fails" \
    '^layering: util/buf includes core/store.h, which is not below util/' "$t"
t=$(tree side spool/spool.c=templates/letter.h)
refuses "a sideways include between siblings fails" \
    '^layering: spool/spool includes templates/letter.h' "$t"
t=$(tree norank web/page.c=util/buf.h)
refuses "a folder without a rank fails" \
    '^layering: folder web/ has no rank' "$t"
t=$(tree circle parse/a.c=parse/b.h parse/b.c=parse/c.h parse/c.h=parse/a.h)
refuses "a circle between the modules of a folder fails" \
    '^layering: modules of parse/ include each other in a circle: [abc] [abc] [abc]' "$t"

"$G" --edges "$TOP" >"$T_DIR/edges"
check_grep "--edges counts the folder-to-folder includes" \
    '^gateway -> core +[0-9]+$' "$T_DIR/edges"

t_finish
