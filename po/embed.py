#!/usr/bin/env python3
"""Writes a compiled gettext catalog (.mo) as a C array, so that the library
carries its translations and never depends on installed locales.
usage: embed.py INPUT.mo OUTPUT.c SYMBOL"""
import sys

data = open(sys.argv[1], "rb").read()
sym = sys.argv[3]
with open(sys.argv[2], "w") as out:
    out.write("/* Generated from %s by po/embed.py; do not edit. */\n" % sys.argv[1].split("/")[-1])
    out.write("#include <stddef.h>\n")
    out.write("extern const unsigned char %s[];\nextern const size_t %s_len;\n" % (sym, sym))
    out.write("const unsigned char %s[] = {\n" % sym)
    for i in range(0, len(data), 16):
        out.write("\t" + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
    out.write("};\nconst size_t %s_len = %d;\n" % (sym, len(data)))
