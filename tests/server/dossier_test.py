#!/usr/bin/env python3
"""HTTP tests of the town's dossier form of `palmares serve` (issue 11, Towns).

Creates a campaign from the bundled rubric (a few sample towns and a small one
to which the population rules do not apply) in its submission phase, starts
the server on a free loopback port and, as a town: GETs the form (every
criterion of the rubric there, inputs by kind, n/a where allowed, criteria
that do not apply shown so), saves valid answers (revision + 1, shown back),
saves invalid ones (the engine's message next to the field, the typed value
shown again), saves from a stale tab (a conflict: nothing saved, what changed
listed, what was typed kept); then checks that another town, the organizer
(read-only) and a stranger get what they may, and that a POST without CSRF
is 403. Usage: dossier_test.py PALMARES SOURCE_ROOT
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
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
SMALL = "99001"  # population 800: the criteria for 3,500 inhabitants and more do not apply
tmp = tempfile.mkdtemp(prefix="palmares-dossier-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=30)


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def revision_of(page):
    m = re.search(r'name="revision" value="(\d+)"', page)
    return int(m.group(1)) if m else -1


def shown_fields(page):
    """The hidden fields a browser sends back: the revision and what the page showed (o.ID, oe.ID)."""
    return [(n, html.unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="(revision|o\.[^"]+|oe\.[^"]+)" value="([^"]*)"', page)]


def block(page, cid):
    """The HTML of criterion cid's block (up to the next criterion or section)."""
    m = re.search(r'<div class="criterion[^"]*" id="c\.%s".*?(?=<div class="criterion|</section>)' % re.escape(cid),
                  page, re.S)
    return m.group(0) if m else ""


def save(cookie, page, answers, path="/dossier"):
    body = shown_fields(page) + [("csrf", csrf_of(page) or "")] + answers
    return req("POST", path, urllib.parse.urlencode(body), cookie=cookie)


