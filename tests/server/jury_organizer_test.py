#!/usr/bin/env python3
"""HTTP tests of the organizer's running of the jury in `palmares serve`: the jurors page
(/organizer/jurors: load, progress, recusals; the jurors file's import; jurors-missing.csv) and the
assignment (/organizer/assignment: preview, accept, move).

Every route is tried as a town, a juror and a stranger (404; 403 for a POST without a session) and with a
forged CSRF token (403), nothing changed; an import with errors is refused whole with each line said, a
juror already in the campaign is refused; `campaign init` with a bad jurors file creates nothing; a preview
saves nothing, an accept saves exactly the plan shown (the one `palmares assign` gives for the same inputs),
an accept whose plan differs from the one shown is refused; a move to a juror in conflict (own town, jurors
file, recusal, already assigned) is refused and changes nothing; the reminder CSV lists exactly the jurors
with marks still missing (marks filled by SQL here), formulas guarded.
The campaign is the sample's (scripts/serve-sample.sh): 30 towns, the dossiers of dossiers-google.csv and
dossiers.json filled in, the 6 jurors of examples/jurors.csv.
Usage: jury_organizer_test.py PALMARES SOURCE_ROOT
"""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
EX = os.path.join(ROOT, "examples")
FILLED = [os.path.join(EX, "dossiers-google.csv"), os.path.join(EX, "dossiers.json")]
FORMULA = '=HYPERLINK("http://evil.example","clic")'
tmp = tempfile.mkdtemp(prefix="palmares-jury-organizer-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=120)


def post(path, fields, cookie=None):
    return req("POST", path, urllib.parse.urlencode(fields), cookie=cookie)


def upload(cookie, csrf, data, filename="jurors.csv"):
    boundary = "----palmares" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n" % (boundary, csrf)).encode()
    if data is not None:
        body += ("--%s\r\nContent-Disposition: form-data; name=\"jurors\"; filename=\"%s\"\r\n"
                 "Content-Type: text/csv\r\n\r\n" % (boundary, filename)).encode() + data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return req("POST", "/organizer/jurors", body, cookie=cookie,
               headers={"Content-Type": "multipart/form-data; boundary=" + boundary})


def db(sql, args=()):
    c = sqlite3.connect(DB, timeout=10)
    try:
        rows = c.execute(sql, args).fetchall()
        c.commit()
        return rows
    finally:
        c.close()


def cli(*args):
    p = subprocess.run([PALMARES] + list(args), capture_output=True, text=True, timeout=120, cwd=tmp)
    return p.returncode, p.stdout, p.stderr


def towns_csv():
    """The sample's towns file, as scripts/serve-sample.sh writes it."""
    rc, _, err = cli("score", RUBRIC, os.path.join(EX, "dossiers-excel.csv"), os.path.join(EX, "dossiers-libreoffice.csv"),
                     *FILLED, "--format", "json", "-o", "towns.json")
    towns = json.load(open(os.path.join(tmp, "towns.json"), encoding="utf-8"))["towns"]
    attrs = []
    for t in towns:
        attrs += [a for a in t["attributes"] if a not in attrs]
    path = os.path.join(tmp, "towns.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name", "email"] + attrs)
        for t in towns:
            w.writerow([t["id"], t["name"], "mairie-%s@example.org" % t["id"]] + [t["attributes"].get(a, "") for a in attrs])
    return path


