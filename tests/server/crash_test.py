#!/usr/bin/env python3
"""Crash safety of `palmares serve`: what the server acknowledged survives SIGKILL.

A few client threads, each a town with its own session, save their dossier
again and again (two numbers, a new value each time); the test kills the server
with SIGKILL in the middle of the burst. Then every save that got its answer
("saved", with its revision) must be in the campaign file: the dossier's
revision is the last acknowledged one, or one more when a save in flight at the
kill was committed without its answer getting out, and the values are those of
that save. Checked through the file (python's sqlite3, `PRAGMA integrity_check`)
and through GET /dossier of a restarted server, with the same sessions.
Usage: crash_test.py PALMARES SOURCE_ROOT
"""
import csv
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, free_port, request, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
CLIENTS = 4
KILL_AFTER = 200  # acknowledged saves (all clients) before the kill: the burst is well under way
tmp = tempfile.mkdtemp(prefix="palmares-crash-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
A, B = "consultations-en-ligne", "heures-mediation"  # two number criteria of two sections


def req(method, path, body=None, cookie=None):
    return request(PORT, method, path, body, cookie, {"Origin": ORIGIN} if method == "POST" else {}, timeout=30)


def setup():
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:CLIENTS]
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + [""])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")  # no page sets phases yet
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    return {r["id"]: r["link"][len(ORIGIN):] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town"}


def start():
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    wait_for(PORT, server)
    return server


def login(link):
    st, _, page = req("GET", link)
    st, h, _ = req("POST", link, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "a town logs in (%d)" % st)
    return m.group(1) if m else None


def revision_of(page):
    m = re.search(r'name="revision" value="(\d+)"', page)
    return int(m.group(1)) if m else -1


def value_of(page, cid):
    m = re.search(r'name="a\.%s" id="in\.%s" value="([^"]*)"' % (cid, cid), page)
    return m.group(1) if m else None


class Client(threading.Thread):
    """One town saving k, k + 1000 for k = 1, 2… until the server is gone.
    acked: (revision, values) of the last save answered "saved"; sent: the values of the save in flight."""

    def __init__(self, town, cookie, csrf, counter):
        super().__init__(daemon=True)
        self.town, self.cookie, self.csrf, self.counter = town, cookie, csrf, counter
        self.acked, self.sent, self.refused = (0, None), None, []

    def run(self):
        k, shown = 0, ("", "")
        while True:
            k += 1
            values = (str(k), str(k + 1000))
            body = urllib.parse.urlencode([("csrf", self.csrf), ("revision", self.acked[0]),
                                           ("o." + A, shown[0]), ("a." + A, values[0]),
                                           ("o." + B, shown[1]), ("a." + B, values[1])])
            self.sent = values
            try:
                st, _, page = req("POST", "/dossier", body, cookie=self.cookie)
            except OSError:
                return  # the server is gone: this save is in flight, maybe committed
            if st != 200 or 'id="saved"' not in page:
                self.refused.append(st)
                return
            self.acked, shown = (revision_of(page), values), values
            self.sent = None
            with self.counter:
                self.counter.n += 1
                self.counter.notify_all()


def stored(db, town):
    rev = db.execute("SELECT revision FROM dossier WHERE town_id = ?", (town,)).fetchone()
    vals = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (town,)).fetchall())
    return (rev[0] if rev else 0), (vals.get(A), vals.get(B))


def expected(c, rev):
    """What revision rev of client c's dossier must hold, or None if rev is not one it may be at."""
    if rev == c.acked[0]:
        return c.acked[1]
    if rev == c.acked[0] + 1 and c.sent:
        return c.sent
    return None


def main():
    links = setup()
    server = start()
    clients = []
    counter = threading.Condition()
    counter.n = 0
    try:
        for town, link in sorted(links.items()):
            cookie = login(link)
            st, _, page = req("GET", "/dossier", cookie=cookie)
            clients.append(Client(town, cookie, csrf_of(page), counter))
        for c in clients:
            c.start()
        with counter:
            counter.wait_for(lambda: counter.n >= KILL_AFTER or not any(c.is_alive() for c in clients), timeout=20)
            acked_at_kill = counter.n
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    for c in clients:
        c.join(timeout=30)
    check(acked_at_kill >= KILL_AFTER, "%d saves acknowledged before the kill" % acked_at_kill)
    check(server.returncode == -signal.SIGKILL, "the server was killed by SIGKILL (%s)" % server.returncode)
    check(all(not c.refused for c in clients), "no save refused before the kill: %s" % [c.refused for c in clients])
    in_flight = sum(1 for c in clients if c.sent)
    print("# %d acknowledged, %d in flight at the kill" % (sum(c.acked[0] for c in clients), in_flight))

    # The file as the kill left it (opening it replays its WAL, as the server does).
    db = sqlite3.connect(DB, timeout=10)
    check(db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "PRAGMA integrity_check: ok")
    check(db.execute("PRAGMA foreign_key_check").fetchall() == [], "PRAGMA foreign_key_check: nothing")
    committed_in_flight = 0
    for c in clients:
        rev, vals = stored(db, c.town)
        want = expected(c, rev)
        check(want is not None, "town %s: at revision %d, its last acknowledged save was %d"
              % (c.town, rev, c.acked[0]))
        check(want is None or vals == want, "town %s: the values of revision %d are %s (%s)" % (c.town, rev, want, vals))
        committed_in_flight += rev == c.acked[0] + 1
    db.close()
    print("# %d save(s) in flight were committed without their answer" % committed_in_flight)

    # The restarted server shows the same, to the same sessions.
    server = start()
    try:
        for c in clients:
            st, _, page = req("GET", "/dossier", cookie=c.cookie)
            rev = revision_of(page)
            want = expected(c, rev)
            check(st == 200 and want is not None, "after the restart, town %s's /dossier: revision %d (acknowledged %d)"
                  % (c.town, rev, c.acked[0]))
            got = (value_of(page, A), value_of(page, B))
            check(want is None or got == want, "after the restart, town %s's form shows %s (%s)" % (c.town, want, got))
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=20)
            check(server.returncode == 0, "the restarted server stops cleanly on SIGTERM (%s)" % server.returncode)
            err = err.decode("utf-8", "replace")
            check("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report: %s" % err[-2000:])
        except subprocess.TimeoutExpired:
            server.kill()
            check(False, "the restarted server stops on SIGTERM")


if __name__ == "__main__":
    main()
    if not failures:
        shutil.rmtree(tmp, ignore_errors=True)  # kept when something failed, to look at
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all passed")
