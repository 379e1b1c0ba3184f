#!/usr/bin/env python3
"""Generate the OpenImmo feeds of t_objects (deterministic; run it to
rewrite feed.xml, feed-full.xml and feed-delta.xml here).

feed.xml       50 objects, umfang VOLL: 30 to buy, 20 to rent, in
               Zurich, Winterthur, Bern, Basel and Lausanne.
feed-full.xml  the same full feed a week later: OBJ-1048..1050 are gone
               (sold elsewhere), OBJ-1001 costs less, OBJ-1002 is reserved.
feed-delta.xml umfang TEIL: OBJ-1045 with aktion DELETE, OBJ-1051 new,
               and one bad record (no vermarktungsart) on a known line.
"""
import random

CITIES = [("8001", "Zürich"), ("8004", "Zürich"), ("8400", "Winterthur"),
          ("3011", "Bern"), ("4051", "Basel"), ("1003", "Lausanne")]
STREETS = ["Bahnhofstrasse", "Seestrasse", "Kirchweg", "Lindenhof",
           "Rosenweg", "Marktgasse", "Bergstrasse", "Rue du Lac"]
TYPES = [("wohnung", 'wohnungtyp="ETAGE"'), ("haus", 'haustyp="EINFAMILIENHAUS"'),
         ("wohnung", 'wohnungtyp="DACHGESCHOSS"')]


def objects():
    rnd = random.Random(21)
    out = []
    for i in range(1, 51):
        sale = i <= 30
        plz, city = CITIES[(i - 1) % len(CITIES)]
        art, attr = TYPES[i % len(TYPES)]
        rooms = [2.5, 3.5, 4.5, 5.5][i % 4]
        area = int(rooms * 24 + rnd.randint(0, 20))
        price = (rnd.randint(60, 180) * 10000 if sale
                 else rnd.randint(15, 45) * 100)
        out.append(dict(no=1000 + i, sale=sale, plz=plz, city=city,
                        art=art, attr=attr, rooms=rooms, area=area,
                        price=price, state="OFFEN",
                        street="%s %d" % (STREETS[i % len(STREETS)], i)))
    # the objects the matching test knows by heart
    out[0].update(plz="8001", city="Zürich", art="wohnung",
                  attr='wohnungtyp="ETAGE"', rooms=4.5, area=118,
                  price=1250000)
    return out


def immobilie(o, aktion=None, bad=False):
    kind = ('' if bad else
            '<vermarktungsart KAUF="true" MIETE_PACHT="false"/>'
            if o["sale"] else
            '<vermarktungsart KAUF="false" MIETE_PACHT="true"/>')
    price = ("<kaufpreis>%d</kaufpreis>" % o["price"] if o["sale"] else
             "<kaltmiete>%d</kaltmiete><warmmiete>%d</warmmiete>"
             % (o["price"], o["price"] + 250))
    street, no = o["street"].rsplit(" ", 1)
    title = "%s %s-Zimmer-%s in %s" % (
        "Helle" if o["art"] == "wohnung" else "Schönes",
        str(o["rooms"]).replace(".", ","),
        "Wohnung" if o["art"] == "wohnung" else "Haus", o["city"])
    act = ('\n        <aktion aktionart="%s"/>' % aktion) if aktion else ""
    return """    <immobilie>
      <objektkategorie>
        <nutzungsart WOHNEN="true" GEWERBE="false"/>
        %s
        <objektart><%s %s/></objektart>
      </objektkategorie>
      <geo>
        <plz>%s</plz>
        <ort>%s</ort>
        <strasse>%s</strasse>
        <hausnummer>%s</hausnummer>
        <land iso_land="CHE"/>
      </geo>
      <preise>
        %s
        <waehrung iso_waehrung="CHF"/>
      </preise>
      <flaechen>
        <wohnflaeche>%d</wohnflaeche>
        <anzahl_zimmer>%s</anzahl_zimmer>
      </flaechen>
      <zustand_angaben>
        <verkaufstatus stand="%s"/>
      </zustand_angaben>
      <freitexte>
        <objekttitel>%s</objekttitel>
      </freitexte>
      <verwaltung_techn>
        <objektnr_intern>I-%d</objektnr_intern>
        <objektnr_extern>OBJ-%d</objektnr_extern>%s
        <openimmo_obid>OOB%014d</openimmo_obid>
        <stand_vom>2026-12-01</stand_vom>
      </verwaltung_techn>
    </immobilie>
""" % (kind, o["art"], o["attr"], o["plz"], o["city"], street, no, price,
       o["area"], o["rooms"], o["state"], title, o["no"], o["no"], act,
       o["no"])


def feed(objs, umfang, extra=""):
    body = "".join(immobilie(o) for o in objs) + extra
    return """<?xml version="1.0" encoding="UTF-8"?>
<openimmo>
  <uebertragung art="OFFLINE" umfang="%s" modus="CHANGE" version="1.2.7"
      sendersoftware="leadgate-tests" senderversion="1"/>
  <anbieter>
    <anbieternr>MUSTER-01</anbieternr>
    <firma>Immobilien Muster AG</firma>
    <openimmo_anid>MUSTERAG01</openimmo_anid>
%s  </anbieter>
</openimmo>
""" % (umfang, body)


def main():
    objs = objects()
    with open("feed.xml", "w") as f:
        f.write(feed(objs, "VOLL"))
    week = [dict(o) for o in objs[:47]]
    week[0]["price"] = 1190000
    week[1]["state"] = "RESERVIERT"
    with open("feed-full.xml", "w") as f:
        f.write(feed(week, "VOLL"))
    new = dict(objs[4], no=1051, price=990000)
    gone = dict(objs[44])
    bad = dict(objs[5], no=1052)
    extra = immobilie(gone, aktion="DELETE") + immobilie(bad, bad=True)
    with open("feed-delta.xml", "w") as f:
        f.write(feed([new], "TEIL", extra))


main()
