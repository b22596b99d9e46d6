#!/usr/bin/env bash
# Costs of hostile inputs (issue 19, items 6-11; docs/limits.md): one line per
# item, wall time and peak memory of one run of palmares on an input built to
# hit that cost. tests/cli/costs.py checks the same costs against generous
# bounds; this measures them.
#
#   bench/costs.sh                          # every item
#   PALMARES=/tmp/old/palmares bench/costs.sh marks options   # some items, another binary
#
# Build a release binary first (the default):
#   meson setup build-rel --buildtype=release -Dtests=disabled && ninja -C build-rel
# Each line stops at 60 s (TIMEOUT): a quadratic version shows "timeout".
set -uo pipefail
cd "$(dirname "$0")/.."
PALMARES=$(realpath "${PALMARES:-build-rel/cli/palmares}")
WORK=${WORK:-/tmp/palmares-bench-costs}
TIMEOUT=${TIMEOUT:-60}
[ -x "$PALMARES" ] || { echo "bench: no $PALMARES: build it first (see the header of this script)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$WORK"
cd "$WORK" || exit 2

# measure ITEM WHAT ARGS...: one line: item, status, wall s, peak MB, the input, the last message.
measure() {
	local item=$1 what=$2
	shift 2
	SOURCE_DATE_EPOCH=1800000000 timeout "$TIMEOUT" /usr/bin/time -f '%e %M' -o time.txt \
		"$PALMARES" "$@" >out.txt 2>err.txt </dev/null
	local st=$?
	local t rss
	if [ "$st" -eq 124 ]; then t="timeout"; rss="-"; else
		read -r t rss <time.txt; rss=$((rss / 1024)); fi
	printf '%-8s %-44s status %-3s %8s s %6s MB  %s\n' "$item" "$what" "$st" "$t" "$rss" \
		"$(grep -v '^Command' err.txt | tail -n 1 | cut -c1-90)"
}

python3 - <<'PY'
import json
json.dump({"format": "palmares-rubric/1", "id": "costs", "edition": 2027, "label": "Costs",
           "jury": {"min_marks": 1},
           "categories": [{"id": "c", "criteria": [
               {"id": "j", "kind": "jury", "points": 10, "scale": [0, 5]},
               {"id": "y", "kind": "yes-no", "points": 1}]}],
           "levels": [{"name": "@", "min_percent": 0}]}, open("rubric.json", "w"))
open("d.csv", "w").write("town_id,town_name,y\n1,Un,oui\n")
PY

marks() {  # item 6: one million jurors mark one criterion of one town
	[ -f marks-1m.csv ] || python3 -c '
import sys
w = sys.stdout.write
w("juror,town_id,criterion,mark\n")
for i in range(1000000):
    w("j%d,1,j,%d\n" % (i, i % 6))' >marks-1m.csv
	measure marks "1,000,000 marks, one criterion of one town" score rubric.json d.csv \
		--marks marks-1m.csv -o out.csv
}

items=${*:-marks}
echo "palmares: $PALMARES; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $items; do "$i"; done
