#!/usr/bin/env python3
"""HTTP tests of the organizer's running of the campaign in `palmares serve`:
phases (/organizer/settings), importing towns (/organizer/towns), reopening a
dossier (/organizer/reopen), the organizer's password and the password login
(/organizer/password, /login), the audit log (/organizer/audit, audit.csv).

Every page and POST is tried as the organizer, a town, a juror and a stranger
(404 for all but the organizer), with a forged CSRF token (403, nothing
changed); phases out of order are refused with the message next to the field;
an import with a duplicate, a bad line and a town already there is refused
whole with every line said; the password login answers an unknown address and
a wrong password with the same page, and 429 past its limits; the audit log
has a line for each change, escaped on the page, formulas guarded in the CSV,
and cannot be changed through the server.
The server runs in a time zone an hour or two east of UTC (a POSIX TZ rule, no
tzdata needed), so that the dates typed in local time are checked against UTC.
Usage: organizer_test.py PALMARES SOURCE_ROOT
"""
import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
TZ = "CET-1CEST,M3.5.0,M10.5.0/3"  # Paris' rule, spelled out
HOSTILE = '<script>alert("x")</script> & Saint-Évry'
FORMULA = '=HYPERLINK("http://evil.example","clic")'
ORG_EMAIL = "orga@label.example.org"
PASSWORD = "correct horse battery staple"
tmp = tempfile.mkdtemp(prefix="palmares-organizer-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
os.environ["TZ"] = TZ  # the server's zone, for the dates this test types and expects
time.tzset()


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=60)


def post(path, fields, cookie=None):
    return req("POST", path, urllib.parse.urlencode(fields), cookie=cookie)


def multipart(fields, files):
    """A multipart/form-data body: (content type, bytes)."""
    boundary = "----palmares" + uuid.uuid4().hex
    out = b""
    for name, value in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                % (boundary, name, value)).encode()
    for name, filename, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: text/csv\r\n\r\n" % (boundary, name, filename)).encode() + data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return "multipart/form-data; boundary=" + boundary, out


def upload(cookie, csrf, data, filename="towns.csv"):
    ctype, body = multipart([("csrf", csrf)], [("towns", filename, data)] if data is not None else [])
    return req("POST", "/organizer/towns", body, cookie=cookie, headers={"Content-Type": ctype})


def db_one(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    try:
        return db.execute(sql, args).fetchone()
    finally:
        db.close()


def audit_count(what=None):
    if what:
        return db_one("SELECT count(*) FROM audit WHERE what = ?", (what,))[0]
    return db_one("SELECT count(*) FROM audit")[0]


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = post(link_path, [("csrf", csrf_of(page) or "")])
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def local_epoch(text):
    """'2027-01-15T09:30' in the server's zone, as UTC seconds (computed here with the same rule)."""
    os.environ["TZ"] = TZ
    time.tzset()
    return int(time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M")))


def setup():
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        f.write("town_id,town_name,population,email\n"
                "38185,Grenoble,156389,mairie@grenoble.example.org\n"
                "92040,Issy-les-Moulineaux,68395,mairie@issy.example.org\n"
                "29001,Petiteville,800,mairie@petiteville.example.org\n")
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors",
                        os.path.join(ROOT, "examples", "jurors.csv"), "--organizer-email", ORG_EMAIL,
                        "--base-url", ORIGIN], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    rows = list(csv.DictReader(p.stdout.splitlines()))
    town = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "town" and r["id"] == "38185")
    juror = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "juror")
    return organizer, town, juror


