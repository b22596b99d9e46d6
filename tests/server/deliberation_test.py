#!/usr/bin/env python3
"""HTTP tests of the organizer's deliberation of `palmares serve` (the jury on the web).

Creates the sample campaign (the 30 towns of examples/ with their dossiers, the
jurors of examples/jurors.csv), fills the mark table with examples/marks.csv and
the assignment table with its (juror, town) pairs, by SQL into the campaign file,
and puts the campaign in its deliberation phase. `palmares score` and `palmares
sensitivity` run on the campaign's export (its dossiers) with the same marks and
assignments. Then, as the organizer:
- the deliberation page shows every town's level, computed level and
  disagreement flags, the alpha of each jury criterion, each juror's
  calibration and the borderline list exactly as the command line computes
  them; it sorts by score, level and flags;
- a dossier's page shows every mark with its juror and comment, the raw and
  calibrated aggregates and the flags as the results file has them;
- an override with its reason is stored, in the audit log (old → new), changes
  the level in the live table and in results.json; a level that is not the
  rubric's, or no reason, is refused with the message next to the field and
  changes nothing; removing it brings the computed level back;
- the wrong people get 404: a town, a juror, a stranger; an override outside
  the deliberation and published phases; a forged CSRF token changes nothing.
Usage: deliberation_test.py PALMARES SOURCE_ROOT
"""
import csv
import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
# (browser_deliberation_test.py imports this file for its campaign: setup(), set_phase())
tmp = tempfile.mkdtemp(prefix="palmares-deliberation-")
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
EX = os.path.join(ROOT, "examples")
DOSSIERS = [os.path.join(EX, f) for f in
            ("dossiers-excel.csv", "dossiers-libreoffice.csv", "dossiers-google.csv", "dossiers.json")]
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
WHY = {"below-next": 1, "above-own": 2, "one-mark": 4}


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=120)


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def cli(*args):
    p = subprocess.run([PALMARES] + list(args), capture_output=True, timeout=300, cwd=tmp)
    return p.returncode, p.stdout, p.stderr


