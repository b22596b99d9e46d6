#!/usr/bin/env python3
"""HTTP tests of the juror's pages of `palmares serve` (the jury on the web, marking).

A campaign of the five towns of examples/dossiers-google.csv, their dossiers filled, in
its marking phase, with jurors whose own town and declared conflicts fall on those towns,
and assignments written into the store. Then, from the side of whoever must not pass:
a stranger, a town, the organizer, another juror, a juror on a dossier not assigned, of
their own town, in conflict or recused, a save outside the marking phase, a forged CSRF
token; and for the juror: the queue and its progress, the dossier with its answers,
attributes and evidence, a mark the engine refuses kept as typed with its message, two
tabs, "save and next", the recusal, the other jurors' marks by the campaign's setting (the
organizer's settings page), the offline sheet's round trip, and a sheet with one bad line
that changes nothing and names that line.
Usage: jury_marking_test.py PALMARES SOURCE_ROOT
"""
import csv
import hashlib
import html
import http.client
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, finish, free_port, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-jury-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
GRENOBLE, ISSY, ALBI, LA_ROCHELLE, VILLENEUVE = "38185", "92040", "81004", "17300", "59009"
YEAR = 365 * 86400  # the phases start in 1971, an hour apart (a settings form shows them to the minute)
JURY = ["innovation-democratique", "mediation-qualite", "projet-educatif", "contribution-communs"]


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    if cookie:
        h["Cookie"] = "palmares_session=" + cookie
    if body is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data.decode("utf-8", "replace")


def post(path, fields, cookie):
    return req("POST", path, urllib.parse.urlencode(fields), cookie=cookie)


