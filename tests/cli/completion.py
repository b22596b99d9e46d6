#!/usr/bin/env python3
"""The bash completion (completion/palmares), driven as bash drives it: the
script sourced in a bash, COMP_WORDS and COMP_CWORD set, its function called,
COMPREPLY read. Commands complete from `palmares --help`; each command's
options are exactly those the command accepts, asked of the program
(cli_options.py); the files offered for an option or an argument are those
of its extensions, and folders.

usage: completion.py PATH/TO/palmares SOURCE_ROOT
"""
import os
import shlex
import subprocess
import sys
import tempfile

from checks import check, summary
import cli_options

PALMARES = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
SCRIPT = os.path.join(ROOT, "completion", "palmares")
TMP = tempfile.mkdtemp(prefix="palmares-completion-")
for name in ("rubric.json", "dossiers.csv", "dossiers.jsonl", "marks.CSV", "results.json",
             "certificates.pdf", "notes.txt", "campaign.db", "key.pem", "secret"):
    with open(os.path.join(TMP, name), "w") as f:
        f.write("x\n")
os.mkdir(os.path.join(TMP, "sub"))


def complete(line):
    """What Tab offers at the end of line (a trailing space: a new word)."""
    words = shlex.split(line)
    if line.endswith(" "):
        words.append("")
    script = ("source %s || exit 3\n"
              "complete -p palmares >/dev/null || exit 4\n"
              "COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%s; COMP_POINT=${#COMP_LINE}\n"
              "_palmares palmares \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\""
              " || exit 5\n"
              "printf '%%s\\n' \"${COMPREPLY[@]}\"\n"
              % (shlex.quote(SCRIPT), " ".join(shlex.quote(w) for w in words), len(words) - 1,
                 shlex.quote(line)))
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                       text=True, cwd=TMP, timeout=60)
    check(r.returncode == 0 and not r.stderr, "bash completes %r: %d %s"
          % (line, r.returncode, r.stderr))
    return set(w for w in r.stdout.split("\n") if w)


def options(line):
    return {w for w in complete(line) if w.startswith("-")}


# The commands.
commands = cli_options.commands(PALMARES)
check(complete("palmares sc") == {"score"}, "palmares sc completes to score: %r"
      % complete("palmares sc"))
check(complete("palmares ") == set(commands), "palmares offers every command of --help: %r"
      % (complete("palmares ") ^ set(commands)))
check(complete("palmares help sc") == {"score"}, "palmares help sc completes to score")
check(complete("palmares campaign ") == {"init", "links", "export", "backup"},
      "palmares campaign offers its subcommands")

# Each command's options: exactly those it accepts.
prober = cli_options.Prober(PALMARES, ROOT, options("palmares -"))
check(options("palmares -") == prober.accepted(cli_options.MAIN),
      "palmares - offers the program's options: %r"
      % (options("palmares -") ^ prober.accepted(cli_options.MAIN)))
for cmd in commands:
    if cmd == "help":
        continue
    if cmd == "campaign":
        # The options of the four subcommands: together, those campaign takes.
        subs = {s: options("palmares campaign %s x.db -" % s)
                for s in ("init", "links", "export", "backup")}
        got = set().union(*subs.values())
        check(all("--help" in o for o in subs.values()), "each campaign subcommand offers --help")
        check("--rubric" in subs["init"] and "--rubric" not in subs["links"]
              and subs["export"] == {"-o", "-h", "--help"}
              and subs["backup"] == {"--force", "-h", "--help"},
              "campaign offers each subcommand its own options: %r" % subs)
    else:
        got = options("palmares %s -" % cmd)
    want = prober.accepted(cmd)
    check(got == want, "palmares %s - offers the options %s accepts: extra %s, missing %s"
          % (cmd, cmd, sorted(got - want), sorted(want - got)))
long_score = options("palmares score --")
check(long_score == {o for o in prober.accepted("score") if o.startswith("--")},
      "palmares score -- lists score's long options: %r" % long_score)

# Files by extension, folders to walk to them.
got = complete("palmares score rubric.json dossiers.csv --marks ")
check({"dossiers.csv", "marks.CSV", "sub", "rubric.json", "results.json"} <= got
      and not got & {"certificates.pdf", "notes.txt", "campaign.db"},
      "--marks offers .csv and .json files and folders, not .pdf: %r" % got)
got = complete("palmares score ")
check({"rubric.json", "results.json", "sub"} <= got and "dossiers.csv" not in got,
      "score's RUBRIC is a .json: %r" % got)
got = complete("palmares score rubric.json --lang fr ")
check({"dossiers.csv", "dossiers.jsonl", "rubric.json"} <= got and "certificates.pdf" not in got,
      "score's DOSSIER is a .csv, .json or .jsonl, after an option and its value: %r" % got)
got = complete("palmares score rubric.json dossiers.csv -o ")
check({"notes.txt", "results.json", "dossiers.csv"} <= got and "certificates.pdf" not in got,
      "score -o offers its formats: %r" % got)
got = complete("palmares certificates results.json -o ")
check({"certificates.pdf", "sub"} <= got and "results.json" not in got,
      "certificates -o offers .pdf and folders: %r" % got)
got = complete("palmares sheets rubric.json dossiers.csv -o ")
check(got == {"sub"}, "sheets -o offers folders only: %r" % got)
got = complete("palmares certificates results.json --style ")
check("rubric.json" in got and "certificates.pdf" not in got, "--style offers .json: %r" % got)
got = complete("palmares serve campaign.db --key ")
check(got == {"key.pem", "sub"}, "--key offers .pem: %r" % got)
got = complete("palmares serve ")
check(got == {"campaign.db", "sub"}, "serve's DB is a .db: %r" % got)
got = complete("palmares certificates results.json --secret-file ")
check({"secret", "key.pem", "sub"} <= got, "--secret-file offers any file: %r" % got)
check(complete("palmares score r.json d.csv --lang ") == {"fr", "en"}, "--lang offers fr, en")
check(complete("palmares score r.json d.csv --format ") == {"text", "json", "csv"},
      "score --format offers its formats")
check(complete("palmares template r.json --csv-dialect ") == {"plain", "excel-fr"},
      "--csv-dialect offers plain, excel-fr")
check(complete("palmares explain r.json d.csv --town ") == set(),
      "--town takes the user's word: nothing offered")

sys.exit(summary())
