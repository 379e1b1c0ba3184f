#!/usr/bin/env python3
"""Give every contact of a leadgate store a search profile (stdlib only).

    fill_profiles.py STORE [--seed N]

STORE has contacts already (bench/lib/fill_contacts.py). Each contact
gets one profile, written as `contacts profile add` writes it: a kind
(80 % sale), for most a type, a price ceiling, a rooms range, for some an
area floor, and either postcodes (some a prefix like 80*) or cities of
the six the OpenImmo test feed uses; and the same search as custom
fields (search_rooms, search_price_max, search_city) so that a plain
filter can ask the same question of the same contacts. Bound parameters,
one transaction. Prints how many profiles there are.
"""
import argparse
import json
import random
import sqlite3

CITIES = ["Zürich", "Winterthur", "Bern", "Basel", "Lausanne", "Luzern"]
POSTCODES = ["8001", "8004", "8400", "3011", "4051", "1003", "80*", "30*"]
TYPES = [None, "apartment", "apartment", "house"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--seed", type=int, default=21)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    db = sqlite3.connect(a.store)
    ids = [r[0] for r in db.execute("SELECT id FROM contacts ORDER BY id")]
    rows, customs = [], []
    for cid in ids:
        sale = rnd.random() < 0.8
        lo = rnd.choice([1, 2, 3, 4, 5])
        price = (rnd.randint(40, 200) * 10000 if sale
                 else rnd.randint(10, 50) * 100)
        area = rnd.choice([None, None, 60, 80, 100, 120])
        if rnd.random() < 0.5:
            pcs, cities = ",".join(rnd.sample(POSTCODES, 2)), None
        else:
            pcs, cities = None, ",".join(rnd.sample(CITIES, 2))
        rows.append((cid, "sale" if sale else "rent", rnd.choice(TYPES),
                     price, lo, lo + 1.5, area, pcs, cities))
        customs.append((json.dumps({
            "search_rooms": str(lo), "search_price_max": str(price),
            "search_city": (cities or "").split(",")[0]}), cid))
    with db:
        db.executemany(
            "INSERT INTO search_profiles (contact_id, kind, type, price_max,"
            " rooms_min, rooms_max, area_min, postcodes, cities, origin,"
            " created_at) VALUES (?,?,?,?,?,?,?,?,?,'manual',"
            " '2026-12-07T12:00:00Z')", rows)
        db.executemany("UPDATE contacts SET custom = ? WHERE id = ?", customs)
    print(db.execute("SELECT count(*) FROM search_profiles").fetchone()[0],
          "profiles")


main()
