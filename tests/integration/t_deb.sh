#!/bin/sh
# The Debian package round trip: dpkg-buildpackage builds the .deb from
# this tree, dpkg -i installs it on this machine (the leadgate user,
# /var/lib/leadgate 0700, /etc/leadgate with its conffiles), the unit's
# ExecStart runs as the unit's User (systemd is not PID 1 here: setpriv
# does what the unit says), a mail is ingested as a mail server's pipe
# would, the manual pages render without a warning and the completion
# answers; dpkg -r keeps the data, dpkg --purge removes it.
# Needs root and dpkg-buildpackage (CI has both); skipped otherwise, and
# under SAN=1 (the package is built without sanitizers: the plain run
# covers it).
. "$(dirname "$0")/../lib/common.sh"

skip() {
	ok "skipped: $*"
	t_finish
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip "not root (dpkg -i needs it)"
command -v dpkg-buildpackage >/dev/null || skip "no dpkg-buildpackage"
case $LEADGATE in *build-san*) skip "SAN=1 (the .deb has no sanitizers)" ;; esac
if dpkg-query -W -f='${Status}' leadgate 2>/dev/null | grep -q installed; then
	skip "a leadgate package is installed on this machine already"
fi

# The package from the files git knows (a copy: dpkg-buildpackage cleans
# and writes debian/ and the .deb next to the tree).
src=$T_DIR/src/leadgate
mkdir -p "$src"
(cd "$TOP" && git ls-files -z -co --exclude-standard |
    grep -zv '^demo/' | tar --null -T - -cf -) | tar -xf - -C "$src"
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
    dpkg-buildpackage -us -uc -b) >"$T_DIR/build.log" 2>&1
