#!/usr/bin/env python3
"""HTTP tests of `palmares serve` (issue 11), Python standard library only.

Creates a campaign from the bundled rubric and the sample towns (with e-mails
and one town whose name is an HTML payload), starts the server on a free
loopback port with a published results file, and tries every route as a
stranger, a town and the organizer: statuses, security headers, sessions
(forged, expired, logged out), single-use invitations, CSRF and Origin on every
POST, body limits, text checks, escaping, languages, the /verify rate limit.
Usage: http_test.py PALMARES SOURCE_ROOT
"""
import base64
import csv
import hashlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import webtest  # noqa: E402
from webtest import check, csrf_of, failures, free_port, request, stop_server  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
RESULTS = os.path.join(ROOT, "tests", "data", "results-fr.json")
HOSTILE = '<script>alert("x")</script> & Saint-Évry'
def code_of(sha, town, level, mentions):
    """docs/verification-code.md, written independently of the C code."""
    parts = [b"palmares-certificate/1", sha.encode(), town.encode(), str(level).encode()]
    parts += sorted(m.encode() for m in mentions)
    v = int.from_bytes(hashlib.sha256(b"\0".join(parts)).digest()[:8], "big") >> 4
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    s = "".join(alphabet[(v >> (5 * (11 - i))) & 31] for i in range(12))
    return "%s-%s-%s" % (s[:4], s[4:8], s[8:])


tmp = tempfile.mkdtemp(prefix="palmares-http-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def req(method, path, body=None, cookie=None, headers=None):
    return request(PORT, method, path, body, cookie, headers)


def login(link_path):
    """Follows an invitation: the GET page, then its button. Returns the session cookie."""
    st, _, page = req("GET", link_path)
    check(st == 200, "GET %s... shows the login button (%d)" % (link_path[:16], st))
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""), headers={"Origin": ORIGIN})
    check(st == 303 and h.get("location") == "/", "POST the login button: 303 to / (%d)" % st)
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    return m.group(1) if m else None


