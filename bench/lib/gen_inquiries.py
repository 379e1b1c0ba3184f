#!/usr/bin/env python3
"""Write N realistic inquiry mails into a Maildir directory (stdlib only).

    gen_inquiries.py --out MAILDIR_SUBDIR --count 10000 [--seed 1]
                     [--unique] [--first I] [--again]

Each message is one of a few portal and website templates (ImmoScout24,
Homegate, SeLoger, AutoScout24 with an ADF attachment, a website form in
HTML, a plain reply without Message-ID) with varying names, addresses,
phones, objects and texts; about one in fifty repeats an earlier
Message-ID, as portals resend (none with --unique, which also gives every
prospect an address of their own). Files are named like a delivery agent
names them (TIME.MnP PID.bench), so any Maildir reader takes them.
The output is deterministic for a given seed.

Mails are about 4 KB, as they arrive in a mailbox: the trace and
authentication headers of the portal's and the provider's servers
(Received, DKIM-Signature, Authentication-Results, Feedback-ID)
come first, and the portals' plain notifications carry an HTML
alternative with the inline styles mail designers use.

--first I numbers the messages from I (Message-IDs, dates, file names
and, with --unique, the addresses), so two sets with different starts
share no sender and no Message-ID. --again writes the same prospects'
inquiries a second time, as a prospect asks again: the same text with
other Message-IDs and a date a month later, so none is a resend.
"""
import argparse
import os
import random
import sys
import unicodedata
import zlib

FIRST = ["Anna", "Marco", "Jean", "Sophie", "Lukas", "Elena", "Thomas",
         "Chiara", "Nicolas", "Laura", "Stefan", "Maria", "Pierre", "Julia",
         "Andreas", "Camille", "Reto", "Fatima", "Jonas", "Léa", "Müge",
         "Björn", "Zoë", "Ivan"]
LAST = ["Keller", "Rossi", "Dupont", "Meier", "Huber", "Bernard", "Schmid",
        "Bianchi", "Weber", "Martin", "Müller", "Fontaine", "Brunner",
        "Steiner", "Moreau", "Gerber", "Bachmann", "Lefèvre", "Novak",
        "Graf", "Yilmaz", "Nguyen"]
CITIES = [("8002", "Zürich"), ("3011", "Bern"), ("1003", "Lausanne"),
          ("4051", "Basel"), ("6900", "Lugano"), ("1201", "Genève"),
          ("9000", "St. Gallen"), ("6003", "Luzern")]
STREETS = ["Seestrasse", "Bahnhofstrasse", "Rue du Lac", "Via Nassa",
           "Hauptgasse", "Chemin des Vignes", "Bergstrasse"]
CARS = [("VW", "Golf 1.5 TSI"), ("Skoda", "Octavia Combi"),
        ("BMW", "320d Touring"), ("Toyota", "Yaris Hybrid"),
        ("Tesla", "Model 3"), ("Renault", "Clio E-Tech")]
# Portals append their legal footer to every notification.
FOOTER = ("\n-- \nDiese Nachricht wurde Ihnen über ein Immobilienportal "
          "zugestellt. Antworten Sie direkt an die Adresse des Interessenten. "
          "Bitte beachten Sie die Datenschutzbestimmungen: Die übermittelten "
          "Daten dürfen nur zur Bearbeitung dieser Anfrage verwendet werden. "
          "Ce message vous a été transmis par un portail immobilier. "
          "Questo messaggio le è stato inviato da un portale immobiliare.\n"
          "Impressum: Portal AG, Musterweg 1, 8000 Zürich, CHE-123.456.789\n")
TEXTS = [
    "Guten Tag, ist das Objekt noch verfügbar? Ich würde es gerne "
    "besichtigen.",
    "Bonjour, je suis intéressé(e) et souhaite organiser une visite.",
    "Hello, could you send me the documentation and the floor plans?",
    "Buongiorno, è ancora disponibile? Grazie per una risposta.",
    "Wir suchen für unsere Familie ab dem 1. April. Ist ein Termin am "
    "Samstag möglich?",
]


# --unique: the index of the message being written, to give every
# prospect an address of their own (no two inquiries from one sender).
UNIQUE = None


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = "%s.%s" % (first.lower(), last.lower())
    local = unicodedata.normalize("NFKD", local).encode(
        "ascii", "ignore").decode() or "kunde"
    mail = "%s%d@example.%s" % (local, rng.randint(1, 99) if UNIQUE is None
                                else UNIQUE,
                                rng.choice(["ch", "de", "org", "net"]))
    phone = "+41 %02d %03d %02d %02d" % (rng.choice([44, 31, 21, 61, 76,
                                                     78, 79]),
                                         rng.randint(100, 999),
                                         rng.randint(10, 99),
                                         rng.randint(10, 99))
    return first, last, mail, phone