rc=$?
check_eq "dpkg-buildpackage -us -uc -b builds the package" "$rc" 0
[ "$rc" -eq 0 ] || tail -20 "$T_DIR/build.log"
deb=$(ls "$T_DIR"/src/leadgate_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
	not_ok "no .deb was built: $(tail -5 "$T_DIR/build.log")"
	t_finish
	exit 1
fi

purge() { dpkg --purge leadgate >/dev/null 2>&1; }
at_exit purge
dpkg -i "$deb" >"$T_DIR/install.log" 2>&1
check_eq "dpkg -i installs it" "$?" 0
check "the leadgate user is a system user" \
    sh -c 'uid=$(id -u leadgate) && [ "$uid" -lt 1000 ]'
check_eq "... without a login shell" \
    "$(getent passwd leadgate | cut -d: -f7)" /usr/sbin/nologin
check_eq "/var/lib/leadgate is the leadgate user's, 0700" \
    "$(stat -c '%U:%G %a' /var/lib/leadgate)" "leadgate:leadgate 700"
check_eq "/etc/leadgate/leadgate.conf is root:leadgate 0640" \
    "$(stat -c '%U:%G %a' /etc/leadgate/leadgate.conf)" "root:leadgate 640"
dpkg-query -W -f='${Conffiles}\n' leadgate >"$T_DIR/conffiles"
for f in leadgate.conf pipelines.conf rules.conf templates/inquiry-reply.txt; do
	check_grep "/etc/leadgate/$f is a conffile" "^ /etc/leadgate/$f " \
	    "$T_DIR/conffiles"
done
check "the lexicon and portal profiles are in /usr/share/leadgate" \
    test -f /usr/share/leadgate/lexicon/de.conf -a \
    -d /usr/share/leadgate/portals/mail

unit=/lib/systemd/system/leadgate.service
for d in ProtectSystem=strict ReadWritePaths=/var/lib/leadgate \
    NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    CapabilityBoundingSet= SystemCallFilter=@system-service \
    'ExecReload=/bin/kill -HUP $MAINPID'; do
	check "the unit has $d" grep -qxF -- "$d" "$unit"
done
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$unit" >"$T_DIR/verify" 2>&1
	check_eq "systemd-analyze verify finds nothing in the unit" \
	    "$(cat "$T_DIR/verify")" ""
fi

# The unit's command, as its User and Group, with the configuration the
# package installed (the default: no -c needed by the tools).
user=$(sed -n 's/^User=//p' "$unit")
group=$(sed -n 's/^Group=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
as_user() { setpriv --reuid="$user" --regid="$group" --init-groups "$@"; }
check_eq "the unit runs as leadgate" "$user:$group" "leadgate:leadgate"
as_user leadgate config check >"$T_DIR/check" 2>&1
check_eq "the installed configuration checks" "$(cat "$T_DIR/check")" \
    "/etc/leadgate/leadgate.conf: ok"
# Its stderr is the journal's stream, as systemd hands it over
# ($JOURNAL_STREAM names the file's device and inode).
: >"$T_DIR/daemon.log"
# shellcheck disable=SC2086
(cd / && JOURNAL_STREAM=$(stat -c '%d:%i' "$T_DIR/daemon.log") \
    exec setpriv --reuid="$user" --regid="$group" --init-groups \
    $start) 2>>"$T_DIR/daemon.log" &
daemon=$!
at_exit "kill $daemon"
i=0
until grep -q "running:" "$T_DIR/daemon.log" || [ "$i" -ge 300 ]; do
	kill -0 "$daemon" 2>/dev/null || break
	i=$((i + 1))
	sleep 0.1
done
check_grep "the unit's ExecStart runs the daemon" "info daemon: running:" \
    "$T_DIR/daemon.log"
check_grep "... logging for journald: a priority, no stamp of its own" \
    "^<6>info daemon: running:" "$T_DIR/daemon.log"

# MDA mode, as Postfix pipe(8) would run it (docs/leadgate.1.md, MDA).
mail=$TOP/etc/sample/Maildir/new/1700000001.demo1.sample
(cd / && as_user /usr/bin/leadgate ingest --sender \
    noreply@immobilienscout24.de) <"$mail" >"$T_DIR/ingest" 2>&1
check_eq "a mail piped to leadgate ingest is taken (exit 0)" "$?" 0
check_grep "... and becomes a lead" "^-: new lead, lead 1, contact 1$" \
    "$T_DIR/ingest"
check_eq "the database is in /var/lib/leadgate, the leadgate user's" \
    "$(stat -c '%U %a' /var/lib/leadgate/leadgate.db)" "leadgate 600"
as_user leadgate leads list --json >"$T_DIR/leads" 2>&1
check_grep "the lead is listed" '"source": "ImmoScout24"' "$T_DIR/leads"

reload=$(sed -n 's/^ExecReload=//p' "$unit" | sed "s/\$MAINPID/$daemon/")
$reload
i=0
until grep -q "SIGHUP: reloading" "$T_DIR/daemon.log" || [ "$i" -ge 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
check_grep "ExecReload makes the daemon reload" "SIGHUP: reloading" \
    "$T_DIR/daemon.log"
kill "$daemon"
wait "$daemon"
check_eq "the daemon stops on SIGTERM (exit 0)" "$?" 0

# Every manual page renders on an 80-column terminal without a warning.
pages=$(dpkg -L leadgate | grep '^/usr/share/man/man./.*\.gz$')
check_eq "the five manual pages are installed" "$(echo "$pages" | wc -l)" 5
for p in $pages; do
	MANWIDTH=80 man --warnings -l "$p" >"$T_DIR/page" 2>"$T_DIR/warn"
	check_eq "man -l $(basename "$p") renders without warnings" \
	    "$(cat "$T_DIR/warn")" ""
	check_grep "... with its NAME" "^NAME" "$T_DIR/page"
done

comp=/usr/share/bash-completion/completions/leadgate
got=$(bash -c '. "$1"; COMP_WORDS=(leadgate leads l); COMP_CWORD=2;
    _leadgate; echo "${COMPREPLY[*]}"' sh "$comp")
check_eq "bash completes leadgate leads l" "$got" "list lose"
got=$(bash -c '. "$1"; COMP_WORDS=(leadgate -c x.conf mail bulk --d);
    COMP_CWORD=5; _leadgate; echo "${COMPREPLY[*]}"' sh "$comp")
check_eq "... and the options of mail bulk" "$got" "--dry-run"
if command -v zsh >/dev/null; then
	check "the zsh completion parses" \
	    zsh -n /usr/share/zsh/vendor-completions/_leadgate
fi

dpkg -r leadgate >"$T_DIR/remove.log" 2>&1
check_eq "dpkg -r removes the package" "$?" 0
check "... and not the program's data" test -f /var/lib/leadgate/leadgate.db
check "... nor the configuration" test -f /etc/leadgate/leadgate.conf
check "... but the program" test ! -e /usr/bin/leadgate
dpkg --purge leadgate >"$T_DIR/purge.log" 2>&1
check_eq "dpkg --purge purges it" "$?" 0
check "... the data" test ! -e /var/lib/leadgate
check "... and the configuration" test ! -e /etc/leadgate
check_eq "... and dpkg forgets it" \
    "$(dpkg-query -W -f='${Status}' leadgate 2>/dev/null)" ""
t_finish
