#!/usr/bin/env python3
"""compare.py — compares two palmares results files (SPEC §6) on the fields that carry
numbers and decisions.

    python3 compare.py EXPECTED.json ACTUAL.json

Compared, town by town in order (towns appear in input order): id, status, score
{points, max, percent}, computed_level, level, level_name, mentions, rank, categories
[{id, points, max, percent}], criteria [{id, category, applicable, fraction, points, max,
and for jury criteria aggregate, disagreement}], next_level {level, name, min_percent,
points_missing, unmet_requires}; then summary {dossiers, scored, pending, invalid, levels,
mentions} and, when either file has one, jury {criteria [{id, alpha, dossiers, marks}],
jurors [{id, marks, mean, sd, calibrated}]}.  For an invalid town only id, status, score,
level and rank are compared (they must be null).

Numbers are compared exactly after both are rounded to 2 decimals (half away from zero, on
the value first rounded to 15 significant digits); booleans are not numbers; lists are
compared in order; an absent key equals null.  Every difference is printed with the town id
and the field path; the last line is "N towns compared, D differences".  Exit status 0 when
the files agree, 1 on any difference, 2 when a file cannot be read.
"""

import json
import math
import sys
from decimal import Decimal, ROUND_HALF_UP

_CENT = Decimal("0.01")
_ABSENT = object()


def dec2(x):
    d = Decimal(format(float(x), ".15g")).quantize(_CENT, rounding=ROUND_HALF_UP)
    return d if d != 0 else Decimal("0.00")


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def show(v):
    if v is _ABSENT:
        return "(absent)"
    return json.dumps(v, ensure_ascii=False)


