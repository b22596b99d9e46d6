#!/usr/bin/env python3
"""The user documentation stays true and self-contained (docs/README.md):

  links SRCDIR            every link of README.md, docs/*.md, examples/ and criteria/'s
                          README.md is relative and leads to a file
                          (and heading) of the repository; no user page cites the developers'
                          contract, a section sign or an issue number
  keys SRCDIR             every key the rubric loader accepts, and every criterion kind, is
                          named in docs/rubric.md, and every field of the style file in
                          docs/style.md (read from the loaders' own tables)
  man PAGE...             every man page renders without a warning (groff -ww, tbl)
  scoring SRCDIR PALMARES the worked example of docs/scoring.md is what `palmares score` says
  examples SRCDIR PALMARES
                          the rubric of docs/rubric.md validates, and the dossiers of
                          docs/dossier.md (CSV and JSON) check against it without an error

Each prints what is wrong and exits 1, or exits 0.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# Developer records, not user documentation: they may cite the contract and issues.
DEVELOPER_PAGES = {"decisions.md", "CONTRIBUTING.md"}


def user_pages(src):
    """README.md, docs/*.md, and the READMEs of the shipped rubrics and sample campaign."""
    pages = [os.path.join(src, p) for p in ("README.md", "examples/README.md", "criteria/README.md")]
    docs = os.path.join(src, "docs")
    pages += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return pages


def without_code(text):
    """The text with fenced blocks, indented blocks and code spans blanked out (kept line count)."""
    text = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"(?m)^(    |\t).*$", "", text)
    return re.sub(r"`[^`\n]*`", "``", text)


def slug(heading):
    """The anchor a heading gets on the usual markdown hosts."""
    h = re.sub(r"[`*_]", "", heading.strip().lower())
    h = re.sub(r"[^\w\- ]", "", h)
    return h.replace(" ", "-")


def anchors(path):
    with open(path, encoding="utf-8") as f:
        text = without_code(f.read())
    return {slug(m.group(1)) for m in re.finditer(r"(?m)^#+\s+(.*)$", text)}


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]*)\)")
CITES = [(re.compile(r"\bspec\b", re.I), "cites the developers' contract"),
         (re.compile(r"§"), "has a section sign"),
         (re.compile(r"\bissues?\s+#?\d+", re.I), "cites an issue number"),
         (re.compile(r"(?<![\w&/])#\d+\b"), "cites an issue number"),
         (re.compile(r"\.\./shared"), "points outside the repository")]


def check_links(src):
    bad = []
    for page in user_pages(src):
        name = os.path.relpath(page, src)
        with open(page, encoding="utf-8") as f:
            raw = f.read()
        text = without_code(raw)
        for n, line in enumerate(text.split("\n"), 1):
            for m in LINK.finditer(line):
                target = m.group(1)
                if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
                    bad.append("%s:%d: link leaves the repository: %s" % (name, n, target))
                    continue
                path, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                if not os.path.realpath(dest).startswith(os.path.realpath(src) + os.sep):
                    bad.append("%s:%d: link leaves the repository: %s" % (name, n, target))
                elif not os.path.exists(dest):
                    bad.append("%s:%d: link to a file that does not exist: %s" % (name, n, target))
                elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                    bad.append("%s:%d: link to a heading that does not exist: %s" % (name, n, target))
            if os.path.basename(page) in DEVELOPER_PAGES:
                continue
            for rx, why in CITES:
                if rx.search(line):
                    bad.append("%s:%d: %s: %s" % (name, n, why, line.strip()))
    index = os.path.join(src, "docs", "README.md")
    with open(index, encoding="utf-8") as f:
        listed = {m.group(1).partition("#")[0] for m in LINK.finditer(f.read())}
    for page in sorted(os.listdir(os.path.join(src, "docs"))):
        if page.endswith(".md") and page != "README.md" and page not in listed:
            bad.append("docs/README.md: the index does not name docs/%s" % page)
    return bad


def loader_keys(src):
    """The keys of every object the rubric loader reads: its `keys[]` tables, and the kind names."""
    keys, kinds = set(), set()
    for f in ("engine/rubric.c", "engine/rubric_awards.c"):
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            code = fh.read()
        for m in re.finditer(r"keys\[\]\s*=\s*\{(.*?)\}", code, re.S):
            keys |= set(re.findall(r'"([^"]+)"', m.group(1)))
    with open(os.path.join(src, "engine/kinds.c"), encoding="utf-8") as fh:
        kinds = set(re.findall(r'\.name\s*=\s*"([^"]+)"', fh.read()))
    return keys, kinds


def check_keys(src):
    keys, kinds = loader_keys(src)
    if len(keys) < 20 or len(kinds) < 7:
        return ["the loader's tables were not found (%d keys, %d kinds): update this test" %
                (len(keys), len(kinds))]
    with open(os.path.join(src, "docs/rubric.md"), encoding="utf-8") as f:
        doc = f.read()
    named = set(re.findall(r"(?m)^\|\s*`([^`]+)`", doc))  # the first cells of its tables
    bad = ["docs/rubric.md: the rubric field `%s` is not described (a row of its table)" % k
           for k in sorted(keys - named)] + \
          ["docs/rubric.md: the criterion kind `%s` is not described" % k for k in sorted(kinds - named)]
    # The style file's loader lists its fields the same way (reports/style.c).
    with open(os.path.join(src, "reports/style.c"), encoding="utf-8") as fh:
        m = re.search(r"known\[\]\s*=\s*\{(.*?)\}", fh.read(), re.S)
    style = set(re.findall(r'"([^"]+)"', m.group(1))) if m else set()
    with open(os.path.join(src, "docs/style.md"), encoding="utf-8") as f:
        named = set(re.findall(r"(?m)^\|\s*`([^`]+)`", f.read()))
    if len(style) < 10:
        bad.append("reports/style.c: the style loader's field table was not found: update this test")
    bad += ["docs/style.md: the style field `%s` is not described (a row of its table)" % k
            for k in sorted(style - named)]
    return bad


def check_man(pages):
    bad = []
    for page in pages:
        r = subprocess.run(["groff", "-t", "-ww", "-man", "-Tutf8", "-z", page],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode or r.stderr.strip():
            bad.append("%s: %s" % (page, r.stderr.decode("utf-8", "replace").strip() or
                                   "groff exited %d" % r.returncode))
        with open(page, encoding="utf-8") as f:
            roff = f.read()
        if ".SH NAME" not in roff or ".TH " not in roff:
            bad.append("%s: no .TH or NAME section" % page)
    return bad


def number(cell):
    cell = cell.strip().strip("`")
    if cell in ("—", "-", ""):
        return None
    try:
        return json.loads(cell)
    except ValueError:
        return cell


def check_scoring(src, exe):
    with open(os.path.join(src, "docs/scoring.md"), encoding="utf-8") as f:
        doc = f.read()
    m = re.search(r"<!-- checked against palmares score.*?town (\S+) -->", doc)
    if not m:
        return ["docs/scoring.md: no worked example marked <!-- checked against palmares score ... -->"]
    town_id, rest = m.group(1), doc[m.end():]
    cmd = re.search(r"\n    (palmares score .*?)\n\n", doc, re.S)
    if not cmd:
        return ["docs/scoring.md: the example's command is not shown"]
    args = cmd.group(1).replace("\\\n", " ").split()[2:]
    out = tempfile.mkdtemp()
    files = []
    for a in args:  # the shell's globbing of the command as shown
        if "*" in a:
            import glob
            files += sorted(glob.glob(os.path.join(src, a)))
        elif a.startswith("examples/") or a.startswith("criteria/"):
            files.append(os.path.join(src, a))
        elif a == "results.json":
            files.append(os.path.join(out, a))
        else:
            files.append(a)
    r = subprocess.run([exe, "score"] + files, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        return ["palmares score exited %d: %s" % (r.returncode, r.stderr.decode()[-2000:])]
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        res = json.load(f)
    towns = [t for t in res["towns"] if t["id"] == town_id]
    if not towns:
        return ["town %s is not in the results" % town_id]
    t = towns[0]
    crits = {c["id"]: c for c in t["criteria"]}
    cats = {c["id"]: c for c in t["categories"]}
    bad, checked = [], 0
    for table in re.findall(r"((?:^\|.*\|\n)+)", rest, re.M):
        rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
                for line in table.strip().split("\n")]
        head, body = rows[0], rows[2:]
        for row in body:
            key = row[0].strip("`")
            if head[0] == "criterion":
                got = crits.get(key)
                fields = {h: row[i] for i, h in enumerate(head) if h in ("fraction", "max", "points")}
            elif head[0] == "category":
                got = t["score"] if key == "total" else cats.get(key)
                fields = {h: row[i] for i, h in enumerate(head) if h in ("points", "max", "percent")}
            elif head[0] == "field":
                got = t
                for part in key.split(".")[:-1]:
                    got = got.get(part) if isinstance(got, dict) else None
                fields = {key.split(".")[-1]: row[1]}
            else:
                continue
            if got is None:
                bad.append("docs/scoring.md: %s %s: not in the results of town %s" % (head[0], key, town_id))
                continue
            for name, cell in fields.items():
                want, have = number(cell), got.get(name)
                checked += 1
                if want != have:
                    bad.append("docs/scoring.md: %s %s, %s: the page says %s, palmares score says %s" %
                               (head[0], key, name, cell, json.dumps(have, ensure_ascii=False)))
    if checked < 30:
        bad.append("docs/scoring.md: only %d figures of the worked example were found to check" % checked)
    return bad


def check_examples(src, exe):
    """The first fenced block of a page, in the given language (json, or none for CSV)."""
    def block(page, lang):
        with open(os.path.join(src, "docs", page), encoding="utf-8") as f:
            m = re.search(r"```%s\n(.*?)```" % lang, f.read(), re.S)
        return m.group(1) if m else None
    out = tempfile.mkdtemp()
    files = {"rubric.json": block("rubric.md", "json"), "dossier.json": block("dossier.md", "json"),
             "dossier.csv": block("dossier.md", "")}
    bad = []
    for name, text in files.items():
        if text is None:
            bad.append("docs: the example %s was not found" % name)
            continue
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
    if bad:
        return bad
    runs = [["validate", "rubric.json"], ["check", "rubric.json", "dossier.json"],
            ["check", "rubric.json", "dossier.csv"]]
    for args in runs:
        r = subprocess.run([os.path.abspath(exe)] + args, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != 0 or ": error:" in err:
            bad.append("palmares %s (the examples of docs/rubric.md and docs/dossier.md): exit %d\n%s" %
                       (" ".join(args), r.returncode, err))
    return bad


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    what = sys.argv[1]
    if what == "links":
        bad = check_links(sys.argv[2])
    elif what == "keys":
        bad = check_keys(sys.argv[2])
    elif what == "man":
        bad = check_man(sys.argv[2:])
    elif what == "scoring":
        bad = check_scoring(sys.argv[2], sys.argv[3])
    elif what == "examples":
        bad = check_examples(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
