#!/usr/bin/env python3
"""Turns one page of docs/ into a man page, so that the file formats have one
source: the markdown a reader browses in the repository is also what `man 5
palmares-rubric` shows. It knows only the subset of markdown the reference
pages use: `#` headings, paragraphs, `-` lists (one level of nesting),
fenced and indented code blocks, pipe tables (rendered through tbl), inline
code, bold, italics and links. A link to another reference page is shown as
that page's man page name; a link to any other file of docs/ as the file's
installed path. Anything else is written as text, never dropped.

Usage: md2man.py PAGE.md NAME SECTION DOCDIR VERSION > NAME.SECTION
(DOCDIR: where the docs are installed, named for the pages without a man page.)
"""
import os
import re
import sys

# The reference pages that have a section-5 man page, by file name.
MAN_PAGES = {
    "rubric.md": "palmares-rubric(5)",
    "dossier.md": "palmares-dossier(5)",
    "marks.md": "palmares-marks(5)",
    "results.md": "palmares-results(5)",
    "style.md": "palmares-style(5)",
}


def escape(text):
    """Roff-escapes plain text: backslashes, and every non-ASCII character as
    a \\[uXXXX] glyph, so that the page does not depend on the reader's
    encoding nor on preconv."""
    out = []
    for ch in text.replace("\\", "\\e"):
        if ord(ch) < 128:
            out.append(ch)
        elif ord(ch) == 0xA0:
            out.append("\\~")
        else:
            out.append("\\[u%04X]" % ord(ch))
    return "".join(out)


def code_text(text):
    """Literal text: escaped, and hyphens kept as the ASCII minus a user types."""
    return escape(text).replace("-", "\\-")


def span_text(text):
    """Inline literal text, which may break after "/", "_", "." and a word's "-"
    (\\: is an invisible break point): a long path or name in a narrow table
    column would otherwise stick out of it."""
    out = code_text(text)
    for ch in ("/", "_", "."):
        out = out.replace(ch, ch + "\\:")
    # a break after a word's hyphen, not after an option's leading "--"; \% keeps
    # the words of code from being hyphenated as prose is
    return "\\%" + re.sub(r"(?<=[A-Za-z0-9])\\-", "\\-\\:", out)


INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])|"
                    r"!?\[([^\]]*)\]\(([^)\s]+)\)")


def link_target(target, docdir):
    """What a link becomes in a man page: a man page name, a path, or the anchor's words."""
    path, _, anchor = target.partition("#")
    name = os.path.basename(path)
    if not path:
        return None  # a section of this page: the text says which
    if name in MAN_PAGES:
        return MAN_PAGES[name]
    if path.startswith("../"):
        return path[3:]  # a file of the source tree, named from its top
    return os.path.join(docdir, path)


def inline(text, docdir):
    """Markdown inline spans into roff font changes."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        code, bold, em, label, target = m.groups()
        if code is not None:
            out.append("\\fB" + span_text(code) + "\\fR")
        elif bold is not None:
            out.append("\\fB" + inline(bold, docdir) + "\\fR")
        elif em is not None:
            out.append("\\fI" + inline(em, docdir) + "\\fR")
        else:
            where = link_target(target, docdir)
            shown = inline(label, docdir)
            if where and where not in label:
                shown += " (\\fB" + span_text(where) + "\\fR)" if "(" not in where else \
                    " (\\fB" + code_text(where.split("(")[0]) + "\\fR(" + where.split("(")[1] + ")"
            out.append(shown)
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def text_lines(text):
    """A roff text line that starts with a control character is protected."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def table(rows, docdir):
    """A pipe table as tbl input: boxed, each cell a text block so long cells wrap."""
    def cells(line):
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]
    head = cells(rows[0])
    body = [cells(r) for r in rows[2:]]
    n = len(head)
    out = [".TS", "allbox tab(\t);", " ".join(["lb"] * n), " ".join(["l"] * (n - 1) + ["lx"]) + "."]
    out.append("\t".join(inline(c, docdir) for c in head))
    for r in body:
        r = (r + [""] * n)[:n]
        out.append("\t".join("T{\n.ad l\n" + text_lines(inline(c, docdir)) + "\nT}" for c in r))
    out += [".TE", ".sp"]
    return out


def convert(md, name, section, docdir, version):
    md = re.sub(r"<!--.*?-->\n?", "", md, flags=re.S)  # notes for the page's maintainers
    lines = md.split("\n")
    out = ["'\\\" t", '.TH "%s" "%s" "" "palmares %s" "palmares file formats"' %
           (name.upper(), section, escape(version))]
    i = 0
    title_done = False
    para = []
    in_list = False

    def flush():
        nonlocal para
        if para:
            out.append(text_lines(inline(" ".join(p.strip() for p in para), docdir)))
            para = []

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            i += 1
            block = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(lines[i])
                i += 1
            i += 1
            out += code_block(block, in_list)
            continue
        if not stripped:
            flush()
            i += 1
            continue
        if line.startswith("    ") and not para and not in_list:
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out += code_block(block, False)
            continue
        m = re.match(r"(#{1,4})\s+(.*)", line)
        if m:
            flush()
            if in_list:
                in_list = False
            level, text = len(m.group(1)), m.group(2).strip()
            if level == 1 and not title_done:
                title_done = True
                out += [".SH NAME", "%s \\- %s" % (name, inline(text, docdir)), ".SH DESCRIPTION"]
            elif level <= 2:
                # Section names are upper case, as man pages have them; code stays as typed.
                upper = re.sub(r"(^|`)([^`]*)($|`)", lambda m: m.group(1) + m.group(2).upper() + m.group(3),
                               text) if text.count("`") % 2 == 0 else text.upper()
                out += [".SH " + inline(upper, docdir)]
            else:
                out += [".SS " + inline(text, docdir)]
            i += 1
            continue
        if stripped.startswith("|") and i + 1 < len(lines) and re.match(r"\s*\|[\s:|-]+\|\s*$", lines[i + 1]):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            indent = in_list and line.startswith("  ")
            if indent:
                out.append(".RS 4")
            out += table(rows, docdir)
            if indent:
                out.append(".RE")
            continue
        m = re.match(r"(\s*)(?:[-*]|\d+\.)\s+(.*)", line)
        if m and (not para or in_list):
            flush()
            depth = len(m.group(1))
            item = [m.group(2)]
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"\s*(?:[-*]|\d+\.)\s+", lines[i]) \
                    and lines[i].startswith(" ") and not lines[i].strip().startswith(("|", "```")):
                item.append(lines[i].strip())
                i += 1
            if depth >= 2:
                out += [".RS 4", ".IP \\(en 2", text_lines(inline(" ".join(item), docdir)), ".RE"]
            else:
                out += [".IP \\(bu 2", text_lines(inline(" ".join(item), docdir))]
            in_list = True
            continue
        if in_list and not line.startswith(" "):
            in_list = False
            out.append(".PP")
        elif not para:
            out.append(".PP")
        para.append(line)
        i += 1
    flush()
    return "\n".join(out) + "\n"


def code_block(block, indent):
    out = [".PP" if not indent else ".IP", ".RS 4" if not indent else ".RS 2", ".nf"]
    for b in block:
        text = code_text(b.rstrip()) if b.strip() else ""
        if text.startswith((".", "'")):
            text = "\\&" + text
        out.append(text)
    out += [".fi", ".RE"]
    return out


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: md2man.py PAGE.md NAME SECTION DOCDIR VERSION")
    with open(sys.argv[1], encoding="utf-8") as f:
        md = f.read()
    sys.stdout.write(convert(md, sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))


if __name__ == "__main__":
    main()