def raw(data, read=True):
    """Sends raw bytes; returns the status line's code (0 when the server closed first)."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    try:
        s.sendall(data)
    except OSError:
        pass
    out = b""
    try:
        while b"\r\n" not in out:
            got = s.recv(4096)
            if not got:
                break
            out += got
    except OSError:
        pass
    s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", out)
    return int(m.group(1)) if m else 0


def wait_for(server):
    webtest.wait_for(PORT, server)


def setup():
    towns = os.path.join(tmp, "towns.csv")
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
        w.writerow(["99999", HOSTILE, "1000", "Île-de-France", "91", "commune", "x@example.org"])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors",
                        os.path.join(ROOT, "examples", "jurors.csv"), "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1]
    check(organizer.startswith(ORIGIN + "/login/"), "campaign init prints the organizer's link")
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "exists already" in p.stderr, "campaign init refuses an existing file")
    return organizer[len(ORIGIN):], rows[0]["town_id"]


def cli_errors():
    """campaign init and serve refuse bad input with exit 2 and leave no campaign file behind."""
    dup = os.path.join(tmp, "dup.csv")
    with open(dup, "w", encoding="utf-8") as f:
        f.write("town_id,town_name,email\n1,A,a@example.org\n1,B,b@example.org\n")
    jurors = os.path.join(ROOT, "examples", "jurors.csv")
    cases = [
        (["campaign", "init", "x.db", "--rubric", RUBRIC, "--towns", dup], "listed twice"),
        (["campaign", "init", "x.db", "--rubric", RUBRIC, "--towns", jurors], '"town_name"'),
        (["campaign", "init", "x.db", "--rubric", jurors, "--towns", dup], "has errors"),
        (["campaign", "init", "x.db", "--rubric", RUBRIC], "needs --rubric and --towns"),
        (["campaign", "init", "x.db", "--rubric", RUBRIC, "--towns", os.path.join(tmp, "none.csv")], "cannot open"),
        (["campaign", "links", "x.db"], "x.db"),
        (["campaign", "list"], "unknown subcommand"),
        (["serve", "x.db"], "x.db"),
        (["serve", DB, "--listen", "localhost"], "is not HOST:PORT"),
        (["serve", DB, "--base-url", "ftp://x"], "not an http"),
    ]
    for args, want in cases:
        p = subprocess.run([PALMARES] + args, capture_output=True, text=True, timeout=60, cwd=tmp)
        check(p.returncode == 2 and want in p.stderr, "palmares %s: exit 2, %r (%d: %s)"
              % (" ".join(args[:2]), want, p.returncode, (p.stderr.strip().splitlines() or [""])[-1][:200]))
        check(not os.path.exists(os.path.join(tmp, "x.db")), "no campaign file left behind")


def links():
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0, "campaign links exits 0: %s" % p.stderr)
    rows = list(csv.DictReader(p.stdout.splitlines()))
    check(rows and set(rows[0]) == {"role", "id", "name", "email", "link"}, "links CSV columns")
    return rows


def main():
    organizer_link, first_town = setup()
    cli_errors()
    rows = links()
    town_link = {r["id"]: r["link"][len(ORIGIN):] for r in rows if r["role"] == "town"}
    juror_link = next(r["link"][len(ORIGIN):] for r in rows if r["role"] == "juror")
    check(any(r["role"] == "juror" for r in rows) and any(r["role"] == "organizer" for r in rows),
          "links CSV has jurors and the organizer")
    check(any(r["name"] == HOSTILE for r in rows), "the payload town's name stored as typed")

    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--results", RESULTS],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(server)
        run(organizer_link, town_link, first_town, juror_link)
    finally:
        stop_server(server, timeout=20)


def run(organizer_link, town_link, first_town, juror_link):
    # Headers and a stranger's view.
    st, h, page = req("GET", "/")
    check(st == 200 and "Accueil" in page and 'lang="fr"' in page, "/ as a stranger, French by default")
    check(h.get("content-security-policy", "").startswith("default-src 'self'; frame-ancestors 'none'"),
          "Content-Security-Policy")
    check(h.get("x-content-type-options") == "nosniff", "X-Content-Type-Options")
    check(h.get("referrer-policy") == "same-origin", "Referrer-Policy")
    check("<script" not in page and " style=" not in page, "no inline script or style")
    st, _, page = req("GET", "/?lang=en")
    check(st == 200 and "Home" in page and 'lang="en"' in page, "?lang=en")
    st, _, page = req("GET", "/", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
    check("Home" in page, "Accept-Language en")
    st, _, page = req("GET", "/", headers={"Accept-Language": "de, en;q=0.3, fr;q=0.8"})
    check("Accueil" in page, "Accept-Language prefers fr by q")
    st, h, css = req("GET", "/static/palmares.css")
    check(st == 200 and h.get("content-type", "").startswith("text/css") and "body" in css, "the CSS file")
    for path in ["/organizer", "/nothing", "/organizer/links.csv", "/login/short", "/login/" + "A" * 43,
                 "/verify/x/y", "/static/other.css"]:
        st, h, _ = req("GET", path)
        check(st == 404, "GET %s as a stranger: 404 (%d)" % (path, st))
    st, _, page = req("GET", "//evil.example/x")
    check(st == 404 and "//evil" not in page, "a 404 page never links off the site")
    st, _, _ = req("POST", "/organizer/links.csv", "csrf=" + "A" * 43)
    check(st in (403, 404), "POST /organizer/links.csv as a stranger refused (%d)" % st)

    # /verify against the published results.
    res = json.load(open(RESULTS, encoding="utf-8"))
    town = next(t for t in res["towns"] if t["status"] == "scored" and (t.get("level") or 0) >= 1)
    code = code_of(res["rubric"]["sha256"], town["id"], town["level"], town["mentions"])
    st, _, page = req("GET", "/verify")
    check(st == 200 and 'name="code"' in page, "/verify shows the form")
    st, _, page = req("GET", "/verify/" + code)
    check(st == 200 and town["name"] in page.replace("&#39;", "'"), "/verify/CODE shows its town")
    label = res["rubric"].get("label")
    label = label.get("fr") if isinstance(label, dict) else label
    check("<th>Label</th><td>%s</td>" % label in page.replace("&#39;", "'") and
          "<th>Édition</th><td>%s</td>" % res["rubric"].get("edition") in page,
          "/verify/CODE shows the label and its edition (%s, %s)" % (label, res["rubric"].get("edition")))
    st, _, page = req("GET", "/verify?code=" + code.lower().replace("-", ""))
    check(st == 200 and town["name"] in page.replace("&#39;", "'"), "/verify?code= (any case, no hyphens)")
    st, _, page = req("GET", "/verify/0000-0000-0000")
    check(st == 404 and "Aucun certificat ne porte ce code" in page, "an unknown code: no certificate")
    st, _, page = req("GET", "/verify/0000-0000-000U?lang=en")
    check(st == 400 and "not a verification code" in page, "a malformed code: 400")

    # The organizer's invitation: a GET uses nothing; the POST needs its CSRF token and Origin.
    st, _, page = req("GET", organizer_link)
    token = csrf_of(page)
    check(st == 200 and token, "GET the organizer's link: the login button with a CSRF token")
    st, _, _ = req("GET", organizer_link)
    check(st == 200, "a second GET still shows it (a GET uses nothing)")
    st, _, _ = req("POST", organizer_link, "")
    check(st == 403, "login without CSRF token: 403 (%d)" % st)
    st, _, _ = req("POST", organizer_link, "csrf=" + "B" * 43)
    check(st == 403, "login with a wrong CSRF token: 403 (%d)" % st)
    st, _, _ = req("POST", organizer_link, "csrf=" + token, headers={"Origin": "https://evil.example"})
    check(st == 403, "login from another Origin: 403 (%d)" % st)
    st, h, _ = req("POST", organizer_link, "csrf=" + token, headers={"Origin": ORIGIN})
    cookie = h.get("set-cookie", "")
    check(st == 303 and h.get("location") == "/", "login: 303 to / (%d)" % st)
    check("HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie,
          "session cookie flags (no Secure over http): %s" % cookie)
    org = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", cookie).group(1)
    st, _, _ = req("POST", organizer_link, "csrf=" + token)
    check(st == 404, "a used invitation: 404 on POST (%d)" % st)
    st, _, _ = req("GET", organizer_link)
    check(st == 404, "a used invitation: 404 on GET (%d)" % st)

    # The organizer.
    st, h, page = req("GET", "/", cookie=org)
    check(st == 200 and 'href="/organizer"' in page and "organisateur" in page, "/ as the organizer")
    check(h.get("cache-control") == "no-store", "a page with personal data: Cache-Control no-store")
    st, h, page = req("GET", "/organizer", cookie=org)
    check(st == 200 and h.get("cache-control") == "no-store", "/organizer as the organizer")
    check("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Saint-Évry" in page and
          "<script>" not in page, "an HTML payload in a town name is shown escaped")
    check("pas commencé" in page and first_town in page, "/organizer lists the dossiers with their status")
    ocsrf = csrf_of(page)
    st, _, _ = req("POST", "/organizer/links.csv", "", cookie=org)
    check(st == 403, "links.csv without CSRF token: 403 (%d)" % st)
    st, _, _ = req("POST", "/organizer/links.csv", "csrf=" + "C" * 43, cookie=org)
    check(st == 403, "links.csv with a wrong CSRF token: 403 (%d)" % st)
    st, _, _ = req("POST", "/organizer/links.csv", "csrf=" + ocsrf, cookie=org,
                   headers={"Origin": "http://127.0.0.1:1"})
    check(st == 403, "links.csv from another Origin: 403 (%d)" % st)
    st, h, body = req("POST", "/organizer/links.csv", "csrf=" + ocsrf, cookie=org, headers={"Origin": ORIGIN})
    check(st == 200 and h.get("content-type", "").startswith("text/csv") and
          "attachment" in h.get("content-disposition", "") and h.get("cache-control") == "no-store",
          "links.csv as the organizer: a CSV attachment (%d)" % st)
    web_rows = list(csv.DictReader(body.splitlines()))
    check(len(web_rows) > 10 and web_rows[0]["link"].startswith(ORIGIN + "/login/"), "links.csv rows")

    # A town.
    t = login(town_link[first_town])
    check(t is not None, "the town logs in")
    st, h, page = req("GET", "/", cookie=t)
    check(st == 200 and "commune" in page and h.get("cache-control") == "no-store", "/ as a town")
    st, _, _ = req("GET", "/organizer", cookie=t)
    check(st == 404, "/organizer as a town: 404 (%d)" % st)
    st, _, page = req("GET", "/", cookie=t)
    st, _, _ = req("POST", "/organizer/links.csv", "csrf=" + csrf_of(page), cookie=t)
    check(st == 404, "links.csv as a town (with its own CSRF token): 404 (%d)" % st)
    st, _, _ = req("POST", "/logout", "csrf=" + ocsrf, cookie=t)
    check(st == 403, "another session's CSRF token: 403 (%d)" % st)
    juror = login(juror_link)
    st, h, page = req("GET", "/", cookie=juror)
    check(st == 200 and "juré" in page and h.get("cache-control") == "no-store", "/ as a juror")
    st, _, _ = req("GET", "/organizer", cookie=juror)
    check(st == 404, "/organizer as a juror: 404 (%d)" % st)
    st, _, _ = req("POST", "/organizer/links.csv", "csrf=" + csrf_of(page), cookie=juror)
    check(st == 404, "links.csv as a juror: 404 (%d)" % st)
    hostile = login(town_link["99999"])
    st, _, page = req("GET", "/", cookie=hostile)
    check("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "<script>" not in page,
          "the payload town sees its name escaped")

    # Forged and expired sessions are no session.
    for forged in ["A" * 43, "not-a-token", base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")]:
        st, _, page = req("GET", "/organizer", cookie=forged)
        check(st == 404, "/organizer with a forged session: 404 (%d)" % st)
        st, _, page = req("GET", "/", cookie=forged)
        check("pas connecté" in page, "/ with a forged session: a stranger")
    db = sqlite3.connect(DB, timeout=10)
    raw_token = base64.urlsafe_b64decode(org + "=")
    db.execute("UPDATE session SET expires_at = 1 WHERE token_hash = ?",
               (hashlib.blake2b(raw_token, digest_size=32).digest(),))
    db.commit()
    db.close()
    st, _, page = req("GET", "/organizer", cookie=org)
    check(st == 404, "/organizer with an expired session: 404 (%d)" % st)

    # Bodies: size, type, text.
    st, _, page = req("GET", "/", cookie=t)
    tcsrf = csrf_of(page)
    st, _, page = req("POST", "/logout", "csrf=%s&name=%%FF" % tcsrf, cookie=t)
    check(st == 400 and "UTF-8" in page, "invalid UTF-8 in a field: 400 with a clear page (%d)" % st)
    st, _, page = req("POST", "/logout", "csrf=%s&name=a%%00b" % tcsrf, cookie=t)
    check(st == 400, "a NUL in a field: 400 (%d)" % st)
    st, _, page = req("POST", "/logout", "csrf=%s&name=%%G1" % tcsrf, cookie=t)
    check(st == 400, "a malformed %%-escape: 400 (%d)" % st)
    st, _, _ = req("POST", "/logout", "csrf=" + tcsrf, cookie=t,
                   headers={"Content-Type": "text/plain"})
    check(st == 415, "an unsupported form type: 415 (%d)" % st)
    st, _, _ = req("POST", "/logout", "csrf=" + tcsrf, cookie=t,
                   headers={"Content-Type": "multipart/form-data; boundary=x"})
    check(st == 400, "a urlencoded body sent as multipart: 400 (%d)" % st)
    mp = "multipart/form-data; boundary=BB"
    cut = "--BB\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n" % tcsrf
    st, _, _ = req("POST", "/logout", cut, cookie=t, headers={"Content-Type": mp})
    check(st == 400, "a multipart body cut short (no closing delimiter): 400 (%d)" % st)
    st, _, _ = req("POST", "/logout", cut.replace(tcsrf, "forged") + "--BB--", cookie=t,
                   headers={"Content-Type": mp})
    check(st == 403, "a multipart form with a forged CSRF token: 403 (%d)" % st)
    big = (cut + "--BB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n").encode()
    big += b"x" * (16 << 20) + b"\r\n--BB--"
    code413 = raw(b"POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + mp.encode() +
                  b"\r\nCookie: palmares_session=%s\r\nContent-Length: %d\r\n\r\n%s" % (t.encode(), len(big), big))
    check(code413 == 413, "an upload over 16 MiB: 413 (%d)" % code413)
    body = ("csrf=%s&pad=%s" % (tcsrf, "x" * (1 << 20))).encode()
    code413 = raw(b"POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
                  b"urlencoded\r\nCookie: palmares_session=%s\r\nContent-Length: %d\r\n\r\n%s"
                  % (t.encode(), len(body), body))
    check(code413 == 413, "a form over 1 MiB: 413 (%d)" % code413)
    code413 = raw(("POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
                   "urlencoded\r\nContent-Length: %d\r\n\r\n" % (50 << 20)).encode())
    check(code413 == 413, "a declared 50 MiB body refused before it is sent: 413 (%d)" % code413)
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    code413 = raw(b"POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
                  b"urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 17 + b"0\r\n\r\n")
    check(code413 == 413, "a chunked body over 1 MiB: 413 (%d)" % code413)

    # Logout: the session is gone; the Origin is checked there too.
    st, _, _ = req("POST", "/logout", "csrf=" + tcsrf, cookie=t, headers={"Origin": "null"})
    check(st == 403, "logout from an opaque Origin: 403 (%d)" % st)
    st, h, _ = req("POST", "/logout", cut + "--BB--", cookie=t, headers={"Origin": ORIGIN, "Content-Type": mp})
    check(st == 303 and "Max-Age=0" in h.get("set-cookie", ""),
          "logout (a multipart form, as any form may be): 303 and the cookie cleared (%d)" % st)
    st, _, page = req("GET", "/", cookie=t)
    check("pas connecté" in page, "after logout the old cookie is no session")

    # Requests in parallel: each pool thread with its own store connection.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: req("GET", "/" if i % 2 else "/static/palmares.css", cookie=hostile)[0],
                            range(200)))
    check(got == [200] * 200, "200 requests in parallel, 8 at a time: all 200")

    # The /verify rate limit (last: it uses up this client's window).
    seen = []
    for _ in range(40):
        st, _, _ = req("GET", "/verify/0000-0000-0000")
        seen.append(st)
    check(seen[0] == 404 and 429 in seen and seen[-1] == 429, "/verify is rate-limited per client: %s" % seen)
    st, _, _ = req("GET", "/")
    check(st == 200, "other pages still answer")


def https_base():
    """Behind an HTTPS proxy: --base-url https://... makes the cookie Secure and is the only Origin."""
    global PORT
    base = "https://label.example.org"
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", base], capture_output=True, text=True,
                       timeout=60)
    link = next(r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town")
    check(link.startswith(base + "/login/"), "links on the base URL")
    path = link[len(base):]
    db = sqlite3.connect(DB, timeout=10)
    db.execute("DELETE FROM rate_limit")  # the first server's /verify window, for the lookup below
    db.commit()
    db.close()
    PORT = free_port()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", base + "/"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(server)
        st, _, page = req("GET", path)
        token = csrf_of(page) or ""
        st, _, _ = req("POST", path, "csrf=" + token, headers={"Origin": "http://127.0.0.1:%d" % PORT})
        check(st == 403, "behind the proxy, the loopback Origin is not the server's: 403 (%d)" % st)
        st, h, _ = req("POST", path, "csrf=" + token, headers={"Origin": base})
        check(st == 303 and "; Secure" in h.get("set-cookie", ""), "an https base URL: the cookie is Secure")
        st, _, page = req("GET", "/verify/0000-0000-0000")
        check(st == 404 and "Aucun certificat ne porte ce code" in page, "without --results: no certificate")
    finally:
        server.terminate()
        try:
            server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
        check(server.returncode == 0, "the second server stops cleanly (%s)" % server.returncode)


if __name__ == "__main__":
    main()
    https_base()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all passed")
