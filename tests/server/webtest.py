"""What the HTTP tests of `palmares serve` share (http_test.py, dossier_test.py):
the ok/FAIL lines, a free loopback port, one request, the CSRF token of a page,
and waiting until a started server answers."""
import http.client
import re
import socket
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
