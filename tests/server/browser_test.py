#!/usr/bin/env python3
"""`palmares serve` in a real browser: Debian's chromium, headless, driven by
chromedriver through python3-selenium.

As people would: a town opens its invitation link, clicks "log in", fills
answers in two sections and saves the draft; types a negative number, sees the
engine's message next to that field with what it typed kept; fixes it, saves,
sees the revision go up; logs out. The organizer logs in and sees the towns
table. A stranger checks a certificate's code on /verify, then an unknown one.
A PNG screenshot of each page kind goes to SCREENSHOTS.

Each step is a small function taking the shared state, so that later steps
(evidence uploads, submission, the organizer's downloads) slot in.
Without chromium, chromedriver or selenium: exit 77 (skipped), or a failure
when PALMARES_REQUIRE_BROWSER=1.
Usage: browser_test.py PALMARES SOURCE_ROOT SCREENSHOTS [--docs DIR]
With --docs DIR (e.g. docs/screenshots), the documentation's screenshots (DOC_SHOTS) are copied
there too, after a run without failures; the test in meson never writes into the source tree.
"""
import csv
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

# Debian's python3-selenium is installed for Debian's python3; a python3 found
# first on PATH (pyenv, a venv) does not see it, so run again under Debian's.
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
        print("the browser test needs: apt-get install %s (or EXTRA_PKGS=\"%s\" ./scripts/deps.sh)"
              % (" ".join(missing), " ".join(missing)))
        sys.exit(1 if REQUIRED else 77)


skip_without_browser()
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PALMARES, ROOT, SHOTS = (os.path.abspath(a) for a in sys.argv[1:4])
DOCS = os.path.abspath(sys.argv[5]) if len(sys.argv) == 6 and sys.argv[4] == "--docs" else None
if len(sys.argv) != 4 and DOCS is None:
    sys.exit(__doc__)
# The screenshots that docs/web.md shows ("What it looks like"), by their names here.
DOC_SHOTS = ["dossier", "dossier-error", "dossier-evidence", "receipt", "organizer", "scores", "audit",
             "verify-found"]
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-browser-")
CAMPAIGN_RUBRIC = os.path.join(tmp, "rubric.json")
# A few bytes with a PDF's header and trailer: what server/evidence_type.c takes for a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT


class State:
    """What the steps share: the browser, the links, what the town typed."""
    browser = None
    organizer_link = town_link = town_id = None
    certificate = None  # (code, town name) of a town with a certificate
    revision = -1
    town_name = None
    dossier_csv = os.path.join(tmp, "dossier-grenoble.csv")  # the town's filled template
    evidence_pdf = os.path.join(tmp, "audit-rgaa.pdf")
    receipt = None  # the SHA-256 the receipt page shows
    level = -1  # the town's level in the organizer's table


def code_of(sha, town, level, mentions):
    """docs/verification-code.md, written independently of the C code."""
    parts = [b"palmares-certificate/1", sha.encode(), town.encode(), str(level).encode()]
    parts += sorted(m.encode() for m in mentions)
    v = int.from_bytes(hashlib.sha256(b"\0".join(parts)).digest()[:8], "big") >> 4
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    s = "".join(alphabet[(v >> (5 * (11 - i))) & 31] for i in range(12))
    return "%s-%s-%s" % (s[:4], s[4:8], s[8:])


