#!/usr/bin/env python3
"""Costs that no limit bounded (issue 19, items 6-11; docs/limits.md): each
hostile input must cost time linear in its size, or be refused by a
documented limit before it costs more. Each case states a generous bound
(seconds of wall time, megabytes of peak memory) that the quadratic or
unbounded code exceeded several times over, so that a loaded machine or a
sanitizer build does not make it flake; bench/costs.sh measures the same
inputs precisely.

usage: costs.py PATH/TO/palmares
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from checks import check, summary

PALMARES = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="palmares-costs-")


def path(name):
    return os.path.join(TMP, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path(name)


def run(*args, env=None, timeout=120):
    """Runs palmares; returns (status, stderr, wall seconds, peak RSS of the run in MB)."""
    e = dict(os.environ, LANG="C.UTF-8", SOURCE_DATE_EPOCH="1800000000")
    e.update(env or {})
    start = time.monotonic()
    try:
        p = subprocess.run([PALMARES, *args], capture_output=True, env=e, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, b"timed out", time.monotonic() - start, 0
    wall = time.monotonic() - start
    # ru_maxrss of children is the largest child so far: each case runs its big input first.
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    check(p.returncode < 128 and b"Sanitizer" not in p.stderr and b"runtime error" not in p.stderr,
          "palmares %s crashed (%d): %s" % (args[0], p.returncode, p.stderr[-300:]))
    return p.returncode, p.stderr, wall, rss


RUBRIC = {"format": "palmares-rubric/1", "id": "costs", "edition": 2027, "label": "Costs",
          "jury": {"min_marks": 1},
          "categories": [{"id": "c", "criteria": [
              {"id": "j", "kind": "jury", "points": 10, "scale": [0, 5]},
              {"id": "y", "kind": "yes-no", "points": 1}]}],
          "levels": [{"name": "@", "min_percent": 0}]}
write("rubric.json", json.dumps(RUBRIC))
write("d.csv", "town_id,town_name,y\n1,Un,oui\n")


def marks():
    """Item 6: 200,000 jurors mark one criterion of one town (the unindexed list took 16 s
    for 100,000 and four times that for twice as many); a juror's second mark far down the
    list is still caught."""
    n = 200000
    rows = ["juror,town_id,criterion,mark"] + ["j%d,1,j,%d" % (i, i % 6) for i in range(n)]
    rows += ["j150000,1,j,2", "j5,1,j,2"]
    write("m.csv", "\n".join(rows) + "\n")
    status, err, wall, _ = run("score", path("rubric.json"), path("d.csv"), "--marks", path("m.csv"),
                               "-o", path("m.json"), timeout=60)
    check(wall < 20, "200,000 marks on one criterion took %.1f s (bound 20 s)" % wall)
    check(status == 1 and b'juror j150000 marked town 1 on "j" twice (also ' in err
          and b"juror j5 marked town 1 on" in err, "duplicates in a long list: %s" % err[-300:])
    if status == 1:
        with open(path("m.json")) as f:
            res = json.load(f)
        got = [m["juror"] for m in res["towns"][0]["criteria"][0]["marks"]]
        check(len(got) == n - 2 and got[:6] == ["j0", "j1", "j2", "j3", "j4", "j6"]
              and got[-1] == "j%d" % (n - 1), "marks kept in input order but the two jurors' "
              "who marked twice: %d, %s" % (len(got), got[:8]))


def options():
    """Item 7: a rubric of 200,000 options (each compared with every one before it, then each
    answer with every option: 12 s for 100,000, four times that for twice as many); ids
    differing only by case are still refused, answers still match in any case."""
    n = 200000
    opts = {"o%d" % i: (i % 100) / 100 for i in range(n)}
    rubric = dict(RUBRIC, categories=[{"id": "c", "criteria": [
        {"id": "ch", "kind": "choice", "points": 10, "options": opts},
        {"id": "mu", "kind": "multi", "points": 10, "options": opts}]}])
    write("opts.json", json.dumps(rubric))
    rows = ["town_id,town_name,ch,mu"]
    rows += ["%d,T%d,O%d,%s" % (i, i, i * 37 % n, "|".join("o%d" % (i * 7 + k) for k in (9, 3, 9, 1)))
             for i in range(300)]
    write("opts.csv", "\n".join(rows) + "\n")
    status, err, wall, _ = run("score", path("opts.json"), path("opts.csv"), "-o", path("opts.out.json"),
                               timeout=60)
    check(wall < 20, "200,000 options took %.1f s (bound 20 s)" % wall)
    check(status == 0, "options: status %s: %s" % (status, err[-300:]))
    if status == 0:
        with open(path("opts.out.json")) as f:
            town = json.load(f)["towns"][1]
        crit = {c["id"]: c for c in town["criteria"]}
        check(crit["ch"]["answer"] == "o37" and crit["mu"]["answer"] == ["o8", "o10", "o16"],
              "options matched case-insensitively, multi in rubric order once each: %s %s"
              % (crit["ch"].get("answer"), crit["mu"].get("answer")))
    rubric["categories"][0]["criteria"][0]["options"] = {"Oui": 1, "non": 0, "OUI": 0.5, "oui": 1}
    write("case.json", json.dumps(rubric))
    status, err, _, _ = run("validate", path("case.json"))
    check(status != 0 and err.count(b"differ only by case") == 3
          and b'options "Oui" and "OUI" differ only by case' in err,
          "options differing by case: %s" % err[-400:])


def columns():
    """Item 7: a dossiers header of 200,000 columns (each compared with every one before it:
    2 s for 40,000, 25 times that for five times as many); a repeated column is still
    found, in any case."""
    n = 200000
    write("cols.csv", ",".join(["town_id", "town_name", "Y"] + ["x%d" % i for i in range(n)] + ["y"])
          + "\n1,A" + "," * (n + 2) + "\n")
    status, err, wall, _ = run("score", path("rubric.json"), path("cols.csv"), "-o", path("cols.out.csv"),
                               env={"PALMARES_MAX_COLUMNS": str(n + 10)}, timeout=60)
    check(wall < 20, "a header of 200,000 columns took %.1f s (bound 20 s)" % wall)
    check(status == 1 and b'column "y" appears twice (columns 3 and %d)' % (n + 4) in err,
          "repeated column: status %s: %s" % (status, err[:300]))


for case in (marks, options, columns):
    case()
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(summary())
