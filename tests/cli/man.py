#!/usr/bin/env python3
"""The manual pages of the commands (man/) stay true: every page renders
without a warning, every command of `palmares --help` has its page (and no
page is of a command that does not exist), and each page's OPTIONS section
names exactly the options its command accepts, asked of the program
(cli_options.py), while nothing in the page names one it refuses. The
examples are checked the same way, command by command.

usage: man.py PATH/TO/palmares SOURCE_ROOT BUILT_MAN_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys

from checks import check, summary
import cli_options

PALMARES = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
BUILT = os.path.abspath(sys.argv[3])
SOURCES = os.path.join(ROOT, "man")


def source(name):
    with open(os.path.join(SOURCES, name + ".scd"), encoding="utf-8") as f:
        return f.read()


def section(text, title):
    """The lines of one '# TITLE' section of an scdoc page."""
    m = re.search(r"(?ms)^# %s\n(.*?)(?=^# |\Z)" % re.escape(title), text)
    return m.group(1) if m else ""


def option_terms(text):
    """The options an OPTIONS section describes: those of its term lines,
    the lines that start with an option in bold."""
    found = set()
    for line in section(text, "OPTIONS").splitlines():
        if line.startswith("*-"):
            found |= set(cli_options.OPTION.findall(line))
    return found


def examples(text):
    """(command, options) of each `palmares COMMAND ...` of the EXAMPLES
    blocks, continuation lines joined."""
    block = section(text, "EXAMPLES").replace("\\\\\n", " ")
    found = []
    for line in block.splitlines():
        w = line.split()
        if len(w) >= 2 and w[0] == "palmares":
            opts = set(cli_options.OPTION.findall(" ".join(w[2:])))
            found.append((w[1], opts))
    return found


commands = cli_options.commands(PALMARES)
check(len(commands) >= 16 and "score" in commands,
      "palmares --help lists the commands: %r" % commands)
pages = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(SOURCES, "*.scd")))

# 1. Every built page renders without a warning, through groff and man.
for page in pages:
    built = os.path.join(BUILT, page)
    check(os.path.isfile(built), "%s was built" % page)
    if not os.path.isfile(built):
        continue
    with open(built, "rb") as f:
        roff = f.read()
    check(roff.startswith(b".\\\"") or roff.startswith(b".TH") or b"\n.TH " in roff,
          "%s is roff" % page)
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    r = subprocess.run(["groff", "-k", "-ww", "-z", "-man", "-Tutf8", built],
                       capture_output=True, env=env)
    check(r.returncode == 0 and not r.stderr,
          "%s renders without warnings (groff -ww): %s" % (page, r.stderr.decode(errors="replace")))
    if shutil.which("man"):
        r = subprocess.run(["man", "--warnings", "-l", built], capture_output=True, env=env)
        check(r.returncode == 0 and not r.stderr and b"NAME" in r.stdout,
              "%s renders without warnings (man --warnings -l): %s"
              % (page, r.stderr.decode(errors="replace")))

# 2. One page per command, and a page only for a command.
for cmd in commands:
    if cmd == "help":  # described in palmares(1)
        check("\n*help* [_COMMAND_]\n" in source("palmares.1"), "palmares(1) describes help")
        continue
    check("palmares-%s.1" % cmd in pages, "command %s has its page palmares-%s.1" % (cmd, cmd))
    check("*%s*\n" % cmd in section(source("palmares.1"), "COMMANDS"),
          "palmares(1) lists the command %s" % cmd)
for page in pages:
    m = re.fullmatch(r"palmares-([a-z]+)\.1", page)
    check(page == "palmares.1" or (m and m.group(1) in commands),
          "the page %s is of a command palmares has" % page)
    text = source(page)
    name = page[:-2]
    check(text.startswith("%s(1)\n" % name), "%s starts with its title %s(1)" % (page, name))
    for title in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES",
                  "SEE ALSO"):
        check(section(text, title).strip(), "%s has its %s section" % (page, title))
    check("SPEC" not in text and "§" not in text and "http" not in text.replace(
        "http://127.0.0.1", "").replace("https://label.example.org", "").replace(
        "*http://*", "").replace("*https://*", ""),
        "%s speaks in the project's words, with no link out" % page)

# 3. The options: exactly those the command accepts.
extra = set()
for page in pages:
    extra |= set(cli_options.OPTION.findall(source(page)))
prober = cli_options.Prober(PALMARES, ROOT, extra)
for page in pages:
    text = source(page)
    cmd = cli_options.MAIN if page == "palmares.1" else page[len("palmares-"):-2]
    if cmd != cli_options.MAIN and cmd not in commands:
        continue
    accepted = prober.accepted(cmd)
    terms = option_terms(text)
    check(accepted, "%s: the probe finds options (at least --help)" % page)
    missing = accepted - terms
    check(not missing, "%s: options the command accepts but OPTIONS does not describe: %s"
          % (page, sorted(missing)))
    # palmares(1) speaks of every command: only its OPTIONS section is its own.
    named = terms if cmd == cli_options.MAIN else set(cli_options.OPTION.findall(
        text.replace(section(text, "EXAMPLES"), "")))
    refused = named - accepted
    check(not refused, "%s names options the command refuses: %s" % (page, sorted(refused)))
    for ex_cmd, opts in examples(text):
        check(ex_cmd in commands, "%s: an example runs a command palmares has: %s"
              % (page, ex_cmd))
        if ex_cmd in commands and ex_cmd != "help":
            bad = opts - prober.accepted(ex_cmd)
            check(not bad, "%s: an example gives %s options it refuses: %s"
                  % (page, ex_cmd, sorted(bad)))

sys.exit(summary())
