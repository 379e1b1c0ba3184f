#!/usr/bin/env python3
"""Check the mail portal profiles and the lexicon without the C loader.

    scripts/check-profiles.py [-v] [--portals DIR] [--lexicon DIR]

Reads etc/portals/mail/*.conf and etc/lexicon/*.conf (the formats of
leadgate-portals(5)) with a strict reader for the part of libconfig they
use, and checks that every key is a documented one with a value of the
right type, that ids match file names, that every regular expression is
POSIX ERE (no \\d, \\w, lookarounds, lazy quantifiers) and compiles, and
that no label text names two fields in one place. Mistakes are printed as
FILE:LINE: reason and make the exit status 1; a summary follows (profiles
by kind and country, languages, labels per field and language).
-v also lists the label texts that mean different fields in different
languages (allowed: the mail's language decides).

Python 3 standard library only.
"""

import argparse
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------
# A strict reader for the libconfig subset: settings (name = value; or
# name : value;), groups { }, arrays [ ] of scalars of one type, lists ( ),
# strings (adjacent ones joined), integers, floats, booleans; # // /* */
# comments. Each value keeps the line it starts on.
# ---------------------------------------------------------------------------


class ConfError(Exception):
    def __init__(self, line, msg):
        Exception.__init__(self, msg)
        self.line = line
        self.msg = msg


class Val:
    """A value with its line: kind is str, int, float, bool, group,
    array or list; v the Python value (dict of name -> Val for a group,
    list of Val for arrays and lists)."""

    __slots__ = ("kind", "v", "line")

    def __init__(self, kind, v, line):
        self.kind = kind
        self.v = v
        self.line = line


NAME_RE = re.compile(r"[A-Za-z*][-A-Za-z0-9_*]*")
ESCAPES = {"\\": "\\", '"': '"', "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class Reader:
    def __init__(self, text):
        self.s = text
        self.i = 0
        self.line = 1

    def error(self, msg, line=None):
        raise ConfError(line if line is not None else self.line, msg)

    def skip(self):
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c == "\n":
                self.line += 1
                self.i += 1
            elif c in " \t\r\f":
                self.i += 1
            elif c == "#" or s.startswith("//", self.i):
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                if end < 0:
                    self.error("unterminated /* comment")
                self.line += s.count("\n", self.i, end)
                self.i = end + 2
            else:
                return

    def peek(self):
        self.skip()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, c):
        if self.peek() != c:
            got = self.peek() or "end of file"
            self.error("expected '%s', found '%s'" % (c, got))
        self.i += 1

    def settings(self, closer):
        out = {}
        while True:
            c = self.peek()
            if c == closer or (closer == "" and c == ""):
                return out
            if c == "":
                self.error("missing '%s'" % closer)
            if c == "@":
                self.error("@include is not used in these files")
            m = NAME_RE.match(self.s, self.i)
            if not m:
                self.error("expected a setting name, found '%s'" % c)
            name, line = m.group(0), self.line
            self.i = m.end()
            if self.peek() not in "=:":
                self.error("expected '=' after '%s'" % name)
            self.i += 1
            val = self.value()
            if name in out:
                self.error("duplicate setting name '%s'" % name, line)
            out[name] = (line, val)
            if self.peek() in ";,":
                self.i += 1
            elif self.peek() not in (closer, ""):
                self.error("missing ';' after '%s'" % name)

    def value(self):
        c = self.peek()
        line = self.line
        if c == "{":
            self.i += 1
            g = self.settings("}")
            self.expect("}")
            return Val("group", g, line)
        if c in "[(":
            closer = "]" if c == "[" else ")"
            self.i += 1
            items = []
            if self.peek() != closer:
                while True:
                    if self.peek() in (",", closer):
                        self.error("empty element (a trailing or doubled ',')")
                    items.append(self.value())
                    if self.peek() == ",":
                        self.i += 1
                        continue
                    break
            self.expect(closer)
            if c == "[":
                kinds = {v.kind for v in items}
                if kinds & {"group", "array", "list"}:
                    self.error("an array [ ] holds scalars only", line)
                if len(kinds) > 1:
                    self.error("an array [ ] holds values of one type", line)
                return Val("array", items, line)
            return Val("list", items, line)
        if c == '"':
            parts = []
            while self.peek() == '"':
                parts.append(self.string())
            return Val("str", "".join(parts), line)
        m = re.compile(r"(?i:true|false)\b|[-+]?(0x[0-9a-fA-F]+|[0-9]+\.[0-9]*([eE][-+]?[0-9]+)?|[0-9]+)L{0,2}").match(self.s, self.i)
        if m:
            self.i = m.end()
            t = m.group(0)
            if t.lower() in ("true", "false"):
                return Val("bool", t.lower() == "true", line)
            if "." in t:
                return Val("float", float(t), line)
            return Val("int", int(t.rstrip("L"), 0), line)
        self.error("expected a value, found '%s'" % (c or "end of file"))

    def string(self):
        s = self.s
        self.i += 1
        out = bytearray()
        while True:
            if self.i >= len(s):
                self.error("unterminated string")
            c = s[self.i]
            if c == '"':
                self.i += 1
                try:
                    return out.decode("utf-8")
                except UnicodeDecodeError:
                    self.error("\\x escapes that are not UTF-8")
            if c == "\n":
                self.error("newline in a string")
            if c == "\\":
                e = s[self.i + 1:self.i + 2]
                if e in ESCAPES:
                    out += ESCAPES[e].encode()
                    self.i += 2
                elif e == "x" and re.match(r"[0-9a-fA-F]{2}", s[self.i + 2:self.i + 4]):
                    out.append(int(s[self.i + 2:self.i + 4], 16))
                    self.i += 4
                else:
                    self.error("unknown escape '\\%s' in a string (write \\\\ for a backslash)" % e)
                continue
            out += c.encode("utf-8")
            self.i += 1


