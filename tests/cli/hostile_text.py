#!/usr/bin/env python3
"""Hostile text (issue 6, point 6): the same hostile strings — NUL, C0 and C1
controls, an ANSI escape, bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069), U+200E/U+200F, U+061C, U+FEFF, U+2028, invalid and overlong
UTF-8, surrogates — are fed through every way text enters palmares: CSV and
JSON dossiers (names, ids, attributes and their names, info answers, evidence,
column names and JSON keys, bad values quoted in messages), JSON Lines, marks
in CSV and JSON (juror ids, comments, bad marks), overrides (reasons), the
rubric (label, titles, mention names; level names and option ids, which are
refused), and a hand-made results file for the documents.

Every output — results JSON (raw text and decoded strings), CSV and text,
explain, templates, the messages on stderr, and the text of the certificates,
reports and booklet (pdftotext) — must be valid UTF-8 and hold none of those
characters; the visible part of each text must survive; and a message quoting
a hidden character shows it as <U+XXXX> or \\uXXXX, never raw.

usage: hostile_text.py PATH/TO/palmares
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from checks import check, summary

PALMARES = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="palmares-hostile-")
# Forbidden in any output: C0 controls but LF, CR, and form feed between pdftotext pages; DEL;
# C1 controls; directional formatting; BOM; line and paragraph separators.
# Issue 19, item 17: the invisible characters too (zero-width space and joiners, word joiner,
# soft hyphen, CGJ, Hangul fillers, interlinear annotation).
FORBIDDEN = re.compile("[\x00-\x09\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                       "\u2066-\u2069\ufeff\u2028\u2029\u200b-\u200d\u2060-\u2064\u00ad\u034f"
                       "\u115f\u1160\u3164\uffa0\ufff9-\ufffb]")
RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
# One string with every kind of hidden character (valid UTF-8) around visible letters.
HOSTILE = ("Ville" + RLO + "\u202a\u202b\u202c\u202d" + LRI + "\u2067\u2068" + PDI +
           "\u200e\u200f\u061c\x01\x1b[31m\x7f\u0085\u009b\ufeff\u2028E\u200b\u200d\u2060\u00ad"
           "\u034f\u115f\u1160\u3164\uffa0\ufff9\ufffa\ufffbst")
VISIBLE = "Ville[31m Est"  # what is left: ESC removed ("[31m" is plain text), U+2028 a space
# Invalid UTF-8, in the bytes of a JSON-free file (CSV read as Windows-1252) or of a message.
BAD_BYTES = b"\xff\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80"


def path(name):
    return os.path.join(TMP, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path(name)


def run(*args, env=None):
    e = dict(os.environ, LANG="C.UTF-8", SOURCE_DATE_EPOCH="1800000000")
    e.update(env or {})
    p = subprocess.run([PALMARES, *args], capture_output=True, env=e)
    check(p.returncode < 128 and b"Sanitizer" not in p.stderr and b"runtime error" not in p.stderr,
          "palmares %s crashed (%d): %s" % (args[0], p.returncode, p.stderr[-300:]))
    return p.returncode, p.stdout, p.stderr


def clean_bytes(what, data, allow_ff=False):
    """The bytes are valid UTF-8 without a forbidden character; returns the text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        check(False, "%s: invalid UTF-8 at byte %d: %r" % (what, e.start, data[max(0, e.start - 20):e.start + 5]))
        return data.decode("utf-8", "replace")
    bad = [m for m in FORBIDDEN.finditer(text) if not (allow_ff and m.group() == "\f")]
    check(not bad, "%s: holds U+%04X at %d: %r" % (
        what, ord(bad[0].group()), bad[0].start(), text[max(0, bad[0].start() - 30):bad[0].start() + 10])
        if bad else what)
    return text


def clean_json(what, value, where="$"):
    """Every string of a decoded JSON value (keys included) is clean."""
    if isinstance(value, str):
        m = FORBIDDEN.search(value)
        check(not m, "%s: %s holds U+%04X: %r" % (what, where, ord(m.group()), value) if m else what)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            clean_json(what, v, "%s[%d]" % (where, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            clean_json(what, k, where + ".<key>")
            clean_json(what, v, "%s.%s" % (where, k))


def pdf_text(pdf):
    p = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True)
    check(p.returncode == 0, "pdftotext %s" % pdf)
    return p.stdout


RUBRIC = {
    "format": "palmares-rubric/1", "id": "hostile-2027", "edition": 2027,
    "label": {"fr": "Label " + HOSTILE, "en": "Label " + HOSTILE},
    "language": "fr",
    "categories": [{"id": "c", "title": "Cat\u00e9gorie " + HOSTILE, "criteria": [
        {"id": "yes", "title": "Oui " + HOSTILE, "kind": "yes-no", "points": 5, "evidence": "optional"},
        {"id": "choice", "kind": "choice", "points": 5, "options": {"libre": 1, "autre": 0}},
        {"id": "note", "kind": "info", "title": HOSTILE},
        {"id": "inno", "kind": "jury", "points": 5, "scale": [0, 5]}]}],
    "jury": {"min_marks": 0},
    "levels": [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 30}],
    "mentions": [{"id": "m", "name": {"fr": "Mention " + HOSTILE}, "when": True}],
}


