#!/usr/bin/env python3
"""serve_load.py — load benchmark of `palmares serve` on 127.0.0.1 (run by hand, not a test).

    python3 bench/serve_load.py [--palmares build-rel/cli/palmares] [--seconds 10] [--sessions 200]
        [--towns N] [--threads T] [--rate R] [--table-towns 35000] [--table-runs 5]
        [--table-filled] [--only saves|table] [--client python|c]

1. Saves: a campaign of --towns towns (default: --sessions) on the bundled rubric, in its
   submission phase; --sessions towns log in through their invitation links, then each session
   saves its dossier again and again for --seconds, all at once (one keep-alive connection per
   session; each save changes two numbers of two sections, with the revision of the last answer),
   each session saving again as soon as answered, or at a fixed total rate with --rate.
   Prints saves/s, p50/p99/max latency (request sent → whole answer read), errors, and checks in
   the campaign file afterwards that every acknowledged save is there (revision and values).
   --client c: the logins and saves are made by bench/saveload (the same requests and checks, in C,
   so that the client's CPU does not take the server's on a small machine).
2. Table: a campaign of --table-towns towns; the organizer logs in and GETs /organizer
   --table-runs times (time to the whole response on loopback, median); the server's peak RSS
   (VmHWM of /proc/PID/status) at the end.

Bounded: --seconds of load, --sessions connections, 127.0.0.1 only; everything lives in a
temporary directory removed at the end. Standard library only.
"""
import argparse
import asyncio
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
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
A, B = "consultations-en-ligne", "heures-mediation"  # two number criteria of two sections


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A campaign of n towns in its submission phase, and `palmares serve` on it."""

    def __init__(self, palmares, tmp, n, threads, filled=False, shared_session=False):
        self.palmares, self.port = palmares, free_port()
        self.origin = "http://127.0.0.1:%d" % self.port
        self.db = os.path.join(tmp, "campaign-%d.db" % n)
        towns = os.path.join(tmp, "towns-%d.csv" % n)
        with open(towns, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["town_id", "town_name", "population", "region", "department", "type", "email"])
            for i in range(n):
                w.writerow(["T%06d" % i, "Commune n° %d" % i, 1000 + (i * 7919) % 200000, "Bretagne", "29",
                            "commune", "mairie-%d@example.org" % i])
        t = time.monotonic()
        p = subprocess.run([palmares, "campaign", "init", self.db, "--rubric", RUBRIC, "--towns", towns,
                            "--base-url", self.origin], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("campaign init: " + p.stderr)
        self.init_seconds = time.monotonic() - t
        self.organizer = p.stdout.strip().splitlines()[-1][len(self.origin):]
        db = sqlite3.connect(self.db)
        db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
        db.commit()
        db.close()
        t = time.monotonic()
        p = subprocess.run([palmares, "campaign", "links", self.db, "--base-url", self.origin], capture_output=True,
                           text=True)
        self.links_seconds = time.monotonic() - t
        self.links = {r["id"]: r["link"][len(self.origin):] for r in csv.DictReader(p.stdout.splitlines())
                      if r["role"] == "town"}
        if filled:
            self.fill()
        self.proc = subprocess.Popen([palmares, "serve", self.db, "--listen", "127.0.0.1:%d" % self.port,
                                      "--threads", str(threads)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=not shared_session)
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.025)

    def fill(self):
        """Every dossier filled as a draft with the answers of one of the sample dossiers (written
        to the file before the server starts), so that a table that reads answers reads them all."""
        with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        town_cols = {"town_id", "town_name", "population", "region", "department", "type"}
        samples = [[(k, v) for k, v in r.items() if k not in town_cols and v != ""] for r in rows]
        db = sqlite3.connect(self.db)
        ids = [r[0] for r in db.execute("SELECT id FROM town ORDER BY id")]
        db.executemany("INSERT INTO answer (town_id, criterion, value, revision, updated_at) VALUES (?, ?, ?, 1, 0)",
                       ((town, k, v) for i, town in enumerate(ids) for k, v in samples[i % len(samples)]))
        db.execute("UPDATE dossier SET state = 'draft', revision = 1")
        db.commit()
        db.close()

    def peak_rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Conn:
    """One keep-alive HTTP/1.1 connection (Content-Length answers, as libmicrohttpd sends them)."""

    def __init__(self, port, origin):
        self.port, self.origin, self.r, self.w = port, origin, None, None

    async def request(self, method, path, body=None, cookie=None):
        if self.w is None:
            self.r, self.w = await asyncio.open_connection("127.0.0.1", self.port)
        head = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % self.port]
        if cookie:
            head.append("Cookie: palmares_session=" + cookie)
        data = b""
        if body is not None:
            data = body.encode()
            head += ["Origin: " + self.origin, "Content-Type: application/x-www-form-urlencoded",
                     "Content-Length: %d" % len(data)]
        self.w.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await self.r.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.r.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            payload = await self.r.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while True:
                size = int((await self.r.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.r.readline()
                    break
                payload += await self.r.readexactly(size)
                await self.r.readline()
        else:
            payload = await self.r.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, payload.decode("utf-8", "replace")

    def close(self):
        if self.w is not None:
            self.w.close()
        self.r = self.w = None


CSRF = re.compile(r'name="csrf" value="([A-Za-z0-9_-]{43})"')
REVISION = re.compile(r'name="revision" value="(\d+)"')


async def login(srv, link):
    c = Conn(srv.port, srv.origin)
    try:
        _, _, page = await c.request("GET", link)
        st, h, _ = await c.request("POST", link, "csrf=" + CSRF.search(page).group(1))
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", "")).group(1)
        _, _, page = await c.request("GET", "/dossier", cookie=cookie)
        return cookie, CSRF.search(page).group(1)
    finally:
        c.close()


class Session:
    def __init__(self, town, cookie, csrf):
        self.town, self.cookie, self.csrf = town, cookie, csrf
        self.acked = (0, (None, None))
        self.latencies, self.errors, self.bytes = [], [], 0

    async def run(self, srv, start, until, period, offset):
        """Saves until `until`; with a period, one save every period seconds from start + offset
        (latency counted from when the save was due, so that a slow server is not hidden by waiting)."""
        c, k, shown = Conn(srv.port, srv.origin), 0, ("", "")
        due = start + offset
        try:
            while time.monotonic() < until:
                if period:
                    if due >= until:
                        break
                    delay = due - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                k += 1
                values = (str(k), str(k + 1000))
                body = urllib.parse.urlencode([("csrf", self.csrf), ("revision", self.acked[0]),
                                               ("o." + A, shown[0]), ("a." + A, values[0]),
                                               ("o." + B, shown[1]), ("a." + B, values[1])])
                t = time.perf_counter() - max(0.0, time.monotonic() - due) if period else time.perf_counter()
                due += period
                try:
                    st, _, page = await c.request("POST", "/dossier", body, cookie=self.cookie)
                except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                    self.errors.append(type(e).__name__)
                    c.close()
                    continue
                self.latencies.append(time.perf_counter() - t)
                self.bytes += len(page)
                m = REVISION.search(page)
                if st != 200 or 'id="saved"' not in page or not m:
                    self.errors.append(str(st))
                    continue
                self.acked, shown = (int(m.group(1)), values), values
        finally:
            c.close()


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


async def saves(srv, sessions, seconds, rate):
    links = sorted(srv.links.items())[:sessions]
    t = time.monotonic()
    logged = []
    for k in range(0, len(links), 20):  # 20 logins at once
        logged += await asyncio.gather(*(login(srv, link) for _, link in links[k:k + 20]))
    print("  %d sessions logged in in %.1f s" % (len(logged), time.monotonic() - t))
    ss = [Session(town, cookie, csrf) for (town, _), (cookie, csrf) in zip(links, logged)]
    cpu0, server0 = os.times(), server_cpu(srv.proc.pid)
    start = time.monotonic()
    period = len(ss) / rate if rate else 0
    await asyncio.gather(*(s.run(srv, start, start + seconds, period, period * i / len(ss)) for i, s in enumerate(ss)))
    wall = time.monotonic() - start
    cpu1 = os.times()
    return ss, wall, (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), server_cpu(srv.proc.pid) - server0


def server_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def saves_c(args, srv, tmp):
    """The same scenario driven by bench/saveload (C): it logs the sessions in through their links and
    saves; here, the server's CPU around it, and what it says was acknowledged, for the check."""
    links = sorted(srv.links.items())[:args.sessions]
    links_file, acked_file = os.path.join(tmp, "links.tsv"), os.path.join(tmp, "acked.tsv")
    with open(links_file, "w") as f:
        f.writelines("%s\t%s\n" % (town, link) for town, link in links)
    cmd = [args.saveload, "--port", str(srv.port), "--links", links_file, "--seconds", str(args.seconds),
           "--acked", acked_file] + (["--rate", str(args.rate)] if args.rate else [])
    server0, sched0, t0 = server_cpu(srv.proc.pid), server_sched(srv.proc.pid), time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    cpu, sched1, wall = server_cpu(srv.proc.pid) - server0, server_sched(srv.proc.pid), time.monotonic() - t0
    sys.stdout.write(p.stdout)
    if p.stderr:
        sys.stdout.write("  saveload: " + p.stderr)
    acked = {}
    if os.path.exists(acked_file):
        with open(acked_file) as f:
            for line in f:
                town, rev, a, b = line.rstrip("\n").split("\t")
                acked[town] = (int(rev), (a or None, b or None))
    m = re.search(r"(\d+) saves acknowledged", p.stdout)
    print("  CPU: server %.1f s (%.2f ms per save, logins included)" % (
        cpu, cpu / max(int(m.group(1)) if m else 0, 1) * 1e3))
    on, waiting = (sched1[0] - sched0[0]) / wall, (sched1[1] - sched0[1]) / wall
    print("  server's %d threads: %.2f on a CPU, %.2f runnable waiting for a CPU, %.2f asleep (locks, I/O, "
          "nothing to do); load %.1f" % (args.threads, on, waiting, args.threads - on - waiting, os.getloadavg()[0]))
    return acked, p.returncode == 0 and len(acked) == len(links)


