# rules test: the rule that matched, what was extracted, the deduplication
# decision and the actions that would run; nothing changes.

$ leadgate rules test $TOP/tests/data/parse/immoscout24/plain-utf8.eml
rule: portal notifications ($TOP/etc/rules.conf:54)
key: mid:20240312081401.7f3c2a91@immobilienscout24.de
extracted: {
  "extractor": "immoscout24",
  "portal": "ImmoScout24",
  "salutation": "Herr",
  "first_name": "Maximilian",
  "last_name": "Müller-Lüdenscheidt",
  "company": null,
  "email": "max.mueller@example.de",
  "phones": [
    "+49 30 12345678",
    "0171 2345678"
  ],
  "street": "Kastanienallee 12",
  "postcode": "10435",
  "city": "Berlin",
  "country": "DE",
  "language": "de",
  "message": "Guten Tag,\n\nich interessiere mich sehr für die Wohnung und würde sie gerne\nbesichtigen. Passt Ihnen Donnerstag nach 17 Uhr?",
  "object_ref": "PB-2024-017",
  "portal_object_ref": "148392751",
  "portal_ref": "7f3c2a91-5d4e-4b8a-9c1f-2e6d8a0b4c55",
  "forwarded_by": null,
  "custom": {
    "object_title": "Helle 3-Zimmer-Wohnung mit Balkon in Prenzlauer Berg",
    "move_in": "ab sofort",
    "household": "2",
    "pets": "Nein",
    "listing_url": "https://www.immobilienscout24.de/expose/148392751"
  }
}
outcome: new lead
deduplication: new contact 1
actions:
  create a lead in pipeline sale, phase Demande reçue
  tag portal
  reply with template inquiry-reply, then move to phase Demande répondue: would reply with inquiry-reply to max.mueller@example.de

$ leadgate rules test $TOP/tests/data/parse/openimmo/attached.eml --json
{
  "outcome": "new lead",
  "key": "mid:oi.1@immobilienscout24.de",
  "rule": "OpenImmo-Feedback",
  "inquiry": {
    "extractor": "openimmo",
    "portal": "ImmoScout24",
    "salutation": "Herr",
    "first_name": "Henrik",
    "last_name": "Jørgensen",
    "company": null,
    "email": "h.joergensen@example.de",
    "phones": [
      "040 5556677",
      "+49 172 1112233"
    ],
    "street": "Eppendorfer Weg 7",
    "postcode": "20259",
    "city": "Hamburg",
    "country": "DE",
    "language": "de",
    "message": "Guten Tag, ich möchte die Wohnung gerne besichtigen & hätte Fragen zur Kaution.",
    "object_ref": "HH-OTT-41",
    "portal_object_ref": "153004412",
    "portal_ref": "IS24-INT-99887766",
    "forwarded_by": null,
    "custom": {
      "preferred_contact": "EMAIL",
      "request_type": "BESICHTIGUNG",
      "title": "Dr.",
      "portal_unique_id": "153004412",
      "expose_url": "https://www.immobilienscout24.de/expose/153004412",
      "provider_id": "556021",
      "object_title": "Altbauwohnung mit Stuck in Ottensen",
      "marketing_type": "MIETE_PACHT",
      "floor": "2",
      "unit": "5",
      "price": "1450",
      "object_address": "Bahrenfelder Str. 80, Hamburg"
    }
  },
  "decision": "new contact 1",
  "reason": null,
  "autoreply": "would reply with inquiry-reply to h.joergensen@example.de",
  "reply": false,
  "actions": {
    "pipeline": "sale",
    "phase": "Demande reçue",
    "autoreply": "inquiry-reply"
  }
}

$ leadgate rules test $TOP/tests/data/parse/seloger/html-windows1252.eml | grep -v '^    '
rule: portal notifications ($TOP/etc/rules.conf:54)
key: mid:sl.html.2@seloger.com
extracted: {
  "extractor": "seloger",
  "portal": "SeLoger",
  "salutation": null,
  "first_name": "Marie",
  "last_name": "Dubois-Laurent",
  "company": null,
  "email": "marie.dubois@example.fr",
  "phones": [
  ],
  "street": null,
  "postcode": null,
  "city": null,
  "country": "FR",
  "language": "fr",
  "message": "Bonjour, la maison est-elle toujours disponible ? Nous aimerions la visiter samedi.",
  "object_ref": "NTS-M5-88",
  "portal_object_ref": "219876540",
  "portal_ref": null,
  "forwarded_by": null,
  "custom": {
  }
}
outcome: new lead
deduplication: new contact 1
actions:
  create a lead in pipeline sale, phase Demande reçue
  tag portal
  reply with template inquiry-reply, then move to phase Demande répondue: would reply with inquiry-reply to marie.dubois@example.fr

$ leadgate leads list
ID  CONTACT  PIPELINE  PHASE  STATUS  SOURCE  OBJECT  CREATED

$ leadgate ingest $TOP/tests/data/parse/immoscout24/plain-utf8.eml | sed "s|$TOP/||"
tests/data/parse/immoscout24/plain-utf8.eml: new lead, lead 1, contact 1

$ leadgate rules test $TOP/tests/data/parse/immoscout24/plain-utf8.eml | tail -n 3
key: mid:20240312081401.7f3c2a91@immobilienscout24.de
outcome: duplicate
deduplication: already received (new contact 1)

$ leadgate rules test no-such.eml
! leadgate: rules test: no-such.eml: No such file or directory
? 66
