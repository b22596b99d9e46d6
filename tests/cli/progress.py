#!/usr/bin/env python3
"""The progress line of long runs (issue 5, docs/progress.md): drawn on stderr
when it is a terminal (here a pseudo-terminal), never otherwise, erased before
every message, and without effect on what is written. No test depends on
timing: PALMARES_PROGRESS_INTERVAL=0 draws on every update from the start.

usage: progress.py PATH/TO/palmares SOURCE_ROOT
"""
import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from checks import check, summary

PALMARES = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="palmares-progress-")
CAMPAIGN = ["criteria/villes-internet-2027.json", "examples/dossiers-excel.csv",
            "examples/dossiers-libreoffice.csv", "examples/dossiers-google.csv",
            "examples/dossiers.json", "--marks", "examples/marks.csv",
            "--overrides", "examples/overrides.csv"]
FAST = {"PALMARES_PROGRESS_INTERVAL": "0"}
# One drawn line; and the erasure alone.
LINE = re.compile(rb"\rpalmares: ([^\r\n\x1b]*)\x1b\[K")
ERASE = b"\r\x1b[K"


def env_with(extra):
    e = dict(os.environ, LANG="C", LC_ALL="", LANGUAGE="", SOURCE_DATE_EPOCH="1800000000")
    for k in ("PALMARES_PROGRESS", "PALMARES_PROGRESS_INTERVAL"):
        e.pop(k, None)
    e.update(extra or {})
    return e