def header_date(i):
    day = 1 + i % 28
    return "Mon, %02d Feb 2026 %02d:%02d:%02d +0100" % (
        day, (i // 60) % 24, i % 60, (i * 7) % 60)


def q_encode(s):
    raw = s.encode("utf-8")
    if all(32 <= b < 127 for b in raw):
        return s
    out = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or
                             97 <= b <= 122) else "=%02X" % b
                  for b in raw)
    return "=?UTF-8?Q?%s?=" % out


def immoscout(rng, i):
    first, last, mail, phone = person(rng)
    plz, city = rng.choice(CITIES)
    ref = "MZ-2026-%04d" % rng.randint(1, 9999)
    scout = rng.randint(100000, 999999)
    body = ("Sie haben eine neue Kontaktanfrage erhalten.\n\n"
            "Objekt: %d-Zimmer-Wohnung, %s %d, %s %s\nScout-ID: %d\n"
            "Ihre Objektnummer: %s\n\nAnrede: %s\nVorname: %s\n"
            "Nachname: %s\nE-Mail: %s\nTelefon: %s\n\nNachricht:\n%s\n" % (
                rng.randint(1, 6), rng.choice(STREETS), rng.randint(1, 99),
                plz, city, scout, ref, rng.choice(["Frau", "Herr"]), first,
                last, mail, phone, rng.choice(TEXTS))) + FOOTER
    return ("From: ImmobilienScout24 <noreply@immobilienscout24.example>\n"
            "Reply-To: %s %s <%s>\nTo: info@muster-immo.example\n"
            "Subject: %s\nDate: %s\nMessage-ID: <%d.%d.anfrage@"
            "immobilienscout24.example>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 8bit\n\n%s" % (
                first, last, mail, q_encode("Kontaktanfrage für Objekt %d"
                                            % scout),
                header_date(i), scout, i, body))


def homegate(rng, i):
    first, last, mail, phone = person(rng)
    plz, city = rng.choice(CITIES)
    ref = "HG%07d" % rng.randint(1, 9999999)
    body = ("Neue Anfrage über Homegate.ch\r\n\r\nInserat: %s\r\n"
            "Ort: %s %s\r\nName: %s %s\r\nE-Mail: %s\r\nTelefon: %s\r\n"
            "Nachricht: %s\r\n" % (ref, plz, city, first, last, mail, phone,
                                   rng.choice(TEXTS)))
    return ("From: Homegate <no-reply@homegate.example>\r\n"
            "To: info@muster-immo.example\r\nSubject: Anfrage zu %s\r\n"
            "Date: %s\r\nMessage-ID: <hg-%s-%d@homegate.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n%s" % (
                ref, header_date(i), ref, i, body))


def seloger(rng, i):
    first, last, mail, phone = person(rng)
    plz, city = rng.choice(CITIES)
    html = ("<html><body><h1>Nouvelle demande</h1><table>"
            "<tr><td>Nom</td><td>%s %s</td></tr>"
            "<tr><td>E-mail</td><td>%s</td></tr>"
            "<tr><td>T&eacute;l&eacute;phone</td><td>%s</td></tr>"
            "<tr><td>Bien</td><td>Maison &agrave; %s (r&eacute;f. LS-%d)"
            "</td></tr></table><p>%s</p></body></html>\n" % (
                first, last, mail, phone, city, rng.randint(1, 999),
                rng.choice(TEXTS)))
    return ("From: SeLoger <contact@seloger.example>\nReply-To: %s\n"
            "To: info@muster-immo.example\nSubject: %s\nDate: %s\n"
            "Message-ID: <sl%d@seloger.example>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/alternative; boundary=\"alt%d\"\n\n"
            "--alt%d\nContent-Type: text/plain; charset=UTF-8\n\n"
            "Nouvelle demande de %s %s (%s, %s).\n\n--alt%d\n"
            "Content-Type: text/html; charset=UTF-8\n\n%s\n--alt%d--\n" % (
                mail, q_encode("Demande pour votre bien à %s" % city),
                header_date(i), i, i, i, first, last, mail, phone, i, html,
                i))


