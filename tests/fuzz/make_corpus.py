#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Seeds are small valid inputs taken from criteria/, examples/ and the JsonLogic
conformance cases, plus hand-written hostile ones (bad encodings, NUL bytes,
bidirectional overrides, deep nesting, quotes left open, huge numbers...).
Run from the repository root after a build, as
    tests/fuzz/make_corpus.py BUILD/cli/palmares
The files are committed; rerunning rewrites them (same content).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")

FIXTURE_RUBRIC = {
    "format": "palmares-rubric/1", "id": "fuzz-2027", "edition": 2027,
    "label": {"fr": "Label fuzz", "en": "Fuzz label"}, "language": "fr",
    "categories": [
        {"id": "services", "title": "Services", "criteria": [
            {"id": "yn", "kind": "yes-no", "points": 4, "evidence": "optional"},
            {"id": "num", "kind": "number", "points": 10, "steps": [[1, 0.2], [5, 0.5], [20, 1]]},
            {"id": "pct", "kind": "percent", "points": 10},
            {"id": "ch", "kind": "choice", "points": 6, "options": {"libre": 1, "mixte": 0.5, "na": 0}},
            {"id": "mu", "kind": "multi", "points": 8, "options": {"a": 0.4, "b": 0.4, "c": 0.4}},
            {"id": "big", "kind": "yes-no", "points": 3, "allow_na": True, "evidence": "required",
             "applies": {">=": [{"var": "town.population"}, 3500]}},
            {"id": "note", "kind": "info"}]},
        {"id": "jury-cat", "not_applicable": "exclude", "criteria": [
            {"id": "inno", "kind": "jury", "points": 15, "scale": [0, 5]},
            {"id": "proj", "kind": "jury", "points": 5, "scale": [0, 10],
             "applies": {"==": [{"var": "answers.yn"}, True]}}]}],
    "jury": {"aggregate": "trimmed-mean", "min_marks": 1, "disagreement": 2, "calibrate": "z",
             "calibrate_min": 2},
    "levels": [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 35},
               {"name": "@@@", "min_percent": 50, "requires": {"==": [{"var": "answers.yn"}, True]}}],
    "mentions": [{"id": "libre", "name": {"fr": "Mention libre"}, "min_level": 1,
                  "when": {">=": [{"var": "criteria.pct.fraction"}, 0.6]}}],
}

RLO = "\u202e"
ISOLATE = "\u2066"
HOSTILE = "Ville\u202e\u2066\x01\x1b[31m\u0085\ufeffX"

DOSSIERS_CSV = (
    "town_id,town_name,population,yn,num,pct,ch,mu,big,note\n"
    "1,Alpha,100,oui,3,\"72,5\",libre,a|b,,texte\n"
    "2,B\u00eata,5000,non,25,10,mixte,c,n/a,\n"
    "3,Gamma,40000,x,0,100,na,,oui,\n"
    "4,Delta,20,1,1,0,libre,a|b|c,,\n")