def init_refuses_bad_jurors(towns):
    bad = os.path.join(tmp, "bad-jurors.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("juror,name,email\nj-a,A,a@example.org\nj-b,B,b@example.org\nj-a,A again,c@example.org\n")
    out = os.path.join(tmp, "refused.db")
    rc, _, err = cli("campaign", "init", out, "--rubric", RUBRIC, "--towns", towns, "--jurors", bad)
    check(rc == 2 and "bad-jurors.csv:4:" in err and "j-a" in err,
          "campaign init: a juror id twice refused with its line (%d %s)" % (rc, err.strip()))
    check(not os.path.exists(out), "campaign init with a bad jurors file creates nothing")


def setup(towns):
    args = ["campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors", os.path.join(EX, "jurors.csv"),
            "--organizer-email", "orga@example.org", "--base-url", ORIGIN]
    for f in FILLED:
        args += ["--dossiers", f]
    rc, out, err = cli(*args)
    check(rc == 0, "campaign init exits 0: %s" % err[-500:])
    org = out.strip().splitlines()[-1][len(ORIGIN):]
    return org


def links():
    rc, out, _ = cli("campaign", "links", DB, "--base-url", ORIGIN)
    return list(csv.DictReader(out.splitlines()))


def login(path):
    _, _, page = req("GET", path)
    st, h, _ = post(path, [("csrf", csrf_of(page) or "")])
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def pairs():
    return sorted(db("SELECT juror_id, town_id FROM assignment"))


GETS = ["/organizer/jurors", "/organizer/jurors-missing.csv", "/organizer/assignment"]
POSTS = ["/organizer/jurors", "/organizer/assignment/preview", "/organizer/assignment/accept",
         "/organizer/assignment/move"]


def who_may(org, town, juror):
    for path in GETS:
        st, h, _ = req("GET", path, cookie=org)
        check(st == 200 and h.get("cache-control") == "no-store", "GET %s as the organizer: 200, no-store (%d)"
              % (path, st))
        for name, cookie in [("a stranger", None), ("a town", town), ("a juror", juror)]:
            st, _, page = req("GET", path, cookie=cookie)
            check(st == 404 and "j-martin" not in page, "GET %s as %s: 404 (%d)" % (path, name, st))
    _, _, page = req("GET", "/", cookie=town)
    tcsrf = csrf_of(page)
    _, _, page = req("GET", "/", cookie=juror)
    jcsrf = csrf_of(page)
    before = db("SELECT count(*) FROM audit")[0][0]
    fields = [("per_dossier", "2"), ("seed", "0"), ("plan", "0" * 64), ("town", "33063"), ("from", "j-benali"),
              ("to", "j-nguyen")]
    for path in POSTS:
        for name, cookie, token in [("a town", town, tcsrf), ("a juror", juror, jcsrf)]:
            st, _, _ = post(path, fields + [("csrf", token)], cookie=cookie)
            check(st == 404, "POST %s as %s with its own CSRF token: 404 (%d)" % (path, name, st))
        st, _, _ = post(path, fields + [("csrf", "A" * 43)])
        check(st == 403, "POST %s as a stranger: 403 (%d)" % (path, st))
        st, _, _ = post(path, fields + [("csrf", "B" * 43)], cookie=org)
        check(st == 403, "POST %s as the organizer with a forged CSRF token: 403 (%d)" % (path, st))
    check(db("SELECT count(*) FROM audit")[0][0] == before and not pairs() and
          db("SELECT count(*) FROM juror")[0][0] == 6, "no refused POST changed anything")
    st, _, page = req("GET", "/organizer", cookie=org)
    check('href="/organizer/jurors"' in page and 'href="/organizer/assignment"' in page,
          "the organizer's menu links to the jurors and the assignment")


def import_jurors(org):
    _, _, page = req("GET", "/organizer/jurors", cookie=org)
    csrf = csrf_of(page)
    before = db("SELECT count(*) FROM person")[0][0]
    st, _, page = upload(org, csrf, None)
    check(st == 400, "an import without a file: 400 (%d)" % st)
    # An unknown column: the engine's header message, nothing added.
    st, _, page = upload(org, csrf, b"juror,name,colour\nj-new,New,red\n")
    check(st == 400 and 'unknown column' in page and "colour" in page, "an unknown column refused (%d)" % st)
    # A juror twice and a juror already in the campaign: every line said, nothing added.
    data = ("juror,name,email,town_id,region,conflicts\n"
            "j-zola,Émile Zola,emile@example.org,,Île-de-France,\n"
            "j-hugo,Victor Hugo,victor@example.org,,,\n"
            "j-zola,Émile again,e2@example.org,,,\n").encode()
    st, _, page = upload(org, csrf, data)
    box = re.search(r'<div class="error" id="import-problems">.*?</div>', page, re.S)
    check(st == 400 and box and "4" in box.group(0) and "j-zola" in box.group(0),
          "a juror id twice refused with its line (%d): %s" % (st, box.group(0) if box else page[-600:]))
    data = ("juror,name,email\nj-hugo,Victor Hugo,victor@example.org\nj-martin,Claire Martin,c@example.org\n"
            "j-nguyen,Thomas Nguyen,t@example.org\n").encode()
    st, _, page = upload(org, csrf, data)
    box = re.search(r'<div class="error" id="import-problems">.*?</div>', page, re.S)
    check(st == 400 and box and re.search(r"(ligne|line) 3 : [^<]*j-martin", box.group(0)) and
          re.search(r"(ligne|line) 4 : [^<]*j-nguyen", box.group(0)) and "j-hugo" not in box.group(0),
          "each juror already in the campaign refused with its line (%d)" % st)
    check(db("SELECT count(*) FROM person")[0][0] == before and db("SELECT count(*) FROM juror")[0][0] == 6,
          "refused imports added nobody (all or nothing)")
    check(db("SELECT email FROM person p JOIN juror j ON j.person_id = p.id WHERE j.juror_id = 'j-martin'")[0][0]
          == "claire.martin@example.org", "the juror already there is not updated")
    # A good file: both added, with a login link in the next links file.
    data = ("juror,name,email,town_id,region,conflicts\n"
            "j-hugo,Victor Hugo,victor@example.org,,Bretagne,\n"
            "j-sand,\"%s\",george@example.org,,,\n" % FORMULA.replace('"', '""')).encode()
    st, h, _ = upload(org, csrf, data)
    check(st == 303 and h.get("location") == "/organizer/jurors?added=2", "a good jurors file: 303 (%d)" % st)
    check(db("SELECT count(*) FROM juror")[0][0] == 8, "two jurors added")
    check(db("SELECT count(*) FROM audit WHERE what = 'jurors-import' AND new = '2'")[0][0] == 1,
          "the import has its audit line")
    rows = [r for r in links() if r["role"] == "juror"]
    check(any(r["name"] == "Victor Hugo" and r["email"] == "victor@example.org" and "/login/" in r["link"] for r in rows),
          "the new juror has an invitation link in the links CSV")
    st, _, page = req("GET", "/organizer/jurors?added=2", cookie=org)
    check(st == 200 and 'data-juror="j-sand"' in page and 'data-juror="j-hugo"' in page,
          "the jurors page lists the new jurors")
    check('action="/organizer/links.csv"' in page, "the jurors page has the invitation links' button")


def assignment(org):
    st, _, page = req("GET", "/organizer/assignment", cookie=org)
    csrf = csrf_of(page)
    check(st == 200 and 'id="run"' in page, "the assignment page has the run form")
    audit = db("SELECT count(*) FROM audit")[0][0]
    st, _, page = post("/organizer/assignment/preview", [("csrf", csrf), ("per_dossier", "0"), ("seed", "x")],
                       cookie=org)
    check(st == 400 and page.count('class="error"') >= 2, "0 jurors per dossier and a word as seed: 400 (%d)" % st)
    st, _, page = post("/organizer/assignment/preview", [("csrf", csrf), ("per_dossier", "9"), ("seed", "1")],
                       cookie=org)
    check(st == 400 and 'id="plan-refused"' in page and "eligible" in page,
          "9 jurors per dossier (8 jurors in all): the engine's messages (%d)" % st)
    st, _, page = post("/organizer/assignment/preview", [("csrf", csrf), ("per_dossier", "2"), ("seed", "7")],
                       cookie=org)
    m = re.search(r'<code id="plan-sha">([0-9a-f]{64})</code>', page)
    check(st == 200 and m and 'id="plan-by-juror"' in page and 'id="plan-by-dossier"' in page,
          "a preview shows the plan per juror and per dossier (%d)" % st)
    check(not pairs() and db("SELECT count(*) FROM audit")[0][0] == audit, "a preview saves nothing")
    sha = m.group(1) if m else ""
    # The same plan from the command line, on the jurors the campaign holds and the same dossiers.
    jur = os.path.join(tmp, "all-jurors.csv")
    with open(jur, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["juror", "town_id", "region", "conflicts"])
        for r in db("SELECT juror_id, town_id, region, conflicts FROM juror ORDER BY juror_id"):
            w.writerow(r)
    rc, _, err = cli("campaign", "export", DB, "-o", "export")
    rc, out, err = cli("assign", RUBRIC, os.path.join("export", "dossiers.jsonl"), "--jurors", jur,
                       "--per-dossier", "2", "--seed", "7")
    want = sorted(tuple(r) for r in list(csv.reader(out.splitlines()))[1:])
    check(rc == 0 and want, "palmares assign on the export: %d %s" % (rc, err[-300:]))
    # Tampered: another plan's hash, or other parameters than the ones shown.
    for name, fields in [("another hash", [("per_dossier", "2"), ("seed", "7"), ("plan", "f" * 64)]),
                         ("another seed", [("per_dossier", "2"), ("seed", "8"), ("plan", sha)]),
                         ("no hash", [("per_dossier", "2"), ("seed", "7")])]:
        st, _, page = post("/organizer/assignment/accept", [("csrf", csrf)] + fields, cookie=org)
        check(st in (400, 409) and not pairs(), "an accept with %s is refused, nothing saved (%d)" % (name, st))
    st, h, _ = post("/organizer/assignment/accept", [("csrf", csrf), ("per_dossier", "2"), ("seed", "7"),
                                                     ("avoid_region", "0"), ("plan", sha)], cookie=org)
    check(st == 303 and h.get("location", "").startswith("/organizer/assignment?saved="),
          "the accept of the plan shown: 303 (%d)" % st)
    check(pairs() == want, "the saved assignment is the plan shown, the one palmares assign gives (%d pairs)"
          % len(pairs()))
    check(db("SELECT count(*) FROM audit WHERE what = 'assignment' AND new LIKE ? ", ("%" + sha,))[0][0] == 1,
          "the accept has its audit line with the plan's hash")
    st, _, page = req("GET", "/organizer/assignment", cookie=org)
    check(st == 200 and 'id="current-by-dossier"' in page and 'id="move"' in page,
          "the assignment page shows the current assignment and the move form")
    return csrf


def move(org, csrf):
    saved = pairs()
    assigned = {}
    for j, t in saved:
        assigned.setdefault(t, []).append(j)
    audit = db("SELECT count(*) FROM audit")[0][0]
    # j-martin's own town is 33449; j-dubois declared conflicts with 05061 and 85113.
    cases = []
    if "33449" in assigned and "j-martin" not in assigned["33449"]:
        cases.append(("the juror's own town", "33449", assigned["33449"][0], "j-martin"))
    for t in ("05061", "85113"):
        if t in assigned and "j-dubois" not in assigned[t]:
            cases.append(("a conflict of the jurors file", t, assigned[t][0], "j-dubois"))
            break
    t0 = sorted(assigned)[0]
    cases.append(("a juror already on the dossier", t0, assigned[t0][0], assigned[t0][1]))
    cases.append(("a juror not on the dossier", t0, next(j for j, _ in saved if j not in assigned[t0]), "j-hugo"))
    cases.append(("an unknown juror", t0, assigned[t0][0], "j-nobody"))
    # A recusal: a juror not on t0 recuses from it, then cannot be given it.
    other = next(j for j in ("j-le-goff", "j-benali", "j-nguyen", "j-hugo", "j-sand") if j not in assigned[t0])
    db("INSERT INTO recusal (juror_id, town_id, reason, at) VALUES (?, ?, 'my cousin is the mayor', 0)",
       (other, t0))
    cases.append(("a juror who recused", t0, assigned[t0][0], other))
    check(len(cases) >= 5, "the sample gives the conflict cases (%d)" % len(cases))
    for name, town, frm, to in cases:
        st, _, page = post("/organizer/assignment/move", [("csrf", csrf), ("town", town), ("from", frm), ("to", to)],
                           cookie=org)
        check(st == 409 and 'id="move-refused"' in page and "Refus" in page,
              "a move to %s is refused with its reason (%d)" % (name, st))
    check(pairs() == saved and db("SELECT count(*) FROM audit")[0][0] == audit, "refused moves changed nothing")
    # A good move: to a juror free of conflicts with the town.
    frm = assigned[t0][0]
    to = next(j for j in ("j-hugo", "j-sand", "j-nguyen", "j-le-goff") if j not in assigned[t0] and j != other)
    db("INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
       " VALUES (?, ?, 'x-before-move', '4', 'kept', 1, 0)", (frm, t0))
    st, h, _ = post("/organizer/assignment/move", [("csrf", csrf), ("town", t0), ("from", frm), ("to", to)],
                    cookie=org)
    check(st == 303 and "moved=" in h.get("location", ""), "a move to an eligible juror: 303 (%d)" % st)
    now = pairs()
    check((frm, t0) not in now and (to, t0) in now and len(now) == len(saved), "the dossier moved, nothing else")
    check(db("SELECT count(*) FROM audit WHERE what = 'assignment-move' AND subject = ? AND old = ? AND new = ?",
             (t0, frm, to))[0][0] == 1, "the move has its audit line")
    check(db("SELECT count(*) FROM mark WHERE juror_id = ? AND town_id = ?", (frm, t0))[0][0] == 1,
          "the old juror's mark on the moved dossier is kept in the store")
    _, _, body = req("GET", "/organizer/jurors-missing.csv", cookie=org)
    _, _, page = req("GET", "/organizer/jurors", cookie=org)
    row = re.search(r'<tr data-juror="%s">(.*?)</tr>' % re.escape(frm), page, re.S)
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(1)) if row else []
    check(cells and cells[1] == "0", "and no longer counts among the marks given (%s)" % cells)
    return other, t0