def setup(s):
    """The campaign (three sample towns, submission phase, the rubric without jury criteria), the
    links, the town's own row of the sample dossiers as the CSV file it will upload, a small PDF as
    its evidence, the results of the sample campaign (examples/README.md) as a published results
    file."""
    no_jury_rubric(ROOT, CAMPAIGN_RUBRIC)
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)[:3]
    with open(s.dossier_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerow(rows[0])
    with open(s.evidence_pdf, "wb") as f:
        f.write(PDF)
    s.town_name = rows[0]["town_name"]
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    towns = os.path.join(tmp, "towns.csv")
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", CAMPAIGN_RUBRIC, "--towns", towns,
                        "--base-url", ORIGIN], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    s.organizer_link = p.stdout.strip().splitlines()[-1]
    db = sqlite3.connect(DB, timeout=10)
    db.execute("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")  # no page sets phases yet
    db.commit()
    db.close()
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    s.town_id = rows[0]["town_id"]
    s.town_link = next(r["link"] for r in csv.DictReader(p.stdout.splitlines()) if r["id"] == s.town_id)
    # The published results of the sample dossiers: one town's certificate code.
    results = os.path.join(tmp, "results.json")
    ex = os.path.join(ROOT, "examples")
    dossiers = [os.path.join(ex, f) for f in sorted(os.listdir(ex)) if f.startswith("dossiers")]
    p = subprocess.run([PALMARES, "score", RUBRIC] + dossiers + ["--marks", os.path.join(ex, "marks.csv"),
                        "-o", results], capture_output=True, text=True, timeout=60)
    check(p.returncode in (0, 1) and os.path.exists(results), "palmares score -o results.json (%d)" % p.returncode)
    with open(results, encoding="utf-8") as f:
        res = json.load(f)
    t = next(t for t in res["towns"] if t["status"] == "scored" and (t.get("level") or 0) >= 1)
    s.certificate = (code_of(res["rubric"]["sha256"], t["id"], t["level"], t["mentions"]), t["name"])
    return results


def shot(s, name, element=None):
    """A PNG of the page as it is now (scrolled to element when given)."""
    if element is not None:
        s.browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    path = os.path.join(SHOTS, name + ".png")
    check(s.browser.save_screenshot(path), "screenshot %s" % path)


def button(s, text):
    return s.browser.find_element(By.XPATH, "//button[normalize-space()=%s]" % xpath_str(text))


def press(s, text):
    """Clicks the button and waits for the page the form's answer loads (a click can return before
    it): the old page carries a mark the new one has not. While the page changes, the driver may
    answer with an error rather than a stale element: those are retried too."""
    s.browser.execute_script("window.palmaresOldPage = true")
    button(s, text).click()
    WebDriverWait(s.browser, 20, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.palmaresOldPage && document.readyState === 'complete'"))


def xpath_str(text):
    return "'%s'" % text if "'" not in text else "\"%s\"" % text


def criterion(s, cid):
    return s.browser.find_element(By.ID, "c." + cid)


def revision_shown(s):
    return int(s.browser.find_element(By.NAME, "revision").get_attribute("value"))


def error_of(s, cid):
    """The engine's message next to criterion cid, or None."""
    found = criterion(s, cid).find_elements(By.CSS_SELECTOR, "[data-code]")
    return found[0] if found else None


def type_into(s, cid, value):
    box = s.browser.find_element(By.ID, "in." + cid)
    box.clear()
    box.send_keys(value)


def step_town_logs_in(s):
    s.browser.get(s.town_link)
    check("Connexion" in s.browser.title, "the invitation link shows the login page (%s)" % s.browser.title)
    shot(s, "login")
    press(s, "Se connecter")
    check(s.browser.current_url == ORIGIN + "/", "logged in, on the home page (%s)" % s.browser.current_url)
    header = s.browser.find_element(By.CSS_SELECTOR, "header .who").text
    check("commune" in header, "the header says who is logged in: %s" % header)
    shot(s, "home-town")


def step_town_opens_dossier(s):
    s.browser.find_element(By.CSS_SELECTOR, "a[href='/dossier']").click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.NAME, "revision"))
    check(s.browser.current_url == ORIGIN + "/dossier", "the dossier link opens /dossier")
    s.revision = revision_shown(s)
    check(s.revision == 0, "a new dossier is at revision 0 (%d)" % s.revision)
    shot(s, "dossier")


