# Reports by phase and by source, in every format; and filters.

%file seed.sh
set -e
for s in ImmoScout24 Homegate SeLoger Showroom; do leadgate sources add "$s"; done
leadgate contacts add --first-name Anna --last-name Muster --email anna@example.ch --city Zürich --language de >/dev/null
leadgate contacts add --first-name Max --last-name Keller --email max@example.ch --city Zürich --language de >/dev/null
leadgate contacts add --first-name Jean --last-name Dupont --email jean@exemple.fr --city Lausanne --language fr >/dev/null
leadgate contacts add --first-name Eva --last-name Brunner --email eva@example.ch --city Bern --language de >/dev/null
leadgate leads add --contact 1 --source ImmoScout24 --object OBJ-1 >/dev/null
leadgate leads add --contact 2 --source Homegate --object OBJ-1 >/dev/null
leadgate leads add --contact 3 --source SeLoger --object OBJ-2 >/dev/null
leadgate leads add --contact 4 --source ImmoScout24 --object OBJ-3 --pipeline rental >/dev/null
leadgate leads move 2 3 --action "Réponse à la demande"
leadgate leads move 3 5 --action "Visite du bien"
leadgate leads win 3
%end

$ sh seed.sh

$ leadgate report --by phase --pipeline sale
PIPELINE  NO  PHASE                             OPEN  WON  LOST  TOTAL
sale       1  Contacté via matching                0    0     0      0
sale       2  Demande reçue                        1    0     0      1
sale       3  Demande répondue                     1    0     0      1
sale       4  Envoi de documentation               0    0     0      0
sale       5  1. Visite du bien                    0    0     0      0
sale       6  2ème visite du bien                  0    0     0      0
sale       7  Négociation de vente                 0    0     0      0
sale       8  Réservation                          0    0     0      0
sale       9  Confirmation d'achat                 0    0     0      0
sale      10  Preuve de financement                0    0     0      0
sale      11  Préparation du contrat / ébauche     0    0     0      0
sale      12  Registre foncier / Notaire           0    0     0      0
sale      13  Signature du contrat                 0    1     0      1
sale      14  Annulation                           0    0     0      0

$ leadgate report --by phase --format csv
PIPELINE,NO,PHASE,OPEN,WON,LOST,TOTAL
sale,1,Contacté via matching,0,0,0,0
sale,2,Demande reçue,1,0,0,1
sale,3,Demande répondue,1,0,0,1
sale,4,Envoi de documentation,0,0,0,0
sale,5,1. Visite du bien,0,0,0,0
sale,6,2ème visite du bien,0,0,0,0
sale,7,Négociation de vente,0,0,0,0
sale,8,Réservation,0,0,0,0
sale,9,Confirmation d'achat,0,0,0,0
sale,10,Preuve de financement,0,0,0,0
sale,11,Préparation du contrat / ébauche,0,0,0,0
sale,12,Registre foncier / Notaire,0,0,0,0
sale,13,Signature du contrat,0,1,0,1
sale,14,Annulation,0,0,0,0
rental,1,Contacté via matching,0,0,0,0
rental,2,Demande reçue,1,0,0,1
rental,3,Demande répondue,0,0,0,0
rental,4,Envoi du dossier de location,0,0,0,0
rental,5,Visite du bien,0,0,0,0
rental,6,Dossier de candidature reçu,0,0,0,0
rental,7,Vérification de solvabilité,0,0,0,0
rental,8,Réservation,0,0,0,0
rental,9,Bail signé,0,0,0,0
rental,10,Annulation,0,0,0,0

$ leadgate report --by source
SOURCE       OPEN  WON  LOST  TOTAL
Homegate        1    0     0      1
ImmoScout24     2    0     0      2
SeLoger         0    1     0      1
Showroom        0    0     0      0

$ leadgate report --by source --pipeline rental --format json
[
  {
    "source": "Homegate",
    "open": 0,
    "won": 0,
    "lost": 0,
    "total": 0
  },
  {
    "source": "ImmoScout24",
    "open": 1,
    "won": 0,
    "lost": 0,
    "total": 1
  },
  {
    "source": "SeLoger",
    "open": 0,
    "won": 0,
    "lost": 0,
    "total": 0
  },
  {
    "source": "Showroom",
    "open": 0,
    "won": 0,
    "lost": 0,
    "total": 0
  }
]

$ leadgate report --by stars
! leadgate: report: --by takes phase, source or object, not 'stars'
? 64

$ leadgate report --by phase --pipeline boats
! leadgate: report: unknown pipeline 'boats'
? 65

