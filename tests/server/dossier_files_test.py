#!/usr/bin/env python3
"""HTTP tests of a town's dossier files and submission in `palmares serve`.

A campaign of three sample towns in its submission phase, a server on a free
loopback port. Town A fills its dossier from files (the sample CSV, a JSON
dossier, a Windows-1252 CSV with ';'), and each refused file (another town's,
two dossiers, garbage bytes, an oversized file) changes nothing; a file with an
invalid answer is saved as typed, with the engine's message by the field.
Town B attaches evidence files (types decided by their bytes: a PDF named .png
is served as a PDF, HTML and executables refused, over 10 MiB refused, the same
bytes stored once), downloads them (attachment, RFC 6266 name, nosniff) while
town A and a stranger get 404, removes one. Town A submits: an invalid dossier
and a stale page are refused; the receipt's SHA-256 is that of the submitted
JSON; after it nothing is saved or uploaded until the dossier is reopened,
then it is submitted again with a new receipt. Town C, after the deadline,
can neither save nor submit. Usage: dossier_files_test.py PALMARES SOURCE_ROOT
"""
import csv
import hashlib
import html
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webtest import check, csrf_of, failures, finish, free_port, request, stop_server, wait_for  # noqa: E402

PALMARES, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RUBRIC = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
tmp = tempfile.mkdtemp(prefix="palmares-files-")
DB = os.path.join(tmp, "campaign.db")
PORT = free_port()
ORIGIN = "http://127.0.0.1:%d" % PORT
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def req(method, path, body=None, cookie=None, headers=None):
    h = {"Origin": ORIGIN} if method == "POST" else {}
    h.update(headers or {})
    return request(PORT, method, path, body, cookie, h, timeout=60)


