# The first run (make demo): the bundled sample becomes contacts, leads and
# delivered autoreplies, and a second run creates nothing twice.
. "$TOP/tests/lib/common.sh"
export DEMO_DIR="$T_DIR/demo" LEADGATE
sh "$TOP/scripts/demo.sh" >"$T_DIR/run1.out" 2>&1
check_eq "the first run succeeds" "$?" 0
check_grep "the mailbox: every portal format becomes a lead" \
    "^poll sample-mailbox: 11 new lead\(s\), 0 added to open leads, 0 duplicate\(s\), 1 ignored, 1 in quarantine" \
    "$T_DIR/run1.out"
check_grep "the portal API: three leads, one kept in quarantine" \
    "^poll sample-portal: 3 new lead\(s\).* 1 in quarantine" "$T_DIR/run1.out"
LGD="$LEADGATE -c $DEMO_DIR/leadgate.conf"
check_eq "the portal's Anna Muster is the mail's Anna Muster" \
    "$($LGD contacts list --filter 'email = anna.muster@example.de' --json | grep -c '"kind"')" 1
check_eq "with a lead from each" \
    "$($LGD leads list --filter 'email = anna.muster@example.de' --json | grep -c '"pipeline"')" 2
$LGD contacts show 1 >"$T_DIR/contact1" 2>&1
check_grep "a Berlin prospect's mobile is German, not the default's" \
    "0171 2345678 [(][+]491712345678[)]" "$T_DIR/contact1"
$LGD contacts show 6 >"$T_DIR/contact6" 2>&1
check_grep "a Lyon prospect's mobile is French" \
    "06 12 34 56 78 [(][+]33612345678[)]" "$T_DIR/contact6"
$LGD contacts show 5 >"$T_DIR/contact5" 2>&1
check_grep "a Geneva prospect's number stays Swiss" \
    "022 345 67 89 [(][+]41223456789[)]" "$T_DIR/contact5"
check_grep "autoreplies are delivered" "^13 sent, 0 deferred, 0 failed" \
    "$T_DIR/run1.out"
check_grep "the report by source is printed" "^Website +3 +0 +0 +3" \
    "$T_DIR/run1.out"
sent1=$(ls "$DEMO_DIR/sink" | wc -l | tr -d ' ')
sh "$TOP/scripts/demo.sh" >"$T_DIR/run2.out" 2>&1
check_eq "the second run succeeds" "$?" 0
check_grep "the second run recognises every message" \
    "^poll sample-mailbox: 0 new lead\(s\), 0 added to open leads, 13 duplicate\(s\)" \
    "$T_DIR/run2.out"
check_grep "and every portal item" "^poll sample-portal: 0 new lead\(s\).* 4 duplicate" \
    "$T_DIR/run2.out"
check_grep "and sends nothing again" "^0 sent, 0 deferred, 0 failed" \
    "$T_DIR/run2.out"
check_eq "the sink holds each autoreply once" "$(ls "$DEMO_DIR/sink" | wc -l | tr -d ' ')" "$sent1"
check_eq "thirteen of them" "$sent1" 13

# `make demo | head -2`: the reader goes away early; the demo's portal
# server and SMTP sink go with it, whether the demo learns it from a
# leadgate command's write error or from a SIGPIPE of its own echo (a
# reader that is gone before the first line). SIGPIPE as in a terminal.
san=0
case ${BUILD:-} in *build-san*) san=1 ;; esac
demo_session() { # READER...
	env --default-signal=PIPE setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' \
	    sh "$T_DIR/sid" make -s -C "$TOP" --no-print-directory demo \
	    SAN=$san ${BUILD:+BUILD="$BUILD"} 2>/dev/null |
	    "$@" >"$T_DIR/head.out"
	sid=$(cat "$T_DIR/sid")
	i=0
	while pgrep -s "$sid" >/dev/null && [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	pgrep -s "$sid" -a
}
left=$(demo_session head -2)
check_eq "the demo read by head -2 prints two lines" \
    "$(wc -l <"$T_DIR/head.out" | tr -d ' ')" 2
check_eq "... and leaves nothing running" "$left" ""
check_eq "a demo whose reader is gone leaves nothing running" \
    "$(demo_session true)" ""
t_finish
