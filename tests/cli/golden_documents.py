#!/usr/bin/env python3
"""Every results file that `score` writes is accepted by every document
command (issue 13, item 3). The inputs are those of every golden case
(tests/golden/*/cmd) that runs `score` or `check`: each is scored into a
results file, then rendered as certificates, reports (one file and one file
per town) and a booklet. A town that forgot its id, or whose dossier is
invalid, still gets its feedback report, with the errors to fix.

Accepted means: no message about the results file, every town gets a
report, the booklet is written, and certificates are written whenever a
town is certified (else the one message that none is).

usage: golden_documents.py PATH/TO/palmares PATH/TO/tests/golden
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from checks import check, summary

PALMARES = os.path.abspath(sys.argv[1])
GOLDEN = os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="palmares-golden-docs-")


def run(args, cwd):
    env = dict(os.environ, LANG="C", LC_ALL="", LANGUAGE="", SOURCE_DATE_EPOCH="1800000000")
    p = subprocess.run([PALMARES, *args], capture_output=True, text=True, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def pdftext(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                          text=True).stdout


def score_args(cmd):
    """The case's score (or check) arguments writing JSON to results.json, or None."""
    args = shlex.split(cmd)
    if not args or args[0] not in ("score", "check"):
        return None
    out, skip = ["score"], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in ("--format", "-o", "--output"):
            skip = True
        else:
            out.append(a)
    return out + ["-o", "results.json"]


def squeeze(s):
    return re.sub(r"\s+", " ", s)


def documents(case, work):
    res = os.path.join(work, "results.json")
    data = json.load(open(res, encoding="utf-8"))
    towns = data["towns"]
    # Messages about the results file name it first: "results.json:LINE:COL: error: ...". The
    # one that says no town gets a document is about the campaign, not the file.
    about_results = re.compile(r"^results\.json(:\d+)*: error: (?!no town gets)", re.M)
    rc, _, se = run(["report", "results.json", "-o", "reports/"], work)
    # the directory's manifest (.palmares-report, docs/documents.md) is not a town's file
    files = sorted(f for f in os.listdir(os.path.join(work, "reports")) if not f.startswith(".")) \
        if os.path.isdir(os.path.join(work, "reports")) else []
    check(rc == 0 and not about_results.search(se), "%s: report -o DIR/ accepts the results (%d): %s"
          % (case, rc, se.strip()[:300]))
    check(len(files) == len(towns), "%s: one report per town: %d files for %d towns (%s)"
          % (case, len(files), len(towns), ", ".join(files)))
    no_id = [t for t in towns if not t["id"]]
    if no_id:
        named = [f for f in files if f.startswith("no-id")]
        check(len(named) == len(no_id), "%s: towns without id get DIR/no-id…: %s" % (case, files))
        # Twice: the towns without id are selected once.
        rc, _, se = run(["report", "results.json", "--town", "", "--town", "", "-o", "no-id/"], work)
        got = sorted(f for f in os.listdir(os.path.join(work, "no-id")) if not f.startswith(".")) if rc == 0 else []
        check(got == named, "%s: --town \"\" selects the towns without id: %s (%d) %s"
              % (case, got, rc, se.strip()[:200]))
    rc, _, se = run(["report", "results.json", "--lang", "en", "-o", "reports.pdf"], work)
    check((rc == 0 or not towns) and not about_results.search(se), "%s: report -o FILE accepts the results (%d): %s"
          % (case, rc, se.strip()[:300]))
    if rc == 0:
        text = squeeze(pdftext(os.path.join(work, "reports.pdf")))
        for t in towns:
            if t["status"] == "invalid":
                check("This dossier is invalid" in text and "Errors in the dossier" in text,
                      "%s: the report of invalid town %r says what to fix" % (case, t["id"]))
    # Item 22: every message a town gets has a code, which the report words in its language:
    # the engine's English text (the fallback of a message without one) never reaches it.
    for t in towns:
        for m in t.get("messages", []):
            check(m.get("code"), "%s: town %r: message without a code: %r" % (case, t["id"], m.get("text")))
    rc, _, se = run(["report", "results.json", "--lang", "fr", "-o", "reports-fr.pdf"], work)
    if rc == 0:
        fr = squeeze(pdftext(os.path.join(work, "reports-fr.pdf")))
        for t in towns:
            for m in t.get("messages", []):
                check(squeeze(m.get("text") or "") not in fr, "%s: the French report of %r holds the "
                      "engine's English text %r" % (case, t["id"], m.get("text")))
    rc, _, se = run(["booklet", "results.json", "-o", "booklet.pdf"], work)
    check(rc == 0 and not about_results.search(se), "%s: booklet accepts the results (%d): %s"
          % (case, rc, se.strip()[:300]))
    certified = [t for t in towns if t["status"] == "scored" and (t.get("level") or 0) >= 1]
    rc, _, se = run(["certificates", "results.json", "-o", "certificates.pdf"], work)
    if certified:
        check(rc == 0 and not about_results.search(se), "%s: certificates accept the results (%d): %s"
              % (case, rc, se.strip()[:300]))
    else:
        check(not about_results.search(se) and "no town gets a certificate" in se,
              "%s: certificates: only \"no town gets a certificate\" (%d): %s"
              % (case, rc, se.strip()[:300]))


def main():
    if not shutil.which("pdftotext"):
        print("poppler-utils missing: pdftotext")
        return 1
    cases = 0
    try:
        for case in sorted(os.listdir(GOLDEN)):
            src = os.path.join(GOLDEN, case)
            if not os.path.isfile(os.path.join(src, "cmd")):
                continue
            args = score_args(open(os.path.join(src, "cmd"), encoding="utf-8").read().strip())
            if args is None:
                continue
            work = os.path.join(TMP, case)
            shutil.copytree(src, work)
            rc, _, se = run(args, work)
            if not os.path.exists(os.path.join(work, "results.json")):
                # Nothing scored: a file could not be read, or the rubric is invalid (exit 2 or 1).
                check(rc != 0, "%s: no results written, yet exit 0" % case)
                continue
            cases += 1
            documents(case, work)
        check(cases >= 25, "golden cases with results: %d" % cases)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
