# Unsubscribing: by a contact's token (the List-Unsubscribe link of bulk
# mail), by an address, and by mail to mail.unsubscribe_mailto through the
# ingest pipeline. Unsubscribed addresses are on the suppression list, so
# nothing can be spooled to them any more; their contacts are opted out.

# The session's configuration, with the unsubscribe settings.
%file leadgate.conf
store = { path = "leadgate.db"; default_country = "CH"; };
log = { level = "warn"; };
mail = {
  from = "Immobilien Muster AG <info@muster-immo.example>";
  domain = "muster-immo.example";
  own_addresses = [ "info@muster-immo.example" ];
  unsubscribe_url = "https://muster-immo.example/unsubscribe/{token}";
  unsubscribe_mailto = "unsubscribe@muster-immo.example";
};
%end

$ cp -R $TOP/etc/pipelines.conf $TOP/etc/rules.conf $TOP/etc/templates .

$ leadgate sources add ImmoScout24

$ leadgate contacts add --first-name Anna --last-name Muster --email anna.muster@example.ch --email anna@work.example
1

$ leadgate contacts add --first-name Bea --last-name Beispiel --email bea@example.org
2

$ leadgate leads add --contact 1 --source immoscout24 --object OBJ-1001
1

# The token is the one of the bulk mail's List-Unsubscribe header.
$ leadgate template preview new-documentation --lead 1 --kind bulk | tr -d '\r' | sed -n 's/.*subject=unsubscribe%20\([0-9a-f]*\)>$/\1/p' > anna.token; wc -c < anna.token
33

$ leadgate unsubscribe "$(cat anna.token)"
unsubscribed: anna.muster@example.ch (contact 1)
unsubscribed: anna@work.example (contact 1)

$ leadgate unsubscribe "$(cat anna.token)"
already unsubscribed: anna.muster@example.ch (contact 1)
already unsubscribed: anna@work.example (contact 1)

$ leadgate contacts show 1 | grep -E 'opted out|unsubscribed'
  opted out
  2026-03-04T10:00:00Z  unsubscribed: via link; opted out; suppressed anna.muster@example.ch, anna@work.example

$ leadgate contacts list --filter 'opt_out = yes'
ID  KIND  NAME         COMPANY  E-MAIL                  PHONE  PROSPECT  CLIENT
1   lead  Anna Muster           anna.muster@example.ch         current   none

# Nothing is spooled to an unsubscribed address.
%file note.eml
Date: Wed, 04 Mar 2026 10:00:00 +0000
From: info@muster-immo.example
To: anna@work.example
Message-ID: <note-1@muster-immo.example>
Subject: Termin

Bis morgen.
%end
$ sed -i 's/$/\r/' note.eml

$ leadgate spool add --key note-1 --to anna@work.example --contact 1 note.eml
! leadgate: spool add: recipient anna@work.example is on the suppression list (unsubscribed (link))
? 65

$ leadgate spool add --key note-2 --to bea@example.org --contact 2 note.eml
1

# Unknown, malformed and missing tokens.
$ leadgate unsubscribe 0123456789abcdef0123456789abcdef
! leadgate: unsubscribe: no contact has the unsubscribe token '0123456789abcdef0123456789abcdef'
? 66

$ leadgate unsubscribe 'abc;def'
! leadgate: unsubscribe: 'abc;def' is not an unsubscribe token (letters, digits, '-' and '_')
? 65

$ leadgate unsubscribe
! usage: leadgate [-c CONFIG] unsubscribe TOKEN|EMAIL
? 64

# By address: every contact having it is opted out; an address of no
# contact is listed all the same.
$ leadgate unsubscribe Bea@Example.ORG
unsubscribed: bea@example.org (contact 2)

$ leadgate unsubscribe bea@example.org
already unsubscribed: bea@example.org (contact 2)

$ leadgate spool add --key note-3 --to bea@example.org --contact 2 note.eml
! leadgate: spool add: recipient bea@example.org is on the suppression list (unsubscribed (command line))
? 65

$ leadgate unsubscribe nobody@example.net
unsubscribed: nobody@example.net (no contact)

$ leadgate unsubscribe 'nobody@'
! leadgate: unsubscribe: malformed e-mail address 'nobody@'
? 65

# By mail: the request of a mail client's unsubscribe button, with the
# contact's token in the Subject, sent from an address of no contact.
$ leadgate contacts add --first-name Carla --last-name Conti --email carla@example.com
3

$ leadgate leads add --contact 3 --source immoscout24 --object OBJ-1001
2

$ leadgate template preview new-documentation --lead 2 --kind bulk | tr -d '\r' | sed -n 's/.*subject=unsubscribe%20\([0-9a-f]*\)>$/\1/p' > carla.token

$ sed "s/TOKEN/$(cat carla.token)/" $TOP/tests/data/unsub/request.eml > request.eml

$ leadgate ingest --connector inbox request.eml | sed "s/$(cat carla.token)/TOKEN/"
request.eml: ignored, contact 3: unsubscribe request (token of contact 3, sender carla.privat@example.com): carla@example.com (contact 3), carla.privat@example.com (no contact)

$ leadgate ingest --connector inbox request.eml
request.eml: duplicate, contact 3

