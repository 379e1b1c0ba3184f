#!/usr/bin/env python3
"""Fill a leadgate store with COUNT earlier prospects (stdlib only).

    fill_contacts.py STORE COUNT [--first J]
    fill_contacts.py --probe MAILDIR_SUBDIR [--first J]

STORE is a store leadgate has created (its schema, indexes and
migrations are leadgate's own: run any leadgate command on it first).
Every prospect is written the way an inquiry leaves it (compare with
`leadgate poll` on bench/lib/gen_inquiries.py mails): a person contact
in prospect state current, one e-mail address (given and normalised:
lower-cased), one phone (given as written, normalised to E.164), an
open lead in phase 2 of pipeline "sale" from ImmoScout24 or E-Mail, the
three history rows of a new lead and the inquiry's key. All with bound
parameters, in transactions of 20,000 prospects.

The addresses are first.lastJ@example.TLD for J from --first (default
1,000,000) and the phones +41 AA NNN NN NN with area codes that
gen_inquiries.py never writes, so no generated inquiry matches a filled
prospect unless the benchmark means it to. Prints the numbers of rows
of each table afterwards.

--probe writes 20 mails instead, from the first ten prospects a fill
from J writes (their addresses in upper case) and from ten strangers
giving the phone of the next ten (written nationally, 0AA NNN NN NN):
leadgate must match the first ten by e-mail and the others by phone.
"""
import argparse
import sqlite3
import sys
import unicodedata

FIRST = ["Anna", "Marco", "Jean", "Sophie", "Lukas", "Elena", "Thomas",
         "Chiara", "Nicolas", "Laura", "Stefan", "Maria", "Pierre", "Julia",
         "Andreas", "Camille", "Reto", "Fatima", "Jonas", "Léa", "Müge",
         "Björn", "Zoë", "Ivan", "Beat", "Ursula", "Hans", "Nadia"]
LAST = ["Keller", "Rossi", "Dupont", "Meier", "Huber", "Bernard", "Schmid",
        "Bianchi", "Weber", "Martin", "Müller", "Fontaine", "Brunner",
        "Steiner", "Moreau", "Gerber", "Bachmann", "Lefèvre", "Novak",
        "Graf", "Yilmaz", "Nguyen", "Frei", "Baumann", "Zimmermann"]
TLDS = ["ch", "de", "org", "net", "com"]
# Swiss area codes gen_inquiries.py does not use (it writes 44 31 21 61
# 76 78 79).
AREAS = ["22", "26", "27", "32", "33", "34", "41", "43", "52", "55", "56",
         "58", "62", "71", "81", "91"]
LANGS = ["de", "de", "fr", "it", "en"]
TEXTS = ["Guten Tag, ist das Objekt noch verfügbar?",
         "Bonjour, je souhaite organiser une visite.",
         "Could you send me the documentation?",
         "Buongiorno, è ancora disponibile?"]
BATCH = 20000


def ascii_local(first, last):
    s = "%s.%s" % (first.lower(), last.lower())
    return unicodedata.normalize("NFKD", s).encode(
        "ascii", "ignore").decode()


