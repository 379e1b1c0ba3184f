#!/usr/bin/env python3
"""A minimal OAuth2 token introspection responder for Dovecot's oauth2
passdb (introspection_mode = auth): Dovecot sends the bearer token as
"Authorization: Bearer TOKEN"; a token listed in TOKENS ("token user"
lines, read again per request) gets 200 and {"username": user}, any
other 401. Each request appends "ok USER" or "refused" to LOG.

    introspect.py PORT TOKENS LOG [REFRESH_FILE FRESH_TOKEN]

With REFRESH_FILE, a refused token makes it write FRESH_TOKEN there (tmp
and rename), as an outside refresher would: the client's second try,
with force = 1, then finds a good token. (The full token service with
device flow, expiry and rotation is tests/lib/tokensvc.py.)
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self):
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        users = {}
        with open(sys.argv[2]) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    users[parts[0]] = parts[1]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with open(sys.argv[3], "a") as log:
            log.write(("ok " + users[token]) if token in users
                      else "refused")
            log.write("\n")
        if token in users:
            self.reply(200, {"active": True, "username": users[token]})
            return
        if len(sys.argv) > 5:
            tmp = sys.argv[4] + ".tmp"
            with open(tmp, "w") as f:
                f.write(sys.argv[5] + "\n")
            os.chmod(tmp, 0o600)
            os.rename(tmp, sys.argv[4])
        self.reply(401, {"error": "invalid_token"})

    do_GET = handle_one
    do_POST = handle_one


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
