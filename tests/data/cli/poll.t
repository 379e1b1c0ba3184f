# poll --dry-run: per message its From and Subject (RFC 2047-decoded), the
# rule that matched and what ingest would do; nothing is stored or moved.
$ cp -r "$TOP/etc/sample/Maildir" md && mkdir -p md/cur md/tmp && echo 'connectors = ( { name = "local"; type = "maildir"; path = "md"; } );' >> leadgate.conf

# Without a store there is nothing to decide against: it says so.
$ leadgate poll --connector local --dry-run 2>/dev/null | sed -n 4p
  would: (no store yet to decide against: leadgate db migrate makes one)

$ leadgate db migrate >/dev/null && leadgate poll --connector local --dry-run 2>err | grep --no-group-separator -A4 -e demo1.sample -e demo11 -e news.sample -e anon.sample | sed "s|$PWD/||; s|$TOP/||"
message md/new/1700000001.demo1.sample: 1691 bytes
  from: ImmoScout24 <noreply@immobilienscout24.de>
  subject: Neue Kontaktanfrage für Ihr Objekt PB-2024-017
  rule: portal notifications (etc/rules.conf:54)
  would: new lead; new contact 1
message md/new/1700000011.demo11.sample: 661 bytes
  from: François Girard <f.girard@example.fr>
  subject: Demande d'informations
  rule: direct e-mail (etc/rules.conf:62)
  would: new lead; new contact 1
message md/new/1700000100.news.sample: 392 bytes
  from: Immo-Newsletter <news@immo-newsletter.example>
  subject: Die neusten Angebote der Woche
  rule: not an inquiry (etc/rules.conf:19)
  would: ignored by rule not an inquiry (etc/rules.conf:19)
message md/new/1700000101.anon.sample: 296 bytes
  from: Kontaktformular <noreply@muster-immo.example>
  subject: Anfrage ohne Kontaktdaten
  rule: direct e-mail (etc/rules.conf:62)
  would: quarantine: the inquiry has neither an e-mail address nor a phone number of the prospect; not the prospect's: noreply@muster-immo.example (a machine sender)

# Nothing changed: no contact, no lead, every mail still in new/.
$ leadgate contacts list; leadgate leads list --format csv | wc -l; ls md/new | wc -l; ls md/cur | wc -l
ID  KIND  NAME  COMPANY  E-MAIL  PHONE  PROSPECT  CLIENT
1
13
0

# --json: one object per message, a stream of JSON lines (as parse --json
# with several files): each line can be read as soon as it is polled.
$ leadgate poll --connector local --dry-run --json 2>/dev/null | sed -n 10p | sed "s|$PWD/||"
{"bytes":716,"from":"Anna Muster <anna.muster@example.de>","message":"md/new/1700000010.demo10.sample","outcome":"new lead","rule":"direct e-mail","subject":"Frage zur Wohnung in der Lindenstraße","would":"new lead; new contact 1"}

# A broken rule file fails the dry run as it fails ingest: 75, so that
# nothing looks fine that the daemon would refuse.
$ printf 'rules = ( { name = "x"; action = "explode"; } );\n' > broken-rules.conf && sed 's|^rules = .*|rules = "broken-rules.conf";|' leadgate.conf > broken.conf

$ leadgate -c broken.conf poll --connector local --dry-run >/dev/null 2>&1; echo "poll $?"; leadgate -c broken.conf ingest md/new/1700000010.demo10.sample >/dev/null 2>&1; echo "ingest $?"
poll 75
ingest 75

# Logs: each "new lead" line names the message (its Message-ID; by IMAP
# also its folder and UID) and the rule that made it.
$ leadgate -v poll --connector local 2>&1 >/dev/null | grep '\[local\]' | sed -n '1p;$p'
leadgate: info ingest: [local] mid:20240312081401.7f3c2a91@immobilienscout24.de: new lead (contact 1, lead 1, rule portal notifications)
leadgate: warn ingest: [local] mid:form-4711@muster-immo.example quarantined as 1 by rule direct e-mail ($TOP/etc/rules.conf:62): the inquiry has neither an e-mail address nor a phone number of the prospect; not the prospect's: noreply@muster-immo.example (a machine sender)
