# Leads: add, move with and without an action, win, lose, convert.

$ leadgate sources add ImmoScout24

$ leadgate sources add Homegate

$ leadgate contacts add --first-name Anna --last-name Muster --email anna@example.ch
1

$ leadgate contacts add --first-name Sara --last-name Lang --phone "079 222 33 44"
2

$ leadgate contacts add --first-name Nora --last-name Nowhere
3

$ leadgate leads add --contact 1 --source immoscout24 --object OBJ-1001 --portal ImmoScout24 --portal-ref IS24-777 --message "Ist die Wohnung noch frei?"
1

$ leadgate leads add --contact 2 --source Homegate --pipeline rental --custom budget=2500
2

$ leadgate leads add --contact 3 --source Homegate
! leadgate: leads add: contact 3 has neither an e-mail address nor a phone number: an inquiry needs one
? 65

$ leadgate leads add --contact 1 --source Newspaper
! leadgate: leads add: unknown source 'Newspaper' (see `leadgate sources list`)
? 65

$ leadgate leads add --contact 1 --source Homegate --phase 42
! leadgate: leads add: pipeline sale has no phase 42
? 65

$ leadgate leads add --contact 1 --source Homegate --pipeline boats
! leadgate: leads add: unknown pipeline 'boats'
? 65

$ leadgate leads add --source Homegate
! usage: leadgate [-c CONFIG] leads add --contact ID --source NAME [--pipeline P] [--phase PHASE] [--object REF] [--portal-object REF] [--portal NAME] [--portal-ref ID] [--message TEXT] [--custom KEY=VALUE]... [--json]
? 64

$ leadgate leads list
ID  CONTACT  PIPELINE  PHASE            STATUS  SOURCE       OBJECT    CREATED
1   1        sale      2 Demande reçue  open    ImmoScout24  OBJ-1001  2026-03-04T10:00:00Z
2   2        rental    2 Demande reçue  open    Homegate               2026-03-04T10:00:00Z

$ leadgate leads move 1 3 --action "Réponse à la demande"

$ leadgate leads move 1 "1. Visite du bien" --remark "Termin am Samstag"

$ leadgate leads move 1 6 --action Refus
! leadgate: leads move: action 'Refus' does not lead to phase 6 (2ème visite du bien); its action is 'Visite du bien'
? 65

$ leadgate leads move 1 6 --action "Visite du bien" --remark both
! leadgate: leads move: give --action or --remark, not both
? 64

$ leadgate leads move 1 "Gibt es nicht"
! leadgate: leads move: pipeline sale has no phase named 'Gibt es nicht'
? 65

$ leadgate leads move 1 5
! leadgate: leads move: lead 1 is already in phase 5 (1. Visite du bien)
? 65

$ leadgate leads show 1
lead 1 (contact 1)
  pipeline: sale
  phase: 5 1. Visite du bien
  status: open
  source: ImmoScout24
  object: OBJ-1001
  portal: ImmoScout24
  portal inquiry: IS24-777
  connector: manual
  created: 2026-03-04T10:00:00Z
  message:
    Ist die Wohnung noch frei?
history:
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2]: added by hand
  2026-03-04T10:00:00Z  Réponse à la demande [2 -> 3]
  2026-03-04T10:00:00Z  move [3 -> 5]: moved by hand from 3 (Demande répondue) to 5 (1. Visite du bien): Termin am Samstag

$ leadgate contacts show 1
contact 1: Anna Muster
  type: person
  kind: lead
  first name: Anna
  last name: Muster
  e-mail: anna@example.ch
  prospect: current
  client: none
  created: 2026-03-04T10:00:00Z
leads:
ID  PIPELINE  PHASE                STATUS  SOURCE       OBJECT    CREATED
1   sale      5 1. Visite du bien  open    ImmoScout24  OBJ-1001  2026-03-04T10:00:00Z
history:
  2026-03-04T10:00:00Z  created
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2] (lead 1): added by hand
  2026-03-04T10:00:00Z  status: prospect none -> current
  2026-03-04T10:00:00Z  Réponse à la demande [2 -> 3] (lead 1)
  2026-03-04T10:00:00Z  move [3 -> 5] (lead 1): moved by hand from 3 (Demande répondue) to 5 (1. Visite du bien): Termin am Samstag

