#!/usr/bin/env python3
# Regenerates check/*.eml and check/*.want (the fixtures of
# tests/unit/test_spool_check.c): exact bytes are easier to read here.
# Run from this directory.
H = [b"Date: Mon, 05 Jan 2026 10:00:00 +0000", b"From: Agence Muster <info@agency.example>",
     b"To: Anna Muster <anna@example.com>", b"Message-ID: <1@test.example>", b"Subject: Votre demande"]


def msg(headers=H, body=(b"Bonjour,", b"", b"Merci."), eol=b"\r\n"):
    return eol.join(headers) + eol + eol + eol.join(body) + eol


def w(name, data, want):
    open("check/" + name + ".eml", "wb").write(data)
    open("check/" + name + ".want", "w").write(want + "\n")


ENC = "8-bit octet (encode it: quoted-printable, base64 or RFC 2047)"
CRLF = "(lines must end with CRLF)"
w("ok-simple", msg(), "ok")
w("ok-folded-header", msg(H[:4] + [b"Subject: a long subject", b"\tfolded onto a second line"]), "ok")
w("ok-line-998", msg(body=[b"x" * 998]), "ok")
w("ok-dot-lines", msg(body=[b".", b"..", b".leading dot", b"end"]), "ok")
w("ok-empty-body", b"\r\n".join(H) + b"\r\n\r\n", "ok")
w("ok-mime", msg(H + [b"MIME-Version: 1.0", b"Content-Type: multipart/alternative; boundary=\"b1\""],
                 [b"--b1", b"Content-Type: text/plain; charset=utf-8",
                  b"Content-Transfer-Encoding: quoted-printable", b"", b"Demande re=C3=A7ue", b"--b1--"]), "ok")
w("ok-repeated-free-headers", msg(H + [b"Received: from a", b"Received: from b",
                                       b"Comments: one", b"Comments: two"]), "ok")
w("bad-empty", b"", "the message is empty")
w("bad-bare-lf", msg(eol=b"\n"), "line 1 ends with a bare LF " + CRLF)
w("bad-bare-lf-in-body", msg(body=[b"one\ntwo"]), "line 7 ends with a bare LF " + CRLF)
w("bad-smuggling", msg(body=[b"text\n.\nMAIL FROM:<x@evil.example>"]), "line 7 ends with a bare LF " + CRLF)
w("bad-bare-cr", msg(body=[b"one\rtwo"]), "line 7: bare CR or LF at octet 4")
w("bad-line-999", msg(body=[b"x" * 999]), "line 7 is 999 octets long (at most 998)")
w("bad-nul", msg(body=[b"a\0b"]), "line 7: NUL at octet 2")
w("bad-8bit-header", msg(H[:4] + ["Subject: Demande reçue".encode()]), "line 5: " + ENC + " at octet 20")
w("bad-8bit-body", msg(body=["Merci beaucoup, à bientôt".encode()]), "line 7: " + ENC + " at octet 17")
w("bad-no-final-crlf", msg()[:-2], "line 9 does not end with CRLF")
w("bad-no-empty-line", b"\r\n".join(H) + b"\r\n", "no empty line ends the header")
w("bad-no-date", msg(H[1:]), "the header has no Date line")
w("bad-no-from", msg([H[0]] + H[2:]), "the header has no From line")
w("bad-no-message-id", msg(H[:3] + H[4:]), "the header has no Message-ID line")
w("bad-two-from", msg(H + [b"From: other@agency.example"]), "line 6: From header appears more than once")
w("bad-two-message-ids", msg(H + [b"message-id: <2@test.example>"]),
  "line 6: Message-ID header appears more than once")
w("bad-two-to", msg(H + [b"To: other@example.com"]), "line 6: To header appears more than once")
w("bad-bcc", msg(H + [b"Bcc: boss@agency.example"]), "line 6: Bcc header is not allowed in outgoing mail")
w("bad-return-path", msg([b"Return-Path: <x@y.example>"] + H),
  "line 1: Return-Path header is not allowed in outgoing mail")
w("bad-continuation-first", msg([b" folded"] + H), "line 1: the message starts with a continuation line")
w("bad-header-no-colon", msg(H[:4] + [b"Subject Votre demande"]),
  "line 5: not a header line (Name: value), and no empty line before it")
w("bad-header-space-in-name", msg(H[:4] + [b"Sub ject: x"]),
  "line 5: not a header line (Name: value), and no empty line before it")
