# The loop breaker: more than ingest.loop_max inquiries from one sender
# within ingest.loop_window go to quarantine. A message over the size limit
# is quarantined too, never loaded whole.

%file small.conf
store = { path = "leadgate.db"; };
pipelines = "$TOP/etc/pipelines.conf";
rules = "$TOP/etc/rules.conf";
templates = "$TOP/etc/templates";
ingest = { loop_max = 3; loop_window = 3600; max_message_size = 2048; };
%end

%file gen.sh
i=0
while [ $i -lt 5 ]; do
  i=$((i + 1))
  printf 'From: Bot <bot@example.ch>\nSubject: Anfrage %s\nMessage-ID: <bot-%s@example.ch>\n\nObjekt OBJ-%s bitte.\n' $i $i $i > bot-$i.eml
done
head -c 4000 /dev/zero | tr '\0' 'x' > big.txt
printf 'From: Big <big@example.ch>\nSubject: big\nMessage-ID: <big@example.ch>\n\n' | cat - big.txt > big.eml
%end

$ sed -i "s|\$TOP|$TOP|" small.conf && sh gen.sh

$ leadgate -c small.conf ingest bot-1.eml bot-2.eml bot-3.eml bot-4.eml bot-5.eml
bot-1.eml: new lead, lead 1, contact 1
bot-2.eml: new lead, lead 2, contact 1
bot-3.eml: new lead, lead 3, contact 1
bot-4.eml: quarantined, quarantine 1: loop breaker: more than 3 inquiries from bot@example.ch within 60 minutes
bot-5.eml: quarantined, quarantine 2: loop breaker: more than 3 inquiries from bot@example.ch within 60 minutes
! leadgate: warn ingest: [stdin] mid:bot-4@example.ch quarantined as 1 by loop breaker: loop breaker: more than 3 inquiries from bot@example.ch within 60 minutes
! leadgate: warn ingest: [stdin] mid:bot-5@example.ch quarantined as 2 by loop breaker: loop breaker: more than 3 inquiries from bot@example.ch within 60 minutes

$ leadgate -c small.conf ingest big.eml
big.eml: quarantined, quarantine 3: the message is larger than ingest.max_message_size; only its beginning was fetched
! leadgate: warn ingest: [stdin] mid:big@example.ch quarantined as 3 by connector: the message is larger than ingest.max_message_size; only its beginning was fetched

$ leadgate -c small.conf quarantine list
ID  AT                    CONNECTOR  STATE  SIZE  REASON
1   2026-03-04T10:00:00Z  stdin      held   98    loop breaker: more than 3 inquiries from bot@example.ch wit…
2   2026-03-04T10:00:00Z  stdin      held   98    loop breaker: more than 3 inquiries from bot@example.ch wit…
3   2026-03-04T10:00:00Z  stdin      held   2049  the message is larger than ingest.max_message_size; only it…
