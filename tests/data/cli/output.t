# One output option everywhere: --format table|json|csv (--json is
# --format json), --limit N and --sort FIELD[,-FIELD] on the lists.
$ leadgate sources add Homegate && leadgate sources add Zillow && leadgate sources add ImmoScout24

$ for n in Anna:Muster Bert:Zed Cleo:Alp; do leadgate contacts add --first-name ${n%:*} --last-name ${n#*:} --email ${n%:*}@example.ch; done
1
2
3

$ LEADGATE_NOW=2026-03-01T10:00:00Z leadgate leads add --contact 1 --source Homegate && LEADGATE_NOW=2026-03-02T10:00:00Z leadgate leads add --contact 2 --source Zillow --phase 3 && LEADGATE_NOW=2026-03-03T10:00:00Z leadgate leads add --contact 3 --source Homegate
1
2
3

$ leadgate sources list --sort -leads,source
SOURCE       LEADS
Homegate         2
Zillow           1
ImmoScout24      0

# CSV is RFC 4180: CRLF line ends, quoted where needed.
$ leadgate sources list --format csv | sed 's/\r$/<CR>/'
SOURCE,LEADS<CR>
Homegate,2<CR>
ImmoScout24,0<CR>
Zillow,1<CR>

# --json is the shorthand of --format json; the same array of objects.
$ leadgate sources list --json --sort leads --limit 1 | grep '"name"'
    "name": "ImmoScout24",
$ leadgate sources list --format=json --sort=leads --limit=1 | grep '"name"'
    "name": "ImmoScout24",

# A field is a column (any case) or a JSON key, or a unique prefix of one;
# numbers sort as numbers ("10 Won" after "3 Offer"), -FIELD descending.
$ leadgate leads list --sort -phase,id --format csv | tr -d '\r'
ID,CONTACT,PIPELINE,PHASE,STATUS,SOURCE,OBJECT,CREATED
2,2,sale,3 Demande répondue,open,Zillow,,2026-03-02T10:00:00Z
1,1,sale,2 Demande reçue,open,Homegate,,2026-03-01T10:00:00Z
3,3,sale,2 Demande reçue,open,Homegate,,2026-03-03T10:00:00Z

$ leadgate leads list --json --sort -created_at --limit 2 | grep '"id"'
    "id": 3,
    "id": 2,

$ leadgate contacts list --sort -e-mail --limit 2 | cut -c1-14
ID  KIND  NAME
3   lead  Cleo
2   lead  Bert

$ leadgate leads list --sort foo
! leadgate: leads list: --sort: no field 'foo' (one of: ID, CONTACT, PIPELINE, PHASE, STATUS, SOURCE, OBJECT, CREATED)
? 64

$ leadgate leads list --limit 0
! leadgate: leads list: --limit takes a positive number, not '0'
? 64

$ leadgate leads list --format yaml
! leadgate: leads list: --format takes table, json or csv, not 'yaml'
? 64

# A command printing one thing takes --format json|table (its --json).
$ leadgate contacts show 1 --format json | grep '"first_name"'
  "first_name": "Anna",

$ leadgate contacts show 1 --format csv
! leadgate: contacts show: --format takes table or json, not 'csv'
? 64

# A command without output options leaves them to its own parser.
$ leadgate sources add Foo --limit 3
! usage: leadgate [-c CONFIG] sources add NAME
? 64

# A reader that stops early (head) ends leadgate quietly, as SIGPIPE
# ends head's other writers: no "write error", status 141 (128 + 13).
$ big=$(head -c 100000 /dev/zero | tr '\0' x); for i in 1 2 3 4 5 6 7 8 9 10; do leadgate leads add --contact 1 --source Zillow --custom note=$big >/dev/null; done

$ { leadgate leads list --json; echo "status $?" >&2; } | head -n 1
[
! status 141

# Other write errors are still errors.
$ leadgate sources list >/dev/full
! leadgate: sources list: write error on standard output
? 74
