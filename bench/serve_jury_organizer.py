#!/usr/bin/env python3
"""serve_jury_organizer.py — the organizer's jury pages of `palmares serve` on a large campaign.

    python3 bench/serve_jury_organizer.py [--palmares build/cli/palmares] [--towns 3500] [--jurors 60]
        [--per-dossier 3] [--runs 5] [--work DIR] [--keep] [--reuse]

The campaign is serve_scores.py's (bench/gen_campaign.py --json, answers stored as drafts), plus
--jurors jurors (regions taken from the towns', one in ten with an own town) added through the
jurors page's import. Then, as the organizer on loopback, it times (wall clock seen by the client:
an upper bound of the server's time):

  - the import of the jurors file (POST /organizer/jurors);
  - the assignment's preview (the engine's plan for --per-dossier jurors per dossier) and its
    accept (the plan computed again, compared, saved in one transaction);
  - the jurors page and the reminder CSV, --runs times, once the assignment is saved and a third
    of the pairs marked (marks written straight into the file);
  - one move.
The first request after a change waits for the scored campaign (the scores' cache): it is timed
apart ("cold"), the others are warm.
"""
import argparse
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from serve_scores import free_port, get, make_campaign, memory  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--palmares", default="build/cli/palmares")
    ap.add_argument("--towns", type=int, default=3500)
    ap.add_argument("--jurors", type=int, default=60)
    ap.add_argument("--per-dossier", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="palmares-jury-bench-")
    os.makedirs(work, exist_ok=True)
    db, login, ntowns, nanswers, size = make_campaign(args, work)
    con = sqlite3.connect(db)
    # serve_scores.py stores a JSON null as the text "None" (an unknown option for the engine, so
    # every dossier is invalid and needs no juror): an unanswered criterion is no row instead.
    with con:
        con.execute("DELETE FROM answer WHERE value = 'None'")
    towns = con.execute("SELECT id, json_extract(attributes_json, '$.region') FROM town ORDER BY id").fetchall()
    con.close()
    regions = sorted({r for _, r in towns if r}) or [""]
    rnd = random.Random(1)
    lines = ["juror,name,email,town_id,region,conflicts"]
    for i in range(args.jurors):
        own = rnd.choice(towns)[0] if i % 10 == 0 else ""
        lines.append("jb-%03d,Juror %d,j%d@example.org,%s,%s," % (i, i, i, own, regions[i % len(regions)]))
    jurors_csv = ("\n".join(lines) + "\n").encode()
    print("campaign: %d towns, %d stored answers, %.0f MB; %d jurors" % (ntowns, nanswers, size / 1e6, args.jurors))
    port = free_port()
    origin = "http://127.0.0.1:%d" % port
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
        form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
        st, h, _, _ = get(port, login, method="POST", body="csrf=" + token, headers=form)
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h["set-cookie"]).group(1)
        st, _, page, dt = get(port, "/organizer/jurors", cookie)
        csrf = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', page).group(1).decode()
        print("GET /organizer/jurors, cold (the campaign scored first): %.2f s (%d)" % (dt, st))
        boundary = "----b" + uuid.uuid4().hex
        body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: "
                "form-data; name=\"jurors\"; filename=\"jurors.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                % (boundary, csrf, boundary)).encode() + jurors_csv + ("\r\n--%s--\r\n" % boundary).encode()
        st, _, _, dt = get(port, "/organizer/jurors", cookie, "POST", body,
                           {"Content-Type": "multipart/form-data; boundary=" + boundary, "Origin": origin})
        print("POST /organizer/jurors (import %d jurors): %.2f s (%d)" % (args.jurors, dt, st))
        fields = {"csrf": csrf, "per_dossier": str(args.per_dossier), "seed": "1"}
        st, _, page, dt = get(port, "/organizer/assignment/preview", cookie, "POST", urllib.parse.urlencode(fields),
                              form)
        sha = re.search(rb'<code id="plan-sha">([0-9a-f]{64})</code>', page)
        pairs = re.search(rb'<strong id="plan-pairs">(\d+)</strong>', page)
        print("POST /organizer/assignment/preview (%d per dossier): %.2f s (%d), %s pairs, page %.1f MB"
              % (args.per_dossier, dt, st, pairs.group(1).decode() if pairs else "?", len(page) / 1e6))
        if not sha:
            print(page[-2000:].decode("utf-8", "replace"))
            return
        fields["plan"] = sha.group(1).decode()
        st, _, _, dt = get(port, "/organizer/assignment/accept", cookie, "POST", urllib.parse.urlencode(fields), form)
        print("POST /organizer/assignment/accept: %.2f s (%d)" % (dt, st))
        con = sqlite3.connect(db, timeout=30)
        with con:
            rows = con.execute("SELECT juror_id, town_id FROM assignment").fetchall()
            con.executemany("INSERT OR IGNORE INTO mark (juror_id, town_id, criterion, value, revision, updated_at)"
                            " VALUES (?, ?, 'x', '3', 1, 0)", rows[::3])
            con.execute("INSERT INTO audit (at, what, subject) VALUES (0, 'bench', 'marks')")
        con.close()
        for path in ("/organizer/jurors", "/organizer/jurors-missing.csv", "/organizer/assignment"):
            times = []
            for k in range(args.runs + 1):
                st, _, page, dt = get(port, path, cookie)
                times.append(dt)
            print("GET %s: cold %.2f s, warm median %.3f s (%d runs), %.1f MB (%d)"
                  % (path, times[0], statistics.median(times[1:]), args.runs, len(page) / 1e6, st))
        j, t = rows[0]
        other = next(x for x in ("jb-%03d" % i for i in range(args.jurors)) if (x, t) not in rows)
        st, _, _, dt = get(port, "/organizer/assignment/move", cookie, "POST",
                           urllib.parse.urlencode({"csrf": csrf, "town": t, "from": j, "to": other}), form)
        print("POST /organizer/assignment/move: %.2f s (%d)" % (dt, st))
        mem = memory(server.pid)
        print("server memory: %.0f MB RSS, %.0f MB peak" % (mem["VmRSS"], mem["VmHWM"]))
    finally:
        server.terminate()
        server.wait(timeout=60)
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
