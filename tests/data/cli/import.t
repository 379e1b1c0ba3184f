# contacts import FILE.csv: header-named columns, RFC 4180 quoting, UTF-8;
# each row finds its contact again like ingest does (e-mail, then phone);
# the same file twice imports nothing new.

%file contacts.csv
First Name,Last-Name,E-Mail,Phone,City,Street
Anna,Muster,anna@example.ch,044 123 45 67,Zürich,"Bahnhofstrasse 1, 3. Stock"
Jean,Dupont,,+33 1 23 45 67 89,Paris,"Rue ""Neuve"" 2
Bâtiment B"
Eva,Brunner,,,Bern,
ANNA,Muster,ANNA@example.ch,,,
Lea,Keller,lea@keller.example,,Bern
Max,Frei,"max@frei.example"x,,,
Otto,Bad,not-an-address,,,
%end

$ leadgate contacts import contacts.csv
contacts.csv:2: imported: new contact 1
contacts.csv:3: imported: new contact 2
contacts.csv:6: skipped: matched contact 1 by e-mail anna@example.ch, nothing new
2 imported, 0 updated, 1 skipped, 4 refused
! contacts.csv:5: refused: no e-mail address or phone number to find the contact again by
! contacts.csv:7: refused: 5 fields, the header has 6
! contacts.csv:8: refused: text after a closing quote
! contacts.csv:9: refused: malformed e-mail address 'not-an-address'
? 65

$ leadgate contacts import contacts.csv 2>/dev/null
contacts.csv:2: skipped: matched contact 1 by e-mail anna@example.ch, nothing new
contacts.csv:3: skipped: matched contact 2 by phone +33123456789, nothing new
contacts.csv:6: skipped: matched contact 1 by e-mail anna@example.ch, nothing new
0 imported, 0 updated, 3 skipped, 4 refused
? 65

# A known contact gets the fields it lacked; the phone finds Jean again.
%file more.csv
email,phone,postcode,language
anna@example.ch,,8001,de
,+33123456789,75001,
%end

$ leadgate contacts import more.csv
more.csv:2: updated: matched contact 1 by e-mail anna@example.ch
more.csv:3: updated: matched contact 2 by phone +33123456789
0 imported, 2 updated, 0 skipped, 0 refused

$ leadgate contacts import more.csv
more.csv:2: skipped: matched contact 1 by e-mail anna@example.ch, nothing new
more.csv:3: skipped: matched contact 2 by phone +33123456789, nothing new
0 imported, 0 updated, 2 skipped, 0 refused

$ leadgate contacts list
ID  KIND  NAME         COMPANY  E-MAIL           PHONE         PROSPECT  CLIENT
1   lead  Anna Muster           anna@example.ch  +41441234567  none      none
2   lead  Jean Dupont                            +33123456789  none      none

$ leadgate contacts show 2
contact 2: Jean Dupont
  type: person
  kind: lead
  first name: Jean
  last name: Dupont
  phone: +33 1 23 45 67 89 (+33123456789)
  street: Rue "Neuve" 2
Bâtiment B
  postcode: 75001
  city: Paris
  prospect: none
  client: none
  created: 2026-03-04T10:00:00Z
no leads
history:
  2026-03-04T10:00:00Z  created: from an inquiry via import
  2026-03-04T10:00:00Z  updated: from an inquiry: postcode

%file bad-header.csv
email,fax
a@example.ch,1
%end

$ leadgate contacts import bad-header.csv
! bad-header.csv:1: unknown column 'fax' (known: salutation, first_name, last_name, company, street, postcode, city, language, email, phone, mobile, phone2)
? 65
