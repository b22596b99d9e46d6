#!/usr/bin/env python3
"""Static checker for palmares rubric files (SPEC.md §1.1-1.2 and §2).

Usage:  python3 criteria/check_rubric.py RUBRIC.json...

Reports every problem of every file at once, as
    FILE:LINE:COL: error: message          (malformed JSON)
    FILE: error: categories[2].criteria[3].points: message
    FILE: warning: ...
Exit status: 0 when no file has an error (warnings allowed), 1 when some file
has an error, 2 on a usage error or an unreadable file.

This is a second, independent reading of the contract, in Python 3 with the
standard library only, so that the rubrics shipped in criteria/ can be checked
without building the engine. It is not the engine: when the two disagree, the
spec decides and one of them has a bug.

What it checks:
- JSON well-formed (line and column), no duplicate keys in an object;
- unknown fields are errors, except keys beginning with "x-" (at any level of
  the rubric's own objects; option and language maps hold ids, not fields);
- format, id regex, integer edition, texts (string or language -> string);
- category and criterion ids ([a-z0-9][a-z0-9-]*), unique across categories
  and criteria together;
- points > 0 with at most two decimals (read from the JSON text exactly);
- kinds and the fields each kind takes: steps (thresholds strictly
  increasing, fractions non-decreasing in [0, 1]), options (fractions in
  [0, 1], ids distinct ignoring case, no "|"), scale (min < max), info
  without points;
- allow_na, evidence, applies; not_applicable on categories;
- jury section (aggregate, min_marks, disagreement, calibrate,
  calibrate_min); levels (names, min_percent in [0, 100] non-decreasing,
  requires); mentions (ids, names, when, min_level in 1..N);
- rules: valid JsonLogic (known operators, argument counts), and every `var`
  (and `missing`/`missing_some` path) at the root scope refers to data that
  exists: answers.<criterion>, criteria.<criterion>.fraction|points|max|
  applicable, categories.<category>.points|max|percent, total.points|max|
  percent, town.<attr>, level (mention rules only), history.<edition>;
  `applies` rules may use only town and answers.
Warnings point at things that are legal but probably unintended (a criterion
that can never reach full points, a jury section without jury criteria, a
var on a jury criterion's answer, which is always null, ...).
"""

import json
import re
import sys
from decimal import Decimal

FORMAT = "palmares-rubric/1"
RUBRIC_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANG_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
KINDS = ("yes-no", "number", "percent", "choice", "multi", "jury", "info")
NA_WORDS = ("n/a", "na", "sans objet", "non concerne", "non concerné")

TOP_FIELDS = {"format", "id", "edition", "label", "description", "language",
              "categories", "jury", "levels", "mentions"}
CATEGORY_FIELDS = {"id", "title", "description", "not_applicable", "criteria"}
CRITERION_FIELDS = {"id", "title", "description", "kind", "points", "steps",
                    "options", "scale", "applies", "allow_na", "evidence"}
KIND_FIELDS = {  # kind-specific fields: required ones, then the others are refused
    "yes-no": {"points"},
    "number": {"points", "steps"},
    "percent": {"points"},
    "choice": {"points", "options"},
    "multi": {"points", "options"},
    "jury": {"points", "scale"},
    "info": set(),
}
SPECIFIC = {"points", "steps", "options", "scale"}
JURY_FIELDS = {"aggregate", "min_marks", "disagreement", "calibrate", "calibrate_min"}
LEVEL_FIELDS = {"name", "min_percent", "requires", "description"}
MENTION_FIELDS = {"id", "name", "description", "when", "min_level"}

CRITERION_RESULT = ("fraction", "points", "max", "applicable")
CATEGORY_RESULT = ("points", "max", "percent")

