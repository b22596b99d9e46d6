#!/usr/bin/env python3
"""Unit tests of the reference implementation (palmares_ref.py), of compare.py (through its
command line) and of bench/gen_campaign.py.

Every expected number below is computed by hand in the comment beside it, from SPEC.md.
Run:  python3 -m unittest discover -s tests/reference -v     (from the repository root)
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import palmares_ref as ref  # noqa: E402

LEVELS = [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 50}]


def rubric(categories, levels=None, mentions=None, jury=None):
    r = {"format": "palmares-rubric/1", "id": "t", "edition": 2027, "label": "t",
         "categories": categories, "levels": levels or LEVELS}
    if mentions is not None:
        r["mentions"] = mentions
    if jury is not None:
        r["jury"] = jury
    return ref.load_rubric(r)


def town(tid, answers=None, population=1000, evidence=None):
    d = {"town": {"id": tid, "name": "Ville " + tid, "population": population},
         "answers": answers or {}}
    if evidence is not None:
        d["evidence"] = evidence
    return d


def score(rub, dossiers, marks=(), overrides=()):
    objs = [(d, "test.json:%d" % (i + 1), None) for i, d in enumerate(dossiers)]
    mrows = [("marks.csv:%d" % (i + 2),
              {"juror": m[0], "town_id": m[1], "criterion": m[2], "mark": m[3],
               "comment": ""}) for i, m in enumerate(marks)]
    orows = [("overrides.csv:%d" % (i + 2), {"town_id": o[0], "level": o[1], "reason": o[2]})
             for i, o in enumerate(overrides)]
    res, msgs = ref.run(rub, objs, mrows, orows)
    return res, msgs


def towns(res):
    return {t["id"]: t for t in res["towns"]}


def crit(t, cid):
    return next(c for c in t["criteria"] if c["id"] == cid)


def cat(t, cid):
    return next(c for c in t["categories"] if c["id"] == cid)


def yn(cid, points, **kw):
    c = {"id": cid, "kind": "yes-no", "points": points}
    c.update(kw)
    return c


def pc(cid, points, **kw):
    c = {"id": cid, "kind": "percent", "points": points}
    c.update(kw)
    return c


def jury_c(cid, points, scale, **kw):
    c = {"id": cid, "kind": "jury", "points": points, "scale": scale}
    c.update(kw)
    return c


BIG = {">=": [{"var": "town.population"}, 1000]}


class Rounding(unittest.TestCase):
    def test_half_away_from_zero_on_decimals(self):
        # binary 64.995 is 64.99499999999999744…; as a decimal it is 64.995 -> 65.00
        self.assertEqual(ref.dec2(64.995), Decimal("65.00"))
        self.assertEqual(ref.dec2(1.005), Decimal("1.01"))     # Python's round gives 1.0
        self.assertEqual(ref.dec2(0.125), Decimal("0.13"))     # not banker's 0.12
        self.assertEqual(ref.dec2(-2.675), Decimal("-2.68"))   # away from zero
        self.assertEqual(ref.dec2(64.994999), Decimal("64.99"))
        self.assertEqual(ref.dec2(100 / 3), Decimal("33.33"))

    def test_binary_noise_does_not_decide(self):
        # 1.5 × (15 / 100) is 0.22499999999999998 in binary, 0.225 in decimals -> 0.23
        # (rounding the binary value directly would give 0.22)
        rub = rubric([{"id": "c", "not_applicable": "exclude", "criteria": [pc("p", 1.5)]}])
        res, _ = score(rub, [town("1", {"p": 15})])
        self.assertEqual(crit(towns(res)["1"], "p")["points"], 0.23)
        self.assertEqual(ref.round2(1.5 * (15 / 100)), 0.23)

    def test_no_negative_zero(self):
        self.assertEqual(str(ref.dec2(-0.001)), "0.00")
        self.assertEqual(ref.round2(-0.004), 0)

    def test_64_995_reaches_a_65_level(self):
        levels = [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 65}]
        rub = rubric([{"id": "c", "criteria": [pc("p", 100)]}], levels=levels)
        res, _ = score(rub, [town("1", {"p": 64.995}), town("2", {"p": 64.994}),
                             town("3", {"p": 65})])
        t = towns(res)
        self.assertEqual(t["1"]["score"]["percent"], 65)     # 64.995 -> 65.00
        self.assertEqual(t["1"]["level"], 2)
        self.assertEqual(t["2"]["score"]["percent"], 64.99)
        self.assertEqual(t["2"]["level"], 1)
        self.assertEqual(t["3"]["level"], 2)                  # exactly at the threshold

    def test_threshold_on_a_computed_percent(self):
        # 2 of 3 equal criteria: 66.666… -> 66.67 >= 66.67 reaches, although 66.666 < 66.67
        levels = [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 66.67}]
        rub = rubric([{"id": "c", "criteria": [yn("a", 1), yn("b", 1), yn("d", 1)]}],
                     levels=levels)
        res, _ = score(rub, [town("1", {"a": True, "b": True, "d": False})])
        t = towns(res)["1"]
        self.assertEqual(t["score"]["percent"], 66.67)
        self.assertEqual(t["level"], 2)


class Categories(unittest.TestCase):
    # Category: a (yes-no, 4), b (yes-no, 6, applies to population >= 1000), c (percent, 10).
    # Town of 500 inhabitants: b does not apply; a = true, c = 50 %.
    #   P = 20, A = 14, E = 4 + 10 × 0.5 = 9.
    #   redistribute: points = P × E / A = 180 / 14 = 12.857142… -> 12.86, max 20,
    #     percent 64.2857… -> 64.29; a: max 4 × 20 / 14 = 5.714… -> 5.71, points 5.71;
    #     c: max 10 × 20 / 14 = 14.2857… -> 14.29, points 7.142857… -> 7.14.
    #   exclude: points = E = 9, max = A = 14, percent 64.29; a: 4 / 4; c: 5 / 10.
    def setUp(self):
        def crits(p):
            return [yn(p + "a", 4), yn(p + "b", 6, applies=BIG), pc(p + "c", 10)]
        self.rub = rubric([{"id": "r", "not_applicable": "redistribute", "criteria": crits("r")},
                           {"id": "x", "not_applicable": "exclude", "criteria": crits("x")}])
        ans = {"ra": True, "rc": 50, "xa": True, "xc": 50}
        res, _ = score(self.rub, [town("1", ans, population=500)])
        self.t = towns(res)["1"]

    def test_redistribute(self):
        t = self.t
        self.assertEqual(cat(t, "r"), {"id": "r", "points": 12.86, "max": 20, "percent": 64.29})
        self.assertEqual((crit(t, "ra")["max"], crit(t, "ra")["points"]), (5.71, 5.71))
        self.assertEqual((crit(t, "rc")["max"], crit(t, "rc")["points"]), (14.29, 7.14))
        self.assertEqual(crit(t, "rc")["fraction"], 0.5)
        rb = crit(t, "rb")
        self.assertEqual((rb["applicable"], rb["fraction"], rb["points"], rb["max"]),
                         (False, 0, 0, 0))

    def test_exclude(self):
        t = self.t
        self.assertEqual(cat(t, "x"), {"id": "x", "points": 9, "max": 14, "percent": 64.29})
        self.assertEqual((crit(t, "xa")["max"], crit(t, "xa")["points"]), (4, 4))
        self.assertEqual((crit(t, "xc")["max"], crit(t, "xc")["points"]), (10, 5))
        self.assertEqual(crit(t, "xb")["max"], 0)

    def test_total(self):
        # points 12.857142… + 9 = 21.857142… -> 21.86; max 20 + 14 = 34;
        # percent 100 × 21.857142 / 34 = 64.2857… -> 64.29
        self.assertEqual(self.t["score"], {"points": 21.86, "max": 34, "percent": 64.29})

    def test_big_town_everything_applies(self):
        ans = {"ra": True, "rb": False, "rc": 50, "xa": True, "xb": False, "xc": 50}
        res, _ = score(self.rub, [town("1", ans, population=2000)])
        t = towns(res)["1"]
        # both: E = 9, A = P = 20 -> 9 / 20
        self.assertEqual(cat(t, "r"), {"id": "r", "points": 9, "max": 20, "percent": 45})
        self.assertEqual(cat(t, "x"), {"id": "x", "points": 9, "max": 20, "percent": 45})

    def test_category_with_nothing_applicable(self):
        # redistribute with A = 0: the category is not applicable (0 / 0); exclude: 0 / 0.
        rub = rubric([{"id": "r", "criteria": [yn("a", 4, applies=BIG)]},
                      {"id": "x", "not_applicable": "exclude",
                       "criteria": [yn("b", 4, applies=BIG)]},
                      {"id": "o", "criteria": [yn("c", 2)]}])
        res, _ = score(rub, [town("1", {"c": True}, population=10)])
        t = towns(res)["1"]
        self.assertEqual(cat(t, "r"), {"id": "r", "points": 0, "max": 0, "percent": 0})
        self.assertEqual(cat(t, "x"), {"id": "x", "points": 0, "max": 0, "percent": 0})
        self.assertEqual(t["score"], {"points": 2, "max": 2, "percent": 100})

    def test_na_answer_on_allow_na_criterion(self):
        # n/a makes the criterion not applicable, like a false `applies`
        rub = rubric([{"id": "r", "criteria": [yn("a", 4), yn("b", 6, allow_na=True)]}])
        res, _ = score(rub, [town("1", {"a": True, "b": "n/a"})])
        t = towns(res)["1"]
        self.assertEqual(t["score"], {"points": 10, "max": 10, "percent": 100})
        self.assertFalse(crit(t, "b")["applicable"])

    def test_na_without_allow_na_is_invalid(self):
        rub = rubric([{"id": "r", "criteria": [yn("a", 4), yn("b", 6)]}])
        res, _ = score(rub, [town("1", {"a": True, "b": "n/a"}), town("2", {"a": True})])
        self.assertEqual(towns(res)["1"]["status"], "invalid")
        self.assertEqual(towns(res)["2"]["status"], "scored")


class Fractions(unittest.TestCase):
    def setUp(self):
        self.rub = rubric([{"id": "k", "criteria": [
            {"id": "n", "kind": "number", "points": 10, "steps": [[1, 0.2], [5, 0.5], [20, 1]]},
            {"id": "ch", "kind": "choice", "points": 10,
             "options": {"libre": 1, "mixte": 0.5, "proprietaire": 0}},
            {"id": "mu", "kind": "multi", "points": 10,
             "options": {"a": 0.4, "b": 0.4, "c": 0.4}},
            {"id": "inf", "kind": "info"},
            {"id": "ev", "kind": "yes-no", "points": 10, "evidence": "required"},
        ]}])

    def fr(self, answers, evidence=None):
        res, _ = score(self.rub, [town("1", answers, evidence=evidence)])
        return towns(res)["1"]

    def test_number_steps(self):
        for answer, f in ((0, 0), (0.99, 0), (1, 0.2), (4.9, 0.2), (5, 0.5), (19, 0.5),
                          (20, 1), (1e6, 1)):
            self.assertEqual(crit(self.fr({"n": answer}), "n")["fraction"], f, answer)

    def test_choice_case_insensitive(self):
        t = self.fr({"ch": "MiXtE"})
        self.assertEqual(crit(t, "ch")["fraction"], 0.5)
        self.assertEqual(crit(t, "ch")["answer"], "mixte")

    def test_multi_capped_at_one(self):
        self.assertEqual(crit(self.fr({"mu": ["a", "b"]}), "mu")["fraction"], 0.8)
        self.assertEqual(crit(self.fr({"mu": ["a", "B", "c"]}), "mu")["fraction"], 1)  # 1.2
        self.assertEqual(crit(self.fr({"mu": []}), "mu")["fraction"], 0)

    def test_info_never_scored(self):
        t = self.fr({"inf": "texte libre", "n": 20})
        self.assertIsNone(crit(t, "inf")["points"])
        # max is 40: the four scored criteria, not the info one
        self.assertEqual(t["score"]["max"], 40)

    def test_required_evidence(self):
        t = self.fr({"ev": True})
        self.assertEqual(crit(t, "ev")["fraction"], 0)
        self.assertEqual(len(crit(t, "ev")["notes"]), 1)
        t = self.fr({"ev": True}, evidence={"ev": "https://example.fr/preuve"})
        self.assertEqual(crit(t, "ev")["fraction"], 1)

    def test_unanswered_is_zero_with_a_warning(self):
        t = self.fr({})
        self.assertEqual(t["score"]["points"], 0)
        self.assertEqual(t["status"], "scored")
        self.assertTrue(any('"n" unanswered' in w for w in t["warnings"]))


class Invalid(unittest.TestCase):
    def setUp(self):
        self.rub = rubric([{"id": "k", "criteria": [
            yn("y", 1), {"id": "n", "kind": "number", "points": 1, "steps": [[1, 1]]},
            pc("p", 1), {"id": "ch", "kind": "choice", "points": 1, "options": {"a": 1}},
            jury_c("j", 1, [0, 5])]}], jury={"min_marks": 0})

    def status(self, answers):
        res, _ = score(self.rub, [town("1", answers), town("2", {"y": True})])
        self.assertEqual(towns(res)["2"]["status"], "scored")   # the others are still scored
        return towns(res)["1"]

    def test_errors(self):
        for answers in ({"y": "oui"}, {"y": 1}, {"n": -1}, {"n": True}, {"p": 100.5},
                        {"p": "50"}, {"ch": "b"}, {"ch": ["a"]}, {"zz": 1}, {"y": "n/a"},
                        {"j": 4}):
            t = self.status(answers)
            self.assertEqual(t["status"], "invalid", answers)
            self.assertIsNone(t["score"])
            self.assertIsNone(t["level"])
            self.assertIsNone(t["rank"])
            self.assertTrue(t["errors"])

    def test_town_id_twice_both_invalid(self):
        res, _ = score(self.rub, [town("1", {"y": True}), town("2", {"y": True}),
                                  town("1", {"y": False})], marks=[("j1", "2", "j", 3)])
        st = [t["status"] for t in res["towns"]]
        self.assertEqual(st, ["invalid", "scored", "invalid"])
        self.assertEqual(res["summary"]["invalid"], 2)
        self.assertIn("test.json:3", res["towns"][0]["errors"][0])   # both places named


class Rank(unittest.TestCase):
    def test_ties_share_a_rank(self):
        rub = rubric([{"id": "k", "criteria": [pc("p", 100)]}])
        res, _ = score(rub, [town("a", {"p": 70}), town("b", {"p": 80}), town("c", {"p": 60}),
                             town("d", {"p": 70.004}),       # 70.00 after rounding: tie
                             town("e", {"p": "x"}),          # invalid: no rank
                             town("f", {"p": 59.996})])      # 60.00: tie with c
        r = {t["id"]: t["rank"] for t in res["towns"]}
        self.assertEqual(r, {"a": 2, "b": 1, "c": 4, "d": 2, "e": None, "f": 4})


class Jury(unittest.TestCase):
    def test_aggregates(self):
        self.assertEqual(ref.aggregate([1, 2, 3, 10], "trimmed-mean"), 2.5)   # (2 + 3) / 2
        self.assertEqual(ref.aggregate([1, 2, 10], "trimmed-mean"), 13 / 3)   # < 4: plain mean
        self.assertEqual(ref.aggregate([0, 4, 6, 10, 10], "trimmed-mean"), 20 / 3)
        self.assertEqual(ref.aggregate([1, 2, 3, 10], "median"), 2.5)
        self.assertEqual(ref.aggregate([5, 1, 2], "median"), 2)
        self.assertEqual(ref.aggregate([1, 2, 3, 10], "mean"), 4)

    def test_trimmed_mean_in_a_dossier(self):
        # scale [0, 10], marks 0, 4, 6, 10 -> trimmed mean (4 + 6) / 2 = 5 -> fraction 0.5;
        # spread 10 > disagreement 2 -> flagged
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10])]}],
                     jury={"aggregate": "trimmed-mean", "min_marks": 2, "disagreement": 2})
        marks = [("a", "1", "j", 0), ("b", "1", "j", 4), ("c", "1", "j", 6), ("d", "1", "j", 10),
                 ("a", "2", "j", 6), ("b", "2", "j", 7)]
        res, _ = score(rub, [town("1"), town("2")], marks)
        c1, c2 = crit(towns(res)["1"], "j"), crit(towns(res)["2"], "j")
        self.assertEqual((c1["aggregate"], c1["fraction"], c1["points"]), (5, 0.5, 5))
        self.assertTrue(c1["disagreement"])
        self.assertEqual((c2["aggregate"], c2["points"]), (6.5, 6.5))   # 2 marks: mean
        self.assertFalse(c2["disagreement"])                              # spread 1

    def test_pending(self):
        # min_marks 2, one mark: pending; its score is computed, but no level / rank / mention
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10]), yn("y", 10)]}],
                     mentions=[{"id": "m", "name": "M", "when": True}],
                     jury={"min_marks": 2})
        res, _ = score(rub, [town("1", {"y": True}), town("2", {"y": True}),
                             town("3", {"y": True})],
                       [("a", "1", "j", 8), ("a", "2", "j", 8), ("b", "2", "j", 6)])
        t1, t2, t3 = (towns(res)[k] for k in "123")
        self.assertEqual(t1["status"], "pending")
        self.assertEqual(t1["score"], {"points": 18, "max": 20, "percent": 90})
        self.assertEqual((t1["level"], t1["rank"], t1["mentions"], t1["next_level"]),
                         (None, None, [], None))
        self.assertEqual(t3["status"], "pending")   # no mark at all
        self.assertEqual(crit(t3, "j")["aggregate"], None)
        self.assertEqual(t3["score"]["points"], 10)
        self.assertEqual((t2["status"], t2["rank"], t2["mentions"]), ("scored", 1, ["m"]))
        self.assertEqual(res["summary"]["levels"], {"0": 0, "1": 0, "2": 1})
        self.assertEqual(res["summary"]["pending"], 2)

    def test_non_applicable_jury_criterion_needs_no_marks(self):
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10], applies=BIG),
                                               yn("y", 10)]}], jury={"min_marks": 2})
        res, msgs = score(rub, [town("1", {"y": True}, population=10)], [("a", "1", "j", 5)])
        t = towns(res)["1"]
        self.assertEqual(t["status"], "scored")
        self.assertEqual(t["score"], {"points": 20, "max": 20, "percent": 100})
        self.assertTrue(any("mark ignored" in m for m in msgs.items))

    def test_calibration(self):
        # scale [0, 10]; juror h gives 2 and 4 (fractions 0.2, 0.4), juror k 6 and 10
        # (0.6, 1.0); calibrate_min 2.
        #   all fractions: mu = 0.55, sigma = sqrt(0.35 / 4) = 0.295804
        #   h: mu_h = 0.3, sd_h = 0.1;  k: mu_k = 0.8, sd_k = 0.2
        #   town 1: h 0.55 + 0.295804 × (0.2 - 0.3) / 0.1 = 0.254196
        #           k 0.55 + 0.295804 × (0.6 - 0.8) / 0.2 = 0.254196
        #     -> aggregate fraction 0.254196, mark 2.54 (raw mean 4)
        #   town 2: both 0.845804 -> 8.46 (raw mean 7)
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10])]}],
                     jury={"calibrate": "z", "calibrate_min": 2})
        marks = [("h", "1", "j", 2), ("h", "2", "j", 4), ("k", "1", "j", 6), ("k", "2", "j", 10)]
        res, _ = score(rub, [town("1"), town("2")], marks)
        c1, c2 = crit(towns(res)["1"], "j"), crit(towns(res)["2"], "j")
        self.assertEqual((c1["aggregate"], c1["aggregate_raw"], c1["points"]), (2.54, 4, 2.54))
        self.assertEqual((c2["aggregate"], c2["aggregate_raw"], c2["points"]), (8.46, 7, 8.46))
        self.assertEqual(res["jury"]["jurors"], [
            {"id": "h", "marks": 2, "mean": 0.3, "sd": 0.1, "calibrated": True},
            {"id": "k", "marks": 2, "mean": 0.8, "sd": 0.2, "calibrated": True}])
        # without calibration: raw means
        rub2 = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10])]}])
        res2, _ = score(rub2, [town("1"), town("2")], marks)
        self.assertEqual(crit(towns(res2)["1"], "j")["aggregate"], 4)
        self.assertFalse(res2["jury"]["jurors"][0]["calibrated"])

    def test_calibration_clamp_and_flat_juror(self):
        # a: 0, 1 (mu .5, sd .5); b: .5, .5 (sd 0: not calibrated); c: .9, 1 (mu .95, sd .05)
        # all: mu = 3.9 / 6 = .65, sigma = sqrt(.775 / 6) = .359398
        # a: 0 -> .65 - .359398 = .290602; 1 -> 1.009398 clamped to 1
        # c: .9 -> .290602; 1 -> clamped to 1.   b unchanged.
        ms = [ref.Mark(j, "t", "c", 0, "", "") for j in "aabbcc"]
        for m, f in zip(ms, (0, 1, .5, .5, .9, 1)):
            m.fraction = f
        st = ref.calibrate(ms, 2, True)
        self.assertEqual([round(m.calibrated, 6) for m in ms],
                         [0.290602, 1, .5, .5, 0.290602, 1])
        self.assertEqual([st[j][3] for j in "abc"], [True, False, True])
        # calibrate_min not reached: nobody is calibrated
        st = ref.calibrate(ms, 3, True)
        self.assertEqual([m.calibrated for m in ms], [0, 1, .5, .5, .9, 1])

    def test_invalid_dossier_marks_do_not_count(self):
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [0, 10]), yn("y", 1)]}])
        marks = [("a", "1", "j", 2), ("b", "1", "j", 4), ("a", "2", "j", 10), ("b", "2", "j", 0)]
        res, _ = score(rub, [town("1"), town("2", {"y": "?"})], marks)
        self.assertEqual(res["jury"]["criteria"][0]["dossiers"], 1)
        self.assertEqual(res["jury"]["jurors"][0]["marks"], 1)


class Krippendorff(unittest.TestCase):
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011).
    def test_binary_two_observers(self):
        # §A: 2 observers, 10 units, binary data: alpha = 0.095 (for 0/1 values the interval
        # metric equals the nominal one)
        a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        alpha, units, n = ref.krippendorff_interval([list(u) for u in zip(a, b)])
        self.assertEqual(round(alpha, 3), 0.095)
        self.assertEqual((units, n), (10, 20))

    def test_four_observers_missing_values_interval(self):
        # §C: 4 observers, 12 units, missing values; interval alpha = 0.849.
        # Unit 12 has a single value and is not pairable: 11 units, 40 values.
        n = None
        obs = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
               [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
               [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
               [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
        units = [[v for v in col if v is not None] for col in zip(*obs)]
        alpha, u, m = ref.krippendorff_interval(units)
        self.assertEqual(round(alpha, 3), 0.849)
        self.assertEqual((u, m), (11, 40))

    def test_interval_metric_by_hand(self):
        # units [1, 3] and [2, 2]: n = 4; observed: (1-3)^2 × 2 ordered pairs / (2 - 1) = 8;
        # expected: ordered pairs over {1, 3, 2, 2}: 2 × (4 + 1 + 1 + 1 + 1 + 0) = 16;
        # alpha = 1 - (n - 1) × 8 / 16 = -0.5   (nominal would differ: 1 vs 3 = 1 vs 2)
        self.assertEqual(ref.krippendorff_interval([[1, 3], [2, 2]])[0], -0.5)
        # squared distance: [0, 2] disagrees 4 times as much as [0, 1]
        a1 = ref.krippendorff_interval([[0, 1], [5, 5], [9, 9]])[0]
        a2 = ref.krippendorff_interval([[0, 2], [5, 5], [9, 9]])[0]
        self.assertGreater(a1, a2)

    def test_undefined(self):
        self.assertEqual(ref.krippendorff_interval([[3], [4]]), (None, 0, 0))
        self.assertEqual(ref.krippendorff_interval([[3, 3], [3, 3, 3]]), (None, 2, 5))

    def test_in_results(self):
        rub = rubric([{"id": "k", "criteria": [jury_c("j", 10, [1, 5])]}])
        n = None
        obs = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
               "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
               "C": [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
               "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]}
        marks = [(j, str(u + 1), "j", v) for j, vs in obs.items()
                 for u, v in enumerate(vs) if v is not None]
        res, _ = score(rub, [town(str(u + 1)) for u in range(12)], marks)
        self.assertEqual(res["jury"]["criteria"],
                         [{"id": "j", "alpha": 0.85, "dossiers": 11, "marks": 40}])


class LevelsMentionsNext(unittest.TestCase):
    LEVELS = [{"name": "@", "min_percent": 10},
              {"name": "@@", "min_percent": 50, "requires": {"==": [{"var": "answers.y"}, True]}},
              {"name": "@@@", "min_percent": 80,
               "requires": {">=": [{"var": "categories.k.percent"}, 90]}}]

    def setUp(self):
        self.rub = rubric([{"id": "k", "criteria": [pc("p", 90), yn("y", 10)]}],
                          levels=self.LEVELS,
                          mentions=[{"id": "libre", "name": "L",
                                     "when": {">=": [{"var": "criteria.p.fraction"}, 0.6]}},
                                    {"id": "top", "name": "T", "min_level": 3,
                                     "when": {"var": "level"}}])

    def test_levels_and_next(self):
        res, _ = score(self.rub, [
            town("1", {"p": 60, "y": True}),   # 64 %: level 2; next 3: 80 × 100 / 100 - 64
            town("2", {"p": 60, "y": False}),  # 54 %: requires of 2 fails -> level 1
            town("3", {"p": 100, "y": True}),  # 100 %: top level, no next
            town("4", {"p": 0, "y": False})])  # 0 %: level 0
        t = towns(res)
        self.assertEqual((t["1"]["level"], t["1"]["level_name"]), (2, "@@"))
        self.assertEqual(t["1"]["next_level"], {"level": 3, "name": "@@@", "min_percent": 80,
                                                "points_missing": 16, "unmet_requires": [3]})
        self.assertEqual(t["2"]["level"], 1)
        # next is 2: 50 % of 100 = 50 <= 54 points -> 0 missing; requires of 2 unmet
        self.assertEqual(t["2"]["next_level"], {"level": 2, "name": "@@", "min_percent": 50,
                                                "points_missing": 0, "unmet_requires": [2]})
        self.assertEqual((t["3"]["level"], t["3"]["next_level"]), (3, None))
        self.assertEqual((t["4"]["level"], t["4"]["level_name"]), (0, None))
        self.assertEqual(t["4"]["next_level"]["points_missing"], 10)
        self.assertEqual(t["4"]["next_level"]["unmet_requires"], [])
        self.assertEqual([t[k]["mentions"] for k in "1234"],
                         [["libre"], ["libre"], ["libre", "top"], []])
        self.assertEqual(res["summary"]["levels"], {"0": 1, "1": 1, "2": 1, "3": 1})
        self.assertEqual(res["summary"]["mentions"], {"libre": 3, "top": 1})

    def test_override(self):
        res, msgs = score(self.rub, [town("1", {"p": 60, "y": True}),
                                     town("2", {"p": 0, "y": True})],
                          overrides=[("1", "@@@", "Décision du jury"),
                                     ("2", "0", "Dossier hors délai"), ("9", "1", "inconnu")])
        t = towns(res)
        self.assertEqual((t["1"]["computed_level"], t["1"]["level"]), (2, 3))
        self.assertEqual(t["1"]["mentions"], ["libre", "top"])   # mentions on the final level
        self.assertIsNone(t["1"]["next_level"])
        self.assertEqual((t["2"]["computed_level"], t["2"]["level"]), (1, 0))
        self.assertEqual(res["summary"]["levels"], {"0": 1, "1": 0, "2": 0, "3": 1})
        self.assertEqual(msgs.errors, 1)   # the unknown town

    def test_rule_error_makes_dossier_invalid(self):
        levels = [{"name": "@", "min_percent": 0,
                   "requires": {"<": [{"/": [{"var": "total.points"}, 0]}, 1]}}]
        rub = rubric([{"id": "k", "criteria": [yn("y", 1)]}], levels=levels)
        res, _ = score(rub, [town("1", {"y": True})])
        t = towns(res)["1"]
        self.assertEqual(t["status"], "invalid")
        self.assertIn("levels[0].requires", t["errors"][0])


def json_equal(a, b):
    """Equality of JSON values where 3 == 3.0 but true != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


