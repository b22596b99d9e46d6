#!/usr/bin/env python3
"""The deliberation in a real browser (Debian's chromium, headless, through chromedriver and
python3-selenium), on the sample campaign of deliberation_test.py (30 towns, the marks of
examples/marks.csv and their pairs as assignments, the deliberation phase).

As the organizer would: log in from the invitation link, open "Délibération" from the menu,
read the alpha and calibration tables and the borderline list, open a dossier with
disagreeing jurors, try an override without a reason (refused, the message next to the
field, what was chosen kept), then override one level with its reason and see it in force
and in the table. A PNG screenshot of each page kind goes to SCREENSHOTS.
Without chromium, chromedriver or selenium: exit 77 (skipped), or a failure when
PALMARES_REQUIRE_BROWSER=1.
Usage: browser_deliberation_test.py PALMARES SOURCE_ROOT SCREENSHOTS [--docs DIR]
With --docs DIR (docs/screenshots, run by hand), the screenshots docs/web.md shows (DOC_SHOTS) are
copied there after a run without failures; the test in meson never writes into the source tree.
"""
import os
import shutil
import subprocess
import sys
import time

# Debian's python3-selenium is for Debian's python3 (as browser_test.py does).
try:
    import selenium  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("PALMARES_BROWSER_REEXEC"):
        os.environ["PALMARES_BROWSER_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, failures, wait_for  # noqa: E402

REQUIRED = os.environ.get("PALMARES_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
missing = [n for n, ok in (("chromium", os.access(CHROMIUM, os.X_OK)), ("chromium-driver", os.access(DRIVER, os.X_OK)))
           if not ok]
try:
    import selenium.webdriver  # noqa: F401,E402
except ImportError:
    missing.append("python3-selenium")
if missing:
    print("the browser test needs: apt-get install %s" % " ".join(missing))
    sys.exit(1 if REQUIRED else 77)
DOCS = os.path.abspath(sys.argv[5]) if len(sys.argv) == 6 and sys.argv[4] == "--docs" else None
if len(sys.argv) != 4 and DOCS is None:
    sys.exit(__doc__)
DOC_SHOTS = ["deliberation", "deliberation-dossier"]
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

import deliberation_test as dt  # noqa: E402  (the campaign: its argv[1:3] are ours)

SHOTS = os.path.abspath(sys.argv[3])


def shot(b, name, element=None):
    if element is not None:
        b.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    path = os.path.join(SHOTS, name + ".png")
    check(b.save_screenshot(path), "screenshot %s" % path)


def press(b, text):
    """Clicks the button and waits for the page its form loads (the old page carries a mark)."""
    b.execute_script("window.palmaresOldPage = true")
    b.find_element(By.XPATH, "//button[normalize-space()=\"%s\"]" % text).click()
    WebDriverWait(b, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.palmaresOldPage && document.readyState === 'complete'"))


def until_current(b):
    """Reloads until the figures and the borderline list are the current ones (built in the background)."""
    for _ in range(100):
        if b.find_elements(By.CSS_SELECTOR, "#scores-as-of[data-current='1']") and \
                not b.find_elements(By.ID, "borderline-pending"):
            return True
        time.sleep(0.2)
        b.refresh()
    return False


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
              "--lang=fr-FR", "--no-first-run", "--disable-extensions",
              "--user-data-dir=" + os.path.join(dt.tmp, "chromium")]:
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def steps(b, organizer_link, results):
    b.get(dt.ORIGIN + organizer_link)
    press(b, "Se connecter")
    check("organisateur" in b.find_element(By.CSS_SELECTOR, "header .who").text, "the organizer is logged in")
    b.get(dt.ORIGIN + "/organizer")
    b.find_element(By.CSS_SELECTOR, "nav a[href='/organizer/deliberation']").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "deliberation"))
    check(until_current(b), "the deliberation page with the current figures")
    alpha = b.find_elements(By.CSS_SELECTOR, "#alpha tr[data-criterion]")
    cal = b.find_elements(By.CSS_SELECTOR, "#calibration tr[data-juror]")
    border = b.find_elements(By.CSS_SELECTOR, "#borderline li[data-town]")
    check(len(alpha) == len(results["jury"]["criteria"]) and len(cal) == len(results["jury"]["jurors"]) and border,
          "alpha per criterion, calibration per juror and the borderline list are shown")
    shot(b, "deliberation")
    # A dossier whose jurors disagree, from its row.
    t = next(t for t in results["towns"] if t["status"] == "scored" and t["level"] and t["level"] >= 2
             and any(c.get("disagreement") for c in t["criteria"]))
    row = b.find_element(By.CSS_SELECTOR, "#deliberation tr[data-town='%s']" % t["id"])
    shot(b, "deliberation-table", row)
    row.find_element(By.LINK_TEXT, "ouvrir").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "override-form"))
    flagged = b.find_elements(By.CSS_SELECTOR, "section.jury-criterion[data-disagreement='1']")
    check(flagged and flagged[0].find_elements(By.CSS_SELECTOR, "tr[data-juror]"),
          "the dossier's page: a criterion where the jurors disagree, with its marks")
    shot(b, "deliberation-dossier", flagged[0] if flagged else None)
    # Refused: no reason. The choice is kept, the message is next to the reason.
    new = t["computed_level"] - 1
    Select(b.find_element(By.ID, "override-level")).select_by_value(str(new))
    press(b, "Enregistrer le niveau forcé")
    err = b.find_elements(By.ID, "error-reason")
    check(err and "motif" in err[0].text and
          Select(b.find_element(By.ID, "override-level")).first_selected_option.get_attribute("value") == str(new),
          "no reason: refused, the message next to the field, the level chosen kept")
    shot(b, "deliberation-override-refused", b.find_element(By.ID, "override-form"))
    # Saved with its reason.
    b.find_element(By.ID, "override-reason").send_keys("Audition du 18 mars : le portail annoncé n'est pas ouvert.")
    press(b, "Enregistrer le niveau forcé")
    check(b.find_elements(By.ID, "override-saved"), "the override is saved")
    until_current(b)
    cur = b.find_element(By.ID, "override-current")
    level = b.find_element(By.CSS_SELECTOR, "#dossier-summary [data-level]").get_attribute("data-level")
    check(cur.get_attribute("data-level") == str(new) and level == str(new),
          "the override in force and the level it sets (%s)" % level)
    shot(b, "deliberation-override", cur)
    b.find_element(By.LINK_TEXT, "Délibération").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.ID, "deliberation"))
    until_current(b)
    row = b.find_element(By.CSS_SELECTOR, "#deliberation tr[data-town='%s'] [data-level]" % t["id"])
    check(row.get_attribute("data-level") == str(new) and row.get_attribute("data-override") == "1",
          "the table shows the overridden level")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    organizer, links, ids = dt.setup()
    results, _ = dt.command_line()
    server = subprocess.Popen([dt.PALMARES, "serve", dt.DB, "--listen", "127.0.0.1:%d" % dt.PORT,
                               "--base-url", dt.ORIGIN], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    b = None
    try:
        wait_for(dt.PORT, server)
        b = browser()
        b.set_page_load_timeout(20)
        steps(b, organizer, results)
    finally:
        if b is not None:
            b.quit()
        dt.stop_server(server)
        shutil.rmtree(dt.tmp, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    if DOCS:
        os.makedirs(DOCS, exist_ok=True)
        for name in DOC_SHOTS:
            shutil.copyfile(os.path.join(SHOTS, name + ".png"), os.path.join(DOCS, name + ".png"))
        print("%d screenshots copied to %s" % (len(DOC_SHOTS), DOCS))
    print("all passed")


main()
