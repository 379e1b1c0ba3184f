#!/bin/sh
# The dashboard in a real browser: headless Chromium driven by
# tests/lib/dash_browser.py signs in, reads the funnel, opens a lead with
# its mail and attachment, moves it and adds a note, retries an inquiry
# a rule quarantined, follows a bulk campaign delivered to smtp-sink,
# switches language and signs out. Screenshots of the funnel (desktop
# and phone), a lead and the campaigns go to tests/out/. Skipped (one ok
# line saying so) only where chromium, chromium-driver or
# python3-selenium is not installed.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/dash.sh"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] ||
    ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
	ok "skipped: chromium, chromium-driver or python3-selenium is absent"
	t_finish
	exit $?
fi

sink_start dash
dash_case dash
dash_campaign
check_grep "the campaign is delivered" "^delivery: [1-9][0-9]* sent" \
    "$LG_HOME/bulk.out"
dash_serve
mkdir -p "$TOP/tests/out"
/usr/bin/python3 "$TOP/tests/lib/dash_browser.py" \
    "http://127.0.0.1:$DASH_PORT" "$LG_DB" "$TOP/tests/out" "$DASH_QID" \
    spring || T_FAILS=$((T_FAILS + 1))
t_finish