# No lead, no contact and no reply came of it.
$ leadgate leads list
ID  CONTACT  PIPELINE  PHASE            STATUS  SOURCE       OBJECT    CREATED
1   1        sale      2 Demande reçue  open    ImmoScout24  OBJ-1001  2026-03-04T10:00:00Z
2   3        sale      2 Demande reçue  open    ImmoScout24  OBJ-1001  2026-03-04T10:00:00Z

$ leadgate contacts list
ID  KIND  NAME          COMPANY  E-MAIL                  PHONE  PROSPECT  CLIENT
1   lead  Anna Muster            anna.muster@example.ch         current   none
2   lead  Bea Beispiel           bea@example.org                none      none
3   lead  Carla Conti            carla@example.com              current   none

$ leadgate spool list
ID  STATE   TRIES  NEXT  TO               KEY     LAST REPLY
 1  queued      0  now   bea@example.org  note-2  

$ leadgate contacts show 3 | grep -E 'opted out|unsubscribed'
  opted out
  2026-03-04T10:00:00Z  unsubscribed: via mail; opted out; suppressed carla@example.com

$ leadgate spool add --key note-4 --to carla.privat@example.com note.eml
! leadgate: spool add: recipient carla.privat@example.com is on the suppression list (unsubscribed (mail))
? 65

# An unknown token: the sender is unsubscribed all the same (here a
# contact's address, reaching the request by Delivered-To alone).
$ leadgate contacts add --first-name Dora --last-name Dorn --email dora@example.ch
4

%file dora.eml
Delivered-To: unsubscribe@muster-immo.example
From: Dora Dorn <dora@example.ch>
To: undisclosed-recipients:;
Subject: Re: unsubscribe 0123456789abcdef0123456789abcdef
Message-ID: <dora-1@example.ch>
Date: Tue, 03 Mar 2026 19:00:00 +0100

Bitte keine Post mehr.
%end
$ leadgate ingest --connector inbox dora.eml
dora.eml: ignored, contact 4: unsubscribe request (unknown token '0123456789abcdef0123456789abcdef', sender dora@example.ch): dora@example.ch (contact 4)

$ leadgate contacts show 4 | grep -E 'opted out|unsubscribed'
  opted out
  2026-03-04T10:00:00Z  unsubscribed: via mail; opted out; suppressed dora@example.ch

# Mail to another address is an inquiry as before.
%file inquiry.eml
From: Dora Dorn <dora@example.ch>
To: info@muster-immo.example
Subject: unsubscribe 0123456789abcdef0123456789abcdef
Message-ID: <dora-2@example.ch>
Date: Tue, 03 Mar 2026 19:30:00 +0100

Ist die Wohnung OBJ-1001 noch frei?
%end
$ leadgate ingest --connector inbox inquiry.eml
inquiry.eml: new lead, lead 3, contact 4

# A contact made from an inquiry may lack the names its kind requires:
# contacts update refuses to change it until they are given, but an
# unsubscribe is never refused for that.
%file noname.eml
From: emil@example.ch
To: info@muster-immo.example
Subject: Wohnung OBJ-1001
Message-ID: <emil-1@example.ch>
Date: Tue, 03 Mar 2026 20:00:00 +0100

Ist die Wohnung noch frei?
%end
$ leadgate ingest --connector inbox noname.eml
noname.eml: new lead, lead 4, contact 5

$ leadgate contacts update 5 --opt-out yes
! leadgate: contacts update: a lead person needs: first name, last name
? 65

$ leadgate unsubscribe emil@example.ch
unsubscribed: emil@example.ch (contact 5)

$ leadgate contacts show 5 | grep -E 'opted out|unsubscribed'
  opted out
  2026-03-04T10:00:00Z  unsubscribed: via command line; opted out; suppressed emil@example.ch

# Two contacts sharing an address are both opted out.
$ leadgate contacts add --company-name "Keller AG" --email info@keller.example
6

$ leadgate contacts add --first-name Max --last-name Keller --email INFO@keller.example --force
7

$ leadgate unsubscribe info@keller.example
unsubscribed: info@keller.example (contact 6)
unsubscribed: info@keller.example (contact 7)

$ leadgate contacts list --filter 'email = info@keller.example and opt_out = yes'
ID  KIND  NAME        COMPANY  E-MAIL               PHONE  PROSPECT  CLIENT
6   lead  Keller AG            info@keller.example         none      none
7   lead  Max Keller           info@keller.example         none      none

# Through a connector, as the daemon polls it.
%file with-maildir.conf
@include "leadgate.conf"
connectors = ( { name = "drop"; type = "maildir"; path = "Maildir"; } );
%end
%file Maildir/new/1772618400.1.host
From: Fritz Frei <fritz@example.ch>
To: unsubscribe@muster-immo.example
Subject: unsubscribe
Message-ID: <fritz-1@example.ch>

%end
$ mkdir -p Maildir/cur Maildir/tmp

$ leadgate -c with-maildir.conf poll --connector drop
item ./Maildir: ignored: unsubscribe request (no token, sender fritz@example.ch): fritz@example.ch (no contact)
! poll drop: 0 new lead(s), 0 added to open leads, 0 duplicate(s), 1 ignored, 0 in quarantine

$ leadgate -c with-maildir.conf poll --connector drop
! poll drop: 0 new lead(s), 0 added to open leads, 0 duplicate(s), 0 ignored, 0 in quarantine

$ leadgate unsubscribe fritz@example.ch
already unsubscribed: fritz@example.ch (no contact)