def multipart(fields, files):
    b = "----palmares-jury-boundary-51c3"
    out = io.BytesIO()
    for n, v in fields:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (b, n)).encode())
        out.write(v.encode("utf-8") + b"\r\n")
    for n, fn, data in files:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: text/csv\r\n\r\n" % (b, n, fn)).encode("utf-8"))
        out.write(data + b"\r\n")
    out.write(("--%s--\r\n" % b).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + b


def upload(cookie, data, csrf):
    body, ctype = multipart([("csrf", csrf)], [("sheet", "sheet.csv", data)])
    return req("POST", "/jury/sheet", body, cookie=cookie, headers={"Content-Type": ctype})


def db_rows(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    rows = db.execute(sql, args).fetchall()
    db.close()
    return rows


def db_exec(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    db.execute(sql, args)
    db.commit()
    db.close()


def marks_of(juror, town=None):
    q = "SELECT town_id, criterion, value, comment FROM mark WHERE juror_id = ?"
    args = [juror]
    if town:
        q += " AND town_id = ?"
        args.append(town)
    return {(t, c): (v, k) for t, c, v, k in db_rows(q + " ORDER BY town_id, criterion", args)}


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def hidden_fields(page):
    """What a browser sends back of the marks form: its revision and what it showed (om.ID, ok.ID)."""
    form = page[page.index('id="marks"'):]
    form = form[:form.index("</form>")]
    return [(n, html.unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="(csrf|revision|om\.[^"]+|ok\.[^"]+)" value="([^"]*)"', form)]


def save(cookie, page, fields, town):
    return post("/jury/dossier/" + town, hidden_fields(page) + fields, cookie)


def block(page, cid):
    m = re.search(r'<div class="mark" id="m\.%s">.*?(?=<div class="mark"|</form>)' % re.escape(cid), page, re.S)
    return m.group(0) if m else ""


def setup():
    towns = os.path.join(tmp, "towns.csv")
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    jurors = os.path.join(tmp, "jurors.csv")
    with open(jurors, "w", encoding="utf-8") as f:
        f.write("juror,name,email,town_id,region,conflicts\n"
                "j-nguyen,Thomas Nguyen,thomas@example.org,,Île-de-France,\n"
                "j-martin,Claire Martin,claire@example.org,%s,Occitanie,\n"
                "j-dubois,Jean-Baptiste Dubois,jb@example.org,,Occitanie,%s\n"
                "j-benali,Yasmina Benali,yasmina@example.org,,,\n" % (ALBI, LA_ROCHELLE))
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors", jurors,
                        "--dossiers", os.path.join(ROOT, "examples", "dossiers-google.csv"), "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', ?), ('marking', ?)", (YEAR, YEAR + 3600))
    pairs = [("j-nguyen", t) for t in (GRENOBLE, ISSY, ALBI, LA_ROCHELLE)] + \
            [("j-martin", GRENOBLE), ("j-martin", ALBI), ("j-dubois", GRENOBLE), ("j-dubois", LA_ROCHELLE)]
    db.executemany("INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 1)", pairs)
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    for town in (GRENOBLE, LA_ROCHELLE):
        db.execute("INSERT INTO evidence (town_id, criterion, sha256, name, type, size, data, uploaded_at)"
                   " VALUES (?, 'site-rgaa', ?, 'audit.pdf', 'application/pdf', ?, ?, 1)",
                   (town, hashlib.sha256(pdf).hexdigest(), len(pdf), pdf))
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {}
    people = dict(db_rows("SELECT p.id, j.juror_id FROM juror j JOIN person p ON p.id = j.person_id"))
    for r in csv.DictReader(p.stdout.splitlines()):
        key = r["id"] if r["role"] == "town" else r["role"]
        if r["role"] == "juror":
            key = people.get(int(r["id"]), r["id"]) if r["id"].isdigit() else r["id"]
        links[key] = r["link"][len(ORIGIN):]
    return organizer, links


def evidence_id(town):
    return db_rows("SELECT id FROM evidence WHERE town_id = ?", (town,))[0][0]


def strangers(c):
    """Every juror route as a stranger, a town and the organizer: 404, as for what does not exist."""
    for path in ["/jury", "/jury/sheet.csv", "/jury/dossier/" + GRENOBLE]:
        for name, cookie in [("a stranger", None), ("a town", c["town"]), ("the organizer", c["org"])]:
            st, _, _ = req("GET", path, cookie=cookie)
            check(st == 404, "GET %s as %s: 404 (%d)" % (path, name, st))
    _, _, page = req("GET", "/", cookie=c["town"])
    tcsrf = csrf_of(page)
    for path, fields in [("/jury/dossier/" + GRENOBLE, [("revision", "0"), ("m.projet-educatif", "3")]),
                         ("/jury/recuse", [("town", GRENOBLE), ("reason", "x")])]:
        st, _, _ = post(path, fields + [("csrf", tcsrf)], c["town"])
        check(st == 404, "POST %s as a town: 404 (%d)" % (path, st))
    check(not marks_of("j-nguyen") and not db_rows("SELECT * FROM recusal"), "a town changed nothing")


def queue(c):
    st, h, page = req("GET", "/jury", cookie=c["j-nguyen"])
    check(st == 200 and h.get("cache-control") == "no-store", "GET /jury as a juror: 200, no-store (%d)" % st)
    listed = re.findall(r'<tr data-town="([^"]+)"', page)
    check(listed == sorted([GRENOBLE, ISSY, ALBI, LA_ROCHELLE]), "the queue lists the 4 assigned dossiers (%s)" % listed)
    check('id="progress">0 / 4 ' in page, "progress 0 / 4 marked")
    row = re.search(r'<tr data-town="%s".*?</tr>' % GRENOBLE, page, re.S).group(0)
    check(all('data-criterion="%s"' % j in row for j in JURY), "what Grenoble lacks: the 4 jury criteria")
    check('href="/jury/dossier/%s"' % GRENOBLE in row, "a link to the dossier")
    _, _, page = req("GET", "/", cookie=c["j-nguyen"])
    check('href="/jury"' in page, "the juror's home links to the queue")
    # Own town, conflicts, not assigned.
    _, _, page = req("GET", "/jury", cookie=c["j-martin"])
    check(re.findall(r'<tr data-town="([^"]+)"', page) == [GRENOBLE], "j-martin's queue leaves out their own town")
    _, _, page = req("GET", "/jury", cookie=c["j-dubois"])
    check(re.findall(r'<tr data-town="([^"]+)"', page) == [GRENOBLE], "j-dubois's queue leaves out their conflict")
    for who, town, why in [("j-martin", ALBI, "their own town"), ("j-martin", ISSY, "not assigned"),
                           ("j-dubois", LA_ROCHELLE, "a declared conflict"), ("j-benali", GRENOBLE, "not assigned")]:
        st, _, _ = req("GET", "/jury/dossier/" + town, cookie=c[who])
        check(st == 404, "GET /jury/dossier/%s as %s (%s): 404 (%d)" % (town, who, why, st))
        st, _, _ = post("/jury/dossier/" + town, [("revision", "0"), ("m.projet-educatif", "3"),
                                                  ("om.projet-educatif", ""), ("csrf", c["csrf"][who])], c[who])
        check(st == 404, "POST /jury/dossier/%s as %s (%s): 404 (%d)" % (town, who, why, st))
    st, _, _ = req("GET", "/jury/dossier/99999", cookie=c["j-nguyen"])
    check(st == 404, "a town that does not exist: 404 (%d)" % st)
    check(not marks_of("j-martin") and not marks_of("j-dubois") and not marks_of("j-benali"),
          "nothing saved on a dossier not theirs")


def dossier_page(c):
    st, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    check(st == 200, "GET the dossier as its juror: 200 (%d)" % st)
    check('id="jury-answers"' in page and 'data-criterion="site-rgaa"' in page
          and "Migration des postes des agents vers des logiciels libres" in page,
          "the town's answers with the criteria titles")
    check('data-attribute="population"' in page and "156389" in page, "the town's attributes")
    eid = evidence_id(GRENOBLE)
    check('href="/dossier/evidence/%d"' % eid in page and "https://grenoble.example.org/accessibilite" in page,
          "its evidence: links and files")
    check(all(block(page, j) for j in JURY), "an input per applicable jury criterion")
    check("entre 0 et 10" in block(page, "mediation-qualite") and "entre 0 et 5" in block(page, "projet-educatif"),
          "each on its scale")
    check('name="k.mediation-qualite"' in page, "a comment box")
    st, h, body = req("GET", "/dossier/evidence/%d" % eid, cookie=c["j-nguyen"])
    check(st == 200 and body.startswith("%PDF") and "attachment" in h.get("content-disposition", ""),
          "the juror downloads the dossier's file (%d)" % st)
    for who in ("j-benali",):
        st, _, _ = req("GET", "/dossier/evidence/%d" % eid, cookie=c[who])
        check(st == 404, "a juror not assigned: the file is 404 (%d)" % st)
    st, _, _ = req("GET", "/dossier/evidence/%d" % evidence_id(LA_ROCHELLE), cookie=c["j-dubois"])
    check(st == 404, "a juror in conflict: the file is 404 (%d)" % st)
    return page


def refused_and_drafts(c, page):
    before = db_rows("SELECT count(*) FROM audit WHERE what LIKE 'mark%'")[0][0]
    st, _, page = save(c["j-nguyen"], page, [("m.mediation-qualite", "douze"), ("m.projet-educatif", "4,5"),
                                             ("m.contribution-communs", "12"),
                                             ("k.innovation-democratique", "Budget participatif <b>remarquable</b>")],
                       GRENOBLE)
    check(st == 200, "a save with refused marks: 200 (%d)" % st)
    b = block(page, "mediation-qualite")
    check('data-code="mark-refused"' in b and 'value="douze"' in b, "a mark the engine refuses: kept as typed, its message")
    check("expected a mark from 0 to 10" in b, "the engine's own words are there: %s" % b[-400:])
    check('data-code="mark-refused"' in block(page, "contribution-communs") and 'value="12"' in block(page, "contribution-communs"),
          "a mark off the scale: refused, kept as typed")
    check('data-code="mark-refused"' not in block(page, "projet-educatif"), "a mark with a decimal comma is accepted")
    check("&lt;b&gt;remarquable" in page, "a comment is shown escaped")
    m = marks_of("j-nguyen", GRENOBLE)
    check(m.get((GRENOBLE, "projet-educatif"), ("",))[0] == "4,5", "the accepted mark is stored as typed")
    check((GRENOBLE, "mediation-qualite") not in m and (GRENOBLE, "contribution-communs") not in m,
          "a refused mark is not stored")
    check(m.get((GRENOBLE, "innovation-democratique")) == ("", "Budget participatif <b>remarquable</b>"),
          "a comment alone is kept as a draft")
    after = db_rows("SELECT count(*) FROM audit WHERE what LIKE 'mark%'")[0][0]
    check(after - before == 2, "an audit line per change (%d)" % (after - before))
    # English.
    st, _, page2 = save(c["j-nguyen"], page, [("m.mediation-qualite", "onze")], GRENOBLE + "?lang=en")
    check("A mark must be a number on the criterion" in page2, "the message in English")
    return page


def two_tabs(c):
    _, _, tab_a = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    _, _, tab_b = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    st, _, _ = save(c["j-nguyen"], tab_b, [("m.projet-educatif", "3")], GRENOBLE)
    check(st == 200 and marks_of("j-nguyen", GRENOBLE)[(GRENOBLE, "projet-educatif")][0] == "3", "tab B saves 3")
    st, _, page = save(c["j-nguyen"], tab_a, [("m.projet-educatif", "2"), ("m.mediation-qualite", "7")], GRENOBLE)
    check(st == 200 and 'id="conflict"' in page, "tab A, from the older revision: told what changed (%d)" % st)
    m = marks_of("j-nguyen", GRENOBLE)
    check(m[(GRENOBLE, "projet-educatif")][0] == "3" and (GRENOBLE, "mediation-qualite") not in m,
          "tab A saved nothing")
    check('value="2"' in block(page, "projet-educatif") and 'value="7"' in block(page, "mediation-qualite"),
          "what tab A typed is kept")
    # An untouched field of an old tab is never a conflict.
    st, _, page = save(c["j-nguyen"], tab_a, [("k.mediation-qualite", "Médiation itinérante")], GRENOBLE)
    check(st == 200 and 'id="conflict"' not in page
          and marks_of("j-nguyen", GRENOBLE)[(GRENOBLE, "mediation-qualite")][1] == "Médiation itinérante",
          "an old tab changing another field saves it")
    # Saving the conflict page again keeps what was typed over the new revision.
    _, _, tab_c = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    return tab_c


def forged_csrf(c):
    _, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    fields = [(n, v) for n, v in hidden_fields(page) if n != "csrf"] + [("m.projet-educatif", "1")]
    st, _, _ = post("/jury/dossier/" + GRENOBLE, fields + [("csrf", "A" * 43)], c["j-nguyen"])
    check(st == 403, "a forged CSRF token: 403 (%d)" % st)
    st, _, _ = post("/jury/dossier/" + GRENOBLE, fields, c["j-nguyen"])
    check(st == 403, "no CSRF token: 403 (%d)" % st)
    st, _, _ = post("/jury/recuse", [("town", ISSY), ("reason", "x"), ("csrf", "A" * 43)], c["j-nguyen"])
    check(st == 403, "a forged CSRF token on the recusal: 403 (%d)" % st)
    check(marks_of("j-nguyen", GRENOBLE)[(GRENOBLE, "projet-educatif")][0] == "3" and not db_rows("SELECT * FROM recusal"),
          "nothing changed")


def save_next(c, page):
    st, h, _ = save(c["j-nguyen"], page, [("m.innovation-democratique", "4"), ("m.mediation-qualite", "8"),
                                          ("m.projet-educatif", "3,5"), ("m.contribution-communs", "2"),
                                          ("next", "1")], GRENOBLE)
    check(st == 303 and h.get("location") == "/jury/dossier/" + ALBI,
          "save and next: to the next unmarked dossier of the queue (%d %s)" % (st, h.get("location")))
    _, _, q = req("GET", "/jury", cookie=c["j-nguyen"])
    check('id="progress">1 / 4 ' in q, "progress 1 / 4 marked")
    _, _, page = req("GET", "/jury/dossier/" + ISSY, cookie=c["j-nguyen"])
    st, h, page = save(c["j-nguyen"], page, [("m.innovation-democratique", "9"), ("next", "1")], ISSY)
    check(st == 200 and 'data-code="mark-refused"' in page, "save and next with a refused mark stays on the page (%d)" % st)


def visibility(c, org):
    _, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-martin"])
    check('id="others-section"' not in page, "others' marks: never, by default")
    _, _, page = req("GET", "/organizer/settings", cookie=org)
    check('name="vis.marking"' in page and 'name="vis.deliberation"' in page and 'value="after_own"' in page,
          "the settings page has the two visibility selects")
    dates = [(n, html.unescape(v)) for n, v in re.findall(r'name="(submission|marking|deliberation|published)" value="([^"]*)"', page)]
    st, _, _ = post("/organizer/settings", dates + [("csrf", csrf_of(page)), ("vis.marking", "sometimes")], org)
    check(st == 400 and not db_rows("SELECT * FROM setting"), "a forged visibility value: 400, nothing saved (%d)" % st)
    st, _, _ = post("/organizer/settings", dates + [("csrf", csrf_of(page)), ("vis.marking", "after_own"),
                                            ("vis.deliberation", "always")], org)
    check(st == 303 and dict(db_rows("SELECT key, value FROM setting")) == {
        "jury.visibility.marking": "after_own", "jury.visibility.deliberation": "always"},
        "the organizer saves the visibility settings (%d)" % st)
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'setting'")[0][0] == 2, "each audited")
    st, _, _ = post("/organizer/settings", [("csrf", c["csrf"]["j-martin"]), ("vis.marking", "always")], c["j-martin"])
    check(st == 404, "a juror cannot change the setting (%d)" % st)
    _, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-martin"])
    check('id="others-section"' not in page, "after giving one's own: hidden before")
    st, _, page = save(c["j-martin"], page, [("m." + j, "3") for j in JURY], GRENOBLE)
    check('id="others-section"' in page and 'data-juror="j-nguyen"' in page and "Médiation itinérante" in page,
          "after giving one's own: the other jurors' marks and comments")
    check('data-juror="j-martin"' not in page, "one's own marks are not listed as others'")
    _, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-dubois"])
    check('id="others-section"' not in page, "j-dubois has given none: hidden")
    db_exec("UPDATE setting SET value = 'always' WHERE key = 'jury.visibility.marking'")
    _, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-dubois"])
    check('data-juror="j-nguyen"' in page and 'data-juror="j-martin"' in page, "always: shown")


def recusal(c):
    _, _, page = req("GET", "/jury/dossier/" + LA_ROCHELLE, cookie=c["j-nguyen"])
    check('action="/jury/recuse"' in page, "the dossier page has the recusal form")
    st, _, _ = post("/jury/recuse", [("town", LA_ROCHELLE), ("reason", "  "), ("csrf", c["csrf"]["j-nguyen"])],
                    c["j-nguyen"])
    check(st == 400 and not db_rows("SELECT * FROM recusal"), "a recusal without a reason: 400, nothing (%d)" % st)
    st, _, _ = post("/jury/recuse", [("town", ISSY), ("reason", "x"), ("csrf", c["csrf"]["j-martin"])], c["j-martin"])
    check(st == 404, "recusing from a dossier not assigned: 404 (%d)" % st)
    st, h, _ = post("/jury/recuse", [("town", LA_ROCHELLE), ("reason", "Ma sœur y est adjointe"),
                                     ("csrf", c["csrf"]["j-nguyen"])], c["j-nguyen"])
    check(st == 303 and h.get("location", "").startswith("/jury"), "recusal with a reason: back to the queue (%d)" % st)
    check(db_rows("SELECT juror_id, town_id, reason FROM recusal") == [("j-nguyen", LA_ROCHELLE, "Ma sœur y est adjointe")],
          "the recusal is stored")
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'recuse' AND subject = ?",
                  ("j-nguyen/" + LA_ROCHELLE,))[0][0] == 1, "an audit line")
    _, _, page = req("GET", "/jury", cookie=c["j-nguyen"])
    check(LA_ROCHELLE not in re.findall(r'<tr data-town="([^"]+)"', page) and 'id="progress">1 / 3 ' in page,
          "the dossier left the queue")
    st, _, _ = req("GET", "/jury/dossier/" + LA_ROCHELLE, cookie=c["j-nguyen"])
    check(st == 404, "the recused dossier is a conflict: 404 (%d)" % st)
    st, _, _ = req("GET", "/dossier/evidence/%d" % evidence_id(LA_ROCHELLE), cookie=c["j-nguyen"])
    check(st == 404, "its files too: 404 (%d)" % st)