def step_town_fills_two_sections(s):
    # Section "democratie": a yes-no and a number; section "inclusion": a number and a choice.
    criterion(s, "site-rgaa").find_element(By.CSS_SELECTOR, "input[value='true']").click()
    type_into(s, "consultations-en-ligne", "12")
    type_into(s, "heures-mediation", "40")
    criterion(s, "wifi-public").find_elements(By.CSS_SELECTOR, "input[type='radio']")[0].click()
    press(s, "Enregistrer le brouillon")
    check(s.browser.find_elements(By.ID, "saved"), "the page says the draft is saved")
    check(revision_shown(s) == s.revision + 1, "the revision went up to %d" % revision_shown(s))
    s.revision = revision_shown(s)
    box = s.browser.find_element(By.ID, "in.heures-mediation")
    check(box.get_attribute("value") == "40", "the saved number is shown back")
    check(criterion(s, "site-rgaa").find_element(By.CSS_SELECTOR, "input[value='true']").is_selected(),
          "the yes is still ticked")
    shot(s, "dossier-saved", s.browser.find_element(By.ID, "saved"))


def step_town_makes_an_error(s):
    type_into(s, "heures-mediation", "-3")
    press(s, "Enregistrer le brouillon")
    err = error_of(s, "heures-mediation")
    check(err is not None and err.get_attribute("data-code") == "invalid-answer",
          "a negative number: the engine's message next to the field")
    check(err is not None and "n'est pas acceptée" in err.text and err.is_displayed(),
          "the message is shown, in French: %s" % (err.text if err else ""))
    check(s.browser.find_element(By.ID, "in.heures-mediation").get_attribute("value") == "-3",
          "the typed -3 is kept in the field")
    check(error_of(s, "consultations-en-ligne") is None, "no message next to the other fields")
    check(s.browser.find_element(By.ID, "in.consultations-en-ligne").get_attribute("value") == "12",
          "the other section's answer is kept")
    s.revision = revision_shown(s)
    shot(s, "dossier-error", criterion(s, "heures-mediation"))


def step_town_fixes_it(s):
    before = s.revision
    type_into(s, "heures-mediation", "35")
    press(s, "Enregistrer le brouillon")
    check(error_of(s, "heures-mediation") is None, "fixed: the message is gone")
    check(s.browser.find_elements(By.ID, "saved"), "fixed: the draft is saved")
    s.revision = revision_shown(s)
    check(s.revision == before + 1, "the revision went up again (%d → %d)" % (before, s.revision))
    db = sqlite3.connect(DB, timeout=10)
    stored = dict(db.execute("SELECT criterion, value FROM answer WHERE town_id = ?", (s.town_id,)).fetchall())
    db.close()
    check(stored.get("heures-mediation") == "35" and stored.get("consultations-en-ligne") == "12"
          and stored.get("site-rgaa") == "true", "the store holds what the page shows: %s" % stored)


def step_town_logs_out(s):
    press(s, "Se déconnecter")
    check(not s.browser.find_elements(By.CSS_SELECTOR, "header .who"), "logged out: nobody in the header")
    s.browser.get(ORIGIN + "/dossier")
    check("introuvable" in s.browser.page_source, "after logging out, /dossier is not found")
    shot(s, "not-found")


def step_organizer_sees_towns(s):
    s.browser.get(s.organizer_link)
    press(s, "Se connecter")
    check("organisateur" in s.browser.find_element(By.CSS_SELECTOR, "header .who").text, "the organizer is logged in")
    shot(s, "home-organizer")
    s.browser.find_element(By.CSS_SELECTOR, "a[href='/organizer']").click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "table tr"))
    rows = s.browser.find_elements(By.CSS_SELECTOR, "table tr")
    check(len(rows) == 1 + 3, "the towns table: a header and 3 towns (%d rows)" % len(rows))
    row = next((r.text for r in rows if r.text.startswith(s.town_id)), "")
    check("déposé" in row and re.search(r"\b%d\b" % s.revision, row),
          "the town's row: submitted, revision %d (%s)" % (s.revision, row))
    shot(s, "organizer")


