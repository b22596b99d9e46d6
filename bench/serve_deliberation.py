#!/usr/bin/env python3
"""serve_deliberation.py — the organizer's deliberation page of `palmares serve` at national size.

    python3 bench/serve_deliberation.py [--palmares build/cli/palmares] [--towns 35000] [--runs 20]
        [--marks-per-dossier 5] [--work DIR] [--keep] [--reuse]

Generates a campaign with bench/gen_campaign.py (--json: 150 criteria, 20 of them jury criteria, 5
marks per applicable jury criterion from 60 jurors: about 2.2 million marks at 35,000 towns), creates
it with `palmares campaign init --jurors` (the jurors of the marks), and loads it into the campaign
file by SQL: every town's answers as a draft (as bench/serve_scores.py does), every mark into the
mark table and its (juror, town) pair into the assignment table, the deliberation phase. Then starts
`palmares serve` on loopback, logs in as the organizer and times:

  - the first GET /organizer/deliberation (it starts the scored campaign's build and waits 150 ms),
    and how long until the page shows the current figures and the borderline list (both built in
    the background: the scoring with the marks, then the borderline list on a private scoring);
  - the page again, --runs times (warm: one page of 100 rows, alpha, calibration, borderline);
  - sorted by flags (computed per request), by score, by level; the last page;
  - one dossier's page (every mark and comment of a town);
  - the server's memory (VmRSS now, VmHWM peak).

Times are wall-clock seconds seen by the client on loopback: server time plus the round trip, an
upper bound of the server's time. The target is 1 s of server time for the page.
"""
import argparse
import csv
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import serve_scores as ss  # noqa: E402  (get, stored_text, cpu, memory, free_port)

BASE = "http://127.0.0.1:1"


