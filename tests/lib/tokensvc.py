#!/usr/bin/env python3
"""A small OAuth2 token service on loopback, for tests of leadgate's
token machinery and of Dovecot's oauth2 passdb (introspection).

    tokensvc.py PORT DIR

Endpoints:
  POST /token      grant_type client_credentials, refresh_token,
                   urn:ietf:params:oauth:grant-type:device_code,
                   authorization_code (PKCE S256 checked)
  POST /device     RFC 8628 device authorization
  GET  /authorize  consents at once: 302 to redirect_uri?code=&state=
  GET  /introspect Dovecot (introspection_mode = auth): Authorization:
                   Bearer TOKEN; 200 {"username": ...} or 401. The
                   service Dovecot names (X-Dovecot-Auth-Service: imap or
                   smtp) must be in the token's scope.
Client authentication: client_secret (csecret-1) in the form, none (a
public client), or a client assertion (RFC 7523 2.2, Microsoft's
"certificate credentials"): a JWT signed RS256 or PS256 whose signature is
verified for real with openssl against the certificate DIR/client-cert.pem
(x5t#S256 and x5t must be its thumbprints), aud the token URL, iss = sub =
client_id, nbf <= now < exp, exp - iat <= 600, a jti never seen before.
A refused assertion: 401 invalid_client, error_description says why, and
the count assertion_WHY goes up (assertion_ok when accepted).
Control (POST, for the tests):
  /control/set?ttl=N&rotate=0|1&pending=N&slow_down=0|1&user=U&clock=N
                   access token lifetime, refresh token rotation, device
                   polls answered authorization_pending, one slow_down,
                   seconds the service's clock is ahead (assertions)
  /control/expire  every access token expires now
  /control/revoke[?user=U]  every grant (of U) is revoked: its refresh
                   token gets invalid_grant, its access tokens expire
  /control/stats   counts as JSON

Every token and secret it issues is appended to DIR/issued (one a line) so
that tests can look for them in leadgate's outputs. Requests are logged to
DIR/requests.log (grant types and paths, never token values).
"""
import base64
import hashlib
import json
import os
import secrets
import subprocess
import tempfile
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class State:
    def __init__(self, d):
        self.dir = d
        self.ttl = 3600
        self.rotate = 1
        self.pending = 1
        self.slow_down = 0
        self.user = "alice"
        self.access = {}    # token -> {user, scope, exp}
        self.refresh = {}   # token -> {user, scope, grant}
        self.devices = {}   # device_code -> {scope, polls}
        self.codes = {}     # code -> {challenge, redirect, scope}
        self.revoked = set()  # grant ids
        self.counts = {}
        self.clock = 0
        self.jtis = set()

    def count(self, k):
        self.counts[k] = self.counts.get(k, 0) + 1

    def issued(self, tok):
        with open(os.path.join(self.dir, "issued"), "a") as f:
            f.write(tok + "\n")

    def log(self, line):
        with open(os.path.join(self.dir, "requests.log"), "a") as f:
            f.write(line + "\n")

    def grant(self, user, scope, gid=None):
        gid = gid or secrets.token_hex(4)
        at = "at-" + secrets.token_hex(16)
        rt = "rt-" + secrets.token_hex(16)
        self.access[at] = {"user": user, "scope": scope,
                           "exp": time.time() + self.ttl}
        self.refresh[rt] = {"user": user, "scope": scope, "grant": gid}
        self.issued(at)
        self.issued(rt)
        return {"access_token": at, "token_type": "Bearer",
                "expires_in": self.ttl, "refresh_token": rt,
                "scope": scope}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n).decode()
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

    def do_GET(self):
        st = self.server.st
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        with LOCK:
            st.log("GET " + u.path)
            if u.path == "/introspect":
                return self.introspect(st)
            if u.path == "/authorize":
                code = "code-" + secrets.token_hex(8)
                st.codes[code] = {"challenge": q.get("code_challenge"),
                                  "method": q.get("code_challenge_method"),
                                  "redirect": q.get("redirect_uri"),
                                  "scope": q.get("scope", "")}
                st.issued(code)
                loc = "%s?code=%s&state=%s" % (
                    q.get("redirect_uri"), code,
                    urllib.parse.quote(q.get("state", "")))
                return self.reply(302, {}, {"Location": loc})
            if u.path == "/control/stats":
                return self.reply(200, st.counts)
        self.reply(404, {"error": "not_found"})

    def introspect(self, st):
        auth = self.headers.get("Authorization", "")
        svc = self.headers.get("X-Dovecot-Auth-Service", "imap")
        tok = auth[7:] if auth.startswith("Bearer ") else ""
        a = st.access.get(tok)
        if a is None or a["exp"] < time.time():
            st.count("introspect_refused")
            return self.reply(401, {"active": False})
        if svc not in a["scope"].split():
            st.count("introspect_scope")
            return self.reply(401, {"active": False})
        st.count("introspect_ok")
        return self.reply(200, {"active": True, "username": a["user"]})

    def do_POST(self):
        st = self.server.st
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        f = self.form()
        with LOCK:
            st.log("POST %s %s" % (u.path, f.get("grant_type", "")))
            if u.path == "/control/set":
                for k in ("ttl", "rotate", "pending", "slow_down", "clock"):
                    if k in q:
                        setattr(st, k, int(q[k]))
                if "user" in q:
                    st.user = q["user"]
                return self.reply(200, {})
            if u.path == "/control/expire":
                for a in st.access.values():
                    a["exp"] = 0
                return self.reply(200, {})
            if u.path == "/control/revoke":
                who = q.get("user")
                for r in st.refresh.values():
                    if who in (None, r["user"]):
                        st.revoked.add(r["grant"])
                for a in st.access.values():
                    if who in (None, a["user"]):
                        a["exp"] = 0
                return self.reply(200, {})
            if u.path == "/device":
                dc = "dc-" + secrets.token_hex(12)
                st.devices[dc] = {"scope": f.get("scope", ""), "polls": 0}
                st.issued(dc)
                st.count("device")
                return self.reply(200, {
                    "device_code": dc, "user_code": "WXYZ-1234",
                    "verification_uri": "http://127.0.0.1:%d/verify"
                    % self.server.server_port,
                    "interval": 1, "expires_in": 60})
            if u.path == "/token":
                return self.token(st, f)
        self.reply(404, {"error": "not_found"})

    def token(self, st, f):
        g = f.get("grant_type")
        st.count("token_" + str(g))
        if "client_assertion" in f or "client_assertion_type" in f:
            why = assertion_refused(st, f, "http://127.0.0.1:%d/token"
                                    % self.server.server_port)
            st.count("assertion_" + (why or "ok"))
            if why:
                return self.reply(401, {"error": "invalid_client",
                                        "error_description": why})
        elif f.get("client_id") != "leadgate-test" or \
                f.get("client_secret", "csecret-1") != "csecret-1":
            return self.reply(401, {"error": "invalid_client"})
        if g == "client_credentials":
            at = "at-" + secrets.token_hex(16)
            st.access[at] = {"user": "client", "scope": f.get("scope", ""),
                             "exp": time.time() + st.ttl}
            st.issued(at)
            return self.reply(200, {"access_token": at, "expires_in": st.ttl,
                                    "token_type": "Bearer"})
        if g == "urn:ietf:params:oauth:grant-type:device_code":
            d = st.devices.get(f.get("device_code"))
            if d is None:
                return self.reply(400, {"error": "expired_token"})
            d["polls"] += 1
            if st.slow_down and d["polls"] == 1:
                return self.reply(400, {"error": "slow_down"})
            if d["polls"] <= st.pending + st.slow_down:
                return self.reply(400, {"error": "authorization_pending"})
            del st.devices[f["device_code"]]
            return self.reply(200, st.grant(st.user, d["scope"]))
        if g == "authorization_code":
            c = st.codes.pop(f.get("code"), None)
            v = f.get("code_verifier", "")
            want = base64.urlsafe_b64encode(
                hashlib.sha256(v.encode()).digest()).decode().rstrip("=")
            if c is None or c["method"] != "S256" or c["challenge"] != want \
                    or c["redirect"] != f.get("redirect_uri"):
                return self.reply(400, {"error": "invalid_grant"})
            return self.reply(200, st.grant(st.user, c["scope"]))
        if g == "refresh_token":
            r = st.refresh.get(f.get("refresh_token"))
            if r is None or r["grant"] in st.revoked:
                st.count("invalid_grant")
                return self.reply(400, {"error": "invalid_grant",
                                        "error_description": "revoked"})
            out = st.grant(r["user"], r["scope"], r["grant"])
            if st.rotate:
                del st.refresh[f["refresh_token"]]
            else:
                del st.refresh[out["refresh_token"]]
                del out["refresh_token"]
            return self.reply(200, out)
        return self.reply(400, {"error": "unsupported_grant_type"})