def main():
    rubric = write("rubric.json", json.dumps(RUBRIC, ensure_ascii=False))
    # CSV in UTF-8: hostile town id, name, attribute and its column name, info answer, evidence,
    # a bad value quoted in a message, an unknown column.
    csv = ("town_id,town_name,population,town.epci" + RLO + ",yes,yes.evidence,choice,note,bogus" + LRI + "\n"
           '1,"' + HOSTILE + '",1000,"' + HOSTILE + '",oui,"http://e/' + HOSTILE + '",libre,"' + HOSTILE + '",\n'
           '2' + RLO + ',Ouest,500,x,"o' + RLO + 'ui",,aut' + LRI + 're,,\n')
    write("d.csv", csv)
    # CSV that is not UTF-8 (read as Windows-1252, with a warning) with C0 controls as well.
    write("d1252.csv", b"town_id;town_name;yes;note\r\n3;Ville\x01\x1b" + BAD_BYTES + b"Est;oui;n\x0b\x85te\r\n")
    # A CSV with a NUL byte is not text: refused whole.
    write("dnul.csv", b"town_id,town_name\n9,Nul\x00Ville\n")
    town = {"id": "4", "name": HOSTILE, "population": 8000, "region": HOSTILE, "x" + RLO + "y": HOSTILE}
    doc = [{"town": town,
            "answers": {"yes": True, "choice": "libre", "note": HOSTILE},
            "evidence": {"yes": HOSTILE},
            "contact": {"name": HOSTILE},
            "unknown" + RLO: 1},
           {"town": {"id": "5" + PDI, "name": "Sud"},
            "answers": {"yes": "o" + RLO + "ui", "crit" + LRI: 1, "choice": "li" + RLO + "bre"}}]
    write("d.json", json.dumps(doc, ensure_ascii=False))
    write("d.jsonl", json.dumps({"town": {"id": "6", "name": HOSTILE}, "answers": {"note": HOSTILE}},
                                ensure_ascii=False) + "\n" + '{"town": "\u202e\n')
    # A JSON dossier with invalid UTF-8 is malformed (jansson): the message must still be clean.
    write("dbad.json", b'[{"town": {"id": "7", "name": "Ville' + BAD_BYTES + b'"}}]')
    write("marks.csv", "juror,town_id,criterion,mark,comment\n"
          "j" + RLO + "1,1,inno,4,\"" + HOSTILE + "\"\n"
          "j2,4,inno,qu" + RLO + "atre,\n")
    write("marks.json", json.dumps([{"juror": "j" + LRI + "3", "town_id": "4", "criterion": "inno",
                                     "mark": 3, "comment": HOSTILE}], ensure_ascii=False))
    write("overrides.csv", "town_id,level,reason\n4,@,\"" + HOSTILE + "\"\n")
    ins = [rubric, path("d.csv"), path("d1252.csv"), path("d.json"), path("d.jsonl")]
    marks = ["--marks", path("marks.csv"), "--marks", path("marks.json")]
    over = ["--overrides", path("overrides.csv")]

    outputs = {}
    for fmt in ("json", "csv", "text"):
        rc, out, err = run("score", *ins, *marks, *over, "--format", fmt)
        check(rc == 1, "score --format %s: exit %d, expected 1 (rejected values)" % (fmt, rc))
        outputs["score " + fmt] = out
        outputs["stderr of score " + fmt] = err
    for t in ("1", "4"):
        rc, out, err = run("explain", *ins, *marks, *over, "--town", t, "--lang", "en")
        check(rc in (0, 1), "explain %s: exit %d" % (t, rc))
        outputs["explain " + t] = out
        outputs["stderr of explain " + t] = err
    rc, out, err = run("check", *ins, *marks)
    outputs["stderr of check"] = err
    for f in ("csv", "json", "schema"):
        rc, out, err = run("template", rubric, "--format", f)
        check(rc == 0, "template %s" % f)
        outputs["template " + f] = out
    for bad in ("dnul.csv", "dbad.json"):
        rc, out, err = run("score", rubric, path(bad))
        check(rc in (1, 2), "score %s: exit %d" % (bad, rc))
        outputs["stderr of score " + bad] = err
    # Issue 19, item 17: a name that mixes Latin with Cyrillic or Greek look-alikes is warned about
    # by check and score (for the organizer); a plain Cyrillic or accented name is not.
    write("lookalike.csv", "town_id,town_name,yes\n75056,\u0420aris,oui\n75057,Saint-\u039fmer,oui\n"
          "75058,\u041c\u043e\u0441\u043a\u0432\u0430,oui\n75059,L\u2019Ha\u00ff-les-Roses,oui\n")
    for cmd in ("check", "score"):
        rc, out, err = run(cmd, rubric, path("lookalike.csv"))
        e = err.decode("utf-8", "replace")
        check(rc == 0 and 'town 75056 "\u0420aris": the name mixes Latin, Cyrillic or Greek letters in one word '
              '("\u0420" is Cyrillic)' in e and '"\u039f" is Greek' in e and "75058" not in e and "75059" not in e,
              "%s warns about look-alike names only: %d %s" % (cmd, rc, e[-400:]))
    rc, out, err = run("validate", rubric)
    check(rc == 0, "validate: the hostile texts of the rubric are cleaned, not refused (%d)" % rc)

    texts = {k: clean_bytes(k, v) for k, v in outputs.items()}
    scored = json.loads(texts["score json"])
    clean_json("results", scored)
    towns = {t["id"]: t for t in scored["towns"]}
    check({"1", "2", "3", "4", "5", "6"} <= set(towns), "every row and object is listed: %s" % sorted(towns))
    check(towns.get("1", {}).get("name") == VISIBLE,
          "CSV name neutralised to %r: %r" % (VISIBLE, towns.get("1", {}).get("name")))
    check(towns.get("4", {}).get("name") == VISIBLE, "JSON name neutralised: %r" % towns.get("4", {}).get("name"))
    check("Label Ville" in json.dumps(scored["rubric"]["label"], ensure_ascii=False),
          "rubric label kept, cleaned: %r" % scored["rubric"]["label"])
    msgs = "\n".join(texts[k] for k in texts if k.startswith("stderr"))
    check("<U+202E>" in msgs, "messages show a hidden character as <U+202E>")
    check(RLO not in msgs, "no raw U+202E in messages")
    check("<U+0001>" in texts["stderr of score dbad.json"] or "malformed JSON" in texts["stderr of score dbad.json"],
          "invalid UTF-8 in JSON is reported: %r" % texts["stderr of score dbad.json"][-200:])
    check("NUL byte" in texts["stderr of score dnul.csv"], "a NUL byte refuses the CSV file")

    # Documents rendered from these results, and from a hand-made results file whose texts were
    # never cleaned (the loader of reports/ cleans them again).
    res = write("results.json", outputs["score json"])
    forged = json.loads(texts["score json"])
    for t in forged["towns"]:
        t["name"] = HOSTILE
        if t.get("level"):
            t["level_name"] = "@" + RLO
    forged["rubric"]["label"] = {"fr": HOSTILE}
    forged["rubric"]["mentions"] = {"m": {"fr": "Mention " + HOSTILE}}
    forged_path = write("forged.json", json.dumps(forged, ensure_ascii=False))
    for src in (res, forged_path):
        for kind in ("certificates", "report", "booklet"):
            pdf = path("%s-%s.pdf" % (os.path.basename(src), kind))
            rc, out, err = run(kind, src, "-o", pdf)
            check(rc in (0, 1) and os.path.exists(pdf), "%s from %s: exit %d %s" % (kind, src, rc, err[-200:]))
            clean_bytes("stderr of " + kind, err)
            if os.path.exists(pdf):
                text = clean_bytes("pdftotext %s of %s" % (kind, os.path.basename(src)), pdf_text(pdf),
                                   allow_ff=True)
                check("Ville" in text and "Est" in text, "%s shows the visible part of the name" % kind)

    # Level names and option ids are matched against what organizers type: refused, shown visibly.
    for field, value in (("level", "@" + RLO), ("option", "li" + RLO + "bre")):
        r = json.loads(json.dumps(RUBRIC))
        if field == "level":
            r["levels"][1]["name"] = value
        else:
            r["categories"][0]["criteria"][1]["options"] = {value: 1}
        rc, out, err = run("validate", write("r-%s.json" % field, json.dumps(r, ensure_ascii=False)))
        text = clean_bytes("stderr of validate with a hidden %s" % field, err)
        check(rc == 1 and "<U+202E>" in text, "a %s name with U+202E is refused, shown: %d %r" % (field, rc, text))

    status = summary()
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