def cli_same_reader():
    """campaign init reads the towns file with the import's reader: every line numbered as in the file."""
    bad = os.path.join(tmp, "dup.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("town_id,town_name\n\n1,A\n2,B\n1,C\n")
    p = subprocess.run([PALMARES, "campaign", "init", os.path.join(tmp, "x.db"), "--rubric", RUBRIC, "--towns", bad],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and 'dup.csv:5: town "1" is listed twice (line 3)' in p.stderr,
          "campaign init: a duplicate said with its file line and the first one's (%s)" % p.stderr.strip())
    check(not os.path.exists(os.path.join(tmp, "x.db")), "campaign init left no file behind")


ORG_GETS = ["/organizer", "/organizer/settings", "/organizer/password", "/organizer/audit", "/organizer/audit.csv"]
ORG_POSTS = ["/organizer/settings", "/organizer/towns", "/organizer/reopen", "/organizer/password"]


def who_may(org, town, juror):
    for path in ORG_GETS:
        st, h, _ = req("GET", path, cookie=org)
        check(st == 200 and h.get("cache-control") == "no-store", "GET %s as the organizer: 200, no-store (%d)"
              % (path, st))
        for name, cookie in [("a stranger", None), ("a town", town), ("a juror", juror)]:
            st, _, _ = req("GET", path, cookie=cookie)
            check(st == 404, "GET %s as %s: 404 (%d)" % (path, name, st))
    _, _, page = req("GET", "/", cookie=town)
    tcsrf = csrf_of(page)
    _, _, page = req("GET", "/", cookie=juror)
    jcsrf = csrf_of(page)
    before = audit_count()
    for path in ORG_POSTS:
        fields = [("submission", "2020-01-01T00:00"), ("town", "38185"), ("password", PASSWORD),
                  ("confirm", PASSWORD)]
        for name, cookie, token in [("a town", town, tcsrf), ("a juror", juror, jcsrf)]:
            st, _, _ = post(path, fields + [("csrf", token)], cookie=cookie)
            check(st == 404, "POST %s as %s with its own CSRF token: 404 (%d)" % (path, name, st))
        st, _, _ = post(path, fields + [("csrf", "A" * 43)])
        check(st == 403, "POST %s as a stranger: 403 (%d)" % (path, st))
        st, _, _ = post(path, fields + [("csrf", "B" * 43)], cookie=org)
        check(st == 403, "POST %s as the organizer with a forged CSRF token: 403 (%d)" % (path, st))
        st, _, _ = post(path, fields, cookie=org)
        check(st == 403, "POST %s as the organizer without a CSRF token: 403 (%d)" % (path, st))
    check(audit_count() == before, "no refused POST changed anything (audit lines %d)" % audit_count())
    check(db_one("SELECT count(*) FROM phase")[0] == 0, "no phase was set by a refused POST")
    check(db_one("SELECT password_hash FROM person WHERE role = 'organizer'")[0] is None,
          "no password was set by a refused POST")


def settings(org):
    st, _, page = req("GET", "/organizer/settings", cookie=org)
    check('data-phase="setup"' in page and "préparation" in page, "the settings page shows the current phase")
    check("UTC+0" in page, "server time shown with its offset")
    csrf = csrf_of(page)
    lines = audit_count("phase-set")
    # Out of order: marking before submission.
    st, _, page = post("/organizer/settings", [("csrf", csrf), ("submission", "2027-03-01T09:00"),
                                               ("marking", "2027-02-01T09:00"), ("deliberation", ""),
                                               ("published", "")], cookie=org)
    row = re.search(r'<tr><td><label for="phase-marking">.*?</tr>', page, re.S)
    check(st == 400 and row and "doit commencer après la précédente" in row.group(0),
          "phases out of order: 400, the message in the marking row (%d)" % st)
    check('value="2027-02-01T09:00"' in page and 'value="2027-03-01T09:00"' in page,
          "what was typed is shown again")
    check(db_one("SELECT count(*) FROM phase")[0] == 0 and audit_count("phase-set") == lines,
          "nothing saved from a refused form")
    # A date that does not exist, and a malformed one.
    st, _, page = post("/organizer/settings", [("csrf", csrf), ("submission", "2027-02-30T09:00"),
                                               ("marking", "demain")], cookie=org)
    check(st == 400 and page.count("Date invalide") == 2, "February 30 and a word refused as dates (%d)" % st)
    check('<input type="text" id="phase-marking" name="marking" value="demain"' in page
          and '<input type="text" id="phase-submission" name="submission" value="2027-02-30T09:00"' in page,
          "a refused value a date picker would blank is shown as text, as typed")
    st, _, page = post("/organizer/settings?lang=en", [("csrf", csrf), ("submission", "2027-03-01T09:00"),
                                                       ("marking", "2027-03-01T09:00")], cookie=org)
    check(st == 400 and "must start after the previous one" in page, "the same start twice refused, in English")
    # In order: submission opened yesterday (so it is the phase now), marking later.
    yesterday = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 86400))
    st, h, _ = post("/organizer/settings", [("csrf", csrf), ("submission", yesterday),
                                            ("marking", "2099-06-01T10:30"), ("deliberation", ""),
                                            ("published", "")], cookie=org)
    check(st == 303 and h.get("location") == "/organizer/settings?saved=1", "phases in order: saved (%d)" % st)
    got = dict((p, s) for p, s in sqlite3.connect(DB).execute("SELECT phase, starts_at FROM phase"))
    check(got.get("submission") == local_epoch(yesterday) and got.get("marking") == local_epoch("2099-06-01T10:30"),
          "dates typed in the server's local time stored as UTC (%s)" % got)
    check(local_epoch("2099-06-01T10:30") % 86400 == (8 * 3600 + 30 * 60), "(the test's zone is UTC+2 in June)")
    st, _, page = req("GET", "/organizer/settings?saved=1", cookie=org)
    check('data-phase="submission"' in page and "Calendrier enregistré" in page, "the submission phase is current")
    check('value="2099-06-01T10:30"' in page and "2099-06-01 10:30 UTC+02:00" in page,
          "a stored date shown in local time with its offset")
    check(audit_count("phase-set") == lines + 2, "one audit line per phase set")
    # A saved date cannot be emptied.
    st, _, page = post("/organizer/settings", [("csrf", csrf), ("submission", yesterday), ("marking", "")],
                       cookie=org)
    check(st == 400 and "ne peut pas être effacée" in page, "emptying a saved date is refused (%d)" % st)


