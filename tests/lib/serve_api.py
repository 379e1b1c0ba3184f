#!/usr/bin/env python3
"""Drive a running `leadgate serve` for t_serve: every route, its answer
checked against the OpenAPI document the server itself serves (and which
must be etc/openapi.json), authentication and scopes, paging,
ETag/If-Match, web-form intake, and bad input on every route, which must
give problem JSON and change nothing in the store.

usage: serve_api.py PORT DB OPENAPI_FILE READ WRITE FORM FORM2
Prints "ok - ..." / "not ok - ...: why" lines; exits 1 on a failure.
"""
import http.client
import json
import re
import socket
import sqlite3
import sys

import jsonschema

PORT, DB, OPENAPI = int(sys.argv[1]), sys.argv[2], sys.argv[3]
READ, WRITE, FORM, FORM2 = sys.argv[4:8]
FAILS = 0
DOC = json.load(open(OPENAPI))


def ok(label, cond, why=""):
    global FAILS
    if cond:
        print("ok - " + label)
    else:
        FAILS += 1
        print("not ok - %s: %s" % (label, why))


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name):
        return self.headers.get(name.lower())


def req(method, path, token=None, body=None, ctype="application/json",
        headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if body is not None:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        if ctype:
            h["Content-Type"] = ctype
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    out = Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    c.close()
    return out


def raw(data):
    """Bytes on a socket, for requests http.client refuses to send."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
    s.sendall(data)
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
        if b"\r\n\r\n" in buf:
            head, _, rest = buf.partition(b"\r\n\r\n")
            m = re.search(rb"content-length: *(\d+)", head, re.I)
            if m and len(rest) >= int(m.group(1)):
                break
    s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head else 0
    return Resp(status, {}, body)


def template_of(path):
    """The OpenAPI path template a concrete path answers to."""
    p = path.split("?")[0]
    for t in DOC["paths"]:
        rx = "^" + re.sub(r"\\{[a-z_]+\\}", "[^/]+", re.escape(t)) + "$"
        if re.match(rx, p):
            return t
    return None


def conforms(label, method, path, r):
    """The answer is documented for this route and status, and matches."""
    t = template_of(path)
    if t is None or method.lower() not in DOC["paths"][t]:
        ok(label + ": documented", False, "%s %s is not in openapi.json" %
           (method, path))
        return
    resp = DOC["paths"][t][method.lower()]["responses"].get(str(r.status))
    if resp is None:
        ok(label + ": documented", False, "status %d of %s %s is not in "
           "openapi.json" % (r.status, method, t))
        return
    ctype = (r.header("content-type") or "").split(";")[0]
    media = resp["content"].get(ctype)
    if media is None:
        ok(label + ": documented", False, "%s not documented for %d" %
           (ctype, r.status))
        return
    if not ctype.endswith("json"):
        ok(label + " (%d %s, as documented)" % (r.status, ctype), True)
        return
    schema = dict(media["schema"])
    schema["components"] = DOC["components"]
    try:
        jsonschema.Draft202012Validator(schema).validate(json.loads(r.body))
        ok(label + " (%d, matches openapi.json)" % r.status, True)
    except (jsonschema.ValidationError, ValueError) as ex:
        ok(label, False, "%d answer does not match openapi.json: %s" %
           (r.status, str(ex).splitlines()[0]))


def problem(label, r, status, method=None, path=None):
    """A problem JSON of that status."""
    j = r.json()
    good = (r.status == status and isinstance(j, dict) and
            j.get("status") == status and
            str(j.get("type", "")).startswith("urn:leadgate:problem:") and
            "title" in j)
    ok(label + " -> %d problem" % status, good,
       "got %d %s" % (r.status, r.body[:200]))
    if good and method and template_of(path) is not None:
        conforms(label, method, path, r)


def snapshot():
    """Everything in the store, to see that bad input changed nothing."""
    db = sqlite3.connect(DB)
    out = []
    for (name,) in db.execute("select name from sqlite_master where "
                              "type='table' order by name"):
        out.append((name, db.execute("select * from %s" % name).fetchall()))
    db.close()
    return out


# ---------------------------------------------------------------------
# The document served is the data file.
r = req("GET", "/api/v1/openapi.json")
ok("openapi.json is served without a token", r.status == 200, r.status)
ok("... and is etc/openapi.json", r.json() == DOC, "differs")
for label, tok, hdr in (("a read token", READ, None),
                        ("a write token", WRITE, None),
                        ("a form token", FORM, None),
                        ("an unknown token", "lg_nope", None),
                        ("a Basic authorization", None,
                         {"Authorization": "Basic YTpi"})):
    r = req("GET", "/api/v1/openapi.json", tok, headers=hdr)
    ok("openapi.json is public with %s too" % label,
       r.status == 200 and r.json() == DOC, r.status)
op = DOC["paths"]["/api/v1/openapi.json"]["get"]
ok("... and documented as needing no token",
   op.get("security", DOC.get("security", [])) in ([], [{}]),
   op.get("security"))

# Authentication and scopes.
r = req("GET", "/api/v1/leads")
problem("no token", r, 401, "GET", "/api/v1/leads")
ok("... with WWW-Authenticate: Bearer",
   (r.header("www-authenticate") or "").startswith("Bearer"),
   r.header("www-authenticate"))
problem("an unknown token", req("GET", "/api/v1/leads", "lg_nope"), 401)
problem("a Basic authorization", req("GET", "/api/v1/leads", headers={
    "Authorization": "Basic YTpi"}), 401)
problem("read scope moving a lead", req("POST", "/api/v1/leads/1/move", READ,
        {"phase": "3"}, headers={"If-Match": "*"}), 403)
problem("form scope reading leads", req("GET", "/api/v1/leads", FORM), 403)
problem("read scope sending an inquiry", req("POST", "/api/v1/inquiries",
        READ, {"email": "x@example.com"}), 403)
problem("write scope sending an inquiry", req("POST", "/api/v1/inquiries",
        WRITE, {"email": "x@example.com"}), 403)
problem("read scope dropping quarantine", req(
    "POST", "/api/v1/quarantine/1/drop", READ), 403)
problem("an unknown route", req("GET", "/api/v1/nothing", READ), 404)
problem("a method a route has not", req("DELETE", "/api/v1/leads", WRITE),
        405)

# ---------------------------------------------------------------------
# Every GET route, answered as documented (the set-up made 6 leads).
for path in ["/api/v1/leads", "/api/v1/leads/1", "/api/v1/contacts",
             "/api/v1/contacts/1", "/api/v1/sources", "/api/v1/pipelines",
             "/api/v1/reports?by=phase", "/api/v1/reports?by=source",
             "/api/v1/quarantine", "/api/v1/quarantine?state=all",
             "/api/v1/campaigns", "/api/v1/spool"]:
    r = req("GET", path, READ)
    ok("GET %s: 200" % path, r.status == 200, "%d %s" % (r.status,
                                                         r.body[:200]))
    conforms("GET " + path, "GET", path, r)

# contacts export: everything held about a contact, for write tokens only.
r = req("GET", "/api/v1/contacts/1/export", WRITE)
ok("GET contacts/1/export: 200", r.status == 200 and
   r.json()["contact"]["id"] == 1 and r.json()["leads"], r.body[:200])
conforms("GET contacts/ID/export", "GET", "/api/v1/contacts/1/export", r)
problem("read scope exporting a contact", req(
    "GET", "/api/v1/contacts/1/export", READ), 403)
problem("exporting a contact that does not exist", req(
    "GET", "/api/v1/contacts/99999/export", WRITE), 404)

# Paging: 2 at a time, by id.
seen, after, pages = [], None, 0
while pages < 10:
    q = "/api/v1/leads?limit=2" + ("&after=%d" % after if after else "")
    j = req("GET", q, READ).json()
    seen += [x["id"] for x in j["items"]]
    pages += 1
    if j["next"] is None:
        break
    after = j["next"]
ok("paging by 2 gives every lead once, in order", seen == list(
    range(1, 7)), seen)
ok("... in 3 pages", pages == 3, pages)
r = req("GET", "/api/v1/leads?filter=" + "object%20%3D%20%22OBJ-2%22", READ)
ok("a filter (object = \"OBJ-2\") selects", [x["object_ref"] for x in
   r.json()["items"]] == ["OBJ-2", "OBJ-2"], r.body[:300])
problem("limit over serve.page_max", req("GET", "/api/v1/leads?limit=100000",
        READ), 400, "GET", "/api/v1/leads")

# ---------------------------------------------------------------------
# ETag and If-Match on a move.
r = req("GET", "/api/v1/leads/2", READ)
tag = r.header("etag")
ok("a lead has an ETag", tag is not None and tag.startswith('"'), tag)
problem("a move without If-Match", req("POST", "/api/v1/leads/2/move", WRITE,
        {"phase": "3"}), 428, "POST", "/api/v1/leads/2/move")
problem("a move with a stale If-Match", req(
    "POST", "/api/v1/leads/2/move", WRITE, {"phase": "3"},
    headers={"If-Match": '"0000"'}), 412, "POST", "/api/v1/leads/2/move")
r = req("POST", "/api/v1/leads/2/move", WRITE, {"phase": "3", "remark":
        "called back"}, headers={"If-Match": tag})
ok("a move with the ETag", r.status == 200 and r.json()["phase_no"] == 3,
   "%d %s" % (r.status, r.body[:200]))
conforms("POST move", "POST", "/api/v1/leads/2/move", r)
ok("... gives a new ETag", r.header("etag") not in (None, tag),
   r.header("etag"))
ok("... and the history says so", "called back" in
   r.json()["history"][-1]["remark"], r.json()["history"][-1])
problem("the old ETag again", req("POST", "/api/v1/leads/2/move", WRITE,
        {"phase": "4"}, headers={"If-Match": tag}), 412)
r = req("POST", "/api/v1/leads/2/notes", WRITE, {"remark": "sent plans"})
ok("a note", r.status == 200 and r.json()["history"][-1]["remark"] ==
   "sent plans", r.body[:200])
conforms("POST notes", "POST", "/api/v1/leads/2/notes", r)
# A history action moves the lead to the next phase with that action.
r = req("GET", "/api/v1/leads/2", READ)
tag = r.header("etag")
problem("an action without If-Match", req("POST", "/api/v1/leads/2/actions",
        WRITE, {"action": "Visite du bien"}), 428)
r = req("POST", "/api/v1/leads/2/actions", WRITE, {"action":
        "Visite du bien", "remark": "Saturday"}, headers={"If-Match": tag})
ok("an action moves the lead to its phase", r.status == 200 and
   r.json()["phase_no"] == 5 and r.json()["history"][-1]["action"] ==
   "Visite du bien", "%d %s" % (r.status, r.body[:200]))
conforms("POST actions", "POST", "/api/v1/leads/2/actions", r)
r = req("POST", "/api/v1/leads/2/actions", WRITE, {"action":
        "Visite du bien"}, headers={"If-Match": r.header("etag")})
ok("a second visit reaches phase 6", r.status == 200 and
   r.json()["phase_no"] == 6, "%d %s" % (r.status, r.body[:200]))
r = req("POST", "/api/v1/leads/2/actions", WRITE, {"action": "Appel"},
        headers={"If-Match": "*"})
ok("a call is recorded without a move", r.status == 200 and
   r.json()["phase_no"] == 6 and r.json()["history"][-1]["action"] ==
   "Appel", "%d %s" % (r.status, r.body[:200]))
problem("an action without its name", req("POST", "/api/v1/leads/2/actions",
        WRITE, {"remark": "x"}, headers={"If-Match": "*"}), 400)
# Assignment, as leads assign: the agent's notification is queued with it.
problem("an assign with the read scope", req("POST", "/api/v1/leads/2/assign",
        READ, {"agent": "anna"}), 403)
problem("an assign to an unknown agent", req("POST", "/api/v1/leads/2/assign",
        WRITE, {"agent": "zoe"}), 422, "POST", "/api/v1/leads/2/assign")
r = req("POST", "/api/v1/leads/2/assign", WRITE, {"agent": "anna"})
ok("an assign gives the lead to the agent", r.status == 200 and
   r.json().get("custom", {}).get("assignee") == "anna" and
   r.json()["history"][-1]["action"] in ("assign", "notify"),
   "%d %s" % (r.status, r.body[:300]))
conforms("POST assign", "POST", "/api/v1/leads/2/assign", r)
db = sqlite3.connect(DB)
n = db.execute("select count(*) from outgoing where lead_id = 2 and "
               "dedup_key = 'notify.2.assigned.anna'").fetchone()[0]
db.close()
ok("... and the agent's notification is queued", n == 1, n)
problem("the same assign again", req("POST", "/api/v1/leads/2/assign",
        WRITE, {"agent": "anna"}), 409, "POST", "/api/v1/leads/2/assign")
problem("a move to a phase that does not exist", req(
    "POST", "/api/v1/leads/2/move", WRITE, {"phase": "Nowhere"},
    headers={"If-Match": "*"}), 422)
problem("a move of a lead that does not exist", req(
    "POST", "/api/v1/leads/999/move", WRITE, {"phase": "3"},
    headers={"If-Match": "*"}), 404)

# ---------------------------------------------------------------------
# Web-form intake: the same pipeline as mail.
queued0 = req("GET", "/api/v1/spool", READ).json()["queued"]
inq = {"first_name": "Jean", "last_name": "Dupont", "email":
       "jean.dupont@example.fr", "message": "Bonjour, OBJ-9 ?",
       "phone": ["+33 1 23 45 67 89"], "language": "fr"}
r = req("POST", "/api/v1/inquiries", FORM, inq, headers={
    "Idempotency-Key": "form-1"})
ok("a JSON inquiry makes a new lead (201)", r.status == 201 and
   r.json()["outcome"] == "new lead", "%d %s" % (r.status, r.body))
conforms("POST inquiries", "POST", "/api/v1/inquiries", r)
first = r.json()
lead = req("GET", "/api/v1/leads/%d" % first["lead_id"], READ).json()
ok("... of the form's source", lead["source"] == "Website", lead["source"])
ok("... with the message", lead["message"] == "Bonjour, OBJ-9 ?",
   lead["message"])
r = req("POST", "/api/v1/inquiries", FORM, inq, headers={
    "Idempotency-Key": "form-1"})
ok("the same Idempotency-Key: the same answer", r.status == 201 and
   r.json() == first, "%d %s" % (r.status, r.body))
ok("... marked as a replay", r.header("idempotent-replayed") == "true",
   r.headers)
r = req("POST", "/api/v1/inquiries", FORM, inq, headers={
    "Idempotency-Key": "form-2"})
ok("another key, the same person: the same contact, as mail (%s)" %
   r.json().get("outcome"), r.status in (200, 201) and
   r.json()["contact_id"] == first["contact_id"], r.body)
r = req("POST", "/api/v1/inquiries", FORM,
        "first_name=Eva&last_name=M%C3%BCller&email=eva%40example.de&"
        "phone=%2B49+30+1234567&message=Guten+Tag",
        ctype="application/x-www-form-urlencoded")
ok("a form-encoded inquiry makes a new lead", r.status == 201, r.body)
c = req("GET", "/api/v1/contacts/%d" % r.json()["contact_id"], READ).json()
ok("... with the decoded name", c["last_name"] == "Müller", c["last_name"])
r = req("POST", "/api/v1/inquiries", FORM, {"email": "win@spam.example",
        "message": "casino bonus"})
ok("a rule quarantines a web inquiry as it would a mail", r.status == 200 and
   r.json()["outcome"] == "quarantined", r.body)
qid = r.json()["quarantine_id"]
r = req("GET", "/api/v1/quarantine/%d" % qid, READ)
ok("GET quarantine/ID shows it", r.status == 200 and
   r.json()["reason"] == "looks like spam", r.body[:200])
conforms("GET quarantine/ID", "GET", "/api/v1/quarantine/1", r)
spool = req("GET", "/api/v1/spool", READ).json()
ok("the new leads got their autoreply spooled, like mail (%d queued)" %
   (spool["queued"] - queued0), spool["queued"] - queued0 == 2, spool)

# The rate of a form: serve.form_rate (4) per window; FORM2 is fresh.
codes = [req("POST", "/api/v1/inquiries", FORM2, {
    "email": "r%d@example.com" % i}).status for i in range(5)]
ok("a form's 5th inquiry within the window (form_rate 4): 429", codes ==
   [201, 201, 201, 201, 429], codes)
r = req("POST", "/api/v1/inquiries", FORM2, {"email": "r9@example.com"})
problem("rate-limited", r, 429, "POST", "/api/v1/inquiries")
ok("... with Retry-After", (r.header("retry-after") or "").isdigit(),
   r.headers)

# ---------------------------------------------------------------------
# Bad input on every route: a problem, and nothing changed.
before = snapshot()
big = json.dumps({"remark": "x" * 70000})
J = "application/json"
bad = [
    # (label, method, path, token, body, ctype, headers, status)
    ("malformed JSON", "POST", "/api/v1/leads/1/notes", WRITE,
     '{"remark": ', J, None, 400),
    ("a JSON array", "POST", "/api/v1/leads/1/notes", WRITE, "[1]", J,
     None, 400),
    ("a wrong type", "POST", "/api/v1/leads/1/notes", WRITE,
     {"remark": 5}, J, None, 400),
    ("an unknown field", "POST", "/api/v1/leads/1/notes", WRITE,
     {"remark": "x", "lead_id": 2}, J, None, 400),
    ("a missing field", "POST", "/api/v1/leads/1/notes", WRITE, {}, J,
     None, 400),
    ("a duplicate key", "POST", "/api/v1/leads/1/notes", WRITE,
     '{"remark": "a", "remark": "b"}', J, None, 400),
    ("not JSON at all", "POST", "/api/v1/leads/1/notes", WRITE, "remark=x",
     "text/plain", None, 415),
    ("a huge body", "POST", "/api/v1/leads/1/notes", WRITE, big, J, None,
     413),
    ("a huge inquiry", "POST", "/api/v1/inquiries", FORM,
     json.dumps({"message": "x" * 70000}), J, None, 413),
    ("move: a wrong type", "POST", "/api/v1/leads/1/move", WRITE,
     {"phase": 3}, J, {"If-Match": "*"}, 400),
    ("move: an unknown field", "POST", "/api/v1/leads/1/move", WRITE,
     {"phase": "3", "status": "won"}, J, {"If-Match": "*"}, 400),
    ("move: malformed JSON", "POST", "/api/v1/leads/1/move", WRITE, "{",
     J, {"If-Match": "*"}, 400),
    ("move: SQL in the phase", "POST", "/api/v1/leads/1/move", WRITE,
     {"phase": "3'; DROP TABLE leads; --"}, J, {"If-Match": "*"}, 422),
    ("inquiry: malformed JSON", "POST", "/api/v1/inquiries", FORM,
     '{"email": "a@b', J, None, 400),
    ("inquiry: an unknown field", "POST", "/api/v1/inquiries", FORM,
     {"email": "a@example.com", "portal": "x"}, J, None, 400),
    ("inquiry: a wrong type", "POST", "/api/v1/inquiries", FORM,
     {"email": ["a@example.com"]}, J, None, 400),
    ("inquiry: a phone of a wrong type", "POST", "/api/v1/inquiries", FORM,
     {"email": "a@example.com", "phone": [1]}, J, None, 400),
    ("inquiry: no address", "POST", "/api/v1/inquiries", FORM,
     {"first_name": "Nobody"}, J, None, 422),
    ("inquiry: a header injection in a name", "POST", "/api/v1/inquiries",
     FORM, {"email": "a@example.com", "last_name": "X\r\nBcc: all@x"}, J,
     None, 400),
    ("inquiry: a form field without '='", "POST", "/api/v1/inquiries",
     FORM, "email", "application/x-www-form-urlencoded", None, 400),
    ("inquiry: an unknown form field", "POST", "/api/v1/inquiries", FORM,
     "email=a%40example.com&source=x", "application/x-www-form-urlencoded",
     None, 400),
    ("inquiry: form-encoded, not UTF-8", "POST", "/api/v1/inquiries", FORM,
     "email=a%40example.com&last_name=%FF", "application/x-www-form-urlencoded",
     None, 400),
    ("inquiry: a bad Idempotency-Key", "POST", "/api/v1/inquiries", FORM,
     {"email": "a@example.com"}, J, {"Idempotency-Key": "x" * 200}, 400),
    ("an id that is no number", "GET", "/api/v1/leads/abc", READ, None,
     None, None, 400),
    ("SQL in an id", "GET", "/api/v1/leads/1%20OR%201=1", READ, None, None,
     None, 400),
    ("a negative id", "GET", "/api/v1/contacts/-1", READ, None, None, None,
     400),
    ("an id that does not exist", "GET", "/api/v1/contacts/99999", READ,
     None, None, None, 404),
    ("SQL in a filter", "GET", "/api/v1/leads?filter=source%20%3D%20%27x%27"
     "%3B%20DROP%20TABLE%20leads", READ, None, None, None, 400),
    ("an unknown query parameter", "GET", "/api/v1/leads?sort=id", READ,
     None, None, None, 400),
    ("a bad limit", "GET", "/api/v1/contacts?limit=-5", READ, None, None,
     None, 400),
    ("a report by nothing", "GET", "/api/v1/reports?by=x", READ, None, None,
     None, 400),
    ("a quarantine state that is none", "GET", "/api/v1/quarantine?state=x",
     READ, None, None, None, 400),
    ("retry of a quarantined web inquiry (mail only)", "POST",
     "/api/v1/quarantine/%d/retry" % qid, WRITE, None, None, None, 422),
    ("retry of nothing", "POST", "/api/v1/quarantine/999/retry", WRITE,
     None, None, None, 404),
    ("path traversal", "GET", "/api/v1/../../etc/passwd", READ, None, None,
     None, 400),
    ("encoded path traversal", "GET", "/api/v1/leads/..%2f..%2fetc", READ,
     None, None, None, 400),
    ("traversal in an unsubscribe token", "GET", "/u/..%2f..%2fetc%2fpasswd",
     None, None, None, None, 400),
    ("an empty segment", "GET", "/api/v1//leads", READ, None, None, None,
     400),
    ("SQL in an unsubscribe token", "POST", "/u/x'%20OR%20'1'='1", None,
     "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded",
     None, 400),
    ("an unknown unsubscribe token", "POST", "/u/abcdef0123456789", None,
     "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded",
     None, 404),
]
for label, m, path, tok, body, ct, hdr, st in bad:
    r = req(m, path, tok, body, ct, hdr)
    problem(label, r, st, m, path)
r = raw(b"POST /api/v1/inquiries HTTP/1.1\r\nHost: x\r\nAuthorization: "
        b"Bearer " + FORM.encode() + b"\r\nContent-Type: application/json"
        b"\r\nIdempotency-Key: a\rb\r\nContent-Length: 2\r\n\r\n{}")
ok("a CR inside a header is refused (%d)" % r.status, r.status == 400,
   r.status)
r = raw(b"POST /api/v1/leads/1/notes HTTP/1.1\r\nHost: x\r\nAuthorization: "
        b"Bearer " + WRITE.encode() + b"\r\nContent-Type: application/json"
        b"\r\nTransfer-Encoding: chunked\r\n\r\n" +
        b"".join(b"%x\r\n%s\r\n" % (8192, b"x" * 8192) for _ in range(10)) +
        b"0\r\n\r\n")
ok("a huge chunked body (no Content-Length): 413", r.status == 413,
   r.status)
after = snapshot()
diff = [a[0] for a, b in zip(before, after) if a != b]
ok("bad input changed nothing in the store", before == after, diff)

# A held mail retried: the same rules hold it again, so it is refused,
# as `quarantine retry` refuses it, and stays held.
held = [q for q in req("GET", "/api/v1/quarantine", READ).json()
        if q["kind"] == "mail"]
ok("the held mail is listed", len(held) == 1, held)
before = snapshot()
r = req("POST", "/api/v1/quarantine/%d/retry" % held[0]["id"], WRITE)
problem("retry of a mail the rules still hold", r, 422, "POST",
        "/api/v1/quarantine/1/retry")
ok("... says why", "still not accepted: an offer" in r.json()["detail"],
   r.body)
ok("... and changes nothing", snapshot() == before, "changed")

# A drop, then a drop again.
r = req("POST", "/api/v1/quarantine/%d/drop" % qid, WRITE)
ok("drop a quarantined inquiry", r.status == 200 and
   r.json()["state"] == "dropped", r.body[:200])
conforms("POST drop", "POST", "/api/v1/quarantine/1/drop", r)
problem("drop it again", req("POST", "/api/v1/quarantine/%d/drop" % qid,
        WRITE), 409, "POST", "/api/v1/quarantine/1/drop")

sys.exit(1 if FAILS else 0)
