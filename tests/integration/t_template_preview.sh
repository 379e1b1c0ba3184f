#!/bin/sh
# template preview and template render through the real binary: a fresh
# store filled with the command line, the shipped templates, the clock
# pinned. Previews are compared with golden messages and decoded again by
# Python's e-mail parser (tests/lib/mailcheck.py), which also checks every
# golden message of the compose tests.
. "$TOP/tests/lib/common.sh"

export LEADGATE_NOW=2026-03-02T09:30:00Z
GOLD="$TOP/tests/data/templates"
CHECK="python3 $TOP/tests/lib/mailcheck.py"
CONF="$T_DIR/leadgate.conf"
cat >"$CONF" <<EOF
store = { path = "$T_DIR/leadgate.db"; default_country = "CH"; };
pipelines = "$TOP/etc/pipelines.conf";
templates = "$TOP/etc/templates";
mail = {
  from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  unsubscribe_url = "https://muster-immo.example/unsubscribe/{token}";
  unsubscribe_mailto = "unsubscribe@muster-immo.example";
};
EOF
LG="$LEADGATE -c $CONF"

# lg LABEL CMD...: run leadgate, keep stdout in $T_DIR/out; fail the check if it fails.
lg() {
	label=$1
	shift
	if $LG "$@" >"$T_DIR/out" 2>"$T_DIR/err"; then
		return 0
	fi
	not_ok "$label: leadgate $*: $(cat "$T_DIR/err")"
	return 1
}

# expect_exit LABEL STATUS MESSAGE CMD...: fails with STATUS and MESSAGE on stderr.
expect_exit() {
	label=$1 want=$2 msg=$3
	shift 3
	$LG "$@" >"$T_DIR/out" 2>"$T_DIR/err"
	rc=$?
	check_eq "$label: exit status" "$rc" "$want"
	check_eq "$label: message" "$(cat "$T_DIR/err")" "leadgate: $msg"
}

# mailcheck LABEL FILE CHECKS...
mailcheck() {
	label=$1
	shift
	if out=$($CHECK "$@" 2>&1); then
		ok "$label: Python's parser agrees"
	else
		not_ok "$label: $out"
	fi
}

lg "migrate" db migrate
for s in ImmoScout24 SeLoger; do lg "source $s" sources add "$s"; done
lg "anna" contacts add --first-name Anna --last-name "Müller-Lüdenscheidt" \
    --salutation Frau --email Anna.Mueller@Example.CH --language de-CH
lg "jean" contacts add --first-name Jean --last-name Dupont \
    --email jean.dupont@example.fr --language fr
lg "injection" contacts add --first-name "$(printf 'x\r\nBcc: evil@example.com')" \
    --last-name Y --email victim@example.com
lg "paul" contacts add --first-name Paul --last-name Phone --phone "044 123 45 67"
lg "lead 1" leads add --contact 1 --source ImmoScout24 --object OBJ-1001 --portal ImmoScout24
lg "lead 2" leads add --contact 2 --source SeLoger --object OBJ-1002 --portal SeLoger
# A known token keeps the bulk preview reproducible.
sqlite3 "$T_DIR/leadgate.db" "UPDATE contacts SET unsub_token='tok-anna' WHERE id=1"

# golden LABEL FILE CMD...: the preview equals the golden message.
golden() {
	label=$1 file=$2
	shift 2
	if lg "$label" "$@"; then
		cp "$T_DIR/out" "$T_DIR/$file"
		check_file "$label: matches $file" "$T_DIR/$file" "$GOLD/preview/$file"
	fi
}

golden "autoreply to lead 1" autoreply-lead1.eml template preview inquiry-reply \
    --lead 1 --kind autoreply --in-reply-to '<inq.1@portal.example>'
mailcheck "autoreply to lead 1" "$T_DIR/autoreply-lead1.eml" \
    "subject=Ihre Anfrage zum Objekt OBJ-1001" "to_name=Anna Müller-Lüdenscheidt" \
    "to_addr=anna.mueller@example.ch" "from_addr=info@muster-immo.example" \
    "parts=text/plain,text/html" "text~=Guten Tag Frau Müller-Lüdenscheidt" \
    "html~=<strong>OBJ-1001</strong>"

golden "French contact" inquiry-reply-contact2.eml template preview inquiry-reply --contact 2
mailcheck "French contact" "$T_DIR/inquiry-reply-contact2.eml" \
    "subject=Votre demande" "parts=text/plain" "text~=Merci de votre demande."

golden "bulk mail to lead 1" bulk-lead1.eml template preview new-documentation \
    --lead 1 --kind bulk
