# The dashboard tests' case (POSIX sh, after common.sh, smtp.sh and
# delivery.sh): a store with a lead from a mail with an attachment, a
# contact whose name is a script, a quarantined inquiry (a rule holds it
# when it is ingested; serve runs without that rule, so a retry makes a
# lead), users agent1 (agent), boss (admin) and greta (agent, German),
# and a bulk campaign "spring" delivered to smtp-sink. dash_serve starts
# `leadgate serve` on DASH_PORT.

# dash_case NAME
dash_case() {
	lg_case "$1"
	DASH_PORT=$(free_port)
	cat >"$LG_HOME/rules-held.conf" <<'EOR'
rules = (
  { name = "offers"; action = "quarantine"; reason = "an offer";
    when = { on = "subject"; contains = "Offer"; }; }
);
EOR
	echo 'rules = ( { name = "all"; } );' >"$LG_HOME/rules.conf"
	dash_config "$LG_HOME/rules-held.conf"
	"$LEADGATE" ingest --connector inbox "$TOP/tests/data/dash/inquiry.eml" \
	    >/dev/null 2>&1 || not_ok "ingest the inquiry"
	"$LEADGATE" ingest --connector inbox "$TOP/tests/data/dash/held.eml" \
	    >"$LG_HOME/held.out" 2>&1
	DASH_QID=$(sed -n 's/.*quarantine \([0-9]*\).*/\1/p' "$LG_HOME/held.out")
	[ -n "$DASH_QID" ] || not_ok "the offer is quarantined: $(cat "$LG_HOME/held.out")"
	"$LEADGATE" contacts add --first-name '<script>window.injected=1</script>' \
	    --last-name Evil --email evil@example.com >/dev/null &&
	"$LEADGATE" leads add --contact 3 --source web >/dev/null ||
	    not_ok "add the contact with a script for a name"
	printf 'agent-pass-1\n' | "$LEADGATE" user add agent1 --role agent &&
	printf 'admin-pass-1\n' | "$LEADGATE" user add boss --role admin &&
	printf 'greta-pass-1\n' | "$LEADGATE" user add greta --role agent \
	    --language de || not_ok "user add"
	dash_config "$LG_HOME/rules.conf"
}

# dash_config RULES [MORE LINES]: cheap argon2 for tests (the parameters
# are settings), the rules file, smtp to the sink when one runs;
# DASH_MORE goes into the dash block.
dash_config() {
	d_rules=$1
	shift
	lg_config "rules = \"$d_rules\";" \
	    "templates = \"$TOP/etc/templates\";" \
	    "archive = { dir = \"$LG_HOME/archive\"; };" \
	    'mail = { from = "Immobilien Muster AG <info@muster-immo.example>";' \
	    '  domain = "muster-immo.example";' \
	    '  unsubscribe_url = "https://muster-immo.example/u/{token}"; };' \
	    "serve = { port = $DASH_PORT; };" \
	    "dash = { argon2_m = 8192; argon2_t = 1; login_rate = 3; ${DASH_MORE:-} };" \
	    ${SINK_PORT:+"$(lg_smtp "$SINK_PORT")"} "$@"
}

# dash_campaign: the bulk campaign "spring" to the sink.
dash_campaign() {
	"$LEADGATE" mail bulk --filter 'phase = "Demande reçue"' \
	    --template object-news --name spring --yes \
	    >"$LG_HOME/bulk.out" 2>"$LG_HOME/bulk.err" </dev/null ||
	    not_ok "the bulk campaign: $(cat "$LG_HOME/bulk.err")"
}

dash_serve() {
	"$LEADGATE" serve 2>"$LG_HOME/serve.log" &
	DASH_PID=$!
	at_exit "kill $DASH_PID"
	wait_port "$DASH_PORT" 10 ||
	    not_ok "serve listens on $DASH_PORT: $(cat "$LG_HOME/serve.log")"
}
