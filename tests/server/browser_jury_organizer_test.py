#!/usr/bin/env python3
"""The organizer's running of the jury in a real browser (Debian's chromium, headless, through
chromedriver and python3-selenium), as browser_test.py drives the town's pages.

On the sample campaign (scripts/serve-sample.sh's: 30 towns, the dossiers of dossiers-google.csv and
dossiers.json filled in, the 6 jurors of examples/jurors.csv), the organizer logs in from the link, opens
"Jurés" from the menu, adds a jurors file (a refused one first: the line is said), opens "Répartition",
previews an assignment (nothing saved), accepts it (the store holds the plan shown), and moves one
dossier to another juror (first to a juror of its own town: refused, nothing changed).
A PNG screenshot of the jurors page, the preview and the assignment page goes to SCREENSHOTS.
Without chromium, chromedriver or selenium: exit 77 (skipped), or a failure when
PALMARES_REQUIRE_BROWSER=1.
Usage: browser_jury_organizer_test.py PALMARES SOURCE_ROOT SCREENSHOTS [--docs DIR]
With --docs DIR (docs/screenshots), the screenshots docs/web.md shows (DOC_SHOTS) are copied there after a
run without failures, as browser_test.py does; the test in meson never writes into the source tree.
"""
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

try:
    import selenium  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("PALMARES_BROWSER_REEXEC"):
        os.environ["PALMARES_BROWSER_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, failures, finish, free_port, wait_for  # noqa: E402

REQUIRED = os.environ.get("PALMARES_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def skip_without_browser():
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append("chromium")
    if not os.access(DRIVER, os.X_OK):
        missing.append("chromium-driver")
    try:
        import selenium.webdriver  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    if missing:
        print("the browser test needs: apt-get install %s" % " ".join(missing))
        sys.exit(1 if REQUIRED else 77)


skip_without_browser()
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

DOCS = os.path.abspath(sys.argv[5]) if len(sys.argv) == 6 and sys.argv[4] == "--docs" else None
if len(sys.argv) != 4 and DOCS is None:
    sys.exit(__doc__)
PALMARES, ROOT, SHOTS = (os.path.abspath(a) for a in sys.argv[1:4])
DOC_SHOTS = ["jury-jurors", "jury-assignment-preview"]
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
EX = os.path.join(ROOT, "examples")
tmp = tempfile.mkdtemp(prefix="palmares-browser-jury-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


class State:
    browser = None
    organizer_link = None
    plan = None  # the pairs the preview showed


def db(sql, args=()):
    c = sqlite3.connect(DB, timeout=10)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def pairs():
    return sorted(db("SELECT juror_id, town_id FROM assignment"))


def setup(s):
    """The sample campaign, as scripts/serve-sample.sh makes it."""
    subprocess.run([PALMARES, "score", RUBRIC] + [os.path.join(EX, f) for f in (
        "dossiers-excel.csv", "dossiers-libreoffice.csv", "dossiers-google.csv", "dossiers.json")] +
        ["--format", "json", "-o", os.path.join(tmp, "towns.json")], capture_output=True, timeout=120)
    towns = json.load(open(os.path.join(tmp, "towns.json"), encoding="utf-8"))["towns"]
    attrs = []
    for t in towns:
        attrs += [a for a in t["attributes"] if a not in attrs]
    path = os.path.join(tmp, "towns.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["town_id", "town_name", "email"] + attrs)
        for t in towns:
            w.writerow([t["id"], t["name"], "mairie-%s@example.org" % t["id"]] + [t["attributes"].get(a, "") for a in attrs])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", path, "--jurors",
                        os.path.join(EX, "jurors.csv"), "--dossiers", os.path.join(EX, "dossiers-google.csv"),
                        "--dossiers", os.path.join(EX, "dossiers.json"), "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr[-500:])
    s.organizer_link = p.stdout.strip().splitlines()[-1]
    with open(os.path.join(tmp, "bad-jurors.csv"), "w", encoding="utf-8") as f:
        f.write("juror,name,email\nj-zola,Émile Zola,emile@example.org\nj-zola,Émile again,e2@example.org\n")
    with open(os.path.join(tmp, "jurors.csv"), "w", encoding="utf-8") as f:
        f.write("juror,name,email,town_id,region,conflicts\n"
                "j-zola,Émile Zola,emile@example.org,,Île-de-France,\n"
                "j-sand,George Sand,george@example.org,,Centre-Val de Loire,\n")


def shot(s, name, element=None):
    if element is not None:
        s.browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    path = os.path.join(SHOTS, name + ".png")
    check(s.browser.save_screenshot(path), "screenshot %s" % path)


def press(s, text):
    """Clicks the button and waits for the page the form's answer loads (browser_test.py's way)."""
    s.browser.execute_script("window.palmaresOldPage = true")
    s.browser.find_element(By.XPATH, "//button[normalize-space()='%s']" % text).click()
    WebDriverWait(s.browser, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.palmaresOldPage && document.readyState === 'complete'"))


def main_text(s):
    return s.browser.find_element(By.TAG_NAME, "main").text


def step_organizer_logs_in(s):
    s.browser.get(s.organizer_link)
    press(s, "Se connecter")
    check("organisateur" in s.browser.find_element(By.CSS_SELECTOR, "header .who").text, "the organizer is logged in")


def step_organizer_imports_jurors(s):
    s.browser.get(ORIGIN + "/organizer")
    s.browser.find_element(By.CSS_SELECTOR, "nav a[href='/organizer/jurors']").click()
    WebDriverWait(s.browser, 60).until(lambda b: b.find_elements(By.ID, "jurors"))
    rows = s.browser.find_elements(By.CSS_SELECTOR, "#jurors tr[data-juror]")
    check(len(rows) == 6, "the jurors page lists the 6 jurors (%d)" % len(rows))
    s.browser.find_element(By.ID, "jurors-file").send_keys(os.path.join(tmp, "bad-jurors.csv"))
    press(s, "Ajouter les jurés")
    box = s.browser.find_elements(By.ID, "import-problems")
    check(box and "3" in box[0].text and "j-zola" in box[0].text,
          "a juror listed twice: refused, its line said (%s)" % (box[0].text if box else ""))
    check(db("SELECT count(*) FROM juror")[0][0] == 6, "nothing added")
    s.browser.find_element(By.ID, "jurors-file").send_keys(os.path.join(tmp, "jurors.csv"))
    press(s, "Ajouter les jurés")
    check("Jurés ajoutés : 2" in main_text(s), "the page says two jurors were added")
    rows = s.browser.find_elements(By.CSS_SELECTOR, "#jurors tr[data-juror]")
    check(len(rows) == 8 and db("SELECT count(*) FROM juror")[0][0] == 8, "8 jurors now (%d rows)" % len(rows))


def step_organizer_previews(s):
    s.browser.find_element(By.CSS_SELECTOR, "nav a[href='/organizer/assignment']").click()
    WebDriverWait(s.browser, 60).until(lambda b: b.find_elements(By.ID, "run"))
    check("Aucun dossier n'est encore attribué" in main_text(s), "no assignment yet")
    box = s.browser.find_element(By.ID, "per-dossier")
    box.clear()
    box.send_keys("2")
    seed = s.browser.find_element(By.ID, "seed")
    seed.clear()
    seed.send_keys("3")
    press(s, "Prévisualiser")
    check(s.browser.find_elements(By.ID, "plan-by-dossier"), "the preview shows the plan per dossier")
    n = int(s.browser.find_element(By.ID, "plan-pairs").text)
    loads = [int(e.text) for e in s.browser.find_elements(By.CSS_SELECTOR, "#plan-by-juror td.load")]
    check(n == 60 and sum(loads) == 60 and max(loads) - min(loads) <= 1,
          "30 dossiers × 2 jurors, loads even (%d pairs, loads %s)" % (n, loads))
    check(pairs() == [], "the preview saved nothing")
    s.plan = sorted((r.get_attribute("data-town"), r.find_elements(By.TAG_NAME, "td")[2].text)
                    for r in s.browser.find_elements(By.CSS_SELECTOR, "#plan-by-dossier tr[data-town]"))
    s.browser.execute_script("document.getElementById('plan').scrollIntoView({block: 'start'});")
    shot(s, "jury-assignment-preview")


def step_organizer_accepts(s):
    press(s, "Accepter cette répartition")
    check(s.browser.find_elements(By.ID, "saved"), "the page says the assignment is saved")
    saved = {}
    for j, t in pairs():
        saved.setdefault(t, []).append(j)
    check(sorted((t, ", ".join(sorted(js))) for t, js in saved.items()) == s.plan,
          "the store holds exactly the plan shown (%d dossiers)" % len(saved))


def step_organizer_moves(s):
    before = pairs()
    assigned = {}
    for j, t in before:
        assigned.setdefault(t, []).append(j)
    # j-martin's own town (33449) to j-martin: refused.
    if "33449" in assigned and "j-martin" not in assigned["33449"]:
        Select(s.browser.find_element(By.ID, "move-town")).select_by_value("33449")
        Select(s.browser.find_element(By.ID, "move-from")).select_by_value(assigned["33449"][0])
        Select(s.browser.find_element(By.ID, "move-to")).select_by_value("j-martin")
        press(s, "Déplacer")
        err = s.browser.find_elements(By.ID, "move-refused")
        check(err and "commune du nouveau juré" in err[0].text, "a move to the town's own juror is refused")
        check(pairs() == before, "the refused move changed nothing")
        shot(s, "jury-move-refused", err[0] if err else None)
    town = next(t for t in sorted(assigned) if "j-sand" not in assigned[t])
    frm = assigned[town][0]
    Select(s.browser.find_element(By.ID, "move-town")).select_by_value(town)
    Select(s.browser.find_element(By.ID, "move-from")).select_by_value(frm)
    Select(s.browser.find_element(By.ID, "move-to")).select_by_value("j-sand")
    press(s, "Déplacer")
    check(s.browser.find_elements(By.ID, "moved"), "the page says the dossier moved")
    after = pairs()
    check(("j-sand", town) in after and (frm, town) not in after and len(after) == len(before),
          "the dossier %s moved from %s to j-sand" % (town, frm))
    row = s.browser.find_element(By.CSS_SELECTOR, "#current-by-dossier tr[data-town='%s']" % town)
    check("j-sand" in row.text, "the page shows the new juror on the dossier")
    shot(s, "jury-assignment")
    # The jury at work (by SQL: the marking pages are another step's): j-benali marks every jury
    # criterion of their dossiers, j-nguyen recuses from one of theirs.
    rub = json.load(open(RUBRIC, encoding="utf-8"))
    jury = [c["id"] for cat in rub["categories"] for c in cat["criteria"] if c["kind"] == "jury"]
    con = sqlite3.connect(DB, timeout=10)
    with con:
        mine = [t for j, t in after if j == "j-benali"]
        con.executemany("INSERT INTO mark (juror_id, town_id, criterion, value, revision, updated_at)"
                        " VALUES ('j-benali', ?, ?, '4', 1, 0)", [(t, c) for t in mine for c in jury])
        recused = next(t for j, t in after if j == "j-nguyen")
        con.execute("INSERT INTO recusal VALUES ('j-nguyen', ?, 'ma sœur y est adjointe', 0)", (recused,))
        con.execute("INSERT INTO audit (at, what, subject) VALUES (0, 'test', 'marks by SQL')")
    con.close()
    s.browser.get(ORIGIN + "/organizer/jurors")
    WebDriverWait(s.browser, 60).until(lambda b: b.find_elements(By.ID, "jurors"))
    row = s.browser.find_element(By.CSS_SELECTOR, "#jurors tr[data-juror='j-benali']")
    check("%d / %d" % (len(mine), len(mine)) in row.text, "the jurors page shows j-benali's dossiers all marked")
    row = s.browser.find_element(By.CSS_SELECTOR, "#jurors tr[data-juror='j-nguyen']")
    check("ma sœur y est adjointe" in row.text, "and j-nguyen's recusal with its reason")
    shot(s, "jury-jurors")


STEPS = [step_organizer_logs_in, step_organizer_imports_jurors, step_organizer_previews, step_organizer_accepts,
         step_organizer_moves]


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
              "--lang=fr-FR", "--no-first-run", "--disable-extensions", "--user-data-dir=" + os.path.join(tmp, "c")]:
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def main():
    start = time.monotonic()
    os.makedirs(SHOTS, exist_ok=True)
    s = State()
    setup(s)
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--base-url", ORIGIN],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        s.browser = browser()
        s.browser.implicitly_wait(0)
        s.browser.set_page_load_timeout(60)
        for step in STEPS:
            print("# " + step.__name__)
            step(s)
            if failures:
                break
    finally:
        if s.browser is not None:
            driver = s.browser.service.process
            s.browser.quit()
            check(driver is None or driver.poll() is not None, "chromedriver has exited")
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
    if DOCS and not failures:
        for name in DOC_SHOTS:
            shutil.copy(os.path.join(SHOTS, name + ".png"), os.path.join(DOCS, name + ".png"))
        print("copied %s to %s" % (", ".join(DOC_SHOTS), DOCS))
    print("%.1f s" % (time.monotonic() - start))
    finish()


main()
