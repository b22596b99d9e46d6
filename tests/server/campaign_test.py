#!/usr/bin/env python3
"""`palmares campaign export` and `palmares campaign backup` (docs/web.md).

Parity: a campaign made by `campaign init` from the towns of
examples/dossiers.json, every town's answers typed through the web (POST
/dossier as each town, as a person fills the form), exported, then scored by
`palmares score`: the results must be those of `palmares score` on
examples/dossiers.json itself (scores, levels, mentions, every criterion's
points), with and without the sample's jury marks. With a jury put straight
into the campaign file (jurors, assignments, a recusal, marks with a refused
one and a comment holding a comma, a quote and a line break, a draft, an
override), the export's six files scored by `palmares score` write the
server's live results.json byte for byte.
Export refuses what it must not touch: a missing or foreign database, a
folder holding a file palmares did not write (left as it was), an exported
file edited since; it writes again over its own export.
Backup: refuses an existing OUT.db without --force; taken while the server
saves in a burst, the copy passes integrity_check, opens as a campaign and
holds every save acknowledged before the backup started.
Usage: campaign_test.py PALMARES SOURCE_ROOT
"""
import csv
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
DOSSIERS = os.path.join(ROOT, "examples", "dossiers.json")
tmp = tempfile.mkdtemp(prefix="palmares-campaign-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def run(*args, timeout=120):
    return subprocess.run([PALMARES] + list(args), capture_output=True, text=True, timeout=timeout)


def req(method, path, body=None, cookie=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    return request(PORT, method, path, body, cookie, h, timeout=60)


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def shown_fields(page):
    import html
    return [(n, html.unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="(revision|o\.[^"]+|oe\.[^"]+)" value="([^"]*)"', page)]


def typed(value):
    """An answer of a dossier file as a person types it in the form: the form's fields."""
    if value is True:
        return ["true"]
    if value is False:
        return ["false"]
    if isinstance(value, list):
        return [str(v) for v in value]  # one ticked box each; [] ticks none
    if isinstance(value, float) and value == int(value):
        return [str(int(value))]
    return [str(value)]


def setup():
    with open(DOSSIERS, encoding="utf-8") as f:
        dossiers = json.load(f)
    attrs = []
    for d in dossiers:
        attrs += [k for k in d["town"] if k not in ("id", "name") and k not in attrs]
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name", "email"] + attrs)
        for d in dossiers:
            t = d["town"]
            w.writerow([t["id"], t["name"], "mairie-%s@example.org" % t["id"]] + [t.get(a, "") for a in attrs])
    p = run("campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--base-url", ORIGIN)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
    db.commit()
    db.close()
    p = run("campaign", "links", DB, "--base-url", ORIGIN)
    rows = list(csv.DictReader(p.stdout.splitlines()))
    links = {r["id"]: r["link"][len(ORIGIN):] for r in rows if r["role"] == "town"}
    links["organizer"] = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "organizer")
    return dossiers, links


def fill(dossiers, links):
    """Every town types its dossier's answers and evidence links into its form and saves."""
    with open(RUBRIC, encoding="utf-8") as f:
        kinds = {c["id"]: c["kind"] for cat in json.load(f)["categories"] for c in cat["criteria"]}
    for d in dossiers:
        town = login(links[d["town"]["id"]])
        st, _, page = req("GET", "/dossier", cookie=town)
        body = shown_fields(page) + [("csrf", csrf_of(page) or "")]
        for cid, v in d["answers"].items():
            if v == "n/a":
                body.append(("na." + cid, "n/a"))
            elif kinds[cid] != "jury":
                body += [("a." + cid, x) for x in typed(v)]
        for cid, link in d.get("evidence", {}).items():
            body.append(("e." + cid, link))
        st, _, saved = req("POST", "/dossier", urllib.parse.urlencode(body), cookie=town)
        check(st == 200 and 'id="saved"' in saved, "town %s's answers saved through the web (%d)" %
              (d["town"]["id"], st))


def results(*args):
    p = run("score", *args, "--format", "json")
    check(p.returncode == 0, "palmares score %s exits 0 (%d): %s" % (" ".join(args)[-80:], p.returncode,
                                                                     p.stderr[-500:]))
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {}


def comparable(r):
    """The results without what names the input files: the towns by id."""
    towns = {}
    for t in r.get("towns", []):
        t = dict(t)
        t.pop("source", None)
        # a warning starts with the file, line and column of the dossier it is about
        t["warnings"] = [re.sub(r"^.*?:\d+:\d+: ", "", w) for w in t.get("warnings", [])]
        towns[t["id"]] = t
    return towns, r.get("summary"), r.get("jury"), r.get("rubric")


def server_parity(out, organizer, jury=False):
    """The issue's parity: palmares score on the export writes the server's own results, byte for byte.
    With the jury, the export's assignments too, and one refused mark makes the exit status 1.
    organizer: the organizer's session (the invitation link works once)."""
    st, _, text = req("GET", "/organizer/results.json", cookie=organizer)
    served = text.encode("utf-8")
    check(st == 200, "the organizer downloads the live results.json (%s)" % st)
    args = ["--assignments", "assignments.csv"] if jury else []
    p = subprocess.run([PALMARES, "score", "rubric.json", "dossiers.jsonl", *args, "--marks", "marks.csv",
                        "--overrides", "overrides.csv", "-o", os.path.join(tmp, "cli-results.json")],
                       cwd=out, capture_output=True, timeout=120)
    check(p.returncode == (1 if jury else 0), "palmares score on the export: exit %d (%d) %s" %
          (1 if jury else 0, p.returncode, p.stderr[-300:]))
    with open(os.path.join(tmp, "cli-results.json"), "rb") as f:
        mine = f.read()
    check(mine == served, "palmares score on the export writes the server's results.json byte for byte "
          "(%d and %d bytes)" % (len(mine), len(served or b"")))
    return served.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


REFUSED = "beaucoup"  # a mark the engine refuses: exported as typed, its message in both results
COMMENT = 'Bien, "très" bien\nsur deux lignes'  # a comma, a quote and a line break


def fill_jury(dossiers):
    """The jury straight into the campaign file (the pages that fill it are others'): the sample's
    jurors, an assignment for each of the sample's marks on these towns, those marks, a refused mark,
    a comment with a comma, a quote and a line break, a draft (a comment, no value: not exported), a recusal
    (its pair no longer assigned, its mark refused), and an override with its reason."""
    ids = {d["town"]["id"] for d in dossiers}
    with open(os.path.join(ROOT, "examples", "marks.csv"), encoding="utf-8", newline="") as f:
        marks = [r for r in csv.DictReader(f) if r["town_id"] in ids]
    with open(os.path.join(ROOT, "examples", "jurors.csv"), encoding="utf-8", newline="") as f:
        jurors = list(csv.DictReader(f))
    db = sqlite3.connect(DB, timeout=10)
    for j in jurors:
        cur = db.execute("INSERT INTO person (role, name, email) VALUES ('juror', ?, ?)", (j["name"], j["email"]))
        db.execute("INSERT INTO juror (person_id, juror_id, town_id, region, conflicts) VALUES (?, ?, ?, ?, ?)",
                   (cur.lastrowid, j["juror"], j["town_id"], j["region"], j["conflicts"]))
    pairs = sorted({(m["juror"], m["town_id"]) for m in marks})
    db.executemany("INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 0)", pairs)
    for m in marks:
        db.execute("INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, 1, 0)", (m["juror"], m["town_id"], m["criterion"], m["mark"], m["comment"]))
    first, second = marks[0], next(m for m in marks if (m["juror"], m["town_id"]) != (marks[0]["juror"], marks[0]["town_id"]))
    db.execute("UPDATE mark SET value = ? WHERE juror_id = ? AND town_id = ? AND criterion = ?",
               (REFUSED, first["juror"], first["town_id"], first["criterion"]))
    db.execute("UPDATE mark SET comment = ? WHERE juror_id = ? AND town_id = ? AND criterion = ? ",
               (COMMENT, second["juror"], second["town_id"], second["criterion"]))
    recused = pairs[-1]
    d = next(m for m in marks[1:] if m is not second and (m["juror"], m["town_id"]) != recused)
    draft = (d["juror"], d["town_id"], d["criterion"])
    db.execute("UPDATE mark SET value = '', comment = 'half-written' WHERE juror_id = ? AND town_id = ?"
               " AND criterion = ?", draft)
    db.execute("INSERT INTO recusal (juror_id, town_id, reason, at) VALUES (?, ?, 'a cousin on the council', 0)",
               recused)
    # a town whose marks are all there (an override of a pending dossier is ignored)
    town = next(t for t in sorted(ids) if t not in (first["town_id"], d["town_id"], recused[1]))
    db.execute("INSERT INTO override (town_id, level, reason, at) VALUES (?, '1', 'Jury: exemplary mediation', 0)",
               (town,))
    # every change moves the campaign's version (the audit log): the scores are built again
    db.execute("INSERT INTO audit (at, what, subject) VALUES (0, 'test-jury', '')")
    db.commit()
    db.close()
    return {"pairs": pairs, "recused": recused, "draft": draft, "first": first, "marks": marks,
            "jurors": jurors, "town": town}


def jury_export(dossiers, organizer):
    """The export and the live results with the jury: the same, byte for byte, marks included."""
    j = fill_jury(dossiers)
    out = os.path.join(tmp, "export-jury")
    p = run("campaign", "export", DB, "-o", out)
    check(p.returncode == 0, "campaign export with a jury: exit 0 (%d) %s" % (p.returncode, p.stderr))
    files = ["rubric.json", "dossiers.jsonl", "marks.csv", "overrides.csv", "assignments.csv", "jurors.csv"]
    check(sorted(os.listdir(out)) == sorted(files + [".palmares-export"]),
          "the export holds %s and its manifest (%s)" % (files, sorted(os.listdir(out))))

    def rows(name):
        with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
            return list(csv.reader(f))
    m = rows("marks.csv")
    check(m[0] == ["juror", "town_id", "criterion", "mark", "comment"] and len(m) == len(j["marks"]),
          "marks.csv: the header and every mark with a value, the draft left out (%d rows)" % len(m))
    f = j["first"]
    check([f["juror"], f["town_id"], f["criterion"], REFUSED] in [r[:4] for r in m],
          "marks.csv: the refused mark as typed")
    check(any(r[4] == COMMENT for r in m), "marks.csv: the comment with a comma, a quote and a line break, whole")
    check(not any(tuple(r[:3]) == j["draft"] for r in m), "marks.csv: no row for a mark without a value")
    a = rows("assignments.csv")
    check(a[0] == ["juror", "town_id"] and [tuple(r) for r in a[1:]] == [p for p in j["pairs"] if p != j["recused"]],
          "assignments.csv: every assignment but the recused one, by juror then town (%s)" % a[1:4])
    jr = rows("jurors.csv")
    by_id = {r[0]: r for r in jr[1:]}
    check(jr[0] == ["juror", "name", "email", "town_id", "region", "conflicts"] and
          sorted(by_id) == sorted(x["juror"] for x in j["jurors"]),
          "jurors.csv: the header and every juror")
    rj, rt = j["recused"]
    check(rt in by_id.get(rj, [""] * 6)[5].split("|"), "jurors.csv: the recusal among the juror's conflicts (%s)" %
          by_id.get(rj))
    check(rows("overrides.csv") == [["town_id", "level", "reason"], [j["town"], "1", "Jury: exemplary mediation"]],
          "overrides.csv: the override with its reason")
    served, stderr = server_parity(out, organizer, jury=True)
    try:
        res = json.loads(served)
    except ValueError:
        res = {}
    towns = {t["id"]: t for t in res.get("towns", [])}
    given = [mk for t in towns.values() for c in t.get("criteria", []) for mk in c.get("marks", [])]
    check(len(given) >= len(j["marks"]) // 2, "the live results hold the jury's marks (%d)" % len(given))
    check(any(mk.get("comment") == COMMENT.replace("\n", " ") for mk in given),
          "the live results hold the comment (its line break a space, as the engine cleans it)")
    check((towns.get(j["town"], {}).get("override") or {}).get("reason") == "Jury: exemplary mediation",
          "the live results hold the override and its reason (%s)" %
          {t: (v.get("status"), v.get("override")) for t, v in towns.items()})
    warnings = " ".join(w for t in towns.values() for w in t.get("warnings", []))
    check("marks.csv:" in warnings and REFUSED in warnings and "is not assigned to town %s" % rt in warnings,
          "the live results name the refused mark and the recused juror's mark, at their line of marks.csv")
    check(REFUSED in stderr, "palmares score names the refused mark too")


def parity(dossiers, out):
    ids = {d["town"]["id"] for d in dossiers}
    files = ["rubric.json", "dossiers.jsonl", "marks.csv", "overrides.csv", "assignments.csv", "jurors.csv"]
    check(sorted(os.listdir(out)) == sorted(files + [".palmares-export"]),
          "the export holds %s and its manifest (%s)" % (files, sorted(os.listdir(out))))
    with open(os.path.join(out, "rubric.json"), "rb") as f, open(RUBRIC, "rb") as g:
        check(f.read() == g.read(), "rubric.json is the rubric as stored, byte for byte")
    with open(os.path.join(out, "marks.csv"), encoding="utf-8") as f:
        check(f.read() == "juror,town_id,criterion,mark,comment\n", "marks.csv: the header only (no jury yet)")
    with open(os.path.join(out, "overrides.csv"), encoding="utf-8") as f:
        check(f.read() == "town_id,level,reason\n", "overrides.csv: the header only")
    with open(os.path.join(out, "assignments.csv"), encoding="utf-8") as f:
        check(f.read() == "juror,town_id\n", "assignments.csv: the header only (nothing assigned)")
    with open(os.path.join(out, "jurors.csv"), encoding="utf-8") as f:
        check(f.read() == "juror,name,email,town_id,region,conflicts\n", "jurors.csv: the header only")
    exported = [os.path.join(out, f) for f in ("rubric.json", "dossiers.jsonl")]
    side = ["--marks", os.path.join(out, "marks.csv"), "--overrides", os.path.join(out, "overrides.csv")]
    mine = comparable(results(*exported, *side))
    theirs = comparable(results(RUBRIC, DOSSIERS))
    check(set(mine[0]) == ids, "every town is in the export's results")
    for tid in sorted(ids):
        a, b = mine[0].get(tid, {}), theirs[0].get(tid, {})
        check(all(a.get(k) == b.get(k) for k in ("score", "categories", "level", "mentions", "status")) and
              [c.get("points") for c in a.get("criteria", [])] == [c.get("points") for c in b.get("criteria", [])],
              "town %s: the same score, categories and points per criterion as from dossiers.json" % tid)
    # A multi answered with no option ticked ([] in dossiers.json) is, on the form as in a CSV
    # dossier, a multi left unanswered: the same points, but "unanswered" noted. Everything
    # else must be identical: compared with the same dossiers without those empty answers.
    with open(DOSSIERS, encoding="utf-8") as f:
        ref = json.load(f)
    for d in ref:
        d["answers"] = {k: v for k, v in d["answers"].items() if v != []}
    reference = os.path.join(tmp, "reference.json")
    with open(reference, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False)
    theirs = comparable(results(RUBRIC, reference))
    for tid in sorted(ids):
        a, b = mine[0].get(tid), theirs[0].get(tid)
        diff = [k for k in set(a or {}) | set(b or {}) if (a or {}).get(k) != (b or {}).get(k)]
        check(a == b, "town %s: the same results from the export as from dossiers.json (differs: %s)" % (tid, diff))
    check(mine[1:] == theirs[1:], "the same summary, jury and rubric blocks")
    # With the sample's jury marks for these towns, levels and mentions come into play.
    marks = os.path.join(tmp, "marks-5.csv")
    with open(os.path.join(ROOT, "examples", "marks.csv"), encoding="utf-8", newline="") as f, \
            open(marks, "w", encoding="utf-8", newline="") as g:
        rows = list(csv.reader(f))
        w = csv.writer(g)
        w.writerow(rows[0])
        w.writerows(r for r in rows[1:] if r[1] in ids)
    mine = comparable(results(*exported, *side, "--marks", marks))
    theirs = comparable(results(RUBRIC, reference, "--marks", marks))
    levels = [t.get("level") for t in theirs[0].values()]
    check(any(lv for lv in levels), "with marks, towns get levels (%s)" % levels)
    for tid in sorted(ids):
        a, b = mine[0].get(tid, {}), theirs[0].get(tid, {})
        same = all(a.get(k) == b.get(k) for k in ("score", "level", "computed_level", "mentions", "rank"))
        check(same and a == b, "town %s with marks: score %s, level %s, mentions %s, every criterion the same" %
              (tid, a.get("score"), a.get("level"), a.get("mentions")))


def export_refusals(out):
    p = run("campaign", "export", os.path.join(tmp, "missing.db"), "-o", os.path.join(tmp, "x"))
    check(p.returncode == 2 and "missing.db" in p.stderr and not os.path.exists(os.path.join(tmp, "missing.db")),
          "export of a missing file: exit 2, said, nothing created (%d) %s" % (p.returncode, p.stderr.strip()))
    foreign = os.path.join(tmp, "foreign.db")
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    p = run("campaign", "export", foreign, "-o", os.path.join(tmp, "y"))
    check(p.returncode == 2 and "not a campaign" in p.stderr and not os.path.exists(os.path.join(tmp, "y")),
          "export of a SQLite file without a campaign: exit 2 (%d) %s" % (p.returncode, p.stderr.strip()))
    # Nothing may add a campaign's tables to someone else's database.
    with open(foreign, "rb") as f:
        before = f.read()
    for args in (["campaign", "links", foreign], ["serve", foreign, "--listen", "127.0.0.1:%d" % free_port()],
                 ["campaign", "backup", foreign, os.path.join(tmp, "foreign-copy.db")]):
        p = run(*args, timeout=30)
        with open(foreign, "rb") as f:
            same = f.read() == before
        check(p.returncode == 2 and "not a campaign" in p.stderr and same,
              "palmares %s on a SQLite file without a campaign: exit 2, the file unchanged (%d) %s" %
              (" ".join(args[:2]), p.returncode, p.stderr.strip()[-200:]))
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w") as f:
        f.write("not a database\n" * 100)
    p = run("campaign", "export", text, "-o", os.path.join(tmp, "z"))
    check(p.returncode == 2 and "notes.txt" in p.stderr, "export of a text file: exit 2 (%d)" % p.returncode)
    p = run("campaign", "export", DB)
    check(p.returncode == 2 and "-o" in p.stderr, "export without -o: exit 2 (%d)" % p.returncode)

    # A folder with someone's file: refused, the file untouched, nothing written.
    mixed = os.path.join(tmp, "mixed")
    os.mkdir(mixed)
    with open(os.path.join(mixed, "marks.csv"), "w") as f:
        f.write("the jury's own marks\n")
    p = run("campaign", "export", DB, "-o", mixed)
    with open(os.path.join(mixed, "marks.csv")) as f:
        kept = f.read() == "the jury's own marks\n"
    check(p.returncode == 2 and "marks.csv" in p.stderr and kept and os.listdir(mixed) == ["marks.csv"],
          "a folder holding a file palmares did not write: exit 2, the file kept (%d) %s" %
          (p.returncode, p.stderr.strip()))
    other = os.path.join(tmp, "other")
    os.mkdir(other)
    open(os.path.join(other, "notes.odt"), "w").close()
    p = run("campaign", "export", DB, "-o", other)
    check(p.returncode == 2 and "notes.odt" in p.stderr and os.listdir(other) == ["notes.odt"],
          "a folder holding any other file: exit 2, nothing written (%d)" % p.returncode)
    # Its own export: written again. One of its files edited since: refused, kept.
    p = run("campaign", "export", DB, "-o", out)
    check(p.returncode == 0, "export again into its own export folder: exit 0 (%d) %s" % (p.returncode, p.stderr))
    with open(os.path.join(out, "overrides.csv"), "a") as f:
        f.write("97411,@@@,typed by hand\n")
    p = run("campaign", "export", DB, "-o", out)
    with open(os.path.join(out, "overrides.csv")) as f:
        kept = "typed by hand" in f.read()
    check(p.returncode == 2 and "overrides.csv" in p.stderr and kept,
          "an exported file edited since: exit 2, the edit kept (%d) %s" % (p.returncode, p.stderr.strip()))
    # A folder that cannot be written.
    if os.geteuid() != 0:
        ro = os.path.join(tmp, "readonly")
        os.mkdir(ro)
        os.chmod(ro, stat.S_IRUSR | stat.S_IXUSR)
        p = run("campaign", "export", DB, "-o", ro)
        check(p.returncode == 2 and "readonly" in p.stderr, "an unwritable folder: exit 2 (%d) %s" %
              (p.returncode, p.stderr.strip()))
        os.chmod(ro, stat.S_IRWXU)
    p = run("campaign", "export", DB, "-o", os.path.join(tmp, "no", "such", "parent"))
    check(p.returncode == 2, "a folder whose parent is missing: exit 2 (%d)" % p.returncode)


def backup_burst(dossiers):
    """Saves in a burst from 4 towns; a backup in the middle holds every save acknowledged before it."""
    out = os.path.join(tmp, "backup.db")
    p = run("campaign", "links", DB, "--base-url", ORIGIN)
    links = {r["id"]: r["link"][len(ORIGIN):] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town"}
    acked = {}
    stop = threading.Event()
    lock = threading.Lock()

    def saver(tid):
        town = login(links[tid])
        st, _, page = req("GET", "/dossier", cookie=town)
        n = 0
        while not stop.is_set() and n < 2000:
            n += 1
            body = shown_fields(page) + [("csrf", csrf_of(page) or ""), ("a.consultations-en-ligne", str(1000 + n))]
            st, _, page = req("POST", "/dossier", urllib.parse.urlencode(body), cookie=town)
            if st == 200 and 'id="saved"' in page:
                with lock:
                    acked[tid] = 1000 + n
    threads = [threading.Thread(target=saver, args=(d["town"]["id"],)) for d in dossiers[:4]]
    for t in threads:
        t.start()
    while True:
        with lock:
            if len(acked) == len(threads) and min(acked.values()) >= 1005:
                break
        time.sleep(0.05)
    with lock:
        before = dict(acked)
    p = run("campaign", "backup", DB, out)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    check(p.returncode == 0 and os.path.isfile(out), "campaign backup during the burst: exit 0 (%d) %s" %
          (p.returncode, p.stderr.strip()))
    check(not os.path.exists(out + ".partial"), "no .partial file left")
    db = sqlite3.connect(out)
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "the backup passes PRAGMA integrity_check")
    got = dict(db.execute("SELECT town_id, CAST(value AS INTEGER) FROM answer WHERE criterion = "
                          "'consultations-en-ligne'").fetchall())
    db.close()
    lost = {t: (v, got.get(t)) for t, v in before.items() if (got.get(t) or 0) < v}
    check(not lost, "every save acknowledged before the backup is in it (lost: %s, saves: %s)" % (lost, acked))
    p = run("campaign", "links", out)
    roles = [r["role"] for r in csv.DictReader(p.stdout.splitlines())] if p.returncode == 0 else []
    check(roles.count("town") == len(dossiers) and roles.count("organizer") == 1,
          "the backup opens as a campaign (campaign links works on it: %s)" % roles)
    p = run("campaign", "export", out, "-o", os.path.join(tmp, "from-backup"))
    check(p.returncode == 0, "the backup exports (%d) %s" % (p.returncode, p.stderr.strip()))
    return out


def backup_refusals(out):
    with open(out, "rb") as f:
        before = f.read()
    p = run("campaign", "backup", DB, out)
    with open(out, "rb") as f:
        kept = f.read() == before
    check(p.returncode == 2 and "--force" in p.stderr and kept,
          "backup onto an existing file: exit 2, says --force, the file kept (%d) %s" % (p.returncode, p.stderr.strip()))
    p = run("campaign", "backup", DB, out, "--force")
    check(p.returncode == 0, "backup --force replaces it (%d) %s" % (p.returncode, p.stderr.strip()))
    p = run("campaign", "backup", os.path.join(tmp, "missing.db"), os.path.join(tmp, "b2.db"))
    check(p.returncode == 2 and not os.path.exists(os.path.join(tmp, "b2.db")) and
          not os.path.exists(os.path.join(tmp, "missing.db")),
          "backup of a missing file: exit 2, nothing created (%d)" % p.returncode)
    p = run("campaign", "backup", DB, os.path.join(tmp, "no", "dir", "b.db"))
    check(p.returncode == 2, "backup into a missing folder: exit 2 (%d) %s" % (p.returncode, p.stderr.strip()))
    p = run("campaign", "backup", DB, DB, "--force")
    check(p.returncode == 2 and "same" in p.stderr, "backup onto itself: exit 2 (%d) %s" %
          (p.returncode, p.stderr.strip()))


def main():
    dossiers, links = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        fill(dossiers, links)
        out = os.path.join(tmp, "export")
        p = run("campaign", "export", DB, "-o", out)
        check(p.returncode == 0, "campaign export while the server runs: exit 0 (%d) %s" % (p.returncode, p.stderr))
        parity(dossiers, out)
        organizer = login(links["organizer"])
        server_parity(out, organizer)
        export_refusals(out)
        jury_export(dossiers, organizer)
        backup = backup_burst(dossiers)
        backup_refusals(backup)
    finally:
        stop_server(server, timeout=20)


if __name__ == "__main__":
    main()
    finish()
