#!/bin/sh
# `leadgate parse`: golden files for every fixture under tests/data/parse/,
# and the huge bad inputs, generated here rather than committed.
#
# For tests/data/parse/<area>/<case>.eml:
#   <case>.json   the expected `parse --json` output (exit 0)
#   <case>.err    the expected reason of a refusal (exit 65)
#   <case>.notes  the expected notes line of the text output
#   <case>.txt    the expected text output
# Adding a fixture with its golden file adds a test.

. "$TOP/tests/lib/common.sh"

DATA=$TOP/tests/data/parse

# run_parse FILE [ARGS...]: stdout to $T_DIR/out, stderr to $T_DIR/err, $rc.
run_parse() {
	f=$1
	shift
	"$LEADGATE" parse "$@" "$f" >"$T_DIR/out" 2>"$T_DIR/err"
	rc=$?
}

# check_refused LABEL FILE REASON: exit 65 and exactly that reason.
check_refused() {
	run_parse "$2"
	check_eq "$1: exit status" "$rc" 65
	check_eq "$1: reason" "$(sed "s|^leadgate: parse: $2: ||" "$T_DIR/err")" \
	    "$3"
}

for eml in "$DATA"/*/*.eml; do
	base=${eml%.eml}
	name=${base#"$DATA"/}
	if [ -f "$base.err" ]; then
		check_refused "$name" "$eml" "$(cat "$base.err")"
		check_eq "$name: nothing on stdout" "$(wc -c <"$T_DIR/out")" 0
	elif [ -f "$base.json" ]; then
		run_parse "$eml" --json
		check_eq "$name: exit status" "$rc" 0
		check_file "$name: json" "$T_DIR/out" "$base.json"
	else
		not_ok "$name: no golden file ($name.json or $name.err)"
	fi
	if [ -f "$base.notes" ]; then
		run_parse "$eml"
		sed -n 's/^notes: //p' "$T_DIR/out" >"$T_DIR/notes"
		check_file "$name: notes" "$T_DIR/notes" "$base.notes"
	elif [ -f "$base.json" ]; then
		run_parse "$eml"
		check_eq "$name: no defects noted" \
		    "$(sed -n 's/^notes: //p' "$T_DIR/out")" ""
	fi
	if [ -f "$base.txt" ]; then
		run_parse "$eml"
		check_file "$name: text" "$T_DIR/out" "$base.txt"
	fi
done

# Standard input, usage and missing files.
one=$DATA/immoscout24/plain-utf8
"$LEADGATE" parse --json - <"$one.eml" >"$T_DIR/out" 2>"$T_DIR/err"
check_eq "stdin: exit status" "$?" 0
check_file "stdin: same json as the file" "$T_DIR/out" "$one.json"
"$LEADGATE" parse >/dev/null 2>&1
check_eq "no file: usage exit" "$?" 64
"$LEADGATE" parse "$T_DIR/missing.eml" >/dev/null 2>"$T_DIR/err"
check_eq "missing file: exit 66" "$?" 66
check_grep "missing file: says so" "missing.eml: No such file" "$T_DIR/err"
"$LEADGATE" parse --bogus "$one.eml" >/dev/null 2>&1
check_eq "unknown option: usage exit" "$?" 64

# --explain: each field, where it came from, the candidates it beat.
hg=$DATA/homegate/de-plain.eml
"$LEADGATE" parse --explain "$hg" >"$T_DIR/out" 2>"$T_DIR/err"
check_eq "explain: exit status" "$?" 0
check_grep "explain: the fields first" "^first_name: Reto$" "$T_DIR/out"
check_grep "explain: a field's label, file and place" \
    '<- label "Vorname" of .*/lexicon/de.conf \(inline\) at line 10$' \
    "$T_DIR/out"
check_grep "explain: the profile" \
    "<- profile homegate \(.*/portals/mail/homegate.conf\)" "$T_DIR/out"
check_grep "explain: the message as cut" \
    "<- message.h: the message label's value" "$T_DIR/out"
check_grep "explain: the address split by country" "^  taken 8004$" \
    "$T_DIR/out"
"$LEADGATE" parse --explain "$DATA/immoscout24/forwarded-quoted.eml" \
    >"$T_DIR/out" 2>&1
# The forward is read as its original (forward.h): lines count in it,
# its quotes taken off.
check_grep "explain: a quoted label in a forward" \
    '<- label "Ihre Objekt-Nr." of .*immoscout24.conf \(inline\) at line 5' \
    "$T_DIR/out"
check_grep "explain: who forwarded it" \
    '<- the outer From of a forward.*at line 4 of the text' \
    "$T_DIR/out"
"$LEADGATE" parse --explain --json "$hg" >/dev/null 2>&1
check_eq "explain with json: usage exit" "$?" 64

# The huge inputs. gen.py NAME writes $T_DIR/NAME.eml.
cat >"$T_DIR/gen.py" <<'EOF'
import base64, os, sys
d, name = sys.argv[1], sys.argv[2]
head = ("From: Max Beispiel <max@example.de>\nTo: info@makler-beispiel.de\n"
        "Subject: Anfrage\nMIME-Version: 1.0\n")
def mixed(parts, b="b"):
    return head + 'Content-Type: multipart/mixed; boundary="%s"\n\n' % b + \
        "".join("--%s\n%s\n" % (b, p) for p in parts) + "--%s--\n" % b