def town_rows(n):
    return "".join("%d,Ville %d,%d,ville%d@example.org\n" % (70000 + i, i, 1000 + i, i) for i in range(n))


def import_towns(org):
    st, _, page = req("GET", "/organizer", cookie=org)
    check('enctype="multipart/form-data"' in page and 'action="/organizer/towns"' in page,
          "the organizer's page has the import form")
    check('href="/organizer/scores"' in page and 'href="/organizer/audit"' in page, "the organizer's navigation")
    csrf = csrf_of(page)
    towns = db_one("SELECT count(*) FROM town")[0]
    lines = audit_count()
    bad = ("town_id,town_name,population,email\n"
           "50001,Nouvelle,1200,n@example.org\n"
           "50002,,300,x@example.org\n"        # line 3: no name
           "\n"
           "38185,Grenoble,156389,g@example.org\n"  # line 5: in the campaign already
           "50001,Encore,10,e@example.org\n")   # line 6: listed twice (line 2)
    st, _, page = upload(org, csrf, bad.encode())
    problems = re.search(r'<div class="error" id="import-problems">.*?</div>', page, re.S)
    text = problems.group(0) if problems else ""
    check(st == 400 and "aucune commune ajoutée" in text, "an import with problems is refused (%d)" % st)
    check("ligne 3 : une commune doit avoir" in text and "ligne 5 : commune déjà dans la campagne : « 38185 »" in text
          and "ligne 6 : commune en double : « 50001 » (déjà ligne 2)" in text,
          "every problem listed with its line: %s" % re.sub(r"\s+", " ", text)[:400])
    check(db_one("SELECT count(*) FROM town")[0] == towns and audit_count() == lines, "nothing of it was added")
    st, _, page = upload(org, csrf, b"town_id;nom\n1;x\n")
    check(st == 400 and "town_id et town_name" in page, "a file without the columns refused (%d)" % st)
    st, _, page = upload(org, csrf, b'town_id,town_name\n"1,x\n')
    check(st == 400 and "ligne 2 : une commune doit avoir" in page,
          "an unclosed quote takes the rest of the file as one cell: refused (%d)" % st)
    st, _, page = upload(org, csrf, None)
    check(st == 400 and "Choisissez un fichier" in page, "no file: 400 (%d)" % st)
    # The whole file, with names a browser and a spreadsheet must not run.
    good = ("\ufefftown_id;town_name;population;email\n"
            "60001;%s;1000;h@example.org\n"
            "60002;\"%s\";2000;f@example.org\n" % (HOSTILE, FORMULA.replace('"', '""'))
            ).encode() + town_rows(60).replace(",", ";").encode()
    st, h, _ = upload(org, csrf, good, filename="nouvelles.csv")
    check(st == 303 and h.get("location") == "/organizer?added=62", "62 towns imported: 303 (%d %s)"
          % (st, h.get("location")))
    check(db_one("SELECT count(*) FROM town")[0] == towns + 62, "the towns are in the campaign")
    check(db_one("SELECT attributes_json FROM town WHERE id = '70005'")[0] == '{"population":1005}',
          "attributes kept, numbers as numbers")
    check(db_one("SELECT count(*) FROM person WHERE role = 'town' AND town_id IN ('60001', '60002')")[0] == 2,
          "each new town has its person")
    check(audit_count("town-add") == 62 + 3 and audit_count("towns-import") == 1, "audited: each town and the file")
    st, _, page = req("GET", "/organizer?added=62", cookie=org)
    check("Communes ajoutées : 62" in page and "70059" in page, "the new towns are in the table")
    check("<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page,
          "a town's name is escaped on the organizer's page")
    st, h, body = post("/organizer/links.csv", [("csrf", csrf)], cookie=org)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(body))} if st == 200 else {}
    check("60001" in rows and "70059" in rows and rows["70059"]["link"].startswith(ORIGIN + "/login/"),
          "the new towns have invitation links")
    check(rows.get("60002", {}).get("name", "").startswith("'="), "links.csv guards the formula name")
    return csrf