$ leadgate leads win 2
! leadgate: leads win: a won lead makes contact 2 a client, which needs: e-mail
? 65

$ leadgate leads lose 2 --remark "found another flat"

$ leadgate contacts show 2
contact 2: Sara Lang
  type: person
  kind: lead
  first name: Sara
  last name: Lang
  phone: 079 222 33 44 (+41792223344)
  prospect: lost
  client: none
  created: 2026-03-04T10:00:00Z
leads:
ID  PIPELINE  PHASE          STATUS  SOURCE    OBJECT  CREATED
2   rental    10 Annulation  lost    Homegate          2026-03-04T10:00:00Z
history:
  2026-03-04T10:00:00Z  created
  2026-03-04T10:00:00Z  Demande reçue [0 -> 2] (lead 2): added by hand
  2026-03-04T10:00:00Z  status: prospect none -> current
  2026-03-04T10:00:00Z  Refus [2 -> 10] (lead 2): found another flat
  2026-03-04T10:00:00Z  status: prospect current -> lost

$ leadgate leads convert 2 --to contact,deal
! leadgate: leads convert: lead 2 cannot be converted: the contact needs e-mail; the deal needs an object reference
? 65

$ leadgate contacts update 2 --email sara@lang.example

$ leadgate leads convert 2 --to contact
contact 2

$ leadgate leads convert 2 --to spaceship
! leadgate: leads convert: cannot convert to 'spaceship' (contact, company or deal)
? 64

$ leadgate leads win 1

$ leadgate contacts list
ID  KIND    NAME          COMPANY  E-MAIL             PHONE         PROSPECT  CLIENT
1   client  Anna Muster            anna@example.ch                  none      current
2   client  Sara Lang              sara@lang.example  +41792223344  lost      none
3   lead    Nora Nowhere                                            none      none

$ leadgate leads show 1 --json
{
  "id": 1,
  "contact_id": 1,
  "pipeline": "sale",
  "phase_no": 13,
  "phase": "Signature du contrat",
  "status": "won",
  "source": "ImmoScout24",
  "object_ref": "OBJ-1001",
  "portal_object_ref": null,
  "portal": "ImmoScout24",
  "portal_ref": "IS24-777",
  "connector": "manual",
  "message": "Ist die Wohnung noch frei?",
  "custom": {},
  "created_at": "2026-03-04T10:00:00Z",
  "updated_at": "2026-03-04T10:00:00Z",
  "closed_at": "2026-03-04T10:00:00Z",
  "history": [
    {
      "id": 4,
      "at": "2026-03-04T10:00:00Z",
      "lead_id": 1,
      "contact_id": 1,
      "action": "Demande reçue",
      "phase_before": null,
      "phase_after": 2,
      "remark": "added by hand"
    },
    {
      "id": 8,
      "at": "2026-03-04T10:00:00Z",
      "lead_id": 1,
      "contact_id": 1,
      "action": "Réponse à la demande",
      "phase_before": 2,
      "phase_after": 3,
      "remark": null
    },
    {
      "id": 9,
      "at": "2026-03-04T10:00:00Z",
      "lead_id": 1,
      "contact_id": 1,
      "action": "move",
      "phase_before": 3,
      "phase_after": 5,
      "remark": "moved by hand from 3 (Demande répondue) to 5 (1. Visite du bien): Termin am Samstag"
    },
    {
      "id": 13,
      "at": "2026-03-04T10:00:00Z",
      "lead_id": 1,
      "contact_id": 1,
      "action": "Certification notariale",
      "phase_before": 5,
      "phase_after": 13,
      "remark": null
    }
  ],
  "deals": [],
  "mails": []
}