def raw(method, path, cookie=None):
    """A GET whose body is bytes (a download)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, headers={"Cookie": "palmares_session=" + cookie} if cookie else {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def multipart(fields, files):
    """fields: [(name, text)]; files: [(name, filename, bytes)] → (body, content type)."""
    b = "----palmares-test-boundary-7d1f"
    out = io.BytesIO()
    for n, v in fields:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (b, n)).encode())
        out.write(v.encode("utf-8") + b"\r\n")
    for n, fn, data in files:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: application/octet-stream\r\n\r\n" % (b, n, fn.replace('"', "%22"))).encode("utf-8"))
        out.write(data + b"\r\n")
    out.write(("--%s--\r\n" % b).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + b


def post_files(cookie, path, fields, files):
    body, ctype = multipart(fields, files)
    return req("POST", path, body, cookie=cookie, headers={"Content-Type": ctype})


def login(link_path):
    st, _, page = req("GET", link_path)
    st, h, _ = req("POST", link_path, "csrf=" + (csrf_of(page) or ""))
    m = re.match(r"palmares_session=([A-Za-z0-9_-]{43});", h.get("set-cookie", ""))
    check(st == 303 and m, "log in through the invitation link (%d)" % st)
    return m.group(1) if m else None


def revision_of(page):
    m = re.search(r'name="revision" value="(\d+)"', page)
    return int(m.group(1)) if m else -1


def block(page, cid):
    m = re.search(r'<div class="criterion[^"]*" id="c\.%s".*?(?=<div class="criterion|</section>)' % re.escape(cid),
                  page, re.S)
    return m.group(0) if m else ""


def db_rows(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    rows = db.execute(sql, args).fetchall()
    db.close()
    return rows


def db_exec(sql, args=()):
    db = sqlite3.connect(DB, timeout=10)
    db.execute(sql, args)
    db.commit()
    db.close()


def answers_of(town):
    return dict(db_rows("SELECT criterion, value FROM answer WHERE town_id = ?", (town,)))


def upload(cookie, page, filename, data):
    return post_files(cookie, "/dossier/upload", [("csrf", csrf_of(page) or ""), ("revision", str(revision_of(page)))],
                      [("dossier", filename, data)])


def csv_text(header, rows, sep=","):
    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(c, "") for c in header])
    return out.getvalue()


def setup():
    towns = os.path.join(tmp, "towns.csv")
    with open(os.path.join(ROOT, "examples", "dossiers-google.csv"), encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)[:3]
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    with open(towns, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols + ["email"])
        for r in rows:
            w.writerow([r[c] for c in cols] + ["mairie-%s@example.org" % r["town_id"]])
    p = subprocess.run([PALMARES, "campaign", "init", DB, "--rubric", RUBRIC, "--towns", towns, "--base-url", ORIGIN],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "campaign init exits 0: %s" % p.stderr)
    organizer = p.stdout.strip().splitlines()[-1][len(ORIGIN):]
    db_exec("INSERT INTO phase (phase, starts_at) VALUES ('submission', 0)")
    p = subprocess.run([PALMARES, "campaign", "links", DB, "--base-url", ORIGIN], capture_output=True, text=True,
                       timeout=60)
    links = {r["id"]: r["link"][len(ORIGIN):] for r in csv.DictReader(p.stdout.splitlines()) if r["role"] == "town"}
    return organizer, header, rows, links


def uploads(a, ida, header, rows, idb):
    st, _, page = req("GET", "/dossier", cookie=a)
    check(st == 200 and 'action="/dossier/upload"' in page and 'enctype="multipart/form-data"' in page
          and 'type="file" name="dossier"' in page, "the form offers a dossier file upload")
    check('id="server-time"' in page and "pas encore fixée" in page, "the page shows the server's time, no deadline")

    # Refused whole, nothing saved: another town's, two dossiers, garbage, oversized, no file.
    refusals = [
        ("another town's dossier", "autre.csv", csv_text(header, [rows[1]]).encode(), "autre commune"),
        ("two dossiers", "deux.csv", csv_text(header, rows[:2]).encode(), "plusieurs dossiers"),
        ("garbage bytes", "x.bin", bytes(range(256)) * 40, "Fichier refusé"),
        ("a spreadsheet's own file", "dossier.xlsx", b"PK\x03\x04" + b"\x00" * 100, "Fichier refusé"),
        ("an oversized file", "gros.csv", b"town_id,town_name\n" + b"x" * (1 << 20), "dépasse 1 Mio"),
    ]
    for what, fn, data, said in refusals:
        st, _, res = upload(a, page, fn, data)
        check(st == 200 and "Fichier refusé, rien n&#39;a été enregistré" in res and said.replace("'", "&#39;") in res,
              "upload of %s: refused, said (%d)" % (what, st))
        check(revision_of(res) == 0 and not answers_of(ida), "upload of %s: nothing saved" % what)
    st, _, res = post_files(a, "/dossier/upload", [("csrf", csrf_of(page)), ("revision", "0")], [])
    check(st == 200 and "aucun fichier" in res, "an upload without a file: said")
    two = [{"town": {"id": ida, "name": "A", "population": 1000}, "answers": {}},
           {"town": {"id": "99999", "name": "B", "population": 1000}, "answers": {}}]
    st, _, res = upload(a, page, "deux.json", json.dumps(two).encode())
    check(st == 200 and "plusieurs dossiers" in res and revision_of(res) == 0, "two JSON dossiers: refused")

    # The sample CSV (the town's own row): every answer saved in one save, revision 1.
    good = csv_text(header, [rows[0]]).encode()
    st, _, res = upload(a, page, "dossier.csv", good)
    check(st == 200 and 'id="saved"' in res and "Réponses lues dans le fichier et enregistrées" in res,
          "upload of the town's CSV: saved (%d)" % st)
    check(revision_of(res) == 1, "one save, one revision (%d)" % revision_of(res))
    stored = answers_of(ida)
    check(stored.get("demarches-en-ligne") == rows[0]["demarches-en-ligne"] and stored.get("site-rgaa") == "true"
          and stored.get("taux-conformite-rgaa.evidence") == rows[0]["taux-conformite-rgaa.evidence"]
          and stored.get("consultations-en-ligne") == rows[0]["consultations-en-ligne"],
          "the file's answers stored as the form types them: %s" % {k: stored.get(k) for k in
                                                                    ["site-rgaa", "demarches-en-ligne"]})
    check('name="a.site-rgaa" value="true" id="in-yes.site-rgaa" checked' in res, "the form shows the file's answers")
    n_answers = len(stored)

    # A Windows-1252 CSV with ';' (a French office suite's export), one criterion changed.
    r0 = dict(rows[0])
    r0["projet-phare"] = "Médiathèque numérique à Grenoble"
    r0["consultations-en-ligne"] = "7"
    st, _, page = req("GET", "/dossier", cookie=a)
    st, _, res = upload(a, page, "export.csv", csv_text(header, [r0], ";").encode("cp1252"))
    check(st == 200 and 'id="saved"' in res and revision_of(res) == 2, "a Windows-1252 ';' CSV: saved, revision 2")
    stored = answers_of(ida)
    check(stored.get("projet-phare") == "Médiathèque numérique à Grenoble" and stored.get("consultations-en-ligne") == "7",
          "its text read as Windows-1252 (%r)" % stored.get("projet-phare"))
    check("Réponses lues dans le fichier et enregistrées : 2" in res, "only the changed answers saved (2)")

    # A JSON dossier; a criterion it leaves out keeps its answer; an unknown criterion is said.
    st, _, page = req("GET", "/dossier", cookie=a)
    doc = {"format": "palmares-dossier/1", "rubric": "villes-internet-2027",
           "town": {"id": ida, "name": rows[0]["town_name"], "population": int(rows[0]["population"]),
                    "region": rows[0]["region"], "department": rows[0]["department"], "type": "commune"},
           "answers": {"heures-mediation": 55, "demarches-en-ligne": ["etat-civil"], "critere-inconnu": True}}
    st, _, res = upload(a, page, "dossier.json", json.dumps(doc).encode())
    stored = answers_of(ida)
    check(st == 200 and stored.get("heures-mediation") == "55" and stored.get("demarches-en-ligne") == "etat-civil",
          "a JSON dossier: its answers saved (%s)" % stored.get("heures-mediation"))
    check(stored.get("projet-phare") == "Médiathèque numérique à Grenoble" and len(stored) == n_answers,
          "criteria the file leaves blank keep their answers")
    m = re.search(r'<ul id="upload-messages">(.*?)</ul>', res, re.S)
    check(m and "critere-inconnu" in m.group(1), "the unknown criterion is said, not dropped silently")

    # A file with an invalid answer: saved as typed, the engine's message next to its field.
    st, _, page = req("GET", "/dossier", cookie=a)
    r0["consultations-en-ligne"] = "douze"
    r0["taux-conformite-rgaa"] = "150"
    st, _, res = upload(a, page, "dossier.csv", csv_text(header, [r0]).encode())
    b = block(res, "consultations-en-ligne")
    check(st == 200 and 'value="douze"' in b and 'data-code="invalid-answer"' in b,
          "an invalid number from a file: shown as written, with its message")
    check('data-code="invalid-answer"' in block(res, "taux-conformite-rgaa"), "a percent over 100: its message")
    check(answers_of(ida).get("consultations-en-ligne") == "douze", "the invalid answer is stored as written")
    m = re.search(r'<ul id="upload-messages">(.*?)</ul>', res, re.S)
    check(m and "Consultations citoyennes en ligne" in m.group(1) and "n&#39;est pas acceptée" in m.group(1)
          and "« douze »" in m.group(1), "the intake's message on that answer, in French, with what was read")
    # a stale upload page (revision moved) with different answers is a conflict, nothing saved
    r0["consultations-en-ligne"] = "9"
    st, _, res = upload(a, page, "dossier.csv", csv_text(header, [r0]).encode())
    check(st == 200 and 'id="conflict"' in res and answers_of(ida).get("consultations-en-ligne") == "douze",
          "an upload from a stale page: a conflict, nothing saved")
    # CSRF
    body, ctype = multipart([("revision", "0")], [("dossier", "dossier.csv", good)])
    st, _, _ = req("POST", "/dossier/upload", body, cookie=a, headers={"Content-Type": ctype})
    check(st == 403, "an upload without CSRF: 403 (%d)" % st)
    st, _, _ = post_files(a, "/dossier/upload", [("csrf", "A" * 43), ("revision", "0")], [("dossier", "d.csv", good)])
    check(st == 403, "an upload with a forged CSRF: 403 (%d)" % st)
    st, _, _ = post_files(None, "/dossier/upload", [("csrf", "A" * 43), ("revision", "0")], [("dossier", "d.csv", good)])
    check(st in (403, 404), "a stranger's upload: refused (%d)" % st)


def evidence(b, idb, a, organizer_cookie):
    st, _, page = req("GET", "/dossier", cookie=b)
    check('type="file" name="f.taux-conformite-rgaa"' in block(page, "taux-conformite-rgaa"),
          "a file input where the rubric asks for evidence")
    check('name="f.epn"' not in block(page, "epn"), "no file input where it does not")
    check('enctype="multipart/form-data"' in page.split('action="/dossier"')[1][:200], "the form is multipart")

    def attach(files, extra=()):
        st, _, pg = req("GET", "/dossier", cookie=b)
        return post_files(b, "/dossier", [("csrf", csrf_of(pg)), ("revision", str(revision_of(pg)))] + list(extra),
                          files)

    count = lambda: db_rows("SELECT count(*) FROM evidence WHERE town_id = ?", (idb,))[0][0]  # noqa: E731
    st, _, res = attach([("f.taux-conformite-rgaa", "audit.png", PDF), ("f.site-rgaa", "capture.png", PNG),
                         ("f.budget-participatif", "photo.jpeg", JPEG),
                         ("f.tiers-lieu", "délibération \"n°1\".txt", "Délibération n°1\n".encode())])
    check(st == 200 and 'id="saved"' in res and count() == 4, "PDF, PNG, JPEG and text attached (%d, %d)" % (st, count()))
    rows = {c: (i, n, t, s) for i, c, n, t, s in
            db_rows("SELECT id, criterion, name, type, sha256 FROM evidence WHERE town_id = ?", (idb,))}
    pid, pname, ptype, psha = rows["taux-conformite-rgaa"]
    check(ptype == "application/pdf" and pname == "audit.png.pdf", "a PDF named .png is a PDF (%s, %s)" % (ptype, pname))
    check(psha == hashlib.sha256(PDF).hexdigest(), "stored by its SHA-256")
    check(rows["tiers-lieu"][2] == "text/plain; charset=utf-8" and rows["site-rgaa"][2] == "image/png"
          and rows["budget-participatif"][2] == "image/jpeg", "each type from its bytes")
    b_ = block(res, "taux-conformite-rgaa")
    check('href="/dossier/evidence/%d">audit.png.pdf</a>' % pid in b_ and "PDF" in b_ and psha in b_,
          "the file listed under its criterion: name, size, type, SHA-256")
    stored = answers_of(idb)
    check(stored.get("taux-conformite-rgaa.evidence") == "audit.png.pdf (SHA-256 %s)" % psha,
          "an empty evidence text names the file: %s" % stored.get("taux-conformite-rgaa.evidence"))

    # the same bytes again: stored once
    st, _, res = attach([("f.taux-conformite-rgaa", "encore.pdf", PDF)])
    check(st == 200 and count() == 4, "the same bytes twice are stored once (%d)" % count())

    # refused: HTML named .pdf, an executable, markup, over 10 MiB — nothing saved
    rev = revision_of(req("GET", "/dossier", cookie=b)[2])
    for what, fn, data in [("HTML named .pdf", "rapport.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
                           ("a Windows executable", "setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
                           ("an ELF executable", "a.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
                           ("an SVG", "logo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='x'/>"),
                           ("11 MiB", "grand.pdf", b"%PDF-1.4\n" + b"0" * (11 << 20))]:
        st, _, res = attach([("f.tiers-lieu", fn, data)], [("a.epn", "true"), ("o.epn", "")])
        b_ = block(res, "tiers-lieu")
        check(st == 200 and 'id="files-refused"' in res and 'data-code="evidence-refused"' in b_,
              "%s: refused, said next to its criterion (%d)" % (what, st))
        check(count() == 4 and revision_of(req("GET", "/dossier", cookie=b)[2]) == rev and "epn" not in answers_of(idb),
              "%s: nothing saved, not even the typed answers" % what)
        check('value="true" id="in-yes.epn" checked' in res, "%s: what was typed is shown again" % what)

    # office documents, as zipfile writes them (deflated): ODT and DOCX allowed, a DOCX with macros refused
    def office(entries, first_stored=None):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            if first_stored:
                z.writestr(zipfile.ZipInfo(first_stored[0]), first_stored[1], compress_type=zipfile.ZIP_STORED)
            for n, data in entries:
                z.writestr(n, data)
        return out.getvalue()
    odt = office([("content.xml", "<office:document-content/>")],
                 ("mimetype", "application/vnd.oasis.opendocument.text"))
    docx = office([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])
    macro = office([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"),
                    ("word/vbaProject.bin", "x" * 100)])
    st, _, res = attach([("f.jeux-donnees-ouverts", "bilan.odt", odt)])
    st2, _, res2 = attach([("f.jeux-donnees-ouverts", "bilan.docx", docx)])
    types = [t for (t,) in db_rows("SELECT type FROM evidence WHERE town_id = ? AND criterion = 'jeux-donnees-ouverts'"
                                   " ORDER BY id", (idb,))]
    check(st == 200 and st2 == 200 and types == ["application/vnd.oasis.opendocument.text",
                                                  "application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document"], "ODT and DOCX attached: %s" % types)
    st, _, res = attach([("f.jeux-donnees-ouverts", "bilan.docx", macro)])
    check('id="files-refused"' in res and count() == 6, "a DOCX with macros: refused")

    # download: attachment, its type, a safe name, nosniff, no-store
    st, h, data = raw("GET", "/dossier/evidence/%d" % pid, cookie=b)
    check(st == 200 and data == PDF and h.get("content-type") == "application/pdf", "the PDF served as a PDF (%d)" % st)
    check(h.get("content-disposition") == "attachment; filename=\"audit.png.pdf\"; filename*=UTF-8''audit.png.pdf",
          "served as an attachment: %s" % h.get("content-disposition"))
    check(h.get("x-content-type-options") == "nosniff" and "no-store" in h.get("cache-control", ""),
          "nosniff, no-store")
    tid = rows["tiers-lieu"][0]
    st, h, data = raw("GET", "/dossier/evidence/%d" % tid, cookie=b)
    check(st == 200 and h.get("content-disposition") ==
          "attachment; filename=\"d_lib_ration__n_1_.txt\"; filename*=UTF-8''d%C3%A9lib%C3%A9ration%20%22n%C2%B01%22.txt",
          "an RFC 6266 name: %s" % h.get("content-disposition"))
    for who, cookie in [("another town", a), ("a stranger", None)]:
        st, _, _ = raw("GET", "/dossier/evidence/%d" % pid, cookie=cookie)
        check(st == 404, "%s GETs the file: 404 (%d)" % (who, st))
    st, _, _ = raw("GET", "/dossier/evidence/999999", cookie=b)
    check(st == 404, "an unknown file: 404")
    st, _, _ = raw("GET", "/dossier/evidence/-1", cookie=b)
    check(st == 404, "a malformed id: 404")
    st, _, data = raw("GET", "/dossier/evidence/%d" % pid, cookie=organizer_cookie)
    check(st == 200 and data == PDF, "the organizer downloads it (%d)" % st)
    st, _, opage = req("GET", "/dossier/" + idb, cookie=organizer_cookie)
    check('href="/dossier/evidence/%d"' % pid in opage and 'name="rm"' not in opage and 'type="file"' not in opage,
          "the organizer sees the files listed, without upload or removal")
    # another town cannot remove B's file, nor attach to B's dossier
    st, _, pa = req("GET", "/dossier", cookie=a)
    st, _, _ = post_files(a, "/dossier", [("csrf", csrf_of(pa)), ("revision", str(revision_of(pa))),
                                          ("rm", str(pid))], [])
    check(count() == 6, "another town's removal of the file does nothing")
    st, _, _ = post_files(a, "/dossier/" + idb, [("csrf", csrf_of(pa)), ("revision", "0")],
                          [("f.tiers-lieu", "x.pdf", PDF)])
    check(st == 404, "another town attaching to B's dossier: 404 (%d)" % st)

    # removal: the box ticked in a save; the evidence text that named it is cleared; audited
    st, _, res = attach([], [("rm", str(pid))])
    check(st == 200 and count() == 5 and raw("GET", "/dossier/evidence/%d" % pid, cookie=b)[0] == 404,
          "a file removed: gone, 404")
    check(answers_of(idb).get("taux-conformite-rgaa.evidence") == "", "the evidence text naming it is cleared")
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'evidence-remove' AND subject = ?",
                  (idb + "/taux-conformite-rgaa",))[0][0] == 1, "the removal is in the audit log")
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'evidence'")[0][0] == 6, "each file stored is audited once")


def submit(a, ida, header, rows, organizer_cookie):
    st, _, page = req("GET", "/dossier", cookie=a)
    # the dossier holds "douze" (uploads): invalid, the page lists what blocks, the POST is refused
    check('id="submit-blocked"' in page and 'action="/dossier/submit"' not in page,
          "an invalid dossier: what blocks is listed, no submit button")
    st, _, res = req("POST", "/dossier/submit",
                     urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page)}), cookie=a)
    check(st == 200 and 'id="submit-blocked"' in res, "submitting an invalid dossier: refused (%d)" % st)
    check(db_rows("SELECT state FROM dossier WHERE town_id = ?", (ida,))[0][0] == "draft", "not submitted")
    # fixed with a valid file
    st, _, res = upload(a, page, "dossier.csv", csv_text(header, [rows[0]]).encode())
    check('id="submit-blocked"' not in res and 'action="/dossier/submit"' in res, "valid: the submit button")
    # a stale page's submit: refused
    st, _, stale = req("POST", "/dossier/submit",
                       urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page)}), cookie=a)
    check(st == 200 and 'id="submit-stale"' in stale, "a stale page's submit is refused (%d)" % st)
    # forged CSRF
    st, _, _ = req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": "A" * 43, "revision": revision_of(res)}),
                   cookie=a)
    check(st == 403, "a submit with a forged CSRF: 403 (%d)" % st)
    st, _, _ = req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": "A" * 43, "revision": "0"}))
    check(st in (403, 404), "a stranger's submit: refused (%d)" % st)
    st, _, opage = req("GET", "/organizer", cookie=organizer_cookie)
    st, _, _ = req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": csrf_of(opage) or "", "revision": "0"}),
                   cookie=organizer_cookie)
    check(st == 404, "the organizer cannot submit for a town: 404 (%d)" % st)

    rev = revision_of(res)
    st, h, _ = req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": csrf_of(res), "revision": rev}), cookie=a)
    check(st == 303 and h.get("location") == "/dossier/receipt", "submitted: 303 to the receipt (%d)" % st)
    state, receipt, at = db_rows("SELECT state, receipt_sha256, submitted_at FROM dossier WHERE town_id = ?", (ida,))[0]
    check(state == "submitted" and re.fullmatch(r"[0-9a-f]{64}", receipt or ""), "stored: submitted, a receipt")
    st, _, rpage = req("GET", "/dossier/receipt", cookie=a)
    m = re.search(r'<code id="receipt-sha256">([0-9a-f]{64})</code>', rpage)
    check(st == 200 and m and m.group(1) == receipt, "the receipt page shows the SHA-256")
    check(rows[0]["town_name"] in rpage and 'id="receipt-revision">%d<' % rev in rpage and " UTC" in rpage,
          "the receipt: town, revision, date and time")
    m = re.search(r'<tr data-criterion="projet-phare"><th>[^<]*</th><td>([^<]*)</td>', rpage)
    check(m and html.unescape(m.group(1)) == rows[0]["projet-phare"], "the receipt lists the answers submitted")
    st, h, data = raw("GET", "/dossier/submitted.json", cookie=a)
    check(st == 200 and hashlib.sha256(data).hexdigest() == receipt,
          "SHA-256 of the submitted JSON equals the receipt (%d)" % st)
    doc = json.loads(data)
    check(doc["town"]["id"] == ida and doc["answers"].get("site-rgaa") is True
          and doc["answers"].get("demarches-en-ligne") == rows[0]["demarches-en-ligne"].split("|"),
          "the submitted JSON holds the answers")
    # the JSON is the engine's: `palmares check` reads it without error
    path = os.path.join(tmp, "submitted.json")
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run([PALMARES, "check", RUBRIC, path], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "palmares check reads the submitted dossier: %s" % (p.stdout + p.stderr)[-300:])
    for who, cookie in [("a stranger", None), ("the organizer", organizer_cookie)]:
        check(req("GET", "/dossier/receipt", cookie=cookie)[0] == 404 and
              raw("GET", "/dossier/submitted.json", cookie=cookie)[0] == 404,
              "%s gets no receipt nor submitted JSON: 404" % who)
    st, _, opage = req("GET", "/dossier/" + ida, cookie=organizer_cookie)
    check(st == 200 and receipt in opage, "the organizer sees the receipt's SHA-256 on the dossier")
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'submit' AND subject = ? AND new = ?",
                  (ida, receipt))[0][0] == 1, "the submission is in the audit log")

    # read-only now: no save, no upload, no file, no second submit
    st, _, page = req("GET", "/dossier", cookie=a)
    check("déposé : il ne peut plus être modifié" in page and "Enregistrer le brouillon" not in page
          and 'action="/dossier/upload"' not in page and 'href="/dossier/receipt"' in page,
          "after submission the page is read-only and links the receipt")
    body = urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page), "o.epn": "",
                                   "a.epn": "false"})
    check(req("POST", "/dossier", body, cookie=a)[0] == 404, "after submission a save: 404")
    check(upload(a, page, "dossier.csv", csv_text(header, [rows[0]]).encode())[0] == 404, "an upload: 404")
    check(post_files(a, "/dossier", [("csrf", csrf_of(page)), ("revision", str(revision_of(page)))],
                     [("f.tiers-lieu", "x.pdf", PDF)])[0] == 404, "an evidence file: 404")
    check(req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page)}),
              cookie=a)[0] == 404, "a second submit: 404")
    check(db_rows("SELECT receipt_sha256 FROM dossier WHERE town_id = ?", (ida,))[0][0] == receipt, "unchanged")

    # reopened by the organizer (as store_dossier_reopen does): changed and submitted again, a new receipt
    db_exec("UPDATE dossier SET state = 'draft', submitted_at = NULL, receipt_sha256 = NULL, reopened = 1"
            " WHERE town_id = ?", (ida,))
    st, _, page = req("GET", "/dossier", cookie=a)
    check('id="reopened"' in page and "Enregistrer le brouillon" in page, "reopened: the form is editable again")
    st, _, rp = req("GET", "/dossier/receipt", cookie=a)
    check(st == 200 and 'id="no-receipt"' in rp, "no current receipt while reopened")
    st, _, rp = req("GET", "/dossier/receipt", cookie=organizer_cookie)
    check(st == 404, "the organizer has no receipt page of its own: 404")
    check(raw("GET", "/dossier/submitted.json", cookie=a)[0] == 404, "no submitted JSON while reopened")
    body = urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page), "o.heures-mediation":
                                   answers_of(ida).get("heures-mediation", ""), "a.heures-mediation": "61"})
    st, _, res = req("POST", "/dossier", body, cookie=a)
    check(st == 200 and 'id="saved"' in res, "reopened: saved")
    # four tabs submit at once: one submission, the others told (never a server error)
    got = []
    body = urllib.parse.urlencode({"csrf": csrf_of(res), "revision": revision_of(res)})
    threads = [threading.Thread(target=lambda: got.append(req("POST", "/dossier/submit", body, cookie=a)[0]))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    receipt2 = db_rows("SELECT receipt_sha256 FROM dossier WHERE town_id = ?", (ida,))[0][0]
    check(got.count(303) == 1 and all(s in (200, 303, 404) for s in got), "exactly one submission: %s" % sorted(got))
    check(receipt2 and receipt2 != receipt, "submitted again: a new receipt")
    check(db_rows("SELECT count(*) FROM audit WHERE what = 'submit' AND subject = ?", (ida,))[0][0] == 2,
          "two submissions in the audit log")
    st, h, data = raw("GET", "/dossier/submitted.json", cookie=a)
    check(hashlib.sha256(data).hexdigest() == receipt2, "the new receipt is the new JSON's SHA-256")


def deadline(c, idc, ida):
    db_exec("INSERT INTO phase (phase, starts_at) VALUES ('marking', 4102444800)")
    st, _, page = req("GET", "/dossier", cookie=c)
    check('<strong id="deadline">2100-01-01 01:00 UTC+01:00</strong>' in page,
          "the deadline is shown in the server's time with its offset, as the organizer set it")
    db_exec("UPDATE phase SET starts_at = 1 WHERE phase = 'marking'")
    st, _, page2 = req("GET", "/dossier", cookie=c)
    check(st == 200 and "La date limite est passée" in page2 and "Enregistrer le brouillon" not in page2
          and 'action="/dossier/submit"' not in page2 and 'action="/dossier/upload"' not in page2,
          "after the deadline: the page says why, no save, upload or submit")
    body = urllib.parse.urlencode({"csrf": csrf_of(page), "revision": revision_of(page), "o.epn": "", "a.epn": "true"})
    check(req("POST", "/dossier", body, cookie=c)[0] == 404, "after the deadline a save: 404")
    st, _, _ = req("POST", "/dossier/submit", urllib.parse.urlencode({"csrf": csrf_of(page),
                                                                      "revision": revision_of(page)}), cookie=c)
    check(st == 404, "after the deadline a submit: 404 (%d)" % st)
    check(db_rows("SELECT state FROM dossier WHERE town_id = ?", (idc,))[0][0] == "not_started", "nothing changed")
    st, _, page = req("GET", "/dossier?lang=en", cookie=c)
    check("The deadline has passed" in page, "in English too")


def main():
    organizer, header, rows, links = setup()
    ida, idb, idc = rows[0]["town_id"], rows[1]["town_id"], rows[2]["town_id"]
    # Paris time (a POSIX rule: no tzdata needed): pages show times in the server's zone, with its offset.
    server = subprocess.Popen([PALMARES, "serve", DB, "--listen", "127.0.0.1:%d" % PORT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=dict(os.environ, TZ="CET-1CEST,M3.5.0,M10.5.0/3"))
    try:
        wait_for(PORT, server)
        a, b, c = login(links[ida]), login(links[idb]), login(links[idc])
        org = login(organizer)
        uploads(a, ida, header, rows, idb)
        evidence(b, idb, a, org)
        submit(a, ida, header, rows, org)
        deadline(c, idc, ida)
    finally:
        stop_server(server)
    db = sqlite3.connect(DB)
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "the database passes integrity_check")
    db.close()


if __name__ == "__main__":
    main()
    finish()