def read_conf(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ConfError(line, "not UTF-8")
    if "\t" in text:
        pass  # tabs are fine in libconfig
    r = Reader(text)
    top = r.settings("")
    return top


# ---------------------------------------------------------------------------
# The formats (leadgate-portals(5)).
# ---------------------------------------------------------------------------

FIELDS = [
    "salutation", "first_name", "last_name", "name", "company", "email",
    "phone", "street", "postcode", "city", "postcode_city", "address",
    "language", "message", "object_ref", "portal_object_ref", "portal_ref",
]

LEXICON_LISTS = [
    "salutations", "titles", "particles", "greetings", "closings", "footers",
    "quote_headers", "forward_markers", "forward_subjects", "stopwords",
    "empty_values", "via_words", "machine_senders", "header_from",
    "header_reply_to", "header_subject", "header_date", "header_to",
    "header_cc", "form_words", "own_words", "listing_words",
    "mailbox_domains", "company_forms", "name_intros", "reply_subjects",
    "name_verbs",
]
LEXICON_KEYS = set(["language", "labels", "custom", "language_names",
                    "salutation_forms"] + LEXICON_LISTS)

LANGS = ["de", "fr", "it", "es", "pt", "nl", "en", "pl", "cs", "sv", "da",
         "nb", "fi"]

PROFILE_KEYS = {"name", "display", "kind", "country", "languages", "match",
                "relays", "labels", "custom", "references", "message",
                "footers"}
MATCH_KEYS = {"domains", "headers", "subjects", "markers"}
KINDS = {"real-estate", "cars", "form", "classifieds"}
REF_KEYS = {"%s_%s" % (f, w) for f in ("object_ref", "portal_object_ref",
                                         "portal_ref")
            for w in ("subject", "url", "body")}
MESSAGE_KEYS = {"start", "end"}
CUSTOM_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ID_RE = re.compile(r"^[a-z0-9_-]+$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
HEADER_RE = re.compile(r"^[A-Za-z0-9-]+: \S")

ISO3166 = set("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV
CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD
GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK
LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS
ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY
UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

ISO639 = set("""
aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu
gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj
kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn
mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg
th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())


def fold(text):
    """How labels compare: without case (not folding "ß" to "ss": the
    loader does not either), runs of spaces as one."""
    t = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"\s+", " ", t).strip()


# POSIX ERE, checked by translating to Python's re.
POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "digit": "0-9",
    "lower": "a-z", "upper": "A-Z", "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t", "punct": "!-/:-@\\[-`{-~", "xdigit": "0-9A-Fa-f",
    "cntrl": "\\x00-\\x1f\\x7f", "print": " -~", "graph": "!-~",
}


def posix_problem(rx):
    """A reason when rx uses syntax POSIX ERE lacks, else None."""
    i = 0
    in_bracket = False
    while i < len(rx):
        c = rx[i]
        if in_bracket:
            if rx.startswith("[:", i):
                end = rx.find(":]", i + 2)
                if end < 0 or rx[i + 2:end] not in POSIX_CLASSES:
                    return "unknown character class at '%s'" % rx[i:i + 12]
                i = end + 2
                continue
            if rx.startswith("[=", i) or rx.startswith("[.", i):
                return "collating elements are not used"
            if c == "\\":
                return "a backslash inside [ ] is a literal backslash in POSIX, not an escape"
            if c == "]" and not rx[i - 1] == "[" and not rx[i - 2:i] == "[^":
                in_bracket = False
            i += 1
            continue
        if c == "\\":
            e = rx[i + 1:i + 2]
            if e == "" :
                return "a trailing backslash"
            if e.isalnum():
                return "'\\%s' is not POSIX ERE (use [0-9], [[:alnum:]], [[:space:]]...)" % e
            i += 2
            continue
        if c == "[":
            in_bracket = True
            i += 1
            if rx[i:i + 1] == "^":
                i += 1
            if rx[i:i + 1] == "]":
                i += 1
            continue
        if c == "(" and rx[i + 1:i + 2] == "?":
            return "'(?' groups (lookarounds, non-capturing, flags) are not POSIX ERE"
        if c in "*+?}" and rx[i + 1:i + 2] == "?":
            return "lazy quantifiers ('%s?') are not POSIX ERE" % c
        if c in "*+?" and rx[i + 1:i + 2] == "+":
            return "possessive quantifiers are not POSIX ERE"
        i += 1
    if in_bracket:
        return "unterminated [ ]"
    return None


def first_group_optional(rx):
    """Whether the first ( ) group of rx is followed by ?, * or {0."""
    i, depth, start, in_bracket = 0, 0, None, False
    while i < len(rx):
        c = rx[i]
        if in_bracket:
            if c == "]":
                in_bracket = False
            i += 1
            continue
        if c == "\\":
            i += 2
            continue
        if c == "[":
            in_bracket = True
            i += 1
            if rx[i:i + 1] == "^":
                i += 1
            if rx[i:i + 1] == "]":
                i += 1
            while rx.startswith("[:", i):
                i = rx.find(":]", i) + 2
            continue
        if c == "(":
            if start is None:
                start = depth
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == start:
                return rx[i + 1:i + 2] in ("?", "*") or rx.startswith("{0", i + 1)
        i += 1
    return False


def posix_to_python(rx):
    out = []
    i = 0
    while i < len(rx):
        if rx.startswith("[:", i):
            end = rx.find(":]", i + 2)
            out.append(POSIX_CLASSES[rx[i + 2:end]])
            i = end + 2
            continue
        out.append(rx[i])
        i += 1
    return "".join(out)


def glob_ok(p):
    return "**" not in p and p.strip() == p and p != ""


# ---------------------------------------------------------------------------


class Checker:
    def __init__(self, verbose):
        self.errors = []
        self.warnings = []
        self.verbose = verbose

    def err(self, path, line, msg):
        self.errors.append("%s:%d: %s" % (os.path.relpath(path, TOP), line, msg))

    def warn(self, path, line, msg):
        self.warnings.append("%s:%d: %s" % (os.path.relpath(path, TOP), line, msg))

    def strings(self, path, name, line, val, allow_empty_list=True):
        """The strings of an array value, or [] after reporting."""
        if val.kind != "array":
            self.err(path, line, "%s: a list of strings [ \"...\", ... ] is wanted" % name)
            return []
        out = []
        seen = {}
        for v in val.v:
            if v.kind != "str":
                self.err(path, v.line, "%s: strings only" % name)
                continue
            s = v.v
            if s == "" or s != s.strip():
                self.err(path, v.line, "%s: '%s' is empty or has spaces at an end" % (name, s))
                continue
            if "\n" in s or "\t" in s:
                self.err(path, v.line, "%s: '%s' holds a newline or tab" % (name, s))
            k = fold(s)
            if k in seen:
                self.err(path, v.line, "%s: '%s' twice (line %d)" % (name, s, seen[k]))
                continue
            seen[k] = v.line
            out.append((s, v.line))
        if not out and not allow_empty_list:
            self.err(path, line, "%s: empty" % name)
        return out

    def label_block(self, path, owner, line, val, table, custom):
        """labels = { field = [...]; } or custom = { key = [...]; }: fills
        table[(field or 'custom:key')] = [(text, line)]."""
        if val.kind != "group":
            self.err(path, line, "%s: a group { ... } is wanted" % owner)
            return
        for key, (kline, kval) in sorted(val.v.items()):
            if custom:
                if not CUSTOM_KEY_RE.match(key):
                    self.err(path, kline, "custom key '%s': lower case letters, digits, _" % key)
                    continue
                field = "custom:" + key
            else:
                if key not in FIELDS:
                    self.err(path, kline, "labels: unknown field '%s' (one of %s)" % (key, ", ".join(FIELDS)))
                    continue
                field = key
            for s, sline in self.strings(path, "%s.%s" % (owner, key), kline, kval):
                if s.endswith(":") or s.endswith("\uff1a"):
                    self.err(path, sline, "label '%s': write it without its colon" % s)
                if s.endswith("*"):
                    self.err(path, sline, "label '%s': a trailing '*' (required mark) is ignored anyway; leave it out" % s)
                table[field].append((s, sline))

    def no_double_meaning(self, path, table):
        where = {}
        for field, items in table.items():
            for s, line in items:
                k = fold(s)
                if k in where and where[k][0] != field:
                    self.err(path, line, "label '%s' means %s here and %s on line %d" % (
                        s, field, where[k][0], where[k][1]))
                else:
                    where[k] = (field, line)
        return where

    # -- lexicon ----------------------------------------------------------

    def lexicon(self, path):
        lang = os.path.basename(path)[:-5]
        try:
            top = read_conf(path)
        except ConfError as e:
            self.err(path, e.line, e.msg)
            return None
        lex = {"lang": lang, "labels": defaultdict(list), "lists": {}, "path": path}
        for key, (line, val) in top.items():
            if key not in LEXICON_KEYS:
                self.err(path, line, "unknown key '%s'" % key)
        if "language" not in top:
            self.err(path, 1, "language is missing")
        else:
            line, val = top["language"]
            want = "" if lang == "common" else lang
            if val.kind != "str" or val.v != want:
                self.err(path, line, "language must be \"%s\" (the file name)" % want)
        if lang != "common" and lang not in ISO639:
            self.err(path, 1, "'%s' is no ISO 639-1 code" % lang)
        if "labels" in top:
            line, val = top["labels"]
            self.label_block(path, "labels", line, val, lex["labels"], False)
        if "custom" in top:
            line, val = top["custom"]
            self.label_block(path, "custom", line, val, lex["labels"], True)
        lex["where"] = self.no_double_meaning(path, lex["labels"])
        for key in LEXICON_LISTS:
            if key in top:
                line, val = top[key]
                lex["lists"][key] = self.strings(path, key, line, val)
        for s, line in lex["lists"].get("quote_headers", []):
            if len(s.replace("*", "").strip(" -:")) < 4:
                self.warn(path, line, "quote header '%s' matches almost any line" % s)
        for s, line in lex["lists"].get("machine_senders", []):
            if not re.match(r"^[*a-z0-9]+$", s):
                self.err(path, line, "machine sender '%s': lower case letters and digits (and *) only" % s)
        if "language_names" in top:
            line, val = top["language_names"]
            if val.kind != "group":
                self.err(path, line, "language_names: a group { de = [...]; } is wanted")
            else:
                for code, (cline, cval) in val.v.items():
                    if code not in ISO639:
                        self.err(path, cline, "language_names: '%s' is no ISO 639-1 code" % code)
                    self.strings(path, "language_names." + code, cline, cval)
        if "salutation_forms" in top:
            line, val = top["salutation_forms"]
            if val.kind != "list":
                self.err(path, line, "salutation_forms: a list ( [\"Herr\", \"Herrn\"], ... ) is wanted")
            else:
                sal = {fold(s) for s, _ in lex["lists"].get("salutations", [])}
                for form in val.v:
                    got = self.strings(path, "salutation_forms", form.line, form, False)
                    if got and fold(got[0][0]) not in sal:
                        self.err(path, form.line, "salutation_forms: '%s' is not in salutations" % got[0][0])
        return lex

    # -- profiles ---------------------------------------------------------

    def profile(self, path, lexicons):
        stem = os.path.basename(path)[:-5]
        try:
            top = read_conf(path)
        except ConfError as e:
            self.err(path, e.line, e.msg)
            return None
        p = {"path": path, "name": stem, "labels": defaultdict(list)}
        for key, (line, val) in top.items():
            if key not in PROFILE_KEYS:
                self.err(path, line, "unknown key '%s'" % key)

        def scalar(key, required=True):
            if key not in top:
                if required:
                    self.err(path, 1, "%s is missing" % key)
                return None, 1
            line, val = top[key]
            if val.kind != "str":
                self.err(path, line, "%s: a string is wanted" % key)
                return None, line
            return val.v, line

        name, line = scalar("name")
        if name is not None:
            if not ID_RE.match(name):
                self.err(path, line, "name '%s': [a-z0-9_-] only" % name)
            if name != stem:
                self.err(path, line, "name '%s' is not the file name '%s'" % (name, stem))
        display, line = scalar("display")
        if display is not None and display.strip() == "":
            self.err(path, line, "display is empty")
        p["display"] = display
        kind, line = scalar("kind")
        if kind is not None and kind not in KINDS:
            self.err(path, line, "kind '%s': one of %s" % (kind, ", ".join(sorted(KINDS))))
        p["kind"] = kind
        country, line = scalar("country")
        if country is not None and country != "" and country not in ISO3166:
            self.err(path, line, "country '%s' is no ISO 3166 alpha-2 code (upper case)" % country)
        p["country"] = country
        p["languages"] = []
        if "languages" not in top:
            self.err(path, 1, "languages is missing")
        else:
            line, val = top["languages"]
            langs = self.strings(path, "languages", line, val, False)
            for s, sline in langs:
                if s not in ISO639:
                    self.err(path, sline, "language '%s' is no ISO 639-1 code" % s)
                elif s not in lexicons:
                    self.err(path, sline, "language '%s' has no etc/lexicon/%s.conf" % (s, s))
            p["languages"] = [s for s, _ in langs]

        p["domains"] = []
        p["markers"] = []
        if "match" not in top:
            self.err(path, 1, "match is missing")
        else:
            line, val = top["match"]
            if val.kind != "group":
                self.err(path, line, "match: a group { ... } is wanted")
            else:
                n = 0
                for key, (kline, kval) in val.v.items():
                    if key not in MATCH_KEYS:
                        self.err(path, kline, "match: unknown key '%s'" % key)
                        continue
                    items = self.strings(path, "match." + key, kline, kval)
                    n += len(items)
                    for s, sline in items:
                        if key == "domains":
                            if not DOMAIN_RE.match(s):
                                self.err(path, sline, "domain '%s': a lower-case host name, no '*' or '@' (subdomains are included)" % s)
                            p["domains"].append((s, sline))
                        elif key == "headers":
                            if not HEADER_RE.match(s):
                                self.err(path, sline, "header '%s': \"Name: pattern\"" % s)
                        elif key == "subjects":
                            if not glob_ok(s) or s.strip("*") == "":
                                self.err(path, sline, "subject pattern '%s' is empty or matches anything" % s)
                        elif key == "markers":
                            if len(s) < 6:
                                self.err(path, sline, "marker '%s' is too short to be distinctive" % s)
                            p["markers"].append((s, sline))
                if n == 0:
                    self.err(path, line, "match: no domains, headers, subjects or markers")
                if kind == "form" and "domains" in val.v and self.verbose:
                    self.warn(path, line, "a form profile with domains (a hosted form service)")
        if "relays" in top:
            line, val = top["relays"]
            for s, sline in self.strings(path, "relays", line, val):
                if "@" not in s or s.count("@") != 1 or not glob_ok(s) or s != s.lower():
                    self.err(path, sline, "relay '%s': a lower-case address pattern with one '@' ('*' = any text)" % s)
        if "labels" in top:
            line, val = top["labels"]
            self.label_block(path, "labels", line, val, p["labels"], False)
        if "custom" in top:
            line, val = top["custom"]
            self.label_block(path, "custom", line, val, p["labels"], True)
        self.no_double_meaning(path, p["labels"])
        if "references" in top:
            line, val = top["references"]
            if val.kind != "group":
                self.err(path, line, "references: a group { ... } is wanted")
            else:
                for key, (kline, kval) in val.v.items():
                    if key not in REF_KEYS:
                        self.err(path, kline, "references: unknown key '%s' (one of %s)" % (key, ", ".join(sorted(REF_KEYS))))
                        continue
                    for rx, rline in self.strings(path, "references." + key, kline, kval):
                        self.regex(path, rline, rx)
        if "message" in top:
            line, val = top["message"]
            if val.kind != "group":
                self.err(path, line, "message: a group { start = [...]; end = [...]; } is wanted")
            else:
                for key, (kline, kval) in val.v.items():
                    if key not in MESSAGE_KEYS:
                        self.err(path, kline, "message: unknown key '%s' (start, end)" % key)
                        continue
                    self.strings(path, "message." + key, kline, kval)
        if "footers" in top:
            line, val = top["footers"]
            self.strings(path, "footers", line, val)
        return p

    def regex(self, path, line, rx):
        why = posix_problem(rx)
        if why:
            self.err(path, line, "regex '%s': %s" % (rx, why))
            return
        try:
            c = re.compile(posix_to_python(rx))
        except re.error as e:
            self.err(path, line, "regex '%s' does not compile: %s" % (rx, e))
            return
        if c.groups < 1:
            self.err(path, line, "regex '%s' has no group: group 1 is the value" % rx)
        elif first_group_optional(rx):
            self.err(path, line, "regex '%s': group 1 is optional; the value must be group 1" % rx)
        if c.search(""):
            self.err(path, line, "regex '%s' matches the empty text" % rx)


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    fmt = "  ".join("%%%s%ds" % ("-" if i == 0 else "", w) for i, w in enumerate(widths))
    out = [fmt % tuple(header)]
    out += [fmt % tuple(r) for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--portals", default=os.path.join(TOP, "etc", "portals", "mail"))
    ap.add_argument("--lexicon", default=os.path.join(TOP, "etc", "lexicon"))
    args = ap.parse_args()
    ck = Checker(args.verbose)

    lexicons = {}
    for f in sorted(os.listdir(args.lexicon)):
        if f.endswith(".conf"):
            lex = ck.lexicon(os.path.join(args.lexicon, f))
            if lex is not None:
                lexicons[lex["lang"]] = lex
    for lang in LANGS + ["common"]:
        if lang not in lexicons:
            ck.err(os.path.join(args.lexicon, lang + ".conf"), 0, "missing")

    # A text in common.conf and in a language file is ambiguous.
    common = lexicons.get("common")
    if common:
        for lang, lex in sorted(lexicons.items()):
            if lang == "common":
                continue
            for k, (field, line) in lex["where"].items():
                if k in common["where"]:
                    ck.err(lex["path"], line, "label '%s' is in common.conf too (line %d): keep one" % (
                        k, common["where"][k][1]))
    # The same text meaning different fields in different languages.
    meanings = defaultdict(dict)
    for lang, lex in lexicons.items():
        for k, (field, line) in lex["where"].items():
            meanings[k][lang] = field
    clashes = {k: v for k, v in meanings.items() if len(set(v.values())) > 1}

    profiles = []
    for f in sorted(os.listdir(args.portals)):
        if f.endswith(".conf"):
            p = ck.profile(os.path.join(args.portals, f), lexicons)
            if p is not None:
                profiles.append(p)
        elif not f.startswith("."):
            ck.err(os.path.join(args.portals, f), 0, "not a .conf file")
    seen_domains = {}
    for p in profiles:
        for d, line in p["domains"]:
            if d in seen_domains:
                ck.err(p["path"], line, "domain '%s' is %s's too" % (d, seen_domains[d]))
            seen_domains[d] = p["name"]
    seen_markers = {}
    for p in profiles:
        for m, line in p["markers"]:
            k = fold(m)
            if k in seen_markers and seen_markers[k] != p["name"]:
                ck.warn(p["path"], line, "marker '%s' is %s's too" % (m, seen_markers[k]))
            seen_markers[k] = p["name"]

    for w in ck.warnings:
        print("warning: " + w, file=sys.stderr)
    for e in ck.errors:
        print(e, file=sys.stderr)

    # Summary.
    print("profiles: %d" % len(profiles))
    kinds = Counter(p["kind"] for p in profiles)
    print("  by kind: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items(), key=lambda kv: str(kv[0]))))
    countries = Counter(p["country"] or "intl" for p in profiles)
    print("  by country: " + ", ".join("%s %d" % kv for kv in sorted(countries.items(), key=lambda kv: str(kv[0]))))
    by = defaultdict(list)
    for p in profiles:
        by[(p["country"] or "intl", p["kind"])].append(p["name"])
    for (c, k), names in sorted(by.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        print("    %-4s %-11s %s" % (c, k, " ".join(sorted(names))))
    plangs = Counter(l for p in profiles for l in p["languages"])
    print("  languages: " + ", ".join("%s %d" % kv for kv in sorted(plangs.items())))
    plabels = sum(len(v) for p in profiles for v in p["labels"].values())
    print("  profile labels: %d" % plabels)

    order = [l for l in ["common"] + LANGS if l in lexicons]
    rows = []
    for field in FIELDS:
        rows.append([field] + [len(lexicons[l]["labels"].get(field, [])) for l in order])
    custom = [sum(len(v) for k, v in lexicons[l]["labels"].items() if k.startswith("custom:")) for l in order]
    rows.append(["custom:*"] + custom)
    total = [sum(len(v) for v in lexicons[l]["labels"].values()) for l in order]
    rows.append(["total"] + total)
    for key in ["salutations", "titles", "particles", "greetings", "closings",
                "footers", "quote_headers", "forward_markers", "stopwords"]:
        rows.append([key] + [len(lexicons[l]["lists"].get(key, [])) for l in order])
    print("lexicon: %d labels in %d files" % (sum(total), len(order)))
    print(table(rows, ["field"] + order))
    if clashes:
        print("label texts meaning different fields by language: %d" % len(clashes))
        if args.verbose:
            for k, v in sorted(clashes.items()):
                print("  %-28s %s" % (k, ", ".join("%s=%s" % kv for kv in sorted(v.items()))))
    print("%d errors, %d warnings" % (len(ck.errors), len(ck.warnings)))
    return 1 if ck.errors else 0


if __name__ == "__main__":
    sys.exit(main())