def stamp(j):
    # Spread over two years, as a store fills.
    day = j % 730
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (
        2024 + day // 365, 1 + (day % 365) // 31 % 12, 1 + day % 28,
        j % 24, (j // 24) % 60, (j // 1440) % 60)


def prospect(j):
    """first, last, e-mail (normalised), phone (given, normalised) of j"""
    first = FIRST[j % len(FIRST)]
    last = LAST[(j // len(FIRST)) % len(LAST)]
    mail = "%s%d@example.%s" % (ascii_local(first, last), j,
                                TLDS[j % len(TLDS)])
    num = "%07d" % (2000000 + j // len(AREAS))
    area = AREAS[j % len(AREAS)]
    return (first, last, mail,
            "+41 %s %s %s %s" % (area, num[:3], num[3:5], num[5:]),
            "+41%s%s" % (area, num), "0%s %s %s %s" % (
                area, num[:3], num[3:5], num[5:]))


def probe(out, first):
    import os
    os.makedirs(out, exist_ok=True)
    for k in range(20):
        f, l, mail, _, _, national = prospect(first + k)
        sender = mail.upper() if k < 10 else "probe%d@elsewhere.example" % k
        text = ("From: %s %s <%s>\nTo: info@muster-immo.example\n"
                "Subject: Anfrage\nDate: Tue, 03 Mar 2026 10:%02d:00 +0100\n"
                "Message-ID: <probe.%d@bench.example>\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=UTF-8\n\n"
                "Guten Tag,\n\nich interessiere mich für Ihr Angebot. "
                "Bitte rufen Sie mich an: %s\n\nFreundliche Grüsse\n"
                "%s %s\n" % (f, l, sender, k, k, national, f, l))
        name = "%d.M%dP%d.probe" % (1772500000 + k, k, os.getpid())
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(text.encode("utf-8"))
    return 0


def source_id(db, name):
    db.execute("INSERT OR IGNORE INTO sources (name, created_at) "
               "VALUES (?, ?)", (name, stamp(0)))
    return db.execute("SELECT id FROM sources WHERE name = ?",
                      (name,)).fetchone()[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("store", nargs="?")
    p.add_argument("count", type=int, nargs="?")
    p.add_argument("--first", type=int, default=1000000)
    p.add_argument("--probe", metavar="DIR")
    a = p.parse_args()
    if a.probe:
        return probe(a.probe, a.first)
    if a.store is None or a.count is None:
        p.error("STORE and COUNT are needed")
    db = sqlite3.connect(a.store, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    sources = [source_id(db, "ImmoScout24"), source_id(db, "E-Mail")]
    db.execute("COMMIT")
    cid = db.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0]
    lid = db.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
    done = 0
    while done < a.count:
        n = min(BATCH, a.count - done)
        contacts, emails, phones, leads, hist, inq = [], [], [], [], [], []
        for k in range(n):
            j = a.first + done + k
            cid += 1
            lid += 1
            first, last, mail, pgiven, pnorm, _ = prospect(j)
            at = stamp(j)
            contacts.append((cid, first, last, LANGS[j % len(LANGS)],
                             ["Frau", "Herr", None][j % 3], at, at))
            given = mail if j % 4 else mail.capitalize()
            emails.append((cid, given, mail))
            phones.append((cid, pgiven, pnorm))
            portal = j % 3 != 2
            ref = "MZ-%d" % (j % 50000) if portal else None
            leads.append((lid, cid, sources[0 if portal else 1], ref,
                          TEXTS[j % len(TEXTS)], at, at))
            hist.append((cid, None, at, "created", None,
                         "from an inquiry via md"))
            hist.append((cid, lid, at, "Demande reçue", 2,
                         "inquiry via md: new contact %d" % cid))
            hist.append((cid, None, at, "status", None,
                         "prospect none -> current"))
            inq.append(("mid:fill.%d@portal.example" % j, mail, lid, cid,
                        "portal notifications" if portal else
                        "direct e-mail", "new contact %d" % cid, at))
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO contacts (id, type, kind, first_name, last_name, "
            "language, salutation, prospect_state, created_at, updated_at) "
            "VALUES (?, 'person', 'lead', ?, ?, ?, ?, 'current', ?, ?)",
            contacts)
        db.executemany(
            "INSERT INTO contact_emails (contact_id, pos, given, norm) "
            "VALUES (?, 0, ?, ?)", emails)
        db.executemany(
            "INSERT INTO contact_phones (contact_id, pos, given, norm) "
            "VALUES (?, 0, ?, ?)", phones)
        db.executemany(
            "INSERT INTO leads (id, contact_id, pipeline, phase_no, status, "
            "source_id, object_ref, connector, message, created_at, "
            "updated_at) VALUES (?, ?, 'sale', 2, 'open', ?, ?, 'md', ?, ?, "
            "?)", leads)
        db.executemany(
            "INSERT INTO history (contact_id, lead_id, at, action, "
            "phase_after, remark) VALUES (?, ?, ?, ?, ?, ?)", hist)
        db.executemany(
            "INSERT INTO inquiries (key, connector, sender, lead_id, "
            "contact_id, rule, decision, received_at) "
            "VALUES (?, 'md', ?, ?, ?, ?, ?, ?)", inq)
        db.execute("COMMIT")
        done += n
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for t in ("contacts", "contact_emails", "contact_phones", "leads",
              "history", "inquiries"):
        print("%s %d" % (t, db.execute("SELECT count(*) FROM %s" %
                                       t).fetchone()[0]))
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
