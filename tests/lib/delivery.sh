# The leadgate side of the delivery tests: a store and spool per case,
# messages, and queries. Source after common.sh and smtp.sh.

# The pinned clock of the checks, and the same as unix time.
LG_NOW=2026-01-05T10:00:00Z
LG_T0=1767607200

# lg_case NAME [CONFIG LINES...]: a fresh case directory $LG_HOME with
# its configuration (exported as LEADGATE_CONFIG), a source, contact 1
# (Anna Muster <anna@example.com>) and lead 1 (sale, phase 2).
lg_case() {
	LG_HOME=$T_DIR/$1
	shift
	rm -rf "$LG_HOME"
	mkdir -p "$LG_HOME"
	LG_DB=$LG_HOME/lg.db
	lg_config "$@"
	"$LEADGATE" sources add web &&
	"$LEADGATE" contacts add --first-name Anna --last-name Muster \
	    --email anna@example.com >/dev/null &&
	"$LEADGATE" leads add --contact 1 --source web >/dev/null ||
	    not_ok "$LG_HOME: set-up failed"
}

# lg_config [CONFIG LINES...]: rewrite the case's configuration (the
# store and the spool stay).
lg_config() {
	{
		echo "store = { path = \"$LG_DB\"; };"
		echo "pipelines = \"$TOP/etc/pipelines.conf\";"
		echo "spool = \"$LG_HOME/spool\";"
		for l in "$@"; do echo "$l"; done
	} >"$LG_HOME/lg.conf"
	export LEADGATE_CONFIG="$LG_HOME/lg.conf"
}

# lg_iso UNIXTIME: the ISO 8601 form LEADGATE_NOW takes.
lg_iso() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# lg_smtp PORT [MORE SMTP SETTINGS]: an smtp block for the config,
# STARTTLS off unless the settings say otherwise.
lg_smtp() {
	case "$2" in
	*starttls*) s_tls="" ;;
	*) s_tls='starttls = "off";' ;;
	esac
	echo "smtp = { host = \"localhost\"; port = $1; $s_tls $2 };"
}

# lg_message ID [BODY LINE]: a complete CRLF message, Message-ID <ID@test.example>.
lg_message() {
	printf 'Date: Mon, 05 Jan 2026 10:00:00 +0000\r\n'
	printf 'From: Agence Muster <info@agency.example>\r\n'
	printf 'To: Anna Muster <anna@example.com>\r\n'
	printf 'Message-ID: <%s@test.example>\r\n' "$1"
	printf 'Subject: Votre demande %s\r\n' "$1"
	printf 'MIME-Version: 1.0\r\n'
	printf 'Content-Type: text/plain; charset=us-ascii\r\n'
	printf '\r\n'
	printf 'Bonjour,\r\n\r\n.a line that starts with a dot\r\n'
	printf '%s\r\n' "${2:-Merci de votre demande.}"
}

# lg_queue ID [spool add options]: queue lg_message ID for lead 1 at
# $LG_NOW, moving it to phase 3 once sent. Fails the case if refused.
lg_queue() {
	q_id=$1
	shift
	lg_message "$q_id" >"$LG_HOME/$q_id.eml"
	LEADGATE_NOW=$LG_NOW "$LEADGATE" spool add --key "k$q_id" \
	    --to anna@example.com \
	    --from info@agency.example --lead 1 --contact 1 --advance 3 \
	    --template welcome "$@" "$LG_HOME/$q_id.eml" >/dev/null ||
	    not_ok "queue message $q_id"
}

# lg_sql SQL: one query on the case's store.
lg_sql() {
	sqlite3 "$LG_DB" "$1"
}

# lg_deliver [NOW]: one delivery run at time NOW (default $LG_NOW); its
# output in $LG_HOME/deliver.out, its log in $LG_HOME/deliver.err.
lg_deliver() {
	LEADGATE_NOW=${1:-$LG_NOW} "$LEADGATE" -v deliver \
	    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err"
}

# lg_deliver_bg [NOW]: the same in the background; LG_PID is leadgate's
# own pid (not a subshell's), so that a signal reaches it.
lg_deliver_bg() {
	LEADGATE_NOW=${1:-$LG_NOW} "$LEADGATE" -v deliver \
	    >"$LG_HOME/deliver.out" 2>"$LG_HOME/deliver.err" &
	LG_PID=$!
	at_exit "kill -9 $LG_PID"
}
