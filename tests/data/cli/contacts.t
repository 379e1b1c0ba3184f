# Contacts: add, list, show, update, status rules, and bad input.

$ leadgate contacts add --first-name Anna --last-name Muster --email Anna.Muster@Example.CH --phone "044 123 45 67" --language de --city Zürich
1

$ leadgate contacts add --kind client --first-name Jean --last-name Dupont --email jean.dupont@exemple.fr --phone "+33 1 23 45 67 89"
2

$ leadgate contacts add --company-name "Keller Immobilien AG" --email info@keller.example --city Bern
3

$ leadgate contacts add --first-name Lea --last-name Keller --company 3 --email lea@keller.example --custom budget=800000
4

$ leadgate contacts list
ID  KIND    NAME                  COMPANY               E-MAIL                  PHONE         PROSPECT  CLIENT
1   lead    Anna Muster                                 anna.muster@example.ch  +41441234567  none      none
2   client  Jean Dupont                                 jean.dupont@exemple.fr  +33123456789  none      none
3   lead    Keller Immobilien AG                        info@keller.example                   none      none
4   lead    Lea Keller            Keller Immobilien AG  lea@keller.example                    none      none

$ leadgate contacts list --filter 'company = "Keller Immobilien AG"'
ID  KIND  NAME                  COMPANY               E-MAIL               PHONE  PROSPECT  CLIENT
3   lead  Keller Immobilien AG                        info@keller.example         none      none
4   lead  Lea Keller            Keller Immobilien AG  lea@keller.example          none      none

$ leadgate contacts show 4
contact 4: Lea Keller
  type: person
  kind: lead
  first name: Lea
  last name: Keller
  company: Keller Immobilien AG (contact 3)
  e-mail: lea@keller.example
  prospect: none
  client: none
  custom: {"budget":"800000"}
  created: 2026-03-04T10:00:00Z
no leads
history:
  2026-03-04T10:00:00Z  created

$ leadgate contacts show 4 --json
{
  "id": 4,
  "type": "person",
  "kind": "lead",
  "salutation": null,
  "first_name": "Lea",
  "last_name": "Keller",
  "company": null,
  "company_id": 3,
  "emails": [
    "lea@keller.example"
  ],
  "emails_given": [
    "lea@keller.example"
  ],
  "phones": [],
  "phones_given": [],
  "language": null,
  "street": null,
  "postcode": null,
  "city": null,
  "prospect_state": "none",
  "client_state": "none",
  "opt_out": false,
  "invalid_address": false,
  "custom": {
    "budget": "800000"
  },
  "created_at": "2026-03-04T10:00:00Z",
  "updated_at": "2026-03-04T10:00:00Z",
  "leads": [],
  "history": [
    {
      "id": 4,
      "at": "2026-03-04T10:00:00Z",
      "lead_id": null,
      "contact_id": 4,
      "action": "created",
      "phase_before": null,
      "phase_after": null,
      "remark": null
    }
  ]
}

# Required fields per kind, and what the command refuses.
$ leadgate contacts add --kind client --first-name Eva --last-name Brunner
! leadgate: contacts add: a client person needs: e-mail
? 65

$ leadgate contacts add --first-name Eva
! leadgate: contacts add: a lead person needs: last name
? 65

$ leadgate contacts add --company-name ""
! leadgate: contacts add: a lead company needs: company name
? 65

$ leadgate contacts add --first-name Eva --last-name Brunner --email not-an-address
! leadgate: contacts add: malformed e-mail address 'not-an-address'
? 65

$ leadgate contacts add --first-name Eva --last-name Brunner --phone "call me"
! leadgate: contacts add: malformed phone number 'call me'
? 65

$ leadgate contacts add --first-name Eva --last-name Brunner --kind boss
! leadgate: contacts add: kind must be lead, client or partner, not 'boss'
? 64

$ leadgate contacts add --first-name Eva --last-name Brunner --company 1
! leadgate: contacts add: contact 1 is not a company
? 65

$ leadgate contacts show 99
! leadgate: contacts show: no contact with id 99
? 66

$ leadgate contacts show abc
! leadgate: contacts show: contact id must be a positive number, not 'abc'
? 64

$ leadgate contacts list
ID  KIND    NAME                  COMPANY               E-MAIL                  PHONE         PROSPECT  CLIENT
1   lead    Anna Muster                                 anna.muster@example.ch  +41441234567  none      none
2   client  Jean Dupont                                 jean.dupont@exemple.fr  +33123456789  none      none
3   lead    Keller Immobilien AG                        info@keller.example                   none      none
4   lead    Lea Keller            Keller Immobilien AG  lea@keller.example                    none      none

$ leadgate contacts update 1 --email anna@work.example --postcode 8001 --opt-out yes

$ leadgate contacts show 1
contact 1: Anna Muster
  type: person
  kind: lead
  first name: Anna
  last name: Muster
  e-mail: Anna.Muster@Example.CH
  e-mail: anna@work.example
  phone: 044 123 45 67 (+41441234567)
  language: de
  postcode: 8001
  city: Zürich
  prospect: none
  client: none
  opted out
  created: 2026-03-04T10:00:00Z
no leads
history:
  2026-03-04T10:00:00Z  created

$ leadgate contacts update 2 --kind lead

$ leadgate contacts set-status 1 --client former

$ leadgate contacts set-status 1 --prospect sleepy
! leadgate: contacts set-status: prospect state must be none, current or lost, not 'sleepy'
? 65

$ leadgate contacts set-status 1
! usage: leadgate [-c CONFIG] contacts set-status ID [--prospect none|current|lost] [--client none|current|former]
? 64

# A person given a company name stays a person and works for that company:
# the company contact of that name (any case), made when there is none.
$ leadgate contacts add --first-name Max --last-name Frei --company-name "keller immobilien ag" --email max@keller.example
5

$ leadgate contacts add --first-name Ida --last-name Roth --company-name "Roth Bau GmbH" --email ida@rothbau.example
7

$ leadgate contacts list --filter 'company = "Roth Bau GmbH" or company = "Keller Immobilien AG"'
ID  KIND  NAME                  COMPANY               E-MAIL               PHONE  PROSPECT  CLIENT
3   lead  Keller Immobilien AG                        info@keller.example         none      none
4   lead  Lea Keller            Keller Immobilien AG  lea@keller.example          none      none
5   lead  Max Frei              Keller Immobilien AG  max@keller.example          none      none
6   lead  Roth Bau GmbH                                                           none      none
7   lead  Ida Roth              Roth Bau GmbH         ida@rothbau.example         none      none

# A second contact with an address another one has is refused, naming it;
# --force adds it anyway.
$ leadgate contacts add --first-name Lea --last-name Keller --email LEA@keller.example
! leadgate: contacts add: lea@keller.example is already the address of contact 4 (--force to add it anyway)
? 65

$ leadgate contacts update 7 --email lea@keller.example
! leadgate: contacts update: lea@keller.example is already the address of contact 4 (--force to give it anyway)
? 65

$ leadgate contacts add --first-name Lea --last-name Keller --email LEA@keller.example --force
8

# Its other fields change without --force: only added addresses are checked.
$ leadgate contacts update 8 --city Bern
