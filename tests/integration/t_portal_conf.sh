#!/bin/sh
# Connector blocks with a mistake, one fixture each under
# tests/data/portal/conf_bad/: `leadgate poll` refuses to start (exit 78)
# and names the file, the line and the reason (golden NAME.err).
. "$TOP/tests/lib/common.sh"

DATA="$TOP/tests/data/portal/conf_bad"
unset LG_TEST_UNSET_TOKEN
LG_TEST_KEY=not-shown-anywhere
export LG_TEST_KEY

for f in "$DATA"/*.conf; do
	name=$(basename "$f" .conf)
	d="$T_DIR/$name"
	mkdir -p "$d"
	cp "$f" "$d/portal.conf"
	printf 'connectors = (\n@include "portal.conf"\n);\n' >"$d/leadgate.conf"
	(cd "$d" && "$LEADGATE" -c leadgate.conf poll --connector x \
	    --dry-run >"$d/out" 2>"$d/err.raw")
	rc=$?
	sed "s#$d/##g" "$d/err.raw" >"$d/err"
	check_eq "$name: refused as a configuration error" "$rc" 78
	check_file "$name: says where and why" "$d/err" "$DATA/$name.err"
	check_eq "$name: nothing printed" "$(cat "$d/out")" ""
done
if grep -rq "not-shown-anywhere" "$T_DIR"/*/err; then
	not_ok "no secret in the messages"
else
	ok "no secret in the messages"
fi
t_finish