class JsonLogic(unittest.TestCase):
    def test_conformance_file(self):
        path = os.path.join(HERE, "..", "..", "..", "shared", "conformance",
                            "jsonlogic-tests.json")
        if not os.path.exists(path):
            path = os.path.join(HERE, "..", "jsonlogic-tests.json")
        with open(path, encoding="utf-8") as f:
            cases = [c for c in json.load(f) if not isinstance(c, str)]
        self.assertGreater(len(cases), 250)
        for rule, data, expected in cases:
            got = ref.apply(rule, data)
            self.assertTrue(json_equal(got, expected), "%s on %s: %r != %r"
                            % (rule, data, got, expected))

    def test_js_semantics(self):
        a = ref.apply
        self.assertEqual(a({"==": [[1], 1]}), True)
        self.assertEqual(a({"==": [None, 0]}), False)
        self.assertEqual(a({"==": [True, "1"]}), True)
        self.assertEqual(a({"<": ["10", "9"]}), True)          # two strings: lexicographic
        self.assertEqual(a({"<": [None, 1]}), True)            # null -> 0
        self.assertEqual(a({"cat": [1.5, None, [1, [2, None]], True, 1e21, 1e-7]}),
                         "1.51,2,true1e+211e-7")
        self.assertEqual(a({"var": ["a.b", 5]}, {"a": None}), 5)
        self.assertEqual(a({"var": ["a", 5]}, {"a": None}), None)
        self.assertEqual(a({">=": [{"var": "town.population"}, 3500]},
                           {"town": {"population": "12000"}}), True)
        self.assertEqual(a({"in": [1, [1.0, 2]]}), True)
        self.assertEqual(a({"in": ["1", [1]]}), False)        # strict inside arrays
        self.assertEqual(a({"-": [None, 1]}), -1)

    def test_runtime_errors(self):
        for rule in ({"/": [1, 0]}, {"%": [1, 0]}, {"<": ["abc", 1]}, {"+": ["abc"]},
                     {"max": []}, {"all": [None, True]}, {"nope": [1]}, {">": [{}, 1]}):
            with self.assertRaises(ref.RuleError, msg=rule):
                ref.apply(rule, {})


