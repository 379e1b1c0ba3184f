# The editable list of sources.

$ leadgate sources list
SOURCE  LEADS

$ leadgate sources add ImmoScout24

$ leadgate sources add Homegate

$ leadgate sources add immoscout24
! leadgate: sources add: source 'immoscout24' already exists
? 65

$ leadgate sources add ""
! leadgate: sources add: a source name is 1 to 100 printable characters
? 64

$ leadgate sources rename Homegate "Homegate.ch"

$ leadgate sources rename Nowhere Elsewhere
! leadgate: sources rename: unknown source 'Nowhere'
? 66

$ leadgate sources rename ImmoScout24 Homegate.ch
! leadgate: sources rename: source 'Homegate.ch' already exists
? 65

$ leadgate contacts add --first-name Anna --last-name Muster --email anna@example.ch
1

$ leadgate leads add --contact 1 --source homegate.ch
1

$ leadgate sources remove Homegate.ch
! leadgate: sources remove: source 'Homegate.ch' is used by 1 lead; rename it instead
? 65

$ leadgate sources remove ImmoScout24

$ leadgate sources remove ImmoScout24
! leadgate: sources remove: unknown source 'ImmoScout24'
? 66

$ leadgate sources list
SOURCE       LEADS
Homegate.ch      1

$ leadgate sources list --json
[
  {
    "name": "Homegate.ch",
    "leads": 1,
    "created_at": "2026-03-04T10:00:00Z"
  }
]