def same(a, b):
    """Equality of two JSON values under the comparison rules above."""
    a = None if a is _ABSENT else a
    b = None if b is _ABSENT else b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_num(a) and _is_num(b):
        if not (math.isfinite(a) and math.isfinite(b)):
            return a == b
        return dec2(a) == dec2(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return all(same(a.get(k, _ABSENT), b.get(k, _ABSENT)) for k in set(a) | set(b))
    return type(a) is type(b) and a == b


class Comparer:
    def __init__(self, out=sys.stdout):
        self.diffs = 0
        self.out = out

    def diff(self, who, path, a, b):
        self.diffs += 1
        print("%s: %s: expected %s, found %s" % (who, path, show(a), show(b)), file=self.out)

    def field(self, who, path, a, b):
        if not same(a, b):
            self.diff(who, path, a, b)

    def fields(self, who, prefix, a, b, keys):
        a = a if isinstance(a, dict) else {}
        b = b if isinstance(b, dict) else {}
        for k in keys:
            self.field(who, prefix + k, a.get(k, _ABSENT), b.get(k, _ABSENT))

    def nullable_obj(self, who, path, a, b, keys):
        """An object that may be null (score, next_level): null-ness, then its keys."""
        a = None if a is _ABSENT else a
        b = None if b is _ABSENT else b
        if a is None or b is None:
            if not (a is None and b is None):
                self.diff(who, path, a, b)
            return
        self.fields(who, path + ".", a, b, keys)

    def listed(self, who, path, a, b, each):
        """Lists of objects compared in order, each with `each(who, path[i](id), x, y)`."""
        a = [] if a in (None, _ABSENT) else a
        b = [] if b in (None, _ABSENT) else b
        if not isinstance(a, list) or not isinstance(b, list):
            self.field(who, path, a, b)
            return
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else _ABSENT
            y = b[i] if i < len(b) else _ABSENT
            ident = (x if isinstance(x, dict) else y if isinstance(y, dict) else {}).get("id")
            p = "%s[%d](%s)" % (path, i, ident)
            if x is _ABSENT or y is _ABSENT:
                self.diff(who, p, x if x is _ABSENT else "present",
                          y if y is _ABSENT else "present")
                continue
            each(who, p, x, y)

    def town(self, i, a, b):
        who = "town %s" % (a.get("id") if a.get("id") is not None else "#%d" % i)
        self.field(who, "id", a.get("id"), b.get("id"))
        self.field(who, "status", a.get("status"), b.get("status"))
        inv_a, inv_b = a.get("status") == "invalid", b.get("status") == "invalid"
        if inv_a or inv_b:
            if inv_a and inv_b:
                for k in ("score", "level", "rank"):
                    self.field(who, k, a.get(k, _ABSENT), b.get(k, _ABSENT))
            return
        self.nullable_obj(who, "score", a.get("score", _ABSENT), b.get("score", _ABSENT),
                          ("points", "max", "percent"))
        self.fields(who, "", a, b, ("computed_level", "level", "level_name", "mentions",
                                    "rank"))
        self.listed(who, "categories", a.get("categories"), b.get("categories"),
                    lambda w, p, x, y: self.fields(w, p + ".", x, y,
                                                   ("id", "points", "max", "percent")))

        def crit(w, p, x, y):
            self.fields(w, p + ".", x, y, ("id", "category", "applicable", "fraction",
                                           "points", "max"))
            jury = any(k in z for z in (x, y) for k in ("marks", "aggregate")) or \
                "jury" in (x.get("kind"), y.get("kind"))
            if jury:
                self.fields(w, p + ".", x, y, ("aggregate", "disagreement"))
        self.listed(who, "criteria", a.get("criteria"), b.get("criteria"), crit)
        self.nullable_obj(who, "next_level", a.get("next_level", _ABSENT),
                          b.get("next_level", _ABSENT),
                          ("level", "name", "min_percent", "points_missing",
                           "unmet_requires"))

    def results(self, a, b):
        ta, tb = a.get("towns") or [], b.get("towns") or []
        for i in range(max(len(ta), len(tb))):
            if i >= len(ta) or i >= len(tb):
                extra = (ta if i < len(ta) else tb)[i]
                self.diff("town %s" % extra.get("id"), "towns[%d]" % i,
                          "present" if i < len(ta) else _ABSENT,
                          "present" if i < len(tb) else _ABSENT)
                continue
            self.town(i, ta[i], tb[i])
        sa, sb = a.get("summary") or {}, b.get("summary") or {}
        self.fields("summary", "", sa, sb, ("dossiers", "scored", "pending", "invalid",
                                            "levels", "mentions"))
        ja, jb = a.get("jury", _ABSENT), b.get("jury", _ABSENT)
        if ja is not _ABSENT or jb is not _ABSENT:
            if not isinstance(ja, dict) or not isinstance(jb, dict):
                self.diff("jury", "jury", ja if ja is _ABSENT else "present",
                          jb if jb is _ABSENT else "present")
            else:
                self.listed("jury", "criteria", ja.get("criteria"), jb.get("criteria"),
                            lambda w, p, x, y: self.fields(
                                w, p + ".", x, y, ("id", "alpha", "dossiers", "marks")))
                self.listed("jury", "jurors", ja.get("jurors"), jb.get("jurors"),
                            lambda w, p, x, y: self.fields(
                                w, p + ".", x, y, ("id", "marks", "mean", "sd", "calibrated")))
        return max(len(ta), len(tb))


def main(argv):
    if len(argv) != 3:
        print("usage: compare.py EXPECTED.json ACTUAL.json", file=sys.stderr)
        return 2
    docs = []
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                docs.append(json.load(f))
        except (OSError, ValueError) as e:
            print("%s: error: cannot read results: %s" % (path, e), file=sys.stderr)
            return 2
        if not isinstance(docs[-1], dict):
            print("%s: error: not a results object" % path, file=sys.stderr)
            return 2
    c = Comparer()
    n = c.results(docs[0], docs[1])
    print("%d towns compared, %d differences" % (n, c.diffs))
    return 1 if c.diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
