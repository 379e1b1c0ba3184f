# mail bulk --dry-run shows its sample for reading: headers RFC 2047-
# decoded, the body decoded as a mail reader shows it (not =C3=A9).
$ leadgate sources add Homegate && leadgate contacts add --first-name Céline --last-name Dupré --email celine@example.ch && leadgate leads add --contact 1 --source Homegate --object OBJ-7
1
1

$ sed -i 's|^  domain = .*|&\n  unsubscribe_mailto = "unsubscribe@muster-immo.example";|' leadgate.conf && leadgate config get mail.unsubscribe_mailto
mail.unsubscribe_mailto = "unsubscribe@muster-immo.example"

$ LEADGATE_NOW=2026-03-04T10:00:00Z leadgate mail bulk --filter 'phase = "Demande reçue"' --template object-news --dry-run | tr -d '\r' | grep -v -e '^Date:' -e '^Message-ID:' -e '^List-Unsubscribe' -e 'unsubscribe'
campaign object-news-76827677 (dry run: nothing is sent or changed)
contacts matched: 1 (1 leads)
would send: 1
skipped: 0
sample, to celine@example.ch:
From: Immobilien Muster AG <info@muster-immo.example>
To: Céline Dupré <celine@example.ch>
Subject: Neuigkeiten zu Ihrer Anfrage
Auto-Submitted: auto-generated
Precedence: bulk
X-Auto-Response-Suppress: All
Content-Language: de
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

--- part 1: text/plain ---
Guten Tag Céline Dupré

Sie haben sich bei uns nach diesen Objekten erkundigt:
- OBJ-7

Die Unterlagen dazu sind jetzt vollständig, und wir zeigen Ihnen die Objekte
gerne vor Ort. Antworten Sie einfach auf diese Nachricht.

Freundliche Grüsse
Immobilien Muster AG
Bahnhofstrasse 1, 8001 Zürich
Telefon +41 44 123 45 67

--
Sie erhalten diese Nachricht, weil Sie sich bei uns für ein Objekt interessiert haben.