def reminder(org, recused_juror, recused_town):
    rub = json.load(open(RUBRIC, encoding="utf-8"))
    jury = [c["id"] for cat in rub["categories"] for c in cat["criteria"] if c["kind"] == "jury"]
    saved = pairs()
    by_juror = {}
    for j, t in saved:
        by_juror.setdefault(j, []).append(t)
    # Fill every mark of every assigned dossier (criteria that do not apply are simply extra), except
    # one criterion of one dossier of one juror, and an empty value (a draft) for another juror.
    jurors = sorted(by_juror)
    short, draft = jurors[0], jurors[1]
    for j, towns in by_juror.items():
        for t in towns:
            for c in jury:
                value = "3"
                if j == short and t == towns[0] and c == jury[0]:
                    continue
                if j == draft and t == towns[-1]:
                    value = ""
                db("INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
                   " VALUES (?, ?, ?, ?, '', 1, 0)", (j, t, c, value))
    # The formula-named juror gets one dossier, unmarked.
    tsand = next(t for t in sorted({t for _, t in saved}) if "j-sand" not in by_juror.get(t, []))
    db("INSERT OR IGNORE INTO assignment (juror_id, town_id, assigned_at) VALUES ('j-sand', ?, 0)", (tsand,))
    db("INSERT INTO audit (at, who, what, subject) VALUES (0, NULL, 'test', 'marks by SQL')")
    st, h, body = req("GET", "/organizer/jurors-missing.csv", cookie=org)
    check(st == 200 and h.get("content-type", "").startswith("text/csv") and "attachment" in
          h.get("content-disposition", ""), "the reminder CSV is an attachment (%d)" % st)
    rows = list(csv.DictReader(io.StringIO(body)))
    got = {r["juror"]: r for r in rows}
    expect = {short, draft, "j-sand"}
    check(set(got) == expect, "the reminder lists exactly the jurors with marks missing: %s" % sorted(got))
    if short in got:
        r = got[short]
        check(int(r["missing"]) == 1 and int(r["assigned"]) == len(by_juror[short]) and
              int(r["marked"]) == len(by_juror[short]) - 1, "a juror short of one mark: 1 dossier missing (%s)" % r)
    if "j-sand" in got:
        check(got["j-sand"]["name"] == "'" + FORMULA and got["j-sand"]["email"] == "george@example.org",
              "a name that is a formula is guarded in the CSV")
    st, _, page = req("GET", "/organizer/jurors", cookie=org)
    row = re.search(r'<tr data-juror="%s">.*?</tr>' % re.escape(short), page, re.S)
    check(row and "%d / %d" % (len(by_juror[short]) - 1, len(by_juror[short])) in row.group(0),
          "the jurors page shows the progress of a juror")
    st, _, page = req("GET", "/organizer/jurors", cookie=org)
    check("my cousin is the mayor" in page, "the jurors page shows the recusals with their reason")