def step_stranger_verifies(s):
    code, name = s.certificate
    s.browser.delete_all_cookies()
    s.browser.get(ORIGIN + "/")
    check("Vous n'êtes pas connecté" in s.browser.page_source.replace("&#39;", "'"), "a stranger's home page")
    shot(s, "home-anonymous")
    s.browser.find_element(By.CSS_SELECTOR, "a[href='/verify']").click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.NAME, "code"))
    shot(s, "verify")
    box = s.browser.find_element(By.NAME, "code")
    box.send_keys(code.lower())
    press(s, "Vérifier")
    check(name in s.browser.find_element(By.TAG_NAME, "main").text, "the code shows its town (%s)" % name)
    shot(s, "verify-found")
    s.browser.get(ORIGIN + "/verify")
    s.browser.find_element(By.NAME, "code").send_keys("0000-0000-0000")
    press(s, "Vérifier")
    check("Aucun certificat ne porte ce code" in s.browser.page_source, "an unknown code: no certificate")
    shot(s, "verify-none")


def saved_value(s, cid):
    db = sqlite3.connect(DB, timeout=10)
    row = db.execute("SELECT value FROM answer WHERE town_id = ? AND criterion = ?", (s.town_id, cid)).fetchone()
    db.close()
    return row[0] if row else None


def step_town_types_words_in_a_number(s):
    """Nothing typed is lost: words in a number field come back as typed, with the engine's message.
    (A browser's <input type=number> would hand the server an empty value instead, erasing the
    earlier answer: the form's number fields are text inputs.)"""
    type_into(s, "heures-mediation", "40")
    press(s, "Enregistrer le brouillon")
    type_into(s, "heures-mediation", "douze")
    press(s, "Enregistrer le brouillon")
    box = s.browser.find_element(By.ID, "in.heures-mediation")
    check(box.get_attribute("value") == "douze", "words typed in a number field are shown again (%r)"
          % box.get_attribute("value"))
    check(error_of(s, "heures-mediation") is not None, "…with the engine's message next to them")
    check(saved_value(s, "heures-mediation") != "", "the earlier answer is not erased by an empty one (%r)"
          % saved_value(s, "heures-mediation"))
    shot(s, "dossier-words-in-number", criterion(s, "heures-mediation"))


def step_town_types_a_decimal_comma(s):
    """A French decimal comma is never read as something else: 12,5 is 12.5, or refused with the
    typed text kept (a browser's number input, by its locale's grouping separator, made it 125)."""
    type_into(s, "heures-mediation", "12,5")
    press(s, "Enregistrer le brouillon")
    got = saved_value(s, "heures-mediation")
    shown = s.browser.find_element(By.ID, "in.heures-mediation").get_attribute("value")
    check(got in ("12,5", "12.5"), "12,5 typed: stored as 12,5 or 12.5, not %r" % got)
    check(shown in ("12,5", "12.5"), "12,5 typed: shown again as 12,5 or 12.5, not %r" % shown)
    shot(s, "dossier-decimal-comma", criterion(s, "heures-mediation"))
    s.revision = revision_shown(s)


def session_get(s, path):
    """GET path with the browser's session cookie, from Python: (status, headers, body bytes). How a
    download is checked without the browser's download folder."""
    import http.client
    cookie = s.browser.get_cookie("palmares_session")
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request("GET", path, headers={"Cookie": "palmares_session=" + (cookie["value"] if cookie else "")})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def step_town_sees_what_blocks(s):
    """An answer the engine refuses blocks the submission: no submit button, the errors that block
    it listed instead. (Criteria left unanswered do not: they score 0.)"""
    type_into(s, "heures-mediation", "-3")
    press(s, "Enregistrer le brouillon")
    blocked = s.browser.find_elements(By.ID, "submit-blocked")
    check(blocked and blocked[0].is_displayed(), "an incomplete dossier: what blocks its submission is listed")
    check(not s.browser.find_elements(By.CSS_SELECTOR, "form[action='/dossier/submit']"), "…and no submit button")
    shot(s, "dossier-blocked", blocked[0] if blocked else None)


