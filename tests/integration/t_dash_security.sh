#!/bin/sh
# The dashboard's security properties over plain HTTP (curl): no page
# without a session (a GET goes to the sign-in page, a POST is refused),
# the CSRF token on every POST (missing or wrong: 403, nothing changes),
# the session cookie's attributes and its id stored only hashed, a script
# in a contact's name shown as text, a cookie refused after sign-out, an
# idle session expired, a new password signing the user out, failed
# sign-ins rate-limited, and report --format html.
. "$(dirname "$0")/../lib/common.sh"
. "$TOP/tests/lib/smtp.sh"
. "$TOP/tests/lib/delivery.sh"
. "$TOP/tests/lib/dash.sh"

dash_case sec
dash_serve
B="http://127.0.0.1:$DASH_PORT"
J=$LG_HOME/jar

# code METHOD PATH [curl args]: the status; headers in $LG_HOME/h, body in b.
code() {
	c_m=$1
	c_p=$2
	shift 2
	curl -s -X "$c_m" -D "$LG_HOME/h" -o "$LG_HOME/b" -w '%{http_code}' \
	    "$@" "$B$c_p"
}
# location: the Location of the last answer.
location() { tr -d '\r' <"$LG_HOME/h" | sed -n 's/^Location: //p'; }
# csrf_of FILE: the csrf field of a page.
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
cookie_of() { awk -v n="$1" '$6 == n { print $7 }' "$J"; }

for p in /dash /dash/leads /dash/leads/1 /dash/quarantine \
    "/dash/quarantine/$DASH_QID" /dash/campaigns /dash/status \
    /dash/mails/1/attachments/1; do
	c=$(code GET "$p")
	check_eq "GET $p without a session: sign in first" "$c $(location)" \
	    "303 /dash/login"
done
notes=$(lg_sql "select count(*) from history")
c=$(code POST /dash/leads/1/note -d remark=x)
check_eq "a POST without a session: 403" "$c" 403
c=$(code POST "/dash/quarantine/$DASH_QID/retry" -d x=1)
check_eq "a retry without a session: 403" "$c" 403
check_eq "... and nothing changed" \
    "$(lg_sql "select count(*) from history") $(lg_sql "select state from quarantine where id = $DASH_QID")" \
    "$notes held"

# Sign-in: its form carries a token of its own (a cookie and a field).
rm -f "$J"
code GET /dash/login -c "$J" >/dev/null
LT=$(csrf_of "$LG_HOME/b")
check "the sign-in form has a token" test -n "$LT"
c=$(code POST /dash/login -b "$J" -c "$J" -d user=agent1 -d password=agent-pass-1)
check_eq "sign-in without the form's token: 403" "$c" 403
c=$(code POST /dash/login -b "$J" -c "$J" -d csrf=x$LT -d user=agent1 \
    -d password=agent-pass-1)
check_eq "sign-in with a wrong token: 403" "$c" 403
check_eq "... no session made" "$(lg_sql "select count(*) from user_sessions")" 0
c=$(code POST /dash/login -b "$J" -c "$J" -d "csrf=$LT" -d user=agent1 \
    -d password=agent-pass-1)
check_eq "sign-in: to the funnel" "$c $(location)" "303 /dash"
tr -d '\r' <"$LG_HOME/h" | grep '^Set-Cookie: lg_session=' >"$LG_HOME/cookie"
check_grep "the session cookie is HttpOnly" "; HttpOnly" "$LG_HOME/cookie"
check_grep "... SameSite=Strict" "; SameSite=Strict" "$LG_HOME/cookie"
check_grep "... for /dash only" "; Path=/dash;" "$LG_HOME/cookie"
check_grep "... with an absolute lifetime" "; Max-Age=43200;" "$LG_HOME/cookie"
check "... not Secure over plain HTTP without dash.secure_cookie" \
    sh -c "! grep -q Secure '$LG_HOME/cookie'"