def b64url_dec(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def assertion_refused(st, f, aud):
    """None when the client assertion is good, else a word saying why."""
    if f.get("client_assertion_type") != \
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
        return "assertion_type"
    jwt = f.get("client_assertion", "")
    st.issued(jwt)
    parts = jwt.split(".")
    if len(parts) != 3:
        return "malformed"
    try:
        hdr = json.loads(b64url_dec(parts[0]))
        cl = json.loads(b64url_dec(parts[1]))
        sig = b64url_dec(parts[2])
    except ValueError:
        return "malformed"
    cert = os.path.join(st.dir, "client-cert.pem")
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                         capture_output=True, check=True).stdout
    if hdr.get("x5t#S256") != b64url(hashlib.sha256(der).digest()) or \
            hdr.get("x5t") != b64url(hashlib.sha1(der).digest()):
        return "thumbprint"
    opts = {"RS256": [], "PS256": ["-sigopt", "rsa_padding_mode:pss",
                                   "-sigopt", "rsa_pss_saltlen:32"]}
    if hdr.get("alg") not in opts or hdr.get("typ") != "JWT":
        return "alg"
    with tempfile.TemporaryDirectory() as t:
        pub, sf = os.path.join(t, "pub.pem"), os.path.join(t, "sig")
        with open(pub, "wb") as o:
            o.write(subprocess.run(["openssl", "x509", "-in", cert,
                                    "-pubkey", "-noout"],
                                   capture_output=True, check=True).stdout)
        with open(sf, "wb") as o:
            o.write(sig)
        v = subprocess.run(["openssl", "dgst", "-sha256"] + opts[hdr["alg"]]
                           + ["-verify", pub, "-signature", sf],
                           input=(parts[0] + "." + parts[1]).encode(),
                           capture_output=True)
    if v.returncode != 0:
        return "signature"
    if cl.get("aud") != aud:
        return "audience"
    if cl.get("iss") != "leadgate-test" or cl.get("sub") != "leadgate-test" \
            or f.get("client_id", "leadgate-test") != "leadgate-test":
        return "issuer"
    now = time.time() + st.clock
    ints = [cl.get(k) for k in ("nbf", "iat", "exp")]
    if not all(isinstance(x, int) for x in ints):
        return "times"
    nbf, iat, exp = ints
    if exp <= now:
        return "expired"
    if nbf > now + 60 or exp - iat > 600:
        return "times"
    jti = cl.get("jti")
    if not isinstance(jti, str) or len(jti) < 16 or jti in st.jtis:
        return "jti_reuse"
    st.jtis.add(jti)
    return None


def main():
    port, d = int(sys.argv[1]), sys.argv[2]
    srv = ThreadingHTTPServer(("127.0.0.1", port), H)
    srv.st = State(d)
    srv.serve_forever()


if __name__ == "__main__":
    main()
