#!/usr/bin/env python3
"""scripts/serve-sample.sh, and `campaign init --dossiers/--open-submission` under it.

Runs the script (with the built palmares, a scratch campaign file and a free
port), reads the three login links it prints, and logs in with each: the
organizer sees the 30 towns, 10 of them with a draft dossier; the town's
dossier holds the answers of its dossier file; the juror is logged in. The
campaign is in its submission phase and the audit log says which dossiers were
imported from which file. Then `campaign init --dossiers` refusals: a dossier
the engine refuses, a town the towns file does not have, a town in two files,
an unreadable file: exit 2, no campaign file left.
Usage: sample_test.py PALMARES SOURCE_ROOT
"""
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, free_port, request, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-sample-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def req(method, path, body=None, cookie=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    return request(PORT, method, path, body, cookie, h, timeout=30)


def login(link):
    path = link[len(ORIGIN):] if link.startswith(ORIGIN) else link
    st, _, page = req("GET", path)
    check(st == 200 and csrf_of(page), "GET the printed link %s: 200, a login form (%d)" % (path[:12], st))
    st, h, _ = req("POST", path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in with it (%d)" % st)
    return m.group(1) if m else None


def script():
    proc = subprocess.Popen([os.path.join(ROOT, "scripts", "serve-sample.sh"), "--palmares", PALMARES, "--db", DB,
                             "--port", str(PORT)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    links = {}
    try:
        deadline = time.time() + 120
        while len(links) < 3 and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.match(r"(organizer|town|juror):\s+(\S+)", line)
            if m:
                links[m.group(1)] = m.group(2)
        check(sorted(links) == ["juror", "organizer", "town"], "the script prints three login links: %s" % links)
        check(all(v.startswith(ORIGIN + "/login/") for v in links.values()), "each on http://127.0.0.1:PORT/login/")
        wait_for(PORT, proc)
        organizer = login(links.get("organizer", "/login/x"))
        st, _, page = req("GET", "/organizer", cookie=organizer)
        rows = re.findall(r"<tr", page)
        check(st == 200 and len(rows) >= 30, "the organizer's page lists the 30 towns (%d, %d rows)" % (st, len(rows)))
        town = login(links.get("town", "/login/x"))
        st, _, page = req("GET", "/dossier", cookie=town)
        rev = re.search(r'name="revision" value="(\d+)"', page)
        check(st == 200 and rev and int(rev.group(1)) >= 1 and "Bus num" in page and "Enregistrer" in page,
              "the town's dossier is filled in from its file and editable (submission open) (%d)" % st)
        juror = login(links.get("juror", "/login/x"))
        st, _, page = req("GET", "/", cookie=juror)
        check(st == 200, "the juror is logged in (%d)" % st)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=20)
            check(proc.returncode == 0, "the sample's server stops on SIGTERM (%s)" % proc.returncode)
        except subprocess.TimeoutExpired:
            proc.kill()
            check(False, "the sample's server stops on SIGTERM")
    db = sqlite3.connect(DB)
    drafts = db.execute("SELECT count(*) FROM dossier WHERE revision > 0").fetchone()[0]
    towns = db.execute("SELECT count(*) FROM town").fetchone()[0]
    jurors = db.execute("SELECT count(*) FROM person WHERE role = 'juror'").fetchone()[0]
    imports = db.execute("SELECT subject, new FROM audit WHERE what = 'import'").fetchall()
    phase = db.execute("SELECT count(*) FROM phase WHERE phase = 'submission'").fetchone()[0]
    db.close()
    check(towns == 30 and drafts == 10 and jurors == 6, "30 towns, 10 dossiers filled, 6 jurors (%d, %d, %d)" %
          (towns, drafts, jurors))
    check(len(imports) == 10 and all(f.endswith(("dossiers-google.csv", "dossiers.json")) for _, f in imports),
          "the audit log says each imported dossier's file: %s" % imports[:2])
    check(phase == 1, "the submission phase is set")
    # What was imported scores as the files it came from (a multi answered [] is unanswered: same points).
    out = os.path.join(tmp, "export")
    p = subprocess.run([PALMARES, "campaign", "export", DB, "-o", out], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "the sample campaign exports (%d) %s" % (p.returncode, p.stderr.strip()))
    files = [os.path.join(ROOT, "examples", f) for f in ("dossiers-google.csv", "dossiers.json")]
    mine, theirs = (scored([os.path.join(out, "rubric.json"), os.path.join(out, "dossiers.jsonl")]),
                    scored([RUBRIC] + files))
    check(len(theirs) == 10, "the two sample files hold 10 towns (%d)" % len(theirs))
    for tid, b in sorted(theirs.items()):
        a = mine.get(tid, {})
        same = all(a.get(k) == b.get(k) for k in ("score", "categories", "attributes", "status")) and \
            [c.get("points") for c in a.get("criteria", [])] == [c.get("points") for c in b.get("criteria", [])]
        check(same, "town %s imported scores as its file: %s, every criterion's points" % (tid, b.get("score")))
    # Run again on the same file: the existing campaign served, with new links.
    port = free_port()
    proc = subprocess.Popen([os.path.join(ROOT, "scripts", "serve-sample.sh"), "--palmares", PALMARES, "--db", DB,
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    check(first.startswith("organizer: http://127.0.0.1:%d/login/" % port) and "existing campaign" in err,
          "run again on its file: the campaign kept, new links (%s)" % first.strip())


def scored(args):
    """The towns of `palmares score ARGS --format json`, by id."""
    import json
    p = subprocess.run([PALMARES, "score"] + args + ["--format", "json"], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "palmares score %s: exit 0 (%d)" % (os.path.basename(args[-1]), p.returncode))
    try:
        return {t["id"]: t for t in json.loads(p.stdout)["towns"]}
    except (ValueError, KeyError):
        return {}


def refusals():
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8") as f:
        f.write("town_id,town_name,email,population,region,department,type\n"
                "35238,Rennes,a@example.org,222485,Bretagne,35,commune\n"
                "97411,Saint-Denis,b@example.org,153810,La Réunion,974,commune\n")
    good = os.path.join(tmp, "good.json")
    bad = os.path.join(tmp, "bad.json")
    stranger = os.path.join(tmp, "stranger.json")
    with open(good, "w", encoding="utf-8") as f:
        f.write('[{"format":"palmares-dossier/1","rubric":"villes-internet-2027","town":{"id":"35238","name":"Rennes",'
                '"population":222485},"answers":{"site-rgaa":true,"consultations-en-ligne":4}}]')
    with open(bad, "w", encoding="utf-8") as f:
        f.write('[{"format":"palmares-dossier/1","rubric":"villes-internet-2027","town":{"id":"35238","name":"Rennes",'
                '"population":222485},"answers":{"consultations-en-ligne":"douze"}}]')
    with open(stranger, "w", encoding="utf-8") as f:
        f.write('[{"format":"palmares-dossier/1","rubric":"villes-internet-2027","town":{"id":"99999","name":"Nulle",'
                '"population":10},"answers":{"site-rgaa":true}}]')
    cases = [([bad], "douze", "a dossier the engine refuses"),
             ([stranger], "town 99999 \"Nulle\" is not in the campaign's towns file", "a town the towns file does not have"),
             ([good, good], "town 35238 has a dossier in another file", "a town in two files"),
             ([os.path.join(tmp, "missing.json")], "missing.json", "an unreadable file")]
    for files, needle, what in cases:
        db = os.path.join(tmp, "refused.db")
        args = [PALMARES, "campaign", "init", db, "--rubric", RUBRIC, "--towns", towns]
        for f in files:
            args += ["--dossiers", f]
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
        check(p.returncode == 2 and needle in p.stderr and not os.path.exists(db),
              "init --dossiers with %s: exit 2, said, no campaign (%d) %s" % (what, p.returncode, p.stderr.strip()[-300:]))
    db = os.path.join(tmp, "good.db")
    p = subprocess.run([PALMARES, "campaign", "init", db, "--rubric", RUBRIC, "--towns", towns, "--dossiers", good],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "init --dossiers with a good file: exit 0 (%d) %s" % (p.returncode, p.stderr))
    c = sqlite3.connect(db)
    got = dict(c.execute("SELECT criterion, value FROM answer WHERE town_id = '35238'").fetchall())
    phase = c.execute("SELECT count(*) FROM phase").fetchone()[0]
    c.close()
    check(got == {"site-rgaa": "true", "consultations-en-ligne": "4"}, "its answers stored as cells: %s" % got)
    check(phase == 0, "without --open-submission no phase is set")
    p = subprocess.run([PALMARES, "campaign", "links", db, "--dossiers", good], capture_output=True, text=True)
    check(p.returncode == 2, "--dossiers belongs to init only: exit 2 (%d)" % p.returncode)


if __name__ == "__main__":
    script()
    refusals()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all passed")