mailcheck "bulk mail to lead 1" "$T_DIR/bulk-lead1.eml" \
    "subject=Neue Dokumentation zum Objekt OBJ-1001" "parts=text/plain,application/pdf" \
    "attach=OBJ-1001.pdf:$TOP/etc/templates/docs/OBJ-1001.pdf" \
    "text~=Keine weiteren Nachrichten: https://muster-immo.example/unsubscribe/tok-anna"

# A name carrying CR LF and a Bcc line stays a name.
if lg "injection preview" template preview inquiry-reply --contact 3; then
	cp "$T_DIR/out" "$T_DIR/injection.eml"
	mailcheck "header injection" "$T_DIR/injection.eml" "no_header=Bcc" \
	    "to_addr=victim@example.com" "to_name=x  Bcc: evil@example.com Y"
	check_eq "header injection: one To line" \
	    "$(grep -c '^To:' "$T_DIR/injection.eml")" 1
fi

# Bulk preview of a contact without a token makes one, as the mailer would.
if lg "bulk preview makes a token" template preview new-documentation --contact 2 --kind bulk; then
	tok=$(sqlite3 "$T_DIR/leadgate.db" "SELECT unsub_token FROM contacts WHERE id=2")
	check_eq "the new token is 32 hex digits" \
	    "$(printf '%s' "$tok" | tr -d '0-9a-f' | wc -c)/${#tok}" "0/32"
	check_grep "the preview carries it" "unsubscribe/$tok>" "$T_DIR/out"
fi

# template render: the readable form, with the sample context.
cd "$TOP" || exit 1
if lg "render" template render etc/templates/inquiry-reply.txt \
    --data etc/templates/sample-context.json; then
	check_file "render matches inquiry-reply.out" "$T_DIR/out" "$GOLD/render/inquiry-reply.out"
fi

# --partials DIR: partial x is the file DIR/x, here for text and HTML alike.
mkdir -p "$T_DIR/parts"
printf 'Signed: {{sender.name}}\n' >"$T_DIR/parts/signature"
if lg "render with --partials" template render etc/templates/inquiry-reply.txt \
    --data etc/templates/sample-context.json --partials "$T_DIR/parts"; then
	check_eq "the partial comes from the directory given" \
	    "$(grep -c '^Signed: Immobilien Muster AG$' "$T_DIR/out")" 2
fi

expect_exit "unknown template" 66 \
    "template preview: template 'nothing' not found: no $TOP/etc/templates/nothing.txt" \
    template preview nothing --contact 1
expect_exit "contact without e-mail" 65 \
    "template preview: contact 4 has no e-mail address" \
    template preview inquiry-reply --contact 4
expect_exit "unknown lead" 66 "template preview: no lead with id 9" \
    template preview inquiry-reply --lead 9
expect_exit "bad kind" 64 "template preview: --kind is plain, autoreply or bulk, not 'spam'" \
    template preview inquiry-reply --contact 1 --kind spam
printf '{"a": 1,\n "a": 2}\n' >"$T_DIR/dup.json"
expect_exit "duplicate key in the data" 65 \
    "template render: $T_DIR/dup.json:2:4: duplicate object key near '\"a\"'" \
    template render "$TOP/etc/templates/inquiry-reply.txt" --data "$T_DIR/dup.json"
printf 'Subject: x\nBcc: y\n\nbody\n' >"$T_DIR/bad.txt"
expect_exit "bad template" 65 \
    "template render: $T_DIR/bad.txt:2: unknown header 'Bcc' (known: Subject, From, Reply-To, Attach, Language)" \
    template render "$T_DIR/bad.txt" --data "$TOP/etc/templates/sample-context.json"
$LG template preview inquiry-reply >/dev/null 2>&1
check_eq "neither --contact nor --lead is a usage error" "$?" 64

# Every golden message of the compose tests, read by Python's parser.
for d in "$GOLD"/compose/*/; do
	[ -f "$d/expected.eml" ] || continue
	n=$(basename "$d")
	set --
	[ "$n" = attachments ] && set -- "attach=OBJ-7.pdf:$d/docs/OBJ-7.pdf" \
	    "attach=Grundriss Küche.pdf:$d/docs/Grundriss Küche.pdf"
	[ "$n" = header-injection ] && set -- no_header=Bcc no_header=Cc
	[ "$n" = umlauts ] && set -- "to_name=Jürg Müller" \
	    "subject=Ihre Anfrage für die Wohnung in Zürich – ZH-1042"
	mailcheck "compose golden $n" "$d/expected.eml" "$@"
done

t_finish
