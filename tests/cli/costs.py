#!/usr/bin/env python3
"""Costs that no limit bounded (issue 19, items 6-11; docs/limits.md): each
hostile input must cost time linear in its size, or be refused by a
documented limit before it costs more. Each case states a generous bound
(seconds of wall time, megabytes of peak memory) that the quadratic or
unbounded code exceeded several times over, so that a loaded machine or a
sanitizer build does not make it flake; bench/costs.sh measures the same
inputs precisely.

usage: costs.py PATH/TO/palmares [CASE...]   (cases: logo json_size not_files rule_text sheets
       marks options columns; all by default)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import struct
import zlib
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
    """Runs palmares; returns (status, stderr, wall seconds, peak RSS of this run in MB).
    status is None when the run was stopped at timeout."""
    e = dict(os.environ, LANG="C.UTF-8", SOURCE_DATE_EPOCH="1800000000")
    e.update(env or {})
    start = time.monotonic()
    with open(path("stderr"), "w+b") as err:
        p = subprocess.Popen([PALMARES, *args], stdout=subprocess.DEVNULL, stderr=err,
                             stdin=subprocess.DEVNULL, env=e)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, st, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(st)
        err.seek(0)
        stderr = err.read()
    wall = time.monotonic() - start
    if p.returncode == -9 and wall >= timeout:
        return None, b"timed out", wall, usage.ru_maxrss / 1024
    check(0 <= p.returncode < 128 and b"Sanitizer" not in stderr and b"runtime error" not in stderr,
          "palmares %s crashed (%d): %s" % (args[0], p.returncode, stderr[-300:]))
    return p.returncode, stderr, wall, usage.ru_maxrss / 1024


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
    check(status != 0 and err.count(b"are the same answer") == 3
          and b'options "Oui" and "OUI" are the same answer' in err,
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


def png(w, h):
    """A grey PNG of w x h pixels, all black: a few hundred kilobytes however large."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    co = zlib.compressobj(1)
    row = bytes(w + 1)
    data = b"".join(co.compress(row) for _ in range(h)) + co.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


DOUBLING = json.dumps({"reduce": [list(range(32)), {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]},
                                  "x" * 64]})


def rule_text():
    """Item 11: a cat doubling a string ran to the step limit, 662 MB later; the text one rule
    run builds is bounded now. A long but reasonable text still builds."""
    status, err, wall, rss = run("rule", DOUBLING, timeout=60)
    check(status == 1 and b'"cat": rule evaluation built more than 16777216 bytes of text' in err,
          "doubling cat: status %s: %s" % (status, err[-300:]))
    check(rss < 250, "doubling cat: %.0f MB (bound 250 MB)" % rss)
    ok = json.dumps({"reduce": [list(range(16)), {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]},
                                "x" * 64]})
    status, err, _, _ = run("rule", ok)
    check(status == 0, "2 MiB of text: status %s: %s" % (status, err[-300:]))


def sheets():
    """Jurors whose ids differ only by case get no sheet (they would share a file), found by
    sorting rather than by comparing each id with all before it: the first in byte order
    keeps its sheet, as before."""
    rows = ["juror,town_id"] + ["%s,1" % j for j in ("Anne", "anne", "Bob", "ANNE")]
    write("asg.csv", "\n".join(rows) + "\n")
    status, err, _, _ = run("sheets", path("rubric.json"), path("d.csv"), "--assignments", path("asg.csv"),
                            "-o", path("sheets") + "/")
    made = sorted(os.listdir(path("sheets"))) if os.path.isdir(path("sheets")) else []
    check(status == 1 and made == ["ANNE.csv", "Bob.csv"]
          and b'juror "Anne": differs from another juror only by letter case' in err
          and b'juror "anne": differs from another juror only by letter case' in err,
          "sheets of jurors differing by case: status %s, %s: %s" % (status, made, err[-300:]))


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
RESULTS = os.path.join(DATA, "results-fr.json")


def certificates_with_logo(logo, timeout=60):
    write("style.json", json.dumps({"format": "palmares-style/1", "logo": logo}))
    return run("certificates", RESULTS, "--style", path("style.json"), "-o", path("c.pdf"),
               timeout=timeout)