def sheet(c):
    st, h, text = req("GET", "/jury/sheet.csv", cookie=c["j-nguyen"])
    check(st == 200 and "text/csv" in h.get("content-type", "") and "attachment" in h.get("content-disposition", ""),
          "the sheet downloads as CSV (%d)" % st)
    rows = list(csv.DictReader(io.StringIO(text)))
    check(rows and list(rows[0].keys()) == ["juror", "town_id", "town_name", "criterion", "title", "scale", "mark",
                                             "comment"], "the columns of `palmares sheets`")
    check(sorted(set(r["town_id"] for r in rows)) == sorted([GRENOBLE, ISSY, ALBI]),
          "the queue's dossiers, without the recused one (%s)" % sorted(set(r["town_id"] for r in rows)))
    # The same as `palmares sheets` on the same dossiers and plan.
    plan = os.path.join(tmp, "plan.csv")
    with open(plan, "w", encoding="utf-8") as f:
        f.write("juror,town_id\n" + "".join("j-nguyen,%s\n" % t for t in (GRENOBLE, ISSY, ALBI)))
    out = os.path.join(tmp, "sheets")
    p = subprocess.run([PALMARES, "sheets", RUBRIC, os.path.join(ROOT, "examples", "dossiers-google.csv"),
                        "--assignments", plan, "-o", out], capture_output=True, text=True, timeout=60)
    if p.returncode == 0 and os.path.exists(os.path.join(out, "j-nguyen.csv")):
        cli = list(csv.DictReader(open(os.path.join(out, "j-nguyen.csv"), encoding="utf-8")))
        key = lambda r: (r["town_id"], r["criterion"])  # noqa: E731
        check(sorted(map(key, cli)) == sorted(map(key, rows)), "the rows of `palmares sheets` for the same plan")
    # Fill and upload: the marks stored equal the file.
    _, _, page = req("GET", "/jury", cookie=c["j-nguyen"])
    csrf = csrf_of(page)
    filled = []
    for i, r in enumerate(rows):
        r = dict(r)
        if r["town_id"] in (ISSY, ALBI):
            r["mark"] = "%d,5" % (i % 4) if i % 2 else str(i % 5)
            r["comment"] = "ligne %d, « sérieuse »" % (i + 2)
        filled.append(r)
    def as_csv(rs):
        f = io.StringIO()
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rs)
        return f.getvalue().encode("utf-8")
    before = marks_of("j-nguyen")
    # One bad line changes nothing and names that line.
    bad = [dict(r) for r in filled]
    target = next(i for i, r in enumerate(bad) if r["town_id"] == ALBI and r["criterion"] == "mediation-qualite")
    bad[target]["mark"] = "11"
    st, _, page = upload(c["j-nguyen"], as_csv(bad), csrf)
    lines = re.findall(r'<li data-line="(\d+)"', page)
    check(st == 422 and lines == [str(target + 2)], "a sheet with one bad line: 422, that line named (%d %s)" % (st, lines))
    check(marks_of("j-nguyen") == before, "... and nothing saved")
    # Another juror's id, a recused dossier, a dossier not assigned: each named, nothing saved.
    extra = [dict(filled[0], juror="j-martin", mark="2"), dict(filled[0], town_id=LA_ROCHELLE, mark="2"),
             dict(filled[0], town_id=VILLENEUVE, mark="2"), dict(filled[0], mark="", comment="à voir", juror="j-dubois")]
    st, _, page = upload(c["j-nguyen"], as_csv(filled + extra), csrf)
    lines = re.findall(r'<li data-line="(\d+)"', page)
    n = len(filled) + 2
    check(st == 422 and lines == [str(n), str(n + 1), str(n + 2), str(n + 3)],
          "another juror's line, a recused dossier, one not assigned, a comment for another juror: named (%s)" % lines)
    check(marks_of("j-nguyen") == before and not marks_of("j-martin", ISSY), "... and nothing saved")
    st, _, page = upload(c["j-nguyen"], b"", csrf)
    check(st == 400, "no file: 400 (%d)" % st)
    st, _, page = upload(c["j-martin"], as_csv(filled), c["csrf"]["j-martin"])
    check(st == 422 and not marks_of("j-martin", ISSY), "another juror uploading this sheet: refused (%d)" % st)
    st, _, page = upload(c["j-nguyen"], as_csv(filled), csrf)
    check(st == 200 and 'id="sheet-saved"' in page, "the filled sheet is saved (%d)" % st)
    now = marks_of("j-nguyen")
    want = {(r["town_id"], r["criterion"]): (r["mark"], r["comment"]) for r in filled if r["mark"] or r["comment"]}
    check(all(now.get(k) == v for k, v in want.items()), "the marks stored equal the file")
    check(all(now.get(k) == v for k, v in before.items() if k[0] == GRENOBLE), "blank rows erase nothing")
    _, _, page = req("GET", "/jury", cookie=c["j-nguyen"])
    check('id="progress">3 / 3 ' in page, "progress 3 / 3 marked")
    _, _, page = req("GET", "/jury/dossier/" + ALBI, cookie=c["j-nguyen"])
    r0 = next(r for r in filled if r["town_id"] == ALBI and r["criterion"] == "projet-educatif")
    check('value="%s"' % r0["mark"] in block(page, "projet-educatif"), "the uploaded mark is on the dossier page")
    return as_csv(filled)


