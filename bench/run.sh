#!/usr/bin/env bash
# Every figure of bench/README.md in one command (issue 5): builds the
# release binary, then runs
#   1. bench/score.sh: `palmares score` to CSV and to JSON on generated
#      campaigns of 3,500, 35,000 and 90,000 dossiers (hyperfine for wall time,
#      /usr/bin/time -v for CPU and peak RSS);
#   2. bench/certificates.py: 5,000 certificates in one PDF beside ReportLab,
#      and 500 per-town files with one job and with one job per core.
#
#   bench/run.sh                  # everything (about 10 minutes on 2 cores)
#   QUICK=1 bench/run.sh          # 3,500 dossiers and 500 pages: a smoke run
#
# Bench-only tools: hyperfine and python3-reportlab (Debian packages), which
# this script installs with scripts/deps.sh when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=""
command -v hyperfine >/dev/null || need="$need hyperfine"
/usr/bin/python3 -c "import reportlab" 2>/dev/null || need="$need python3-reportlab"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then
	EXTRA_PKGS="${need# }" ./scripts/deps.sh
fi
[ -d build-rel ] || meson setup build-rel --buildtype=release -Dtests=disabled >/dev/null
meson compile -C build-rel >/dev/null
if [ -n "${QUICK:-}" ]; then
	TOWNS="3500" RUNS=1 bench/score.sh
	python3 bench/certificates.py --pages 500 --runs 1 --per-town 100 --palmares build-rel/cli/palmares
else
	TOWNS="${TOWNS:-3500 35000 90000}" bench/score.sh
	python3 bench/certificates.py --pages 5000 --runs 3 --per-town 500 --palmares build-rel/cli/palmares
fi
