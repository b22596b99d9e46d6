#!/usr/bin/env bash
# The main job on the bundled sample campaign: installs what is missing,
# builds, scores the campaign and renders its documents into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
mkdir -p out
p=./build/cli/palmares
campaign=(criteria/villes-internet-2027.json examples/dossiers-excel.csv examples/dossiers-libreoffice.csv
          examples/dossiers-google.csv examples/dossiers.json
          --marks examples/marks.csv --overrides examples/overrides.csv)
"$p" score "${campaign[@]}" -o out/results.json
"$p" score "${campaign[@]}" --format csv -o out/results.csv 2>/dev/null
"$p" score "${campaign[@]}" 2>/dev/null
if "$p" --help | grep -q certificates; then
	"$p" certificates out/results.json -o out/certificates.pdf
	"$p" report out/results.json -o out/reports.pdf
	"$p" booklet out/results.json -o out/booklet.pdf
	echo "palmares: wrote out/results.json, out/results.csv, out/certificates.pdf, out/reports.pdf, out/booklet.pdf" >&2
else
	echo "palmares: wrote out/results.json and out/results.csv" >&2
fi
