#!/usr/bin/env python3
"""Field-level score of `leadgate parse --json` against golden files.

usage: score_extract.py LEADGATE DIR [--verbose]

Runs `LEADGATE parse --json FILE` on every DIR/**/*.eml and compares the
output with the golden FILE.json beside it, field by field (`extractor` and
`custom` are ignored; a field missing from the golden file is taken as
null). Values are normalised before comparing:

  every string     surrounding whitespace stripped; "" counts as null
  message          internal whitespace runs (newlines too) collapsed to one
                   space
  email            case-insensitive
  portal           case-insensitive (a display name)
  phones           a list; each number compared without spaces, dots,
                   dashes, slashes and parentheses, in any order; [] is null

A field counts towards its total when the golden value or the output is
not null (a field that both leave null is not counted, so that empty
output cannot score); it is right when both normalise to the same value.
A "wrong prospect address" is an email in the output that differs from the
golden one or that is there when the golden one is null: the autoreply
would go to someone else (a portal relay, the agency itself, an agent).
A mail that leadgate refuses or that does not give JSON counts with every
field null.

Prints right/total per field, the overall percentage, the wrong prospect
addresses, and with --verbose every miss as `FILE: field: got X want Y`.
Exits 0 whenever it measured: it is a measurement, not a test. Python 3
standard library only.
"""

import json
import os
import re
import subprocess
import sys

FIELDS = ["portal", "salutation", "first_name", "last_name", "company",
          "email", "phones", "street", "postcode", "city", "language",
          "message", "object_ref", "portal_object_ref", "portal_ref"]
PHONE_DROP = re.compile(r"[\s.\-/()\u00a0]")


def norm(field, v):
    if v is None:
        return None
    if field == "phones":
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            return json.dumps(v, sort_keys=True)
        out = sorted(PHONE_DROP.sub("", str(p)) for p in v if p is not None)
        out = [p for p in out if p]
        return out or None
    if not isinstance(v, str):
        return json.dumps(v, sort_keys=True)
    v = v.strip()
    if not v:
        return None
    if field == "message":
        v = re.sub(r"\s+", " ", v)
    elif field in ("email", "portal"):
        v = v.lower()
    return v


def show(v):
    return json.dumps(v, ensure_ascii=False)


def find_mails(top):
    out = []
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".eml"):
                out.append(os.path.join(d, f))
    return out


def run(leadgate, path):
    """The parsed JSON object, or None with a reason."""
    try:
        p = subprocess.run([leadgate, "parse", "--json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, "exit %d%s" % (p.returncode,
                                    (": " + err[-1]) if err else "")
    try:
        out = json.loads(p.stdout.decode("utf-8", "replace"))
    except ValueError as e:
        return None, "no JSON: %s" % e
    if not isinstance(out, dict):
        return None, "JSON is not an object"
    return out, None


def main(argv):
    args = [a for a in argv[1:] if a != "--verbose"]
    verbose = len(args) != len(argv) - 1
    if len(args) != 2 or any(a.startswith("-") and a != "-" for a in args):
        sys.stderr.write("usage: score_extract.py LEADGATE DIR [--verbose]\n")
        return 2
    leadgate, top = args
    if os.sep not in leadgate and os.path.exists(leadgate):
        leadgate = os.path.join(".", leadgate)
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    both_null = 0
    wrong_addr = []
    failed = []
    mails = 0
    misses = []
    for path in find_mails(top):
        gold_path = path[:-4] + ".json"
        rel = os.path.relpath(path, top)
        if not os.path.exists(gold_path):
            sys.stderr.write("%s: no golden file, skipped\n" % rel)
            continue
        try:
            with open(gold_path, encoding="utf-8") as f:
                gold = json.load(f)
        except ValueError as e:
            sys.stderr.write("%s: bad golden file: %s, skipped\n"
                             % (rel, e))
            continue
        mails += 1
        got, why = run(leadgate, path)
        if got is None:
            failed.append((rel, why))
            got = {}
        for field in FIELDS:
            g = norm(field, got.get(field))
            w = norm(field, gold.get(field))
            if g is None and w is None:
                both_null += 1
                continue
            total[field] += 1
            if g == w:
                right[field] += 1
            else:
                misses.append((rel, field, got.get(field), gold.get(field)))
        ge = norm("email", got.get("email"))
        we = norm("email", gold.get("email"))
        if ge is not None and ge != we:
            wrong_addr.append((rel, got.get("email"), gold.get("email")))

    if verbose:
        for rel, why in failed:
            print("%s: parse failed: %s" % (rel, why))
        for rel, field, g, w in misses:
            print("%s: %s: got %s want %s" % (rel, field, show(g), show(w)))
        if failed or misses:
            print()

    print("%-18s %9s" % ("field", "right/total"))
    for field in FIELDS:
        t = total[field]
        print("%-18s %5d/%-5d %6s" % (field, right[field], t,
                                      "%.1f%%" % (100.0 * right[field] / t)
                                      if t else "-"))
    r, t = sum(right.values()), sum(total.values())
    print("overall: %d/%d fields right (%.1f%%) in %d mails"
          % (r, t, 100.0 * r / t if t else 0.0, mails))
    print("  (fields null in both the output and the golden file are not "
          "counted: %d; with them %d/%d, %.1f%%)"
          % (both_null, r + both_null, t + both_null,
             100.0 * (r + both_null) / (t + both_null)
             if t + both_null else 0.0))
    print("wrong prospect address: %d of %d mails" % (len(wrong_addr), mails))
    if verbose:
        for rel, g, w in wrong_addr:
            print("  %s: got %s want %s" % (rel, show(g), show(w)))
    if failed:
        print("parse failures: %d (counted with every field null)"
              % len(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
