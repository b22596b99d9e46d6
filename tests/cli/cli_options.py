"""What the manual pages and the completion are checked against: the commands
that `palmares --help` lists, and the options each command accepts, asked of
the program itself. An option is refused when the command answers
'unknown option "X"' to it, the way it answers to an option no table has; so
no list is copied from the sources, and a new option or a removed one is seen
at once (tests/cli/man.py, tests/cli/completion.py)."""
import concurrent.futures
import glob
import os
import re
import subprocess
import tempfile

# An option as a user writes it: one or two dashes then a letter, not inside
# a word ("UTF-8", "palmares-score") nor a longer dash run.
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
BOGUS = "--no-such-option-zq"
# The options of the program itself, before any command.
MAIN = ""


def english():
    """The environment of a run whose messages are English and quiet."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LC_ALL="C", PALMARES_PROGRESS="0")
    return env


def run(palmares, args, cwd=None):
    return subprocess.run([palmares] + args, capture_output=True, text=True,
                          env=english(), cwd=cwd, timeout=60, errors="replace")


def commands(palmares):
    """The command names of `palmares --help`, in its order."""
    out = run(palmares, ["--help"]).stdout
    return [m.group(1) for m in re.finditer(r"(?m)^  ([a-z]+)  +\S", out)]


def words(cmd):
    """The argv words of a command: "campaign init" for campaign, whose
    options come after its subcommand."""
    if cmd == MAIN:
        return []
    return ["campaign", "init"] if cmd == "campaign" else [cmd]


def candidates(palmares, root, extra=()):
    """Every option-like word of cli/'s sources, of every --help and of the
    texts given: a superset of what any command accepts."""
    found = set(extra)
    for path in glob.glob(os.path.join(root, "cli", "*.c")):
        with open(path, encoding="utf-8") as f:
            found |= set(re.findall(r'"(--?[A-Za-z][A-Za-z0-9-]*)"', f.read()))
    for cmd in [MAIN] + commands(palmares):
        found |= set(OPTION.findall(run(palmares, words(cmd) + ["--help"]).stdout))
    found.discard(BOGUS)
    return found


class Prober:
    """accepted(cmd): the options among the candidates that cmd takes."""

    def __init__(self, palmares, root, extra=()):
        self.palmares = os.path.abspath(palmares)
        self.cands = sorted(candidates(palmares, root, extra))
        self.cache = {}
        self.help = {}
        self.tmp = tempfile.mkdtemp(prefix="palmares-options-")

    def refusal(self, cmd):
        """The start of the refusal of an unknown option, up to its name, and
        the character after it."""
        if ("refusal", cmd) in self.cache:
            return self.cache["refusal", cmd]
        err = run(self.palmares, words(cmd) + [BOGUS], cwd=self.tmp).stderr
        at = err.find(BOGUS)
        if at < 0:
            raise AssertionError("%r does not refuse %s: %s" % (cmd, BOGUS, err))
        line = err.rfind("\n", 0, at) + 1
        self.cache["refusal", cmd] = (err[line:at], err[at + len(BOGUS):at + len(BOGUS) + 1])
        return self.cache["refusal", cmd]

    def refuses(self, cmd, opt):
        head, tail = self.refusal(cmd)
        err = run(self.palmares, words(cmd) + [opt], cwd=self.tmp).stderr
        return (head + opt + tail) in err

    def option(self, cmd, opt, short):
        """Whether cmd takes opt. A command that refuses no "-X" reads such
        words as arguments (rule: "-1" is JSON): there a short one is an
        option only when it answers as --help does."""
        if opt.startswith("--") or short:
            return not self.refuses(cmd, opt)
        out = run(self.palmares, words(cmd) + [opt], cwd=self.tmp)
        return out.returncode == 0 and out.stdout == self.help[cmd]

    def accepted(self, cmd):
        if cmd not in self.cache:
            short = self.refuses(cmd, "-Q")
            self.help[cmd] = run(self.palmares, words(cmd) + ["--help"], cwd=self.tmp).stdout
            with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
                took = pool.map(lambda o: self.option(cmd, o, short), self.cands)
                self.cache[cmd] = {o for o, yes in zip(self.cands, took) if yes}
        return self.cache[cmd]
