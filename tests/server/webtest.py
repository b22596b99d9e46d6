"""What the HTTP tests of `palmares serve` share (tests/server/*_test.py): the ok/FAIL
lines, a free loopback port, one request, the CSRF token of a page, waiting until a
started server answers, stopping it with its checks, and the test's end."""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, cookie=None, headers=None, timeout=10):
    """One request to 127.0.0.1:port; returns (status, headers in lower case, body text)."""
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = "palmares_session=" + cookie
    if body is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def csrf_of(page):
    m = re.search(r'name="csrf" value="([A-Za-z0-9_-]{43})"', page)
    return m.group(1) if m else None


def wait_for(port, server):
    """Until the port answers (the server prints nothing we wait on), at most 10 s."""
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.05)
    check(server.poll() is None, "the server runs")


def stop_server(server, timeout=30):
    """SIGTERM, then the checks every test makes: a clean exit, no sanitizer report on stderr."""
    server.terminate()
    try:
        _, err = server.communicate(timeout=timeout)
        check(server.returncode == 0, "the server stops cleanly on SIGTERM (%s)" % server.returncode)
        err = err.decode("utf-8", "replace") if err else ""
        check("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report: %s" % err[-2000:])
    except subprocess.TimeoutExpired:
        server.kill()
        check(False, "the server stops on SIGTERM")


def finish():
    """The end of a test: its count of failures, and the exit status meson reads."""
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all passed")


def no_jury_rubric(root, out):
    """The bundled rubric without its jury criteria, written to out: with no marks online yet, a jury
    criterion leaves every dossier waiting for the jury, and tests of scores, levels and certificates
    want them from the answers alone. The levels' requirements that name a jury criterion go too."""
    with open(os.path.join(root, "criteria", "villes-internet-2027.json"), encoding="utf-8") as f:
        rubric = json.load(f)
    jury = set()
    for cat in rubric["categories"]:
        jury |= {c["id"] for c in cat["criteria"] if c["kind"] == "jury"}
        cat["criteria"] = [c for c in cat["criteria"] if c["kind"] != "jury"]
    rubric.pop("jury", None)
    for lvl in rubric["levels"]:
        req = lvl.get("requires", {})
        if "and" in req:
            req["and"] = [r for r in req["and"] if not any(j in json.dumps(r) for j in jury)]
    check(not any(j in json.dumps(rubric) for j in jury), "the test's rubric names no jury criterion")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rubric, f, ensure_ascii=False, indent=1)