def reopen(org, town):
    st, _, page = req("GET", "/organizer", cookie=org)
    csrf = csrf_of(page)
    check('name="town" value="38185"' not in page, "no reopen button for a draft in the submission phase")
    st, _, _ = post("/organizer/reopen", [("csrf", csrf), ("town", "38185")], cookie=org)
    check(st == 404, "reopening a draft in the submission phase: 404 (%d)" % st)
    # Submitted as the submit page will do it (the receipt's hash and time).
    db = sqlite3.connect(DB, timeout=10)
    db.execute("UPDATE dossier SET state = 'submitted', submitted_at = 1, receipt_sha256 = ? WHERE town_id = '38185'",
               ("a" * 64,))
    db.commit()
    db.close()
    st, _, page = req("GET", "/organizer", cookie=org)
    check('<button type="submit" name="town" value="38185">Rouvrir</button>' in page,
          "a reopen button for the submitted dossier")
    st, _, form = req("GET", "/dossier", cookie=town)
    check(st == 200 and "Enregistrer le brouillon" not in form, "the submitted dossier is read-only for its town")
    _, _, tpage = req("GET", "/", cookie=town)
    st, _, _ = post("/organizer/reopen", [("csrf", csrf_of(tpage)), ("town", "38185")], cookie=town)
    check(st == 404, "a town cannot reopen its dossier: 404 (%d)" % st)
    st, _, _ = post("/organizer/reopen", [("csrf", csrf), ("town", "nowhere")], cookie=org)
    check(st == 404, "reopening a town that does not exist: 404 (%d)" % st)
    st, h, _ = post("/organizer/reopen", [("csrf", csrf), ("town", "38185")], cookie=org)
    check(st == 303 and h.get("location") == "/organizer?reopened=38185", "the organizer reopens it (%d)" % st)
    check(db_one("SELECT state, reopened FROM dossier WHERE town_id = '38185'") == ("draft", 1),
          "the dossier is a draft again, marked reopened")
    st, _, form = req("GET", "/dossier", cookie=town)
    check(st == 200 and "Enregistrer le brouillon" in form, "its town may change it again")
    check(db_one("SELECT old, new FROM audit WHERE what = 'reopen' AND subject = '38185'") == ("submitted", "draft"),
          "the reopening is in the audit log")
    st, _, page = req("GET", "/organizer", cookie=org)
    check("brouillon (rouvert)" in page, "the table says it was reopened")


def password(org, town):
    st, _, page = req("GET", "/organizer/password", cookie=org)
    csrf = csrf_of(page)
    check(st == 200 and 'type="password"' in page, "the password page")
    for pw, again, want in [("court", "court", "Au moins 12"), ("douze-signes", "douze-signez", "diffèrent"),
                            ("x" * 1025, "x" * 1025, "Trop long")]:
        st, _, page = post("/organizer/password", [("csrf", csrf), ("password", pw), ("confirm", again)], cookie=org)
        check(st == 400 and want in page, "password refused: %s (%d)" % (want, st))
    check(db_one("SELECT password_hash FROM person WHERE role = 'organizer'")[0] is None, "no password set yet")
    st, h, _ = post("/organizer/password", [("csrf", csrf), ("password", PASSWORD), ("confirm", PASSWORD)], cookie=org)
    check(st == 303, "the password is set (%d)" % st)
    stored = db_one("SELECT password_hash FROM person WHERE role = 'organizer'")[0] or ""
    check(stored.startswith("$argon2id$") and PASSWORD not in stored, "stored as Argon2id")
    row = db_one("SELECT old, new FROM audit WHERE what = 'password-set'")
    check(row == (None, None), "audited without the hash (%s)" % (row,))


