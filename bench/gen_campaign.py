#!/usr/bin/env python3
"""gen_campaign.py — deterministic generator of a synthetic palmares campaign.

    python3 bench/gen_campaign.py --out DIR [--seed N] [--towns N] [--criteria C] [--jury J]
        [--marks-per-dossier K] [--jurors M] [--json] [--small]
        [--aggregate mean|median|trimmed-mean] [--calibrate none|z]
        [--invalid RATE] [--pending RATE] [--twins RATE]

writes
    DIR/rubric.json      C criteria (J of them jury criteria) in about 8 categories, every kind,
                         `applies` rules on the population (and one on an answer), allow_na,
                         evidence, redistribute and exclude categories, 5 levels with
                         `requires`, 2 mentions, a jury section with min_marks;
    DIR/dossiers.csv     one row per town (SPEC §3.2): town_id,town_name,population,region,
                         department,type, one column per non-jury criterion and one
                         `<id>.evidence` column per criterion that takes evidence; mixed
                         spellings (oui/x/1, decimal comma, thousands spaces, "sans objet"…);
    DIR/dossiers.jsonl   with --json: the same dossiers as JSON Lines (SPEC §3.1);
    DIR/marks.csv        K marks per applicable jury criterion per dossier, from K of M jurors
                         with personal biases (so that calibration matters).

Everything is written row by row (memory does not grow with --towns), and the same arguments
give byte-identical files.  Defaults: 35000 towns x 150 criteria, 20 jury criteria, 3 marks
per dossier, 60 jurors.  --small: 40 towns x 30 criteria, 4 jury criteria, 3 marks, 8 jurors
(explicit options still win).

Rates (fractions of dossiers): --invalid (default 0) injects one defect of SPEC §3.3 (wrong
type, out of range, unknown option, n/a without allow_na, town id twice; in the JSON file also
an unknown criterion or an answer to a jury criterion, the CSV row then carries a wrong type);
--pending (default 0.03) leaves a jury criterion with fewer than min_marks marks; --twins
(default 0.02) copies the answers and marks of a recent town, so that ranks tie.
"""

import argparse
import csv
import json
import math
import os
import random
import sys

# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------

ARA, HDF, PACA, GE, OCC, NOR, NA, CVL, COR, BFC, BRE, PDL, IDF = (
    "Auvergne-Rhône-Alpes", "Hauts-de-France", "Provence-Alpes-Côte d'Azur", "Grand Est",
    "Occitanie", "Normandie", "Nouvelle-Aquitaine", "Centre-Val de Loire", "Corse",
    "Bourgogne-Franche-Comté", "Bretagne", "Pays de la Loire", "Île-de-France")
DEPARTMENTS = [
    ("01", ARA), ("02", HDF), ("03", ARA), ("04", PACA), ("05", PACA), ("06", PACA),
    ("07", ARA), ("08", GE), ("09", OCC), ("10", GE), ("11", OCC), ("12", OCC), ("13", PACA),
    ("14", NOR), ("15", ARA), ("16", NA), ("17", NA), ("18", CVL), ("19", NA), ("2A", COR),
    ("2B", COR), ("21", BFC), ("22", BRE), ("23", NA), ("24", NA), ("25", BFC), ("26", ARA),
    ("27", NOR), ("28", CVL), ("29", BRE), ("30", OCC), ("31", OCC), ("32", OCC), ("33", NA),
    ("34", OCC), ("35", BRE), ("36", CVL), ("37", CVL), ("38", ARA), ("39", BFC), ("40", NA),
    ("41", CVL), ("42", ARA), ("43", ARA), ("44", PDL), ("45", CVL), ("46", OCC), ("47", NA),
    ("48", OCC), ("49", PDL), ("50", NOR), ("51", GE), ("52", GE), ("53", PDL), ("54", GE),
    ("55", GE), ("56", BRE), ("57", GE), ("58", BFC), ("59", HDF), ("60", HDF), ("61", NOR),
    ("62", HDF), ("63", ARA), ("64", NA), ("65", OCC), ("66", OCC), ("67", GE), ("68", GE),
    ("69", ARA), ("70", BFC), ("71", BFC), ("72", PDL), ("73", ARA), ("74", ARA), ("75", IDF),
    ("76", NOR), ("77", IDF), ("78", IDF), ("79", NA), ("80", HDF), ("81", OCC), ("82", OCC),
    ("83", PACA), ("84", PACA), ("85", PDL), ("86", NA), ("87", NA), ("88", GE), ("89", BFC),
    ("90", BFC), ("91", IDF), ("92", IDF), ("93", IDF), ("94", IDF), ("95", IDF)]