# JsonLogic operators (jsonlogic.com, classic set) -> (min args, max args or None).
OPERATORS = {
    "var": (0, 2), "missing": (0, None), "missing_some": (2, 2),
    "if": (0, None), "?:": (0, None),
    "==": (2, 2), "===": (2, 2), "!=": (2, 2), "!==": (2, 2),
    "!": (1, 1), "!!": (1, 1), "or": (1, None), "and": (1, None),
    ">": (2, 2), ">=": (2, 2), "<": (2, 3), "<=": (2, 3),
    "max": (1, None), "min": (1, None),
    "+": (0, None), "-": (1, 2), "*": (1, None), "/": (2, 2), "%": (2, 2),
    "map": (2, 2), "filter": (2, 2), "reduce": (2, 3),
    "all": (2, 2), "none": (2, 2), "some": (2, 2),
    "merge": (0, None), "in": (2, 2), "cat": (0, None), "substr": (2, 3),
    "log": (1, 1),
}
# Operators whose second argument is evaluated once per array element, with the
# element (or {current, accumulator}) as data: a var there is not a rubric path.
SCOPED = {"map", "filter", "reduce", "all", "none", "some"}


class Report:
    def __init__(self, name):
        self.name = name
        self.errors = 0
        self.warnings = 0

    def error(self, where, msg):
        self.errors += 1
        print(f"{self.name}: error: {where + ': ' if where else ''}{msg}")

    def warning(self, where, msg):
        self.warnings += 1
        print(f"{self.name}: warning: {where + ': ' if where else ''}{msg}")


def load_json(path, rep):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        print(f"{path}: error: cannot read: {e.strerror}", file=sys.stderr)
        return None, True
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        rep.error("", f"not valid UTF-8 (byte {e.start})")
        return None, False
    dups = []

    def pairs(items):
        obj = {}
        for k, v in items:
            if k in obj:
                dups.append(k)
            obj[k] = v
        return obj

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_float=Decimal,
                         parse_constant=lambda c: rep.error("", f"{c} is not JSON") or None)
    except json.JSONDecodeError as e:
        rep.errors += 1
        print(f"{path}:{e.lineno}:{e.colno}: error: malformed JSON: {e.msg}")
        return None, False
    for k in dups:
        rep.error("", f'duplicate key "{k}" in an object (the last one would silently win)')
    return doc, False


