#!/bin/sh
# make install and make uninstall: into a prefix of the test's own (the
# installed program finds its data and its configuration there, with no
# -c), and staged with DESTDIR as a package build does.
. "$(dirname "$0")/../lib/common.sh"
san=0
case ${BUILD:-} in *build-san*) san=1 ;; esac
mk() { make -s -C "$TOP" --no-print-directory SAN=$san \
    ${BUILD:+BUILD="$BUILD"} "$@"; }

P=$T_DIR/prefix
mk install PREFIX="$P" >"$T_DIR/install.log" 2>&1
rc=$?
check_eq "make install PREFIX=... succeeds" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T_DIR/install.log" | tail -10
for f in bin/leadgate etc/leadgate/leadgate.conf etc/leadgate/rules.conf \
    etc/leadgate/pipelines.conf etc/leadgate/templates/inquiry-reply.txt \
    share/leadgate/lexicon/de.conf share/leadgate/portals/mail \
    share/leadgate/oauth-providers.conf share/leadgate/openapi.json \
    share/leadgate/unsubscribe/en.conf share/man/man1/leadgate.1 \
    share/man/man5/leadgate.conf.5 share/man/man5/leadgate-rules.5 \
    share/bash-completion/completions/leadgate \
    share/zsh/site-functions/_leadgate; do
	check "installs $f" test -e "$P/$f"
done
check_eq "the state directory is 0700" "$(stat -c %a "$P/var/lib/leadgate")" 700

LGI=$P/bin/leadgate
"$LGI" config check >"$T_DIR/check" 2>&1
check_eq "the installed program reads its own configuration, no -c" \
    "$(cat "$T_DIR/check")" "$P/etc/leadgate/leadgate.conf: ok"
"$LGI" rules check >"$T_DIR/rules" 2>&1
check_grep "... with the installed lexicon" \
    "^$P/share/leadgate/lexicon: [0-9]+ lexicon files, ok" "$T_DIR/rules"
check_grep "... and portal profiles" \
    "^$P/share/leadgate/portals/mail: [0-9]+ profiles, ok" "$T_DIR/rules"
"$LGI" ingest <"$TOP/etc/sample/Maildir/new/1700000001.demo1.sample" \
    >"$T_DIR/ingest" 2>&1
check_grep "a mail piped to the installed program is a lead" \
    "^-: new lead, lead 1, contact 1" "$T_DIR/ingest"
check "... stored under localstatedir" test -f "$P/var/lib/leadgate/leadgate.db"
MANWIDTH=80 man --warnings -l "$P/share/man/man1/leadgate.1" \
    >/dev/null 2>"$T_DIR/warn"
check_eq "the installed leadgate(1) renders without warnings" \
    "$(cat "$T_DIR/warn")" ""

# The completion answers from the command table (compadd stands in for
# zsh's completion widget: it prints what would be offered).
got=$(bash -c '. "$1"; COMP_WORDS=(leadgate spool r); COMP_CWORD=2;
    _leadgate; echo "${COMPREPLY[*]}"' sh \
    "$P/share/bash-completion/completions/leadgate")
check_eq "bash completes leadgate spool r" "$got" "retry"
if command -v zsh >/dev/null; then
	got=$(zsh -c 'compadd() { [[ $1 == -- ]] && shift; print -r -- "$@"; }
	    words=(leadgate -c x.conf quarantine x); CURRENT=5; PREFIX=""
	    source "$1"' zsh "$P/share/zsh/site-functions/_leadgate")
	check_eq "zsh offers the subcommands of quarantine" "$got" \
	    "list show retry drop"
	got=$(zsh -c 'compadd() { [[ $1 == -- ]] && shift; print -r -- "$@"; }
	    words=(leadgate poll --); CURRENT=3; PREFIX=--
	    source "$1"' zsh "$P/share/zsh/site-functions/_leadgate")
	check_eq "... and the options of poll" "$got" \
	    "--connector --dry-run --json --help"
fi

echo "# edited" >>"$P/etc/leadgate/rules.conf"
mk install PREFIX="$P" >/dev/null 2>&1
check_grep "a second make install keeps the edited configuration" \
    "^# edited" "$P/etc/leadgate/rules.conf"

mk uninstall PREFIX="$P" >/dev/null 2>&1
check_eq "make uninstall succeeds" "$?" 0
left=$(cd "$P" && find . -type f | grep -v '^./etc/leadgate/\|^./var/lib/leadgate/' |
    LC_ALL=C sort)
check_eq "... and leaves only the configuration and the state" "$left" ""
check "... which it keeps" test -f "$P/var/lib/leadgate/leadgate.db"

S=$T_DIR/stage
mk install DESTDIR="$S" PREFIX=/usr sysconfdir=/etc localstatedir=/var \
    >/dev/null 2>&1
check_eq "make install DESTDIR=... PREFIX=/usr succeeds" "$?" 0
check "... the program in DESTDIR/usr/bin" test -x "$S/usr/bin/leadgate"
check "... the configuration in DESTDIR/etc/leadgate" \
    test -f "$S/etc/leadgate/leadgate.conf"
check_grep "... naming its state in /var/lib/leadgate" \
    'path = "/var/lib/leadgate/leadgate.db"' "$S/etc/leadgate/leadgate.conf"
check_grep "... the program knows /etc/leadgate/leadgate.conf" \
    "else /etc/leadgate/leadgate.conf" "$(
    "$S/usr/bin/leadgate" --help >"$T_DIR/help" 2>&1; echo "$T_DIR/help")"
check_grep "... and /usr/share/leadgate" "/usr/share/leadgate" "$(
    strings "$S/usr/bin/leadgate" >"$T_DIR/strings"; echo "$T_DIR/strings")"
t_finish
