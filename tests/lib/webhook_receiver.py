#!/usr/bin/env python3
"""A webhook receiver for the tests, on 127.0.0.1: it checks every
request's signature (HMAC-SHA256 over "TIMESTAMP.BODY" with the secret,
leadgate.conf(5) WEBHOOKS) and that the body's id is the Leadgate-Event-Id
header, and answers each request as the script says:

    --script 503,hang,200   the first request 503, the second hangs (then
                            503), the third 200; every later one 200
    --hang SECONDS          how long "hang" waits (beyond the client's
                            timeout)
    --delay SECONDS         wait this long before every answer

Every request is a JSON line in --log (fsynced before the answer):
{"n", "id", "type", "sig_ok", "id_ok", "answer", "body"}; "answer" is the
status sent ("hang" for a hang). A bad signature is answered 401.
"""
import argparse
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--secret-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--script", default="")
ap.add_argument("--hang", type=float, default=5.0)
ap.add_argument("--delay", type=float, default=0.0)
args = ap.parse_args()

with open(args.secret_file, "rb") as f:
    SECRET = f.read().split(b"\n")[0]
SCRIPT = [s for s in args.script.split(",") if s]
LOCK = threading.Lock()
COUNT = [0]


def record(entry):
    with LOCK:
        with open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, status):
        body = b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        with LOCK:
            COUNT[0] += 1
            k = COUNT[0]
        act = SCRIPT[k - 1] if k <= len(SCRIPT) else "200"
        ts = self.headers.get("Leadgate-Timestamp", "")
        sig = self.headers.get("Leadgate-Signature", "")
        want = "v1=" + hmac.new(SECRET, ts.encode() + b"." + raw,
                                hashlib.sha256).hexdigest()
        sig_ok = hmac.compare_digest(sig, want) and \
            abs(time.time() - int(ts or 0)) < 300
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        eid = self.headers.get("Leadgate-Event-Id")
        id_ok = isinstance(body, dict) and body.get("id") == eid and \
            body.get("type") == self.headers.get("Leadgate-Event-Type")
        if not sig_ok:
            act = "401"
        record({"n": k, "id": eid,
                "type": self.headers.get("Leadgate-Event-Type"),
                "sig_ok": sig_ok, "id_ok": id_ok, "answer": act,
                "body": body})
        if args.delay:
            time.sleep(args.delay)
        if act == "hang":
            time.sleep(args.hang)
            act = "503"
        try:
            self.answer(int(act))
        except OSError:
            pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(tmp, args.port_file)
srv.serve_forever()