class Files(unittest.TestCase):
    """The command line, the §3.2 number dialect in marks and compare.py."""

    def test_parse_number(self):
        self.assertEqual(ref.parse_number("3,5"), 3.5)
        self.assertEqual(ref.parse_number(" 1 234,5 "), 1234.5)
        self.assertEqual(ref.parse_number("1\u202f234"), 1234)
        self.assertEqual(ref.parse_number("72,5%", allow_percent=True), 72.5)
        self.assertIsNone(ref.parse_number("72,5%"))
        self.assertIsNone(ref.parse_number("douze"))
        self.assertIsNone(ref.parse_number("1 23"))

    def test_cli_and_compare(self):
        rub = {"format": "palmares-rubric/1", "id": "t", "edition": 2027, "label": "t",
               "categories": [{"id": "k", "criteria": [
                   {"id": "j", "kind": "jury", "points": 10, "scale": [0, 5]},
                   {"id": "p", "kind": "percent", "points": 10}]}],
               "levels": LEVELS}
        with tempfile.TemporaryDirectory() as tmp:
            def w(name, text):
                with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                    f.write(text)
                return os.path.join(tmp, name)
            r = w("rubric.json", json.dumps(rub))
            d = w("d.jsonl", "\n".join(json.dumps(town(str(i), {"p": 10 * i}))
                                       for i in range(1, 4)) + "\n{broken\n")
            m = w("marks.csv", "juror;town_id;criterion;mark;comment\r\n"
                               "a;1;j;2,5;\"bien; très\"\r\nb;1;j;;\r\na;2;j;4;\r\n")
            out = subprocess.run([sys.executable, os.path.join(HERE, "palmares_ref.py"), r, d,
                                  "--marks", m], capture_output=True, text=True)
            self.assertEqual(out.returncode, 1, out.stderr)    # the broken line is rejected
            res = json.loads(out.stdout)
            self.assertEqual([t["status"] for t in res["towns"]],
                             ["scored", "scored", "pending", "invalid"])   # 3: no mark
            self.assertEqual(crit(res["towns"][0], "j")["aggregate"], 2.5)
            self.assertIn("d.jsonl:4", out.stderr)
            exp = w("exp.json", out.stdout)
            res["towns"][1]["score"]["percent"] = res["towns"][1]["score"]["percent"] + 0.004
            res["towns"][2]["criteria"][0]["disagreement"] = True
            res["towns"][0]["mentions"] = ["x"]
            act = w("act.json", json.dumps(res))
            cmp = subprocess.run([sys.executable, os.path.join(HERE, "compare.py"), exp, act],
                                 capture_output=True, text=True)
            self.assertEqual(cmp.returncode, 1)
            lines = cmp.stdout.strip().split("\n")
            self.assertEqual(lines[-1], "4 towns compared, 2 differences", cmp.stdout)
            self.assertIn("town 3: criteria[0](j).disagreement", cmp.stdout)
            self.assertIn("town 1: mentions", cmp.stdout)
            same = subprocess.run([sys.executable, os.path.join(HERE, "compare.py"), exp, exp],
                                  capture_output=True, text=True)
            self.assertEqual((same.returncode, same.stdout), (0, "4 towns compared, "
                                                                 "0 differences\n"))