def autoscout(rng, i):
    first, last, mail, phone = person(rng)
    make, model = rng.choice(CARS)
    ad = rng.randint(10000, 99999)
    adf = ("<?xml version=\"1.0\"?>\n<adf><prospect><requestdate>"
           "2026-02-01T08:00:00+01:00</requestdate><vehicle interest=\"buy\">"
           "<make>%s</make><model>%s</model></vehicle><customer><contact>"
           "<name part=\"first\">%s</name><name part=\"last\">%s</name>"
           "<email>%s</email><phone>%s</phone></contact></customer>"
           "</prospect></adf>\n" % (make, model, first, last, mail, phone))
    return ("From: AutoScout24 <leads@autoscout24.example>\n"
            "To: verkauf@garage-muster.example\n"
            "Subject: Neue Anfrage: %s %s, Inserat %d\nDate: %s\n"
            "Message-ID: <lead-%d-%d@autoscout24.example>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n"
            "Content-Type: text/plain; charset=UTF-8\n\nName: %s %s\n"
            "E-Mail: %s\nTelefon: %s\nNachricht: %s\n\n--b%d\n"
            "Content-Type: text/xml; name=\"lead.adf.xml\"\n"
            "Content-Disposition: attachment; filename=\"lead.adf.xml\"\n\n"
            "%s--b%d--\n" % (make, model, ad, header_date(i), ad, i, i, i,
                             first, last, mail, phone, rng.choice(TEXTS), i,
                             adf, i))


def qp_latin1(s):
    return "".join(chr(b) if 32 <= b < 127 and b != 61 else "=%02X" % b
                   for b in s.encode("latin-1", "replace"))


def website(rng, i):
    first, last, mail, phone = person(rng)
    return ("From: %s %s <%s>\nTo: info@muster-immo.example\n"
            "Subject: Anfrage zum Kontaktformular\nDate: %s\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"
            "Content-Transfer-Encoding: quoted-printable\n\n"
            "Guten Tag,=0A=0Aich interessiere mich f=FCr Ihr Angebot.\n"
            "Bitte rufen Sie mich an: %s\n\nFreundliche Gr=FC=DFe\n%s %s\n"
            "(Anfrage %d)\n" % (
                q_encode(first), q_encode(last), mail, header_date(i), phone,
                qp_latin1(first), qp_latin1(last), i))


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(rng, n):
    return "".join(rng.choice(B64) for _ in range(n))


def folded(rng, n, nl):
    """n random base64 characters folded as a signature's b= tag is."""
    raw = b64(rng, n)
    return ("%s\t " % nl).join(raw[k:k + 70] for k in range(0, n, 70))


def trace(rng, i, text, portal):
    """The headers a provider's servers put above a mail, and a portal's
    own feedback headers. No List-* header: leadgate answers no list
    traffic (RFC 2369), and portals send their notifications one by one."""
    nl = "\r\n" if "\r\n" in text else "\n"
    head = text.split(nl + nl, 1)[0]
    frm = head.split("From:", 1)[1].split(nl, 1)[0]
    dom = frm.rsplit("@", 1)[-1].strip(" >")
    date = header_date(i)
    ip = "192.0.2.%d" % rng.randint(1, 254)
    qid = b64(rng, 12).replace("+", "x").replace("/", "y")
    sel = "s%d" % rng.randint(1, 4)
    h = [
        "Return-Path: <bounce-%d@%s>" % (i, dom),
        "Delivered-To: info@muster-immo.example",
        "Received: from mx1.muster-immo.example ([127.0.0.1])%s\tby "
        "imap.muster-immo.example with LMTP id %s%s\tfor "
        "<info@muster-immo.example>; %s" % (nl, qid, nl, date),
        "Received: from out-%d.mta.%s (out-%d.mta.%s [%s])%s\t(using "
        "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))%s\t"
        "(No client certificate requested)%s\tby mx1.muster-immo.example "
        "(Postfix) with ESMTPS id %s%s\tfor <info@muster-immo.example>; %s"
        % (i % 16, dom, i % 16, dom, ip, nl, nl, nl, qid, nl, date),
        "Received: from app-%d.internal (app-%d.internal [10.0.%d.%d])%s"
        "\tby out-%d.mta.%s (Postfix) with ESMTP id %s; %s"
        % (i % 7, i % 7, i % 4, i % 250, nl, i % 16, dom,
           b64(rng, 10).replace("+", "x").replace("/", "y"), date),
        "Authentication-Results: mx1.muster-immo.example;%s\tdkim=pass "
        "(2048-bit key; unprotected) header.d=%s header.i=@%s "
        "header.a=rsa-sha256 header.s=%s header.b=%s;%s\tspf=pass "
        "(mx1.muster-immo.example: domain of bounce-%d@%s designates %s "
        "as permitted sender) smtp.mailfrom=bounce-%d@%s;%s\tdmarc=pass "
        "(policy=reject) header.from=%s"
        % (nl, dom, dom, sel, b64(rng, 8), nl, i, dom, ip, i, dom, nl, dom),
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;%s\t"
        "s=%s; t=%d; bh=%s=;%s\th=From:Reply-To:To:Subject:Date:"
        "Message-ID:MIME-Version:Content-Type:Feedback-ID;%s\tb=%s"
        % (dom, nl, sel, 1767225600 + i, b64(rng, 43), nl, nl,
           folded(rng, 344, nl)),
    ]
    if portal:
        h += [
        "Feedback-ID: lead-notification:%s:%d" % (dom, i % 97),
        "X-Mailer: %s notification service 4.%d" % (dom, i % 9),
        ]
    return nl.join(h) + nl + text