def run_pipe(args, env=None):
    """stdout and stderr are pipes. Returns (status, stdout, stderr) as bytes."""
    p = subprocess.run([PALMARES, *args], capture_output=True, env=env_with(env), cwd=ROOT,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def run_tty(args, env=None, columns=0, stdout_tty=False):
    """stderr (and stdout when stdout_tty) on a pseudo-terminal, read until the
    child closes it. The terminal's output post-processing is switched off, so
    that the bytes read are the bytes written ("\\n" stays "\\n")."""
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    out_path = os.path.join(TMP, "stdout")
    with open(out_path, "wb") as out:
        p = subprocess.Popen([PALMARES, *args], stdin=subprocess.DEVNULL,
                             stdout=slave if stdout_tty else out, stderr=slave,
                             env=env_with(env), cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:  # EIO: every end of the slave is closed
            break
        if not b:
            break
        chunks.append(b)
    os.close(master)
    status = p.wait()
    with open(out_path, "rb") as f:
        stdout = f.read()
    return status, stdout, b"".join(chunks)


def strip_progress(err):
    return LINE.sub(b"", err).replace(ERASE, b"")


def clean_ends(err):
    """Every drawn line is followed by another line or by its erasure — never by
    a message — and the last line is erased before the program ends."""
    ms = list(LINE.finditer(err))
    return all(err.startswith(b"\r", m.end()) for m in ms) and \
        (not ms or err.startswith(ERASE, ms[-1].end()))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_score():
    a, b = os.path.join(TMP, "tty.json"), os.path.join(TMP, "pipe.json")
    st_t, _, err_t = run_tty(["score", *CAMPAIGN, "-o", a], FAST)
    st_p, _, err_p = run_pipe(["score", *CAMPAIGN, "-o", b])
    lines = [m.group(1).decode() for m in LINE.finditer(err_t)]
    check(any(re.match(r"reading \d+\.\d+ / \d+\.\d+ MB \(\d+%\)", s) for s in lines),
          "score: a reading line in MB: %r" % lines)
    check("scoring 0 / 30 dossiers (0%)" in lines, "score: the scoring line: %r" % lines)
    check("writing 0 / 30 dossiers (0%)" in lines, "score: the writing line: %r" % lines)
    check(clean_ends(err_t), "score: a message after a line not erased: %r" % err_t)
    check(b"warning: " in err_p and strip_progress(err_t) == err_p,
          "score: the same messages with and without a terminal")
    check(st_t == st_p, "score: same exit status (%d, %d)" % (st_t, st_p))
    check(read(a) == read(b), "score: the same results with and without a terminal")
    # stderr a pipe: not one carriage return or escape sequence
    check(b"\r" not in err_p and b"\x1b" not in err_p, "score: nothing drawn into a pipe")
    _, _, err = run_pipe(["score", *CAMPAIGN, "-o", b], FAST)
    check(b"\r" not in err and b"\x1b" not in err, "score: nothing drawn into a pipe, fast")


def test_score_stdout():
    # results on stdout (a file): the text is the same, and is never mixed with a line
    st_t, out_t, err_t = run_tty(["score", *CAMPAIGN, "--format", "csv"], FAST)
    st_p, out_p, _ = run_pipe(["score", *CAMPAIGN, "--format", "csv"])
    check(st_t == st_p and out_t == out_p and len(out_p) > 0, "score to stdout: same results")
    check(b"\x1b" not in out_t, "score to stdout: no escape sequence in the results")
    check(LINE.search(err_t) is not None, "score to stdout: progress drawn on stderr")


def test_stdout_is_the_terminal():
    # stdout on the same terminal: no line while the results are written there
    st, _, both = run_tty(["score", *CAMPAIGN, "--format", "csv"], FAST, stdout_tty=True)
    _, out_p, _ = run_pipe(["score", *CAMPAIGN, "--format", "csv"])
    check(b"palmares: writing" not in both, "stdout a terminal: no writing line")
    check(out_p in strip_progress(both), "stdout a terminal: the results whole")
    check(clean_ends(both), "stdout a terminal: every line erased")


def test_knobs():
    _, _, err = run_tty(["score", *CAMPAIGN, "-o", os.path.join(TMP, "r.json")],
                        dict(FAST, PALMARES_PROGRESS="0"))
    check(b"\x1b" not in err and b"\r" not in err, "PALMARES_PROGRESS=0: nothing drawn")
    _, _, err = run_pipe(["score", *CAMPAIGN, "-o", os.path.join(TMP, "r.json")],
                         dict(FAST, PALMARES_PROGRESS="1"))
    check(LINE.search(err) is not None and clean_ends(err),
          "PALMARES_PROGRESS=1: drawn even into a pipe")
    _, _, err = run_pipe(["score", *CAMPAIGN, "-o", os.path.join(TMP, "r.json")],
                         dict(PALMARES_PROGRESS="1", PALMARES_PROGRESS_INTERVAL="soon"))
    check(b"warning: PALMARES_PROGRESS_INTERVAL: expected seconds" in err,
          "a malformed interval is said: %r" % err[:300])
    # a narrow terminal: the line is cut, never wrapped ("\r" would not return to its start)
    _, _, err = run_tty(["score", *CAMPAIGN, "-o", os.path.join(TMP, "r.json")], FAST, columns=30)
    lines = [m.group(0) for m in LINE.finditer(err)]
    check(lines and all(len(s) - 1 - len(b"\x1b[K") <= 29 for s in lines),
          "30 columns: lines of at most 29 characters: %r" % lines[:3])


def test_check_and_explain():
    for args in (["check", *CAMPAIGN[:-2]], ["explain", *CAMPAIGN, "--town", "33449"]):
        st_t, out_t, err_t = run_tty(args, FAST)
        st_p, out_p, err_p = run_pipe(args)
        check(LINE.search(err_t) is not None, "%s: progress drawn" % args[0])
        check(clean_ends(err_t) and strip_progress(err_t) == err_p,
              "%s: the same messages, every line erased" % args[0])
        check(st_t == st_p and out_t == out_p, "%s: the same output" % args[0])


def test_certificates():
    results = os.path.join(TMP, "results.json")
    st, _, err = run_pipe(["score", *CAMPAIGN, "-o", results])
    check(st in (0, 1) and os.path.exists(results), "certificates: sample results: %r" % err[-300:])
    d_t, d_p = os.path.join(TMP, "cert-tty") + "/", os.path.join(TMP, "cert-pipe") + "/"
    st_t, _, err_t = run_tty(["certificates", results, "-o", d_t, "--jobs", "2"], FAST)
    st_p, _, err_p = run_pipe(["certificates", results, "-o", d_p, "--jobs", "2"])
    names = sorted(os.listdir(d_p)) if os.path.isdir(d_p) else []
    towns = [f for f in names if not f.startswith(".")]  # and the manifest, .palmares-certificates
    n = len(towns)
    lines = [m.group(1).decode() for m in LINE.finditer(err_t)]
    check(n > 1, "certificates: several files (%d)" % n)
    check("rendering 0 / %d towns (0%%)" % n in lines, "certificates: first line: %r" % lines[:2])
    check(any(s.startswith("rendering %d / %d towns (100%%)" % (n, n)) for s in lines),
          "certificates: last line at %d / %d: %r" % (n, n, lines[-2:]))
    # the line said at the end names each run's own directory
    check(clean_ends(err_t) and strip_progress(err_t).replace(d_t.encode(), d_p.encode()) == err_p,
          "certificates: the same messages, every line erased")
    check(b"\r" not in err_p and b"\x1b" not in err_p, "certificates: nothing drawn into a pipe")
    check(st_t == st_p and sorted(os.listdir(d_t)) == names and
          all(read(d_t + f) == read(d_p + f) for f in names),
          "certificates: the same files with and without a terminal")
    # one file: the towns are counted as they are drawn
    st_t, _, err_t = run_tty(["certificates", results, "-o", os.path.join(TMP, "c.pdf")], FAST)
    lines = [m.group(1).decode() for m in LINE.finditer(err_t)]
    check(any(s.startswith("rendering %d / %d towns (100%%)" % (n, n)) for s in lines) and
          clean_ends(err_t), "certificates, one file: %r" % lines[-2:])
    # the booklet has no town count to show
    st_t, _, err_t = run_tty(["booklet", results, "-o", os.path.join(TMP, "b.pdf")], FAST)
    check(os.path.exists(os.path.join(TMP, "b.pdf")) and LINE.search(err_t) is None,
          "booklet: no line")


def main():
    try:
        for t in (test_score, test_score_stdout, test_stdout_is_the_terminal, test_knobs,
                  test_check_and_explain, test_certificates):
            t()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