OVERSEAS = [("971", "Guadeloupe"), ("972", "Martinique"), ("973", "Guyane"),
            ("974", "La Réunion"), ("976", "Mayotte")]
CAPACITY = len(DEPARTMENTS) * 999 + len(OVERSEAS) * 99


def insee_code(index):
    """The index-th INSEE-like code: department + commune number, 5 characters."""
    if index < len(DEPARTMENTS) * 999:
        dep, region = DEPARTMENTS[index // 999]
        return dep + "%03d" % (index % 999 + 1), dep, region
    index -= len(DEPARTMENTS) * 999
    dep, region = OVERSEAS[index // 99]
    return dep + "%02d" % (index % 99 + 1), dep, region


SAINTS = ["Médard", "Martin", "Jean", "Pierre", "Germain", "Étienne", "Denis", "Laurent",
          "Hilaire", "Aubin", "Rémy", "Genis", "Quentin", "Julien", "Sauveur", "Cyr", "Ouen",
          "Maur", "Amand", "Georges", "Just", "Léger", "Privat", "Vincent", "Brice", "Herblain"]
SAINTES = ["Marie", "Foy", "Geneviève", "Anne", "Colombe", "Croix", "Hélène", "Livrade",
           "Menehould", "Radegonde", "Eulalie", "Luce"]
ROOTS_M = ["Plessis", "Mesnil", "Breuil", "Pont", "Bois", "Val", "Moulin", "Château", "Vigan",
           "Bourget", "Pecq", "Havre", "Cannet", "Puy", "Theil", "Mans", "Teil", "Crès"]
ROOTS_F = ["Roche", "Chapelle", "Ferté", "Garenne", "Bastide", "Forêt", "Chaussée", "Motte",
           "Rochelle", "Souterraine", "Tremblade", "Trinité", "Grand-Combe", "Ciotat"]
ROOTS_V = ["Isle", "Aiguillon", "Hôpital", "Haÿ", "Étang", "Œuvre", "Abergement", "Arbresle"]
PLAIN = ["Beaumont", "Montreuil", "Villiers", "Châtillon", "Courcelles", "Fontenay",
         "Bellevue", "Rochefort", "Clairvaux", "Aubigny", "Brignac", "Lussac", "Sauveterre",
         "Monségur", "Castelnau", "Aurignac", "Plouguerneau", "Ploërmel", "Kerlouan",
         "Trégastel", "Villeneuve", "Neuville", "Fontaine", "Bourgneuf", "Champagnac",
         "Montigny", "Savigny", "Chevigny", "Marcilly", "Bazoches", "Vaux", "Ambérieu",
         "Oyonnax", "Dieulefit", "Pézenas", "Lodève", "Uzès", "Gignac", "Figeac", "Cahors",
         "Yssingeaux", "Ruffec", "Confolens", "Nérac", "Mauléon", "Oloron", "Morlaàs"]
RIVERS = ["Loire", "Seine", "Marne", "Saône", "Rhône", "Garonne", "Dordogne", "Lot", "Tarn",
          "Yonne", "Oise", "Meuse", "Moselle", "Vienne", "Cher", "Indre", "Sarthe", "Mer",
          "Orge", "Ource", "Aude", "Ariège", "Durance", "Isère", "Drôme", "Sèvre", "Vilaine"]
PAYS = ["Jalles", "Brie", "Bresse", "Vexin", "Auge", "Bray", "Caux", "Forez", "Velay",
        "Royans", "Argonne", "Woëvre", "Othe", "Beauce", "Gâtinais", "Champsaur", "Barrois"]
LONGEST = "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"


def commune_name(rng):
    r = rng.random()
    if r < 0.22:
        base = "Saint-" + rng.choice(SAINTS)
    elif r < 0.30:
        base = "Sainte-" + rng.choice(SAINTES)
    elif r < 0.40:
        base = "Le " + rng.choice(ROOTS_M)
    elif r < 0.50:
        base = "La " + rng.choice(ROOTS_F)
    elif r < 0.55:
        base = "L'" + rng.choice(ROOTS_V)
    elif r < 0.58:
        base = "Les " + rng.choice(["Ulis", "Andelys", "Essarts", "Ormes", "Mées", "Herbiers"])
    else:
        base = rng.choice(PLAIN)
    r = rng.random()
    if r < 0.20:
        return base + "-sur-" + rng.choice(RIVERS)
    if r < 0.32:
        return base + "-en-" + rng.choice(PAYS)
    if r < 0.38:
        return base + "-le-" + rng.choice(["Vieux", "Grand", "Château", "Comte", "Roi", "Haut"])
    if r < 0.43:
        return base + "-lès-" + rng.choice(["Nancy", "Dijon", "Tours", "Bains", "Rouen", "Metz"])
    if r < 0.46:
        return base + "-l'" + rng.choice(["Aumône", "Abbaye", "Étang", "Église"])
    if r < 0.50:
        return base + "-et-" + rng.choice(PLAIN)
    return base


JURORS = ["martin", "bernard", "thomas", "petit", "robert", "richard", "durand", "dubois",
          "moreau", "laurent", "simon", "michel", "lefebvre", "leroy", "roux", "david",
          "bertrand", "morel", "fournier", "girard", "bonnet", "dupont", "lambert", "fontaine",
          "rousseau", "vincent", "muller", "lefevre", "faure", "andre", "mercier", "blanc",
          "guerin", "boyer", "garnier", "chevalier", "francois", "legrand", "gauthier",
          "garcia", "perrin", "robin", "clement", "morin", "nicolas", "henry", "roussel",
          "mathieu", "gautier", "masson", "marchand", "duval", "denis", "dumont", "marie",
          "lemaire", "noel", "meyer", "dufour", "meunier", "brun", "blanchard", "giraud",
          "joly", "riviere", "lucas", "brunet", "gaillard", "barbier", "arnaud", "martinez"]

# --------------------------------------------------------------------------------------------
# Rubric
# --------------------------------------------------------------------------------------------

CATEGORIES = [
    ("services", "Démocratie et services publics"), ("education", "Éducation et jeunesse"),
    ("culture", "Culture et patrimoine numérique"), ("solidarite", "Inclusion et médiation"),
    ("environnement", "Sobriété numérique"), ("economie", "Économie et attractivité"),
    ("securite", "Sécurité et données personnelles"), ("metropole", "Grands équipements"),
    ("sante", "Santé"), ("mobilite", "Mobilité"), ("tourisme", "Tourisme"),
    ("agriculture", "Agriculture")]
CHOICES = [
    ("Suite bureautique", {"libre": 1, "mixte": 0.5, "proprietaire": 0}),
    ("Hébergement des services", {"interne": 1, "mutualise": 0.75, "prestataire": 0.5,
                                  "aucun": 0}),
    ("Mise à jour du site", {"quotidien": 1, "hebdomadaire": 0.6, "mensuel": 0.3,
                             "jamais": 0}),
    ("Accessibilité des démarches", {"complete": 1, "partielle": 0.4, "non": 0}),
]
MULTIS = [
    ("Démarches en ligne", {"etat-civil": 0.4, "inscriptions": 0.4, "paiement": 0.4}),
    ("Canaux d'information", {"site": 0.3, "lettre-info": 0.3, "mastodon": 0.4,
                              "peertube": 0.4, "panneau": 0.2}),
    ("Publics formés", {"seniors": 0.35, "jeunes": 0.35, "agents": 0.35, "elus": 0.2}),
]
TITLES = {"yes-no": ["Charte de la donnée", "Référent numérique", "Wifi public",
                     "Conseil municipal filmé", "Espace public numérique", "Plan de sobriété"],
          "number": ["Jeux de données ouverts", "Ateliers par an", "Bornes en libre accès",
                     "Agents formés"],
          "percent": ["Part de logiciels libres", "Part d'écoles équipées",
                      "Taux de démarches dématérialisées"],
          "jury": ["Innovation", "Qualité du projet", "Participation citoyenne",
                   "Exemplarité"],
          "info": ["Commentaire libre", "Projets à venir"]}
KIND_WEIGHTS = [("yes-no", 30), ("number", 15), ("percent", 15), ("choice", 20),
                ("multi", 15), ("info", 5)]
POINTS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2, 2.5, 3, 3, 4, 4, 5, 6, 8, 10, 12, 15]
JURY_SCALES = [[0, 5], [0, 10], [1, 4], [0, 20]]
POP_RULES = [(">=", 2000), (">=", 3500), (">=", 5000), ("<", 10000), (">=", 10000)]
BIG_TOWN = 20000


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


class Crit:
    """What the generator knows of a criterion (the rubric JSON is derived from it)."""

    def __init__(self, cid, kind, cat):
        self.id = cid
        self.kind = kind
        self.cat = cat
        self.points = None
        self.title = None
        self.steps = None
        self.options = None
        self.scale = None
        self.applies = None      # ("pop", op, value) or ("answer", criterion id)
        self.allow_na = False
        self.evidence = "none"

    def rule(self):
        if self.applies is None:
            return None
        if self.applies[0] == "pop":
            return {self.applies[1]: [{"var": "town.population"}, self.applies[2]]}
        return {"==": [{"var": "answers." + self.applies[1]}, True]}

    def applies_to(self, population, answers):
        if self.applies is None:
            return True
        if self.applies[0] == "pop":
            op, v = self.applies[1], self.applies[2]
            return population >= v if op == ">=" else population < v
        return answers.get(self.applies[1]) is True

    def json(self):
        o = {"id": self.id, "title": {"fr": self.title}, "kind": self.kind}
        if self.kind != "info":
            o["points"] = self.points
        if self.steps is not None:
            o["steps"] = self.steps
        if self.options is not None:
            o["options"] = self.options
        if self.scale is not None:
            o["scale"] = self.scale
        if self.applies is not None:
            o["applies"] = self.rule()
        if self.allow_na:
            o["allow_na"] = True
        if self.evidence != "none":
            o["evidence"] = self.evidence
        return o


def make_rubric(rng, n_crit, n_jury, aggregate, calibrate, marks_per_dossier):
    n_cat = min(8, max(1, n_crit // 3))
    cats = CATEGORIES[:n_cat]
    if n_cat < 8 and n_cat >= 3:
        cats = cats[:n_cat - 1] + [("metropole", "Grands équipements")]
    big_cat = cats[-1][0] if n_cat >= 3 else None
    per_cat = {c: [] for c, _ in cats}
    crits = []

    def add(cid, kind, cat):
        c = Crit(cid, kind, cat)
        per_cat[cat].append(c)
        crits.append(c)
        return c

    # Fixed criteria the rules refer to.
    first = cats[0][0]
    site = add("site-accessible", "yes-no", first)
    site.points, site.title = 4, "Site conforme RGAA"
    libre = add("part-logiciels-libres", "percent", first)
    libre.points, libre.title = 10, "Part de logiciels libres"
    made = 2
    tl = None
    if n_crit - n_jury >= 8 and n_cat >= 2:
        tl = add("tiers-lieu", "yes-no", cats[1 % n_cat][0])
        tl.points, tl.title, tl.allow_na = 3, "Tiers-lieu numérique", True
        fq = add("tiers-lieu-frequentation", "number", cats[1 % n_cat][0])
        fq.points, fq.title = 5, "Fréquentation du tiers-lieu (visites par semaine)"
        fq.steps = [[10, 0.3], [50, 0.7], [200, 1]]
        fq.applies = ("answer", "tiers-lieu")
        made = 4
    kinds = ["jury"] * n_jury
    while len(kinds) < n_crit - made:
        kinds.append(weighted(rng, KIND_WEIGHTS))
    rng.shuffle(kinds)
    counters = {}
    for i, kind in enumerate(kinds):
        cat = cats[(i + made) % n_cat][0]
        counters[cat] = counters.get(cat, 0) + 1
        c = add("%s-%02d" % (cat, counters[cat]), kind, cat)
        if kind in TITLES:
            c.title = "%s (%d)" % (rng.choice(TITLES[kind]), counters[cat])
        if kind != "info":
            c.points = rng.choice(POINTS)
        if kind == "number":
            t = rng.choice([1, 2, 5])
            steps, f = [], 0.0
            for k in range(rng.randint(2, 4)):
                f = min(1.0, round(f + rng.choice([0.2, 0.25, 0.3, 0.5]), 2))
                steps.append([t, f])
                t = t * rng.choice([2, 2.5, 3, 4])
            if rng.random() < 0.7:
                steps[-1][1] = 1
            c.steps = steps
        elif kind == "choice":
            c.title, c.options = rng.choice(CHOICES)
            c.title = "%s (%d)" % (c.title, counters[cat])
            c.options = dict(c.options)
        elif kind == "multi":
            c.title, c.options = rng.choice(MULTIS)
            c.title = "%s (%d)" % (c.title, counters[cat])
            c.options = dict(c.options)
        elif kind == "jury":
            c.scale = list(rng.choice(JURY_SCALES))
        if cat == big_cat:
            c.applies = ("pop", ">=", BIG_TOWN)
        elif rng.random() < 0.12:
            op, v = rng.choice(POP_RULES)
            c.applies = ("pop", op, v)
        if kind not in ("jury", "info"):
            c.allow_na = rng.random() < 0.15
            r = rng.random()
            c.evidence = "required" if r < 0.08 else "optional" if r < 0.16 else "none"

    # Categories: redistribute (implicit or explicit) and exclude, alternately.
    cat_json = []
    for i, (cid, title) in enumerate(cats):
        o = {"id": cid, "title": {"fr": title}}
        if i % 3 == 1:
            o["not_applicable"] = "exclude"
        elif i % 3 == 2:
            o["not_applicable"] = "redistribute"
        o["criteria"] = [c.json() for c in per_cat[cid]]
        cat_json.append(o)

    second = cats[1 % n_cat][0]
    third = cats[2 % n_cat][0]
    levels = [
        {"name": "@", "min_percent": 15},
        {"name": "@@", "min_percent": 35},
        {"name": "@@@", "min_percent": 50},
        {"name": "@@@@", "min_percent": 62.5,
         "requires": {">=": [{"var": "categories.%s.percent" % first}, 40]}},
        {"name": "@@@@@", "min_percent": 75,
         "requires": {"and": [{"==": [{"var": "answers.site-accessible"}, True]},
                              {">=": [{"var": "categories.%s.percent" % second}, 50]}]}},
    ]
    mentions = [
        {"id": "logiciel-libre", "name": {"fr": "Mention logiciel libre"}, "min_level": 1,
         "when": {">=": [{"var": "criteria.part-logiciels-libres.fraction"}, 0.6]}},
        {"id": "inclusion", "name": {"fr": "Mention inclusion numérique"}, "min_level": 3,
         "when": {"and": [{"<": [{"var": "town.population"}, 5000]},
                          {">=": [{"var": "categories.%s.percent" % third}, 60]}]}},
    ]
    rubric = {
        "format": "palmares-rubric/1",
        "id": "villes-internet-synthetique",
        "edition": 2027,
        "label": {"fr": "Label Territoires, Villes et Villages Internet (campagne synthétique)",
                  "en": "Internet Towns and Villages label (synthetic campaign)"},
        "language": "fr",
        "categories": cat_json,
        "jury": {"aggregate": aggregate, "min_marks": min(2, marks_per_dossier),
                 "disagreement": 2, "calibrate": calibrate, "calibrate_min": 5},
        "levels": levels,
        "mentions": mentions,
    }
    return rubric, crits

# --------------------------------------------------------------------------------------------
# Dossiers and marks
# --------------------------------------------------------------------------------------------


def clip(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


def answer_for(rng, c, q):
    """A typed answer (JSON value) of quality q in [0, 1]."""
    if c.kind == "yes-no":
        return rng.random() < 0.05 + 0.9 * q
    if c.kind == "number":
        top = c.steps[-1][0]
        if rng.random() < 0.12:
            return rng.choice(c.steps)[0]          # exactly on a threshold
        x = clip(q + rng.gauss(0, 0.25), 0, 1.3) * top * 1.1
        if rng.random() < 0.1:
            return round(x, 1)
        return int(round(x))
    if c.kind == "percent":
        r = rng.random()
        if r < 0.05:
            return 60                              # the mention threshold
        if r < 0.08:
            return rng.choice([0, 100])
        return round(clip(rng.gauss(q * 100, 18), 0, 100), 1)
    if c.kind == "choice":
        opts = sorted(c.options, key=lambda o: -c.options[o])
        k = int(clip((1 - q) * len(opts) + rng.gauss(0, 0.8), 0, len(opts) - 1))
        return opts[k]
    if c.kind == "multi":
        return [o for o in c.options if rng.random() < 0.15 + 0.7 * q]
    texts = ["Référent : Mme Dupont, adjointe au numérique",
             "Projet \"ville connectée\" en 2028",
             "Rien à signaler", "Partenariat avec l'EPN, la médiathèque; et le collège",
             "Ligne 1\nLigne 2"]
    return rng.choice(texts)


def case_variant(rng, s):
    r = rng.random()
    if r < 0.08:
        return s.upper()
    if r < 0.16:
        return s.capitalize()
    return s


YES = ["oui", "Oui", "OUI", "yes", "true", "1", "x", "X", "vrai", " oui "]
NO = ["non", "Non", "no", "false", "0", "faux", "NON"]
NA_TEXTS = ["n/a", "N/A", "na", "NA", "sans objet", "Sans objet", "non concerné",
            "Non concerné", "non concerne"]


def fmt_decimal(rng, x):
    s = repr(float(x))
    if s.endswith(".0"):
        s = s[:-2]
    return s.replace(".", ",") if rng.random() < 0.5 else s


def fmt_int(rng, n):
    if n >= 1000 and rng.random() < 0.3:
        sep = rng.choice([" ", "\u00a0", "\u202f"])
        s = "{:,}".format(n).replace(",", sep)
        return s
    return str(n)


def csv_cell(rng, c, v):
    """The CSV spelling of a typed answer (SPEC §3.2)."""
    if v is None:
        return ""
    if v == "n/a":
        return rng.choice(NA_TEXTS)
    if c.kind == "yes-no":
        return rng.choice(YES) if v else rng.choice(NO)
    if c.kind == "number":
        return fmt_int(rng, v) if isinstance(v, int) else fmt_decimal(rng, v)
    if c.kind == "percent":
        s = fmt_decimal(rng, v) if not isinstance(v, int) else str(v)
        return s + "%" if rng.random() < 0.2 else s
    if c.kind == "choice":
        return (" %s " % v) if rng.random() < 0.05 else v
    if c.kind == "multi":
        return rng.choice(["|", " | "]).join(v)
    return v


def mark_value(rng, c, q, bias):
    lo, hi = c.scale
    step = 0.5 if hi - lo <= 5 else 1
    x = clip(q + bias + rng.gauss(0, 0.12), 0, 1)
    v = lo + round(x * (hi - lo) / step) * step
    return clip(v, lo, hi)


def fmt_mark(rng, v):
    if float(v).is_integer():
        return str(int(v))
    s = repr(float(v))
    return s.replace(".", ",") if rng.random() < 0.3 else s


COMMENTS = ["", "", "", "Très bon dossier", "Projet \"exemplaire\"",
            "À revoir, manque de pièces", "Bien; mais perfectible", "Remarquable, vraiment"]

# --------------------------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="gen_campaign.py", description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--towns", type=int)
    ap.add_argument("--criteria", type=int)
    ap.add_argument("--jury", type=int)
    ap.add_argument("--marks-per-dossier", type=int)
    ap.add_argument("--jurors", type=int)
    ap.add_argument("--small", action="store_true",
                    help="preset for tests: 40 towns x 30 criteria, 4 jury, 3 marks, 8 jurors")
    ap.add_argument("--json", action="store_true", help="also write dossiers.jsonl")
    ap.add_argument("--aggregate", default="mean", choices=["mean", "median", "trimmed-mean"])
    ap.add_argument("--calibrate", default="none", choices=["none", "z"])
    ap.add_argument("--invalid", type=float, default=0.0, help="rate of invalid dossiers")
    ap.add_argument("--pending", type=float, default=0.03, help="rate of pending dossiers")
    ap.add_argument("--twins", type=float, default=0.02, help="rate of copied dossiers")
    a = ap.parse_args(argv)
    preset = dict(towns=40, criteria=30, jury=4, marks_per_dossier=3, jurors=8) if a.small \
        else dict(towns=35000, criteria=150, jury=20, marks_per_dossier=3, jurors=60)
    for k, v in preset.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if not 1 <= a.towns <= CAPACITY:
        ap.error("--towns must be in [1, %d] (INSEE-like codes are unique)" % CAPACITY)
    if a.jury < 0 or a.criteria < a.jury + 3:
        ap.error("--criteria must be at least --jury + 3")
    if a.marks_per_dossier < 1 or a.jurors < a.marks_per_dossier:
        ap.error("--jurors must be at least --marks-per-dossier (>= 1)")
    return a


def main(argv=None):
    a = parse_args(argv)
    rng = random.Random(a.seed)
    rubric, crits = make_rubric(rng, a.criteria, a.jury, a.aggregate, a.calibrate,
                                a.marks_per_dossier)
    rubric["x-generator"] = {"tool": "bench/gen_campaign.py", "seed": a.seed,
                             "towns": a.towns}
    min_marks = rubric["jury"]["min_marks"]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "rubric.json"), "w", encoding="utf-8") as f:
        json.dump(rubric, f, ensure_ascii=False, indent=2)
        f.write("\n")

    answered = [c for c in crits if c.kind != "jury"]
    jury = [c for c in crits if c.kind == "jury"]
    by_id = {c.id: c for c in crits}
    header = ["town_id", "town_name", "population", "region", "department", "type"]
    for c in answered:
        header.append(c.id)
        if c.evidence != "none":
            header.append(c.id + ".evidence")
    jurors = []
    for k in range(a.jurors):
        name = JURORS[k % len(JURORS)]
        jurors.append("j-" + name if k < len(JURORS) else "j-%s-%d" % (name, k // len(JURORS)))
    bias = [rng.gauss(0, 0.12) for _ in jurors]

    ids = rng.sample(range(CAPACITY), a.towns)
    f_csv = open(os.path.join(a.out, "dossiers.csv"), "w", encoding="utf-8", newline="")
    f_jsonl = open(os.path.join(a.out, "dossiers.jsonl"), "w", encoding="utf-8") \
        if a.json else None
    f_marks = open(os.path.join(a.out, "marks.csv"), "w", encoding="utf-8", newline="")
    w_csv = csv.writer(f_csv)
    w_marks = csv.writer(f_marks, lineterminator="\n")
    w_csv.writerow(header)
    w_marks.writerow(["juror", "town_id", "criterion", "mark", "comment"])
    recent = []      # a few recent (town, answers, marks) for twins and duplicate ids
    defects = ["type", "range", "option", "na", "duplicate", "unknown", "jury-answer"]

    for i in range(a.towns):
        code, dep, region = insee_code(ids[i])
        name = LONGEST if i == 7 else commune_name(rng)
        r = rng.random()
        ttype = "commune" if r < 0.9 else "commune-nouvelle" if r < 0.96 else "intercommunalite"
        pop = int(clip(math.exp(rng.gauss(6.4, 1.5)), 15, 900000))
        if ttype == "intercommunalite":
            pop = pop * 12 + 5000
        q = rng.betavariate(2, 2)
        twin = recent and rng.random() < a.twins
        invalid = rng.random() < a.invalid
        if twin:
            src = rng.choice(recent)
            pop, ttype, q = src["pop"], src["type"], src["q"]
            answers = dict(src["answers"])
            evidence = dict(src["evidence"])
        else:
            answers, evidence = {}, {}
            for c in answered:
                # answers to criteria whose `applies` depends on another answer come after it
                if c.applies and c.applies[0] == "answer":
                    continue
                answers[c.id] = gen_answer(rng, c, q, pop, answers)
            for c in answered:
                if c.applies and c.applies[0] == "answer":
                    answers[c.id] = gen_answer(rng, c, q, pop, answers)
            for c in answered:
                v = answers[c.id]
                if c.evidence != "none" and v is not None and v != "n/a":
                    p = 0.8 if c.evidence == "required" else 0.5
                    if rng.random() < p:
                        evidence[c.id] = "https://%s.example.fr/preuves/%s" % (code, c.id)
        town = {"id": code, "name": name, "population": pop, "region": region,
                "department": dep, "type": ttype}

        # An injected defect: json_extra for the JSON file only, csv_override for the CSV.
        json_answers = dict(answers)
        csv_override = {}
        defect = rng.choice(defects) if invalid else None
        if defect == "duplicate" and not recent:
            defect = "type"
        if defect == "duplicate":
            town["id"] = rng.choice(recent)["town"]["id"]
        elif defect is not None:
            target = rng.choice([c for c in answered if c.kind in ("yes-no", "percent",
                                                                   "choice", "number")])
            if defect == "type":
                json_answers[target.id] = "douze" if target.kind != "choice" else 12
                csv_override[target.id] = "douze" if target.kind != "choice" else "12"
            elif defect == "range":
                bad = 120 if target.kind == "percent" else -3
                if target.kind in ("yes-no", "choice"):
                    bad = "peut-être"
                json_answers[target.id] = bad
                csv_override[target.id] = str(bad)
            elif defect == "option":
                choice = [c for c in answered if c.kind == "choice"]
                t = choice[0] if choice else target
                json_answers[t.id] = "autre"
                csv_override[t.id] = "autre"
            elif defect == "na":
                strict = [c for c in answered if not c.allow_na] or [target]
                t = rng.choice(strict)
                json_answers[t.id] = "n/a"
                csv_override[t.id] = "sans objet"
            elif defect == "unknown":
                json_answers["site-web-ancien"] = True
                csv_override[target.id] = "douze"
            elif defect == "jury-answer" and jury:
                json_answers[jury[0].id] = 4
                csv_override[target.id] = "douze"
            else:
                json_answers[target.id] = "douze"
                csv_override[target.id] = "douze"

        row = [town["id"], name, fmt_int(rng, pop), region, dep, ttype]
        for c in answered:
            v = answers.get(c.id)
            row.append(csv_override[c.id] if c.id in csv_override else csv_cell(rng, c, v))
            if c.evidence != "none":
                row.append(evidence.get(c.id, ""))
        w_csv.writerow(row)
        if f_jsonl is not None:
            ja = {}
            for k, v in json_answers.items():
                if v is None:
                    if rng.random() < 0.3:
                        ja[k] = None          # explicit null, else absent
                    continue
                c = by_id.get(k)
                if c is not None and c.kind == "choice" and isinstance(v, str) and v != "n/a" \
                        and k not in csv_override:
                    v = case_variant(rng, v)
                ja[k] = v
            obj = {"format": "palmares-dossier/1", "rubric": rubric["id"], "town": town,
                   "answers": ja}
            if evidence:
                obj["evidence"] = evidence
            f_jsonl.write(json.dumps(obj, ensure_ascii=False) + "\n")

        # Marks.
        marks = []
        if defect != "duplicate":
            if twin and src["marks"] is not None:
                marks = [(j, cid, v) for j, cid, v in src["marks"]]
            else:
                chosen = rng.sample(range(len(jurors)), a.marks_per_dossier)
                applicable = [c for c in jury if c.applies_to(pop, answers)]
                # a pending dossier: one applicable jury criterion short of min_marks
                short = rng.choice(applicable) if applicable and min_marks > 0 and \
                    rng.random() < a.pending else None
                for c in jury:
                    if c not in applicable and rng.random() > 0.02:
                        continue          # a few marks on criteria that do not apply
                    for k, j in enumerate(chosen):
                        if c is short and k >= min_marks - 1:
                            if k == min_marks - 1:
                                marks.append((j, c.id, None))   # not marked yet
                            continue
                        marks.append((j, c.id, mark_value(rng, c, q, bias[j])))
            for j, cid, v in marks:
                w_marks.writerow([jurors[j], town["id"], cid,
                                  "" if v is None else fmt_mark(rng, v), rng.choice(COMMENTS)])
        if not invalid:
            recent.append({"town": town, "pop": pop, "type": ttype, "q": q,
                           "answers": answers, "evidence": evidence, "marks": marks})
            if len(recent) > 16:
                recent.pop(0)

    f_csv.close()
    f_marks.close()
    if f_jsonl is not None:
        f_jsonl.close()
    return 0


def gen_answer(rng, c, q, pop, answers):
    applies = c.applies_to(pop, answers)
    if not applies:
        # usually left empty; sometimes answered anyway (a warning, ignored)
        return answer_for(rng, c, q) if rng.random() < 0.05 else None
    if rng.random() < 0.04:
        return None
    if c.allow_na and rng.random() < 0.15:
        return "n/a"
    return answer_for(rng, c, q)


if __name__ == "__main__":
    sys.exit(main())