class GenCampaign(unittest.TestCase):
    """bench/gen_campaign.py: deterministic, well-formed, and what it promises is there."""
    GEN = os.path.join(HERE, "..", "..", "bench", "gen_campaign.py")

    def gen(self, out, *opts):
        subprocess.run([sys.executable, self.GEN, "--out", out, "--json"] + list(opts),
                       check=True)

    def read(self, d, name):
        with open(os.path.join(d, name), "rb") as f:
            return f.read()

    def test_deterministic_and_complete(self):
        import csv
        with tempfile.TemporaryDirectory() as tmp:
            a, b, c = (os.path.join(tmp, x) for x in "abc")
            self.gen(a, "--small", "--seed", "5", "--invalid", "0.1")
            self.gen(b, "--small", "--seed", "5", "--invalid", "0.1")
            self.gen(c, "--small", "--seed", "6", "--invalid", "0.1")
            for name in ("rubric.json", "dossiers.csv", "dossiers.jsonl", "marks.csv"):
                self.assertEqual(self.read(a, name), self.read(b, name), name)
            self.assertNotEqual(self.read(a, "dossiers.jsonl"), self.read(c, "dossiers.jsonl"))
            with open(os.path.join(a, "rubric.json"), encoding="utf-8") as f:
                rub = ref.load_rubric(json.load(f))      # a valid rubric
            self.assertEqual(len(rub.criteria), 30)
            self.assertEqual(len(rub.jury_criteria), 4)
            self.assertEqual(set(c.kind for c in rub.criteria) - {"info"},
                             {"yes-no", "number", "percent", "choice", "multi", "jury"})
            self.assertEqual(set(c.mode for c in rub.categories), {"redistribute", "exclude"})
            self.assertTrue(any(c.applies for c in rub.criteria))
            self.assertTrue(any(c.allow_na for c in rub.criteria))
            self.assertTrue(any(lv.requires for lv in rub.levels))
            self.assertEqual(len(rub.mentions), 2)
            with open(os.path.join(a, "dossiers.csv"), encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            self.assertEqual(rows[0][:6], ["town_id", "town_name", "population", "region",
                                           "department", "type"])
            self.assertEqual(len(rows), 41)
            jsonl = self.read(a, "dossiers.jsonl").decode("utf-8").splitlines()
            self.assertEqual(len(jsonl), 40)
            self.assertEqual([r[0] for r in rows[1:]],
                             [json.loads(x)["town"]["id"] for x in jsonl])
            res, _ = ref.run(rub, ref.read_json_dossiers(os.path.join(a, "dossiers.jsonl"),
                                                         ref.Messages()),
                             ref.read_marks(os.path.join(a, "marks.csv"), ref.Messages()))
            s = res["summary"]
            self.assertEqual(s["dossiers"], 40)
            self.assertGreater(s["invalid"], 0)
            self.assertGreater(s["scored"], 20)


if __name__ == "__main__":
    unittest.main()
