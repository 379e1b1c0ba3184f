#!/usr/bin/env python3
"""APPEND mails to a Dovecot folder and time when each becomes a lead.

    imap_burst.py burst  PORT USER PASS DB GAP_MS LIMIT_S FILE...
    imap_burst.py single PORT USER PASS DB LIMIT_S FILE...

burst: APPENDs every FILE GAP_MS apart, then waits until the store DB
holds as many more leads as files were appended (at most LIMIT_S seconds)
and prints "committed N of M; last at S s" (seconds from the first
APPEND). single: APPENDs one FILE at a time and waits for its lead before
the next; prints each latency and "p50 S s p95 S s max S s". Exit status
1 when some lead did not come within LIMIT_S.

The store is read with SQLite, read-only, the way any other reader sees
what the daemon committed.
"""
import imaplib
import sqlite3
import sys
import time


def leads(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
    try:
        return con.execute("SELECT count(*) FROM leads").fetchone()[0]
    finally:
        con.close()


def login(port, user, pw):
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login(user, pw)
    return m


def append(m, path):
    with open(path, "rb") as f:
        data = f.read()
    typ, _ = m.append("INBOX", None, None, data)
    if typ != "OK":
        sys.exit("APPEND %s: %s" % (path, typ))


def wait_leads(db, want, limit, t0):
    """Seconds since t0 when the store holds want leads, or None."""
    while time.monotonic() - t0 < limit:
        if leads(db) >= want:
            return time.monotonic() - t0
        time.sleep(0.01)
    return None


def burst(port, user, pw, db, gap_ms, limit, files):
    m = login(port, user, pw)
    base = leads(db)
    t0 = time.monotonic()
    for i, f in enumerate(files):
        # Paced from the first APPEND, not from the last one's end.
        delay = t0 + i * gap_ms / 1000.0 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        append(m, f)
    sent = time.monotonic() - t0
    m.logout()
    t = wait_leads(db, base + len(files), limit, t0)
    got = leads(db) - base
    print("appended %d in %.2f s; committed %d of %d; last at %s" % (
        len(files), sent, got, len(files),
        "%.2f s" % t if t is not None else "never (limit %s s)" % limit))
    return 0 if t is not None else 1


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def single(port, user, pw, db, limit, files):
    m = login(port, user, pw)
    lat = []
    for f in files:
        base = leads(db)
        t0 = time.monotonic()
        append(m, f)
        t = wait_leads(db, base + 1, limit, t0)
        if t is None:
            print("no lead %s s after the APPEND of %s" % (limit, f))
            return 1
        lat.append(t)
        # Let the daemon go back to IDLE before the next one.
        time.sleep(0.3)
    m.logout()
    print("latencies: " + " ".join("%.3f" % x for x in lat))
    print("%d single inquiries: p50 %.3f s p95 %.3f s max %.3f s" % (
        len(lat), pct(lat, 50), pct(lat, 95), max(lat)))
    return 0


def main(a):
    if len(a) >= 8 and a[0] == "burst":
        return burst(a[1], a[2], a[3], a[4], float(a[5]), float(a[6]),
                     a[7:])
    if len(a) >= 7 and a[0] == "single":
        return single(a[1], a[2], a[3], a[4], float(a[5]), a[6:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
