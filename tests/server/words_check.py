#!/usr/bin/env python3
"""The web pages' wording (server/words.h, words.c) against the French catalogue (po/fr.po).

Every key of the words_key enum has an English text in words.c's table; every text of the
table and of the engine messages' table has its French in po/fr.po under its msgctxt; and no
msgctxt of the catalogue's web section is left over from a text that is gone.
Usage: words_check.py SOURCE_ROOT
"""
import re
import sys

ROOT = sys.argv[1]
LIT = r'"(?:[^"\\]|\\.)*"'
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def value(parts):
    return "".join(p[1:-1] for p in re.findall(LIT, parts))


header = open(ROOT + "/server/words.h", encoding="utf-8").read()
enum = header[header.index("typedef enum {\n\tW_"):]
keys = [k for k in re.findall(r"\t(W_[A-Z0-9_]+)(?: = \d+)?[,\n]", enum[:enum.index("} words_key;")]) if k != "W_COUNT"]
src = open(ROOT + "/server/words.c", encoding="utf-8").read()
table = src[src.index("} table[W_COUNT] = {"):]
table = table[:table.index("\n};")]
rows = {k: (c, value(t)) for k, c, t in
        re.findall(r"\[(W_[A-Z0-9_]+)\] = \{\"([a-z0-9-]+)\",((?:\s*" + LIT + r")+)\}", table)}
messages = src[src.index("} messages[] = {"):]
messages = messages[:messages.index("\n};")]
msgs = re.findall(r"\{\"([a-z0-9-]+)\",((?:\s*" + LIT + r")+)\}", messages)
po = open(ROOT + "/po/fr.po", encoding="utf-8").read()
entries = {}
for m in re.finditer(r'^msgctxt "([^"]*)"\nmsgid ((?:' + LIT + r'\n)+)msgstr ((?:' + LIT + r'\n)+)', po, re.M):
    entries[(m.group(1), value(m.group(2)))] = value(m.group(3))

missing = [k for k in keys if k not in rows]
check(not missing, "every key of words.h has its English text in words.c (%d keys)%s" %
      (len(keys), ": missing " + ", ".join(missing) if missing else ""))
wanted = [(c, t) for c, t in rows.values()] + [(c, value(t)) for c, t in msgs]
untranslated = [c for c, t in wanted if not entries.get((c, t))]
check(not untranslated, "every text of the pages has its French in po/fr.po (%d)%s" %
      (len(wanted), ": missing " + ", ".join(untranslated) if untranslated else ""))
stale = sorted(set(c for c, _ in entries) - set(c for c, _ in wanted))
check(not stale, "no French left in po/fr.po for a text the pages no longer have%s" %
      (": " + ", ".join(stale) if stale else ""))
ctxs = [c for c, _ in rows.values()]
check(len(ctxs) == len(set(ctxs)), "each key's context is its own")
if failures:
    sys.exit(1)
