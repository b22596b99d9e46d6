#!/usr/bin/env python3
"""HTTP tests of the organizer's scores of `palmares serve` (issue 11, Organizers).

Creates a campaign of four towns in its submission phase; three towns save
answers through POST /dossier (one of them an answer the engine refuses).
The test writes the same answers as a dossiers.jsonl file (one dossier per
line, by town id) and runs `palmares score`, `--format csv` and `palmares
explain` on it; then, as the organizer: the live table shows the engine's
status, points, percent, level and mentions of every town, sorts on the
server, links to each explanation; the explanation is `palmares explain`'s
text; results.json and results.csv are byte for byte what `palmares score`
wrote; the certificates, the booklet and a town's report are PDFs. A new save
changes the table (the cache follows the store). Every route as a town, a
juror and a stranger: 404. Usage: scores_test.py PALMARES SOURCE_ROOT
"""
import csv
import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, no_jury_rubric, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
tmp = tempfile.mkdtemp(prefix="palmares-scores-")
# The bundled rubric without its jury criteria: with no marks yet, a jury
# criterion leaves every dossier pending, and the test wants levels,
# mentions and certificates from the answers alone.
RUBRIC = os.path.join(tmp, "rubric.json")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
ROUTES = ["/organizer/scores", "/organizer/scores?sort=score&dir=desc", "/organizer/explain/%s",
          "/organizer/results.json", "/organizer/results.csv", "/organizer/certificates.pdf",
          "/organizer/booklet.pdf", "/organizer/report/%s"]


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=120)


