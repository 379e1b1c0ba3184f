#!/bin/sh
# Install leadgate's build and test dependencies from Debian 12 packages.
# pandoc writes the manual pages from docs/*.md (make man: it reads their
# definition lists and tables; go-md2man wants a title block and renders
# tables with tbl); debhelper, dpkg-dev and fakeroot build the .deb
# (t_deb); procmail and dovecot-sieve run the MDA snippets (t_mda), zsh
# the completion.
# Idempotent and non-interactive: installs only what is missing.
set -eu

PKGS="build-essential pkg-config
libetpan-dev libjansson-dev libsqlite3-dev libconfig-dev
libcurl4-gnutls-dev libgnutls28-dev libssl-dev libexpat1-dev zlib1g-dev libsasl2-modules
libmicrohttpd-dev curl
dovecot-imapd postfix isync openssl python3 sqlite3 procps time iproute2 util-linux
apache2-utils postgresql libpq-dev
pandoc man-db debhelper dpkg-dev fakeroot procmail dovecot-sieve zsh
bash-completion libargon2-dev chromium chromium-driver python3-selenium"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all dependencies present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# postfix asks how to configure itself; we only need its smtp-sink/smtp-source tools.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "install-deps: installing$missing"
$SUDO apt-get update -q
# policy-rc.d 101 keeps the packages' daemons from starting: tests run their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
