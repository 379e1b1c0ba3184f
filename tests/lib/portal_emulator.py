#!/usr/bin/env python3
"""A portal lead API on 127.0.0.1 for leadgate's tests and benchmark.

It plays the API shapes shipped in etc/portals/ (python3 stdlib only):

  immo        OAuth2 client credentials (token at /oauth/token, client
              authenticated with HTTP Basic), cursor paging, batch ack
              (etc/portals/immo-oauth-cursor.conf)
  aggregator  bearer token, page numbers with meta.last_page, since
              filter sent_after (etc/portals/aggregator-bearer-pages.conf)
  cars        HTTP Basic, Link header paging, last-id filter, one PATCH
              per lead as ack (etc/portals/cars-basic-linkheader.conf)
  generic     API key in X-Api-Key or ?api_key=, next link in the body
              or offset/limit paging (etc/portals/generic.conf)

Faults (--fault, repeatable) make it misbehave the way real APIs do:
  r500:N          the first N page requests answer 500
  r429:S, r503:S  the first page request answers 429/503, Retry-After: S
  slow:S          every page request waits S seconds first
  hang            page requests never answer
  broken_json:P   page P is cut in the middle
  html200:P       page P is an HTML error page with status 200
  no_items:P      page P has no items array
  huge:P          page P streams a never-ending chunked body
  redirect_loop   page requests redirect to each other forever
  redirect_away   page requests redirect to another host
  token_uses:N    an OAuth2 token works for N requests, then 401
  ack_fail:N      the first N acknowledgements answer 500

--items-file FILE serves the items of FILE (a JSON array, raw items in
the shape's own layout) instead of generated ones.

Every request is appended to --log as one JSON line {method, path, query,
auth, kind, body}; GET /_emulator/log returns them all as a JSON array.
"""
import argparse
import base64
import datetime
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIRST = ["Anna", "Marc", "Lea", "Jonas", "Sofia", "Luca", "Mia", "Noah"]
LAST = ["Muster", "Keller", "Weber", "Meier", "Schmid", "Huber", "Frei"]
SELLER = "1234"
BASE_TIME = datetime.datetime(2026, 11, 20, 8, 0, 0,
                              tzinfo=datetime.timezone.utc)


def person(i):
    first = FIRST[i % len(FIRST)]
    last = LAST[i % len(LAST)]
    email = "%s.%s%d@example.org" % (first.lower(), last.lower(), i)
    return first, last, email, "+4179%07d" % i


def stamp(i, fmt="%Y-%m-%dT%H:%M:%SZ"):
    return (BASE_TIME + datetime.timedelta(minutes=i)).strftime(fmt)


def item_immo(i):
    first, last, email, phone = person(i)
    return {
        "id": "ld_%05d" % i,
        "submittedDate": stamp(i),
        "classifiedId": "12ABCDE%05d" % i,
        "externalId": "A-%d" % (100 + i % 5),
        "seeker": {
            "firstName": first, "lastName": last, "email": email,
            "language": "DE",
            "phoneNumbers": [{"type": "MOBILE", "number": phone}],
        },
        "message": "Is the flat %d still available?" % i,
        "postalCode": "80%02d" % (i % 100), "city": "Zürich",
    }


def item_aggregator(i):
    first, last, email, phone = person(i)
    return {
        "id": 135000 + i, "contact_firstname": first,
        "contact_name": last, "contact_street": "Seestrasse %d" % i,
        "contact_zip": "81539", "contact_city": "München",
        "contact_email": email, "contact_tel": phone,
        "contact_mobile": "", "contact_gender": "FEMALE",
        "lead_type": "IMMOBILIE",
        "comment_extern": "Callback wanted, lead %d" % i,
        "sent_at": stamp(i, "%Y-%m-%d %H:%M:%S"),
    }


def item_cars(i):
    first, last, email, phone = person(i)
    return {
        "leadId": "lead-%06d" % i, "createdAt": stamp(i),
        "buyer": {"name": " %s  %s " % (first, last), "email": email.upper(),
                  "phone": phone},
        "vehicle": {"mobileAdId": "39%07d" % i, "internalNumber":
                    "V-%d" % (2200 + i % 3), "make": "VW", "model": "Golf"},
        "message": "Is the car still for sale?",
    }


def item_generic(i):
    first, last, email, phone = person(i)
    return {
        "uid": "g%d" % i, "person": {"first": first, "last": last,
                                    "mail": email, "tel": phone},
        "subject": "Inquiry %d" % i, "text": "Please call me back.",
        "ref": "OBJ-%d" % (i % 4),
    }


SHAPES = {"immo": item_immo, "aggregator": item_aggregator,
          "cars": item_cars, "generic": item_generic}
