# Helpers for the portal tests (after tests/lib/common.sh): an emulator on
# a free port, and a leadgate configuration around one connector block.
EMULATOR="$TOP/tests/lib/portal_emulator.py"
PORTAL_SECRET="s3cret-portal-credential"

# portal_secrets DIR: the secret files the shipped blocks name.
portal_secrets() {
	mkdir -p "$1/secrets"
	for f in immo-client-secret aggregator-token cars-password \
	    generic-api-key; do
		printf '%s\n' "$PORTAL_SECRET" >"$1/secrets/$f"
	done
	chmod 600 "$1/secrets/"*
}

# portal_start DIR SHAPE ARGS...: start the emulator; sets EM_PORT, EM_PID,
# EM_LOG. It is killed at exit.
portal_start() {
	dir=$1
	shift
	EM_PORT=$(free_port)
	EM_LOG="$dir/emulator.log"
	: >"$EM_LOG"
	python3 "$EMULATOR" --port "$EM_PORT" --log "$EM_LOG" --shape "$@" \
	    >"$dir/emulator.out" 2>&1 &
	EM_PID=$!
	at_exit "kill $EM_PID 2>/dev/null; wait $EM_PID 2>/dev/null"
	wait_port "$EM_PORT" 10
}

portal_stop() {
	kill "$EM_PID" 2>/dev/null
	wait "$EM_PID" 2>/dev/null
}

# portal_block SRC DST SETTINGS: copy a connector block pointing it at the
# emulator; each top-level "key = ...;" in SETTINGS replaces the block's
# own setting of that name or is added.
portal_block() {
	sed -E "s#https://[a-z.-]+\.(example|test)#http://127.0.0.1:$EM_PORT#" \
	    "$1" | python3 -c '
import re, sys
text, settings = sys.stdin.read(), sys.argv[1]
for m in re.finditer(r"\s*([a-z_]+)\s*=\s*(\{[^{}]*\}|[^;{}]*);", settings):
    key, line = m.group(1), "  %s = %s;" % (m.group(1), m.group(2).strip())
    pat = re.compile(r"^  %s = (\{[^{}]*?\}|[^\n]*?);[^\n]*$" % key, re.M | re.S)
    if pat.search(text):
        text = pat.sub(lambda _: line, text, count=1)
    else:
        text = text[:text.rstrip().rfind("}")] + line + "\n}\n"
sys.stdout.write(text)' "$3" >"$2"
}

# portal_config DIR BLOCK: DIR/leadgate.conf with that one connector.
portal_config() {
	cat >"$1/leadgate.conf" <<EOC
store = { path = "leadgate.db"; };
connectors = (
@include "$2"
);
EOC
}

# em_count KIND: how many requests of that kind the emulator logged.
em_count() {
	grep -c "\"kind\": \"$1\"" "$EM_LOG"
}

# portal_store_setup DIR: pipelines and a rule file that sends every
# inquiry to the default pipeline with the portal as its source.
portal_store_setup() {
	cp "$TOP/etc/pipelines.conf" "$1/pipelines.conf"
	cat >"$1/rules.conf" <<EOR
dedup = { email = true; phone = true; name_postcode = false; same_object = true; };
rules = ( { name = "everything"; } );
EOR
}