def make_campaign(args, work):
    gen = os.path.join(work, "gen")
    if not os.path.exists(os.path.join(gen, "marks.csv")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_campaign.py"), "--out", gen, "--towns",
                        str(args.towns), "--json", "--marks-per-dossier", str(args.marks_per_dossier)], check=True)
    db = os.path.join(work, "campaign.db")
    if args.reuse and os.path.exists(db):
        p = subprocess.run([args.palmares, "campaign", "links", db, "--base-url", BASE],
                           capture_output=True, text=True, check=True)
        login = [r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "organizer"][0]
        con = sqlite3.connect(db)
        n, nm = con.execute("SELECT (SELECT count(*) FROM town), (SELECT count(*) FROM mark)").fetchone()
        con.close()
        return db, login[len(BASE):], n, nm, os.path.getsize(db)
    if os.path.exists(db):
        os.remove(db)
    import json
    dossiers = []
    with open(os.path.join(gen, "dossiers.jsonl"), encoding="utf-8") as f:
        dossiers = [json.loads(line) for line in f if line.strip()]
    attrs = []
    for d in dossiers:
        attrs += [k for k in d["town"] if k not in ("id", "name") and k not in attrs]
    towns_csv, jurors_csv = os.path.join(work, "towns.csv"), os.path.join(work, "jurors.csv")
    seen = set()
    with open(towns_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name"] + attrs + ["email"])
        for d in dossiers:
            t = d["town"]
            if t["id"] not in seen:
                seen.add(t["id"])
                w.writerow([t["id"], t["name"]] + [t.get(k, "") for k in attrs] + ["m@example.org"])
    with open(os.path.join(gen, "marks.csv"), encoding="utf-8") as f:
        marks = [(r["juror"], r["town_id"], r["criterion"], r["mark"], r["comment"]) for r in csv.DictReader(f)]
    jurors = sorted({m[0] for m in marks})
    with open(jurors_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["juror", "name", "email"])
        for j in jurors:
            w.writerow([j, j, j + "@example.org"])
    p = subprocess.run([args.palmares, "campaign", "init", db, "--rubric", os.path.join(gen, "rubric.json"),
                        "--towns", towns_csv, "--jurors", jurors_csv, "--base-url", BASE],
                       capture_output=True, text=True, check=True)
    login = p.stdout.strip().splitlines()[-1][len(BASE):]
    con = sqlite3.connect(db)
    with con:
        rows = []
        for d in dossiers:
            tid = d["town"]["id"]
            # a null answer is an unanswered one: no row (stored_text() would store "None")
            rows += [(tid, cid, ss.stored_text(v)) for cid, v in d.get("answers", {}).items() if v is not None]
            rows += [(tid, cid + ".evidence", ss.stored_text(v)) for cid, v in d.get("evidence", {}).items()]
        con.executemany("INSERT OR REPLACE INTO answer (town_id, criterion, value, revision, updated_at)"
                        " VALUES (?, ?, ?, 1, 0)", rows)
        con.execute("UPDATE dossier SET state = 'draft', revision = 1")
        con.executemany("INSERT OR IGNORE INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 1)",
                        sorted({(m[0], m[1]) for m in marks}))
        con.executemany("INSERT OR REPLACE INTO mark (juror_id, town_id, criterion, value, comment, revision,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)", marks)
        con.execute("DELETE FROM phase")
        con.executemany("INSERT INTO phase (phase, starts_at) VALUES (?, ?)",
                        [("submission", 1), ("marking", 2), ("deliberation", 3)])
    con.close()
    return db, login, len(seen), len(marks), os.path.getsize(db)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--palmares", default="build/cli/palmares")
    ap.add_argument("--towns", type=int, default=35000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--marks-per-dossier", type=int, default=5,
                    help="marks per applicable jury criterion (5: about 2 million marks at 35,000 towns)")
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="use the campaign file of --work as it is")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="palmares-deliberation-bench-")
    os.makedirs(work, exist_ok=True)
    t0 = time.perf_counter()
    db, login, ntowns, nmarks, size = make_campaign(args, work)
    print("campaign: %d towns, %d marks, %.0f MB file (made in %.0f s)" %
          (ntowns, nmarks, size / 1e6, time.perf_counter() - t0))
    port = ss.free_port()
    server = subprocess.Popen([args.palmares, "serve", db, "--listen", "127.0.0.1:%d" % port],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        st, _, page, _ = ss.get(port, login)
        token = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', page).group(1).decode()
        st, h, _, _ = ss.get(port, login, method="POST", body="csrf=" + token,
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Origin": "http://127.0.0.1:%d" % port})
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h["set-cookie"]).group(1)

        def timed(path, runs):
            times = []
            for _ in range(runs):
                st, _, body, dt = ss.get(port, path, cookie)
                assert st == 200, (path, st)
                times.append(dt)
            return times, body

        def ready(body):
            return b'data-current="1"' in body and b'id="borderline-pending"' not in body

        t0, c0 = time.perf_counter(), ss.cpu(server.pid)
        cold, body = timed("/organizer/deliberation", 1)
        print("first /organizer/deliberation (builds started)   %8.1f ms (%d bytes)" % (cold[0] * 1e3, len(body)))
        while not ready(body):
            time.sleep(0.5)
            _, body = timed("/organizer/deliberation", 1)
        print("figures and borderline list current after        %8.1f s, server CPU %.1f s" %
              (time.perf_counter() - t0, ss.cpu(server.pid) - c0))
        more = re.search(rb'id="borderline-more">(\d+)', body)
        n = int(more.group(1)) if more else len(re.findall(rb'<li data-town=', body))
        print("borderline dossiers: %d; alpha rows: %d; juror rows: %d" %
              (n, len(re.findall(rb'<tr data-criterion=', body)), len(re.findall(rb'<tr data-juror=', body))))
        for label, path in (("warm  page 1, by town", "/organizer/deliberation"),
                            ("sorted by flags (per request)", "/organizer/deliberation?sort=flags&dir=desc"),
                            ("sorted by score", "/organizer/deliberation?sort=score&dir=desc"),
                            ("sorted by level", "/organizer/deliberation?sort=level"),
                            ("last page", "/organizer/deliberation?page=1000000")):
            times, body = timed(path, args.runs)
            print("%-34s median %8.1f ms  max %8.1f ms  (%d bytes)" %
                  (label, statistics.median(times) * 1e3, max(times) * 1e3, len(body)))
        town = re.search(rb'<tr data-town="([^"]+)"', body).group(1).decode()
        times, body = timed("/organizer/deliberation/" + town, args.runs)
        print("%-34s median %8.1f ms  max %8.1f ms  (%d bytes)" %
              ("one dossier's page", statistics.median(times) * 1e3, max(times) * 1e3, len(body)))
        mem = ss.memory(server.pid)
        print("server memory: %.0f MB RSS now, %.0f MB peak (VmHWM)" % (mem["VmRSS"], mem["VmHWM"]))
    finally:
        server.terminate()
        server.wait(timeout=120)
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
