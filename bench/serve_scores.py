#!/usr/bin/env python3
"""serve_scores.py — the organizer's live table of `palmares serve` at national size.

    python3 bench/serve_scores.py [--palmares build-rel/cli/palmares] [--towns 35000] [--runs 20]
        [--work DIR] [--keep] [--reuse]

Generates a campaign with bench/gen_campaign.py (--json: 150 criteria, 20 of them jury criteria,
realistic answers), creates it with `palmares campaign init`, stores every town's answers as a
draft straight into the campaign file (as the dossier form stores them: the typed text by
criterion, "ID.evidence" for the evidence; the store's own code path is measured by the save
benchmark, not here), starts `palmares serve` on loopback, logs in as the organizer and times:

  - the first GET /organizer/scores (it starts the build of the scored campaign in the
    background, waits 150 ms for it, then answers "being computed"), and how long until the
    table shows figures (the whole campaign read from the store and scored);
  - the same page again, --runs times (warm: the cached scored campaign, one page of rows);
  - sorted by score, descending (the first sort of a scored campaign, then warm);
  - the last page;
  - after a change to the campaign (an audit line appended, as every save appends one): the
    table at once (the previous figures, said so), and how long until it shows the current ones
    (the background rebuild);
  - the server's memory: VmRSS after the runs and VmHWM (peak) from /proc/PID/status.

Times are wall-clock seconds seen by the client on loopback (server time plus the HTTP round
trip, so an upper bound of the server's time).
"""
import argparse
import csv
import http.client
import json
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


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path, cookie=None, method="GET", body=None, headers=None):
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = "palmares_session=" + cookie
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    dt = time.perf_counter() - t0
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data, dt