S=$(cookie_of lg_session)
check_eq "a session id has 256 random bits (43 base64url digits)" \
    "$(expr "$S" : 'lg_[A-Za-z0-9_-]\{43\}$')" 46
check_eq "the store keeps only its SHA-256" \
    "$(lg_sql "select count(*) from user_sessions where hash = '$(printf %s "$S" | sha256sum | cut -c1-64)'") $(lg_sql "select count(*) from user_sessions where hash = '$S' or csrf = '$S'")" \
    "1 0"

c=$(code GET /dash -b "$J")
check_eq "with the session the funnel shows" "$c" 200
check_grep "... as an SVG" "<svg" "$LG_HOME/b"
tr -d '\r' <"$LG_HOME/h" >"$LG_HOME/hh"
check_grep "pages forbid scripts and framing (CSP)" \
    "^Content-Security-Policy: default-src 'none'.*frame-ancestors 'none'" \
    "$LG_HOME/hh"
T=$(csrf_of "$LG_HOME/b")

# A script in a contact's name is text on every page that shows it.
for p in /dash/leads /dash/leads/3; do
	code GET "$p" -b "$J" >/dev/null
	check "$p: the script in a name is not markup" \
	    sh -c "! grep -q '<script' '$LG_HOME/b'"
	check_grep "$p: ... but shown as text" \
	    '&lt;script&gt;window.injected=1&lt;/script&gt;' "$LG_HOME/b"
done
code GET '/dash/leads?filter=%22%3E%3Cscript%3E' -b "$J" >/dev/null
check "a filter's text is escaped back into the form" \
    sh -c "! grep -q '\"><script>' '$LG_HOME/b'"

# CSRF: every POST needs the session's token.
n0=$(lg_sql "select count(*) from history where lead_id = 1")
c=$(code POST /dash/leads/1/note -b "$J" -d remark=forged)
check_eq "a note without the CSRF token: 403" "$c" 403
c=$(code POST /dash/leads/1/note -b "$J" -d remark=forged -d "csrf=${T}x")
check_eq "a note with a wrong CSRF token: 403" "$c" 403
c=$(code POST /dash/leads/1/move -b "$J" -d phase=3 -d csrf=)
check_eq "a move with an empty CSRF token: 403" "$c" 403
c=$(code POST "/dash/quarantine/$DASH_QID/retry" -b "$J" -d "csrf=$LT")
check_eq "a retry with the sign-in form's token: 403" "$c" 403
check_eq "... nothing changed" \
    "$(lg_sql "select count(*) from history where lead_id = 1") $(lg_sql "select phase_no from leads where id = 1") $(lg_sql "select state from quarantine where id = $DASH_QID")" \
    "$n0 2 held"
c=$(code POST /dash/leads/1/note -b "$J" -d remark=real -d "csrf=$T")
check_eq "a note with the token: done, back to the lead" "$c $(location)" \
    "303 /dash/leads/1?done=1"
check_eq "... recorded" \
    "$(lg_sql "select count(*) from history where lead_id = 1 and remark = 'real'")" 1
c=$(code POST "/dash/quarantine/$DASH_QID/drop" -b "$J" -d "csrf=$T")
check_eq "an agent cannot drop a quarantined inquiry: 403" "$c" 403

# Sign-out deletes the session in the store: the cookie is dead.
cp "$J" "$LG_HOME/jar.old"
c=$(code POST /dash/logout -b "$J" -c "$J" -d "csrf=$T")
check_eq "sign-out: to the sign-in page" "$c $(location)" "303 /dash/login"
check_eq "... the session is gone from the store" \
    "$(lg_sql "select count(*) from user_sessions")" 0
c=$(code GET /dash -b "$LG_HOME/jar.old")
check_eq "the old cookie after sign-out: sign in again" "$c $(location)" \
    "303 /dash/login"
