#!/usr/bin/env python3
"""Do what a mailbox provider does with RFC 8058 one-click unsubscribe:
read List-Unsubscribe and List-Unsubscribe-Post from a delivered message,
take the https URI, and POST "List-Unsubscribe=One-Click" to it,
form-encoded, without cookies or credentials, following no redirect.

usage: unsub_post.py MESSAGE_FILE CA_FILE   (prints "STATUS URL")
The server's certificate is verified against CA_FILE.
"""
import email
import email.policy
import re
import ssl
import sys
import urllib.error
import urllib.request

msg = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                     policy=email.policy.default)
post = str(msg.get("List-Unsubscribe-Post", ""))
if post.strip() != "List-Unsubscribe=One-Click":
    sys.exit("no List-Unsubscribe-Post: One-Click")
uris = re.findall(r"<([^>]+)>", str(msg.get("List-Unsubscribe", "")))
url = next((u for u in uris if u.startswith("https:")), None)
if url is None:
    sys.exit("no https URI in List-Unsubscribe (RFC 8058 wants one)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


req = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click",
                             method="POST", headers={
                                 "Content-Type":
                                 "application/x-www-form-urlencoded"})
try:
    ctx = ssl.create_default_context(cafile=sys.argv[2])
    r = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPSHandler(context=ctx)).open(
            req, timeout=30)
    print(r.status, url)
except urllib.error.HTTPError as ex:
    print(ex.code, url)
