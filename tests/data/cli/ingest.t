# Ingest from standard input or files: one inquiry, one contact and lead,
# exactly once; what cannot become a lead is kept in quarantine.

%file anna.eml
Return-Path: <anna.muster@example.ch>
From: Anna Muster <anna.muster@example.ch>
To: info@muster-immo.example
Subject: Wohnung OBJ-1001
Message-ID: <anna-1@example.ch>
Date: Mon, 02 Mar 2026 09:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Guten Tag

Ist die Wohnung noch frei? Sie erreichen mich unter 044 123 45 67.

Freundliche Grüsse
Anna Muster
%end

$ leadgate ingest --connector inbox anna.eml
anna.eml: new lead, lead 1, contact 1

$ leadgate ingest --connector inbox < anna.eml
-: duplicate, lead 1, contact 1

$ leadgate contacts list
ID  KIND  NAME         COMPANY  E-MAIL                  PHONE         PROSPECT  CLIENT
1   lead  Anna Muster           anna.muster@example.ch  +41441234567  current   none

$ leadgate leads list
ID  CONTACT  PIPELINE  PHASE            STATUS  SOURCE  OBJECT    CREATED
1   1        sale      2 Demande reçue  open    E-Mail  OBJ-1001  2026-03-04T10:00:00Z

$ leadgate leads show 1
lead 1 (contact 1)
  pipeline: sale
  phase: 2 Demande reçue
  status: open
  source: E-Mail
  object: OBJ-1001
  connector: inbox
  custom: {"subject":"Wohnung OBJ-1001"}
  created: 2026-03-04T10:00:00Z
  message:
    Guten Tag

    Ist die Wohnung noch frei? Sie erreichen mich unter 044 123 45 67.
history:
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2]: inquiry via inbox, rule direct e-mail: new contact 1
  2026-03-04T10:00:00Z  autoreply queued: reply inquiry-reply queued as message 1 to anna.muster@example.ch
mails:
  1  2026-03-04T10:00:00Z  Anna Muster <anna.muster@example.ch>  Wohnung OBJ-1001  376 bytes

%file anna-again.eml
From: "Muster, Anna" <ANNA.MUSTER@example.ch>
To: info@muster-immo.example
Subject: Re: Wohnung
Message-ID: <anna-2@example.ch>
Date: Tue, 03 Mar 2026 09:00:00 +0100

Noch eine Frage: hat die Wohnung einen Balkon?
%end

$ leadgate ingest --connector inbox anna-again.eml
anna-again.eml: new lead, lead 2, contact 1

$ leadgate contacts show 1
contact 1: Anna Muster
  type: person
  kind: lead
  first name: Anna
  last name: Muster
  e-mail: anna.muster@example.ch
  phone: 044 123 45 67 (+41441234567)
  language: de
  prospect: current
  client: none
  created: 2026-03-04T10:00:00Z
leads:
ID  PIPELINE  PHASE            STATUS  SOURCE  OBJECT    CREATED
1   sale      2 Demande reçue  open    E-Mail  OBJ-1001  2026-03-04T10:00:00Z
2   sale      2 Demande reçue  open    E-Mail            2026-03-04T10:00:00Z
history:
  2026-03-04T10:00:00Z  created: from an inquiry via inbox
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2] (lead 1): inquiry via inbox, rule direct e-mail: new contact 1
  2026-03-04T10:00:00Z  status: prospect none -> current
  2026-03-04T10:00:00Z  autoreply queued (lead 1): reply inquiry-reply queued as message 1 to anna.muster@example.ch
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2] (lead 2): inquiry via inbox, rule direct e-mail: matched contact 1 by e-mail anna.muster@example.ch
  2026-03-04T10:00:00Z  autoreply skipped (lead 2): anna.muster@example.ch was already answered by rule direct e-mail within 7 days

%file nobody.eml
From: <>
To: info@muster-immo.example
Subject: no sender at all
Message-ID: <nobody@example.ch>

Hello?
%end

$ leadgate ingest --connector inbox nobody.eml
nobody.eml: quarantined, quarantine 1: the inquiry has neither an e-mail address nor a phone number
! leadgate: warn ingest: [inbox] mid:nobody@example.ch quarantined as 1 by rule direct e-mail ($TOP/etc/rules.conf:62): the inquiry has neither an e-mail address nor a phone number

$ leadgate quarantine list
ID  AT                    CONNECTOR  STATE  SIZE  REASON
1   2026-03-04T10:00:00Z  inbox      held   104   the inquiry has neither an e-mail address nor a phone number

$ leadgate quarantine show 1
quarantine 1 (held)
  at: 2026-03-04T10:00:00Z
  connector: inbox
  kind: mail
  reason: the inquiry has neither an e-mail address nor a phone number
  where: rule direct e-mail ($TOP/etc/rules.conf:62)
  key: mid:nobody@example.ch
  size: 104 bytes
  meta: {}
(the raw data: leadgate quarantine show 1 --raw)

$ leadgate quarantine show 1 --raw | head -n 3
From: <>
To: info@muster-immo.example
Subject: no sender at all

%file crash.eml
From: Mallory <mallory@example.ch>
Subject: crash
Message-ID: <crash@example.ch>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="\""

body
%end

$ leadgate ingest crash.eml
crash.eml: quarantined, quarantine 2: cannot parse the message: a boundary parameter starting with a quote (crashes the MIME parser)
! leadgate: warn ingest: [stdin] mid:crash@example.ch quarantined as 2 by parse: cannot parse the message: a boundary parameter starting with a quote (crashes the MIME parser)

$ leadgate ingest crash.eml
crash.eml: duplicate, kept in quarantine 2

$ leadgate quarantine list
ID  AT                    CONNECTOR  STATE  SIZE  REASON
1   2026-03-04T10:00:00Z  inbox      held   104   the inquiry has neither an e-mail address nor a phone number
2   2026-03-04T10:00:00Z  stdin      held   150   cannot parse the message: a boundary parameter starting wit…

$ leadgate quarantine retry 1
! leadgate: quarantine retry: still not accepted: the inquiry has neither an e-mail address nor a phone number
? 65

$ leadgate quarantine drop 2

$ leadgate quarantine drop 2
! leadgate: quarantine drop: quarantine 2 is already dropped
? 65

$ leadgate quarantine list --state all
ID  AT                    CONNECTOR  STATE    SIZE  REASON
1   2026-03-04T10:00:00Z  inbox      held     104   the inquiry has neither an e-mail address nor a phone number
2   2026-03-04T10:00:00Z  stdin      dropped  150   cannot parse the message: a boundary parameter starting wit…

$ leadgate ingest no-such-file.eml
! leadgate: ingest: no-such-file.eml: No such file or directory
? 66

%file list.eml
From: Immo News <news@immo-news.example>
List-Id: <immo-news.example>
Subject: Newsletter
Message-ID: <news-1@immo-news.example>

Die neusten Angebote.
%end

$ leadgate ingest list.eml
list.eml: ignored

$ leadgate report --by source
SOURCE  OPEN  WON  LOST  TOTAL
E-Mail     2    0     0      2