def is_number(v):
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def show(v):
    if isinstance(v, Decimal):
        return str(v)
    try:
        s = json.dumps(v, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def kind_of(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if is_number(v):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object"


def article(word):
    return "an" if word[:1] in "aeiou" else "a"


def join(where, key):
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def check_fields(rep, where, obj, allowed):
    for k in obj:
        if k.startswith("x-"):
            continue
        if k not in allowed:
            close = sorted(allowed, key=lambda a: edit_distance(a, k))[0]
            hint = f' (did you mean "{close}"?)' if edit_distance(close, k) <= 3 else ""
            rep.error(where, f'unknown field "{k}"{hint}; organizers\' own notes go in keys beginning with "x-"')


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class Checker:
    def __init__(self, rep, doc):
        self.rep = rep
        self.doc = doc
        self.language = None
        self.criteria = {}    # id -> criterion object (valid objects only)
        self.categories = {}  # id -> category object
        self.places = {}      # id -> where first defined
        self.nlevels = 0
        self.edition = None

    # ---- texts ----
    def text(self, where, v, required=False):
        if v is None:
            if required:
                self.rep.error(where, "missing")
            return
        if isinstance(v, str):
            if not v.strip():
                self.rep.error(where, "expected a non-empty text, found an empty string")
            return
        if isinstance(v, dict):
            if not v:
                self.rep.error(where, "expected a text, found an empty object")
                return
            for lang, s in v.items():
                if not LANG_RE.match(lang):
                    self.rep.error(join(where, lang), f'"{lang}" is not a language code (e.g. "fr", "en")')
                if not isinstance(s, str) or not s.strip():
                    self.rep.error(join(where, lang), f"expected a non-empty string, found {kind_of(s)}")
            if self.language and self.language not in v:
                self.rep.warning(where, f'no text in the default language "{self.language}"')
            return
        self.rep.error(where, f"expected a text (a string or an object of language -> string), found {kind_of(v)}")

    # ---- numbers ----
    def fraction(self, where, v):
        if not is_number(v):
            self.rep.error(where, f"expected a fraction in [0, 1], found {kind_of(v)} {show(v)}")
            return None
        if not (0 <= v <= 1):
            self.rep.error(where, f"expected a fraction in [0, 1], found {show(v)}")
            return None
        return v

    def points(self, where, v):
        if not is_number(v):
            self.rep.error(where, f"expected a number > 0, found {kind_of(v)} {show(v)}")
            return
        if v <= 0:
            self.rep.error(where, f"expected a number > 0, found {show(v)}")
            return
        d = Decimal(v)
        if d != d.quantize(Decimal("0.01")):
            self.rep.error(where, f"at most two decimals, found {show(v)}")

    # ---- whole rubric ----
    def run(self):
        rep, doc = self.rep, self.doc
        if not isinstance(doc, dict):
            rep.error("", f"expected a rubric (a JSON object), found {kind_of(doc)}")
            return
        check_fields(rep, "", doc, TOP_FIELDS)
        fmt = doc.get("format")
        if fmt is None:
            rep.error("format", 'missing (expected "palmares-rubric/1")')
        elif fmt != FORMAT:
            rep.error("format", f'expected "{FORMAT}", found {show(fmt)}')
        rid = doc.get("id")
        if rid is None:
            rep.error("id", "missing")
        elif not isinstance(rid, str) or not RUBRIC_ID_RE.match(rid):
            rep.error("id", f"expected an id matching [a-z0-9][a-z0-9._-]*, found {show(rid)}")
        ed = doc.get("edition")
        if ed is None:
            rep.error("edition", "missing")
        elif not is_int(ed):
            rep.error("edition", f"expected an integer year, found {kind_of(ed)} {show(ed)}")
        else:
            self.edition = ed
            if not 1900 <= ed <= 2200:
                rep.warning("edition", f"{ed} does not look like a year")
        lang = doc.get("language")
        if lang is None:
            rep.warning("language", "missing: texts given in several languages have no default")
        elif not isinstance(lang, str) or not LANG_RE.match(lang):
            rep.error("language", f"expected a language code, found {show(lang)}")
        else:
            self.language = lang
        self.text("label", doc.get("label"), required=True)
        self.text("description", doc.get("description"))

        cats = doc.get("categories")
        if cats is None:
            rep.error("categories", "missing")
            cats = []
        elif not isinstance(cats, list):
            rep.error("categories", f"expected an array, found {kind_of(cats)}")
            cats = []
        elif not cats:
            rep.error("categories", "a rubric needs at least one category")
        # First pass: structure and ids, so that rules can be checked against every id.
        for i, cat in enumerate(cats):
            self.category(f"categories[{i}]", cat)
        self.jury(doc)
        self.levels(doc.get("levels"))
        self.mentions(doc.get("mentions"))
        # Second pass: rules in criteria.
        for i, cat in enumerate(cats):
            if isinstance(cat, dict) and isinstance(cat.get("criteria"), list):
                for j, c in enumerate(cat["criteria"]):
                    if isinstance(c, dict) and "applies" in c:
                        self.rule(f"categories[{i}].criteria[{j}].applies", c["applies"], "applies",
                                  owner=c.get("id"))

    def new_id(self, where, v, what):
        if v is None:
            self.rep.error(join(where, "id"), "missing")
            return None
        if not isinstance(v, str) or not ID_RE.match(v):
            self.rep.error(join(where, "id"),
                           f"expected a {what} id matching [a-z0-9][a-z0-9-]* (no dots), found {show(v)}")
            return None
        if v in self.places:
            self.rep.error(join(where, "id"), f'duplicate id "{v}" (also {self.places[v]}); '
                           "categories and criteria share one namespace")
            return None
        self.places[v] = where
        return v

    def category(self, where, cat):
        rep = self.rep
        if not isinstance(cat, dict):
            rep.error(where, f"expected a category (an object), found {kind_of(cat)}")
            return
        check_fields(rep, where, cat, CATEGORY_FIELDS)
        cid = self.new_id(where, cat.get("id"), "category")
        if cid:
            self.categories[cid] = cat
        if "title" not in cat:
            rep.warning(where, "no title: reports will show the bare id")
        self.text(join(where, "title"), cat.get("title"))
        self.text(join(where, "description"), cat.get("description"))
        na = cat.get("not_applicable", "redistribute")
        if na not in ("redistribute", "exclude"):
            rep.error(join(where, "not_applicable"), f'expected "redistribute" or "exclude", found {show(na)}')
        crits = cat.get("criteria")
        if crits is None:
            rep.error(join(where, "criteria"), "missing")
            return
        if not isinstance(crits, list):
            rep.error(join(where, "criteria"), f"expected an array, found {kind_of(crits)}")
            return
        scored = 0
        for j, c in enumerate(crits):
            if self.criterion(f"{where}.criteria[{j}]", c):
                scored += 1
        if scored == 0:
            rep.warning(where, "no scored criterion: this category is never applicable")

    def criterion(self, where, c):
        """Checks one criterion; returns True when it is a scored (non-info) criterion."""
        rep = self.rep
        if not isinstance(c, dict):
            rep.error(where, f"expected a criterion (an object), found {kind_of(c)}")
            return False
        check_fields(rep, where, c, CRITERION_FIELDS)
        cid = self.new_id(where, c.get("id"), "criterion")
        kind = c.get("kind")
        if kind is None:
            rep.error(join(where, "kind"), "missing (" + ", ".join(KINDS) + ")")
            return False
        if kind not in KINDS:
            rep.error(join(where, "kind"), f"unknown kind {show(kind)} (" + ", ".join(KINDS) + ")")
            return False
        if cid:
            self.criteria[cid] = c
        if "title" not in c:
            rep.warning(where, "no title: reports and juror sheets will show the bare id")
        self.text(join(where, "title"), c.get("title"))
        self.text(join(where, "description"), c.get("description"))
        needed = KIND_FIELDS[kind]
        for f in SPECIFIC:
            if f in c and f not in needed:
                rep.error(join(where, f), f"{article(kind)} {kind} criterion has no {f}")
        for f in sorted(needed):
            if f not in c:
                rep.error(join(where, f), f"missing ({article(kind)} {kind} criterion needs {f})")
        if "points" in c and "points" in needed:
            self.points(join(where, "points"), c["points"])
        if kind == "number" and "steps" in c:
            self.steps(join(where, "steps"), c["steps"])
        if kind in ("choice", "multi") and "options" in c:
            self.options(join(where, "options"), c["options"], kind)
        if kind == "jury" and "scale" in c:
            self.scale(join(where, "scale"), c["scale"])
        if "allow_na" in c:
            if not isinstance(c["allow_na"], bool):
                rep.error(join(where, "allow_na"), f"expected true or false, found {show(c['allow_na'])}")
            elif c["allow_na"] and kind in ("jury", "info"):
                rep.warning(join(where, "allow_na"), f"towns do not answer {kind} criteria for scoring: "
                            "allow_na has no effect" if kind == "jury" else
                            "an info criterion is never scored: allow_na has no effect")
        ev = c.get("evidence", "none")
        if ev not in ("none", "optional", "required"):
            rep.error(join(where, "evidence"), f'expected "none", "optional" or "required", found {show(ev)}')
        elif ev != "none" and kind == "jury":
            rep.warning(join(where, "evidence"), "towns do not answer jury criteria: evidence has no use")
        return kind != "info"

    def steps(self, where, steps):
        rep = self.rep
        if not isinstance(steps, list) or not steps:
            rep.error(where, f"expected a non-empty array of [threshold, fraction], found {show(steps)}")
            return
        prev_t = prev_f = None
        for k, s in enumerate(steps):
            w = f"{where}[{k}]"
            if not (isinstance(s, list) and len(s) == 2):
                rep.error(w, f"expected [threshold, fraction], found {show(s)}")
                continue
            t, f = s
            if not is_number(t):
                rep.error(w, f"threshold: expected a number, found {kind_of(t)} {show(t)}")
                t = None
            elif t < 0:
                rep.warning(w, f"threshold {t} is below 0, but answers are numbers >= 0")
            f = self.fraction(f"{w} fraction", f)
            if t is not None and prev_t is not None and t <= prev_t:
                rep.error(w, f"thresholds must be strictly increasing: {t} after {prev_t}")
            if f is not None and prev_f is not None and f < prev_f:
                rep.error(w, f"fractions must be non-decreasing: {f} after {prev_f}")
            if t is not None:
                prev_t = t
            if f is not None:
                prev_f = f
        if prev_f is not None and prev_f < 1:
            rep.warning(where, f"the largest step gives fraction {prev_f}: the criterion never reaches full points")

    def options(self, where, opts, kind):
        rep = self.rep
        if not isinstance(opts, dict) or not opts:
            rep.error(where, f"expected a non-empty object of option id -> fraction, found {show(opts)}")
            return
        folded = {}
        total = Decimal(0)
        best = Decimal(0)
        for oid, f in opts.items():
            w = join(where, oid)
            if not oid or oid != oid.strip():
                rep.error(w, f"option id {show(oid)}: empty or with surrounding spaces (answers are trimmed)")
            if "|" in oid:
                rep.error(w, f'option id {show(oid)} contains "|", which separates the options of a multi answer')
            if oid.strip().lower() in NA_WORDS:
                rep.error(w, f'option id {show(oid)} reads as "not applicable" in a dossier')
            if not ID_RE.match(oid.lower()):
                rep.warning(w, f"option id {show(oid)} is not of the form [a-z0-9][a-z0-9-]*")
            if oid.startswith("x-"):
                rep.warning(w, f'option id {show(oid)} begins with "x-", the prefix of organizers\' notes')
            low = oid.strip().lower()
            if low in folded:
                rep.error(w, f'options "{folded[low]}" and "{oid}" differ only by case '
                          "(answers match option ids case-insensitively)")
            folded[low] = oid
            f = self.fraction(w, f)
            if f is not None:
                total += f
                best = max(best, f)
        if kind == "choice" and best < 1:
            rep.warning(where, f"no option gives fraction 1 (best {best}): the criterion never reaches full points")
        if kind == "multi" and total < 1:
            rep.warning(where, f"the options add up to {total}: the criterion never reaches full points")

    def scale(self, where, sc):
        rep = self.rep
        if not (isinstance(sc, list) and len(sc) == 2 and all(is_number(x) for x in sc)):
            rep.error(where, f"expected [min, max] (two numbers), found {show(sc)}")
            return
        if sc[1] <= sc[0]:
            rep.error(where, f"empty scale {show(sc)}: max must be greater than min")

    def jury(self, doc):
        rep = self.rep
        has_jury = any(c.get("kind") == "jury" for c in self.criteria.values())
        j = doc.get("jury")
        if j is None:
            return
        if not isinstance(j, dict):
            rep.error("jury", f"expected an object, found {kind_of(j)}")
            return
        check_fields(rep, "jury", j, JURY_FIELDS)
        if not has_jury:
            rep.warning("jury", "a jury section but no jury criterion")
        agg = j.get("aggregate", "mean")
        if agg not in ("mean", "median", "trimmed-mean"):
            rep.error("jury.aggregate", f'expected "mean", "median" or "trimmed-mean", found {show(agg)}')
        for f in ("min_marks", "calibrate_min"):
            if f in j and (not is_int(j[f]) or j[f] < 1):
                rep.error(f"jury.{f}", f"expected an integer >= 1, found {show(j[f])}")
        if "disagreement" in j:
            d = j["disagreement"]
            if not is_number(d) or d < 0:
                rep.error("jury.disagreement", f"expected a number >= 0, found {show(d)}")
            else:
                for cid, c in self.criteria.items():
                    sc = c.get("scale")
                    if (c.get("kind") == "jury" and isinstance(sc, list) and len(sc) == 2
                            and all(is_number(x) for x in sc) and d >= sc[1] - sc[0]):
                        rep.warning("jury.disagreement", f'{d} is at least the width of the scale of "{cid}": '
                                    "its marks can never be flagged")
        cal = j.get("calibrate", "none")
        if cal not in ("none", "z"):
            rep.error("jury.calibrate", f'expected "none" or "z", found {show(cal)}')
        if "calibrate_min" in j and cal != "z":
            rep.warning("jury.calibrate_min", 'has no effect unless "calibrate" is "z"')

    def levels(self, levels):
        rep = self.rep
        if levels is None:
            rep.error("levels", "missing")
            return
        if not isinstance(levels, list) or not levels:
            rep.error("levels", f"expected a non-empty array, found {show(levels)}")
            return
        self.nlevels = len(levels)
        names = {}
        prev = None
        for i, lv in enumerate(levels):
            w = f"levels[{i}]"
            if not isinstance(lv, dict):
                rep.error(w, f"expected a level (an object), found {kind_of(lv)}")
                continue
            check_fields(rep, w, lv, LEVEL_FIELDS)
            name = lv.get("name")
            if name is None:
                rep.error(join(w, "name"), "missing")
            elif not isinstance(name, str) or not name.strip():
                rep.error(join(w, "name"), f"expected a non-empty string, found {show(name)}")
            else:
                if name in names:
                    rep.error(join(w, "name"), f'duplicate level name "{name}" (also levels[{names[name]}])')
                names.setdefault(name, i)
                if re.fullmatch(r"\s*\d+\s*", name):
                    rep.warning(join(w, "name"), f'"{name}" reads as a level number in an overrides file')
            self.text(join(w, "description"), lv.get("description"))
            mp = lv.get("min_percent")
            if mp is None:
                rep.error(join(w, "min_percent"), "missing")
            elif not is_number(mp):
                rep.error(join(w, "min_percent"), f"expected a percentage in [0, 100], found {kind_of(mp)} {show(mp)}")
            elif not 0 <= mp <= 100:
                rep.error(join(w, "min_percent"), f"expected a percentage in [0, 100], found {mp}")
            else:
                if prev is not None and mp < prev:
                    rep.error(join(w, "min_percent"), f"levels go from lowest to highest: {mp} is below the "
                              f"previous level's {prev}")
                prev = mp
            if "requires" in lv:
                self.rule(join(w, "requires"), lv["requires"], "requires")

    def mentions(self, mentions):
        rep = self.rep
        if mentions is None:
            return
        if not isinstance(mentions, list):
            rep.error("mentions", f"expected an array, found {kind_of(mentions)}")
            return
        seen = {}
        for i, m in enumerate(mentions):
            w = f"mentions[{i}]"
            if not isinstance(m, dict):
                rep.error(w, f"expected a mention (an object), found {kind_of(m)}")
                continue
            check_fields(rep, w, m, MENTION_FIELDS)
            mid = m.get("id")
            if mid is None:
                rep.error(join(w, "id"), "missing")
            elif not isinstance(mid, str) or not ID_RE.match(mid):
                rep.error(join(w, "id"), f"expected an id matching [a-z0-9][a-z0-9-]*, found {show(mid)}")
            elif mid in seen:
                rep.error(join(w, "id"), f'duplicate mention id "{mid}" (also mentions[{seen[mid]}])')
            else:
                seen[mid] = i
            self.text(join(w, "name"), m.get("name"), required=True)
            self.text(join(w, "description"), m.get("description"))
            if "when" not in m:
                rep.error(join(w, "when"), "missing")
            else:
                self.rule(join(w, "when"), m["when"], "when")
            if "min_level" in m:
                ml = m["min_level"]
                if not is_int(ml) or not 1 <= ml <= max(self.nlevels, 1):
                    rep.error(join(w, "min_level"), f"expected a level number from 1 to {self.nlevels}, found {show(ml)}")

    # ---- rules ----
    def rule(self, where, r, role, owner=None, scoped=False, depth=0):
        """role: 'applies', 'requires' or 'when'. scoped: inside map/filter/... (var is the element)."""
        rep = self.rep
        if depth > 256:
            rep.error(where, "rule nested too deeply")
            return
        if isinstance(r, list):
            for k, x in enumerate(r):
                self.rule(where, x, role, owner, scoped, depth + 1)
            return
        if not isinstance(r, dict):
            return  # a literal
        if len(r) != 1:
            rep.error(where, f"not valid JsonLogic: an operation is an object with exactly one key, found keys {show(list(r))}")
            return
        (op, args), = r.items()
        if op not in OPERATORS:
            rep.error(where, f'not valid JsonLogic: unknown operator "{op}"')
            return
        lo, hi = OPERATORS[op]
        argv = args if isinstance(args, list) else [args]
        if op == "var":
            if isinstance(args, list) and len(args) > 2:
                rep.error(where, f"var takes a path and an optional default, found {len(args)} arguments")
            path = argv[0] if argv else ""
            if isinstance(path, (dict, list)):
                self.rule(where, path, role, owner, scoped, depth + 1)
                if not scoped:
                    rep.warning(where, "computed var path: not checked")
            elif not scoped:
                self.var_path(where, path, role, owner)
            if isinstance(args, list) and len(args) == 2:
                self.rule(where, args[1], role, owner, scoped, depth + 1)
            return
        n = len(argv)
        if n < lo or (hi is not None and n > hi):
            want = f"{lo}" if lo == hi else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
            rep.error(where, f'not valid JsonLogic: "{op}" takes {want} argument(s), found {n}')
        if op in ("missing", "missing_some") and not scoped:
            paths = argv
            if op == "missing_some" and n == 2:
                if not is_int(argv[0]):
                    self.rule(where, argv[0], role, owner, scoped, depth + 1)
                paths = argv[1]
            if isinstance(paths, list):
                for p in paths:
                    if isinstance(p, str):
                        self.var_path(where, p, role, owner)
                    else:
                        self.rule(where, p, role, owner, scoped, depth + 1)
            else:
                self.rule(where, paths, role, owner, scoped, depth + 1)
            return
        if op in SCOPED:
            for k, x in enumerate(argv):
                inner = scoped or (k == 1)
                self.rule(where, x, role, owner, inner, depth + 1)
            return
        for x in argv:
            self.rule(where, x, role, owner, scoped, depth + 1)

    def var_path(self, where, path, role, owner):
        rep = self.rep
        if is_number(path):
            rep.warning(where, f"var {show(path)}: a numeric path at the root scope finds nothing")
            return
        if not isinstance(path, str):
            rep.error(where, f"var: expected a path, found {kind_of(path)}")
            return
        if path == "":
            rep.warning(where, 'var "": the whole data, not checked')
            return
        seg = path.split(".")
        head = seg[0]
        if role == "applies" and head not in ("town", "answers"):
            rep.error(where, f'"{path}": applies rules see only town and answers (they run before scoring)')
            return
        if head == "town":
            if len(seg) != 2 or not seg[1]:
                rep.error(where, f'"{path}": expected town.<attribute>')
            return
        if head == "answers":
            if len(seg) != 2:
                rep.error(where, f'"{path}": expected answers.<criterion>')
                return
            cid = seg[1]
            if cid not in self.criteria:
                what = "a category" if cid in self.categories else "no criterion"
                rep.error(where, f'"{path}": {what} "{cid}" in this rubric' if what != "a category"
                          else f'"{path}": "{cid}" is a category, not a criterion')
                return
            kind = self.criteria[cid].get("kind")
            if kind == "jury":
                rep.warning(where, f'"{path}": towns do not answer jury criteria, this is always null; '
                            f'use criteria.{cid}.fraction')
            if cid == owner:
                rep.warning(where, f'"{path}": a criterion whose applicability depends on its own answer')
            return
        if head == "criteria":
            if len(seg) != 3 or seg[2] not in CRITERION_RESULT:
                rep.error(where, f'"{path}": expected criteria.<criterion>.' + "|".join(CRITERION_RESULT))
                return
            if seg[1] not in self.criteria:
                rep.error(where, f'"{path}": no criterion "{seg[1]}" in this rubric'
                          + (" (it is a category)" if seg[1] in self.categories else ""))
                return
            if self.criteria[seg[1]].get("kind") == "info":
                rep.warning(where, f'"{path}": "{seg[1]}" is an info criterion, never scored')
            return
        if head == "categories":
            if len(seg) != 3 or seg[2] not in CATEGORY_RESULT:
                rep.error(where, f'"{path}": expected categories.<category>.' + "|".join(CATEGORY_RESULT))
                return
            if seg[1] not in self.categories:
                rep.error(where, f'"{path}": no category "{seg[1]}" in this rubric'
                          + (" (it is a criterion)" if seg[1] in self.criteria else ""))
            return
        if head == "total":
            if len(seg) != 2 or seg[1] not in CATEGORY_RESULT:
                rep.error(where, f'"{path}": expected total.' + "|".join(CATEGORY_RESULT))
            return
        if head == "level":
            if len(seg) != 1:
                rep.error(where, f'"{path}": the level is a number, it has no fields')
            elif role != "when":
                rep.error(where, f'"{path}": the level is known to mention rules only')
            return
        if head == "history":
            if len(seg) != 2 or not re.fullmatch(r"\d{4}", seg[1]):
                rep.error(where, f'"{path}": expected history.<edition> (a year)')
            elif self.edition is not None and int(seg[1]) >= self.edition:
                rep.warning(where, f'"{path}": history holds earlier editions than {self.edition}')
            return
        rep.error(where, f'"{path}": unknown data (rules see town, answers, criteria, categories, total, '
                  "level and history)")


def summary(chk):
    kinds = {}
    for c in chk.criteria.values():
        kinds[c.get("kind")] = kinds.get(c.get("kind"), 0) + 1
    mentions = chk.doc.get("mentions") if isinstance(chk.doc, dict) else None
    return (f"{len(chk.categories)} categories, {len(chk.criteria)} criteria ("
            + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + f"), {chk.nlevels} levels, "
            f"{len(mentions) if isinstance(mentions, list) else 0} mentions")


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) < 2:
        print("usage: check_rubric.py RUBRIC.json...", file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        rep = Report(path)
        doc, unreadable = load_json(path, rep)
        if unreadable:
            status = 2
            continue
        chk = None
        if doc is not None:
            chk = Checker(rep, doc)
            chk.run()
        if rep.errors:
            print(f"{path}: refused: {rep.errors} error{'s' if rep.errors > 1 else ''}, "
                  f"{rep.warnings} warning{'s' if rep.warnings != 1 else ''}")
            status = max(status, 1)
        else:
            print(f"{path}: ok: {summary(chk)}"
                  + (f"; {rep.warnings} warning{'s' if rep.warnings != 1 else ''}" if rep.warnings else ""))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