c=$(code POST /dash/leads/1/note -b "$LG_HOME/jar.old" -d remark=late \
    -d "csrf=$T")
check_eq "... and a POST with it and its token: 403" "$c" 403

# sign_in USER PASSWORD: a fresh session in $J; prints the status.
sign_in() {
	rm -f "$J"
	code GET /dash/login -c "$J" >/dev/null
	code POST /dash/login -b "$J" -c "$J" -d "csrf=$(csrf_of "$LG_HOME/b")" \
	    -d "user=$1" -d "password=$2"
}
# An idle session expires (dash.session_idle), in the store too.
check_eq "sign in again" "$(sign_in agent1 agent-pass-1)" 303
lg_sql "update user_sessions set seen = seen - 1801"
c=$(code GET /dash -b "$J")
check_eq "an idle session: sign in again" "$c $(location)" "303 /dash/login"
check_eq "... and it is deleted" "$(lg_sql "select count(*) from user_sessions")" 0
# ... and so does an old one, however busy (dash.session_max).
sign_in agent1 agent-pass-1 >/dev/null
lg_sql "update user_sessions set created = created - 43201"
c=$(code GET /dash -b "$J")
check_eq "a session past its lifetime: sign in again" "$c" 303
# A new password signs the user out everywhere.
sign_in agent1 agent-pass-1 >/dev/null
printf 'agent-pass-2\n' | "$LEADGATE" user passwd agent1
c=$(code GET /dash -b "$J")
check_eq "after user passwd the session is gone" "$c $(location)" \
    "303 /dash/login"
check_eq "the old password no longer signs in" \
    "$(sign_in agent1 agent-pass-1) $(location)" "200 "
check_grep "... and says so" "Unknown user or wrong password" "$LG_HOME/b"

# Failed sign-ins: dash.login_rate (3 here) per name (and four times as
# many per address), then refused even with the right password.
sign_in agent1 nope-1 >/dev/null
sign_in agent1 nope-2 >/dev/null
check_eq "after 3 failures the right password is refused: 429" \
    "$(sign_in agent1 agent-pass-2)" 429
check_grep "... saying why" "Too many failed sign-ins" "$LG_HOME/b"
check_eq "... another user is not held up by it" \
    "$(sign_in greta greta-pass-1)" 303
check_eq "an unknown user: refused like a wrong password" \
    "$(sign_in nobody whatever-1) $(location)" "200 "
"$LEADGATE" user list >"$LG_HOME/users"
check_grep "user list names users and roles" "^boss +admin" "$LG_HOME/users"
check "... never a hash" sh -c "! grep -q argon2 '$LG_HOME/users'"
check_eq "user add: only argon2id hashes are stored" \
    "$(lg_sql "select count(*) from users where hash like '\$argon2id\$v=19\$m=8192,t=1,p=1\$%'")" 3
printf 'short\n' | "$LEADGATE" user add x --role agent 2>/dev/null
check_eq "a password under 8 bytes: 65" "$?" 65
"$LEADGATE" user add x --role root </dev/null 2>/dev/null
check_eq "an unknown role: 65" "$?" 65

# With dash.secure_cookie (a proxy terminates TLS) the cookie is Secure.
kill "$DASH_PID"
wait "$DASH_PID" 2>/dev/null
DASH_MORE="secure_cookie = true;" dash_config "$LG_HOME/rules.conf"
dash_serve
sign_in greta greta-pass-1 >/dev/null
tr -d '\r' <"$LG_HOME/h" | grep '^Set-Cookie: lg_session=' >"$LG_HOME/cookie"
check_grep "with dash.secure_cookie the cookie is Secure" "; Secure" \
    "$LG_HOME/cookie"