def password_login(org):
    st, _, page = req("GET", "/login")
    check(st == 200 and 'name="password"' in page, "GET /login: the form")
    csrf = csrf_of(page)
    st, _, wrong = post("/login", [("csrf", csrf), ("email", ORG_EMAIL), ("password", "not the password")])
    st2, _, unknown = post("/login", [("csrf", csrf), ("email", "nobody@example.org"), ("password", "whatever!")])
    check(st == 403 and st2 == 403, "wrong password and unknown address: 403 both (%d, %d)" % (st, st2))
    check("Adresse ou mot de passe incorrect" in wrong, "the page says the address or the password is wrong")
    check(wrong.replace(ORG_EMAIL, "E") == unknown.replace("nobody@example.org", "E"),
          "wrong password and unknown address give the same page")
    st, _, _ = post("/login", [("csrf", "C" * 43), ("email", ORG_EMAIL), ("password", PASSWORD)])
    check(st == 403, "a forged CSRF token on /login: 403")
    st, h, _ = post("/login", [("csrf", csrf), ("email", ORG_EMAIL), ("password", PASSWORD)])
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43}); HttpOnly; SameSite=Lax", h.get("set-cookie", ""))
    check(st == 303 and h.get("location") == "/" and m, "the right password opens a session (%d)" % st)
    cookie = m.group(1) if m else None
    st, _, _ = req("GET", "/organizer", cookie=cookie)
    check(st == 200, "the password session is the organizer's (%d)" % st)
    # Per account: five tries a minute, then 429 before any hashing.
    victim = "victim-%s@example.org" % uuid.uuid4().hex[:8]
    codes = [post("/login", [("csrf", csrf), ("email", victim), ("password", "guess %d" % i)])[0] for i in range(6)]
    check(codes == [403] * 5 + [429], "the sixth try on one address in a minute: 429 (%s)" % codes)
    st, _, page = post("/login", [("csrf", csrf), ("email", victim), ("password", "x")])
    check(st == 429 and "Trop de tentatives" in page, "the 429 page says to wait")
    # Per client address: at most 20 a minute, whatever the address typed.
    codes = [post("/login", [("csrf", csrf), ("email", "a%d@example.org" % i), ("password", "x")])[0]
             for i in range(21)]
    check(429 in codes, "many addresses from one client: 429 (%s)" % codes)
    return cookie