def nested(levels):
    # Each level a multipart holding the next.
    out, close = [head], []
    for i in range(levels):
        out.append('Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n'
                   % (i, i))
        close.append("--n%d--\n" % i)
    out.append("Content-Type: text/plain\n\ninnen\n")
    return "".join(out) + "".join(reversed(close))
def attachment(size):
    data = base64.encodebytes(os.urandom(size)).decode()
    return mixed(["Content-Type: text/plain\n\nAnbei die Unterlagen.",
                  "Content-Type: application/pdf\nContent-Disposition: "
                  "attachment; filename=big.pdf\nContent-Transfer-Encoding: "
                  "base64\n\n" + data])
gen = {
    "attach20m": lambda: attachment(20 << 20),
    "over-size": lambda: attachment(26 << 20),
    "headers10k": lambda: "".join("X-Header-%d: value\n" % i
                                 for i in range(10000)) + head + "\nHallo\n",
    "nesting30k": lambda: head + "Content-Type: message/rfc822\n\n" * 30000
        + "Subject: innen\n\nHallo\n",
    "multipart30k": lambda: nested(30000),
    "nesting40": lambda: nested(40),
    "parts600": lambda: mixed(["Content-Type: text/plain\n\nTeil %d" % i
                               for i in range(600)]),
    "empty-parts": lambda: mixed(["" for i in range(100000)]),
    "part-headers": lambda: mixed(["".join("X-P-%d: v\n" % i
                                   for i in range(5000)) +
                                   "Content-Type: text/plain\n\nTeil"]),
    "long-field": lambda: head + "To: " + ", ".join(
        "kunde%d@example.com" % i for i in range(20000)) + "\n\nHallo\n",
    "xml-deep": lambda: head + "Content-Type: text/plain\n\n<?xml version="
        '"1.0"?>\n<openimmo_feedback>' + "<a>" * 100 + "</a>" * 100 +
        "</openimmo_feedback>\n",
    "xml-wide": lambda: head + "Content-Type: text/plain\n\n<adf><prospect>"
        + "<x/>" * 60000 + "</prospect></adf>\n",
}
open(os.path.join(d, name + ".eml"), "w").write(gen[name]())
EOF
gen() { python3 "$T_DIR/gen.py" "$T_DIR" "$1"; }

# Peak memory (KiB) of a parse run; the sanitizer builds are not measured.
maxrss() {
	python3 - "$LEADGATE" "$1" <<'EOF'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "parse", "--json", sys.argv[2]],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
}
case $LEADGATE in
*build-san*) measure=0 ;;
*) measure=1 ;;
esac

gen attach20m
run_parse "$T_DIR/attach20m.eml" --json
check_eq "20 MB attachment: parsed" "$rc" 0
check_grep "20 MB attachment: sender" '"email": "max@example.de"' "$T_DIR/out"
if [ "$measure" = 1 ]; then
	kb=$(maxrss "$T_DIR/attach20m.eml")
	check "20 MB attachment: peak memory ${kb} KiB under 256 MiB" \
	    [ "$kb" -lt 262144 ]
fi
rm -f "$T_DIR/attach20m.eml"

gen over-size
size=$(wc -c <"$T_DIR/over-size.eml")
check_refused "36 MB message" "$T_DIR/over-size.eml" \
    "message of more than 33554432 bytes is over the limit"
rm -f "$T_DIR/over-size.eml"

gen headers10k
check_refused "10,000 headers" "$T_DIR/headers10k.eml" \
    "more than 1000 header fields in the message header"
gen nesting30k
check_refused "30,000 nested messages" "$T_DIR/nesting30k.eml" \
    "more than 500 Content-Type fields: too many or too deeply nested MIME parts"
if [ "$measure" = 1 ]; then
	kb=$(maxrss "$T_DIR/nesting30k.eml")
	check "30,000 nested messages: peak memory ${kb} KiB under 64 MiB" \
	    [ "$kb" -lt 65536 ]
fi
gen multipart30k
check_refused "30,000 nested multiparts" "$T_DIR/multipart30k.eml" \
    "more than 500 Content-Type fields: too many or too deeply nested MIME parts"
gen nesting40
check_refused "40-level nesting" "$T_DIR/nesting40.eml" \
    "MIME parts nested deeper than 32"
gen parts600
check_refused "600 parts" "$T_DIR/parts600.eml" \
    "more than 500 Content-Type fields: too many or too deeply nested MIME parts"
gen empty-parts
check_refused "100,000 empty parts" "$T_DIR/empty-parts.eml" \
    'more than 2000 lines start with "--": too many MIME parts'
gen part-headers
check_refused "5,000 headers in a part" "$T_DIR/part-headers.eml" \
    "line 1008: more than 1000 header fields in one header block"
gen long-field
check_refused "a 400 kB To: field" "$T_DIR/long-field.eml" \
    "line 5: a header field longer than 262144 bytes"
gen xml-deep
check_refused "XML nested 100 deep" "$T_DIR/xml-deep.eml" \
    "OpenImmo-Feedback in text/plain: XML line 2: elements nested too deep"
gen xml-wide
check_refused "XML of 60,000 elements" "$T_DIR/xml-wide.eml" \
    "ADF in text/plain: XML line 1: too many nodes"

t_finish
