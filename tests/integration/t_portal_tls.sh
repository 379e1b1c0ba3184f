#!/bin/sh
# The portal connector over HTTPS: the emulator serves TLS with a test CA.
# Verified by default: the right CA (ca_file) works; no CA, another CA or a
# certificate for another name are refused with a clear message.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/portal.sh"

cd "$T_DIR" || exit 1
portal_secrets "$T_DIR"
mkcert() { # NAME CA SAN
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/CN=localhost" 2>/dev/null &&
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$3" >"$1.ext" &&
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -CAcreateserial -out "$1.pem" -days 2 -extfile "$1.ext" 2>/dev/null
}
mkca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" \
	    -out "$1.pem" -days 2 -subj "/CN=$1" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
mkca ca && mkca otherca && mkcert server ca "DNS:localhost,IP:127.0.0.1" &&
    mkcert wrongname ca "DNS:wrong.example" || { not_ok "test certificates"; t_finish; exit 1; }

# label|server certificate|settings|exit|stderr (grep -E)
cat >scenarios <<'EOS'
verified_with_ca_file|server|ca_file = "../ca.pem";|0|poll generic: 3 item\(s\): 3 inquiry
system_store_only|server||75|page 1: .*https://localhost:[0-9]+/api/leads: .*certificate
another_ca|server|ca_file = "../otherca.pem";|75|page 1: .*https://localhost:[0-9]+/api/leads: .*certificate
wrong_name|wrongname|ca_file = "../ca.pem";|75|page 1: .*https://localhost:[0-9]+/api/leads: .*(certificate|name|host)
EOS
while IFS='|' read -r label cert settings want_rc want_err; do
	d="$T_DIR/$label"
	mkdir -p "$d"
	ln -s "$T_DIR/secrets" "$d/secrets"
	portal_start "$d" generic --items 3 --tls "$T_DIR/$cert.pem" \
	    "$T_DIR/$cert.key" </dev/null
	portal_block "$TOP/etc/portals/generic.conf" "$d/p.conf" \
	    "retries = 0; $settings"
	sed -i "s#http://127.0.0.1:#https://localhost:#" "$d/p.conf"
	portal_config "$d" p.conf
	(cd "$d" && "$LEADGATE" -c leadgate.conf poll --connector generic \
	    --dry-run >out 2>err </dev/null)
	rc=$?
	portal_stop
	check_eq "$label: exit status" "$rc" "$want_rc"
	check_grep "$label: message" "$want_err" "$d/err"
done <scenarios
t_finish