def audit(org):
    st, _, page = req("GET", "/organizer/audit", cookie=org)
    rows = re.findall(r'<tr id="(\d+)">(.*?)</tr>', page, re.S)
    ids = [int(i) for i, _ in rows]
    check(st == 200 and len(rows) == 50, "the audit page shows 50 lines (%d)" % len(rows))
    check(ids == sorted(ids, reverse=True) and ids[0] == db_one("SELECT max(id) FROM audit")[0],
          "newest first")
    check("password-set" in rows[0][1] and "<td>organizer</td>" in rows[0][1], "who by name (%s)" % rows[0][1][:200])
    m = re.search(r'href="(/organizer/audit\?before=(\d+))" rel="next"', page)
    check(m and int(m.group(2)) == ids[-1], "a link to the older lines")
    seen = set(ids)
    pages = 1
    while m and pages < 10:
        st, _, page = req("GET", m.group(1).replace("&amp;", "&"), cookie=org)
        more = [int(i) for i in re.findall(r'<tr id="(\d+)">', page)]
        check(more and not seen & set(more) and max(more) < min(seen), "an older page, no line twice")
        seen |= set(more)
        pages += 1
        m = re.search(r'href="(/organizer/audit\?before=(\d+))" rel="next"', page)
    check(len(seen) == audit_count(), "the pages hold every line (%d of %d)" % (len(seen), audit_count()))
    st, _, page = req("GET", "/organizer/audit?before=x", cookie=org)
    check(st == 400, "a malformed page address: 400 (%d)" % st)
    imported = db_one("SELECT id FROM audit WHERE what = 'towns-import'")[0]
    st, _, page = req("GET", "/organizer/audit?before=%d" % (imported + 1), cookie=org)
    check(st == 200 and "nouvelles.csv" in page, "the import's line names its file")
    hostile = db_one("SELECT id FROM audit WHERE what = 'town-add' AND subject = '60001'")[0]
    st, _, page = req("GET", "/organizer/audit?before=%d" % (hostile + 1), cookie=org)
    check("&lt;script&gt;alert" in page and "<script>alert" not in page, "a town's name escaped in the log")
    check("ligne de commande" in page, "changes made by the command line say so")
    marking = db_one("SELECT id FROM audit WHERE what = 'phase-set' AND subject = 'marking'")[0]
    st, _, page = req("GET", "/organizer/audit?before=%d" % (marking + 1), cookie=org)
    check('<time title="%d">2099-06-01 10:30 UTC+02:00</time>' % local_epoch("2099-06-01T10:30") in page,
          "a phase's date in the log as the settings page shows it")
    # The CSV: everything, formulas guarded.
    st, h, body = req("GET", "/organizer/audit.csv", cookie=org)
    check(st == 200 and h.get("content-type", "").startswith("text/csv")
          and "attachment" in h.get("content-disposition", ""), "audit.csv: a CSV attachment")
    rows = list(csv.DictReader(io.StringIO(body)))
    check(len(rows) == audit_count() and list(rows[0]) == ["id", "at_utc", "who_id", "who", "what", "subject", "old",
                                                            "new"], "audit.csv holds every line, with its columns")
    formula = [r for r in rows if r["what"] == "town-add" and r["subject"] == "60002"]
    check(formula and formula[0]["new"] == "'" + FORMULA, "a formula is prefixed with ' (%s)"
          % (formula[0]["new"] if formula else None))
    hostile = [r for r in rows if r["subject"] == "60001" and r["what"] == "town-add"]
    check(hostile and hostile[0]["new"] == HOSTILE, "other text kept as typed")
    check(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", rows[-1]["at_utc"] or ""), "times in UTC")
    phase = [r for r in rows if r["what"] == "phase-set" and r["subject"] == "marking"]
    check(phase and phase[0]["who"] == "organizer", "who by name in the CSV")
    # Append-only: no route changes it, nor does SQL.
    n = audit_count()
    for method in ["POST", "PUT", "DELETE"]:
        st, _, _ = req(method, "/organizer/audit", "csrf=" + (csrf_of(page) or ""), cookie=org)
        check(st in (403, 404), "%s /organizer/audit: refused (%d)" % (method, st))
    db = sqlite3.connect(DB, timeout=10)
    try:
        db.execute("DELETE FROM audit")
        check(False, "DELETE FROM audit refused")
    except sqlite3.DatabaseError as e:
        check("append-only" in str(e), "the schema refuses to delete audit lines")
    db.close()
    check(audit_count() == n, "the log is unchanged")


def wrong_phase(org, csrf):
    """Marking starts: importing towns ends, reopening a draft becomes possible."""
    st, _, page = req("GET", "/organizer/settings", cookie=org)
    sub = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    soon = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 60))
    st, _, _ = post("/organizer/settings", [("csrf", csrf_of(page)), ("submission", sub), ("marking", soon)],
                    cookie=org)
    check(st == 303, "marking moved to a minute ago (%d)" % st)
    st, _, page = req("GET", "/organizer", cookie=org)
    check('data-phase="marking"' in page and 'action="/organizer/towns"' not in page,
          "in the marking phase the import form is gone")
    st, _, _ = upload(org, csrf, b"town_id,town_name\n80001,Tardive\n")
    check(st == 404, "importing towns in the marking phase: 404 (%d)" % st)
    check('name="town" value="92040"' in page, "a draft left at the deadline can be reopened")


def run(organizer_link, town_link, juror_link):
    org, town, juror = login(organizer_link), login(town_link), login(juror_link)
    who_may(org, town, juror)
    settings(org)
    csrf = import_towns(org)
    reopen(org, town)
    password(org, town)
    audit(org)
    wrong_phase(org, csrf)
    password_login(org)  # last: it spends this client's login attempts for a minute


def main():
    organizer, town, juror = setup()
    cli_same_reader()
    env = dict(os.environ, TZ=TZ)
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)
    try:
        wait_for(PORT, server)
        run(organizer, town, juror)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
    finish()