def after_publication(org):
    """Once results are published the assignment is history: the organizer's jury pages answer 404."""
    _, _, page = req("GET", "/organizer", cookie=org)
    csrf = csrf_of(page)
    before = pairs()
    db("INSERT INTO phase (phase, starts_at) VALUES ('published', 0)")
    db("INSERT INTO audit (at, who, what, subject) VALUES (0, NULL, 'test', 'published by SQL')")
    for path in GETS:
        st, _, _ = req("GET", path, cookie=org)
        check(st == 404, "GET %s as the organizer after publication: 404 (%d)" % (path, st))
    t, j = before[0][1], before[0][0]
    st, _, _ = post("/organizer/assignment/move", [("csrf", csrf), ("town", t), ("from", j), ("to", "j-hugo")],
                    cookie=org)
    check(st == 404 and pairs() == before, "a move after publication: 404, nothing changed (%d)" % st)
    st, _, page = req("GET", "/organizer", cookie=org)
    check('href="/organizer/jurors"' not in page, "the menu no longer links to the jurors page")


def main():
    towns = towns_csv()
    init_refuses_bad_jurors(towns)
    org_link = setup(towns)
    rows = links()
    town_link = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "town")
    juror_link = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "juror")
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        org, town, juror = login(org_link), login(town_link), login(juror_link)
        who_may(org, town, juror)
        import_jurors(org)
        csrf = assignment(org)
        recused = move(org, csrf)
        reminder(org, *recused)
        after_publication(org)
    finally:
        stop_server(server)
    finish()


main()