$ leadgate report --by phase --format xml
! leadgate: report: --format takes table, json, csv or html, not 'xml'
? 64

$ leadgate report
! usage: leadgate [-c CONFIG] report --by phase|source|object [--pipeline NAME] [--format table|json|csv] [--limit N] [--sort FIELD[,-FIELD]] | --format html [--pipeline NAME] [--since DATE] [--until DATE]
? 64

# Filters: the same language for contacts and leads.
$ leadgate leads list --filter 'phase = "Demande reçue" and source = ImmoScout24'
ID  CONTACT  PIPELINE  PHASE            STATUS  SOURCE       OBJECT  CREATED
1   1        sale      2 Demande reçue  open    ImmoScout24  OBJ-1   2026-03-04T10:00:00Z
4   4        rental    2 Demande reçue  open    ImmoScout24  OBJ-3   2026-03-04T10:00:00Z

$ leadgate leads list --filter 'source in (Homegate, SeLoger) or pipeline = rental'
ID  CONTACT  PIPELINE  PHASE                    STATUS  SOURCE       OBJECT  CREATED
2   2        sale      3 Demande répondue       open    Homegate     OBJ-1   2026-03-04T10:00:00Z
3   3        sale      13 Signature du contrat  won     SeLoger      OBJ-2   2026-03-04T10:00:00Z
4   4        rental    2 Demande reçue          open    ImmoScout24  OBJ-3   2026-03-04T10:00:00Z

$ leadgate contacts list --filter 'client_state = current'
ID  KIND    NAME         COMPANY  E-MAIL           PHONE  PROSPECT  CLIENT
3   client  Jean Dupont           jean@exemple.fr         none      current

$ leadgate contacts list --filter 'city = "Zürich" and not phase > 2'
ID  KIND  NAME         COMPANY  E-MAIL           PHONE  PROSPECT  CLIENT
1   lead  Anna Muster           anna@example.ch         current   none

$ leadgate leads list --filter 'created_at > -1d and status = open'
ID  CONTACT  PIPELINE  PHASE               STATUS  SOURCE       OBJECT  CREATED
1   1        sale      2 Demande reçue     open    ImmoScout24  OBJ-1   2026-03-04T10:00:00Z
2   2        sale      3 Demande répondue  open    Homegate     OBJ-1   2026-03-04T10:00:00Z
4   4        rental    2 Demande reçue     open    ImmoScout24  OBJ-3   2026-03-04T10:00:00Z

$ leadgate leads list --filter 'phaze = 2'
! leadgate: leads list: filter:1:1: unknown field 'phaze'
? 64

$ leadgate leads list --filter 'phase = "Demande reçue" and source ='
! leadgate: leads list: filter:1:37: expected a value after the operator
? 64

$ leadgate leads list --filter 'status = pending'
! leadgate: leads list: filter:1:10: 'pending' is not one of open|won|lost
? 64

$ leadgate contacts list --filter '(city = Bern'
! leadgate: contacts list: filter:1:1: missing ')'
? 64

$ leadgate pipelines
PIPELINE  NO  PHASE                             ACTION                           STATUS
sale       1  Contacté via matching             Écrire aux contacts du matching  open
sale      2*  Demande reçue                     Demande reçue                    open
sale       3  Demande répondue                  Réponse à la demande             open
sale       4  Envoi de documentation            Envoi de documentation           open
sale       5  1. Visite du bien                 Visite du bien                   open
sale       6  2ème visite du bien               Visite du bien                   open
sale       7  Négociation de vente              Action manuelle                  open
sale       8  Réservation                       Réservation                      open
sale       9  Confirmation d'achat              Confirmation d'achat             open
sale      10  Preuve de financement             Action manuelle                  open
sale      11  Préparation du contrat / ébauche  Action manuelle                  open
sale      12  Registre foncier / Notaire        Action manuelle                  open
sale      13  Signature du contrat              Certification notariale          won
sale      14  Annulation                        Refus                            lost
rental     1  Contacté via matching             Écrire aux contacts du matching  open
rental    2*  Demande reçue                     Demande reçue                    open
rental     3  Demande répondue                  Réponse à la demande             open
rental     4  Envoi du dossier de location      Envoi de documentation           open
rental     5  Visite du bien                    Visite du bien                   open
rental     6  Dossier de candidature reçu       Réception du dossier             open
rental     7  Vérification de solvabilité       Action manuelle                  open
rental     8  Réservation                       Réservation                      open
rental     9  Bail signé                        Signature du bail                won
rental    10  Annulation                        Refus                            lost
(* the phase a new inquiry starts in)
