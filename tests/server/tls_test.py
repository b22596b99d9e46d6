#!/usr/bin/env python3
"""`palmares serve --cert FILE --key FILE`: libmicrohttpd's own TLS (docs/web.md).

With a self-signed certificate made here by `openssl req -x509` (skipped, exit
77, when openssl is missing): the pages answer over HTTPS (Python's ssl client,
unverified), the session cookie of a login is Secure, a POST from the https
origin passes the Origin check, the organizer's links are https ones, and plain
HTTP on that port gets no page. Refused, with exit 2, a message and nothing
served: one option without the other, a missing file, a file that is no
certificate or key, a key that is not the certificate's.
Usage: tls_test.py PALMARES SOURCE_ROOT
"""
import csv
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-tls-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "https://127.0.0.1:%d" % PORT
CONTEXT = ssl._create_unverified_context()


def run(*args, timeout=60):
    return subprocess.run([PALMARES] + list(args), capture_output=True, text=True, timeout=timeout)


def https(method, path, body=None, cookie=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    if cookie:
        h["Cookie"] = "palmares_session=" + cookie
    if body is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c = http.client.HTTPSConnection("127.0.0.1", PORT, timeout=30, context=CONTEXT)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def openssl(*args):
    return subprocess.run(["openssl"] + list(args), capture_output=True, text=True, timeout=60)


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def refused(args, what, needle):
    port = free_port()
    p = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % port] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        served = listening(port)
        p.kill()
        p.communicate()
        check(False, "%s: refused (it served: %s)" % (what, served))
        return
    check(p.returncode == 2 and needle in err, "%s: exit 2, said (%d) %s" % (what, p.returncode, err.strip()))


def main():
    if not shutil.which("openssl"):
        print("skipped: openssl is missing (needed to make a test certificate)")
        sys.exit(77)
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    p = openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1")
    check(p.returncode == 0, "openssl makes a self-signed certificate: %s" % p.stderr[-300:])
    other_key = os.path.join(tmp, "other-key.pem")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", other_key)
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8") as f:
        f.write("town_id,town_name,email,population\n35238,Rennes,mairie@rennes.example.org,222485\n")
    p = run("campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--base-url", ORIGIN)
    check(p.returncode == 0, "campaign init: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]

    notes = os.path.join(tmp, "notes.txt")
    with open(notes, "w") as f:
        f.write("not a certificate\n")
    refused(["--cert", cert], "--cert without --key", "--key")
    refused(["--key", key], "--key without --cert", "--cert")
    refused(["--cert", os.path.join(tmp, "missing.pem"), "--key", key], "a missing certificate file", "missing.pem")
    refused(["--cert", cert, "--key", os.path.join(tmp, "missing-key.pem")], "a missing key file", "missing-key.pem")
    refused(["--cert", notes, "--key", key], "a certificate file that is no certificate", "notes.txt")
    refused(["--cert", cert, "--key", notes], "a key file that is no key", "notes.txt")
    refused(["--cert", cert, "--key", other_key], "a key that is not the certificate's", "key")
    refused(["--cert", key, "--key", cert], "the two files swapped", "key.pem")
    refused(["--cert", cert, "--key", key, "--base-url", "http://label.example.org"],
            "an http:// --base-url with TLS", "https://")

    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--cert", cert,
                               "--key", key], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        st, h, page = https("GET", "/")
        check(st == 200 and "<html" in page, "GET / over HTTPS: 200 (%d)" % st)
        check("nosniff" in h.get("x-content-type-options", ""), "the security headers over HTTPS")
        s = ssl.create_default_context()
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=5) as raw:
                with s.wrap_socket(raw, server_hostname="127.0.0.1"):
                    pass
            verified = True
        except ssl.SSLError:
            verified = False
        check(not verified, "a verifying client refuses the self-signed certificate (it is TLS, not a stub)")
        # Plain HTTP on the TLS port: no page.
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
        try:
            c.request("GET", "/")
            r = c.getresponse()
            plain = r.status == 200
        except (OSError, http.client.HTTPException):
            plain = False
        check(not plain, "plain HTTP on the TLS port gets no page")
        # Log in: the cookie is Secure.
        st, _, page = https("GET", organizer)
        st, h, _ = https("POST", organizer, "csrf=" + (csrf_of(page) or ""))
        cookie = h.get("set-cookie", "")
        m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", cookie)
        check(st == 303 and m, "log in over HTTPS, the Origin https://… accepted (%d)" % st)
        check("; Secure" in cookie and "HttpOnly" in cookie, "the session cookie is Secure: %s" % cookie[50:])
        sess = m.group(1) if m else None
        st, _, page = https("GET", "/organizer", cookie=sess)
        check(st == 200, "the organizer's page over HTTPS (%d)" % st)
        st, h, body = https("POST", "/organizer/links.csv", "csrf=" + (csrf_of(page) or ""), cookie=sess)
        links = [r["link"] for r in csv.DictReader(body.splitlines())]
        check(st == 200 and links and all(x.startswith(ORIGIN + "/login/") for x in links),
              "the organizer's links are https://127.0.0.1:PORT/login/… (%s)" % links[:1])
        st, _, _ = https("POST", "/logout", "csrf=x", cookie=sess)
        check(st == 403, "a POST with a forged CSRF token over HTTPS: 403 (%d)" % st)
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=20)
            err = err.decode("utf-8", "replace")
            check(server.returncode == 0, "the server stops cleanly on SIGTERM (%s)" % server.returncode)
            check(ORIGIN in err, "the server says it serves %s: %s" % (ORIGIN, err.strip()[:200]))
            check("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report: %s" % err[-2000:])
        except subprocess.TimeoutExpired:
            server.kill()
            check(False, "the server stops on SIGTERM")


if __name__ == "__main__":
    main()
    finish()