def check_acked(srv, acked):
    """Every acknowledged save in the campaign file (its revision and values), and integrity_check."""
    lost = []
    db = sqlite3.connect(srv.db)
    for town, (rev_acked, values) in acked.items():
        rev = db.execute("SELECT revision FROM dossier WHERE town_id = ?", (town,)).fetchone()
        vals = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (town,)).fetchall())
        if (rev[0] if rev else 0) != rev_acked or (vals.get(A), vals.get(B)) != values:
            lost.append((town, rev_acked, values, rev, vals.get(A), vals.get(B)))
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    print("  every acknowledged save in the file: %s; integrity_check: %s" % ("yes" if not lost else
                                                                              "NO, %d lost: %s" % (len(lost), lost[:3]),
                                                                              integrity))
    return not lost and integrity == "ok"


def server_sched(pid):
    """The time of the server's HTTP threads on a CPU and runnable but waiting for one (schedstat,
    seconds): on a shared machine, a save that waits may wait for a core, not for the server."""
    on = wait = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                if not f.read().startswith("MHD-worker"):
                    continue
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                a, b = f.read().split()[:2]
        except OSError:
            continue
        on, wait = on + int(a) / 1e9, wait + int(b) / 1e9
    return on, wait


def wal_mb(srv):
    """The size of the campaign's write-ahead log: its high-water mark (the log starts over, the
    file keeps its size), so a log that never started over shows here."""
    try:
        return os.path.getsize(srv.db + "-wal") / 1e6
    except OSError:
        return 0.0


