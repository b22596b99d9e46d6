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
cd "$WORK" || exit 2  # $OLDPWD: the source tree

# measure ITEM WHAT ARGS...: one line: item, status, wall s, peak MB, the input, the last message.
measure() {
	local item=$1 what=$2
	shift 2
	SOURCE_DATE_EPOCH=1800000000 timeout "$TIMEOUT" /usr/bin/time -f '%e %M' -o time.txt \
		"$PALMARES" "$@" >out.txt 2>err.txt </dev/null
	local st=$?
	local t rss
	if [ "$st" -eq 124 ]; then t="timeout"; rss="-"; else
		read -r t rss < <(tail -n 1 time.txt); rss=$((rss / 1024)); fi
	printf '%-8s %-44s status %-3s %8s s %6s MB  %s\n' "$item" "$what" "$st" "$t" "$rss" \
		"$(grep -m1 -E 'error|warning' err.txt | cut -c1-90)"
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

options() {  # item 7: a rubric of 100,000 options, 2,000 towns choosing 50 of them
	[ -f options.json ] || python3 -c '
import json
opts = {"o%d" % i: (i % 100) / 100 for i in range(100000)}
json.dump({"format": "palmares-rubric/1", "id": "o", "edition": 2027, "label": "O",
           "categories": [{"id": "c", "criteria": [
               {"id": "ch", "kind": "choice", "points": 10, "options": opts},
               {"id": "mu", "kind": "multi", "points": 10, "options": opts}]}],
           "levels": [{"name": "@", "min_percent": 0}]}, open("options.json", "w"))
with open("options.csv", "w") as f:
    f.write("town_id,town_name,ch,mu\n")
    for i in range(2000):
        f.write("%d,T%d,O%d,%s\n" % (i, i, i * 37 % 100000, "|".join("o%d" % (i * 7 + k) for k in range(50))))'
	measure options "100,000 options, 2,000 towns x 50 choices" score options.json options.csv -o out.csv
}

columns() {  # item 7: a dossiers header of 40,000 columns (limit raised)
	[ -f columns.csv ] || python3 -c '
n = 40000
print(",".join(["town_id", "town_name"] + ["x%d" % i for i in range(n)]))
print("1,A" + "," * n)' >columns.csv
	PALMARES_MAX_COLUMNS=50000 measure columns "a header of 40,000 columns" score rubric.json columns.csv -o out.csv
}

logo() {  # item 8: a 400 KB PNG declaring 20,000 x 20,000 pixels as a style's logo
	[ -f big.png ] || python3 -c '
import struct, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
co = zlib.compressobj(1)
data = b"".join(co.compress(bytes(20001)) for _ in range(20000)) + co.flush()
open("big.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
                           + chunk(b"IDAT", data) + chunk(b"IEND", b""))'
	printf '{"format": "palmares-style/1", "logo": "big.png"}' >style-big.json
	measure logo "logo of 20,000 x 20,000 pixels" certificates "$OLDPWD/tests/data/results-fr.json" \
		--style style-big.json -o out.pdf
}

json_size() {  # item 9: a 2 GiB (sparse) JSON dossiers file, and 300 MB of one JSON Lines line from a pipe
	[ -f sparse.json ] || truncate -s 2G sparse.json
	measure json "a 2 GiB JSON file (limit 1 GiB)" score rubric.json sparse.json -o out.csv
	rm -f line.jsonl && mkfifo line.jsonl
	(head -c 300M /dev/zero | tr '\0' ' ' >line.jsonl 2>/dev/null &)
	PALMARES_MAX_JSON=10M measure json "300 MB line from a FIFO (limit 10 MiB)" score rubric.json \
		line.jsonl -o out.csv
	cat line.jsonl >/dev/null 2>&1 &  # a writer left waiting (a version that did not read)
	rm -f line.jsonl
}

not_files() {  # item 10: a logo that is /dev/zero, then a FIFO nobody writes to
	printf '{"format": "palmares-style/1", "logo": "/dev/zero"}' >style-zero.json
	measure devices "logo /dev/zero" certificates "$OLDPWD/tests/data/results-fr.json" \
		--style style-zero.json -o out.pdf
	rm -f fifo.png && mkfifo fifo.png
	printf '{"format": "palmares-style/1", "logo": "fifo.png"}' >style-fifo.json
	TIMEOUT=10 measure devices "logo from a FIFO nobody writes (stop: 10 s)" certificates \
		"$OLDPWD/tests/data/results-fr.json" --style style-fifo.json -o out.pdf
}

rule_text() {  # item 11: a JsonLogic cat doubling a string 32 times
	measure rule "a cat doubling a string" rule '{"reduce": [[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32], {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]}'
}

items=${*:-marks options columns logo json_size not_files rule_text}
echo "palmares: $PALMARES; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $items; do "$i"; done
