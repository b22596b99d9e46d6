#!/usr/bin/env python3
"""The juror's pages of `palmares serve` in a real browser (Debian's chromium, headless,
through chromedriver and python3-selenium), as a juror would use them.

A juror opens their invitation link and clicks "log in", opens their queue, marks three
dossiers one after the other with "save and next", recuses from the fourth with a reason,
downloads their sheet, fills it and uploads it back. A PNG of the queue and of the dossier
page goes to SCREENSHOTS. The setup (a campaign of the five towns of
examples/dossiers-google.csv in its marking phase, assignments in the store) is the one of
jury_marking_test.py; the browser's setup is browser_test.py's.
Without chromium, chromedriver or selenium: exit 77 (skipped), or a failure when
PALMARES_REQUIRE_BROWSER=1.
Usage: browser_jury_test.py PALMARES SOURCE_ROOT SCREENSHOTS [--docs DIR]
With --docs DIR (docs/screenshots, run by hand), the screenshots docs/web.md shows (DOC_SHOTS) are
copied there after a run without failures; the test in meson never writes into the source tree.
"""
import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import selenium  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("PALMARES_BROWSER_REEXEC"):
        os.environ["PALMARES_BROWSER_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, failures, free_port, wait_for  # noqa: E402

REQUIRED = os.environ.get("PALMARES_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
missing = [n for n, p in [("chromium", CHROMIUM), ("chromium-driver", DRIVER)] if not os.access(p, os.X_OK)]
try:
    import selenium.webdriver  # noqa: F401,F811
except ImportError:
    missing.append("python3-selenium")
if missing:
    print("the browser test needs: apt-get install %s" % " ".join(missing))
    sys.exit(1 if REQUIRED else 77)
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DOCS = os.path.abspath(sys.argv[5]) if len(sys.argv) == 6 and sys.argv[4] == "--docs" else None
if len(sys.argv) != 4 and DOCS is None:
    sys.exit(__doc__)
PALMARES, ROOT, SHOTS = (os.path.abspath(a) for a in sys.argv[1:4])
DOC_SHOTS = ["jury-queue", "jury-dossier"]
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-browser-jury-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
TOWNS = ["17300", "38185", "81004", "92040"]  # the queue, by town id
JURY = ["innovation-democratique", "mediation-qualite", "projet-educatif", "contribution-communs"]
YEAR = 365 * 86400


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
    jurors = os.path.join(tmp, "jurors.csv")
    with open(jurors, "w", encoding="utf-8") as f:
        f.write("juror,name,email\nj-nguyen,Thomas Nguyen,thomas@example.org\n")
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--jurors", jurors,
                        "--dossiers", os.path.join(ROOT, "examples", "dossiers-google.csv"), "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', ?), ('marking', ?)", (YEAR, YEAR + 3600))
    db.executemany("INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES ('j-nguyen', ?, 1)",
                   [(t,) for t in TOWNS])
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    return next(r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "juror")


def marks():
    db = sqlite3.connect(DB, timeout=10)
    rows = db.execute("SELECT town_id, criterion, value, comment FROM mark ORDER BY town_id, criterion").fetchall()
    db.close()
    return {(t, c): (v, k) for t, c, v, k in rows}


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
              "--lang=fr-FR", "--no-first-run", "--disable-extensions", "--user-data-dir=" + os.path.join(tmp, "c")]:
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def press(b, element):
    """Clicks and waits for the page the form's answer loads."""
    b.execute_script("window.palmaresOldPage = true")
    element.click()
    WebDriverWait(b, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.palmaresOldPage && document.readyState === 'complete'"))


def shot(b, name):
    path = os.path.join(SHOTS, name + ".png")
    check(b.save_screenshot(path), "screenshot %s" % path)


def run(b, link):
    b.get(link)
    press(b, b.find_element(By.CSS_SELECTOR, "form button"))
    check(b.find_elements(By.CSS_SELECTOR, 'a[href="/jury"]'), "the juror's home links to the queue")
    b.get(ORIGIN + "/jury")
    check(b.find_element(By.ID, "progress").text.startswith("0 / 4"), "the queue: 0 / 4 marked")
    shot(b, "jury-queue")
    b.find_element(By.CSS_SELECTOR, 'tr[data-town="%s"] a' % TOWNS[0]).click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "marks"))
    b.execute_script("document.getElementById('marks').scrollIntoView({block: 'start'});")
    shot(b, "jury-dossier")
    for i, town in enumerate(TOWNS[:3]):
        check(b.current_url.endswith("/jury/dossier/" + town), "on dossier %s (%s)" % (town, b.current_url))
        for k, j in enumerate(JURY):
            field = b.find_element(By.NAME, "m." + j)
            field.clear()
            field.send_keys("%d,5" % ((i + k) % 4))
        b.find_element(By.NAME, "k.mediation-qualite").send_keys("Lu le %d" % i)
        press(b, b.find_element(By.ID, "save-next"))
    check(b.current_url.endswith("/jury/dossier/" + TOWNS[3]), "save and next three times: the fourth dossier")
    m = marks()
    check(all(m.get((t, j), ("",))[0] == "%d,5" % ((i + k) % 4) for i, t in enumerate(TOWNS[:3])
              for k, j in enumerate(JURY)), "the three dossiers' marks are stored as typed")
    b.find_element(By.ID, "in-reason").send_keys("Je suis conseiller municipal de cette commune")
    press(b, b.find_element(By.CSS_SELECTOR, "#recuse button"))
    check(b.find_elements(By.ID, "recused") and b.find_element(By.ID, "progress").text.startswith("3 / 3"),
          "recused: the queue says so, 3 / 3 marked")
    check(not b.find_elements(By.CSS_SELECTOR, 'tr[data-town="%s"]' % TOWNS[3]), "the recused dossier left the queue")
    # The sheet, with the browser's session.
    cookie = b.get_cookie("palmares_session")["value"]
    req = urllib.request.Request(ORIGIN + "/jury/sheet.csv", headers={"Cookie": "palmares_session=" + cookie})
    text = urllib.request.urlopen(req, timeout=30).read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    check(sorted(set(r["town_id"] for r in rows)) == TOWNS[:3], "the sheet has the three dossiers of the queue")
    for r in rows:
        r["mark"] = "4"
        r["comment"] = "relu hors ligne"
    path = os.path.join(tmp, "sheet.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    b.find_element(By.ID, "sheet-file").send_keys(path)
    press(b, b.find_element(By.CSS_SELECTOR, "#sheet-upload button"))
    check(b.find_elements(By.ID, "sheet-saved"), "the filled sheet is saved")
    m = marks()
    check(all(m.get((r["town_id"], r["criterion"])) == ("4", "relu hors ligne") for r in rows),
          "the marks stored equal the sheet")
    shot(b, "jury-sheet-saved")


def main():
    start = time.monotonic()
    os.makedirs(SHOTS, exist_ok=True)
    link = setup()
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    b = None
    try:
        wait_for(PORT, server)
        b = browser()
        b.implicitly_wait(0)
        b.set_page_load_timeout(20)
        run(b, link)
    finally:
        if b is not None:
            b.quit()
        server.terminate()
        try:
            _, err = server.communicate(timeout=20)
            check(server.returncode == 0, "the server stops cleanly on SIGTERM (%s)" % server.returncode)
            err = err.decode("utf-8", "replace")
            check("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report: %s" % err[-2000:])
        except subprocess.TimeoutExpired:
            server.kill()
            check(False, "the server stops on SIGTERM")
        shutil.rmtree(tmp, ignore_errors=True)
    print("%.1f s" % (time.monotonic() - start))


if __name__ == "__main__":
    main()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    if DOCS:
        os.makedirs(DOCS, exist_ok=True)
        for name in DOC_SHOTS:
            shutil.copyfile(os.path.join(SHOTS, name + ".png"), os.path.join(DOCS, name + ".png"))
        print("%d screenshots copied to %s" % (len(DOC_SHOTS), DOCS))
    print("all passed")