CELL = "font:14px/20px Arial,sans-serif;color:#333;padding:6px 12px;"


def with_html(text):
    """A portal's plain notification as multipart/alternative: the same
    lines again as the styled HTML table portals send."""
    nl = "\r\n" if "\r\n" in text else "\n"
    head, body = text.split(nl + nl, 1)
    if "Content-Type: text/plain" not in head:
        return text
    bnd = "alt-%08x" % zlib.crc32(head.encode("utf-8"))
    lines = head.split(nl)
    keep = [l for l in lines if not l.startswith("Content-")]
    rows = []
    for line in body.split(nl):
        if ": " in line:
            k, v = line.split(": ", 1)
            rows.append('<tr><td style="%sfont-weight:bold;width:35%%">%s'
                        '</td><td style="%s">%s</td></tr>' % (CELL, k, CELL,
                                                               v))
        elif line.strip():
            rows.append('<tr><td colspan="2" style="%s">%s</td></tr>'
                        % (CELL, line))
    html = ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name='
            '"viewport" content="width=device-width,initial-scale=1"></head>'
            '<body style="margin:0;padding:0;background:#f4f4f4"><table '
            'role="presentation" width="100%%" cellpadding="0" cellspacing='
            '"0" style="background:#f4f4f4"><tr><td align="center"><table '
            'width="600" cellpadding="0" cellspacing="0" style="background:'
            '#ffffff;border-radius:4px">%s</table></td></tr></table></body>'
            '</html>' % nl.join(rows))
    part = ("Content-Type: multipart/alternative; boundary=\"%s\"" % bnd)
    return (nl.join(keep) + nl + part + nl + nl + "--" + bnd + nl +
            "Content-Type: text/plain; charset=UTF-8" + nl +
            "Content-Transfer-Encoding: 8bit" + nl + nl + body + nl +
            "--" + bnd + nl + "Content-Type: text/html; charset=UTF-8" + nl +
            "Content-Transfer-Encoding: 8bit" + nl + nl + html + nl +
            "--" + bnd + "--" + nl)


TEMPLATES = [immoscout, immoscout, homegate, seloger, autoscout, website]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True, help="a Maildir's new/ or cur/")
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--unique", action="store_true",
                   help="no resends, and every prospect a different address")
    p.add_argument("--first", type=int, default=0,
                   help="the number of the first message")
    p.add_argument("--again", action="store_true",
                   help="the same inquiries asked again (new Message-IDs)")
    args = p.parse_args()
    global UNIQUE
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    total = 0
    sent = []
    for i in range(args.first, args.first + args.count):
        if args.unique:
            UNIQUE = i
        if sent and not args.unique and rng.random() < 0.02:
            text = rng.choice(sent)        # a portal resending
        else:
            make = rng.choice(TEMPLATES)
            text = make(rng, i)
            if make in (immoscout, homegate):
                text = with_html(text)
            # Its own generator: the inquiries stay those of the seed.
            text = trace(random.Random(args.seed * 1000003 + i), i, text,
                         make is not website)
            if len(sent) < 500:
                sent.append(text)
        if args.again:
            text = text.replace(" Feb 2026 ", " Mar 2026 ", 1).replace(
                "Message-ID: <", "Message-ID: <again.", 1)
        data = text.encode("utf-8")
        name = "%d.M%dP%d.bench" % (1767225600 + i, i, os.getpid())
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        total += len(data)
    print("%d messages, %d bytes" % (args.count, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