def scenario_saves(args, tmp):
    print("saves: %d towns, %d sessions, %g s, %d server threads, %s, %s client" % (
        args.towns or args.sessions, args.sessions, args.seconds, args.threads,
        "%g saves/s offered" % args.rate if args.rate else "each session saving again as soon as answered",
        "C" if args.client == "c" else "Python"))
    srv = Server(args.palmares, tmp, args.towns or args.sessions, args.threads, shared_session=args.shared_session)
    try:
        if args.client == "c":
            acked, ok = saves_c(args, srv, tmp)
            print("  server peak RSS %.0f MB; log file (-wal) %.1f MB" % (srv.peak_rss_kb() / 1024, wal_mb(srv)))
        else:
            ss, wall, client_cpu, cpu = asyncio.run(saves(srv, args.sessions, args.seconds, args.rate))
            rss = srv.peak_rss_kb()
    finally:
        srv.stop()
    if args.client == "c":
        return check_acked(srv, acked) and ok
    lat = [x for s in ss for x in s.latencies]
    acked = sum(s.acked[0] for s in ss)
    errors = [e for s in ss for e in s.errors]
    print("  %d saves acknowledged in %.1f s: %.0f saves/s" % (acked, wall, acked / wall))
    print("  latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (pct(lat, 50) * 1e3, pct(lat, 99) * 1e3,
                                                              max(lat) * 1e3 if lat else float("nan")))
    print("  errors: %d %s; %.0f kB per answer" % (len(errors), sorted(set(errors))[:5],
                                                 sum(s.bytes for s in ss) / max(len(lat), 1) / 1e3))
    print("  CPU: server %.1f s (%.2f ms per save), this client %.1f s; server peak RSS %.0f MB"
          % (cpu, cpu / max(acked, 1) * 1e3, client_cpu, rss / 1024))
    ok = check_acked(srv, {s.town: (s.acked[0], s.acked[1]) for s in ss})
    return ok and not errors


