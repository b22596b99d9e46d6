#!/usr/bin/env python3
"""HTTP tests of the publication of `palmares serve` (docs/web.md, "Publishing the results").

A campaign of five sample towns with their dossiers imported and the jury
filled by SQL (the bundled rubric, the sample's jurors, an assignment for
each of the sample's marks on these towns, those marks). Before
deliberation nobody may publish;
in deliberation the town, a juror, a stranger, a forged CSRF token and an
unticked confirmation publish nothing. The organizer publishes: version 1 is
the results JSON exactly as /organizer/results.json serves it and as
`palmares score` writes it on `palmares campaign export` of the same
database (parity), stored with its SHA-256, the published phase started.
The town downloads its own report and certificate, never another's;
anonymous reads the palmarès only once published. An override filled by
SQL (the town not labelled), the organizer publishes again: version 1 stays
as it was (its SHA-256 still its JSON's), version 2 differs and is again
`palmares score` on the export (overrides included); the town's v1 code shows as
superseded on /verify, with the version, its date and the town's current
level; a v2 code shows as found. Usage: publish_test.py PALMARES SOURCE_ROOT
"""
import csv
import hashlib
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
tmp = tempfile.mkdtemp(prefix="palmares-publish-")
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=120)


def raw(path, cookie=None):
    """GET path; (status, headers, body bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.request("GET", path, headers={"Cookie": "palmares_session=" + cookie} if cookie else {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link %s (%d)" % (link_path[:12], st))
    return m.group(1) if m else None


def sql(*statements):
    db = sqlite3.connect(DB, timeout=10)
    try:
        for s in statements:
            db.execute(*s) if isinstance(s, tuple) else db.execute(s)
        db.commit()
    finally:
        db.close()  # a refused statement must not leave the file locked for the server


def rows(query, *args):
    db = sqlite3.connect(DB, timeout=10)
    out = db.execute(query, args).fetchall()
    db.close()
    return out


def code_of(sha, town, level, mentions):
    """docs/verification-code.md, written independently of the C code."""
    parts = [b"palmares-certificate/1", sha.encode(), town.encode(), str(level).encode()]
    parts += sorted(m.encode() for m in mentions)
    v = int.from_bytes(hashlib.sha256(b"\0".join(parts)).digest()[:8], "big") >> 4
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    s = "".join(alphabet[(v >> (5 * (11 - i))) & 31] for i in range(12))
    return "%s-%s-%s" % (s[:4], s[4:8], s[8:])


def setup():
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        sample = list(csv.DictReader(f))
    with open(RUBRIC, encoding="utf-8") as f:
        rubric = json.load(f)
    ids = {c["id"] for cat in rubric["categories"] for c in cat["criteria"]}
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in sample:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    keep = [k for k in sample[0] if k in cols or k in ids or (k.endswith(".evidence") and k[:-9] in ids)]
    dossiers = os.path.join(tmp, "dossiers.csv")
    with open(dossiers, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keep, extrasaction="ignore")
        w.writeheader()
        for r in sample:
            w.writerow(r)
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors",
                        os.path.join(ROOT, "examples", "jurors.csv"), "--dossiers", dossiers, "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    sql("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
    fill_jury([r["town_id"] for r in sample])
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {}
    for r in csv.DictReader(p.stdout.splitlines()):
        key = r["id"] if r["role"] == "town" else r["role"]
        links.setdefault(key, r["link"][len(ORIGIN):])
    return organizer, [r["town_id"] for r in sample], links


def fill_jury(towns):
    """The jury straight into the campaign file (its pages are others'): the jurors came with
    `campaign init --jurors`; an assignment for each of the sample's marks on these towns, and those marks."""
    with open(os.path.join(ROOT, "examples", "marks.csv"), encoding="utf-8", newline="") as f:
        marks = [r for r in csv.DictReader(f) if r["town_id"] in towns]
    check(len({m["town_id"] for m in marks}) == len(towns), "the sample has marks for every town (%d marks)" % len(marks))
    db = sqlite3.connect(DB, timeout=10)
    pairs = sorted({(m["juror"], m["town_id"]) for m in marks})
    db.executemany("INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 0)", pairs)
    db.executemany("INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, 1, 0)",
                   [(m["juror"], m["town_id"], m["criterion"], m["mark"], m["comment"]) for m in marks])
    db.execute("INSERT INTO audit (at, what, subject) VALUES (0, 'test-jury', '')")
    db.commit()
    db.close()


def cli_score(name):
    """palmares score on `campaign export` of the campaign file now: the results' text."""
    out = os.path.join(tmp, "export")
    p = subprocess.run([PALMARES, "campaign", "export", DB, "-o", out], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "campaign export: %s" % p.stderr)
    p = subprocess.run([PALMARES, "score", "rubric.json", "dossiers.jsonl", "--assignments", "assignments.csv",
                        "--marks", "marks.csv", "--overrides", "overrides.csv", "-o", os.path.join(tmp, name)],
                       cwd=out, capture_output=True, timeout=120)
    check(p.returncode in (0, 1), "palmares score on the export (%d) %s" % (p.returncode, p.stderr[-300:]))
    with open(os.path.join(tmp, name), encoding="utf-8") as f:
        return f.read()


def publish(cookie, confirm=True, csrf=None):
    st, _, page = req("GET", "/organizer/publish", cookie=cookie)
    token = csrf if csrf is not None else (csrf_of(page) or "")
    body = "csrf=" + token + ("&confirm=yes" if confirm else "")
    return req("POST", "/organizer/publish", body, cookie=cookie)


def versions():
    return rows("SELECT version, published_at, results_json, sha256 FROM publication ORDER BY version")


def wrong_people(organizer, town, juror):
    """Nobody but the organizer publishes, and the organizer only in deliberation, confirmed, with its token."""
    for who, cookie in (("the organizer before deliberation", organizer), ("a town", town), ("a juror", juror),
                        ("a stranger", None)):
        st, _, _ = req("GET", "/organizer/publish", cookie=cookie)
        check(st == 404, "GET /organizer/publish as %s: 404 (%d)" % (who, st))
        # a real token of the person's own session (a stranger: the path's)
        _, _, home = req("GET", "/", cookie=cookie)
        st, _, _ = req("POST", "/organizer/publish", "csrf=%s&confirm=yes" % (csrf_of(home) or ""), cookie=cookie)
        check(st in (403, 404), "POST /organizer/publish as %s: refused (%d)" % (who, st))
    check(not versions(), "nothing published by them")
    sql("INSERT INTO phase (phase, starts_at) VALUES ('marking', 1)",
        "INSERT INTO phase (phase, starts_at) VALUES ('deliberation', 2)")
    for who, cookie in (("a town", town), ("a juror", juror), ("a stranger", None)):
        st, _, _ = req("GET", "/organizer/publish", cookie=cookie)
        check(st == 404, "GET /organizer/publish in deliberation as %s: 404 (%d)" % (who, st))
        _, _, home = req("GET", "/", cookie=cookie)
        st, _, _ = req("POST", "/organizer/publish", "csrf=%s&confirm=yes" % (csrf_of(home) or ""), cookie=cookie)
        check(st in (403, 404), "POST /organizer/publish in deliberation as %s: refused (%d)" % (who, st))
    st, _, _ = publish(organizer, csrf="A" * 43)
    check(st == 403, "a forged CSRF token: 403 (%d)" % st)
    st, _, page = publish(organizer, confirm=False)
    check(st == 400 and 'id="publish-error"' in page, "without the confirmation box: 400, said (%d)" % st)
    check(not versions(), "nothing published by refused requests")
    for path in ("/dossier/report.pdf", "/dossier/certificate.pdf", "/palmares"):
        st, _, _ = raw(path, town)
        check(st == 404, "before publication, %s as the town: 404 (%d)" % (path, st))
    st, _, _ = raw("/palmares")
    check(st == 404, "before publication, the palmarès for a stranger: 404 (%d)" % st)


def first_publication(organizer):
    st, _, served = req("GET", "/organizer/results.json", cookie=organizer)
    before = time.time()
    st, h, _ = publish(organizer)
    check(st == 303 and h.get("location", "").endswith("/organizer/publish?published=1"),
          "the organizer publishes: 303 to the versions (%d %s)" % (st, h.get("location")))
    v = versions()
    check(len(v) == 1 and v[0][0] == 1, "version 1 is stored")
    if not v:
        return None
    _, at, text, sha = v[0]
    check(text == served, "version 1 is the results JSON exactly as /organizer/results.json serves it")
    check(hashlib.sha256(text.encode("utf-8")).hexdigest() == sha, "its SHA-256 is its JSON's")
    check(abs(at - before) < 120, "published now (%d)" % at)
    phase = rows("SELECT starts_at FROM phase WHERE phase = 'published'")
    check(phase and phase[0][0] == at, "the published phase starts at the publication (%s)" % phase)
    audit = rows("SELECT subject, new FROM audit WHERE what = 'publish'")
    check(audit == [("v1", sha)], "the audit log says who published which version (%s)" % audit)
    res = json.loads(text)
    labelled = [t for t in res["towns"] if t["level"] >= 1 and not t["errors"]]
    st, _, page = req("GET", "/organizer/publish", cookie=organizer)
    row = re.search(r'<tr data-version="1">(.*?)</tr>', page, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S) if row else []
    check(st == 200 and len(cells) == 5 and sha in cells[3] and cells[4] == str(len(labelled)),
          "the versions' page: version 1, its SHA-256 and %d labelled towns (%s)" % (len(labelled), cells))
    check('href="/organizer/publish"' in page, "Publish is in the organizer's menu")
    # parity: palmares score on the export of the same database, the jury included
    mine = cli_score("cli-v1.json")
    check(mine == text, "parity: palmares score on the export writes version 1 byte for byte (%d and %d bytes)"
          % (len(mine), len(text)))
    nmarks = sum(c["marks"] for c in (res.get("jury") or {}).get("criteria", []))
    check(nmarks > 0 and all(t["status"] == "scored" for t in res["towns"]),
          "version 1 holds the jury's marks (%d) and every town is scored" % nmarks)
    return res


def town_documents(res, towns, links):
    certified = [t for t in res["towns"] if t["level"] >= 1 and not t["errors"]]
    me = certified[0]["id"]
    other = [t for t in towns if t != me][0]
    cookie = login(links[me])
    _, _, home = req("GET", "/", cookie=cookie)
    check('href="/dossier/report.pdf"' in home and 'href="/dossier/certificate.pdf"' in home
          and 'href="/palmares"' in home, "the town's home links its report, its certificate and the palmarès")
    for path in ("/dossier/report.pdf", "/dossier/certificate.pdf"):
        st, h, body = raw(path, cookie)
        check(st == 200 and body[:5] == b"%PDF-" and h.get("content-type") == "application/pdf"
              and "attachment" in h.get("content-disposition", ""), "the town downloads %s (%d)" % (path, st))
        st2, _, again = raw(path, cookie)
        check(st2 == 200 and again == body, "%s again: the same file, rendered once" % path)
    files = os.listdir(DB + ".published/v1")
    check(any(f.startswith("report-") for f in files) and any(f.startswith("certificate-") for f in files),
          "the documents are kept beside the database (%s)" % sorted(files))
    for path in ("/organizer/report/%s" % other, "/organizer/certificates.pdf", "/organizer/publish/certificates.pdf",
                 "/organizer/publish/booklet.pdf", "/dossier/%s/report.pdf" % other, "/organizer/publish"):
        st, _, _ = raw(path, cookie)
        check(st == 404, "another town's documents, the organizer's: 404 for the town (%s: %d)" % (path, st))
    return cookie, me


def palmares(res, organizer):
    st, _, page = req("GET", "/palmares")
    check(st == 200, "the palmarès for anyone once published (%d)" % st)
    labelled = sorted((t for t in res["towns"] if t["level"] >= 1 and not t["errors"]), key=lambda t: -t["level"])
    levels = [int(x) for x in re.findall(r'<section data-level="(\d+)">', page)]
    check(levels == sorted(set(levels), reverse=True) and set(levels) == {t["level"] for t in labelled},
          "grouped by level, best first (%s)" % levels)
    shown = re.findall(r'<li data-town="([^"]*)">', page)
    check(shown == [t["id"] for t in labelled], "every labelled town, in the order of its level (%s)" % shown)
    check(res["rubric"]["label"]["fr"] in page if isinstance(res["rubric"]["label"], dict) else True,
          "the label's name")
    check(str(res["rubric"]["edition"]) in page, "the edition")
    _, _, home = req("GET", "/")
    check('href="/palmares"' in home, "the home page links the palmarès once published")
    st, _, _ = req("GET", "/organizer/publish/certificates.pdf", cookie=organizer)
    check(st == 200, "the organizer downloads the published certificates (%d)" % st)
    check(os.path.exists(DB + ".published/v1/certificates-fr.pdf"), "rendered when publishing, beside the database")


def second_publication(organizer, res1, town_cookie, me):
    v1 = versions()[0]
    # an override by SQL (with an audit line so that the scores follow): the town is not labelled
    sql(("INSERT INTO override (town_id, level, reason, at) VALUES (?, '0', 'Jury: the portal is not online', 0)",
         (me,)), ("INSERT INTO audit (at, what, subject) VALUES (?, 'test', ?)", (int(time.time()), me)))
    st, h, _ = publish(organizer)
    check(st == 303 and h.get("location", "").endswith("published=2"), "the organizer publishes again (%d)" % st)
    v = versions()
    check(len(v) == 2 and v[0] == v1, "version 1 is kept as it was")
    check(hashlib.sha256(v[0][2].encode()).hexdigest() == v[0][3], "version 1's SHA-256 still matches its JSON")
    if len(v) < 2:
        return
    check(v[1][2] != v[0][2] and hashlib.sha256(v[1][2].encode()).hexdigest() == v[1][3],
          "version 2 differs, with its own SHA-256")
    check(cli_score("cli-v2.json") == v[1][2], "parity: version 2 is palmares score on the export, the override included")
    try:
        sql(("UPDATE publication SET sha256 = ? WHERE version = 1", ("0" * 64,)))
        check(False, "a published version cannot be changed")
    except sqlite3.DatabaseError:
        check(True, "a published version cannot be changed")
    res2 = json.loads(v[1][2])
    t1 = [t for t in res1["towns"] if t["id"] == me][0]
    old = code_of(res1["rubric"]["sha256"], me, t1["level"], t1["mentions"])
    st, _, page = req("GET", "/verify/" + old)
    check(st == 200 and 'id="superseded"' in page, "a v1-only code shows as superseded (%d) %s" % (st, page[-600:] if st != 200 else ""))
    check(re.search(r"Version 1\b", page) and t1["name"] in page, "with its version and its town")
    t2 = [t for t in res2["towns"] if t["id"] == me][0]
    cur = re.search(r'<p id="current-level">(.*?)</p>', page, re.S)
    check(cur is not None and (str(t2["level"]) in cur.group(1) or t2["level"] < 1),
          "and the town's current level (%s, level %s)" % (cur.group(1) if cur else None, t2["level"]))
    still = [t for t in res2["towns"] if t["level"] >= 1 and not t["errors"] and t["id"] != me][0]
    code = code_of(res2["rubric"]["sha256"], still["id"], still["level"], still["mentions"])
    st, _, page = req("GET", "/verify?code=" + code.lower())
    check(st == 200 and 'id="superseded"' not in page and still["name"] in page,
          "a code of the latest version shows as found, not superseded (%d)" % st)
    st, _, page = req("GET", "/verify/0000-0000-0000")
    check(st == 404, "a code of no version: no certificate (%d)" % st)
    if t2["level"] < 1:
        st, _, _ = raw("/dossier/certificate.pdf", town_cookie)
        check(st == 404, "the town without a certificate in version 2: 404 for it (%d)" % st)
        _, _, home = req("GET", "/", cookie=town_cookie)
        check('href="/dossier/certificate.pdf"' not in home, "and no link to it")


def main():
    organizer_link, towns, links = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        organizer = login(organizer_link)
        town = login(links[towns[-1]])
        juror = login(links["juror"])
        wrong_people(organizer, town, juror)
        res1 = first_publication(organizer)
        if res1:
            town_cookie, me = town_documents(res1, towns, links)
            palmares(res1, organizer)
            second_publication(organizer, res1, town_cookie, me)
    finally:
        stop_server(server)
    finish()


main()
