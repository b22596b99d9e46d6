#!/usr/bin/env python3
"""The publication of `palmares serve` in a real browser (Debian's chromium, headless, chromedriver,
python3-selenium), as people would: the organizer opens the publish page from the menu, ticks the
confirmation and publishes; the town logs in, finds its certificate on its home page and downloads
it (with the browser's session); anyone reads the palmarès; after a second publication that
changed the town's results, a stranger types the town's old code on /verify and sees it superseded.
Screenshots (publish, published, palmares, home-town-published, verify-superseded) go to
SCREENSHOTS. Without the browser: exit 77 (skipped), or a failure when PALMARES_REQUIRE_BROWSER=1.
Usage: browser_publish_test.py PALMARES SOURCE_ROOT SCREENSHOTS
"""
import csv
import hashlib
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

# Debian's python3-selenium is installed for Debian's python3 (see browser_test.py).
try:
    import selenium  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("PALMARES_BROWSER_REEXEC"):
        os.environ["PALMARES_BROWSER_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, failures, free_port, no_jury_rubric, wait_for  # noqa: E402

REQUIRED = os.environ.get("PALMARES_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
missing = [n for n, ok in (("chromium", os.access(CHROMIUM, os.X_OK)), ("chromium-driver", os.access(DRIVER, os.X_OK)))
           if not ok]
try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    missing.append("python3-selenium")
if missing:
    print("the browser test needs: apt-get install %s" % " ".join(missing))
    sys.exit(1 if REQUIRED else 77)

if len(sys.argv) != 4:
    sys.exit(__doc__)
PALMARES, ROOT, SHOTS = (os.path.abspath(a) for a in sys.argv[1:4])
tmp = tempfile.mkdtemp(prefix="palmares-browser-publish-")
RUBRIC = os.path.join(tmp, "rubric.json")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


def code_of(sha, town, level, mentions):
    """docs/verification-code.md, written independently of the C code."""
    parts = [b"palmares-certificate/1", sha.encode(), town.encode(), str(level).encode()]
    parts += sorted(m.encode() for m in mentions)
    v = int.from_bytes(hashlib.sha256(b"\0".join(parts)).digest()[:8], "big") >> 4
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    s = "".join(alphabet[(v >> (5 * (11 - i))) & 31] for i in range(12))
    return "%s-%s-%s" % (s[:4], s[4:8], s[8:])


def setup():
    """Five sample towns with their dossiers, the campaign in deliberation; the links."""
    no_jury_rubric(ROOT, RUBRIC)
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        sample = list(csv.DictReader(f))
    with open(RUBRIC, encoding="utf-8") as f:
        ids = {c["id"] for cat in json.load(f)["categories"] for c in cat["criteria"]}
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    towns, dossiers = os.path.join(tmp, "towns.csv"), os.path.join(tmp, "dossiers.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in sample:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    keep = [k for k in sample[0] if k in cols or k in ids or (k.endswith(".evidence") and k[:-9] in ids)]
    with open(dossiers, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keep, extrasaction="ignore")
        w.writeheader()
        for r in sample:
            w.writerow(r)
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors",
                        os.path.join(ROOT, "examples", "jurors.csv"), "--dossiers", dossiers, "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1]
    db = sqlite3.connect(DB, timeout=10)
    db.executemany("INSERT INTO phase (phase, starts_at) VALUES (?, ?)",
                   [("submission", 0), ("marking", 1), ("deliberation", 2)])
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {r["id"]: r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town"}
    return organizer, links


def shot(b, name):
    path = os.path.join(SHOTS, name + ".png")
    check(b.save_screenshot(path), "screenshot %s" % path)


def press(b, css):
    """Clicks and waits for the page the form's answer loads (the old page carries a mark)."""
    b.execute_script("window.palmaresOldPage = true")
    b.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(b, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.palmaresOldPage && document.readyState === 'complete'"))


def log_in(b, link):
    b.delete_all_cookies()
    b.get(link)
    press(b, "main button[type=submit]")
    check(b.current_url == ORIGIN + "/", "logged in from the link (%s)" % b.current_url)


def fetch(b, path):
    """GET path with the browser's session, as its download would: (status, type, body bytes)."""
    cookie = b.get_cookie("palmares_session")
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.request("GET", path, headers={"Cookie": "palmares_session=" + cookie["value"]} if cookie else {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type"), data


def publish(b):
    b.find_element(By.CSS_SELECTOR, "a[href='/organizer/publish']").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "confirm"))
    b.find_element(By.ID, "confirm").click()
    press(b, "#publish")
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "published"))


def results(version):
    db = sqlite3.connect(DB, timeout=10)
    text = db.execute("SELECT results_json FROM publication WHERE version = ?", (version,)).fetchone()[0]
    db.close()
    return json.loads(text)


def run(b, organizer, links):
    # the organizer publishes from the menu
    log_in(b, organizer)
    session = b.get_cookie("palmares_session")  # an invitation works once: the organizer comes back with it
    b.get(ORIGIN + "/organizer")
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href='/organizer/publish']"))
    b.find_element(By.CSS_SELECTOR, "a[href='/organizer/publish']").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "publish"))
    shot(b, "publish")
    b.get(ORIGIN + "/organizer")
    publish(b)
    rows = b.find_elements(By.CSS_SELECTOR, "#versions tr[data-version]")
    check(len(rows) == 1, "the versions' table shows version 1 (%d rows)" % len(rows))
    shot(b, "published")
    res1 = results(1)
    town = next(t for t in res1["towns"] if t["level"] >= 1 and not t["errors"])
    # the town downloads its certificate from its home page
    log_in(b, links[town["id"]])
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href='/dossier/certificate.pdf']"))
    shot(b, "home-town-published")
    href = b.find_element(By.CSS_SELECTOR, "a[href='/dossier/certificate.pdf']").get_attribute("href")
    st, ctype, pdf = fetch(b, href[len(ORIGIN):])
    check(st == 200 and ctype == "application/pdf" and pdf[:5] == b"%PDF-", "the town downloads its certificate")
    # anyone reads the palmarès
    b.delete_all_cookies()
    b.get(ORIGIN + "/")
    b.find_element(By.CSS_SELECTOR, "a[href='/palmares']").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "section[data-level]"))
    check(town["name"] in b.find_element(By.TAG_NAME, "main").text, "the palmarès lists the town")
    shot(b, "palmares")
    # an override (by SQL: the deliberation page is another's), the organizer publishes again
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO override (town_id, level, reason, at) VALUES (?, '0', 'Jury: not online yet', 0)",
               (town["id"],))
    db.execute("INSERT INTO audit (at, what, subject) VALUES (?, 'test', ?)", (int(time.time()), town["id"]))
    db.commit()
    db.close()
    b.delete_all_cookies()
    b.add_cookie({"name": "palmares_session", "value": session["value"], "path": "/"})
    b.get(ORIGIN + "/organizer")
    publish(b)
    check(len(b.find_elements(By.CSS_SELECTOR, "#versions tr[data-version]")) == 2, "two versions listed")
    # a stranger checks the town's old code
    b.delete_all_cookies()
    b.get(ORIGIN + "/verify")
    b.find_element(By.NAME, "code").send_keys(code_of(res1["rubric"]["sha256"], town["id"], town["level"],
                                                      town["mentions"]))
    press(b, "main form button[type=submit]")
    check(b.find_elements(By.ID, "superseded") and town["name"] in b.find_element(By.TAG_NAME, "main").text,
          "the old code shows its certificate as superseded")
    shot(b, "verify-superseded")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    organizer, links = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    b = None
    try:
        wait_for(PORT, server)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                  "--lang=fr-FR", "--no-first-run", "--disable-extensions",
                  "--user-data-dir=" + os.path.join(tmp, "c")]:
            opts.add_argument(a)
        opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        b = webdriver.Chrome(service=Service(DRIVER), options=opts)
        b.set_page_load_timeout(60)
        run(b, organizer, links)
    finally:
        if b is not None:
            b.quit()
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
            check(server.returncode == 0, "the server stops cleanly on SIGTERM (%s)" % server.returncode)
            err = err.decode("utf-8", "replace")
            check("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report: %s" % err[-2000:])
        except subprocess.TimeoutExpired:
            server.kill()
            check(False, "the server stops on SIGTERM")
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("all passed")


main()