def db_all(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    rows = db.execute(sql, args).fetchall()
    db.close()
    return rows


def set_phase(phase):
    """The campaign's current phase: the phases up to it started in the past, none after."""
    order = ["submission", "marking", "deliberation", "published"]
    db = sqlite3.connect(DB, timeout=10)
    db.execute("DELETE FROM phase")
    for k, p in enumerate(order[:order.index(phase) + 1]):
        db.execute("INSERT INTO phase (phase, starts_at) VALUES (?, ?)", (p, k + 1))
    db.commit()
    db.close()


def setup():
    # The towns file of the 30 sample towns, as scripts/serve-sample.sh makes it.
    rc, _, err = cli("score", RUBRIC, *DOSSIERS, "--format", "json", "-o", "towns.json")
    towns = json.load(open(os.path.join(tmp, "towns.json"), encoding="utf-8"))["towns"]
    attrs = []
    for t in towns:
        attrs += [a for a in t["attributes"] if a not in attrs]
    with open(os.path.join(tmp, "towns.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name", "email"] + attrs)
        for t in towns:
            w.writerow([t["id"], t["name"], "mairie-%s@example.org" % t["id"]] +
                       [t["attributes"].get(a, "") for a in attrs])
    args = ["campaign", "init", DB, "--rubric", RUBRIC, "--towns", os.path.join(tmp, "towns.csv"),
            "--jurors", os.path.join(EX, "jurors.csv"), "--base-url", ORIGIN]
    for d in DOSSIERS:
        args += ["--dossiers", d]
    p = subprocess.run([PALMARES] + args, capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr[-800:])
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    # The marks of examples/marks.csv, and their pairs as the assignments.
    with open(os.path.join(EX, "marks.csv"), encoding="utf-8") as f:
        marks = list(csv.DictReader(f))
    pairs = sorted({(m["juror"], m["town_id"]) for m in marks})
    db = sqlite3.connect(DB, timeout=10)
    db.executemany("INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 1)", pairs)
    db.executemany("INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, 1, 1)",
                   [(m["juror"], m["town_id"], m["criterion"], m["mark"], m["comment"]) for m in marks])
    db.commit()
    db.close()
    set_phase("deliberation")
    with open(os.path.join(tmp, "assignments.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["juror", "town_id"])
        w.writerows(pairs)
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {}
    for r in csv.DictReader(p.stdout.splitlines()):
        links.setdefault(r["role"] if r["role"] != "town" else "town", r["link"][len(ORIGIN):])
    return organizer, links, [t["id"] for t in towns]


def command_line():
    """`palmares score` and `sensitivity` on the export's dossiers, with the marks and assignments."""
    rc, _, err = cli("campaign", "export", DB, "-o", "export")
    check(rc == 0, "campaign export: %s" % err[-300:])
    jury = ["--marks", os.path.join(EX, "marks.csv"), "--assignments", "assignments.csv"]
    rc, _, err = cli("score", os.path.join("export", "rubric.json"), os.path.join("export", "dossiers.jsonl"),
                     *jury, "-o", "results.json")
    check(rc in (0, 1), "palmares score on the export with the marks: %d %s" % (rc, err[-300:]))
    rc, _, err = cli("sensitivity", os.path.join("export", "rubric.json"),
                     os.path.join("export", "dossiers.jsonl"), *jury, "--samples", "10", "-o", "sensitivity.json")
    check(rc in (0, 1), "palmares sensitivity on the same files: %d %s" % (rc, err[-300:]))
    with open(os.path.join(tmp, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    with open(os.path.join(tmp, "sensitivity.json"), encoding="utf-8") as f:
        sens = json.load(f)
    return results, sens


def current(cookie, path):
    """The page once it holds the current figures and the borderline list (both built in the background)."""
    for _ in range(600):
        st, _, page = req("GET", path, cookie=cookie)
        if 'data-current="1"' in page and 'id="borderline-pending"' not in page:
            break
        time.sleep(0.05)
    check('data-current="1"' in page, "GET %s: the current figures, in time" % path)
    return st, page


def rows_of(page):
    out = []
    for m in re.finditer(r'<tr data-town="([^"]*)" data-status="([^"]*)">(.*?)</tr>', page, re.S):
        body = m.group(3)
        num = lambda a: re.search(r'%s="(-?[0-9.e+-]+)"' % a, body)  # noqa: E731
        pct = num("data-percent")
        out.append({"id": html.unescape(m.group(1)), "status": m.group(2),
                    "percent": float(pct.group(1)) if pct else None,
                    "level": int(num("data-level").group(1)), "computed": int(num("data-computed-level").group(1)),
                    "override": int(num("data-override").group(1)), "flags": int(num("data-flags").group(1)),
                    "why": int(num("data-why").group(1))})
    return out


def near(a, b):
    return a is not None and b is not None and abs(a - b) <= 0.0051


def check_figures(page, results, sens, ids):
    # Alpha per jury criterion, as the results' jury.criteria.
    alpha = {m.group(1): m.group(2) for m in
             re.finditer(r'<tr data-criterion="([^"]*)">.*?data-alpha="([^"]*)"', page, re.S)}
    crit = results["jury"]["criteria"]
    check(len(crit) > 0 and set(alpha) == {c["id"] for c in crit}, "one alpha row per jury criterion")
    check(any(c["alpha"] is not None for c in crit), "the sample defines some alpha")
    check(all((c["alpha"] is None and alpha.get(c["id"]) == "") or
              (c["alpha"] is not None and alpha.get(c["id"]) and near(float(alpha[c["id"]]), c["alpha"]))
              for c in crit), "alpha per criterion equals the command line's: %s" % alpha)
    # The jurors' calibration, as jury.jurors.
    cal = {}
    for m in re.finditer(r'<tr data-juror="([^"]*)">(.*?)</tr>', page, re.S):
        g = lambda a: re.search(r'%s="([^"]*)"' % a, m.group(2)).group(1)  # noqa: E731
        cal[m.group(1)] = (int(g("data-marks")), float(g("data-mean")), float(g("data-sd")),
                           int(g("data-calibrated")))
    jur = results["jury"]["jurors"]
    check(len(jur) == 6 and set(cal) == {j["id"] for j in jur}, "one calibration row per juror: %s" % sorted(cal))
    check(all(cal[j["id"]][0] == j["marks"] and near(cal[j["id"]][1], j["mean"]) and
              near(cal[j["id"]][2], j["sd"]) and cal[j["id"]][3] == int(j["calibrated"]) for j in jur if j["id"] in cal),
          "marks, mean, sd and calibrated per juror equal the command line's")
    # Every dossier: level, computed level, flags, edge.
    rows = {r["id"]: r for r in rows_of(page)}
    towns = {t["id"]: t for t in results["towns"]}
    check(set(rows) == set(ids) == set(towns), "every town has its row (%d)" % len(rows))
    flagged = 0
    for tid, t in towns.items():
        r = rows.get(tid, {})
        flags = sum(1 for c in (t["criteria"] or []) if c.get("disagreement"))
        flagged += flags
        ok = (r.get("level") == (-1 if t["level"] is None else t["level"]) and
              r.get("computed") == (-1 if t["computed_level"] is None else t["computed_level"]) and
              r.get("flags") == flags and (t["score"] is None or near(r.get("percent"), t["score"]["percent"])))
        check(ok, "town %s: level, computed level, percent and flags as the command line's (%s)" % (tid, r))
    check(flagged > 0, "the sample's marks disagree somewhere (the flags are tested)")
    # The borderline list: the same towns, for the same reasons, hanging on the same marks.
    border = {b["id"]: b for b in sens["borderline"]}
    listed = {m.group(1): int(m.group(2)) for m in
              re.finditer(r'<li data-town="([^"]*)" data-why="(\d+)">', page)}
    check(len(border) > 0 and set(listed) == set(border), "the borderline list is sensitivity's: %s" % sorted(listed))
    check(all(listed.get(k) == sum(WHY[w] for w in b["why"]) for k, b in border.items()),
          "each borderline dossier for sensitivity's reasons")
    check(all(rows[k]["why"] == listed[k] for k in listed if k in rows), "the table's edge column agrees")
    hanging = set(re.findall(r'class="hanging-mark" data-juror="([^"]*)" data-criterion="([^"]*)"', page))
    check(hanging == {(m["juror"], m["criterion"]) for b in border.values() for m in b.get("marks", [])},
          "the marks a level hangs on are sensitivity's")


def check_sorting(cookie, results, sens):
    towns = results["towns"]
    st, _, page = req("GET", "/organizer/deliberation?sort=flags&dir=desc", cookie=cookie)
    rows = rows_of(page)
    check(st == 200 and [r["flags"] for r in rows] == sorted([r["flags"] for r in rows], reverse=True),
          "sorted by flags, most first")
    st, _, page = req("GET", "/organizer/deliberation?sort=score", cookie=cookie)
    pct = [r["percent"] if r["percent"] is not None else -1 for r in rows_of(page)]
    check(st == 200 and pct == sorted(pct) and len(pct) == len(towns), "sorted by score")
    st, _, page = req("GET", "/organizer/deliberation?sort=level&dir=desc", cookie=cookie)
    lv = [r["level"] for r in rows_of(page)]
    check(st == 200 and lv == sorted(lv, reverse=True), "sorted by level, highest first")
    st, _, page = req("GET", "/organizer/deliberation?edge=1&sort=score", cookie=cookie)
    rows = rows_of(page)
    pct = [r["percent"] for r in rows]
    check(st == 200 and {r["id"] for r in rows} == {b["id"] for b in sens["borderline"]} and pct == sorted(pct)
          and all(r["why"] for r in rows), "?edge=1: only the borderline dossiers, still sorted by score")
    heads = re.findall(r'<th[^>]*><a href="([^"]*)"', page)
    check(len(heads) == 4 and all("edge=1" in x for x in heads), "the sorting links keep the filter: %s" % heads)
    st, _, page = req("GET", "/organizer/deliberation?page=9", cookie=cookie)
    check(st == 200 and "1 / 1" in page, "a page past the end is the last one (30 towns: one page of 100)")


def check_dossier(cookie, results, tid):
    st, _, page = req("GET", "/organizer/deliberation/" + tid, cookie=cookie)
    check(st == 200, "GET the dossier's deliberation page of %s (%d)" % (tid, st))
    t = next(x for x in results["towns"] if x["id"] == tid)
    for c in t["criteria"]:
        if "marks" not in c:
            continue
        sec = re.search(r'<section class="jury-criterion" data-criterion="%s"[^>]*>(.*?)</section>' %
                        re.escape(c["id"]), page, re.S)
        check(sec is not None, "%s: a section for %s" % (tid, c["id"]))
        if not sec:
            continue
        got = [(html.unescape(j), float(v), html.unescape(re.sub(r"<br>", "\n", cm)))
               for j, v, cm in re.findall(r'<tr data-juror="([^"]*)"><td>[^<]*</td><td data-mark="([^"]*)">[^<]*</td>'
                                          r'<td class="comment">(.*?)</td>', sec.group(1), re.S)]
        want = [(m["juror"], float(m["mark"]), m["comment"]) for m in c["marks"]]
        check(sorted(got) == sorted(want), "%s %s: every mark with its juror and comment (%s)" % (tid, c["id"], got[:2]))
        agg = re.search(r'data-aggregate="([^"]*)"', sec.group(1))
        raw = re.search(r'data-aggregate-raw="([^"]*)"', sec.group(1))
        if c["aggregate"] is None:
            check(agg is None, "%s %s: no aggregate" % (tid, c["id"]))
        else:
            check(agg and raw and near(float(agg.group(1)), c["aggregate"]) and
                  near(float(raw.group(1)), c["aggregate_raw"]), "%s %s: raw and calibrated aggregates" % (tid, c["id"]))
        check(('data-disagreement="1"' in sec.group(0)) == bool(c["disagreement"]) and
              ('class="error disagreement"' in sec.group(1)) == bool(c["disagreement"]),
              "%s %s: the disagreement flag" % (tid, c["id"]))
    return page


def override(cookie, tid, level, reason, csrf=None):
    st, _, page = req("GET", "/organizer/deliberation/" + tid, cookie=cookie)
    body = urllib.parse.urlencode([("csrf", csrf if csrf is not None else csrf_of(page) or ""), ("town", tid),
                                   ("level", level), ("reason", reason)])
    return req("POST", "/organizer/override", body, cookie=cookie)


def audit(what="override"):
    return db_all("SELECT subject, old, new FROM audit WHERE what = ? ORDER BY id", (what,))


def live_level(cookie, tid):
    """The town's row in the live scores table once current (level), and results.json's town."""
    for _ in range(600):
        st, _, page = req("GET", "/organizer/scores", cookie=cookie)
        if 'data-current="1"' in page:
            break
        time.sleep(0.05)
    m = re.search(r'<tr data-town="%s".*?data-level="(-?\d+)"' % re.escape(tid), page, re.S)
    st, _, body = req("GET", "/organizer/results.json", cookie=cookie)
    town = next((t for t in json.loads(body)["towns"] if t["id"] == tid), None) if st == 200 else None
    return int(m.group(1)) if m else None, town


def check_overrides(cookie, results, ids):
    # A scored town with a level above the lowest, not overridden.
    t = next(x for x in results["towns"] if x["status"] == "scored" and x["level"] and x["level"] >= 2
             and not x["override"])
    tid, computed = t["id"], t["computed_level"]
    new = computed - 1
    rows, lines = db_all("SELECT * FROM override"), audit()
    # Refused: a level that is not the rubric's, no reason, blank reason, an unknown town.
    for level, reason, field, what in (("9", "trop haut", "error-level", "a level the rubric has not"),
                                       ("Platine", "pas un niveau", "error-level", "a level name the rubric has not"),
                                       ("", "sans niveau", "error-level", "no level"),
                                       (str(new), "", "error-reason", "no reason"),
                                       (str(new), "  \r\n ", "error-reason", "a blank reason"),
                                       ("remove", "rien à retirer", "error-level", "removing an override there is not")):
        st, _, page = override(cookie, tid, level, reason)
        check(st == 400 and 'id="%s"' % field in page and 'id="override-refused"' in page,
              "override with %s: 400, the message next to the field (%d)" % (what, st))
        check(html.escape(reason.strip(), quote=False) in page if reason.strip() else True,
              "override with %s: the reason is shown again as typed" % what)
        check(db_all("SELECT * FROM override") == rows and audit() == lines, "override with %s: nothing saved" % what)
    st, _, _ = override(cookie, "00000", str(new), "une commune inconnue")
    check(st == 404 and db_all("SELECT * FROM override") == rows, "override of an unknown town: 404, nothing saved")
    # A forged CSRF token: refused by the server's check, nothing saved.
    st, _, _ = override(cookie, tid, str(new), "jeton falsifié", csrf="A" * 43)
    check(st in (400, 403) and db_all("SELECT * FROM override") == rows and audit() == lines,
          "override with a forged CSRF token: refused (%d), nothing saved" % st)
    # Outside the deliberation and published phases: 404, nothing saved, no form.
    set_phase("marking")
    st, _, _ = override(cookie, tid, str(new), "trop tôt")
    check(st == 404 and db_all("SELECT * FROM override") == rows and audit() == lines,
          "override in the marking phase: 404, nothing saved (%d)" % st)
    st, _, page = req("GET", "/organizer/deliberation/" + tid, cookie=cookie)
    check(st == 200 and 'id="override-form"' not in page and 'id="override-closed"' in page,
          "the dossier's page in the marking phase: no override form, why said")
    set_phase("deliberation")
    # Saved: the row, the audit line (old → new), the live table and results.json.
    reason = "Audition du 18 mars : <b>portail</b> non ouvert & \"promis\""
    st, h, _ = override(cookie, tid, str(new), reason)
    check(st == 303 and h.get("location", "").endswith("/organizer/deliberation/%s?saved=1" % tid),
          "an override with its reason: saved, back to the dossier (%d %s)" % (st, h.get("location")))
    check(db_all("SELECT town_id, level, reason FROM override") == [(tid, str(new), reason)],
          "the override table holds the town, the level's number and the reason")
    check(audit()[len(lines):] == [(tid, None, "%d: %s" % (new, reason))], "one audit line: none → level: reason")
    level, town = live_level(cookie, tid)
    check(level == new, "the live table shows the overridden level (%s, computed %d)" % (level, computed))
    check(town and town["level"] == new and town["computed_level"] == computed and
          town["override"] == {"level": new, "reason": reason}, "results.json has the override: %s" %
          (town and town["override"]))
    st, page = current(cookie, "/organizer/deliberation/%s?saved=1" % tid)
    check('id="override-saved"' in page and 'data-override="1"' in page and html.escape(reason) in page,
          "the dossier's page shows the override in force, escaped")
    check("<b>portail</b>" not in page, "the reason is never markup")
    st, page = current(cookie, "/organizer/deliberation")
    row = next((r for r in rows_of(page) if r["id"] == tid), {})
    check(row.get("level") == new and row.get("computed") == computed and row.get("override") == 1,
          "the deliberation table shows the override and the computed level")
    # By the level's name, then removed: the computed level again.
    name = results["rubric"]["levels"][computed - 1]
    st, _, _ = override(cookie, tid, name, "Le jury revient sur sa décision")
    check(st == 303 and db_all("SELECT level FROM override") == [(str(computed),)],
          "an override by the level's name is stored as its number")
    st, _, _ = override(cookie, tid, "remove", "Retour au niveau calculé")
    check(st == 303 and db_all("SELECT * FROM override") == [], "remove: the override is gone")
    check(audit()[-1] == (tid, "%d: Le jury revient sur sa décision" % computed, "remove: Retour au niveau calculé"),
          "the removal's audit line keeps its reason: %s" % (audit()[-1],))
    level, town = live_level(cookie, tid)
    check(level == computed and town and town["override"] is None, "removed: the computed level in the live table")
    return tid


def run(organizer_link, links, ids, results, sens):
    organizer = login(organizer_link)
    town = login(links["town"])
    juror = login(links["juror"])
    tid = ids[0]
    # The wrong people: 404, as a page that does not exist.
    st, _, tpage = req("GET", "/dossier", cookie=town)
    for who, cookie in (("a town", town), ("a juror", juror), ("a stranger", None)):
        for path in ("/organizer/deliberation", "/organizer/deliberation/" + tid,
                     "/organizer/deliberation?sort=flags"):
            st, _, _ = req("GET", path, cookie=cookie)
            check(st == 404, "GET %s as %s: 404 (%d)" % (path, who, st))
    st, _, jpage = req("GET", "/", cookie=juror)
    for who, cookie, page in (("a town", town, tpage), ("a juror", juror, jpage)):
        body = urllib.parse.urlencode({"csrf": csrf_of(page) or "", "town": tid, "level": "1", "reason": "moi"})
        st, _, _ = req("POST", "/organizer/override", body, cookie=cookie)
        check(st == 404 and db_all("SELECT * FROM override") == [], "POST /organizer/override as %s: 404 (%d)" %
              (who, st))
    st, _, _ = req("GET", "/organizer/deliberation/00000", cookie=organizer)
    check(st == 404, "an unknown town's deliberation page: 404 (%d)" % st)

    st, _, page = req("GET", "/organizer", cookie=organizer)
    check('href="/organizer/deliberation"' in page, "the organizer's menu links to the deliberation")
    st, page = current(organizer, "/organizer/deliberation")
    check(st == 200 and 'id="deliberation"' in page, "GET /organizer/deliberation: 200")
    check_figures(page, results, sens, ids)
    check_sorting(organizer, results, sens)
    flagged = next(t["id"] for t in results["towns"] if any(c.get("disagreement") for c in t["criteria"] or []))
    check_dossier(organizer, results, flagged)
    check_overrides(organizer, results, ids)
    st, _, page = req("GET", "/organizer/deliberation?lang=en", cookie=organizer)
    check(st == 200 and "Krippendorff" in page and "Deliberation" in page, "the page in English")


def main():
    organizer, links, ids = setup()
    results, sens = command_line()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        run(organizer, links, ids, results, sens)
    finally:
        stop_server(server)
    finish()


if __name__ == "__main__":
    main()
