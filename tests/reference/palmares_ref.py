#!/usr/bin/env python3
"""palmares_ref.py — independent reference implementation of the palmares scoring contract.

Written from SPEC.md alone (no C source of the project was read), in Python 3 with the
standard library only, so that the C engine can be checked against a second implementation:
"an independent implementation of the spec must get the same numbers".

    python3 palmares_ref.py RUBRIC.json DOSSIERS.json|.jsonl... [--marks M.csv|.json]...
                            [--overrides O.csv]  >  results.json

Data flow: load the rubric (§1) -> read and validate the JSON dossiers (§3.1, §3.3; town id
twice makes both invalid) -> applicability (`applies` rules, n/a) -> read the marks (§5), keep
the marks that count -> juror calibration (§5.1) and Krippendorff's alpha (§5.2) -> score each
dossier (§4: fractions, categories, total, rounding, levels, overrides, mentions, next level)
-> rank -> results JSON (§6) on stdout, messages on stderr.

Decisions taken where the spec is silent are listed in tests/reference/README.md; each one is
also marked "DECISION" in the code below.

Exit status: 0 success; 1 some input was rejected (the rest is still scored and written);
2 usage error or unreadable file.
"""

import argparse
import csv
import io
import itertools
import json
import math
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

# ===========================================================================================
# JsonLogic (SPEC §2)
# ===========================================================================================
# Written from the JsonLogic documentation and the classic json-logic-js semantics, with
# JavaScript's truthiness and type coercion (the shared conformance file passes).  Where
# JavaScript would silently produce NaN or Infinity, RuleError is raised instead, because §2
# says a rule failing at run time makes the dossier invalid, "never a silent false":
#   * `/` and `%` by zero;
#   * arithmetic (`+ - * / % max min`) whose result is NaN or infinite ({"+": ["abc"]},
#     {"max": []});
#   * a relational comparison (< <= > >=) where, the operands not both being strings, one
#     does not convert to a number ({"<": ["abc", 3]}); null converts to 0 as in JavaScript;
#   * `all` applied to null, `*` with no argument, an unknown operator.
# Equality, `in`, `cat`, `substr`, `merge` and the array operators never raise.
# Values are Python's JSON values: None, bool, int/float, str, list, dict.


class RuleError(Exception):
    """A JsonLogic rule failed at run time."""


_MISSING = object()  # JavaScript's `undefined`


def _kind(v):
    if v is None or v is _MISSING:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def truthy(v):
    """JsonLogic truthiness: JavaScript's, except that an empty array is false."""
    k = _kind(v)
    if k == "array":
        return len(v) > 0
    if k == "null":
        return False
    if k == "bool":
        return v
    if k == "number":
        return not (v == 0 or v != v)
    if k == "string":
        return v != ""
    return True


def js_number_to_string(x):
    """Number::toString of ECMAScript (shortest round-trip digits, JS exponent rules)."""
    x = float(x)
    if x != x:
        return "NaN"
    if x == math.inf:
        return "Infinity"
    if x == -math.inf:
        return "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    d = Decimal(repr(abs(x))).normalize()
    _, digits, exp = d.as_tuple()
    s = "".join(str(c) for c in digits)
    k = len(s)
    n = k + exp  # position of the decimal point
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + s
    else:
        e = n - 1
        es = ("+" if e >= 0 else "-") + str(abs(e))
        out = (s if k == 1 else s[0] + "." + s[1:]) + "e" + es
    return sign + out


def js_to_string(v):
    k = _kind(v)
    if v is _MISSING:
        return "undefined"
    if k == "null":
        return "null"
    if k == "bool":
        return "true" if v else "false"
    if k == "number":
        return js_number_to_string(v)
    if k == "string":
        return v
    if k == "array":
        return ",".join("" if _kind(e) == "null" else js_to_string(e) for e in v)
    return "[object Object]"


