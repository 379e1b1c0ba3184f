#!/bin/sh
# The spool commands against golden outputs (tests/data/spool/cmd), and
# every refused input with its one-line reason and exit code.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"

GOLD=$TOP/tests/data/spool/cmd
export LEADGATE_NOW=$LG_NOW

# golden LABEL NAME COMMAND...: stdout of COMMAND (the case directory
# shown as DIR) against $GOLD/NAME.
golden() {
	g_label=$1
	g_name=$2
	shift 2
	"$@" 2>&1 | sed "s|$LG_HOME|DIR|g" >"$LG_HOME/$g_name"
	check_file "$g_label" "$LG_HOME/$g_name" "$GOLD/$g_name"
}

sink_start cmd -r RCPT
lg_case cmd "$(lg_smtp "$SINK_PORT")"
for i in 1 2 3; do lg_queue "$i"; done
"$LEADGATE" spool cancel 3 >/dev/null
lg_deliver
sink_stop
lg_queue 4
golden "spool list" list.txt "$LEADGATE" spool list
golden "spool list --state deferred --state cancelled" list-states.txt \
    "$LEADGATE" spool list --state deferred --state cancelled
golden "spool list --state sent (none)" list-none.txt \
    "$LEADGATE" spool list --state sent
golden "spool list --json" list.json "$LEADGATE" spool list --json
golden "spool show" show-1.txt "$LEADGATE" spool show 1
golden "spool show --json" show-3.json "$LEADGATE" spool show 3 --json

# label | exit | arguments (split on blanks) | stderr, after "leadgate: "
ERRORS='unknown state|64|spool list --state bogus|spool list: unknown state '"'"'bogus'"'"' (queued, deferred, sent, failed, cancelled, held)
show a missing message|66|spool show 99|spool show: no outgoing message 99
show a bad id|64|spool show x1|spool show: outgoing id must be a positive number, not '"'"'x1'"'"'
cancel without an id|64|spool cancel|usage: leadgate [-c CONFIG] spool cancel ID
cancel --all|64|spool cancel --all|spool cancel: outgoing id must be a positive number, not '"'"'--all'"'"'
cancel a cancelled message|65|spool cancel 3|spool cancel: outgoing message 3 is cancelled and cannot become cancelled
retry a missing message|66|spool retry 99|spool retry: no outgoing message 99
retry a queued message|65|spool retry 4|spool retry: outgoing message 4 is queued and cannot become queued
add without --key|64|spool add --to anna@example.com -|spool add: --key and --to are required
add a missing file|66|spool add --key x --to anna@example.com /nonexistent.eml|spool add: /nonexistent.eml: No such file or directory
add a bad lead id|64|spool add --key x --lead one --to anna@example.com -|spool add: --lead must be a positive number, not '"'"'one'"'"'
add --advance without --lead|65|spool add --key x --advance 3 --to anna@example.com MSG|spool add: --advance needs --lead
add --advance to no phase|65|spool add --key x --lead 1 --advance 99 --to anna@example.com MSG|spool add: pipeline sale has no phase 99
add to a bracketed address|65|spool add --key x --to <anna@example.com> MSG|spool add: recipient '"'"'<anna@example.com>'"'"' is not a plain e-mail address
add from a bad sender|65|spool add --key x --from info@agency@x.example --to anna@example.com MSG|spool add: sender '"'"'info@agency@x.example'"'"' is not a plain e-mail address'

lg_message 9 >"$LG_HOME/ok.eml"
while IFS='|' read -r label code args want; do
	# shellcheck disable=SC2086
	set -- $args
	for a; do
		shift
		[ "$a" = MSG ] && a=$LG_HOME/ok.eml
		set -- "$@" "$a"
	done
	"$LEADGATE" "$@" </dev/null >"$LG_HOME/out" 2>"$LG_HOME/err"
	check_eq "$label: exit $code" "$?" "$code"
	check_eq "$label: the reason" "$(head -1 "$LG_HOME/err")" \
	    "$(case $code in 64) [ "${want#usage}" = "$want" ] &&
	    echo "leadgate: $want" || echo "$want";; *) echo "leadgate: $want";;
	    esac)"
done <<EOF
$ERRORS
EOF

# Every refused message of the check fixtures, through the command line.
for f in "$TOP"/tests/data/spool/check/bad-*.eml; do
	name=$(basename "$f" .eml)
	"$LEADGATE" spool add --key "$name" --to anna@example.com "$f" \
	    >/dev/null 2>"$LG_HOME/err"
	check_eq "spool add $name: exit 65" "$?" 65
	check_eq "spool add $name: the reason" "$(cat "$LG_HOME/err")" \
	    "leadgate: spool add: outgoing message '$name': $(cat "$TOP/tests/data/spool/check/$name.want")"
done
check_eq "nothing refused was queued" \
    "$(lg_sql "select count(*) from outgoing")" 4
t_finish
