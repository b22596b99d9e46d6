#!/usr/bin/env python3
"""pdf_fonts.py FILE...: checks that no PDF written by cairo embeds a font more than once.

cairo's PDF surface embeds one subset font per cairo font face, named /f-N-M in the page resources
(N the face, M the subset of that face). A font file that got two faces in one process is embedded
under two numbers N, e.g. DejaVuSans-Bold as /f-0-0 and again as /f-3-0: the page looks the same,
the bytes depend on which face each text happened to get (docs/decisions.md, "Documents: the same
bytes every run"). This lists every file in which one font name (the /BaseFont without its subset
tag) is found under more than one N, and exits 1 if there is one. Fonts that cairo cannot subset as
they are (a synthetic bold, say) are embedded as "CairoFont-N-M" and carry no name to compare:
they are skipped.
"""
import collections
import re
import sys


def font_numbers(data):
    """{font name: set of cairo face numbers} of one PDF's font resources."""
    objects = {}
    for m in re.finditer(rb"(\d+) 0 obj\b(.*?)\bendobj", data, re.S):
        objects[m.group(1)] = m.group(2)
    names = collections.defaultdict(set)
    for m in re.finditer(rb"/f-(\d+)-(\d+) (\d+) 0 R", data):
        body = objects.get(m.group(3), b"")
        b = re.search(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/\[\]<>()]+)", body)
        if not b or b.group(1).startswith(b"CairoFont-"):
            continue
        names[b.group(1).decode("latin-1")].add(int(m.group(1)))
    return names


def main(paths):
    bad = 0
    for path in paths:
        with open(path, "rb") as f:
            names = font_numbers(f.read())
        twice = {n: sorted(v) for n, v in sorted(names.items()) if len(v) > 1}
        if twice:
            bad += 1
            print("%s: embedded more than once: %s" % (path, ", ".join(
                "%s as %s" % (n, " and ".join("/f-%d-*" % i for i in v)) for n, v in twice.items())))
    print("%d of %d files embed a font more than once" % (bad, len(paths)))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: pdf_fonts.py FILE.pdf...")
    sys.exit(main(sys.argv[1:]))
