#!/usr/bin/env python3
"""Tests for check_rubric.py: every shipped rubric passes, and each mutation of a
valid rubric is refused with the expected message.

Run:  python3 criteria/test_check_rubric.py
"""

import copy
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_rubric  # noqa: E402

BASE = os.path.join(HERE, "villes-internet-2027.json")


def run_on(doc=None, text=None):
    """Runs the checker on a document (or raw text); returns (status, output)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        f.write(text if text is not None else json.dumps(doc, ensure_ascii=False))
        path = f.name
    try:
        out = io.StringIO()
        with redirect_stdout(out):
            status = check_rubric.main(["check_rubric.py", path])
        return status, out.getvalue()
    finally:
        os.unlink(path)


def crit(doc, cid):
    for cat in doc["categories"]:
        for c in cat["criteria"]:
            if c["id"] == cid:
                return c
    raise KeyError(cid)


class ShippedRubrics(unittest.TestCase):
    def test_every_rubric_passes(self):
        paths = sorted(glob.glob(os.path.join(HERE, "*.json")))
        self.assertGreaterEqual(len(paths), 3)
        for p in paths:
            with self.subTest(rubric=os.path.basename(p)):
                r = subprocess.run([sys.executable, os.path.join(HERE, "check_rubric.py"), p],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertNotIn("error", r.stdout)


class Mutations(unittest.TestCase):
    def setUp(self):
        with open(BASE, encoding="utf-8") as f:
            self.doc = json.load(f)

    def refused(self, mutate, *expected):
        doc = copy.deepcopy(self.doc)
        mutate(doc)
        status, out = run_on(doc)
        self.assertEqual(status, 1, out)
        for e in expected:
            self.assertIn(e, out)
        return out

    def test_base_is_valid(self):
        status, out = run_on(self.doc)
        self.assertEqual(status, 0, out)

    def test_malformed_json_has_line_and_column(self):
        status, out = run_on(text='{\n  "format": "palmares-rubric/1",\n  "id": oops\n}')
        self.assertEqual(status, 1)
        self.assertIn(":3:9: error: malformed JSON", out)

    def test_duplicate_key(self):
        status, out = run_on(text=json.dumps(self.doc)[:-1] + ', "edition": 2028}')
        self.assertEqual(status, 1)
        self.assertIn('duplicate key "edition"', out)

    def test_format(self):
        self.refused(lambda d: d.update(format="palmares-rubric/2"), 'format: expected "palmares-rubric/1"')

    def test_rubric_id(self):
        self.refused(lambda d: d.update(id="Villes Internet"), "id: expected an id")

    def test_edition_integer(self):
        self.refused(lambda d: d.update(edition="2027"), "edition: expected an integer year")
        self.refused(lambda d: d.update(edition=True), "edition: expected an integer year")

    def test_missing_field(self):
        self.refused(lambda d: d.pop("levels"), "levels: missing")
        self.refused(lambda d: d.pop("label"), "label: missing")

    def test_unknown_field_and_x_keys(self):
        self.refused(lambda d: crit(d, "epn").update(pionts=3), 'unknown field "pionts" (did you mean "points"?)')
        doc = copy.deepcopy(self.doc)
        crit(doc, "epn")["x-anything"] = {"free": ["notes"]}
        doc["levels"][0]["x-note"] = "ok"
        self.assertEqual(run_on(doc)[0], 0)

    def test_every_problem_reported(self):
        def m(d):
            crit(d, "epn")["points"] = -1
            crit(d, "wifi-public")["options"]["aucun"] = 1.5
            d["levels"][2]["min_percent"] = 20
        self.refused(m, "expected a number > 0", "expected a fraction in [0, 1], found 1.5",
                     "levels go from lowest to highest")

    def test_ids(self):
        self.refused(lambda d: crit(d, "epn").update(id="e.p.n"), "(no dots)")
        self.refused(lambda d: crit(d, "epn").update(id="EPN"), "expected a criterion id")
        self.refused(lambda d: crit(d, "epn").update(id="democratie"),
                     'duplicate id "democratie"', "share one namespace")
        self.refused(lambda d: crit(d, "epn").update(id="site-rgaa"), 'duplicate id "site-rgaa"')

    def test_points(self):
        self.refused(lambda d: crit(d, "epn").update(points=0), "expected a number > 0, found 0")
        self.refused(lambda d: crit(d, "epn").update(points=1.255), "at most two decimals, found 1.255")
        self.refused(lambda d: crit(d, "epn").update(points="4"), "expected a number > 0")
        doc = copy.deepcopy(self.doc)
        crit(doc, "epn")["points"] = 2.25
        self.assertEqual(run_on(doc)[0], 0)

    def test_kind_fields(self):
        self.refused(lambda d: crit(d, "epn").update(kind="oui-non"), 'unknown kind "oui-non"')
        self.refused(lambda d: crit(d, "epn").update(steps=[[1, 1]]), "a yes-no criterion has no steps")
        self.refused(lambda d: crit(d, "referent-numerique").update(points=1), "an info criterion has no points")
        self.refused(lambda d: crit(d, "heures-mediation").pop("steps"), "missing (a number criterion needs steps)")
        self.refused(lambda d: crit(d, "wifi-public").pop("options"), "missing (a choice criterion needs options)")
        self.refused(lambda d: crit(d, "mediation-qualite").pop("scale"), "missing (a jury criterion needs scale)")
        self.refused(lambda d: crit(d, "epn").pop("points"), "missing (a yes-no criterion needs points)")

    def test_steps(self):
        self.refused(lambda d: crit(d, "heures-mediation").update(steps=[[2, 0.25], [2, 0.5]]),
                     "thresholds must be strictly increasing")
        self.refused(lambda d: crit(d, "heures-mediation").update(steps=[[2, 0.5], [6, 0.25], [8, 1]]),
                     "fractions must be non-decreasing")
        self.refused(lambda d: crit(d, "heures-mediation").update(steps=[[2, 0.5], [6, 1.2]]),
                     "expected a fraction in [0, 1], found 1.2")
        self.refused(lambda d: crit(d, "heures-mediation").update(steps=[]), "non-empty array")
        self.refused(lambda d: crit(d, "heures-mediation").update(steps=[[2, 0.5, 1]]), "expected [threshold, fraction]")

    def test_options(self):
        self.refused(lambda d: crit(d, "wifi-public")["options"].update({"aucun": -0.1}), "found -0.1")
        self.refused(lambda d: crit(d, "wifi-public")["options"].update({"Aucun": 0}), "differ only by case")
        self.refused(lambda d: crit(d, "publics-accompagnes")["options"].update({"a|b": 0.1}), 'contains "|"')
        self.refused(lambda d: crit(d, "wifi-public").update(options={}), "non-empty object")

    def test_scale(self):
        self.refused(lambda d: crit(d, "mediation-qualite").update(scale=[5, 5]), "empty scale")
        self.refused(lambda d: crit(d, "mediation-qualite").update(scale=[10, 0]), "empty scale")
        self.refused(lambda d: crit(d, "mediation-qualite").update(scale=[0]), "expected [min, max]")

    def test_enums(self):
        self.refused(lambda d: crit(d, "epn").update(evidence="yes"), '"none", "optional" or "required"')
        self.refused(lambda d: crit(d, "epn").update(allow_na="true"), "expected true or false")
        self.refused(lambda d: d["categories"][0].update(not_applicable="skip"), '"redistribute" or "exclude"')
        self.refused(lambda d: d["jury"].update(aggregate="average"), '"mean", "median" or "trimmed-mean"')
        self.refused(lambda d: d["jury"].update(min_marks=0), "expected an integer >= 1")
        self.refused(lambda d: d["jury"].update(calibrate="zscore"), '"none" or "z"')

    def test_texts(self):
        self.refused(lambda d: crit(d, "epn").update(title=""), "non-empty text")
        self.refused(lambda d: crit(d, "epn").update(title={"French": "x"}), "is not a language code")
        self.refused(lambda d: crit(d, "epn").update(title=["x"]), "expected a text")

    def test_levels(self):
        self.refused(lambda d: d.update(levels=[]), "levels: expected a non-empty array")
        self.refused(lambda d: d["levels"][1].update(name="@"), 'duplicate level name "@"')
        self.refused(lambda d: d["levels"][4].update(min_percent=101), "expected a percentage in [0, 100]")
        self.refused(lambda d: d["levels"][4].update(min_percent=60), "is below the previous level's 65")

    def test_mentions(self):
        self.refused(lambda d: d["mentions"][1].update(id="logiciel-libre"), 'duplicate mention id "logiciel-libre"')
        self.refused(lambda d: d["mentions"][0].update(min_level=6), "expected a level number from 1 to 5")
        self.refused(lambda d: d["mentions"][0].pop("when"), "when: missing")

    def test_rules_are_jsonlogic(self):
        self.refused(lambda d: d["levels"][2].update(requires={"≥": [1, 2]}), 'unknown operator "≥"')
        self.refused(lambda d: d["levels"][2].update(requires={">=": [1, 2], "and": []}), "exactly one key")
        self.refused(lambda d: d["levels"][2].update(requires={">=": [1]}), '">=" takes 2 argument(s), found 1')

    def test_rule_paths(self):
        def req(rule):
            return lambda d: d["levels"][2].update(requires=rule)
        self.refused(req({"var": "answers.nope"}), 'no criterion "nope"')
        self.refused(req({"var": "answers.democratie"}), '"democratie" is a category')
        self.refused(req({"var": "criteria.epn.percent"}), "expected criteria.<criterion>.fraction")
        self.refused(req({"var": "criteria.democratie.fraction"}), "(it is a category)")
        self.refused(req({"var": "categories.epn.percent"}), "(it is a criterion)")
        self.refused(req({"var": "categories.nope.points"}), 'no category "nope"')
        self.refused(req({"var": "categories.libre.fraction"}), "expected categories.<category>.points|max|percent")
        self.refused(req({"var": "total.fraction"}), "expected total.points|max|percent")
        self.refused(req({"var": "level"}), "the level is known to mention rules only")
        self.refused(req({"var": "history.last"}), "expected history.<edition>")
        self.refused(req({"var": "score.percent"}), "unknown data")
        self.refused(req({"missing": ["answers.nope"]}), 'no criterion "nope"')
        self.refused(req({"var": ["answers.nope", 0]}), 'no criterion "nope"')
        # Nested deep inside other operators is still checked.
        self.refused(req({"and": [True, {"if": [{"!": {"var": "criteria.x.max"}}, 1, 0]}]}), 'no criterion "x"')
        # vars inside map/filter/... refer to the element, not to rubric data.
        doc = copy.deepcopy(self.doc)
        doc["levels"][2]["requires"] = {"some": [{"var": "answers.publics-accompagnes"},
                                                 {"==": [{"var": ""}, "seniors"]}]}
        doc["mentions"][0]["when"] = {"and": [{">=": [{"var": "level"}, 2]},
                                              {"==": [{"var": "history.2025"}, 3]},
                                              {"<": [0, {"var": "total.percent"}, 100]}]}
        self.assertEqual(run_on(doc)[0], 0, run_on(doc)[1])

    def test_applies_sees_town_and_answers_only(self):
        self.refused(lambda d: crit(d, "epn").update(applies={">": [{"var": "total.points"}, 3]}),
                     "applies rules see only town and answers")
        self.refused(lambda d: crit(d, "epn").update(applies={">": [{"var": "criteria.site-rgaa.fraction"}, 0]}),
                     "applies rules see only town and answers")
        doc = copy.deepcopy(self.doc)
        crit(doc, "epn")["applies"] = {"and": [{"!=": [{"var": "town.type"}, "epci"]},
                                               {"==": [{"var": "answers.site-rgaa"}, True]}]}
        self.assertEqual(run_on(doc)[0], 0)


if __name__ == "__main__":
    unittest.main(verbosity=1)
