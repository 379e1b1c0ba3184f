#!/usr/bin/env python3
"""The least an IMAP IDLE autoresponder does: the peer of bench/latency.sh.

    idle_responder.py IMAP_PORT USER PASS SMTP_PORT READY_FILE

Logs in to 127.0.0.1:IMAP_PORT (plain, no TLS), selects INBOX and waits
with IDLE. On every new-mail notice it leaves IDLE, fetches the messages
it has not seen (UID FETCH of the UIDs above the last one, BODY.PEEK[]),
takes the first prospect address (first.lastN@example.TLD) of each and
sends it a short answer through 127.0.0.1:SMTP_PORT (one SMTP session
for the messages of one fetch), then IDLEs again. It parses nothing
else, keeps nothing, syncs nothing: a floor for what leadgate does on
the same path (parse, rules, dedup, a durable commit, the rendered
template, the spool). It touches READY_FILE each time it enters IDLE
and runs until killed.
"""
import imaplib
import re
import smtplib
import sys

ADDR = re.compile(rb"[a-z.]+[0-9]+@example\.(?:ch|de|org|net)")
UIDS = re.compile(rb"UID (\d+)")
ANSWER = ("From: Immobilien Muster AG <info@muster-immo.example>\r\n"
          "To: <%s>\r\nSubject: Ihre Anfrage\r\nMIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=UTF-8\r\n"
          "Auto-Submitted: auto-replied\r\n\r\n"
          "Guten Tag,\r\n\r\nvielen Dank fuer Ihre Anfrage. Wir melden uns "
          "in Kuerze.\r\n")


def idle(m, ready):
    """IDLE until the server announces new mail; then DONE."""
    tag = m._new_tag()
    m.send(tag + b" IDLE\r\n")
    line = m.readline()
    if not line.startswith(b"+"):
        sys.exit("IDLE refused: %r" % line)
    open(ready, "w").close()
    while True:
        line = m.readline()
        if not line:
            sys.exit("connection closed")
        if line.startswith(b"*") and b"EXISTS" in line:
            break
    m.send(b"DONE\r\n")
    while True:
        line = m.readline()
        if line.startswith(tag):
            return


def main(a):
    if len(a) != 5:
        sys.exit(__doc__)
    port, user, pw, smtp_port, ready = a
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login(user, pw)
    m.select("INBOX")
    typ, data = m.uid("SEARCH", None, "ALL")
    uids = [int(x) for x in data[0].split()] if data and data[0] else []
    last = max(uids) if uids else 0
    while True:
        idle(m, ready)
        typ, data = m.uid("FETCH", "%d:*" % (last + 1), "(UID BODY.PEEK[])")
        rcpts = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            u = UIDS.search(item[0])
            if u is None or int(u.group(1)) <= last:
                continue
            last = max(last, int(u.group(1)))
            p = ADDR.search(item[1])
            if p is not None:
                rcpts.append(p.group(0).decode())
        if rcpts:
            s = smtplib.SMTP("127.0.0.1", int(smtp_port))
            for r in rcpts:
                s.sendmail("info@muster-immo.example", [r],
                           (ANSWER % r).encode())
            s.quit()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