def setup():
    towns = os.path.join(tmp, "towns.csv")
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:3]
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
        w.writerow([SMALL, "Petiteville", "800", "Bretagne", "29", "commune", "mairie@petiteville.example.org"])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    # The submission phase has started (no page sets phases yet).
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {r["id"]: r["link"][len(ORIGIN):] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town"}
    # A third town whose population the organizer's file gave as a word.
    db = sqlite3.connect(DB, timeout=10)
    db.execute("UPDATE town SET attributes_json = json_set(attributes_json, '$.population', 'beaucoup') WHERE id = ?",
               (rows[2]["town_id"],))
    db.commit()
    db.close()
    links["bad-population"] = links[rows[2]["town_id"]]
    return organizer, rows[0]["town_id"], rows[1]["town_id"], links


def criteria():
    with open(RUBRIC, encoding="utf-8") as f:
        rubric = json.load(f)
    return rubric, [c for cat in rubric["categories"] for c in cat["criteria"]]


def run(organizer_link, first, second, links):
    rubric, crits = criteria()
    kinds = {c["id"]: c["kind"] for c in crits}
    st, _, _ = req("GET", "/dossier")
    check(st == 404, "GET /dossier as a stranger: 404 (%d)" % st)
    st, _, _ = req("GET", "/dossier/" + first)
    check(st == 404, "GET /dossier/TOWN as a stranger: 404 (%d)" % st)

    town = login(links[first])
    st, _, home = req("GET", "/", cookie=town)
    check('href="/dossier"' in home, "the town's home page links to its dossier")
    st, h, page = req("GET", "/dossier", cookie=town)
    check(st == 200 and "no-store" in h.get("cache-control", ""), "GET /dossier as the town: 200, no-store (%d)" % st)
    check(page.count("<section") == len(rubric["categories"]), "one <section> per category")
    missing = [c["id"] for c in crits if 'id="c.%s"' % c["id"] not in page]
    check(not missing, "every criterion of the rubric is on the form (missing: %s)" % missing)
    def fr(t):
        return t.get("fr") if isinstance(t, dict) else t
    untitled = [c["id"] for c in crits if html.escape(fr(c.get("title", c["id"]))).replace("&#x27;", "&#39;")
                not in block(page, c["id"])]
    check(not untitled, "each criterion with its French title (not: %s)" % untitled)
    check(revision_of(page) == 0 and csrf_of(page), "the revision (0) and the CSRF token in the form")
    check("<script" not in page and " style=" not in page, "no inline script or style")
    for c in crits:
        b, cid = block(page, c["id"]), c["id"]
        if c["kind"] == "yes-no":
            ok = 'type="radio" name="a.%s" value="true"' % cid in b and 'value="false"' in b
        elif c["kind"] == "choice":
            ok = all('type="radio" name="a.%s" value="%s"' % (cid, o["id"] if isinstance(o, dict) else o) in b
                     for o in c["options"])
        elif c["kind"] == "multi":
            ok = all('type="checkbox" name="a.%s" value="%s"' % (cid, o["id"] if isinstance(o, dict) else o) in b
                     for o in c["options"])
        elif c["kind"] == "percent":
            ok = 'inputmode="decimal" name="a.%s"' % cid in b and "(entre 0 et 100)" in b
        elif c["kind"] == "number":
            ok = 'inputmode="decimal" name="a.%s"' % cid in b and "(au moins 0)" in b
        elif c["kind"] == "info":
            ok = '<textarea name="a.%s"' % cid in b
        else:
            ok = "jury" in b
        check(ok, "criterion %s (%s): its input" % (cid, c["kind"]))
        if c.get("allow_na") and c["kind"] != "jury":
            check("non concerné" in b, "criterion %s: a \"non concerné\" choice" % cid)
        if c.get("evidence") in ("optional", "required"):
            check('name="e.%s"' % cid in b, "criterion %s: its evidence link" % cid)
    st, _, page_en = req("GET", "/dossier?lang=en", cookie=town)
    check(st == 200 and "Save the draft" in page_en, "the form in English")

    # Valid answers: saved, revision + 1, shown back.
    valid = [("a.site-rgaa", "true"), ("a.consultations-en-ligne", "12"), ("a.taux-conformite-rgaa", "75"),
             ("e.taux-conformite-rgaa", "https://mairie.example.org/audit.pdf"), ("a.conseil-filme", "direct"),
             ("a.demarches-en-ligne", "etat-civil"), ("a.demarches-en-ligne", "urbanisme"),
             ("a.referent-numerique", "Mme <b>Dupont</b>\nadjointe")]
    check(all(n[2:] in kinds for n, _ in valid), "the test's criteria are the rubric's")
    st, _, saved = save(town, page, valid)
    check(st == 200 and 'id="saved"' in saved, "POST valid answers: 200, saved (%d)" % st)
    check(revision_of(saved) == 1, "the revision went 0 → 1 (%d)" % revision_of(saved))
    st, _, page = req("GET", "/dossier", cookie=town)
    check(revision_of(page) == 1, "GET shows revision 1")
    check('name="a.site-rgaa" value="true" id="in-yes.site-rgaa" checked' in page, "yes-no answer filled in")
    check('name="a.consultations-en-ligne" id="in.consultations-en-ligne" value="12"' in page, "number filled in")
    check('value="etat-civil" id="in-demarches-en-ligne-0" checked' in page and
          re.search(r'value="urbanisme" id="in-demarches-en-ligne-\d+" checked', page), "multi boxes ticked")
    check('value="https://mairie.example.org/audit.pdf"' in page, "evidence link filled in")
    check("Mme &lt;b&gt;Dupont&lt;/b&gt;\nadjointe</textarea>" in page, "info text as typed, escaped, lines kept")
    check(not re.search(r'class="error" data-code', block(page, "consultations-en-ligne")),
          "no message next to a valid answer")
    db = sqlite3.connect(DB, timeout=10)
    stored = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (first,)).fetchall())
    db.close()
    check(stored.get("demarches-en-ligne") == "etat-civil|urbanisme" and stored.get("consultations-en-ligne") == "12"
          and stored.get("taux-conformite-rgaa.evidence") == "https://mairie.example.org/audit.pdf",
          "answers stored as typed (a multi as a|b, evidence as ID.evidence): %s" % stored)

    # Invalid answers: saved as typed, the engine's message next to the field, the value shown again.
    st, _, bad = save(town, page, [("a.consultations-en-ligne", "douze"), ("a.taux-conformite-rgaa", "150")])
    check(st == 200 and revision_of(bad) == 2, "POST invalid answers: 200, saved as typed, revision 2")
    b = block(bad, "consultations-en-ligne")
    check('name="a.consultations-en-ligne" id="in.consultations-en-ligne" value="douze"' in b,
          "the invalid number is shown again as typed")
    check('data-code="invalid-answer"' in b and "n&#39;est pas acceptée" in b,
          "the engine's message next to the number, in French")
    b = block(bad, "taux-conformite-rgaa")
    check('value="150"' in b and 'data-code="invalid-answer"' in b, "the percent over 100: shown, with its message")
    check('data-code="invalid-answer"' not in block(bad, "site-rgaa"), "no message next to other fields")
    m = re.search(r'<p class="error" id="to-correct">(.*?)</p>', bad, re.S)
    check(m and 'href="#c.consultations-en-ligne"' in m.group(1) and 'href="#c.taux-conformite-rgaa"' in m.group(1)
          and "href=\"#c.site-rgaa\"" not in m.group(1) and "à corriger" in m.group(1),
          "after the save, the answers to correct linked at the top: %s" % (m.group(1)[:200] if m else None))
    check('id="to-correct"' not in saved, "no such list after a save the engine accepts whole")
    st, _, bad_en = req("GET", "/dossier?lang=en", cookie=town)
    check("This answer is not accepted" in block(bad_en, "consultations-en-ligne"), "the message in English")

    # Two tabs: both read revision 2; the first saves, the second's save is a conflict.
    st, _, tab1 = req("GET", "/dossier", cookie=town)
    st, _, tab2 = req("GET", "/dossier", cookie=town)
    st, _, p1 = save(town, tab1, [("a.consultations-en-ligne", "20"), ("a.site-rgaa", "true")])
    check(st == 200 and revision_of(p1) == 3, "the first tab saves: revision 3")
    st, _, p2 = save(town, tab2, [("a.consultations-en-ligne", "30"), ("a.site-rgaa", "false"),
                                  ("a.projet-phare", "Un projet tapé dans le second onglet")])
    check(st == 200 and 'id="conflict"' in p2, "the stale tab's save is a conflict (%d)" % st)
    m = re.search(r'<div class="error" id="conflict">.*?</div>', p2, re.S)
    check(m and "« 20 »" in m.group(0) and "« non »" not in m.group(0), "the conflict says what was saved meanwhile")
    check('id="saved"' not in p2, "nothing said saved")
    check('value="30"' in block(p2, "consultations-en-ligne"), "the stale tab's typed number is kept")
    check('value="false" id="in-no.site-rgaa" checked' in block(p2, "site-rgaa"), "its typed yes-no is kept")
    check("Un projet tapé dans le second onglet</textarea>" in block(p2, "projet-phare"), "its typed text is kept")
    check(revision_of(p2) == 3, "the conflict page is based on revision 3")
    db = sqlite3.connect(DB, timeout=10)
    stored = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (first,)).fetchall())
    db.close()
    check(stored.get("consultations-en-ligne") == "20" and "projet-phare" not in stored,
          "nothing of the stale tab was saved")
    st, _, p3 = save(town, p2, [("a.consultations-en-ligne", "30"), ("a.site-rgaa", "false"),
                                ("a.projet-phare", "Un projet tapé dans le second onglet")])
    check(st == 200 and 'id="saved"' in p3 and revision_of(p3) == 4, "saving the conflict page again keeps it")

    # Without CSRF, with a wrong one: 403, nothing saved.
    body = urllib.parse.urlencode(shown_fields(p3) + [("a.consultations-en-ligne", "1")])
    st, _, _ = req("POST", "/dossier", body, cookie=town)
    check(st == 403, "POST /dossier without CSRF: 403 (%d)" % st)
    st, _, _ = req("POST", "/dossier", body + "&csrf=" + "A" * 43, cookie=town)
    check(st == 403, "POST /dossier with a wrong CSRF: 403 (%d)" % st)
    st, _, _ = save(town, p3, [("a.consultations-en-ligne", "1")], path="/dossier/" + second)
    check(st == 404, "POST another town's dossier: 404 (%d)" % st)
    st, _, page = req("GET", "/dossier", cookie=town)
    check(revision_of(page) == 4, "nothing saved by the refused POSTs")
    st, _, _ = req("POST", "/dossier", urllib.parse.urlencode([("csrf", csrf_of(page)), ("revision", "x")]),
                   cookie=town)
    check(st == 400, "a malformed revision: 400 (%d)" % st)
    st, _, own = req("GET", "/dossier/" + first, cookie=town)
    check(st == 200 and revision_of(own) == 4, "the town's own /dossier/ID: 200")

    # Another town: its own dossier, never the first one's.
    other = login(links[second])
    st, _, _ = req("GET", "/dossier/" + first, cookie=other)
    check(st == 404, "another town GETs the first's /dossier/ID: 404 (%d)" % st)
    st, _, _ = req("GET", "/dossier/00000", cookie=other)
    check(st == 404, "an unknown town's dossier: 404 (%d)" % st)
    st, _, page = req("GET", "/dossier", cookie=other)
    check(st == 200 and revision_of(page) == 0 and "douze" not in page and 'value="20"' not in page,
          "another town's /dossier is its own, empty")

    # A small town: the criteria for 3,500 inhabitants and more do not apply.
    small = login(links[SMALL])
    st, _, page = req("GET", "/dossier", cookie=small)
    for cid in ["budget-participatif", "tiers-lieu", "jeux-donnees-ouverts"]:
        b = block(page, cid)
        check("not-applying" in b and "ne s&#39;applique pas" in b and 'name="a.%s"' % cid not in b,
              "criterion %s shown as not applying to a town of 800" % cid)
    check('name="a.epn"' in block(page, "epn"), "a criterion without applies keeps its input")
    st, _, page = save(small, page, [("a.heures-mediation", "-3")])
    check(st == 200 and 'data-code="invalid-answer"' in block(page, "heures-mediation"),
          "the small town's refused answer has its message")
    check("not-applying" in block(page, "tiers-lieu") and 'name="a.tiers-lieu"' not in block(page, "tiers-lieu"),
          "a refused answer elsewhere: what does not apply is still shown so")

    # An error about the town itself (its attributes) is shown above the form.
    bad = login(links["bad-population"])
    st, _, page = req("GET", "/dossier", cookie=bad)
    head = page.split("<form method=\"post\" action=\"/dossier\"")[0]
    check(st == 200 and 'data-code="population-invalid"' in head, "a town-level error above the form (%d)" % st)

    # Pages made on the pool's threads at once (each loads the rubric and scores): the same page each time.
    got = []

    def fetch():
        for _ in range(8):
            s, _, pg = req("GET", "/dossier", cookie=town)
            # the same but for the CSRF token and the server's time (its minute may turn meanwhile)
            pg = re.sub(r'<span id="server-time">[^<]*</span>', "", pg)
            got.append((s, re.sub(r'name="csrf" value="[^"]*"', "", pg)))
    threads = [threading.Thread(target=fetch) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(len(got) == 48 and all(s == 200 for s, _ in got) and len({pg for _, pg in got}) == 1,
          "48 dossier pages on 6 threads at once: 200, all the same")

    # The organizer reads a dossier, without inputs to save.
    organizer = login(organizer_link)
    st, _, page = req("GET", "/dossier/" + first, cookie=organizer)
    check(st == 200 and 'value="30"' in page and "disabled" in page and "Enregistrer le brouillon" not in page,
          "the organizer sees the dossier read-only (%d)" % st)
    st, _, _ = save(organizer, page, [("a.consultations-en-ligne", "1")], path="/dossier/" + first)
    check(st == 404, "the organizer cannot save a town's dossier: 404 (%d)" % st)
    st, _, _ = req("GET", "/dossier", cookie=organizer)
    check(st == 404, "the organizer has no /dossier of its own: 404 (%d)" % st)

    # Numbers as a spreadsheet's cells hold them: a decimal comma, thousands spaces, "40 %" for a percent.
    st, _, page = req("GET", "/dossier", cookie=town)
    st, _, page = save(town, page, [("a.heures-mediation", "1 234,5"), ("a.taux-conformite-rgaa", "40 %"),
                                    ("a.consultations-en-ligne", "12 %")])
    check(st == 200 and 'data-code="invalid-answer"' not in block(page, "heures-mediation")
          and 'value="1 234,5"' in block(page, "heures-mediation"),
          "a number typed 1 234,5: accepted, shown as typed")
    check('data-code="invalid-answer"' not in block(page, "taux-conformite-rgaa"), "a percent typed 40 %: accepted")
    check('data-code="invalid-answer"' in block(page, "consultations-en-ligne"),
          "a number (not a percent) typed 12 %: the engine's message")
    check("(au moins 0)" in block(page, "heures-mediation") and "entre 0 et 100" in block(page, "taux-conformite-rgaa"),
          "the bounds said in the label, in French")


def main():
    organizer, first, second, links = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        run(organizer, first, second, links)
    finally:
        stop_server(server, timeout=20)


if __name__ == "__main__":
    main()
    finish()
