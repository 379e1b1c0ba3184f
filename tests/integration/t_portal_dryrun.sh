#!/bin/sh
# leadgate poll --dry-run against the portal emulator, one scenario per
# line of tests/data/portal/dryrun.scenarios: the shipped API shapes,
# paging, every kind of bad input and server misbehaviour. Checks the exit
# status, the message, the printed items (golden files), the number of
# page requests, and that no secret shows in any output.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/portal.sh"

DATA="$TOP/tests/data/portal"
portal_secrets "$T_DIR"

run_scenario() {
	label=$1 shape=$2 conf=$3 emargs=$4 settings=$5 want_rc=$6 want_err=$7
	fmt=$8 want_pages=$9
	d="$T_DIR/$label"
	mkdir -p "$d"
	ln -s "$T_DIR/secrets" "$d/secrets"
	case $conf in
	etc:*) src="$TOP/etc/portals/${conf#etc:}.conf" ;;
	test:*) src="$DATA/conf/${conf#test:}.conf" ;;
	esac
	# shellcheck disable=SC2086
	portal_start "$d" $shape $(echo "$emargs" | sed "s#ITEMS/#$DATA/items/#g")
	portal_block "$src" "$d/portal.conf" "$settings"
	portal_config "$d" portal.conf
	json=""
	[ "$fmt" = json ] && json=--json
	(cd "$d" && "$LEADGATE" -c leadgate.conf -vv poll --connector "$shape" \
	    --dry-run $json >"$d/out" 2>"$d/err")
	rc=$?
	portal_stop
	check_eq "$label: exit status" "$rc" "$want_rc"
	check_grep "$label: message" "$want_err" "$d/err"
	check_file "$label: items found" "$d/out" "$DATA/dryrun/$label.out"
	check_eq "$label: page requests" "$(em_count page)" "$want_pages"
	cat "$d/out" "$d/err" >>"$T_DIR/all-output"
}

grep -v '^#' "$DATA/dryrun.scenarios" >"$T_DIR/scenarios"
while IFS='|' read -r l s c a x r m f p; do
	[ -n "$l" ] || continue
	if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$l" ]; then continue; fi
	run_scenario "$l" "$s" "$c" "$a" "$x" "$r" "$m" "$f" "$p" </dev/null
done <"$T_DIR/scenarios"

# The token expired mid-run: a second token, every item still read once.
if [ -z "${ONLY:-}" ]; then
	check_eq "token_expires: two tokens fetched" \
	    "$(grep -c '"kind": "token"' "$T_DIR/token_expires/emulator.log")" 2
	if grep -Eq "$PORTAL_SECRET|not-the-|tok-[0-9]+-" "$T_DIR/all-output"; then
		not_ok "no secret in any output"
	else
		ok "no secret in any output"
	fi
fi
t_finish