def after_marking(c, data):
    db_exec("INSERT INTO phase (phase, starts_at) VALUES ('deliberation', ?)", (YEAR + 7200,))
    before = marks_of("j-nguyen")
    st, _, page = req("GET", "/jury/dossier/" + GRENOBLE, cookie=c["j-nguyen"])
    check(st == 200 and 'id="read-only"' in page and 'id="save-next"' not in page and 'action="/jury/recuse"' not in page,
          "in deliberation: the dossier read-only, no recusal (%d)" % st)
    fields = hidden_fields(page) + [("m.projet-educatif", "1")]
    st, _, _ = post("/jury/dossier/" + GRENOBLE, fields, c["j-nguyen"])
    check(st == 404, "a mark outside the marking phase: 404 (%d)" % st)
    st, _, _ = post("/jury/recuse", [("town", ISSY), ("reason", "x"), ("csrf", c["csrf"]["j-nguyen"])], c["j-nguyen"])
    check(st == 404, "a recusal outside the marking phase: 404 (%d)" % st)
    st, _, _ = upload(c["j-nguyen"], data.replace(b",4,", b",3,"), csrf_of(page))
    check(st == 422, "a sheet outside the marking phase: refused (%d)" % st)
    check(marks_of("j-nguyen") == before, "nothing saved after marking")


def main():
    organizer, links = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        c = {"org": login(organizer), "town": login(links[GRENOBLE]), "csrf": {}}
        for j in ("j-nguyen", "j-martin", "j-dubois", "j-benali"):
            c[j] = login(links[j])
            _, _, page = req("GET", "/", cookie=c[j])
            c["csrf"][j] = csrf_of(page)
        strangers(c)
        queue(c)
        page = dossier_page(c)
        refused_and_drafts(c, page)
        page = two_tabs(c)
        forged_csrf(c)
        save_next(c, page)
        visibility(c, c["org"])
        recusal(c)
        data = sheet(c)
        after_marking(c, data)
    finally:
        stop_server(server, timeout=20)


if __name__ == "__main__":
    main()
    finish()