def logo():
    """Item 8: a 390 KB PNG declaring 20,000 x 20,000 pixels was decoded whole (1.6 GB,
    20 s a certificate); refused from its header now. A logo within the limit still works."""
    write("big.png", png(20000, 20000))
    status, err, wall, rss = certificates_with_logo("big.png")
    check(status == 1 and b'big.png" is 20000 \xc3\x97 20000 pixels: a logo has at most 16777216 pixels'
          in err, "logo over the pixel limit: status %s: %s" % (status, err[-300:]))
    check(wall < 10 and rss < 400, "logo over the limit: %.1f s, %.0f MB (bounds 10 s, 400 MB)"
          % (wall, rss))
    write("ok.png", png(300, 200))
    status, err, _, _ = certificates_with_logo("ok.png")
    check(status == 0, "a 300 x 200 logo: status %s: %s" % (status, err[-300:]))


def json_size():
    """Item 9: a JSON input over its limit was read whole first (a 2 GiB sparse file: 2.1 GB,
    16 s); its size is checked before reading now. A stream stops at the limit: a JSON Lines
    line of 300 MB from a FIFO was held whole before its length was checked."""
    with open(path("sparse.json"), "wb") as f:
        f.truncate(2 << 30)
    status, err, wall, rss = run("score", path("rubric.json"), path("sparse.json"), "-o", path("o.csv"))
    check(status == 2 and b"file is larger than the limit of 1073741824 bytes (limit set by "
          b"PALMARES_MAX_JSON)" in err, "2 GiB JSON: status %s: %s" % (status, err[-300:]))
    check(wall < 10 and rss < 200, "2 GiB JSON: %.1f s, %.0f MB (bounds 10 s, 200 MB)" % (wall, rss))
    os.unlink(path("sparse.json"))
    for name in ("line.jsonl", "whole.json"):
        os.mkfifo(path(name))

        def feed():
            try:
                with open(path(name), "wb") as f:
                    chunk = b" " * (1 << 20)
                    for _ in range(300):
                        f.write(chunk)
            except (BrokenPipeError, OSError):
                pass  # palmares stopped reading: what is checked
        writer = threading.Thread(target=feed)
        writer.start()
        status, err, wall, rss = run("score", path("rubric.json"), path(name), "-o", path("o.csv"),
                                     env={"PALMARES_MAX_JSON": "10M"}, timeout=60)
        if status is None:  # unblock the writer
            with open(path(name), "rb") as f:
                f.read()
        writer.join()
        check(status == 2 and b"file is larger than the limit of 10485760 bytes" in err,
              "%s: 300 MB from a FIFO, limit 10 MiB: status %s: %s" % (name, status, err[-300:]))
        check(rss < 150, "%s: 300 MB from a FIFO, limit 10 MiB: %.0f MB (bound 150 MB)" % (name, rss))


def not_files():
    """Item 10: a logo or a dossier file that is a device was read (/dev/zero: 2 GB) and a
    FIFO hung forever, with a message that dropped the reason; refused at once now, saying
    why."""
    status, err, wall, rss = certificates_with_logo("/dev/zero", timeout=30)
    check(status == 1 and b'cannot read "/dev/zero": not a regular file but a character device' in err,
          "logo /dev/zero: status %s: %s" % (status, err[-300:]))
    check(wall < 10 and rss < 200, "logo /dev/zero: %.1f s, %.0f MB (bounds 10 s, 200 MB)" % (wall, rss))
    os.mkfifo(path("fifo.png"))
    status, err, wall, _ = certificates_with_logo("fifo.png", timeout=30)
    check(status == 1 and b'fifo.png": not a regular file but a FIFO or pipe' in err,
          "logo from a FIFO nobody writes: status %s: %s" % (status, err[-300:]))
    status, err, wall, _ = run("rule", "@/dev/zero", timeout=30)
    check(status == 2 and b"cannot read /dev/zero: not a regular file but a character device" in err,
          "rule @/dev/zero: status %s: %s" % (status, err[-300:]))
    os.symlink("/dev/zero", path("zero.json"))
    os.symlink("/dev/zero", path("zero.jsonl"))
    for name in ("zero.json", "zero.jsonl"):
        status, err, wall, rss = run("score", path("rubric.json"), path(name), "-o", path("o.csv"),
                                     timeout=30)
        check(status == 2 and b"not a regular file but a character device" in err and wall < 10
              and rss < 200, "dossiers %s -> /dev/zero: status %s, %.1f s, %.0f MB: %s"
              % (name, status, wall, rss, err[-200:]))


# Memory is measured per run, but a child's peak counts the test's own memory when it was
# forked: the cases that check memory run first, before the large inputs are built here.
CASES = (logo, json_size, not_files, rule_text, sheets, marks, options, columns)
for case in CASES:
    if len(sys.argv) < 3 or case.__name__ in sys.argv[2:]:
        case()
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(summary())