MARKS_CSV = ("juror,town_id,criterion,mark,comment\n"
             "j1,1,inno,4,bien\nj2,1,inno,\"2,5\",\nj3,1,inno,1,\nj1,2,inno,5,\nj2,2,inno,0,\n"
             "j1,1,proj,7,\nj2,3,proj,10,\nj1,3,inno,3,\nj2,3,inno,3,\n")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rubric_seeds():
    for name in ("villes-internet-2027", "territoire-numerique-libre-2027", "climat-air-energie-2027"):
        shutil.copy(os.path.join(ROOT, "criteria", name + ".json"), os.path.join(CORPUS, "rubric", name + ".json"))
    write("rubric", "fixture.json", json.dumps(FIXTURE_RUBRIC, indent=1))
    bad = json.loads(json.dumps(FIXTURE_RUBRIC))
    bad["label"] = {"fr": HOSTILE}
    bad["categories"][0]["title"] = "Serv" + RLO + "ices"
    bad["levels"][1]["name"] = "@@" + ISOLATE
    bad["categories"][0]["criteria"][3]["options"] = {"li" + RLO + "bre": 1, "LIBRE": 0.5}
    write("rubric", "hostile-texts.json", json.dumps(bad, ensure_ascii=False))
    bad = json.loads(json.dumps(FIXTURE_RUBRIC))
    bad["levels"][2]["requires"] = {"reduce": [{"var": "answers.mu"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]}
    bad["mentions"][0]["when"] = {"=>": [1, 2]}
    bad["categories"][0]["criteria"][1]["steps"] = [[5, 0.5], [1, 0.2], [1e308, 2]]
    bad["x-note"] = {"free": True}
    bad["jury"]["aggregate"] = "mode"
    write("rubric", "many-problems.json", json.dumps(bad))
    write("rubric", "deep.json", '{"format":"palmares-rubric/1","x-deep":' + "[" * 3000 + "]" * 3000 + "}")
    write("rubric", "deep-rule.json", json.dumps(FIXTURE_RUBRIC).replace(
        '"requires": {"==": [{"var": "answers.yn"}, true]}',
        '"requires": ' + '{"!":' * 300 + "true" + "}" * 300))
    write("rubric", "duplicate-keys.json", '{"format":"palmares-rubric/1","id":"a","id":"b"}')
    write("rubric", "truncated.json", json.dumps(FIXTURE_RUBRIC)[:400])
    write("rubric", "nul.json", b'{"format":"palmares-rubric/1","id":"a\\u0000b"}')
    write("rubric", "not-object.json", "[1,2,3]")
    write("rubric", "huge-numbers.json", json.dumps(FIXTURE_RUBRIC).replace('"points": 10', '"points": 1e400'))


def csv_seeds():
    for name in ("dossiers-excel.csv", "dossiers-google.csv", "dossiers-libreoffice.csv"):
        shutil.copy(os.path.join(ROOT, "examples", name), os.path.join(CORPUS, "dossier_csv", name))
    w = lambda n, d: write("dossier_csv", n, d)
    w("fixture.csv", DOSSIERS_CSV)
    w("semicolon-crlf-bom.csv", "\ufeff" + DOSSIERS_CSV.replace(",", ";").replace("\n", "\r\n").replace("a|b;", "a|b,c;"))
    w("cr-only.csv", DOSSIERS_CSV.replace("\n", "\r"))
    w("cp1252.csv", DOSSIERS_CSV.replace("B\u00eata", "B\u00eata \u0153uvre").encode("cp1252"))
    w("quotes.csv", 'town_id,town_name,note\n"1","A ""quoted"" name, with comma","multi\nline"\n2,5" screen,"ab"c\n3,"open\n')
    w("hostile.csv", "town_id,town_name,note,town.x\u202e\n1," + HOSTILE + "," + HOSTILE + ",v" + RLO + "\n")
    w("numbers.csv", "town_id,town_name,population,num,pct\n1,A,1 234 567,\"1 234,5\",\"72,5 %\"\n"
      "2,B,1e5,inf,nan\n3,C,-1,0x10,101\n4,D,\u00a0 12\u202f345,.5,\",5\"\n5,E," + "9" * 500 + ",1.,12.\n")
    w("unknown-columns.csv", "town_id,town_name,yes,nmu,,note.evidence,yn.evidence\n1,A,oui,a,x,u,http://e\n")
    w("no-header.csv", "\n\n\n")
    w("nul.csv", b"town_id,town_name\n1,A\x00B\n")
    w("zip.csv", b"PK\x03\x04\x14\x00\x00\x00")
    w("utf16.csv", "town_id,town_name\n1,A\n".encode("utf-16"))
    # Excel's "Texte Unicode" (UTF-16LE, BOM, tabs, CRLF; read as .tsv: FF is odd), big-endian
    # (read as .csv: FE is even), and invalid UTF-16: a lone surrogate, an odd byte count.
    w("utf16le-excel.csv", b"\xff\xfe" + DOSSIERS_CSV.replace(",", "\t").replace("\n", "\r\n")
      .replace("Alpha", "Alpha \U0001F3F0").encode("utf-16-le"))
    w("utf16be.csv", b"\xfe\xff" + DOSSIERS_CSV.encode("utf-16-be"))
    w("utf16-invalid.csv", b"\xff\xfe" + "town_id\ttown_name\r\n1\tA".encode("utf-16-le") +
      b"\x00\xdc\x00\xd8" + "\t\r\n2\tB".encode("utf-16-le") + b"\x00\xd8x")
    w("duplicate-town.csv", DOSSIERS_CSV + "1,Alpha bis,3,,,,,,,\n")
    w("na-words.csv", "town_id,town_name,population,yn,ch,big\n1,A,4000,Sans Objet,NA,Non Concern\u00e9e\n")
    w("tab.tsv-like.csv", DOSSIERS_CSV.replace(",", "\t"))


def json_seeds():
    shutil.copy(os.path.join(ROOT, "examples", "dossiers.json"), os.path.join(CORPUS, "dossier_json", "examples.json"))
    w = lambda n, d: write("dossier_json", n, d)
    one = {"format": "palmares-dossier/1", "rubric": "fuzz-2027",
           "town": {"id": "1", "name": "Alpha", "population": 4000, "region": "R", "epci": "E"},
           "answers": {"yn": True, "num": 12, "pct": 72.5, "ch": "LIBRE", "mu": ["a", "c"], "big": "n/a",
                       "note": "texte"},
           "evidence": {"big": "https://e.example/", "yn": None}, "contact": {"name": "X"}}
    w("one.json", json.dumps(one, indent=1))
    two = json.loads(json.dumps(one))
    two["town"] = {"id": "2", "name": HOSTILE, "x\u202ey": "v" + RLO, "population": -3, "list": [1]}
    two["answers"] = {"yn": "oui", "num": "12", "pct": 101, "ch": 3, "mu": "a|b", "big": True, "inno": 4,
                      "unknown": 1, "note": {"a": 1}}
    two["rubric"] = "other"
    two["extra"] = 1
    w("array.json", json.dumps([one, two, 3, None, {"town": "x"}], ensure_ascii=False))
    w("lines.jsonl", "\ufeff" + json.dumps(one) + "\n\n" + json.dumps(two) + "\n{broken\n" + json.dumps({"town": {"id": "1", "name": "dup"}}) + "\n")
    w("deep.json", "[" * 2100 + "]" * 2100)
    w("town-id-number.json", '{"town":{"id":1004,"name":"A"},"answers":{}}')
    w("duplicate-keys.json", '{"town":{"id":"1","name":"A","name":"B"}}')
    w("empty.json", "")
    w("nul-string.json", '{"town":{"id":"1\\u0000","name":"A\\u0000B"}}')


def marks_seeds():
    w = lambda n, d: write("marks", n, d)
    w("fixture.csv", MARKS_CSV)
    w("utf16-sheet.csv", b"\xff\xfe" + MARKS_CSV.replace(",", "\t").replace("\"2\t5\"", "2,5")
      .encode("utf-16-le"))
    w("sheet.csv", "juror,town_id,town_name,criterion,title,scale,mark,comment\nj1,1,Alpha,inno,Innovation,0-5,,\n"
      "j1,2,Beta,inno,Innovation,0-5,\"4,5\",tr\u00e8s bien\n")
    w("errors.csv", "juror,town_id,criterion,mark,comment\n,1,inno,4,\nj1,99,inno,4,\nj1,1,yn,4,\n"
      "j1,1,inno,6,\nj1,1,inno,quatre,\nj1,1,inno,4,\nj1,1,inno,3,again\nj1,2,proj,5,\n")
    w("hostile.csv", "juror,town_id,criterion,mark,comment\nj" + RLO + "1,1,inno,4," + HOSTILE + "\n")
    w("marks.json", json.dumps([{"juror": "j1", "town_id": "1", "criterion": "inno", "mark": 4, "comment": "c"},
                                {"juror": "j2", "town_id": "1", "criterion": "inno", "mark": "2,5"},
                                {"juror": "j" + RLO, "town_id": "2", "criterion": "inno", "mark": None},
                                {"juror": 3}, [], {"juror": "j1", "town_id": "1", "criterion": "inno", "mark": True}],
                               ensure_ascii=False))
    w("with-overrides.csv", MARKS_CSV + "#overrides\ntown_id,level,reason\n1,@@@,jury\n2,0,\"raison\"\n"
      "99,1,x\n3,9,x\n4,@@,\n1,@,twice\n")
    w("overrides-hostile.csv", MARKS_CSV + "#overrides\ntown_id,level,reason\n1,2," + HOSTILE + "\n")
    w("with-assignments.csv", MARKS_CSV + "#assignments\njuror,town_id\nj1,1\nj2,1\nj3,1\nj1,2\n"
      "j" + RLO + "2,2\n,3\nj1\n#overrides\ntown_id,level,reason\n1,1,r\n")
    w("calibration.csv", "juror,town_id,criterion,mark,comment\n" + "".join(
        "j%d,%d,inno,%d,\n" % (j, t, (j * t) % 6) for j in range(1, 4) for t in range(1, 5)))


def rule_seeds():
    with open(os.path.join(ROOT, "tests", "jsonlogic-tests.json"), encoding="utf-8") as f:
        cases = [c for c in json.load(f) if isinstance(c, list)]
    for i, c in enumerate(cases):
        write("rule", "conformance-%03d" % i,
              json.dumps(c[0], ensure_ascii=False) + "\n" + json.dumps(c[1], ensure_ascii=False))
    w = lambda n, d: write("rule", n, d)
    w("reduce-doubling", '{"reduce":[{"var":"l"},{"merge":[{"var":"accumulator"},{"var":"accumulator"}]},[1]]}\n'
      '{"l":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]}')
    w("deep", '{"!":' * 400 + "1" + "}" * 400 + "\nnull")
    w("div-zero", '{"/":[1,0]}\n{}')
    w("substr", '{"substr":["h\u00e9llo\U0001F600", -3, 2]}\nnull')
    w("big-numbers", '{"*":[1e308,10]}\n{}')
    w("var-paths", '{"var":["a.b.0.c", "d"]}\n{"a":{"b":[{"c":1}]}}')
    w("missing-some", '{"missing_some":[1,["a","b","c"]]}\n{"a":1}')
    w("in-string", '{"in":["\u202e","a\u202eb"]}\nnull')


def results_seeds(palmares):
    shutil.copy(os.path.join(ROOT, "tests", "data", "results-fr.json"), os.path.join(CORPUS, "results", "results-fr.json"))
    tmp = tempfile.mkdtemp()
    try:
        rub = os.path.join(tmp, "r.json")
        with open(rub, "w") as f:
            json.dump(FIXTURE_RUBRIC, f)
        dos = os.path.join(tmp, "d.csv")
        with open(dos, "w") as f:
            f.write(DOSSIERS_CSV + "5," + HOSTILE + ",10,oui,1,5,libre,a,,\n5,dup,1,,,,,,,\n")
        marks = os.path.join(tmp, "m.csv")
        with open(marks, "w") as f:
            f.write(MARKS_CSV)
        out = os.path.join(tmp, "o.json")
        # Relative names: the results (their "source" fields) are the same from run to run.
        subprocess.run([os.path.abspath(palmares), "score", "r.json", "d.csv", "--marks", "m.csv",
                        "-o", "o.json"], cwd=tmp, stderr=subprocess.DEVNULL, check=False)
        with open(out, encoding="utf-8") as f:
            res = f.read()
        write("results", "fixture.json", res)
        data = json.loads(res)
        data["towns"][0]["name"] = HOSTILE
        data["towns"][0]["mentions"] = ["libre", "unknown"]
        data["rubric"]["label"] = {"fr": RLO + "Label"}
        data["towns"][1]["level"] = 99
        write("results", "hostile.json", json.dumps(data, ensure_ascii=False))
        write("results", "not-results.json", '{"format":"palmares-dossier/1"}')
        write("results", "empty-towns.json", json.dumps(dict(data, towns=[])))
    finally:
        shutil.rmtree(tmp)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for t in ("rubric", "dossier_csv", "dossier_json", "marks", "rule", "results"):
        shutil.rmtree(os.path.join(CORPUS, t), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, t))
    rubric_seeds()
    csv_seeds()
    json_seeds()
    marks_seeds()
    rule_seeds()
    results_seeds(sys.argv[1])


if __name__ == "__main__":
    main()