ID_KEY = {"immo": "id", "aggregator": "id", "cars": "leadId",
          "generic": "uid"}


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.faults = {}
        for f in args.fault:
            name, _, arg = f.partition(":")
            self.faults[name] = arg
        self.page_requests = 0
        self.acks = 0
        self.tokens = {}
        self.ntokens = 0
        self.log = []
        if args.items_file:
            with open(args.items_file, encoding="utf-8") as fh:
                self.items = json.load(fh)
        else:
            make = SHAPES[args.shape]
            self.items = [make(i) for i in range(1, args.items + 1)]

    def record(self, entry):
        with self.lock:
            self.log.append(entry)
            if self.args.log:
                with open(self.args.log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, sort_keys=True) + "\n")

    def fault(self, name):
        return self.faults.get(name)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PortalEmulator/1.0"

    def log_message(self, fmt, *a):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle and
        # delayed ACKs add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- plumbing -------------------------------------------------------
    def send(self, status, body, ctype="application/json", headers=None):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status, obj, headers=None):
        self.send(status, json.dumps(obj), headers=headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode("utf-8", "replace") if n else ""

    def parsed(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        return u.path, q

    def basic(self):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return None
        try:
            user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
        except Exception:
            return None
        return user, pw

    # -- auth -------------------------------------------------------------
    def authorized(self, q):
        st, a = self.server.st, self.server.st.args
        shape = a.shape
        if shape == "aggregator":
            return self.headers.get("Authorization") == "Bearer " + a.secret
        if shape == "cars":
            return self.basic() == (a.user, a.secret)
        if shape == "generic":
            return (self.headers.get("X-Api-Key") == a.secret or
                    q.get("api_key") == a.secret)
        h = self.headers.get("Authorization", "")
        tok = h[7:] if h.startswith("Bearer ") else None
        with st.lock:
            if tok not in st.tokens:
                return False
            st.tokens[tok] -= 1
            return st.tokens[tok] >= 0

    def token(self, body):
        st, a = self.server.st, self.server.st.args
        form = dict(urllib.parse.parse_qsl(body))
        ok = (self.basic() == (a.user, a.secret) and
              form.get("grant_type") == "client_credentials")
        self.server.st.record({"method": "POST", "path": "/oauth/token",
                               "query": {}, "kind": "token",
                               "auth": "ok" if ok else "bad", "body": ""})
        if not ok:
            return self.send_json(401, {"error": "invalid_client"})
        uses = int(st.fault("token_uses") or 1000000)
        with st.lock:
            st.ntokens += 1
            tok = "tok-%d-%s" % (st.ntokens, base64.b16encode(
                os.urandom(6)).decode())
            st.tokens[tok] = uses
        self.send_json(200, {"access_token": tok, "token_type": "Bearer",
                             "expires_in": 3600})

    # -- faults -----------------------------------------------------------
    def page_fault(self, page):
        """Answer a misbehaving page; True when it did."""
        st = self.server.st
        with st.lock:
            st.page_requests += 1
            n = st.page_requests
        if st.fault("slow"):
            time.sleep(float(st.fault("slow")))
        if st.fault("hang") is not None:
            time.sleep(3600)
            return True
        if st.fault("r500") and n <= int(st.fault("r500")):
            self.send_json(500, {"error": "internal"})
            return True
        for code in ("429", "503"):
            if st.fault("r" + code) and n == 1:
                self.send_json(int(code), {"error": "slow down"},
                               {"Retry-After": st.fault("r" + code)})
                return True
        if st.fault("redirect_loop") is not None:
            path, q = self.parsed()
            q["hop"] = str(int(q.get("hop", "0")) + 1)
            self.send(302, "", "text/plain", {"Location": path + "?" +
                      urllib.parse.urlencode(q)})
            return True
        if st.fault("redirect_away") is not None:
            self.send(302, "", "text/plain", {"Location":
                      "http://127.0.0.2:9/steal" + self.path})
            return True
        p = str(page)
        if st.fault("broken_json") == p:
            self.send(200, '{"data": [{"id": "ld_1", "seeker": {"em')
            return True
        if st.fault("html200") == p:
            self.send(200, "<!DOCTYPE html><html><body><h1>Service "
                      "temporarily unavailable</h1></body></html>",
                      "text/html; charset=utf-8")
            return True
        if st.fault("no_items") == p:
            self.send_json(200, {"error": "maintenance", "message":
                                 "try later"})
            return True
        if st.fault("huge") == p:
            self.huge()
            return True
        return False

    def huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = (json.dumps(SHAPES[self.server.st.args.shape](1)) + ",") * 200
        data = chunk.encode()
        try:
            self.wfile.write(b"%x\r\n[\r\n" % 1)
            for _ in range(16384):      # 16384 * ~60 kB: ~1 GB, never sent
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    # -- pages -----------------------------------------------------------
    def window(self, start, size):
        items = self.server.st.items
        return items[start:start + size], start + size < len(items)

    def filtered(self, key, value):
        items = self.server.st.items
        if value is None:
            return items
        return [it for it in items if str(it.get(key, "")) > value]

    def page_immo(self, q):
        size = int(q.get("limit", "50"))
        cur = q.get("cursor", "c0")
        if not cur.startswith("c") or not cur[1:].isdigit():
            return self.send_json(400, {"error": "bad cursor"})
        start = int(cur[1:])
        if self.page_fault(start // size + 1):
            return
        items, more = self.window(start, size)
        nxt = "c%d" % (start + len(items))
        self.send_json(200, {"data": items, "pagination": {
            "nextCursor": nxt, "hasMore": more}})

    def page_aggregator(self, q):
        page = int(q.get("page", "1"))
        per = int(q.get("per_page", "25"))
        if self.page_fault(page):
            return
        items = self.filtered("sent_at", q.get("sent_after"))
        last = max(1, (len(items) + per - 1) // per)
        self.send_json(200, {"data": items[(page - 1) * per:page * per],
                             "meta": {"current_page": page,
                                      "last_page": last, "per_page": per,
                                      "total": len(items)}})

    def page_cars(self, q, path):
        page = int(q.get("page", "1"))
        size = int(q.get("size", "20"))
        if self.page_fault(page):
            return
        items = self.filtered("leadId", q.get("afterLeadId"))
        chunk = items[(page - 1) * size:page * size]
        headers = {}
        if page * size < len(items):
            nq = dict(q, page=str(page + 1))
            nxt = '<%s://%s%s?%s>; rel="next"' % (
                self.server.scheme, self.headers.get("Host"), path,
                urllib.parse.urlencode(nq))
            first = '<%s?page=1>; rel="first"' % path
            # Both orders, as real APIs send them.
            headers["Link"] = (nxt + ", " + first if page % 2 else
                               first + ", " + nxt)
        self.send_json(200, chunk, headers)

    def page_generic(self, q, path):
        if "offset" in q:
            off, lim = int(q["offset"]), int(q.get("limit", "10"))
            if self.page_fault(off // max(lim, 1) + 1):
                return
            items, _ = self.window(off, lim)
            return self.send_json(200, {"items": items, "total":
                                        len(self.server.st.items)})
        page, per = int(q.get("page", "1")), int(q.get("per", "10"))
        if self.page_fault(page):
            return
        items, more = self.window((page - 1) * per, per)
        links = {"self": self.path}
        links["next"] = ("%s?page=%d&per=%d" % (path, page + 1, per)
                         if more else None)
        self.send_json(200, {"items": items, "links": links})

    # -- acks --------------------------------------------------------------
    def ack(self, ids):
        st = self.server.st
        with st.lock:
            st.acks += 1
            n = st.acks
        if st.fault("ack_fail") and n <= int(st.fault("ack_fail")):
            return self.send_json(500, {"error": "ack store down"})
        self.send_json(200, {"acknowledged": ids})

    # -- dispatch ------------------------------------------------------------
    def handle_any(self):
        st = self.server.st
        shape = st.args.shape
        path, q = self.parsed()
        body = self.read_body()
        if path == "/_emulator/log":
            with st.lock:
                return self.send_json(200, st.log)
        if path == "/oauth/token" and shape == "immo":
            return self.token(body)
        ok = self.authorized(q)
        kind = "page"
        if self.command in ("POST", "PATCH"):
            kind = "ack"
        st.record({"method": self.command, "path": path, "query": q,
                   "auth": "ok" if ok else "bad", "kind": kind,
                   "body": body})
        if not ok:
            return self.send_json(401, {"error": "unauthorized"})
        if kind == "ack":
            return self.route_ack(shape, path, body)
        routes = {
            "immo": ("/v1/leads", lambda: self.page_immo(q)),
            "aggregator": ("/api/v1/leads", lambda: self.page_aggregator(q)),
            "cars": ("/lead-api/sellers/%s/leads" % SELLER,
                     lambda: self.page_cars(q, path)),
            "generic": ("/api/leads", lambda: self.page_generic(q, path)),
        }
        want, fn = routes[shape]
        if path != want or self.command != "GET":
            return self.send_json(404, {"error": "no such resource"})
        return fn()

    def route_ack(self, shape, path, body):
        try:
            doc = json.loads(body) if body else None
        except ValueError:
            return self.send_json(400, {"error": "body is not JSON"})
        if (shape == "immo" and self.command == "POST" and
                path == "/v1/leads/acknowledgements" and
                isinstance(doc, dict) and isinstance(doc.get("leadIds"),
                                                     list)):
            return self.ack(doc["leadIds"])
        prefix = "/lead-api/sellers/%s/leads/" % SELLER
        if (shape == "cars" and self.command == "PATCH" and
                path.startswith(prefix) and doc == {"status": "RECEIVED"}):
            return self.ack([urllib.parse.unquote(path[len(prefix):])])
        return self.send_json(404, {"error": "no such resource"})

    do_GET = do_POST = do_PATCH = handle_any


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--shape", choices=sorted(SHAPES), required=True)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--items-file")
    ap.add_argument("--user", default="leadgate")
    ap.add_argument("--secret", default="s3cret-portal-credential")
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--log")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                    help="serve https with this certificate and key")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    srv.st = State(args)
    srv.scheme = "https" if args.tls else "http"
    # A hanging handler must not keep the process alive at the end.
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    signal.signal(signal.SIGINT, lambda *a: os._exit(0))
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
