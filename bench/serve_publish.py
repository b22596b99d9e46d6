#!/usr/bin/env python3
"""serve_publish.py — publishing a national campaign from `palmares serve`, against the command line.

    python3 bench/serve_publish.py [--palmares build/cli/palmares] [--towns 35000] [--work DIR] [--keep]

Generates a campaign with bench/gen_campaign.py (--json --jury 0: 150 criteria without jury
criteria, so that levels and certificates come from the answers alone; the jury's marks reach the
server's scores only with the jury's engine inputs), stores every town's answers as a draft
straight into the campaign file (bench/serve_scores.py's make_campaign), and puts it in its
deliberation phase. Then the same work twice:

  - the command line: `palmares campaign export`, then `palmares score` on the export
    (results.json) and `palmares certificates results.json -o certificates.pdf` (one PDF,
    every labelled town): the wall time of score + certificates;
  - the server: POST /organizer/publish, which scores the campaign from the store (unless the
    scores page already did since the last change), writes the results JSON, stores it with its
    SHA-256, loads it back and renders every labelled town's certificate into one PDF: the
    request's wall time seen by the client on loopback, and the server's CPU time meanwhile;
    first "cold" (nothing scored yet since the server started), then "warm" (publishing again
    once the scores page shows current figures: the scored campaign cached).

Prints both, their ratio, the results' size and the server's peak memory (VmHWM).
"""
import argparse
import json
import os
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import serve_scores  # noqa: E402


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_run(cmd, cwd):
    """(wall, CPU) seconds of a command: on a machine shared with other jobs, CPU is the steadier figure."""
    t0, c0 = time.perf_counter(), children_cpu()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr[-500:]))
    return dt, children_cpu() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--palmares", default="build/cli/palmares")
    ap.add_argument("--towns", type=int, default=35000)
    ap.add_argument("--criteria", type=int, default=150)
    ap.add_argument("--cold-only", action="store_true", help="publish once, without the warm run")
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="use the campaign file of --work as it is")
    ap.add_argument("--no-cli", action="store_true", help="the server only")
    args = ap.parse_args()
    args.palmares = os.path.abspath(args.palmares)
    work = args.work or tempfile.mkdtemp(prefix="palmares-publish-bench-")
    os.makedirs(work, exist_ok=True)
    gen = os.path.join(work, "gen")
    if not os.path.exists(os.path.join(gen, "dossiers.jsonl")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_campaign.py"), "--out", gen, "--towns",
                        str(args.towns), "--criteria", str(args.criteria), "--json", "--jury", "0"], check=True)
        # An unanswered criterion is null in the JSON file; the form stores nothing for it (not "None").
        path = os.path.join(gen, "dossiers.jsonl")
        with open(path, encoding="utf-8") as f, open(path + ".tmp", "w", encoding="utf-8") as g:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    d["answers"] = {k: v for k, v in d.get("answers", {}).items() if v is not None}
                    g.write(json.dumps(d, ensure_ascii=False) + "\n")
        os.replace(path + ".tmp", path)
    t0 = time.perf_counter()
    db, login, ntowns, nanswers, size = serve_scores.make_campaign(args, work)
    print("campaign: %d towns, %d stored answers, %.0f MB file (made in %.0f s)" %
          (ntowns, nanswers, size / 1e6, time.perf_counter() - t0))
    con = sqlite3.connect(db)
    with con:
        con.executemany("INSERT OR REPLACE INTO phase (phase, starts_at) VALUES (?, ?)",
                        [("submission", 0), ("marking", 1), ("deliberation", 2)])
    con.close()

    # the command line
    cli = cli_cpu = float("nan")
    out = os.path.join(work, "export")
    if not args.no_cli:
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([args.palmares, "campaign", "export", db, "-o", out], check=True, capture_output=True)
        score = timed_run([args.palmares, "score", "rubric.json", "dossiers.jsonl", "--marks", "marks.csv",
                           "--overrides", "overrides.csv", "-o", "results.json"], out)
        certs = timed_run([args.palmares, "certificates", "results.json", "-o", "certificates.pdf", "--verify-url",
                           "http://127.0.0.1:1/verify/{code}"], out)
        cli, cli_cpu = score[0] + certs[0], score[1] + certs[1]
        print("command line: score %.1f s + certificates %.1f s = %.1f s wall, %.1f s CPU (results %.0f MB, "
              "certificates %.0f MB)" % (score[0], certs[0], cli, cli_cpu, os.path.getsize(os.path.join(out, "results.json")) / 1e6,
               os.path.getsize(os.path.join(out, "certificates.pdf")) / 1e6))


    # the server
    port = serve_scores.free_port()
    origin = "http://127.0.0.1:%d" % port
    server = subprocess.Popen([args.palmares, "serve", db, "--listen", "127.0.0.1:%d" % port],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
        st, _, page, _ = serve_scores.get(port, login)
        token = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', page).group(1).decode()
        st, h, _, _ = serve_scores.get(port, login, method="POST", body="csrf=" + token, headers=form)
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h["set-cookie"]).group(1)
        times = []
        for run in ("cold",) if args.cold_only else ("cold", "warm"):
            if run == "warm":
                # Publishing appended audit lines, so the scores are built again: wait until the
                # scores page shows current figures, as an organizer who looked at them first would.
                while b'data-current="1"' not in serve_scores.get(port, "/organizer/scores", cookie)[2]:
                    time.sleep(0.5)
            st, _, page, _ = serve_scores.get(port, "/organizer/publish", cookie)
            token = re.search(rb'name="csrf" value="([A-Za-z0-9_-]{43})"', page).group(1).decode()
            c0 = serve_scores.cpu(server.pid)
            st, h, body, dt = serve_scores.get(port, "/organizer/publish", cookie, method="POST",
                                               body="csrf=%s&confirm=yes" % token, headers=form)
            used = serve_scores.cpu(server.pid) - c0
            if st != 303:
                sys.exit("publish (%s): %d %s" % (run, st, re.sub(rb"<[^>]*>", b" ", body).decode()[-400:]))
            times.append(dt)
            print("server: publish (%s) %.1f s wall (%.2f x), %.1f s CPU (%.2f x the command line)" %
                  (run, dt, dt / cli, used, used / cli_cpu))
        mem = serve_scores.memory(server.pid)
        con = sqlite3.connect(db)
        n = con.execute("SELECT count(*), max(length(results_json)) FROM publication").fetchone()
        con.close()
        pdf = os.path.join(db + ".published", "v1", "certificates-fr.pdf")
        print("published: %d versions, results %.0f MB each, certificates %.0f MB; server peak memory %.0f MB" %
              (n[0], (n[1] or 0) / 1e6, os.path.getsize(pdf) / 1e6 if os.path.exists(pdf) else 0, mem["VmHWM"]))
    finally:
        server.terminate()
        server.wait(timeout=120)
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
