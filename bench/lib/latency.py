#!/usr/bin/env python3
"""Time inquiries from their APPEND to Dovecot to their answer at smtp-sink.

    latency.py single PORT USER PASS SINKDIR LIMIT_S FILE...
    latency.py burst  PORT USER PASS SINKDIR GAP_MS LIMIT_S FILE...

Each FILE is an inquiry from bench/lib/gen_inquiries.py --unique: its
prospect's address (the first first.lastN@example.TLD in it) is the
recipient its autoreply must have. A thread watches SINKDIR (smtp-sink
-d SINKDIR/m.) every 5 ms and notes when a message to each address first
appears there.

single: APPENDs one FILE at a time and waits for its answer (at most
LIMIT_S s) before the next, 0.3 s later. burst: APPENDs every FILE GAP_MS
apart (paced from the first APPEND), then waits for all answers. Each
latency is the time from the end of the inquiry's APPEND to its answer's
arrival. Prints the latencies, then one line

    MODE N: p50 S s p95 S s max S s

(the nearest-rank percentiles of the N latencies). Exit status 1 when an
answer did not come within LIMIT_S.
"""
import imaplib
import os
import re
import sys
import threading
import time

ADDR = re.compile(rb"[a-z.]+[0-9]+@example\.(?:ch|de|org|net)")
RCPT = re.compile(rb"^X-Rcpt-Args: <([^>]*)>", re.M)


class Sink(threading.Thread):
    """Arrival time (monotonic) of the first message to each address."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.seen = {}
        self.files = set(os.listdir(path))
        self.lock = threading.Lock()
        self.stop = False

    def run(self):
        while not self.stop:
            now = time.monotonic()
            for f in os.listdir(self.path):
                if f in self.files or not f.startswith("m."):
                    continue
                try:
                    with open(os.path.join(self.path, f), "rb") as fh:
                        head = fh.read(4096)
                except OSError:
                    continue
                m = RCPT.search(head)
                if m is None:
                    continue        # not written yet: next time
                self.files.add(f)
                a = m.group(1).decode().lower()
                with self.lock:
                    self.seen.setdefault(a, now)
            time.sleep(0.005)

    def at(self, addr):
        with self.lock:
            return self.seen.get(addr)


def prospect(path):
    with open(path, "rb") as f:
        m = ADDR.search(f.read())
    if m is None:
        sys.exit("%s: no prospect address" % path)
    return m.group(0).decode().lower()


def append(m, path):
    with open(path, "rb") as f:
        data = f.read()
    typ, _ = m.append("INBOX", None, None, data)
    if typ != "OK":
        sys.exit("APPEND %s: %s" % (path, typ))
    return time.monotonic()


def pct(v, p):
    v = sorted(v)
    k = max(0, min(len(v) - 1, -(-p * len(v) // 100) - 1))
    return v[k]


def report(mode, lat):
    print("latencies: " + " ".join("%.3f" % x for x in lat))
    print("%s %d: p50 %.3f s p95 %.3f s max %.3f s" % (
        mode, len(lat), pct(lat, 50), pct(lat, 95), max(lat)))


def wait(sink, addr, t0, limit):
    while time.monotonic() - t0 < limit:
        t = sink.at(addr)
        if t is not None:
            return t
        time.sleep(0.005)
    return None


def single(m, sink, limit, files):
    lat = []
    for f in files:
        a = prospect(f)
        t0 = append(m, f)
        t = wait(sink, a, t0, limit)
        if t is None:
            print("no answer to %s within %s s" % (a, limit))
            return 1
        lat.append(max(0.0, t - t0))
        time.sleep(0.3)
    report("single", lat)
    return 0


def burst(m, sink, gap_ms, limit, files):
    addrs = [prospect(f) for f in files]
    sent = []
    start = time.monotonic()
    for i, f in enumerate(files):
        delay = start + i * gap_ms / 1000.0 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sent.append(append(m, f))
    lat = []
    for a, t0 in zip(addrs, sent):
        t = wait(sink, a, start, limit)
        if t is None:
            print("burst: no answer to %s within %s s" % (a, limit))
            return 1
        lat.append(max(0.0, t - t0))
    report("burst", lat)
    return 0


def main(a):
    if len(a) >= 7 and a[0] == "single":
        port, user, pw, sinkdir, limit, files = (a[1], a[2], a[3], a[4],
                                                 float(a[5]), a[6:])
    elif len(a) >= 8 and a[0] == "burst":
        port, user, pw, sinkdir, gap, limit, files = (
            a[1], a[2], a[3], a[4], float(a[5]), float(a[6]), a[7:])
    else:
        sys.exit(__doc__)
    sink = Sink(sinkdir)
    sink.start()
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login(user, pw)
    try:
        if a[0] == "single":
            return single(m, sink, limit, files)
        return burst(m, sink, gap, limit, files)
    finally:
        sink.stop = True
        m.logout()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
