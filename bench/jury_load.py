#!/usr/bin/env python3
"""jury_load.py — jurors saving marks on `palmares serve`, on 127.0.0.1 (run by hand, not a test).

    python3 bench/jury_load.py [--palmares build/cli/palmares] [--seconds 10] [--jurors 50]
        [--per-juror 10] [--threads T] [--rate R]

A campaign of --jurors × --per-juror / 2 towns on the bundled rubric, every dossier filled with
the answers of one of the sample dossiers, in its marking phase, each juror assigned --per-juror
of them (each town marked by two jurors). The jurors log in through their invitation links, then
each one saves a mark on one of its dossiers after the other, again and again for --seconds, all at
once (one keep-alive connection per juror; each save changes one jury mark, sent with the revision
and the value the page showed), each juror saving again as soon as answered, or at a fixed total
rate with --rate. Prints saves/s, p50/p99/max latency, errors, the server's CPU per save, and
checks in the campaign file afterwards that every acknowledged mark is there.

Bounded: --seconds of load, --jurors connections, 127.0.0.1 only; everything lives in a
temporary directory removed at the end. Standard library only (and serve_load.py's client).
"""
import argparse
import asyncio
import csv
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_load import CSRF, Conn, free_port, pct, server_cpu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
CRIT = "mediation-qualite"  # a jury criterion on a 0–10 scale, applying to every town
REVISION = re.compile(r'name="revision" value="(\d+)"')


