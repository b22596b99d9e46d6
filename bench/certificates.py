#!/usr/bin/env python3
"""Certificates benchmark: 5,000 certificate pages rendered into one PDF by
`palmares certificates` (one thread: a single output file is rendered by one
job) and the same page by ReportLab (bench/reportlab_certificates.py, with
Debian's python3-reportlab), side by side in one run. Prints pages per second
for both. Both draw the same frame once as a form XObject and use the same
DejaVu fonts (ReportLab cannot embed EB Garamond's CFF outlines, so palmares
gets a style file selecting DejaVu for this run).

With --per-town N, also renders N towns one PDF each into a directory
(`-o DIR/`), once with --jobs 1 and once with one job per core, and prints
files per second for both: per-town files use every core.
usage: bench/certificates.py [--pages N] [--runs N] [--per-town N] [--palmares PATH]
Results are recorded in bench/README.md, section "Documents"."""
import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ["Saint-Médard-en-Jalles", "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson", "L’Haÿ-les-Roses",
         "Œuilly", "Ajaccio", "Villeneuve-sur-Lot", "Y", "Castelnau-d’Estrétefonds", "Marseille",
         "Aix-en-Provence", "Châteauneuf-du-Pape", "Bourg-la-Reine", "Plœmeur", "Épinal",
         "La Ferté-sous-Jouarre", "Saint-Jean-de-Luz", "Montreuil", "Brest", "Ribeauvillé",
         "Les Sables-d’Olonne"]


def make_results(n):
    mentions = ["logiciel-libre", "accessibilite", "sobriete"]
    towns = []
    for i in range(n):
        level = 1 + (i * 7) % 5
        ms = [m for k, m in enumerate(mentions) if (i >> k) % 3 == 0]
        towns.append({"id": "%05d" % (10000 + i), "name": NAMES[i % len(NAMES)], "status": "scored",
                      "score": {"points": 50, "max": 100, "percent": 50}, "computed_level": level,
                      "level": level, "level_name": "@" * level, "override": None, "previous_level": None,
                      "mentions": ms, "rank": i + 1, "categories": [], "criteria": [], "next_level": None,
                      "errors": [], "warnings": []})
    return {"format": "palmares-results/1", "generator": "bench",
            "rubric": {"id": "villes-internet-2027", "edition": 2027, "language": "fr",
                       "sha256": hashlib.sha256(b"bench").hexdigest(),
                       "label": {"fr": "Label Territoires, Villes et Villages Internet"},
                       "levels": ["@", "@@", "@@@", "@@@@", "@@@@@"],
                       "mentions": {"logiciel-libre": {"fr": "Mention logiciel libre"},
                                    "accessibilite": {"fr": "Mention accessibilité numérique"},
                                    "sobriete": {"fr": "Mention sobriété numérique"}}},
            "towns": towns}


STYLE = {"format": "palmares-style/1", "award_date": "2027-02-04", "award_place": "Paris",
         "signatories": [{"name": "Florence Durand", "title": "Présidente du jury"},
                         {"name": "Jean Martin", "title": "Délégué général"}],
         "fonts": {"serif": "DejaVu Serif", "sans": "DejaVu Sans", "mono": "DejaVu Sans Mono"}}


def timed(cmd, env):
    """Wall-clock seconds and CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def per_town(a, tmp, style, env):
    """Per-town files: --jobs 1, then one job per core (palmares's default)."""
    res = os.path.join(tmp, "towns.json")
    json.dump(make_results(a.per_town), open(res, "w"), ensure_ascii=False)
    cores = os.cpu_count() or 1
    rows = []
    for jobs in (1, cores):
        best = None
        for _ in range(a.runs):
            out = os.path.join(tmp, "towns-%d" % jobs)
            shutil.rmtree(out, ignore_errors=True)
            w, c = timed([a.palmares, "certificates", res, "--style", style, "--jobs", str(jobs),
                          "-o", out + "/"], env)
            best = (w, c) if best is None or w < best[0] else best
        n = len(os.listdir(out))
        if n != a.per_town:
            sys.exit("per-town: %d files for %d towns" % (n, a.per_town))
        rows.append((jobs, best[0], best[1]))
    print("per-town files: %d towns, one PDF each, best of %d" % (a.per_town, a.runs))
    print("jobs   wall s  files/s   cpu s  cpu/wall")
    for jobs, w, c in rows:
        print("%4d %8.2f %8.1f %7.2f %9.2f" % (jobs, w, a.per_town / w, c, c / w))
    print("%d jobs / 1 job: %.2fx" % (cores, rows[0][1] / rows[1][1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-town", type=int, default=0)
    ap.add_argument("--palmares", default=os.path.join(HERE, "..", "build", "cli", "palmares"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="palmares-bench-")
    try:
        res, style = os.path.join(tmp, "results.json"), os.path.join(tmp, "style.json")
        json.dump(make_results(a.pages), open(res, "w"), ensure_ascii=False)
        json.dump(STYLE, open(style, "w"), ensure_ascii=False)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1800000000")
        out_p, out_r = os.path.join(tmp, "palmares.pdf"), os.path.join(tmp, "reportlab.pdf")
        runs = []
        for _ in range(a.runs):  # best of N, alternating, so that both see the same machine
            runs.append((timed([a.palmares, "certificates", res, "--style", style, "-o", out_p], env),
                         timed(["/usr/bin/python3", os.path.join(HERE, "reportlab_certificates.py"), res, out_r],
                               env)))
        (pw, pc), (rw, rc) = [(min(r[k][0] for r in runs), min(r[k][1] for r in runs)) for k in (0, 1)]
        print("pages: %d (A4 landscape certificates, one PDF, one thread), best of %d" % (a.pages, a.runs))
        print("            wall s  pages/s   cpu s  pages/cpu-s    MB")
        for name, w, c, f in [("palmares", pw, pc, out_p), ("ReportLab", rw, rc, out_r)]:
            print("%-10s %7.2f %8.1f %7.2f %12.1f %6.1f" % (name, w, a.pages / w, c, a.pages / c,
                                                            os.path.getsize(f) / 1e6))
        print("palmares / ReportLab: %.2fx wall, %.2fx cpu" % (rw / pw, rc / pc))
        if a.per_town:
            per_town(a, tmp, style, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