async def table(srv, runs):
    c = Conn(srv.port, srv.origin)
    try:
        _, _, page = await c.request("GET", srv.organizer)
        _, h, _ = await c.request("POST", srv.organizer, "csrf=" + CSRF.search(page).group(1))
        cookie = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", "")).group(1)
        times, size, rows = [], 0, 0
        cpu0 = server_cpu(srv.proc.pid)
        for _ in range(runs):
            t = time.perf_counter()
            st, _, page = await c.request("GET", "/organizer", cookie=cookie)
            times.append(time.perf_counter() - t)
            size, rows = len(page.encode()), page.count("<tr")
            if st != 200:
                print("  GET /organizer: %d" % st)
        return times, size, rows, (server_cpu(srv.proc.pid) - cpu0) / runs
    finally:
        c.close()


def scenario_table(args, tmp):
    n = args.table_towns
    print("table: %d towns%s, GET /organizer %d times" % (n, ", every dossier filled" if args.table_filled else "",
                                                         args.table_runs))
    srv = Server(args.palmares, tmp, n, args.threads, args.table_filled, shared_session=args.shared_session)
    print("  campaign init %.1f s, campaign links %.1f s" % (srv.init_seconds, srv.links_seconds))
    try:
        rss0 = srv.peak_rss_kb()
        times, size, rows, cpu = asyncio.run(table(srv, args.table_runs))
        rss = srv.peak_rss_kb()
    finally:
        srv.stop()
    print("  %d rows, %.1f MB of HTML; time to the whole page: median %.0f ms (min %.0f, max %.0f)"
          % (rows - 1, size / 1e6, statistics.median(times) * 1e3, min(times) * 1e3, max(times) * 1e3))
    print("  server CPU per GET /organizer: %.0f ms" % (cpu * 1e3))
    print("  server peak RSS (VmHWM): %.0f MB (%.0f MB before the first request)" % (rss / 1024, rss0 / 1024))
    return statistics.median(times), rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--palmares", default=None)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--towns", type=int, default=0, help="towns of the saves campaign (default: --sessions)")
    ap.add_argument("--threads", type=int, default=4, help="palmares serve --threads")
    ap.add_argument("--rate", type=float, default=0,
                    help="saves per second offered by all sessions together (default 0: as fast as answered)")
    ap.add_argument("--table-towns", type=int, default=35000)
    ap.add_argument("--table-runs", type=int, default=5)
    ap.add_argument("--table-filled", action="store_true",
                    help="fill every dossier of the table's campaign (as a live score table would read them)")
    ap.add_argument("--only", choices=["saves", "table"])
    ap.add_argument("--shared-session", action="store_true",
                    help="run the server in this script's session (before: the kernel's autogroup then splits one "
                         "share of the CPU between the server and the client)")
    ap.add_argument("--client", choices=["python", "c"], default="python",
                    help="the saves' client: this script, or bench/saveload (C; meson compile -C build-rel saveload)")
    args = ap.parse_args()
    if not 1 <= args.sessions <= 1000 or not 0 < args.seconds <= 120 or not 1 <= args.table_towns <= 200000:
        sys.exit("bounded: --sessions 1..1000, --seconds up to 120, --table-towns up to 200000")
    if args.towns and args.towns < args.sessions:
        sys.exit("--towns must be at least --sessions")
    if args.palmares is None:
        for p in ("build-rel/cli/palmares", "build/cli/palmares"):
            if os.access(os.path.join(ROOT, p), os.X_OK):
                args.palmares = os.path.join(ROOT, p)
                break
        else:
            sys.exit("no palmares binary: meson setup build-rel --buildtype=release && meson compile -C build-rel")
    args.saveload = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.palmares))), "bench",
                                 "saveload")
    if args.client == "c" and not os.access(args.saveload, os.X_OK):
        sys.exit("no %s: meson compile -C %s saveload" % (args.saveload,
                                                          os.path.dirname(os.path.dirname(args.saveload))))
    print("palmares: %s" % args.palmares)
    tmp = tempfile.mkdtemp(prefix="palmares-serve-load-")
    try:
        ok = True
        if args.only in (None, "saves"):
            ok = scenario_saves(args, tmp) and ok
        if args.only in (None, "table"):
            scenario_table(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