def raw(path, cookie):
    """GET path; (status, headers, body bytes) — a PDF is not text."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.request("GET", path, headers={"Cookie": "palmares_session=" + cookie})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def rubric_criteria():
    with open(RUBRIC, encoding="utf-8") as f:
        rubric = json.load(f)
    return rubric, {c["id"]: c for cat in rubric["categories"] for c in cat["criteria"]}


def setup():
    no_jury_rubric(ROOT, RUBRIC)
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:4]
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors",
                        os.path.join(ROOT, "examples", "jurors.csv"), "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {}
    for r in csv.DictReader(p.stdout.splitlines()):
        key = r["id"] if r["role"] == "town" else r["role"]
        links.setdefault(key, r["link"][len(ORIGIN):])
    return organizer, rows, links


def form_answers(row, crits):
    """A town's CSV row as the form's fields: a.ID (a multi's options one by one), e.ID."""
    out = []
    for cid, c in crits.items():
        v = row.get(cid, "")
        if c["kind"] == "jury" or v == "":
            continue
        if c["kind"] == "yes-no":
            v = {"TRUE": "true", "FALSE": "false"}.get(v.upper(), v)
        if c["kind"] == "multi":
            out += [("a." + cid, o) for o in v.split("|")]
        else:
            out.append(("a." + cid, v))
        if row.get(cid + ".evidence"):
            out.append(("e." + cid, row[cid + ".evidence"]))
    return out


def save(cookie, fields):
    st, _, page = req("GET", "/dossier", cookie=cookie)
    shown = [(n, html.unescape(v)) for n, v in
             re.findall(r'<input type="hidden" name="(revision|o\.[^"]+|oe\.[^"]+)" value="([^"]*)"', page)]
    body = shown + [("csrf", csrf_of(page) or "")] + fields
    st, _, page = req("POST", "/dossier", urllib.parse.urlencode(body), cookie=cookie)
    check(st == 200 and 'id="saved"' in page, "POST /dossier: saved (%d)" % st)


def typed(c, v):
    """A typed answer as a dossier file holds it (what the test writes, by the rubric's kinds)."""
    if v == "n/a":
        return v
    if c["kind"] == "yes-no":
        return {"true": True, "false": False}.get(v, v)
    if c["kind"] in ("number", "percent"):
        try:
            n = json.loads(v)
            return n if isinstance(n, (int, float)) and not isinstance(n, bool) else v
        except ValueError:
            return v
    if c["kind"] == "multi":
        return [o for o in v.split("|") if o]
    return v


def jansson(v):
    """v as jansson's json_dumps(JSON_COMPACT) writes it: reals with 17 significant digits."""
    if isinstance(v, float):
        t = "%.17g" % v
        return t if any(ch in t for ch in ".eE") else t + ".0"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jansson(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jansson(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def write_dossiers(rubric, crits):
    """dossiers.jsonl from the answers as saved (the store holds them as typed), one town per line by id.

    Each line is written as the server writes a dossier (compact, keys in the
    rubric's order, jansson's numbers): the results quote the line and column
    of each message, so the same dossiers in other bytes would differ there."""
    db = sqlite3.connect(DB, timeout=10)
    towns = db.execute("SELECT id, name, attributes_json FROM town ORDER BY id").fetchall()
    lines = []
    for tid, name, attrs in towns:
        stored = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (tid,)).fetchall())
        answers, evidence = {}, {}
        for cid, c in crits.items():
            if stored.get(cid) and c["kind"] != "jury":
                answers[cid] = typed(c, stored[cid])
            if stored.get(cid + ".evidence"):
                evidence[cid] = stored[cid + ".evidence"]
        town = json.loads(attrs)
        town.update({"id": tid, "name": name})
        d = {"format": "palmares-dossier/1", "rubric": rubric["id"], "town": town, "answers": answers}
        if evidence:
            d["evidence"] = evidence
        lines.append(jansson(d))
    db.close()
    with open(os.path.join(tmp, "dossiers.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return [t[0] for t in towns]


def cli(*args):
    p = subprocess.run([PALMARES] + list(args), capture_output=True, timeout=120, cwd=tmp)
    return p.returncode, p.stdout, p.stderr


def table_rows(page):
    """The table's rows: town, status, points, percent, level, mention ids, messages, state text."""
    rows = []
    for m in re.finditer(r'<tr data-town="([^"]*)" data-status="([^"]*)">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(3), re.S)
        pts = re.search(r'data-points="([^"]*)"', m.group(3))
        pct = re.search(r'data-percent="([^"]*)"', m.group(3))
        lvl = re.search(r'data-level="(-?\d+)"', m.group(3))
        rows.append({"id": html.unescape(m.group(1)), "status": m.group(2),
                     "points": float(pts.group(1)) if pts else None, "percent": float(pct.group(1)) if pct else None,
                     "level": int(lvl.group(1)) if lvl else None,
                     "mentions": re.findall(r'class="mention" data-id="([^"]*)"', m.group(3)),
                     "messages": int(re.sub(r"<[^>]*>", "", cells[7])) if len(cells) > 7 else -1,
                     "state": cells[2] if len(cells) > 2 else "", "cells": cells})
    return rows


def current_table(cookie, path):
    """The table once it holds the current answers (the server builds in the background)."""
    for _ in range(400):
        st, _, page = req("GET", path, cookie=cookie)
        if 'data-current="1"' in page:
            break
        time.sleep(0.05)
    check('data-current="1"' in page, "GET %s: the current figures, in time" % path)
    return st, page


def run(organizer_link, rows, links):
    rubric, crits = rubric_criteria()
    ids = [r["town_id"] for r in rows]
    # Three towns answer (the third with a number the engine refuses); the fourth has not started.
    cookies = [login(links[ids[k]]) for k in range(3)]
    for k in range(3):
        fields = form_answers(rows[k], crits)
        if k == 2:
            fields = [f for f in fields if f[0] != "a.consultations-en-ligne"] + [("a.consultations-en-ligne", "douze")]
        save(cookies[k], fields)
    organizer = login(organizer_link)
    juror = login(links["juror"])
    town = cookies[0]
    order = write_dossiers(rubric, crits)

    # Every route as a town, a juror and a stranger: 404, as a page that does not exist.
    for who, cookie in (("a town", town), ("a juror", juror), ("a stranger", None)):
        for route in ROUTES:
            path = route % ids[0] if "%s" in route else route
            st, _, _ = req("GET", path, cookie=cookie)
            check(st == 404, "GET %s as %s: 404 (%d)" % (path, who, st))

    rc, out, err = cli("score", RUBRIC, "dossiers.jsonl", "-o", "results.json")
    check(rc in (0, 1), "palmares score on the test's dossiers.jsonl: %d %s" % (rc, err[-500:]))
    with open(os.path.join(tmp, "results.json"), "rb") as f:
        cli_json = f.read()
    results = {t["id"]: t for t in json.loads(cli_json)["towns"]}
    check(set(results) == set(ids), "the command line scored the four towns")
    check(results[ids[2]]["status"] == "invalid", "the refused number makes the third dossier invalid")

    # The live table.
    st, h, page = req("GET", "/organizer", cookie=organizer)
    check('href="/organizer/scores"' in page, "the organizer's page links to the scores")
    # PALMARES_SCORES_WAIT_MS=0: the first request does not wait for the first build.
    st, h, page = req("GET", "/organizer/scores", cookie=organizer)
    check(st == 200 and "no-store" in h.get("cache-control", ""), "GET /organizer/scores: 200, no-store (%d)" % st)
    if 'id="scores-pending"' in page:
        check(not table_rows(page) and "en cours de calcul" in page, "the first build not waited for: said so")
    st, page = current_table(organizer, "/organizer/scores")
    table = table_rows(page)
    check([t["id"] for t in table] == order, "one row per town, by town id: %s" % [t["id"] for t in table])
    states = {t["id"]: t["state"] for t in table}
    check(states.get(ids[0]) == "brouillon" and states.get(ids[3]) == "pas commencé",
          "each dossier's status (draft, not started): %s" % states)
    for t in table:
        e = results[t["id"]]
        same = t["status"] == e["status"]
        if e["score"] is None:
            same = same and t["points"] is None and t["percent"] is None
        else:
            # The results file rounds to two decimals; the page keeps every digit in data-*.
            same = same and round(t["points"], 2) == e["score"]["points"] and \
                round(t["percent"], 2) == e["score"]["percent"]
        lvl = e["level"] if e["level"] is not None else -1
        same = same and t["level"] == lvl and t["mentions"] == e.get("mentions", [])
        check(same, "town %s: the engine's status, score, level and mentions (%s / %s)" %
              (t["id"], {k: t[k] for k in ("status", "points", "percent", "level", "mentions")},
               {k: e.get(k) for k in ("status", "score", "level", "mentions")}))
    inv = next(t for t in table if t["id"] == ids[2])
    n_msgs = len(results[ids[2]].get("messages", []))
    check("invalide" in inv["cells"][3] and inv["messages"] == n_msgs and n_msgs > 0,
          "the invalid dossier shown as such with its message count (%d, %d)" % (inv["messages"], n_msgs))
    check(all(('href="/organizer/explain/%s"' % i) in page for i in ids), "a link per town to its explanation")
    for link in ("results.json", "results.csv", "certificates.pdf", "booklet.pdf"):
        check('href="/organizer/%s"' % link in page, "the table links to %s" % link)

    # Sorting, on the server.
    def pct(i):
        s = results[i]["score"]
        return s["percent"] if s else -1
    st, _, page = req("GET", "/organizer/scores?sort=score&dir=desc", cookie=organizer)
    got = [t["id"] for t in table_rows(page)]
    want = sorted(ids, key=lambda i: (pct(i), i), reverse=True)
    check(got == want, "sorted by score, descending: %s (want %s)" % (got, want))
    st, _, page = req("GET", "/organizer/scores?sort=name", cookie=organizer)
    got = [t["id"] for t in table_rows(page)]
    want = sorted(ids, key=lambda i: (results[i]["name"].encode("utf-8"), i))
    check(got == want, "sorted by name: %s (want %s)" % (got, want))
    check('aria-sort="ascending"' in page, "the sorted column says so")
    st, _, page = req("GET", "/organizer/scores?sort=nonsense&page=-3&dir=%00", cookie=organizer)
    check(st == 200 and [t["id"] for t in table_rows(page)] == order, "unknown parameters: by town id, page 1")

    # Explain: pal_explain_write's text, in the page's language, escaped.
    for lang in ("fr", "en"):
        rc, want, err = cli("explain", RUBRIC, "dossiers.jsonl", "--town", ids[0], "--lang", lang)
        st, _, page = req("GET", "/organizer/explain/%s?lang=%s" % (ids[0], lang), cookie=organizer)
        m = re.search(r'<pre class="explain">(.*?)</pre>', page, re.S)
        # A newline right after <pre> is not content (HTML drops it): the writer adds one.
        got = html.unescape(re.sub(r"^\n", "", m.group(1))) if m else None
        if got != want.decode("utf-8"):
            with open(os.path.join(tmp, "explain-%s.txt" % lang), "w", encoding="utf-8") as f:
                f.write(got or page)
        check(st == 200 and rc in (0, 1) and got == want.decode("utf-8"),
              "explain (%s) is `palmares explain`'s text (%d, %d)" % (lang, st, rc))
    st, _, _ = req("GET", "/organizer/explain/00000", cookie=organizer)
    check(st == 404, "explain of an unknown town: 404 (%d)" % st)

    # Downloads: the command line's files, byte for byte.
    st, h, body = raw("/organizer/results.json", organizer)
    check(st == 200 and h.get("content-type") == "application/json" and
          h.get("content-disposition") == 'attachment; filename="results.json"',
          "results.json: 200, JSON, an attachment (%d %s)" % (st, h.get("content-disposition")))
    check(body == cli_json, "results.json is what `palmares score -o results.json` writes, byte for byte")
    if body != cli_json:
        with open(os.path.join(tmp, "server-results.json"), "wb") as f:
            f.write(body)
        a, b = json.loads(body), json.loads(cli_json)
        check(a == b, "results.json: the same JSON at least")
    rc, _, err = cli("score", RUBRIC, "dossiers.jsonl", "--format", "csv", "-o", "results.csv")
    with open(os.path.join(tmp, "results.csv"), "rb") as f:
        cli_csv = f.read()
    st, h, body = raw("/organizer/results.csv", organizer)
    check(st == 200 and h.get("content-type", "").startswith("text/csv") and body == cli_csv,
          "results.csv is what `palmares score --format csv` writes, byte for byte (%d)" % st)
    certified = any((t["level"] or 0) >= 1 for t in results.values())
    for path, name in (("/organizer/certificates.pdf", "certificates.pdf"), ("/organizer/booklet.pdf", "booklet.pdf"),
                       ("/organizer/report/%s" % ids[0], "report-%s.pdf" % ids[0])):
        st, h, body = raw(path, organizer)
        if name == "certificates.pdf" and not certified:
            check(st == 409, "no town certified: the certificates answer 409 (%d)" % st)
            continue
        check(st == 200 and h.get("content-type") == "application/pdf" and body.startswith(b"%PDF-") and
              h.get("content-disposition") == 'attachment; filename="%s"' % name,
              "%s: a PDF attachment (%d, %s)" % (path, st, h.get("content-disposition")))
    check(certified, "some town is certified (the certificates were rendered)")
    st, _, _ = raw("/organizer/report/00000", organizer)
    check(st == 404, "the report of an unknown town: 404 (%d)" % st)

    # A new save changes the table: the cached scores follow the store.
    before = next(t for t in table if t["id"] == ids[0])
    save(town, [("a.consultations-en-ligne", "0")] + [f for f in form_answers(rows[0], crits)
                                                      if f[0] != "a.consultations-en-ligne"])
    write_dossiers(rubric, crits)
    rc, out, err = cli("score", RUBRIC, "dossiers.jsonl", "-o", "results2.json")
    with open(os.path.join(tmp, "results2.json"), "rb") as f:
        new = {t["id"]: t for t in json.load(f)["towns"]}
    # The server runs with PALMARES_SCORES_WAIT_MS=0: every rebuild is in the
    # background, so the first table after the save is the previous one, said so.
    st, _, page = req("GET", "/organizer/scores", cookie=organizer)
    row = next(t for t in table_rows(page) if t["id"] == ids[0])
    check('data-current="0"' in page and abs(row["points"] - before["points"]) < 1e-9,
          "right after a save: the previous figures, marked as being updated")
    st, page = current_table(organizer, "/organizer/scores")
    row = next(t for t in table_rows(page) if t["id"] == ids[0])
    check('data-current="1"' in page and new[ids[0]]["score"]["points"] != results[ids[0]]["score"]["points"] and
          round(row["points"], 2) == new[ids[0]]["score"]["points"],
          "then the table shows the new score (%s)" % row["points"])
    # Downloads wait for the current answers.
    st, h, body = raw("/organizer/results.json", organizer)
    got = {t["id"]: t for t in json.loads(body)["towns"]}
    check(got[ids[0]]["score"] == new[ids[0]]["score"], "results.json has the new score")


def main():
    organizer, rows, links = setup()
    env = dict(os.environ, PALMARES_SCORES_WAIT_MS="0")
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)
    try:
        wait_for(PORT, server)
        run(organizer, rows, links)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
    finish()