class Server:
    def __init__(self, palmares, tmp, jurors, per_juror, threads):
        self.palmares, self.port = palmares, free_port()
        self.origin = "http://127.0.0.1:%d" % self.port
        self.db = os.path.join(tmp, "campaign.db")
        ntowns = max(1, jurors * per_juror // 2)
        with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        cols = ["town_id", "town_name", "population", "region", "department", "type"]
        towns, jfile = os.path.join(tmp, "towns.csv"), os.path.join(tmp, "jurors.csv")
        with open(towns, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols + ["email"])
            for i in range(ntowns):
                r = rows[i % len(rows)]
                w.writerow(["T%05d" % i, "Commune %d" % i] + [r[c] for c in cols[2:]] + ["m%d@example.org" % i])
        with open(jfile, "w", encoding="utf-8") as f:
            f.write("juror,name,email\n" + "".join("j%03d,Juré %d,j%d@example.org\n" % (j, j, j)
                                                  for j in range(jurors)))
        p = subprocess.run([palmares, "campaign", "init", self.db, "--rubric", RUBRIC, "--towns", towns,
                            "--jurors", jfile, "--base-url", self.origin], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("campaign init: " + p.stderr)
        town_cols = set(cols)
        # the form's words for yes and no (the spreadsheet's TRUE/FALSE are what a CSV dossier holds)
        word = {"TRUE": "true", "FALSE": "false"}
        samples = [[(k, word.get(v, v)) for k, v in r.items() if k not in town_cols and v != ""] for r in rows]
        db = sqlite3.connect(self.db)
        db.executemany("INSERT INTO answer (town_id, criterion, value, revision, updated_at) VALUES (?, ?, ?, 1, 0)",
                       (("T%05d" % i, k, v) for i in range(ntowns) for k, v in samples[i % len(samples)]))
        db.execute("UPDATE dossier SET state = 'submitted', revision = 1, submitted_at = 0,"
                   " receipt_sha256 = printf('%064d', 0)")
        db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0), ('marking', 3600)")
        self.assigned = {"j%03d" % j: ["T%05d" % ((j * per_juror // 2 + k) % ntowns) for k in range(per_juror)]
                         for j in range(jurors)}
        db.executemany("INSERT OR IGNORE INTO assignment (juror_id, town_id, assigned_at) VALUES (?, ?, 0)",
                       ((j, t) for j, ts in self.assigned.items() for t in ts))
        db.commit()
        db.close()
        p = subprocess.run([palmares, "campaign", "links", self.db, "--base-url", self.origin], capture_output=True,
                           text=True)
        people = dict(sqlite3.connect(self.db).execute(
            "SELECT CAST(p.id AS TEXT), j.juror_id FROM juror j JOIN person p ON p.id = j.person_id").fetchall())
        self.links = {}
        for r in csv.DictReader(p.stdout.splitlines()):
            if r["role"] == "juror":
                self.links[people.get(r["id"], r["id"])] = r["link"][len(self.origin):]
        self.proc = subprocess.Popen([palmares, "serve", self.db, "--listen", "127.0.0.1:%d" % self.port,
                                      "--threads", str(threads)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.025)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def login(srv, link, town):
    c = Conn(srv.port, srv.origin)
    try:
        _, _, page = await c.request("GET", link)
        _, h, _ = await c.request("POST", link, "csrf=" + CSRF.search(page).group(1))
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", "")).group(1)
        _, _, page = await c.request("GET", "/jury/dossier/" + town, cookie=cookie)
        return cookie, CSRF.search(page).group(1)
    finally:
        c.close()


class Juror:
    def __init__(self, jid, towns, cookie, csrf):
        self.jid, self.towns, self.cookie, self.csrf = jid, towns, cookie, csrf
        self.acked = {}  # town -> (revision, value)
        self.latencies, self.errors = [], []

    async def run(self, srv, start, until, period, offset):
        c, k, due = Conn(srv.port, srv.origin), 0, start + offset
        try:
            while time.monotonic() < until:
                if period:
                    if due >= until:
                        break
                    delay = due - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                town = self.towns[k % len(self.towns)]
                k += 1
                rev, shown = self.acked.get(town, (0, ""))
                value = str(k % 11)
                if value == shown:
                    value = str((k + 1) % 11)
                body = urllib.parse.urlencode([("csrf", self.csrf), ("revision", rev), ("om." + CRIT, shown),
                                               ("m." + CRIT, value)])
                t = time.perf_counter() - max(0.0, time.monotonic() - due) if period else time.perf_counter()
                due += period
                try:
                    st, _, page = await c.request("POST", "/jury/dossier/" + town, body, cookie=self.cookie)
                except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                    self.errors.append(type(e).__name__)
                    c.close()
                    continue
                self.latencies.append(time.perf_counter() - t)
                m = REVISION.search(page)
                if st != 200 or 'id="saved"' not in page or not m:
                    self.errors.append(str(st))
                    continue
                self.acked[town] = (int(m.group(1)), value)
        finally:
            c.close()


async def load(srv, seconds, rate):
    t = time.monotonic()
    ids = sorted(srv.links)
    logged = []
    for k in range(0, len(ids), 10):
        logged += await asyncio.gather(*(login(srv, srv.links[j], srv.assigned[j][0]) for j in ids[k:k + 10]))
    print("  %d jurors logged in in %.1f s" % (len(logged), time.monotonic() - t))
    js = [Juror(j, sorted(set(srv.assigned[j])), c, x) for j, (c, x) in zip(ids, logged)]
    server0 = server_cpu(srv.proc.pid)
    start = time.monotonic()
    period = len(js) / rate if rate else 0
    await asyncio.gather(*(j.run(srv, start, start + seconds, period, period * i / len(js)) for i, j in enumerate(js)))
    return js, time.monotonic() - start, server_cpu(srv.proc.pid) - server0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--palmares", default=None)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--jurors", type=int, default=50)
    ap.add_argument("--per-juror", type=int, default=10)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rate", type=float, default=0, help="total saves/s offered (0: closed loop)")
    args = ap.parse_args()
    args.palmares = os.path.abspath(args.palmares or os.path.join(ROOT, "build", "cli", "palmares"))
    tmp = tempfile.mkdtemp(prefix="palmares-jury-load-")
    try:
        print("jury saves: %d jurors, %d dossiers each, %g s, %d server threads, %s" % (
            args.jurors, args.per_juror, args.seconds, args.threads,
            "%g saves/s offered" % args.rate if args.rate else "closed loop"))
        srv = Server(args.palmares, tmp, args.jurors, args.per_juror, args.threads)
        try:
            js, wall, cpu = asyncio.run(load(srv, args.seconds, args.rate))
        finally:
            srv.stop()
        lat = [x for j in js for x in j.latencies]
        n = len(lat) - sum(len(j.errors) for j in js)
        errors = [e for j in js for e in j.errors]
        db = sqlite3.connect(srv.db)
        lost = [(j.jid, t, a) for j in js for t, a in j.acked.items()
                if db.execute("SELECT value FROM mark WHERE juror_id = ? AND town_id = ? AND criterion = ?",
                              (j.jid, t, CRIT)).fetchone() != (a[1],)]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        print("  %d saves acknowledged in %.1f s: %.0f saves/s" % (n, wall, n / wall))
        print("  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (pct(lat, 50) * 1e3, pct(lat, 99) * 1e3,
                                                                  max(lat) * 1e3 if lat else float("nan")))
        print("  errors: %d %s; server CPU %.1f s (%.2f ms per save)" % (len(errors), sorted(set(errors))[:5], cpu,
                                                                        cpu / max(n, 1) * 1e3))
        print("  every acknowledged mark in the file: %s; integrity_check: %s"
              % ("yes" if not lost else "NO, %d lost: %s" % (len(lost), lost[:3]), integrity))
        return 0 if not lost and not errors and integrity == "ok" else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