def stored_text(v):
    """A dossier file's JSON answer as the form stores it (typed text)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, list):
        return "|".join(str(x) for x in v)
    return str(v)


def make_campaign(args, work):
    gen = os.path.join(work, "gen")
    if not os.path.exists(os.path.join(gen, "dossiers.jsonl")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_campaign.py"), "--out", gen, "--towns",
                        str(args.towns), "--json"], check=True)
    db = os.path.join(work, "campaign.db")
    if args.reuse and os.path.exists(db):
        p = subprocess.run([args.palmares, "campaign", "links", db, "--base-url", "http://127.0.0.1:1"],
                           capture_output=True, text=True, check=True)
        login = [r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "organizer"][0]
        con = sqlite3.connect(db)
        n, na = con.execute("SELECT (SELECT count(*) FROM town), (SELECT count(*) FROM answer)").fetchone()
        con.close()
        return db, login[len("http://127.0.0.1:1"):], n, na, os.path.getsize(db)
    if os.path.exists(db):
        os.remove(db)
    towns_csv = os.path.join(work, "towns.csv")
    dossiers = []
    with open(os.path.join(gen, "dossiers.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                dossiers.append(json.loads(line))
    seen, attrs_cols = set(), []
    for d in dossiers:
        for k in d["town"]:
            if k not in ("id", "name") and k not in attrs_cols:
                attrs_cols.append(k)
    with open(towns_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name"] + attrs_cols + ["email"])
        for d in dossiers:
            t = d["town"]
            if t["id"] in seen:  # --twins copies answers, never ids; a guard all the same
                continue
            seen.add(t["id"])
            w.writerow([t["id"], t["name"]] + [t.get(k, "") for k in attrs_cols] + ["m@example.org"])
    p = subprocess.run([args.palmares, "campaign", "init", db, "--rubric", os.path.join(gen, "rubric.json"),
                        "--towns", towns_csv, "--base-url", "http://127.0.0.1:1"],
                       capture_output=True, text=True, check=True)
    login = p.stdout.strip().splitlines()[-1][len("http://127.0.0.1:1"):]
    con = sqlite3.connect(db)
    with con:
        rows = []
        for d in dossiers:
            tid = d["town"]["id"]
            for cid, v in d.get("answers", {}).items():
                rows.append((tid, cid, stored_text(v)))
            for cid, v in d.get("evidence", {}).items():
                rows.append((tid, cid + ".evidence", stored_text(v)))
        con.executemany("INSERT OR REPLACE INTO answer (town_id, criterion, value, revision, updated_at)"
                        " VALUES (?, ?, ?, 1, 0)", rows)
        con.execute("UPDATE dossier SET state = 'draft', revision = 1")
    con.close()
    size = os.path.getsize(db)
    return db, login, len(seen), len(rows), size


def cpu(pid):
    """User + system CPU seconds of the process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--palmares", default="build-rel/cli/palmares")
    ap.add_argument("--towns", type=int, default=35000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="use the campaign file of --work as it is")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="palmares-serve-bench-")
    os.makedirs(work, exist_ok=True)
    t0 = time.perf_counter()
    db, login, ntowns, nanswers, size = make_campaign(args, work)
    print("campaign: %d towns, %d stored answers, %.0f MB file (made in %.0f s)" %
          (ntowns, nanswers, size / 1e6, time.perf_counter() - t0))
    port = free_port()
    server = subprocess.Popen([args.palmares, "serve", db, "--listen", "127.0.0.1:%d" % port],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        st, _, page, _ = get(port, login)
        token = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', page).group(1).decode()
        st, h, _, _ = get(port, login, method="POST", body="csrf=" + token,
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Origin": "http://127.0.0.1:%d" % port})
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h["set-cookie"]).group(1)
        print("server memory after start and login: %.0f MB RSS" % memory(server.pid)["VmRSS"])

        def timed(path, runs):
            times = []
            for _ in range(runs):
                st, _, body, dt = get(port, path, cookie)
                assert st == 200, (path, st)
                times.append(dt)
            return times, len(body)

        def until_current(t0, c0):
            while True:
                st, _, body, _ = get(port, "/organizer/scores", cookie)
                if b'data-current="1"' in body:
                    return time.perf_counter() - t0, cpu(server.pid) - c0
                time.sleep(0.5)

        t0, c0 = time.perf_counter(), cpu(server.pid)
        cold, n = timed("/organizer/scores", 1)
        print("first /organizer/scores (build started)      %7.1f ms  (%d bytes)" % (cold[0] * 1e3, n))
        wall, used = until_current(t0, c0)
        print("first figures after                          %7.1f s, server CPU %.1f s" % (wall, used))
        warm, n = timed("/organizer/scores", args.runs)
        print("warm  /organizer/scores           median %7.1f ms  max %7.1f ms" %
              (statistics.median(warm) * 1e3, max(warm) * 1e3))
        first, _ = timed("/organizer/scores?sort=score&dir=desc", 1)
        again, _ = timed("/organizer/scores?sort=score&dir=desc", args.runs)
        print("sort  by score (first, then)             %7.1f ms  median %7.1f ms" %
              (first[0] * 1e3, statistics.median(again) * 1e3))
        last, _ = timed("/organizer/scores?sort=name&page=%d" % 10**6, args.runs)
        print("last page, by name                median %7.1f ms" % (statistics.median(last) * 1e3))
        con = sqlite3.connect(db, timeout=30)
        with con:
            con.execute("INSERT INTO audit (at, what) VALUES (1, 'bench')")
        con.close()
        t0, c0 = time.perf_counter(), cpu(server.pid)
        stale, _ = timed("/organizer/scores", 1)
        print("after a change: the table (previous figures) %7.1f ms" % (stale[0] * 1e3))
        wall, used = until_current(t0, c0)
        print("after a change: current figures after       %7.1f s (the background rebuild), server CPU %.1f s" %
              (wall, used))
        mem = memory(server.pid)
        print("server memory: %.0f MB RSS now, %.0f MB peak (VmHWM)" % (mem["VmRSS"], mem["VmHWM"]))
    finally:
        server.terminate()
        server.wait(timeout=60)
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