def step_town_uploads_its_file(s):
    """The town fills the rest from its spreadsheet, saved as CSV: the form shows the file's answers."""
    s.browser.find_element(By.CSS_SELECTOR, "input[type='file'][name='dossier']").send_keys(s.dossier_csv)
    press(s, "Lire le fichier")
    main = s.browser.find_element(By.TAG_NAME, "main").text
    check(s.browser.find_elements(By.ID, "saved") and "Réponses lues dans le fichier et enregistrées" in main,
          "the CSV file is read and its answers saved")
    check(s.browser.find_element(By.ID, "in.consultations-en-ligne").get_attribute("value") == "8",
          "the form shows the file's answers (consultations-en-ligne: %r)"
          % s.browser.find_element(By.ID, "in.consultations-en-ligne").get_attribute("value"))
    check(not s.browser.find_elements(By.ID, "submit-blocked"), "the dossier is now valid: nothing blocks it")
    check(s.browser.find_elements(By.CSS_SELECTOR, "form[action='/dossier/submit']"), "…and it can be submitted")
    shot(s, "dossier-from-file", s.browser.find_element(By.ID, "saved"))


def step_town_attaches_evidence(s):
    """A PDF attached where the rubric asks for evidence, listed under its criterion."""
    s.browser.find_element(By.NAME, "f.taux-conformite-rgaa").send_keys(s.evidence_pdf)
    press(s, "Enregistrer le brouillon")
    check(s.browser.find_elements(By.ID, "saved"), "the draft with its file is saved")
    block = criterion(s, "taux-conformite-rgaa")
    links = block.find_elements(By.CSS_SELECTOR, "a[href^='/dossier/evidence/']")
    check(len(links) == 1 and links[0].text == "audit-rgaa.pdf", "the file is listed under its criterion (%s)"
          % [a.text for a in links])
    check(hashlib.sha256(PDF).hexdigest() in block.text, "with its SHA-256")
    if links:
        st, h, data = session_get(s, links[0].get_attribute("href")[len(ORIGIN):])
        check(st == 200 and data == PDF and h.get("content-disposition", "").startswith("attachment"),
              "the town downloads it back, as an attachment (%d)" % st)
    s.revision = revision_shown(s)
    shot(s, "dossier-evidence", block)


def step_town_submits(s):
    press(s, "Déposer le dossier")
    check(s.browser.current_url == ORIGIN + "/dossier/receipt", "submitted: the receipt page (%s)"
          % s.browser.current_url)
    shown = s.browser.find_element(By.ID, "receipt-sha256").text.strip()
    db = sqlite3.connect(DB, timeout=10)
    state, stored = db.execute("SELECT state, receipt_sha256 FROM dossier WHERE town_id = ?", (s.town_id,)).fetchone()
    db.close()
    check(state == "submitted" and re.fullmatch(r"[0-9a-f]{64}", shown) and shown == stored,
          "the receipt shows the stored SHA-256 (%s, %s)" % (state, shown))
    st, _, data = session_get(s, "/dossier/submitted.json")
    check(st == 200 and hashlib.sha256(data).hexdigest() == shown,
          "the receipt's SHA-256 is that of the submitted dossier's JSON (%d)" % st)
    files = s.browser.find_elements(By.ID, "receipt-files")
    check(files and "audit-rgaa.pdf" in files[0].text, "the receipt lists the evidence file")
    s.receipt = shown
    shot(s, "receipt")