# Assign to an agent of the configuration: the form on the lead page, the
# CSRF token required, the assignee changed and the agent's notification
# queued in the same transaction (what leads assign does).
kill "$DASH_PID"
wait "$DASH_PID" 2>/dev/null
dash_config "$LG_HOME/rules.conf" \
    'agents = ( { name = "anna"; email = "anna@agency.example"; },
      { name = "ben"; email = "ben@agency.example"; branch = "Lyon"; } );'
dash_serve
sign_in greta greta-pass-1 >/dev/null
code GET /dash/leads/1 -b "$J" >/dev/null
check_grep "the lead page has an assign form (in German)" \
    '<h2>Zuweisen an</h2><form method="post" action="/dash/leads/1/assign">' \
    "$LG_HOME/b"
check_grep "... listing the configuration's agents" \
    '<option value="ben">ben &lt;ben@agency.example&gt;, Lyon</option>' \
    "$LG_HOME/b"
T=$(csrf_of "$LG_HOME/b")
c=$(code POST /dash/leads/1/assign -b "$J" -d agent=ben)
check_eq "an assign without the CSRF token: 403" "$c" 403
c=$(code POST /dash/leads/1/assign -b "$J" -d agent=ben -d "csrf=${T}x")
check_eq "an assign with a wrong CSRF token: 403" "$c" 403
check_eq "... nothing assigned, nothing queued" "$(lg_sql "select \
    coalesce(json_extract(custom, '\$.assignee'), '-') from leads where \
    id = 1") $(lg_sql "select count(*) from outgoing where rcpt like \
    '%agency.example%'")" "- 0"
c=$(code POST /dash/leads/1/assign -b "$J" -d agent=zoe -d "csrf=$T")
check_eq "an unknown agent: 422" "$c" 422
c=$(code POST /dash/leads/1/assign -b "$J" -d agent=ben -d "csrf=$T")
check_eq "an assign with the token: done, back to the lead" \
    "$c $(location)" "303 /dash/leads/1?done=1"
check_eq "... the lead's assignee is ben" "$(lg_sql "select \
    json_extract(custom, '\$.assignee') from leads where id = 1")" ben
check_eq "... recorded like leads assign does" "$(lg_sql "select remark \
    from history where lead_id = 1 and action = 'assign' order by id desc \
    limit 1")" "assigned to ben: by hand"
check_eq "... and ben's notification is queued, once" "$(lg_sql "select \
    count(*) || ' ' || min(dedup_key) from outgoing where lead_id = 1 and \
    rcpt like '%ben@agency.example%'")" "1 notify.1.assigned.ben"
code GET /dash/leads/1 -b "$J" >/dev/null
check_grep "... the form shows ben selected" '<option value="ben" selected>' \
    "$LG_HOME/b"
# An action from the page: recorded, the lead moves to the phase it reaches.
check_grep "the action form offers the next phase's action first" \
    '<option value="Réponse à la demande" selected>' "$LG_HOME/b"
p0=$(lg_sql "select phase_no from leads where id = 1")
c=$(code POST /dash/leads/1/action -b "$J" -d "action=Visite du bien" \
    -d "csrf=$T")
check_eq "an action with the token: done" "$c" 303
check_eq "... recorded in the history" "$(lg_sql "select count(*) from \
    history where lead_id = 1 and action = 'Visite du bien'")" 1
check_eq "... and the lead moved from phase 2 to the visit's, 5" \
    "$p0 $(lg_sql "select phase_no from leads where id = 1")" "2 5"
check_eq "... its arrival's on_phase is done" "$(lg_sql "select \
    count(*) from phase_arrivals where lead_id = 1 and done = 0")" 0

"$LEADGATE" report --format html >"$LG_HOME/report.html"
check_grep "report --format html: a standalone page" "^<!DOCTYPE html>" \
    "$LG_HOME/report.html"
check_grep "... with the funnel as SVG" "<svg" "$LG_HOME/report.html"
check "... and no script or external asset" \
    sh -c "! grep -Eq '<script|src=|href=\"http' '$LG_HOME/report.html'"
t_finish