_JS_WS = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
         "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DEC_RE = re.compile(r"^[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$")
_PREFIX_RE = re.compile(r"^[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_RADIX_RE = re.compile(r"^0([xXoObB])([0-9a-fA-F]+)$")


def _dec_to_float(s):
    if s.lstrip("+-") == "Infinity":
        return -math.inf if s.startswith("-") else math.inf
    return float(s)


def _string_to_number(s):
    s = s.strip(_JS_WS)
    if s == "":
        return 0.0
    m = _RADIX_RE.match(s)
    if m:
        base = {"x": 16, "o": 8, "b": 2}[m.group(1).lower()]
        try:
            return float(int(m.group(2), base))
        except ValueError:
            return math.nan
    if _DEC_RE.match(s):
        return _dec_to_float(s)
    return math.nan


def js_to_number(v):
    k = _kind(v)
    if v is _MISSING:
        return math.nan
    if k == "null":
        return 0.0
    if k == "bool":
        return 1.0 if v else 0.0
    if k == "number":
        return float(v)
    if k == "string":
        return _string_to_number(v)
    if k == "array":
        return _string_to_number(js_to_string(v))
    return math.nan


def _parse_float(v):
    """JavaScript's parseFloat(String(v))."""
    if _kind(v) == "number":
        return float(v)
    s = js_to_string(v).lstrip(_JS_WS)
    m = _PREFIX_RE.match(s)
    if not m:
        return math.nan
    return _dec_to_float(m.group(0))


def _to_primitive(v):
    k = _kind(v)
    if k in ("array", "object"):
        return js_to_string(v)
    return v


def _loose_eq(a, b):
    ka, kb = _kind(a), _kind(b)
    if ka == kb:
        if ka in ("array", "object"):
            return a is b
        if ka == "null":
            return True
        return a == b
    if ka == "null" or kb == "null":
        return False
    if ka == "number" and kb == "string":
        return a == _string_to_number(b)
    if ka == "string" and kb == "number":
        return _string_to_number(a) == b
    if ka == "bool":
        return _loose_eq(1 if a else 0, b)
    if kb == "bool":
        return _loose_eq(a, 1 if b else 0)
    if ka in ("array", "object") and kb in ("number", "string"):
        return _loose_eq(_to_primitive(a), b)
    if kb in ("array", "object") and ka in ("number", "string"):
        return _loose_eq(a, _to_primitive(b))
    return False


def _strict_eq(a, b):
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return False
    if ka in ("array", "object"):
        return a is b
    if ka == "null":
        return True
    return a == b


def _utf16(s):
    return s.encode("utf-16-be", "surrogatepass")


def _less(a, b, or_equal, op):
    pa, pb = _to_primitive(a), _to_primitive(b)
    if _kind(pa) == "string" and _kind(pb) == "string":
        ua, ub = _utf16(pa), _utf16(pb)
        return ua <= ub if or_equal else ua < ub
    na, nb = js_to_number(pa), js_to_number(pb)
    if na != na or nb != nb:
        raise RuleError("%s: cannot compare %s with %s" % (op, _show(a), _show(b)))
    return na <= nb if or_equal else na < nb


def _show(v):
    import json
    try:
        return json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(v)


def _finite(x, op):
    if x != x or x in (math.inf, -math.inf):
        raise RuleError("%s: result is not a finite number" % op)
    return x


def _to_integer(v):
    n = js_to_number(v)
    if n != n:
        return 0
    if n in (math.inf, -math.inf):
        return n
    return int(n)  # truncates toward zero


def _js_substr(s, start, length=_MISSING):
    size = len(s)
    st = _to_integer(start)
    if st == -math.inf:
        st = 0
    elif st == math.inf:
        st = size
    if st < 0:
        st = max(size + st, 0)
    st = min(st, size)
    if length is _MISSING:
        ln = size - st
    else:
        ln = _to_integer(length)
        if ln == math.inf:
            ln = size
        elif ln == -math.inf:
            ln = 0
        ln = min(max(ln, 0), size - st)
    return s[st:st + ln]


def _get_var(data, path, default):
    """`var` of json-logic-js: dotted path, `default` when a step is missing."""
    if path is _MISSING or path is None or path == "":
        return data
    for part in js_to_string(path).split("."):
        if data is None or data is _MISSING:
            return default
        if isinstance(data, dict):
            if part not in data:
                return default
            data = data[part]
        elif isinstance(data, (list, str)):
            if re.fullmatch(r"0|[1-9]\d*", part) and int(part) < len(data):
                data = data[int(part)]
            elif part == "length":
                data = len(data)
            else:
                return default
        else:
            return default
    return data


def _is_logic(v):
    return isinstance(v, dict) and len(v) == 1


def apply(logic, data=None):
    """Evaluate `logic` on `data`; raises RuleError on a run-time failure."""
    if isinstance(logic, list):
        return [apply(x, data) for x in logic]
    if not _is_logic(logic):
        return logic
    op = next(iter(logic))
    values = logic[op]
    if not isinstance(values, list):
        values = [values]

    if op in ("if", "?:"):
        i = 0
        while i < len(values) - 1:
            if truthy(apply(values[i], data)):
                return apply(values[i + 1], data)
            i += 2
        if len(values) == i + 1:
            return apply(values[i], data)
        return None
    if op == "and":
        current = None
        for v in values:
            current = apply(v, data)
            if not truthy(current):
                return current
        return current
    if op == "or":
        current = None
        for v in values:
            current = apply(v, data)
            if truthy(current):
                return current
        return current
    if op in ("filter", "map", "reduce", "all", "none", "some"):
        scoped = apply(values[0], data) if values else None
        scoped_logic = values[1] if len(values) > 1 else None
        if op == "filter" or op in ("none", "some"):
            out = [d for d in scoped if truthy(apply(scoped_logic, d))] \
                if isinstance(scoped, list) else []
            if op == "filter":
                return out
            return len(out) == 0 if op == "none" else len(out) > 0
        if op == "map":
            return [apply(scoped_logic, d) for d in scoped] if isinstance(scoped, list) else []
        if op == "reduce":
            acc = apply(values[2], data) if len(values) > 2 else None
            if not isinstance(scoped, list):
                return acc
            for cur in scoped:
                acc = apply(scoped_logic, {"current": cur, "accumulator": acc})
            return acc
        # all
        if scoped is None:
            raise RuleError("all: applied to null")
        if isinstance(scoped, str):
            scoped = list(scoped)
        if not isinstance(scoped, list) or len(scoped) == 0:
            return False
        for d in scoped:
            if not truthy(apply(scoped_logic, d)):
                return False
        return True

    args = [apply(v, data) for v in values]
    a = args[0] if args else _MISSING
    b = args[1] if len(args) > 1 else _MISSING

    if op == "var":
        default = None if b is _MISSING else b
        return _get_var(data, a, default)
    if op == "missing":
        keys = a if isinstance(a, list) else args
        out = []
        for key in keys:
            v = _get_var(data, key, None)
            if v is None or (isinstance(v, str) and v == ""):
                out.append(key)
        return out
    if op == "missing_some":
        options = b if isinstance(b, list) else []
        need = js_to_number(a)
        are_missing = apply({"missing": [options]}, data)
        if len(options) - len(are_missing) >= need:
            return []
        return are_missing
    if op == "==":
        return _loose_eq(a, b)
    if op == "===":
        return _strict_eq(a, b)
    if op == "!=":
        return not _loose_eq(a, b)
    if op == "!==":
        return not _strict_eq(a, b)
    if op == "!":
        return not truthy(None if a is _MISSING else a)
    if op == "!!":
        return truthy(None if a is _MISSING else a)
    if op in ("<", "<=", ">", ">="):
        c = args[2] if len(args) > 2 else _MISSING
        if op in ("<", "<="):
            eq = op == "<="
            if c is _MISSING:
                return _less(a, b, eq, op)
            return _less(a, b, eq, op) and _less(b, c, eq, op)
        return _less(b, a, op == ">=", op)
    if op in ("max", "min"):
        nums = [js_to_number(x) for x in args]
        if not nums or any(n != n for n in nums):
            raise RuleError("%s: needs numbers, got %s" % (op, _show(args)))
        return _finite(max(nums) if op == "max" else min(nums), op)
    if op == "+":
        total = 0.0
        for x in args:
            total = _parse_float(total) + _parse_float(x)
        return _finite(total, op)
    if op == "*":
        if not args:
            raise RuleError("*: needs at least one argument")
        acc = args[0]
        for x in args[1:]:
            acc = _finite(_parse_float(acc) * _parse_float(x), op)
        return acc
    if op == "-":
        if b is _MISSING:
            return _finite(-js_to_number(a), op)
        return _finite(js_to_number(a) - js_to_number(b), op)
    if op in ("/", "%"):
        x, y = js_to_number(a), js_to_number(b)
        if y == 0:
            raise RuleError("%s: division by zero" % op)
        if x != x or y != y:
            raise RuleError("%s: needs numbers, got %s" % (op, _show(args[:2])))
        return _finite(x / y if op == "/" else math.fmod(x, y), op)
    if op == "in":
        if isinstance(b, str):
            return js_to_string(a) in b
        if isinstance(b, list):
            return any(_strict_eq(a, x) for x in b)
        return False
    if op == "cat":
        return "".join("" if _kind(x) == "null" else js_to_string(x) for x in args)
    if op == "substr":
        s = js_to_string(a)
        end = args[2] if len(args) > 2 else _MISSING
        if end is not _MISSING and js_to_number(end) < 0:
            temp = _js_substr(s, b)
            return _js_substr(temp, 0, len(temp) + _to_integer(end))
        return _js_substr(s, b, end)
    if op == "merge":
        out = []
        for x in args:
            if isinstance(x, list):
                out.extend(x)
            else:
                out.append(x)
        return out
    if op == "log":
        return None if a is _MISSING else a
    raise RuleError("unknown operator %s" % _show(op))


OPERATORS = frozenset([
    "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or",
    "and", ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter",
    "reduce", "all", "none", "some", "merge", "in", "cat", "substr", "log"])


# ===========================================================================================
# Rounding (SPEC §4.5)
# ===========================================================================================

_CENT = Decimal("0.01")


def dec2(x):
    """Round a float to 2 decimals, half away from zero, as a Decimal.

    The float is first rounded to 15 significant digits, so that the binary noise of a
    computation (64.99499999999999744 for 64.995) does not decide the rounding: the reported
    number is the one a person computing in decimals gets."""
    if x is None:
        return None
    d = Decimal(format(float(x), ".15g")).quantize(_CENT, rounding=ROUND_HALF_UP)
    return d if d != 0 else Decimal("0.00")


def num_out(d):
    """A Decimal (or int) as the JSON number written in results: int when integral."""
    if d is None:
        return None
    if isinstance(d, bool):
        return d
    if isinstance(d, int):
        return d
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def round2(x):
    return num_out(dec2(x))


# ===========================================================================================
# Errors and messages
# ===========================================================================================

class InputError(Exception):
    """A file that cannot be read at all (exit 2)."""


class RubricError(Exception):
    def __init__(self, problems):
        Exception.__init__(self, "\n".join(problems))
        self.problems = problems


class Messages:
    """Errors and warnings for stderr, `FILE:LINE[:COL]: error: …` (SPEC §7)."""

    def __init__(self):
        self.items = []
        self.errors = 0

    def error(self, where, text):
        self.items.append("%s: error: %s" % (where, text))
        self.errors += 1

    def warning(self, where, text):
        self.items.append("%s: warning: %s" % (where, text))


def _q(v):
    """A found value, quoted for a message."""
    if isinstance(v, str):
        return '"%s"' % v
    return json.dumps(v, ensure_ascii=False)


# ===========================================================================================
# Rubric (SPEC §1)
# ===========================================================================================

KINDS = ("yes-no", "number", "percent", "choice", "multi", "jury", "info")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RUBRIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

_TEXT_KEYS = ("label", "title", "name", "description")
_ALLOWED = {
    "rubric": {"format", "id", "edition", "label", "language", "categories", "jury", "levels",
               "mentions", "description", "title"},
    "category": {"id", "title", "description", "not_applicable", "criteria"},
    "criterion": {"id", "title", "description", "kind", "points", "steps", "options", "scale",
                  "applies", "allow_na", "evidence"},
    "jury": {"aggregate", "min_marks", "disagreement", "calibrate", "calibrate_min"},
    "level": {"name", "min_percent", "requires", "description"},
    "mention": {"id", "name", "min_level", "when", "description"},
}


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def text_of(t, lang):
    """A text (plain string or language → string) in `lang`, else any language."""
    if t is None or isinstance(t, str):
        return t
    if isinstance(t, dict) and t:
        if lang in t:
            return t[lang]
        return next(iter(t.values()))
    return None


class Criterion:
    def __init__(self):
        self.id = None
        self.category = None
        self.kind = None
        self.points = 0.0
        self.steps = []
        self.options = {}        # canonical id -> fraction, rubric order
        self.options_ci = {}     # lower-cased id -> canonical id
        self.scale = None
        self.applies = None
        self.applies_name = None
        self.allow_na = False
        self.evidence = "none"

    @property
    def scored(self):
        return self.kind != "info"


class Category:
    def __init__(self, cid, mode):
        self.id = cid
        self.mode = mode
        self.criteria = []


class Level:
    def __init__(self, number, name, min_percent, requires):
        self.number = number
        self.name = name
        self.min_percent = min_percent
        self.requires = requires


class Mention:
    def __init__(self, mid, name, min_level, when, index):
        self.id = mid
        self.name = name
        self.min_level = min_level
        self.when = when
        self.index = index


class Rubric:
    def __init__(self):
        self.id = None
        self.edition = None
        self.language = "fr"
        self.label = None
        self.categories = []
        self.criteria = []
        self.by_id = {}
        self.aggregate = "mean"
        self.min_marks = 1
        self.disagreement = None
        self.calibrate = "none"
        self.calibrate_min = 5
        self.levels = []
        self.mentions = []

    @property
    def jury_criteria(self):
        return [c for c in self.criteria if c.kind == "jury"]


def _check_keys(obj, kind, where, problems):
    for k in obj:
        if k.startswith("x-"):
            continue
        if k not in _ALLOWED[kind]:
            problems.append("%s: unknown field %s" % (where, _q(k)))


def _check_text(v, where, problems):
    if isinstance(v, str):
        return
    if isinstance(v, dict) and v and all(isinstance(x, str) for x in v.values()):
        return
    problems.append("%s: expected a text (string or language -> string), found %s"
                    % (where, _q(v)))


def _rule_refs(rule, where, problems, ids_crit, ids_cat):
    """Checks a rule is JsonLogic made of known operators, and that `var` paths into
    criteria, answers and categories name existing ids."""
    if isinstance(rule, list):
        for x in rule:
            _rule_refs(x, where, problems, ids_crit, ids_cat)
        return
    if not isinstance(rule, dict):
        return
    if len(rule) != 1:
        problems.append("%s: not valid JsonLogic: an operation object has exactly one key"
                        % where)
        return
    op, args = next(iter(rule.items()))
    if op not in OPERATORS:
        problems.append("%s: not valid JsonLogic: unknown operator %s" % (where, _q(op)))
        return
    if op == "var":
        path = args[0] if isinstance(args, list) and args else args
        if isinstance(path, str):
            parts = path.split(".")
            if len(parts) >= 2 and parts[0] in ("criteria", "answers") and \
                    parts[1] not in ids_crit:
                problems.append("%s: refers to unknown criterion %s" % (where, _q(parts[1])))
            if len(parts) >= 2 and parts[0] == "categories" and parts[1] not in ids_cat:
                problems.append("%s: refers to unknown category %s" % (where, _q(parts[1])))
    _rule_refs(args, where, problems, ids_crit, ids_cat)


def _two_decimals(x):
    return Decimal(repr(float(x))).as_tuple().exponent >= -2


def load_rubric(obj):
    """Validates a parsed rubric and returns a Rubric; raises RubricError listing every
    problem found."""
    p = []
    r = Rubric()
    if not isinstance(obj, dict):
        raise RubricError(["rubric: expected an object"])
    _check_keys(obj, "rubric", "rubric", p)
    if obj.get("format") != "palmares-rubric/1":
        p.append('format: expected "palmares-rubric/1", found %s' % _q(obj.get("format")))
    r.id = obj.get("id")
    if not isinstance(r.id, str) or not _RUBRIC_ID_RE.match(r.id):
        p.append("id: invalid rubric id %s" % _q(r.id))
    r.edition = obj.get("edition")
    if not isinstance(r.edition, int) or isinstance(r.edition, bool):
        p.append("edition: expected an integer year, found %s" % _q(r.edition))
    if "language" in obj:
        if isinstance(obj["language"], str):
            r.language = obj["language"]
        else:
            p.append("language: expected a string")
    for k in _TEXT_KEYS:
        if k in obj:
            _check_text(obj[k], k, p)
    r.label = obj.get("label")

    seen = set()
    cats = obj.get("categories")
    if not isinstance(cats, list) or not cats:
        p.append("categories: expected a non-empty array")
        cats = []
    for i, co in enumerate(cats):
        w = "categories[%d]" % i
        if not isinstance(co, dict):
            p.append("%s: expected an object" % w)
            continue
        _check_keys(co, "category", w, p)
        cid = co.get("id")
        if not isinstance(cid, str) or not _ID_RE.match(cid):
            p.append("%s.id: invalid id %s" % (w, _q(cid)))
        elif cid in seen:
            p.append("%s.id: duplicate id %s" % (w, _q(cid)))
        seen.add(cid)
        mode = co.get("not_applicable", "redistribute")
        if mode not in ("redistribute", "exclude"):
            p.append('%s.not_applicable: expected "redistribute" or "exclude", found %s'
                     % (w, _q(mode)))
        if "title" in co:
            _check_text(co["title"], w + ".title", p)
        cat = Category(cid, mode)
        r.categories.append(cat)
        crits = co.get("criteria")
        if not isinstance(crits, list):
            p.append("%s.criteria: expected an array" % w)
            crits = []
        for j, cr in enumerate(crits):
            wc = "%s.criteria[%d]" % (w, j)
            if not isinstance(cr, dict):
                p.append("%s: expected an object" % wc)
                continue
            _check_keys(cr, "criterion", wc, p)
            c = Criterion()
            c.id = cr.get("id")
            c.category = cid
            if not isinstance(c.id, str) or not _ID_RE.match(c.id):
                p.append("%s.id: invalid id %s" % (wc, _q(c.id)))
            elif c.id in seen:
                p.append("%s.id: duplicate id %s" % (wc, _q(c.id)))
            seen.add(c.id)
            c.kind = cr.get("kind")
            if c.kind not in KINDS:
                p.append("%s.kind: unknown kind %s" % (wc, _q(c.kind)))
            if "title" in cr:
                _check_text(cr["title"], wc + ".title", p)
            if c.kind == "info":
                if "points" in cr:
                    p.append("%s.points: an info criterion has no points" % wc)
            else:
                pts = cr.get("points")
                if not is_number(pts) or pts <= 0 or not _two_decimals(pts):
                    p.append("%s.points: expected a number > 0 with at most two decimals, "
                             "found %s" % (wc, _q(pts)))
                else:
                    c.points = float(pts)
            if c.kind == "number":
                steps = cr.get("steps")
                ok = isinstance(steps, list) and len(steps) > 0
                prev_t = prev_f = None
                for s in steps if ok else []:
                    if not (isinstance(s, list) and len(s) == 2 and is_number(s[0])
                            and is_number(s[1])):
                        ok = False
                        break
                    t, f = float(s[0]), float(s[1])
                    if not 0 <= f <= 1:
                        p.append("%s.steps: fraction %s outside [0, 1]" % (wc, _q(s[1])))
                    if prev_t is not None and (t <= prev_t or f < prev_f):
                        p.append("%s.steps: thresholds must increase strictly and fractions "
                                 "must not decrease" % wc)
                    prev_t, prev_f = t, f
                    c.steps.append((t, f))
                if not ok:
                    p.append("%s.steps: expected a non-empty array of [threshold, fraction]"
                             % wc)
            if c.kind in ("choice", "multi"):
                opts = cr.get("options")
                if not isinstance(opts, dict) or not opts:
                    p.append("%s.options: expected a non-empty object" % wc)
                    opts = {}
                for oid, f in opts.items():
                    if not is_number(f) or not 0 <= f <= 1:
                        p.append("%s.options.%s: fraction outside [0, 1]" % (wc, oid))
                        continue
                    if oid.lower() in c.options_ci:
                        p.append("%s.options: %s duplicates another option (case-insensitive)"
                                 % (wc, _q(oid)))
                    c.options[oid] = float(f)
                    c.options_ci[oid.lower()] = oid
            if c.kind == "jury":
                sc = cr.get("scale")
                if not (isinstance(sc, list) and len(sc) == 2 and is_number(sc[0])
                        and is_number(sc[1]) and sc[0] < sc[1]):
                    p.append("%s.scale: expected [min, max] with min < max, found %s"
                             % (wc, _q(sc)))
                else:
                    c.scale = (float(sc[0]), float(sc[1]))
            if "applies" in cr:
                c.applies = cr["applies"]
                c.applies_name = wc + ".applies"
            c.allow_na = cr.get("allow_na", False)
            if not isinstance(c.allow_na, bool):
                p.append("%s.allow_na: expected a boolean" % wc)
            c.evidence = cr.get("evidence", "none")
            if c.evidence not in ("none", "optional", "required"):
                p.append('%s.evidence: expected "none", "optional" or "required"' % wc)
            cat.criteria.append(c)
            r.criteria.append(c)
            if isinstance(c.id, str):
                r.by_id[c.id] = c

    jury = obj.get("jury", {})
    if not isinstance(jury, dict):
        p.append("jury: expected an object")
        jury = {}
    _check_keys(jury, "jury", "jury", p)
    r.aggregate = jury.get("aggregate", "mean")
    if r.aggregate not in ("mean", "median", "trimmed-mean"):
        p.append("jury.aggregate: unknown aggregate %s" % _q(r.aggregate))
    r.min_marks = jury.get("min_marks", 1)
    if not isinstance(r.min_marks, int) or isinstance(r.min_marks, bool) or r.min_marks < 0:
        p.append("jury.min_marks: expected an integer >= 0")
    r.disagreement = jury.get("disagreement")
    if r.disagreement is not None and not is_number(r.disagreement):
        p.append("jury.disagreement: expected a number")
    r.calibrate = jury.get("calibrate", "none")
    if r.calibrate not in ("none", "z"):
        p.append('jury.calibrate: expected "none" or "z"')
    r.calibrate_min = jury.get("calibrate_min", 5)
    if not isinstance(r.calibrate_min, int) or isinstance(r.calibrate_min, bool):
        p.append("jury.calibrate_min: expected an integer")

    ids_crit = set(r.by_id)
    ids_cat = set(c.id for c in r.categories)
    for c in r.criteria:
        if c.applies is not None:
            _rule_refs(c.applies, c.applies_name, p, ids_crit, ids_cat)

    levels = obj.get("levels")
    if not isinstance(levels, list) or not levels:
        p.append("levels: expected a non-empty array")
        levels = []
    prev = None
    for i, lo in enumerate(levels):
        w = "levels[%d]" % i
        if not isinstance(lo, dict):
            p.append("%s: expected an object" % w)
            continue
        _check_keys(lo, "level", w, p)
        if "name" not in lo:
            p.append("%s.name: missing" % w)
        else:
            _check_text(lo["name"], w + ".name", p)
        mp = lo.get("min_percent")
        if not is_number(mp):
            p.append("%s.min_percent: expected a number" % w)
            mp = 0
        elif prev is not None and mp < prev:
            p.append("%s.min_percent: levels must have non-decreasing min_percent" % w)
        prev = mp
        req = lo.get("requires")
        if req is not None:
            _rule_refs(req, w + ".requires", p, ids_crit, ids_cat)
        r.levels.append(Level(i + 1, text_of(lo.get("name"), r.language), mp, req))

    mentions = obj.get("mentions", [])
    if not isinstance(mentions, list):
        p.append("mentions: expected an array")
        mentions = []
    for i, mo in enumerate(mentions):
        w = "mentions[%d]" % i
        if not isinstance(mo, dict):
            p.append("%s: expected an object" % w)
            continue
        _check_keys(mo, "mention", w, p)
        mid = mo.get("id")
        if not isinstance(mid, str) or not _ID_RE.match(mid):
            p.append("%s.id: invalid id %s" % (w, _q(mid)))
        elif mid in [m.id for m in r.mentions]:
            p.append("%s.id: duplicate id %s" % (w, _q(mid)))
        ml = mo.get("min_level", 1)
        if not isinstance(ml, int) or isinstance(ml, bool) or not 0 <= ml <= len(levels):
            p.append("%s.min_level: expected a level number" % w)
        if "when" not in mo:
            p.append("%s.when: missing" % w)
        else:
            _rule_refs(mo["when"], w + ".when", p, ids_crit, ids_cat)
        r.mentions.append(Mention(mid, mo.get("name"), ml, mo.get("when"), i))
    if p:
        raise RubricError(p)
    return r


# ===========================================================================================
# Reading files
# ===========================================================================================

def read_text(path, msgs):
    """Bytes -> text: UTF-8 with or without BOM, else Windows-1252 with a warning."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError("%s: error: cannot read file: %s" % (path, e.strerror))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        msgs.warning(path, "file is not valid UTF-8, read as Windows-1252")
        return raw.decode("cp1252", errors="replace")


def _line_col(text, idx):
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    return line, col


_WS = " \t\r\n"


def _jsonl_dossiers(f, path, msgs):
    warned = False
    with f:
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                if not warned:
                    msgs.warning("%s:%d" % (path, n), "line is not valid UTF-8, read as "
                                 "Windows-1252")
                    warned = True
                line = raw.decode("cp1252", errors="replace")
            if line.strip(_WS) == "":
                continue
            where = "%s:%d" % (path, n)
            try:
                yield json.loads(line), where, None
            except ValueError as e:
                yield None, where, "malformed JSON: %s" % getattr(e, "msg", e)


def read_json_dossiers(path, msgs):
    """[(object or None, where, parse error or None)] in file order; for .jsonl an iterator
    reading one line at a time (the file is opened now, so that an unreadable file is
    reported before scoring)."""
    if path.endswith(".jsonl"):
        try:
            f = open(path, "rb")
        except OSError as e:
            raise InputError("%s: error: cannot read file: %s" % (path, e.strerror))
        return _jsonl_dossiers(f, path, msgs)
    text = read_text(path, msgs)
    out = []
    dec = json.JSONDecoder()
    i = len(text) - len(text.lstrip(_WS))
    pos = {"idx": 0, "line": 1}

    def where_at(idx):
        # incremental line counting: element positions only grow
        pos["line"] += text.count("\n", pos["idx"], idx)
        pos["idx"] = idx
        col = idx - (text.rfind("\n", 0, idx) + 1) + 1
        return "%s:%d:%d" % (path, pos["line"], col)

    try:
        if text[i:i + 1] == "[":
            i += 1
            first = True
            while True:
                while i < len(text) and text[i] in _WS:
                    i += 1
                if text[i:i + 1] == "]":
                    i += 1
                    break
                if not first:
                    if text[i:i + 1] != ",":
                        raise ValueError("expected ',' or ']' at %s" % where_at(i))
                    i += 1
                    while i < len(text) and text[i] in _WS:
                        i += 1
                where = where_at(i)
                obj, i = dec.raw_decode(text, i)
                out.append((obj, where, None))
                first = False
        else:
            where = where_at(i)
            obj, i = dec.raw_decode(text, i)
            out.append((obj, where, None))
        if text[i:].strip(_WS) != "":
            raise ValueError("extra data after the JSON value at %s" % where_at(i))
    except (ValueError, IndexError) as e:
        raise InputError("%s: error: malformed JSON: %s" % (path, e))
    return out


def _detect_separator(text):
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts.values())
    for sep in (",", ";", "\t"):
        if counts[sep] == best:
            return sep
    return ","


def read_csv_rows(path, msgs, known, required):
    """A CSV of the §3.2 dialect as [(line, {column: value})]; `known` lists the accepted
    columns, `required` those that must be present."""
    text = read_text(path, msgs)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_separator(text))
    rows = []
    header = None
    while True:
        start = reader.line_num + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise InputError("%s:%d: error: malformed CSV: %s" % (path, start, e))
        if header is None:
            header = [h.strip().lower() for h in rec]
            bad = [h for h in header if h not in known]
            missing = [h for h in required if h not in header]
            if bad or missing:
                raise InputError("%s:1: error: %s" % (path, "; ".join(
                    ["unknown column %s" % _q(h) for h in bad] +
                    ["missing column %s" % _q(h) for h in missing])))
            continue
        if all(v.strip() == "" for v in rec):
            continue
        row = {h: (rec[k] if k < len(rec) else "") for k, h in enumerate(header)}
        rows.append((start, row))
    return rows


_NUM_RE = re.compile(r"^([+-]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d*)(?:[.,](\d+))?(%?)$")


def parse_number(s, allow_percent=False):
    """A number as written in §3.2 (decimal comma, thousands spaces, optional % for percents);
    None when it is not one."""
    if not isinstance(s, str):
        return None
    s = s.strip(" \t\u00a0\u202f")
    m = _NUM_RE.match(s)
    if not m or (m.group(2) == "" and m.group(3) is None) or (m.group(4) and not allow_percent):
        return None
    ip = re.sub(r"[ \u00a0\u202f]", "", m.group(2)) or "0"
    v = float("%s%s.%s" % (m.group(1), ip, m.group(3) or "0"))
    return v


# ===========================================================================================
# Dossiers (SPEC §3.1, §3.3)
# ===========================================================================================

class Mark:
    def __init__(self, juror, town_id, criterion, value, comment, where):
        self.juror = juror
        self.town_id = town_id
        self.criterion = criterion
        self.value = value
        self.comment = comment
        self.where = where
        self.fraction = None     # raw fraction of the scale
        self.calibrated = None   # fraction after §5.1 (equal to `fraction` when not calibrated)


class Dossier:
    def __init__(self, index, where):
        self.index = index
        self.where = where
        self.id = None
        self.name = None
        self.town = {}
        self.answers = {}        # criterion id -> canonical answer (None when unanswered)
        self.na = set()          # answered "n/a" on an allow_na criterion
        self.na_refused = set()  # "n/a" without allow_na: an error unless `applies` is false
        self.evidence = set()    # criteria with evidence given
        self.applicable = {}     # criterion id -> bool
        self.marks = {}          # jury criterion id -> [Mark] that count
        self.errors = []
        self.warnings = []
        self.notes = {}          # criterion id -> [note]
        self.status = "scored"
        self.pre_invalid = False  # invalid before scoring (validation, applies rules)
        self.result = None

    @property
    def invalid(self):
        return bool(self.errors)

    def label(self):
        if self.id is None:
            return "dossier"
        return 'town %s "%s"' % (self.id, self.name or "")

    def error(self, msgs, text):
        self.errors.append(text)
        msgs.error(self.where, "%s: %s" % (self.label(), text))

    def warning(self, msgs, text):
        self.warnings.append(text)
        msgs.warning(self.where, "%s: %s" % (self.label(), text))


def is_na_answer(v):
    # DECISION: in JSON, not applicable is the string "n/a", compared case-insensitively.
    return isinstance(v, str) and v.lower() == "n/a"


def _check_answer(c, v):
    """(canonical answer, None) or (None, error text) for a non-null, non-n/a answer."""
    k = c.kind
    crit = 'criterion "%s"' % c.id
    if k == "jury":
        return None, "%s: a jury criterion is marked by jurors, not answered by the town" % crit
    if k == "yes-no":
        if isinstance(v, bool):
            return v, None
        return None, "%s: expected true or false, found %s" % (crit, _q(v))
    if k in ("number", "percent"):
        if not is_number(v):
            return None, "%s: expected a number, found %s" % (crit, _q(v))
        if k == "number" and v < 0:
            return None, "%s: expected a number >= 0, found %s" % (crit, _q(v))
        if k == "percent" and not 0 <= v <= 100:
            return None, "%s: expected a percent in [0, 100], found %s" % (crit, _q(v))
        return v, None
    if k == "choice":
        if not isinstance(v, str):
            return None, "%s: expected one option id, found %s" % (crit, _q(v))
        canon = c.options_ci.get(v.lower())
        if canon is None:
            return None, "%s: expected one of %s, found %s" % (
                crit, ", ".join(c.options), _q(v))
        return canon, None
    if k == "multi":
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            return None, "%s: expected an array of option ids, found %s" % (crit, _q(v))
        out = []
        for x in v:
            canon = c.options_ci.get(x.lower())
            if canon is None:
                return None, "%s: expected options among %s, found %s" % (
                    crit, ", ".join(c.options), _q(x))
            if canon not in out:   # DECISION: a set: a repeated option counts once
                out.append(canon)
        return out, None
    # info: any text; DECISION: numbers and booleans are accepted too, arrays/objects are not
    if isinstance(v, (list, dict)):
        return None, "%s: expected a text, found %s" % (crit, _q(v))
    return v, None


def validate_dossier(obj, where, index, rubric, msgs):
    d = Dossier(index, where)
    if not isinstance(obj, dict):
        d.error(msgs, "expected a dossier object, found %s" % _q(obj))
        return d
    town = obj.get("town")
    if isinstance(town, dict):
        d.town = dict(town)
        tid = town.get("id")
        if isinstance(tid, str) and tid != "":
            d.id = tid
        else:
            if is_number(tid):
                d.id = js_to_string(tid)
            d.error(msgs, "town.id: expected a non-empty string, found %s" % _q(tid))
        name = town.get("name")
        if isinstance(name, str) and name.strip() != "":
            d.name = name
        else:
            d.error(msgs, "town.name: expected a non-empty string, found %s" % _q(name))
    else:
        d.error(msgs, "town: expected an object with id and name, found %s" % _q(town))
    if "format" in obj and obj["format"] != "palmares-dossier/1":
        d.error(msgs, 'format: expected "palmares-dossier/1", found %s' % _q(obj["format"]))
    if "rubric" in obj and obj["rubric"] != rubric.id:
        d.error(msgs, "rubric: expected %s, found %s" % (_q(rubric.id), _q(obj["rubric"])))

    answers = obj.get("answers", {})
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        d.error(msgs, "answers: expected an object, found %s" % _q(answers))
        answers = {}
    for c in rubric.criteria:
        d.answers[c.id] = None
    for key, v in answers.items():
        c = rubric.by_id.get(key)
        if c is None:
            d.error(msgs, "unknown criterion %s" % _q(key))
            continue
        if v is None:
            continue
        if is_na_answer(v):
            if not c.allow_na and c.applies is None:
                d.error(msgs, 'criterion "%s": "n/a" is not allowed on this criterion' % c.id)
                continue
            if not c.allow_na:
                # docs/decisions.md (issue 13): accepted when the `applies` rule agrees
                d.na_refused.add(c.id)
            d.na.add(c.id)
            d.answers[c.id] = "n/a"
            continue
        canon, err = _check_answer(c, v)
        if err:
            d.error(msgs, err)
        else:
            d.answers[c.id] = canon

    evidence = obj.get("evidence", {})
    if evidence is None:
        evidence = {}
    if not isinstance(evidence, dict):
        d.error(msgs, "evidence: expected an object, found %s" % _q(evidence))
        evidence = {}
    for key, v in evidence.items():
        if key not in rubric.by_id:
            d.error(msgs, "evidence: unknown criterion %s" % _q(key))
        elif v is None:
            pass
        elif not isinstance(v, str):
            d.error(msgs, 'evidence of criterion "%s": expected a text, found %s' % (key, _q(v)))
        elif v.strip() != "":
            d.evidence.add(key)
    return d


def compute_applicability(d, rubric, msgs):
    """§4.1: `applies` rules (they see town and answers only) and n/a answers."""
    data = {"town": d.town, "answers": d.answers}
    for c in rubric.criteria:
        ok = True
        if c.applies is not None:
            try:
                ok = truthy(apply(c.applies, data))
            except RuleError as e:
                d.error(msgs, "%s: rule failed: %s" % (c.applies_name, e))
                return
        if ok and c.id in d.na_refused:
            d.error(msgs, 'criterion "%s": "n/a" is not allowed on this criterion, which applies '
                    'to this town' % c.id)
        if c.id in d.na:
            ok = False
        d.applicable[c.id] = ok
        if not ok and c.applies is not None and c.id not in d.na \
                and d.answers[c.id] is not None:
            d.warning(msgs, 'criterion "%s" does not apply to this town: answer ignored' % c.id)


# ===========================================================================================
# Marks (SPEC §5) and jury statistics (§5.1, §5.2)
# ===========================================================================================

MARK_COLUMNS = ("juror", "town_id", "criterion", "mark", "comment", "town_name", "title",
                "scale")


def read_marks(path, msgs):
    """Raw mark rows [(where, {juror, town_id, criterion, mark, comment})] from CSV or JSON."""
    if path.endswith(".json"):
        text = read_text(path, msgs)
        try:
            arr = json.loads(text)
        except ValueError as e:
            raise InputError("%s: error: malformed JSON: %s" % (path, e))
        if not isinstance(arr, list):
            raise InputError("%s: error: expected an array of marks" % path)
        out = []
        for i, o in enumerate(arr):
            where = "%s: marks[%d]" % (path, i)
            if not isinstance(o, dict):
                msgs.error(where, "expected an object")
                continue
            out.append((where, o))
        return out
    rows = read_csv_rows(path, msgs, MARK_COLUMNS, ("juror", "town_id", "criterion", "mark"))
    return [("%s:%d" % (path, line), row) for line, row in rows]


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    return v


def ingest_marks(rows, rubric, dossiers, msgs):
    """Validates mark rows and attaches the marks that count to their dossiers.
    Returns the accepted marks (in input order)."""
    by_town = {}
    for d in dossiers:
        if d.id is not None:
            by_town.setdefault(d.id, []).append(d)
    accepted = []
    for where, row in rows:
        raw = _cell(row.get("mark"))
        if raw == "":
            continue  # not marked yet
        juror = _cell(row.get("juror"))
        tid = _cell(row.get("town_id"))
        if isinstance(tid, (int, float)) and not isinstance(tid, bool):
            tid = js_to_string(tid)
        crit = _cell(row.get("criterion"))
        comment = row.get("comment") or ""
        bad = False
        if not isinstance(juror, str) or juror == "":
            msgs.error(where, "mark without a juror")
            bad = True
        if tid not in by_town:
            msgs.error(where, "unknown town %s" % _q(tid))
            bad = True
        c = rubric.by_id.get(crit)
        if c is None:
            msgs.error(where, "unknown criterion %s" % _q(crit))
            bad = True
        elif c.kind != "jury":
            msgs.error(where, 'criterion "%s" is not a jury criterion' % crit)
            bad = True
        value = raw if is_number(raw) else parse_number(raw) if isinstance(raw, str) else None
        if value is None:
            msgs.error(where, "expected a mark, found %s" % _q(raw))
            bad = True
        elif c is not None and c.kind == "jury" and not c.scale[0] <= value <= c.scale[1]:
            msgs.error(where, 'criterion "%s": mark %s outside the scale [%s, %s]' % (
                crit, _q(raw), js_to_string(c.scale[0]), js_to_string(c.scale[1])))
            bad = True
        if not bad:
            accepted.append(Mark(juror, tid, crit, float(value), comment, where))
    # The same juror marking the same town and criterion twice: DECISION: every such mark is
    # rejected (like a town id submitted twice, the organizer decides which one stands).
    groups = {}
    for m in accepted:
        groups.setdefault((m.juror, m.town_id, m.criterion), []).append(m)
    out = []
    for m in accepted:
        g = groups[(m.juror, m.town_id, m.criterion)]
        if len(g) > 1:
            others = ", ".join(x.where for x in g if x is not m)
            msgs.error(m.where, 'juror "%s" marks town %s on "%s" more than once (also %s)'
                       % (m.juror, m.town_id, m.criterion, others))
            continue
        out.append(m)
    for m in out:
        c = rubric.by_id[m.criterion]
        lo, hi = c.scale
        m.fraction = (m.value - lo) / (hi - lo)
        m.calibrated = m.fraction
        for d in by_town[m.town_id]:
            if d.pre_invalid:
                continue
            if not d.applicable.get(m.criterion, False):
                msgs.warning(m.where, 'criterion "%s" does not apply to town %s: mark ignored'
                             % (m.criterion, m.town_id))
                continue
            d.marks.setdefault(m.criterion, []).append(m)
    return out


def mean(xs):
    s = 0.0
    for x in xs:
        s += x
    return s / len(xs)


def pop_sd(xs):
    mu = mean(xs)
    s = 0.0
    for x in xs:
        s += (x - mu) * (x - mu)
    return math.sqrt(s / len(xs))


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def aggregate(values, method):
    """§1.1 jury aggregate of a non-empty list: mean, median (mean of the two middle values
    for an even count) or trimmed-mean (one lowest and one highest dropped from 4 values)."""
    if method == "median":
        return median(values)
    if method == "trimmed-mean" and len(values) >= 4:
        return mean(sorted(values)[1:-1])
    return mean(values)


def calibrate(counted, calibrate_min, enabled):
    """§5.1 on the marks that count (list of Mark, campaign order). Sets Mark.calibrated and
    returns {juror: (marks, mean, sd, calibrated)} in first-appearance order."""
    per = {}
    for m in counted:
        per.setdefault(m.juror, []).append(m)
    stats = {}
    if not counted:
        return stats
    all_f = [m.fraction for m in counted]
    mu, sigma = mean(all_f), pop_sd(all_f)
    for j, ms in per.items():
        fs = [m.fraction for m in ms]
        mj, sj = mean(fs), pop_sd(fs)
        cal = enabled and len(ms) >= calibrate_min and sj > 0
        for m in ms:
            if cal:
                m.calibrated = min(1.0, max(0.0, mu + sigma * (m.fraction - mj) / sj))
            else:
                m.calibrated = m.fraction
        stats[j] = (len(ms), mj, sj, cal)
    return stats


def krippendorff_interval(units):
    """Krippendorff's alpha, interval metric, for a list of units (each a list of the values
    given to it; units with fewer than 2 values are not pairable and ignored).
    Returns (alpha or None, pairable units, pairable values).

    alpha = 1 - (n - 1) * sum_u [sum_{i!=j in u} (v_i - v_j)^2 / (m_u - 1)]
                        / sum_{i!=j over all pairable values} (v_i - v_j)^2
    None when there is no pairable unit or no variation at all (D_e = 0)."""
    pairable = [u for u in units if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    if not pairable:
        return None, 0, 0
    def pair_sum(vs):
        # sum over ordered pairs i != j of (v_i - v_j)^2 = 2 m sum v^2 - 2 (sum v)^2, computed
        # around the mean for accuracy
        mu = mean(vs)
        return 2 * len(vs) * sum((v - mu) ** 2 for v in vs)
    do = sum(pair_sum(u) / (len(u) - 1) for u in pairable)
    de = pair_sum([v for u in pairable for v in u])
    if de == 0:
        return None, len(pairable), n
    return 1 - (n - 1) * do / de, len(pairable), n


# ===========================================================================================
# Scoring (SPEC §4)
# ===========================================================================================

def criterion_fraction(c, d, rubric):
    """§4.2: (fraction, aggregate info) of an applicable, scored criterion."""
    if c.kind == "jury":
        ms = d.marks.get(c.id, [])
        if not ms:
            return 0.0, {"aggregate": None, "aggregate_raw": None, "disagreement": False}
        lo, hi = c.scale
        raw_agg = aggregate([m.value for m in ms], rubric.aggregate)
        if rubric.calibrate == "z":
            frac = aggregate([m.calibrated for m in ms], rubric.aggregate)
            agg = lo + frac * (hi - lo)
        else:
            agg = raw_agg
            frac = (raw_agg - lo) / (hi - lo)
        spread = max(m.value for m in ms) - min(m.value for m in ms)
        dis = rubric.disagreement is not None and spread > rubric.disagreement
        return frac, {"aggregate": agg, "aggregate_raw": raw_agg, "disagreement": dis}
    a = d.answers.get(c.id)
    if a is None:
        d.warning_list.append('criterion "%s" unanswered' % c.id)
        return 0.0, None
    if c.evidence == "required" and c.id not in d.evidence:
        d.notes.setdefault(c.id, []).append("required evidence missing: fraction 0")
        return 0.0, None
    if c.kind == "yes-no":
        return (1.0 if a else 0.0), None
    if c.kind == "number":
        f = 0.0
        for t, fr in c.steps:
            if a >= t:
                f = fr
        return f, None
    if c.kind == "percent":
        return a / 100.0, None
    if c.kind == "choice":
        return c.options[a], None
    if c.kind == "multi":
        s = 0.0
        for o in a:
            s += c.options[o]
        return min(1.0, s), None
    return 0.0, None


def score_dossier(d, rubric):
    """§4.1-4.4 at full precision. Returns (criteria results, category results, total);
    the criteria and category dicts hold exactly what rules see (§2).  Jury details go to
    d.jury."""
    d.warning_list = []
    d.jury = {}
    crit = {}
    cats = {}
    for cat in rubric.categories:
        P = A = E = 0.0
        fr = {}
        for c in cat.criteria:
            if not c.scored:
                continue
            P += c.points
            if d.applicable[c.id]:
                f, jury = criterion_fraction(c, d, rubric)
                fr[c.id] = (f, jury)
                A += c.points
                E += c.points * f
        if cat.mode == "redistribute":
            if A > 0:
                cpoints, cmax = P * E / A, P
            else:
                cpoints, cmax = 0.0, 0.0
        else:
            cpoints, cmax = E, A
        for c in cat.criteria:
            app = d.applicable[c.id]
            if not c.scored:
                crit[c.id] = {"applicable": app, "fraction": None, "points": None, "max": None}
                continue
            if app:
                f, jury = fr[c.id]
                cm = c.points * P / A if cat.mode == "redistribute" else c.points
                crit[c.id] = {"applicable": True, "fraction": f, "points": cm * f, "max": cm}
                if jury is not None:
                    d.jury[c.id] = jury
            else:
                crit[c.id] = {"applicable": False, "fraction": 0.0, "points": 0.0, "max": 0.0}
        cats[cat.id] = {"points": cpoints, "max": cmax,
                        "percent": 100 * cpoints / cmax if cmax > 0 else 0.0}
    tp = tm = 0.0
    for cat in rubric.categories:
        tp += cats[cat.id]["points"]
        tm += cats[cat.id]["max"]
    total = {"points": tp, "max": tm, "percent": 100 * tp / tm if tm > 0 else 0.0}
    return crit, cats, total


def rule_data(d, crit, cats, total, history=None):
    """The data a `requires` / `when` rule sees (§2). DECISION: full-precision numbers."""
    return {
        "town": d.town,
        "answers": d.answers,
        "criteria": crit,
        "categories": cats,
        "total": total,
        "history": history or {},
    }


def compute_levels(rubric, pct, data):
    """Evaluates every level's `requires` and returns (computed level, [requires met])."""
    met = []
    for lv in rubric.levels:
        if lv.requires is None:
            met.append(True)
            continue
        try:
            met.append(truthy(apply(lv.requires, data)))
        except RuleError as e:
            raise RuleError("levels[%d].requires: rule failed: %s" % (lv.number - 1, e))
    k = 0
    for lv, ok in zip(rubric.levels, met):
        if pct >= Decimal(repr(float(lv.min_percent))) and ok:
            k = lv.number
        else:
            break
    return k, met


def read_overrides(rows, rubric, by_id, msgs):
    """§5 overrides: {town id: (level number, reason, where)} of the acceptable rows."""
    seen = {}
    for where, row in rows:
        seen.setdefault(_cell(row.get("town_id")), []).append(where)
    out = {}
    for where, row in rows:
        tid = _cell(row.get("town_id"))
        lvl = _cell(row.get("level"))
        reason = _cell(row.get("reason"))
        if len(seen[tid]) > 1:
            # DECISION: a town overridden twice: every such row is rejected
            msgs.error(where, "town %s overridden more than once (%s)" % (
                _q(tid), ", ".join(seen[tid])))
            continue
        if tid not in by_id:
            msgs.error(where, "override names unknown town %s" % _q(tid))
            continue
        num = None
        if isinstance(lvl, int) and not isinstance(lvl, bool):
            num = lvl
        elif isinstance(lvl, str) and re.fullmatch(r"\d+", lvl):
            num = int(lvl)
        elif isinstance(lvl, str):
            for lv in rubric.levels:
                if lv.name == lvl:
                    num = lv.number
        if num is None or not 0 <= num <= len(rubric.levels):
            msgs.error(where, "override of town %s: unknown level %s" % (_q(tid), _q(lvl)))
            continue
        if not isinstance(reason, str) or reason == "":
            msgs.error(where, "override of town %s: a reason is required" % _q(tid))
            continue
        out[tid] = (num, reason, where)
    return out


def score_one(d, rubric, override, msgs):
    """§4.2-4.8 for one valid dossier: scores, pending, level, override, mentions.  Leaves
    d.result with compact per-criterion and per-category tuples (rubric order)."""
    crit, cats, total = score_dossier(d, rubric)
    for w in d.warning_list:
        d.warning(msgs, w)
    d.result = {"crit": crit, "cats": cats, "total": total, "pct": dec2(total["percent"]),
                "computed": None, "level": None, "met": None, "override": None,
                "mentions": [], "rank": None}
    short = [c.id for c in rubric.jury_criteria
             if d.applicable[c.id] and len(d.marks.get(c.id, [])) < rubric.min_marks]
    if short:
        d.status = "pending"
        d.warning(msgs, "pending: fewer than %d marks on %s" % (
            rubric.min_marks, ", ".join('"%s"' % x for x in short)))
    else:
        data = rule_data(d, crit, cats, total)
        try:
            k, met = compute_levels(rubric, d.result["pct"], data)
            d.result.update(computed=k, level=k, met=met)
            if override is not None:
                d.result["level"] = override[0]
                d.result["override"] = {"level": override[0], "reason": override[1]}
            # §4.8: mentions on the final level
            data["level"] = d.result["level"]
            for m in rubric.mentions:
                if m.min_level <= d.result["level"]:
                    try:
                        ok = truthy(apply(m.when, data))
                    except RuleError as e:
                        raise RuleError("mentions[%d].when: rule failed: %s" % (m.index, e))
                    if ok:
                        d.result["mentions"].append(m.id)
        except RuleError as e:
            d.error(msgs, str(e))
            d.status = "invalid"
            d.result = None
            return
    # compact what the results need; rule data is no longer needed
    d.result["crit"] = [tuple(crit[c.id][k] for k in ("applicable", "fraction", "points", "max"))
                        for c in rubric.criteria]
    d.result["cats"] = [tuple(cats[c.id][k] for k in ("points", "max", "percent"))
                        for c in rubric.categories]
    d.town = d.applicable = None


def run(rubric, dossier_objs, mark_rows=(), override_rows=(), msgs=None, lazy=False):
    """Scores a campaign. dossier_objs: [(object or None, where, parse error or None)];
    mark_rows: [(where, row dict)]; override_rows: [(where, row dict)].
    Returns (results dict, Messages); see build_results for lazy."""
    msgs = msgs or Messages()
    dossiers = []
    for i, (obj, where, perr) in enumerate(dossier_objs):
        if perr is not None:
            d = Dossier(i, where)
            d.error(msgs, perr)
            dossiers.append(d)
            continue
        dossiers.append(validate_dossier(obj, where, i, rubric, msgs))

    # A town id submitted twice: every dossier carrying it is invalid.
    seen = {}
    for d in dossiers:
        if d.id is not None:
            seen.setdefault(d.id, []).append(d)
    for tid, ds in seen.items():
        if len(ds) > 1:
            for d in ds:
                others = ", ".join(x.where for x in ds if x is not d)
                d.error(msgs, "town id %s submitted more than once (also %s)" % (_q(tid), others))

    for d in dossiers:
        if not d.invalid:
            compute_applicability(d, rubric, msgs)
        d.pre_invalid = d.invalid

    marks = ingest_marks(list(mark_rows), rubric, dossiers, msgs)
    counted = [m for d in dossiers if not d.pre_invalid
               for ms in d.marks.values() for m in ms]
    # keep campaign (input) order for the statistics
    order = {id(m): k for k, m in enumerate(marks)}
    counted.sort(key=lambda m: order[id(m)])
    jstats = calibrate(counted, rubric.calibrate_min, rubric.calibrate == "z")

    by_id = {}
    for d in dossiers:
        if d.id is not None:
            by_id.setdefault(d.id, []).append(d)
    overrides = read_overrides(override_rows, rubric, by_id, msgs)

    # Scores, levels, overrides and mentions, one dossier at a time.
    for d in dossiers:
        if d.pre_invalid:
            d.status = "invalid"
            continue
        score_one(d, rubric, overrides.get(d.id), msgs)
    for tid, (num, reason, where) in overrides.items():
        for d in by_id[tid]:
            if d.status != "scored":
                msgs.warning(where, "override of town %s ignored: the dossier is %s"
                             % (_q(tid), d.status))

    # Rank (§4.10): competition ranking on the rounded percent.
    scored = [d for d in dossiers if d.status == "scored"]
    pcts = sorted((d.result["pct"] for d in scored), reverse=True)
    first = {}
    for k, p in enumerate(pcts):
        first.setdefault(p, k + 1)
    for d in scored:
        d.result["rank"] = first[d.result["pct"]]

    # Jury section (§5.1, §5.2).
    jury = None
    if rubric.jury_criteria:
        jcrit = []
        for c in rubric.jury_criteria:
            units = [[m.value for m in d.marks.get(c.id, [])] for d in dossiers
                     if not d.pre_invalid]
            alpha, nu, nm = krippendorff_interval(units)
            jcrit.append({"id": c.id, "alpha": round2(alpha), "dossiers": nu, "marks": nm})
        jurors = []
        for j in sorted(jstats):  # DECISION: jurors sorted by id (byte order)
            n, mj, sj, cal = jstats[j]
            jurors.append({"id": j, "marks": n, "mean": round2(mj), "sd": round2(sj),
                           "calibrated": cal})
        jury = {"aggregate": rubric.aggregate, "calibrate": rubric.calibrate,
                "criteria": jcrit, "jurors": jurors}

    return build_results(rubric, dossiers, jury, lazy), msgs


def town_entry(rubric, d):
    """The §6 results entry of one dossier.  Frees the dossier's scoring state."""
    n_levels = len(rubric.levels)
    t = {"id": d.id, "name": d.name, "status": d.status}
    if d.status == "invalid":
        t.update({"score": None, "computed_level": None, "level": None, "level_name": None,
                  "override": None, "mentions": [], "rank": None, "categories": [],
                  "criteria": [], "next_level": None})
    else:
        r = d.result
        tot = r["total"]
        t["score"] = {"points": round2(tot["points"]), "max": round2(tot["max"]),
                      "percent": num_out(r["pct"])}
        lvl = r["level"]
        t["computed_level"] = r["computed"]
        t["level"] = lvl
        t["level_name"] = rubric.levels[lvl - 1].name if lvl else None
        t["override"] = r["override"]
        t["mentions"] = r["mentions"]
        t["rank"] = r["rank"]
        t["categories"] = [{"id": cat.id, "points": round2(points), "max": round2(cmax),
                            "percent": round2(pct)}
                           for cat, (points, cmax, pct) in zip(rubric.categories, r["cats"])]
        crits = []
        for c, (app, fraction, points, cmax) in zip(rubric.criteria, r["crit"]):
            e = {"id": c.id, "category": c.category, "kind": c.kind,
                 "applicable": app, "answer": d.answers.get(c.id)}
            if c.kind == "jury":
                e["answer"] = None
                e["marks"] = [{"juror": m.juror, "mark": num_out(dec2(m.value)),
                               "comment": m.comment} for m in d.marks.get(c.id, [])]
                jr = d.jury.get(c.id) or {"aggregate": None, "aggregate_raw": None,
                                          "disagreement": False}
                e["aggregate"] = round2(jr["aggregate"])
                e["aggregate_raw"] = round2(jr["aggregate_raw"])
                e["disagreement"] = jr["disagreement"]
            e["fraction"] = round2(fraction)
            e["points"] = round2(points)
            e["max"] = round2(cmax)
            e["notes"] = list(d.notes.get(c.id, []))
            crits.append(e)
        t["criteria"] = crits
        t["next_level"] = None
        if d.status == "scored" and lvl < n_levels:
            nxt = rubric.levels[lvl]  # level number lvl + 1
            missing = max(0.0, nxt.min_percent * tot["max"] / 100 - tot["points"])
            t["next_level"] = {
                "level": nxt.number, "name": nxt.name, "min_percent": nxt.min_percent,
                "points_missing": round2(missing),
                "unmet_requires": [lv.number for lv, ok in
                                   zip(rubric.levels[:nxt.number], r["met"]) if not ok]}
    t["errors"] = list(d.errors)
    t["warnings"] = list(d.warnings)
    d.result = None
    return t


def build_results(rubric, dossiers, jury, lazy=False):
    """The results object (§6).  With lazy, "towns" is a generator (consumed once) that
    builds each entry when it is written, so that memory does not hold them all."""
    levels_count = {str(k): 0 for k in range(len(rubric.levels) + 1)}
    mentions_count = {m.id: 0 for m in rubric.mentions}
    counts = {"scored": 0, "pending": 0, "invalid": 0}
    for d in dossiers:
        counts[d.status] += 1
        if d.status == "scored":
            levels_count[str(d.result["level"])] += 1
            for m in d.result["mentions"]:
                mentions_count[m] += 1
    towns = (town_entry(rubric, d) for d in dossiers)
    out = {
        "format": "palmares-results/1",
        "generator": "palmares_ref.py (reference implementation)",
        "rubric": {"id": rubric.id, "edition": rubric.edition, "label": rubric.label,
                   "levels": [lv.name for lv in rubric.levels],
                   "mentions": {m.id: m.name for m in rubric.mentions}},
        "summary": {"dossiers": len(dossiers), "scored": counts["scored"],
                    "pending": counts["pending"], "invalid": counts["invalid"],
                    "levels": levels_count, "mentions": mentions_count},
        "towns": towns if lazy else list(towns),
    }
    if jury is not None:
        out["jury"] = jury
    return out


def write_results(res, out):
    """JSON with one town a line (towns may be a generator)."""
    items = list(res.items())
    out.write("{\n")
    for i, (k, v) in enumerate(items):
        out.write(" %s: " % json.dumps(k))
        if k == "towns":
            out.write("[")
            sep = "\n  "
            for t in v:
                out.write(sep + json.dumps(t, ensure_ascii=False))
                sep = ",\n  "
            out.write("\n ]")
        else:
            out.write(json.dumps(v, ensure_ascii=False))
        out.write(",\n" if i < len(items) - 1 else "\n")
    out.write("}\n")


# ===========================================================================================
# Command line
# ===========================================================================================

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="palmares_ref.py",
        description="Reference implementation of palmares scoring (SPEC §4-§6): "
                    "results JSON on stdout.")
    ap.add_argument("rubric")
    ap.add_argument("dossiers", nargs="+", help="JSON dossiers: .json (object or array) "
                    "or .jsonl")
    ap.add_argument("--marks", action="append", default=[], help="marks CSV or JSON")
    ap.add_argument("--overrides", help="overrides CSV")
    args = ap.parse_args(argv)
    msgs = Messages()
    try:
        rtext = read_text(args.rubric, msgs)
        try:
            robj = json.loads(rtext)
        except ValueError as e:
            line, col = _line_col(rtext, getattr(e, "pos", 0))
            print("%s:%d:%d: error: malformed JSON: %s" % (args.rubric, line, col,
                                                           getattr(e, "msg", e)),
                  file=sys.stderr)
            return 1
        try:
            rubric = load_rubric(robj)
        except RubricError as e:
            for pr in e.problems:
                print("%s: error: %s" % (args.rubric, pr), file=sys.stderr)
            return 1
        sources = []
        for path in args.dossiers:
            if not path.endswith((".json", ".jsonl")):
                raise InputError("%s: error: only .json and .jsonl dossiers are supported by "
                                 "the reference" % path)
            sources.append(read_json_dossiers(path, msgs))
        objs = itertools.chain.from_iterable(sources)
        mrows = []
        for path in args.marks:
            mrows.extend(read_marks(path, msgs))
        orows = []
        if args.overrides:
            orows = [("%s:%d" % (args.overrides, line), row) for line, row in
                     read_csv_rows(args.overrides, msgs, ("town_id", "level", "reason"),
                                   ("town_id", "level", "reason"))]
    except InputError as e:
        for m in msgs.items:
            print(m, file=sys.stderr)
        print(str(e), file=sys.stderr)
        return 2
    results, msgs = run(rubric, objs, mrows, orows, msgs, lazy=True)
    for m in msgs.items:
        print(m, file=sys.stderr)
    write_results(results, sys.stdout)
    return 1 if msgs.errors else 0


if __name__ == "__main__":
    sys.exit(main())
