"""Check composed messages with Python's own e-mail parser (an independent
decoder): python3 mailcheck.py MESSAGE [KEY=VALUE]...

Prints one line per failed check and exits 1 if any failed. Always checked:
CRLF line ends, lines <= 998 octets, no parser defects in any header or
part. KEY=VALUE checks: subject=TEXT, to_name=TEXT, to_addr=ADDR,
from_addr=ADDR, text~=TEXT (the text part contains it), html~=TEXT,
attach=NAME:FILE (an attachment NAME whose bytes equal FILE),
parts=TYPE,TYPE (the content types of the leaf parts), no_header=NAME.
"""
import sys
from email import message_from_bytes, policy

def main():
    raw = open(sys.argv[1], "rb").read()
    bad = []
    lines = raw.split(b"\r\n")
    if lines[-1] != b"" or any(b"\n" in l or b"\r" in l for l in lines):
        bad.append("a line does not end in CRLF")
    if any(len(l) > 998 for l in lines):
        bad.append("a line is longer than 998 octets")
    msg = message_from_bytes(raw, policy=policy.default)
    for part in msg.walk():
        if part.defects:
            bad.append("defects in %s: %s" % (part.get_content_type(), part.defects))
        for name, value in part.items():
            if getattr(value, "defects", None):
                bad.append("defects in header %s: %s" % (name, value.defects))
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    def text_of(ctype):
        for p in leaves:
            if p.get_content_type() == ctype and not p.get_filename():
                return p.get_content()
        return None
    for arg in sys.argv[2:]:
        key, _, want = arg.partition("=")
        if key == "subject":
            got = str(msg["Subject"])
        elif key == "to_name":
            got = msg["To"].addresses[0].display_name
        elif key == "to_addr":
            got = msg["To"].addresses[0].addr_spec
        elif key == "from_addr":
            got = msg["From"].addresses[0].addr_spec
        elif key in ("text~", "html~"):
            body = text_of("text/plain" if key == "text~" else "text/html") or ""
            got = want if want in body else body
        elif key == "attach":
            name, _, path = want.partition(":")
            data = [p.get_content() for p in leaves if p.get_filename() == name]
            ok = data and data[0] == open(path, "rb").read()
            got = want if ok else "attachment %s: %d found, bytes %s" % (
                name, len(data), "differ" if data else "-")
        elif key == "parts":
            got = ",".join(p.get_content_type() for p in leaves)
        elif key == "no_header":
            got = want if msg.get(want) is None else "%s: %s" % (want, msg.get(want))
        else:
            bad.append("unknown check " + key)
            continue
        if got != want:
            bad.append("%s: got %r, want %r" % (key, got, want))
    for b in bad:
        print(b)
    return 1 if bad else 0

sys.exit(main())