def engine_result(s):
    """The town's result by the command line: the campaign exported, scored by palmares score."""
    out = os.path.join(tmp, "export")
    p = subprocess.run([PALMARES, "campaign", "export", DB, "-o", out], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign export: %s" % p.stderr)
    res = os.path.join(tmp, "engine.json")
    p = subprocess.run([PALMARES, "score", os.path.join(out, "rubric.json"), os.path.join(out, "dossiers.jsonl"),
                        "-o", res], capture_output=True, text=True, timeout=60)
    check(os.path.exists(res), "palmares score on the export (%d): %s" % (p.returncode, p.stderr[-500:]))
    with open(res, encoding="utf-8") as f:
        return next(t for t in json.load(f)["towns"] if t["id"] == s.town_id)


def step_organizer_sees_scores(s):
    s.browser.find_element(By.CSS_SELECTOR, "a[href='/organizer/scores']").click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "tr[data-town]"))
    row = s.browser.find_element(By.CSS_SELECTOR, "tr[data-town='%s']" % s.town_id)
    level = int(row.find_element(By.CSS_SELECTOR, "[data-level]").get_attribute("data-level"))
    percent = row.find_elements(By.CSS_SELECTOR, "[data-percent]")
    t = engine_result(s)
    check(level >= 1 and level == t.get("level"), "the town's level is the engine's (%d, %s)" % (level, t.get("level")))
    points = row.find_elements(By.CSS_SELECTOR, "[data-points]")
    # results.json rounds to 2 decimals; the page's data attributes carry every digit
    check(points and abs(float(points[0].get_attribute("data-points")) - t["score"]["points"]) < 0.006
          and percent and abs(float(percent[0].get_attribute("data-percent")) - t["score"]["percent"]) < 0.006,
          "the town's points and percent are the engine's (%s)" % t.get("score"))
    with open(CAMPAIGN_RUBRIC, encoding="utf-8") as f:
        name = json.load(f)["levels"][level - 1]["name"] if level >= 1 else "?"
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    check("déposé" in cells and name in cells, "the row says submitted, and the level's name %s: %s" % (name, cells))
    s.level = level
    shot(s, "scores", row)


def step_organizer_explains(s):
    row = s.browser.find_element(By.CSS_SELECTOR, "tr[data-town='%s']" % s.town_id)
    row.find_element(By.CSS_SELECTOR, "a[href='/organizer/explain/%s']" % s.town_id).click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".explain"))
    text = s.browser.find_element(By.CSS_SELECTOR, ".explain").text
    check(s.town_name in text and "heures-mediation" in text and "level: %d " % s.level in text,
          "the explanation names the town, its criteria and its level")
    shot(s, "explain")


def step_organizer_downloads_certificates(s):
    s.browser.back()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "tr[data-town]"))
    link = s.browser.find_elements(By.CSS_SELECTOR, "a[href='/organizer/certificates.pdf']")
    check(link, "the scores page links to the certificates")
    st, h, data = session_get(s, "/organizer/certificates.pdf")
    check(st == 200 and data.startswith(b"%PDF-") and h.get("content-type") == "application/pdf"
          and h.get("content-disposition", "").startswith("attachment"),
          "the certificates arrive: a PDF attachment (%d, %s, %d bytes)" % (st, h.get("content-type"), len(data)))


def step_organizer_reads_audit(s):
    s.browser.get(ORIGIN + "/organizer")  # the scores page has no menu of the organizer's pages
    s.browser.find_element(By.CSS_SELECTOR, "a[href='/organizer/audit']").click()
    WebDriverWait(s.browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "table tr"))
    text = s.browser.find_element(By.TAG_NAME, "main").text
    check("submit" in text and "evidence" in text and s.town_name in text,
          "the audit log shows the town's submission and file")
    shot(s, "audit")
    press(s, "Se déconnecter")


STEPS = [step_town_logs_in, step_town_opens_dossier, step_town_fills_two_sections, step_town_makes_an_error,
         step_town_fixes_it, step_town_types_words_in_a_number, step_town_types_a_decimal_comma,
         step_town_sees_what_blocks, step_town_uploads_its_file, step_town_attaches_evidence, step_town_submits,
         step_town_logs_out, step_organizer_sees_towns, step_organizer_sees_scores, step_organizer_explains,
         step_organizer_downloads_certificates, step_organizer_reads_audit, step_stranger_verifies]


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
    results = setup(s)
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT, "--results", results],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(PORT, server)
        s.browser = browser()
        s.browser.implicitly_wait(0)
        s.browser.set_page_load_timeout(20)
        for step in STEPS:
            print("# " + step.__name__)
            step(s)
    finally:
        if s.browser is not None:
            driver = s.browser.service.process
            s.browser.quit()  # chromium and its driver end with the session
            check(driver is None or driver.poll() is not None, "chromedriver has exited")
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
