#!/bin/sh
# Hostile input (issue 2, "Done when"): malformed JSON, broken quoting, wrong
# encodings, empty and binary files, a 5 MB cell, 100,000 columns, JSON nested
# 100,000 deep, unreadable inputs, unwritable outputs, a full disk. Each must
# give a clear error naming the file (and the line where there is one) with
# the right exit status, never a crash or a sanitizer report, and must not
# cost the valid dossiers of the same run their results. Big inputs are made
# here, in a scratch directory, with a fixed seed.
# Usage: hostile.sh PATH/TO/palmares. Prints "N passed, M failed".
set -u
exe=${1:?usage: hostile.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0
nresults=0
mkdir results || exit 1

ok() {
	passed=$((passed + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	[ -s err ] && cut -c1-200 err | sed 's/^/     stderr: /' | head -n 6
	return 0
}

# hostile NAME STATUS STDERR-SUBSTRING [SCORED-ID...] -- ARGS...
# Runs palmares ARGS (stdout in ./out, stderr in ./err). Checks the status,
# that stderr holds the substring, that nothing crashed, and, when the run
# writes results (status 0 or 1, JSON), that each SCORED-ID is there and
# scored; with status 2, that nothing was written to stdout.
hostile() {
	name=$1 want=$2 msg=$3
	shift 3
	ids=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		ids="$ids $1"
		shift
	done
	shift
	"$exe" "$@" >out 2>err </dev/null
	status=$?
	if [ "$status" -ge 128 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' err; then
		fail "$name" "crashed (status $status)"
	elif [ "$status" -ne "$want" ]; then
		fail "$name" "exit status $status, expected $want"
	elif [ -n "$msg" ] && ! grep -qF -- "$msg" err; then
		fail "$name" "stderr lacks \"$msg\""
	elif [ "$status" -eq 2 ] && [ -s out ]; then
		fail "$name" "status 2 but something was written"
	elif [ -n "$ids" ]; then
		nresults=$((nresults + 1)) # checked with the others at the end
		cp out "results/$nresults.json"
		printf '%s\t%s\n' "$name" "$ids" >"results/$nresults.want"
	else
		ok "$name"
	fi
}

# Checks every results file kept by hostile() in one Python run. Each token
# of SCORED-ID... is ID (the town is scored) or ID:STATUS; with a first token
# "=", the towns must be exactly those, in that order.
check_results() {
	python3 - results "$nresults" <<'EOF' >results/verdicts
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    name, want = open('%s/%d.want' % (d, i)).read().rstrip('\n').split('\t')
    tokens = want.split()
    exact = tokens[:1] == ['=']
    want = [(t.split(':') + ['scored'])[:2] for t in tokens[exact:]]
    try:
        got = [[t['id'], t['status']] for t in json.load(open('%s/%d.json' % (d, i)))['towns']]
    except Exception as e:
        print('%s\tno results: %s' % (name, e))
        continue
    if exact:
        why = '' if got == want else 'towns %s, expected %s' % (got, want)
    else:
        status = dict(map(tuple, got))
        why = ', '.join('%s is %s' % (t, status.get(t, 'missing')) for t, s in want if status.get(t) != s)
        why = why and 'valid dossiers lost: ' + why
    print('%s\t%s' % (name, why))
EOF
	rm -f err # the last run's stderr says nothing about these
	while IFS='	' read -r name why; do
		if [ -n "$why" ]; then
			fail "$name" "$why"
		else
			ok "$name"
		fi
	done <results/verdicts
}

cat >rubric.json <<'EOF'
{"format": "palmares-rubric/1", "id": "hostile", "edition": 2027, "label": "Hostile",
 "categories": [{"id": "services", "criteria": [
   {"id": "site", "kind": "yes-no", "points": 4},
   {"id": "share", "kind": "percent", "points": 6},
   {"id": "innovation", "kind": "jury", "points": 5, "scale": [0, 5]},
   {"id": "notes", "kind": "info"}]}],
 "jury": {"min_marks": 0},
 "levels": [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 50}]}
EOF
printf 'town_id,town_name,site,share,notes\n1,Valid one,oui,50,\n2,Valid two,non,"12,5",ok\n' >good.csv
S="score --format json rubric.json"

python3 - <<'EOF'
import json, random
random.seed(20270101)
good = open("good.csv").read()
header, rows = good.split("\n", 1)
# encodings
open("utf16.csv", "wb").write(good.encode("utf-16"))              # with BOM
open("utf16be.csv", "wb").write(b"\xfe\xff" + good.encode("utf-16-be"))
# Excel's "Texte Unicode": UTF-16LE with BOM, tab-separated, CRLF, decimal comma unquoted
excel = "town_id\ttown_name\tsite\tshare\tnotes\r\n1\tSainte-H\u00e9l\u00e8ne\toui\t50\t\r\n2\tValid two\tnon\t12,5\tok\r\n"
open("unicode-text.txt", "wb").write(b"\xff\xfe" + excel.encode("utf-16-le"))
open("utf16-nobom.csv", "wb").write(good.encode("utf-16-le"))     # without
open("utf16.json", "wb").write('[{"town": {"id": "9", "name": "U"}}]'.encode("utf-16"))
open("latin1.csv", "wb").write((header + "\n3,Sainte-Hélène,oui,50,\n" + rows).encode("latin-1"))
# binary
open("binary.csv", "wb").write(random.randbytes(65536))
open("binary-nonul.csv", "wb").write(bytes(b or 1 for b in random.randbytes(65536)))
open("binary.json", "wb").write(random.randbytes(65536))
open("binary.jsonl", "wb").write(random.randbytes(65536))
# a 5 MB cell, in a file whose other rows are valid
open("bigcell.csv", "w").write(header + "\n3,Big,oui,50,\"" + "x" * 5_000_000 + "\"\n" + rows)
open("bigcell.json", "w").write(json.dumps([{"town": {"id": "3", "name": "Big"}, "answers": {"notes": "x" * 5_000_000}},
                                            {"town": {"id": "4", "name": "Valid"}, "answers": {"site": True}}]))
# 100,000 columns: in one data row, and in the header
open("wide-row.csv", "w").write(header + "\n3,Wide" + ",x" * 100_000 + "\n" + rows)
open("wide-header.csv", "w").write(header + "".join(",c%d" % i for i in range(100_000)) + "\n" + rows)
# JSON nested 100,000 deep
deep = "[" * 100_000 + "]" * 100_000
open("deep.json", "w").write('[{"town": {"id": "3", "name": "Deep"}, "answers": {"notes": %s}}]' % deep)
open("deep.jsonl", "w").write('{"town": {"id": "3", "name": "Deep"}, "answers": {"notes": %s}}\n'
                              '{"town": {"id": "4", "name": "Valid"}, "answers": {"site": true}}\n' % deep)
r = json.load(open("rubric.json"))
r["x-deep"] = "@DEEP@"
open("deep-rubric.json", "w").write(json.dumps(r).replace('"@DEEP@"', deep))
rule = '{"!": [' * 100_000 + "true" + "]}" * 100_000
r = json.load(open("rubric.json"))
r["levels"][1]["requires"] = "@RULE@"
open("deep-rule-rubric.json", "w").write(json.dumps(r).replace('"@RULE@"', rule))
open("deep-rule.json", "w").write(rule)
rule = '{"!": [' * 600 + "true" + "]}" * 600
r["levels"][1]["requires"] = "@RULE@"
open("deeper-than-rules.json", "w").write(json.dumps(r).replace('"@RULE@"', rule))
open("deep-marks.json", "w").write(deep)
open("deep-previous.json", "w").write('{"format": "palmares-results/1", "towns": %s}' % deep)
# a 1,000,000-element array as an answer, and as a rule argument
open("bigarray.json", "w").write(json.dumps([{"town": {"id": "3", "name": "Array"}, "answers": {"site": [True] * 1_000_000}},
                                             {"town": {"id": "4", "name": "Valid"}, "answers": {"site": True}}]))
open("bigarray-rule.json", "w").write('{"some": [%s, {"==": [{"var": ""}, 999999]}]}' % json.dumps(list(range(1_000_000))))
EOF

# ---------------------------------------------------------------- malformed JSON
printf '[\n {"town": {"id": "3", "name": "A"}, "answers": {"site": true}},\n {"town": \n' >truncated.json
hostile "malformed JSON: truncated dossier file" 1 'truncated.json:4:' 1 2 -- $S truncated.json good.csv
printf '{"town": {"id": "3", "name": "A"}}\n{"town": {"id": "4", "name": "B"}, }\n{"town": {"id": "5", "name": "C"}}\n' >bad-line.jsonl
hostile "malformed JSON: one bad JSON Lines record" 1 'bad-line.jsonl:2:' 1 2 3 5 -- $S bad-line.jsonl good.csv
printf '{"format": "palmares-rubric/1", "id": "x"\n' >truncated-rubric.json
hostile "malformed JSON: rubric" 1 'truncated-rubric.json:2:' -- validate truncated-rubric.json
printf '[{"juror": "j", "town_id": "1", "criterion": "innovation", "mark": 4,]\n' >bad-marks.json
hostile "malformed JSON: marks" 1 'bad-marks.json:1:' 1 2 -- $S good.csv --marks bad-marks.json
printf '{"format": "palmares-results/1", "towns": [}\n' >bad-previous.json
hostile "malformed JSON: --previous" 1 'bad-previous.json:1:' 1 2 -- $S good.csv --previous bad-previous.json
hostile "malformed JSON: rule" 1 'error: rule: line 1' -- rule '{"and": [true,'

# ---------------------------------------------------------------- broken quoting
printf 'town_id,town_name,site,share,notes\n1,Valid one,oui,50,\n3,"Unclosed,oui,50,\n4,Swallowed,oui,50,\n' >unterminated.csv
hostile "broken quoting: unterminated quote, with its line" 1 'unterminated.csv:3: error: town 3 "": unterminated quoted field (opened on line 3)' = 1 3:invalid -- $S unterminated.csv
printf 'town_id,town_name,site,share,notes\n1,Valid one,oui,50,\n3,"Closed"then text,oui,50,\n2,Valid two,non,10,\n' >afterquote.csv
hostile "broken quoting: text after a closing quote" 1 'afterquote.csv:3: error: town 3 "": field 2: text after its closing quote' = 1 3:invalid 2 -- $S afterquote.csv
printf 'town_id,town_name,site,share,notes\n1,Valid one,oui,50,"a ""quoted"" word, a comma\nand a line break"\n2,Valid 5" screen,non,10,\n' >quotes.csv
hostile "quoting: doubled quotes, line breaks and a bare quote are fine" 0 '' 1 2 -- $S quotes.csv

# ---------------------------------------------------------------- encodings
# A file refused as a whole for what it holds (UTF-16 without BOM, NUL bytes, a zip
# archive, a JSON file that does not parse) is rejected input: exit 1 and the
# rest of the run is scored (docs/decisions.md, "Command line"). Exit 2 is for
# files that cannot be opened or read.
# UTF-16 with a byte-order mark is read like UTF-8 (issue 13, item 8); without one it is NUL bytes.
hostile "encoding: UTF-16 LE with BOM" 0 '' = 1 2 -- $S utf16.csv
hostile "encoding: UTF-16 BE with BOM" 0 '' = 1 2 -- $S utf16be.csv
hostile "encoding: Excel Unicode text (UTF-16, tabs, CRLF)" 0 '' = 1 2 -- $S unicode-text.txt
grep -q '"Sainte-Hélène"' out && ok "encoding: UTF-16 names decoded" || fail "encoding: UTF-16 names decoded" "$(grep -o '"name": "Sainte[^"]*"' out)"
hostile "encoding: UTF-16 without BOM" 1 'utf16-nobom.csv:1: error: NUL byte' 1 2 -- $S utf16-nobom.csv good.csv
hostile "encoding: UTF-16 JSON" 1 'utf16.json:1:' 1 2 -- $S utf16.json good.csv
hostile "encoding: Latin-1 read as Windows-1252, with a warning" 0 'latin1.csv: warning: not valid UTF-8 (first invalid byte at line 2): read as Windows-1252' 1 2 3 -- $S latin1.csv
grep -q '"Sainte-Hélène"' out && ok "encoding: Latin-1 names decoded" || fail "encoding: Latin-1 names decoded" "$(grep -o '"name": "Sainte[^"]*"' out)"

# ---------------------------------------------------------------- empty files
: >empty.csv
: >empty.json
: >empty.jsonl
: >empty-marks.csv
hostile "empty file: CSV dossiers" 1 'empty.csv: error: empty file' 1 2 -- $S empty.csv good.csv
hostile "empty file: JSON dossiers" 1 'empty.json:1: error: malformed JSON' 1 2 -- $S empty.json good.csv
hostile "empty file: JSON Lines dossiers (no record)" 0 '' 1 2 -- $S empty.jsonl good.csv
hostile "empty file: rubric" 1 'empty.json:1: error: malformed JSON' -- validate empty.json
hostile "empty file: marks" 1 'empty-marks.csv: error: empty file' 1 2 -- $S good.csv --marks empty-marks.csv
printf '\357\273\277' >bom-only.csv
hostile "empty file: CSV with only a BOM" 1 'bom-only.csv: error: empty file' 1 2 -- $S bom-only.csv good.csv

# ---------------------------------------------------------------- binary files
hostile "binary: CSV dossiers" 1 'binary.csv:' 1 2 -- $S binary.csv good.csv
hostile "binary: CSV dossiers without NUL bytes" 1 'binary-nonul.csv:' 1 2 -- $S binary-nonul.csv good.csv
hostile "binary: JSON dossiers" 1 'binary.json:1:' 1 2 -- $S binary.json good.csv
hostile "binary: JSON Lines dossiers" 1 'binary.jsonl:' 1 2 -- $S binary.jsonl good.csv
hostile "binary: rubric" 1 'binary.json:1:' -- validate binary.json
hostile "binary: marks" 1 'binary.csv:' 1 2 -- $S good.csv --marks binary.csv
hostile "binary: overrides" 1 'binary.csv:' 1 2 -- $S good.csv --overrides binary.csv
hostile "binary: --previous" 1 'binary.json:1:' 1 2 -- $S good.csv --previous binary.json

# ---------------------------------------------------------------- a 5 MB cell
hostile "5 MB cell: CSV, the row is listed as invalid, with its line" 1 'bigcell.csv:2: error: town 3 "Big": field 5 is longer than' = 3:invalid 1 2 -- $S bigcell.csv
hostile "5 MB cell: JSON text answer" 0 '' 3 4 -- $S bigcell.json

# ---------------------------------------------------------------- 100,000 columns
hostile "100,000 columns: in one row" 1 'wide-row.csv:2: error: town 3 "Wide": record has more than' = 3:invalid 1 2 -- $S wide-row.csv
hostile "100,000 columns: in the header" 1 'wide-header.csv:1: error: header row: record has more than' = 1 2 -- $S wide-header.csv good.csv
grep -q 'unknown column' err && fail "100,000 columns: no data row is read as the header" "$(grep 'unknown column' err | head -2)" ||
	ok "100,000 columns: no data row is read as the header"

# ---------------------------------------------------------------- JSON nested 100,000 deep
hostile "deep JSON: dossier file" 1 'deep.json:1:' 1 2 -- $S deep.json good.csv
hostile "deep JSON: JSON Lines record" 1 'deep.jsonl:1:' 1 2 4 -- $S deep.jsonl good.csv
hostile "deep JSON: rubric" 1 'deep-rubric.json:1:' -- validate deep-rubric.json
hostile "deep JSON: rule in a rubric" 1 'deep-rule-rubric.json:1:' -- validate deep-rule-rubric.json
hostile "deep JSON: rule deeper than rules may nest" 1 'levels[1].requires: invalid rule: rule nested too deeply' -- validate deeper-than-rules.json
hostile "deep JSON: palmares rule" 1 'deep-rule.json:1:' -- rule @deep-rule.json
hostile "deep JSON: marks" 1 'deep-marks.json:1:' 1 2 -- $S good.csv --marks deep-marks.json
hostile "deep JSON: --previous" 1 'deep-previous.json:1:' 1 2 -- $S good.csv --previous deep-previous.json

# ---------------------------------------------------------------- big arrays
hostile "big array: a 1,000,000-element answer" 1 'bigarray.json:1:' 4 -- $S bigarray.json
hostile "big array: a rule over 1,000,000 elements" 0 '' -- rule @bigarray-rule.json
[ "$(cat out)" = "true" ] && ok "big array: the rule's result" || fail "big array: the rule's result" "$(cat out)"

# ---------------------------------------------------------------- wrong types, out of range, twice
printf 'town_id,town_name,site,share,notes,innovation\n1,Valid one,oui,50,,\n3,Types,12,oui,,4\n4,Range,oui,-1,,\n1,Twice,oui,50,,\n' >mixed.csv
hostile "wrong types, out of range, a town twice: each named with its line" 1 'mixed.csv:3: error: town 3 "Types", column "site": expected yes or no' -- $S mixed.csv
grep -q 'mixed.csv:4: error: town 4 "Range", column "share": expected a percentage from 0 to 100, found "-1"' err &&
	grep -q 'mixed.csv:5: error: town 1 "Twice" submitted twice: here and at mixed.csv:2' err &&
	grep -q 'mixed.csv:3: error: town 3 "Types", column "innovation": an answer to a jury criterion' err &&
	ok "wrong types, out of range, a town twice: every problem reported" ||
	fail "wrong types, out of range, a town twice: every problem reported" "$(cat err)"
hostile "wrong types: the other valid town is scored" 1 '' 2 -- $S mixed.csv good.csv

# ---------------------------------------------------------------- unreadable inputs
mkdir dir.csv dir.json dir.jsonl
hostile "unreadable: a directory as CSV dossiers" 2 'cannot read "dir.csv"' -- $S dir.csv good.csv
hostile "unreadable: a directory as JSON dossiers" 2 'cannot read "dir.json"' -- $S dir.json good.csv
hostile "unreadable: a directory as JSON Lines dossiers" 2 'cannot read "dir.jsonl"' -- $S dir.jsonl good.csv
hostile "unreadable: a missing dossier file" 2 'cannot read "nope.csv": No such file or directory' -- $S nope.csv good.csv
hostile "unreadable: a missing JSON Lines file" 2 'cannot read "nope.jsonl": No such file or directory' -- $S nope.jsonl good.csv
hostile "unreadable: a directory as rubric" 2 'cannot read "dir.json"' -- validate dir.json
hostile "unreadable: a missing marks file" 2 'cannot read "nope.csv"' -- $S good.csv --marks nope.csv
hostile "unreadable: a missing overrides file" 2 'cannot read "nope.csv"' -- $S good.csv --overrides nope.csv
hostile "unreadable: a directory as --previous" 2 'cannot read "dir.json"' -- $S good.csv --previous dir.json
hostile "unreadable: a rule file that is a directory" 2 'cannot read' -- rule @dir.json

# ---------------------------------------------------------------- unwritable output, full disk
hostile "unwritable: -o into a missing directory" 2 'cannot write "nope/r.json"' -- score rubric.json good.csv -o nope/r.json
hostile "unwritable: -o naming a directory" 2 'cannot write "dir.json"' -- score rubric.json good.csv -o dir.json
if [ -c /dev/full ]; then
	hostile "full disk: -o /dev/full" 2 'cannot write "/dev/full": No space left on device' -- score rubric.json good.csv -o /dev/full
	hostile "full disk: template -o /dev/full" 2 'cannot write "/dev/full"' -- template rubric.json -o /dev/full
fi

# ---------------------------------------------------------------- formula injection (issue 19, item 5)
# A town id and a name that a spreadsheet would run: every CSV palmares writes
# starts such a cell with an apostrophe, in every column; numbers stay numbers;
# a filled sheet reads back the id it was given.
VR=$src/criteria/villes-internet-2027.json
python3 - "$src/examples/dossiers.json" <<'EOF'
import json, sys
towns = json.load(open(sys.argv[1]))[:2]
towns[0]["town"]["id"] = "=1+1"
towns[0]["town"]["name"] = '=HYPERLINK("http://evil.example/","Click")'
json.dump(towns, open("formula.json", "w"))
EOF
printf 'juror,town_id\nj1,=1+1\nj1,64445\n' >formula-assign.csv
# inert FILE...: no cell of any row would run as a formula, and the planted id is there, neutralised.
inert() {
	python3 - "$@" <<'EOF'
import csv, re, sys
bad, seen = [], 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8-sig").read()
    sep = ";" if text.split("\n", 1)[0].count(";") else ","
    for row in csv.reader(text.splitlines(), delimiter=sep):
        for cell in row:
            seen += cell == "'=1+1"
            if cell[:1] in ("=", "+", "@", "\t", "\r") or (
                    cell[:1] == "-" and not re.fullmatch(r"-\d+([.,]\d+)?", cell)):
                bad.append("%s: %r" % (path, cell))
if bad or not seen:
    print("; ".join(bad[:3]) or "the planted id is missing")
    sys.exit(1)
EOF
}
for d in plain excel-fr; do
	name="formula cells neutralised: score --format csv --csv-dialect $d"
	"$exe" score "$VR" formula.json --format csv --csv-dialect $d -o formula-$d.csv >out 2>err </dev/null
	why=$(inert formula-$d.csv) && ok "$name" || fail "$name" "$why"
	name="formula cells neutralised: sheets --csv-dialect $d"
	"$exe" sheets "$VR" formula.json --assignments formula-assign.csv --csv-dialect $d -o sheets-$d/ \
		>out 2>err </dev/null
	why=$(inert sheets-$d/j1.csv) && ok "$name" || fail "$name" "$why"
	# Filled: 0 (in every scale) as the mark of each row, the next to last cell, empty in a fresh sheet.
	python3 - sheets-$d/j1.csv <<'EOF'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().splitlines()
sep = ";" if lines[0].count(";") else ","
out = [lines[0]] + [l[:-1] + "0" + sep for l in lines[1:]]
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
EOF
	"$exe" score "$VR" formula.json --marks sheets-$d/j1.csv -o formula-filled-$d.json >out 2>err </dev/null
	name="formula cells: a filled $d sheet reads back the town id"
	python3 - formula-filled-$d.json <<'EOF' && ! grep -q 'unknown town' err && ok "$name" || fail "$name" "marks not attached"
import json, sys
towns = [t for t in json.load(open(sys.argv[1]))["towns"] if t["id"] == "=1+1"]
sys.exit(not (towns and any(m["juror"] == "j1" for c in towns[0]["criteria"] for m in c.get("marks") or [])))
EOF
done
printf 'juror,name\nj1,=cmd|calc\n' >formula-jurors.csv
"$exe" assign "$VR" formula.json --jurors formula-jurors.csv --per-dossier 1 -o formula-plan.csv \
	>out 2>err </dev/null
name="formula cells neutralised: assign"
why=$(inert formula-plan.csv) && ok "$name" || fail "$name" "$why"

check_results
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
