#!/bin/sh
# Command-line tests of validate, template, check, score and explain (SPEC §6,
# §7): exit statuses, --help and --version, --format from -o, what the results
# JSON and CSV hold, atomic output, template round trips and --previous.
# Usage: score.sh PATH/TO/palmares. Prints one line per check and
# "N passed, M failed"; exits non-zero on any failure.
set -u
exe=${1:?usage: score.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/harness.sh"

# pycheck NAME SCRIPT [ARGS...]: a Python check, run with the others at the
# end (Python starts once); SCRIPT prints why it fails, or nothing. The files
# it reads must not change afterwards.
mkdir "$tmp/checks" || exit 1
nchecks=0
pycheck() {
	nchecks=$((nchecks + 1))
	printf '%s\n' "$1" >"$tmp/checks/$nchecks.name"
	printf '%s\n' "$2" >"$tmp/checks/$nchecks.py"
	shift 2
	for a in "$@"; do
		printf '%s\n' "$a"
	done >"$tmp/checks/$nchecks.args"
}

run_pychecks() {
	python3 - "$tmp/checks" "$nchecks" <<'EOF' >"$tmp/checks/out"
import contextlib, io, sys, traceback
d, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    name = open('%s/%d.name' % (d, i)).read().strip()
    src = open('%s/%d.py' % (d, i)).read()
    sys.argv = ['check'] + open('%s/%d.args' % (d, i)).read().splitlines()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, name, 'exec'), {'__name__': '__main__'})
    except Exception:
        out.write(traceback.format_exc().strip().splitlines()[-1])
    why = out.getvalue().strip().replace('\n', ' / ')
    print('%s\t%s' % (name, why))
EOF
	rm -f err # the last run's stderr says nothing about these
	while IFS='	' read -r name why; do
		if [ -n "$why" ]; then
			fail "$name" "$why"
		else
			ok "$name"
		fi
	done <"$tmp/checks/out"
}

# ---------------------------------------------------------------- inputs
cat >rubric.json <<'EOF'
{
  "format": "palmares-rubric/1", "id": "cli-2027", "edition": 2027, "label": {"fr": "Label CLI"},
  "categories": [
    {"id": "services", "criteria": [
      {"id": "site", "kind": "yes-no", "points": 4},
      {"id": "share", "kind": "percent", "points": 6},
      {"id": "innovation", "kind": "jury", "points": 10, "scale": [0, 5]}
    ]},
    {"id": "donnees", "not_applicable": "exclude", "criteria": [
      {"id": "data-sets", "kind": "number", "points": 10, "steps": [[1, 0.2], [5, 0.5], [20, 1]]}
    ]}
  ],
  "jury": {"min_marks": 1},
  "levels": [{"name": "@", "min_percent": 0}, {"name": "@@", "min_percent": 50},
             {"name": "@@@", "min_percent": 80, "requires": {"==": [{"var": "answers.site"}, true]}}],
  "mentions": [{"id": "ouvert", "name": "Mention données", "when": {">=": [{"var": "answers.data-sets"}, 20]}}]
}
EOF
cat >a.csv <<'EOF'
town_id;town_name;population;site;share;data-sets
10;Alpha;1200;oui;"80,5";25
11;Beta;300;non;douze;1
12;Gamma;5000;x;100%;3
EOF
cat >b.json <<'EOF'
[{"town": {"id": "20", "name": "Delta"}, "answers": {"site": true, "share": 10, "data-sets": 0}},
 {"town": {"id": "21", "name": "Epsilon"}, "answers": {"site": "yes"}}]
EOF
printf '%s\n' '{"town": {"id": "30", "name": "Zeta"}, "answers": {"site": false, "share": 50}}' >c.jsonl
cat >marks.csv <<'EOF'
juror,town_id,criterion,mark,comment
j-a,10,innovation,5,
j-a,12,innovation,"2,5",
j-b,12,innovation,3,
j-a,30,innovation,1,
EOF
inputs="a.csv b.json c.jsonl --marks marks.csv"
good="rubric.json $inputs"

# ---------------------------------------------------------------- exit statuses
run validate rubric.json
expect "validate: valid rubric exits 0" 0
grep -q '^rubric.json: ok: rubric "cli-2027" 2027: 2 categories, 4 criteria (1 jury), 3 levels$' out &&
	ok "validate: summary on stdout" || fail "validate: summary on stdout" "$(cat out)"
printf '{"format": "palmares-rubric/1"}' >invalid.json
run validate invalid.json
expect "validate: invalid rubric exits 1" 1 'invalid.json:1:1: error: missing field "id"'
run validate missing.json
expect "validate: missing file exits 2" 2 'cannot read "missing.json"'
run validate
expect "validate: no argument exits 2" 2 'usage: palmares validate'
run validate rubric.json extra.csv
expect "validate: two arguments exit 2" 2 'usage: palmares validate'

run template rubric.json
expect "template: exits 0" 0
run template invalid.json
expect "template: invalid rubric exits 1" 1 'missing field'
run template missing.json
expect "template: missing rubric exits 2" 2 'cannot read'
run template rubric.json --format xml
expect "template: bad --format exits 2" 2 '--format is csv, json or schema'

run check $good
expect "check: rejected dossiers exit 1" 1 'a.csv:3: error: town 11 "Beta", column "share": expected a percentage from 0 to 100, found "douze"'
[ "$(cat out)" = "6 dossiers checked: 2 errors, 1 warning" ] &&
	ok "check: summary on stdout" || fail "check: summary on stdout" "$(cat out)"
printf 'town_id,town_name,site,share,data-sets\n10,Alpha,oui,50,3\n' >valid.csv
printf 'juror,town_id,criterion,mark\nj-a,10,innovation,4\n' >valid-marks.csv
run check rubric.json valid.csv --marks valid-marks.csv
expect "check: valid campaign exits 0" 0
run check rubric.json nope.csv
expect "check: missing dossier file exits 2" 2 'cannot read "nope.csv"'
# check writes nothing by design: it never says "nothing written" (issue 13, item 12)
! grep -q 'nothing written' err && ok "check: no \"nothing written\"" || fail "check: no \"nothing written\"" "$(cat err)"
run check rubric.json valid.csv --marks nope.csv
expect "check: missing marks file exits 2" 2 'cannot read "nope.csv"'
run check rubric.json
expect "check: no dossier exits 2" 2 'usage: palmares check'
run check rubric.json valid.csv --bogus
expect "check: unknown option exits 2" 2 'unknown option "--bogus"'
run check rubric.json valid.csv --marks
expect "check: option without value exits 2" 2 'option "--marks" needs a value'

run score rubric.json valid.csv --marks valid-marks.csv
expect "score: valid campaign exits 0" 0
run score $good -o r.json
expect "score: rejected input exits 1 and still writes" 1
[ -s r.json ] && ok "score: results written despite rejected input" || fail "score: results written despite rejected input" "no r.json"
run score invalid.json valid.csv -o never.json
expect "score: invalid rubric exits 1" 1 'missing field'
[ ! -e never.json ] && ok "score: invalid rubric writes nothing" || fail "score: invalid rubric writes nothing" "never.json exists"
run score rubric.json valid.csv missing.csv -o never.json
expect "score: unreadable dossier file exits 2" 2 'nothing written'
[ ! -e never.json ] && ok "score: unreadable input writes nothing" || fail "score: unreadable input writes nothing" "never.json exists"
run score rubric.json valid.csv --format pdf
expect "score: bad --format exits 2" 2 '--format is text, json or csv, not "pdf"'
run score rubric.json valid.csv --lang de
expect "score: bad --lang exits 2" 2 '--lang is fr or en'

run explain $good --town 10
expect "explain: known town exits 1 when other dossiers are rejected" 1
grep -q 'Alpha' out && grep -q 'data-sets' out && ok "explain: names the town and its criteria" ||
	fail "explain: names the town and its criteria" "$(head -5 out)"
run explain rubric.json valid.csv --marks valid-marks.csv --town 10
expect "explain: valid campaign exits 0" 0
run explain rubric.json valid.csv --town 99
expect "explain: unknown town exits 2" 2 'explain: no dossier for town "99"'
run explain rubric.json valid.csv
expect "explain: --town is required" 2 'usage: palmares explain'
# --town also takes a name, compared folded, when one town has it (issue 13, item 16).
printf 'town_id,town_name,site,share,data-sets\n35238,Rennes,oui,50,3\n10,Saint-Denis,oui,50,3\n11,SAINT-DÉNIS,oui,40,3\n' >named.csv
run explain rubric.json named.csv --town ' rennes '
expect "explain: a town found by its name" 0
grep -q '^Rennes (35238)' out && ok "explain: by name, the town named" ||
	fail "explain: by name, the town named" "$(head -2 out)"
run explain rubric.json named.csv --town 'saint-denis'
expect "explain: an ambiguous name lists the ids" 2 \
	'explain: 2 towns are named "saint-denis": 10 "Saint-Denis", 11 "SAINT-DÉNIS"; give the id'
run explain rubric.json named.csv --town 'Brest'
expect "explain: neither an id nor a name" 2 'explain: no dossier for town "Brest" (neither an id nor a name)'

run frobnicate
expect "unknown command exits 2" 2 'unknown command "frobnicate"'
run
expect "no command exits 2" 2 'usage: palmares COMMAND'

# ---------------------------------------------------------------- --help, --version
# Every command of the table (palmares --help), and at least these.
commands=$("$exe" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' | grep -v '^help$')
for c in validate template check score explain rule; do
	echo "$commands" | grep -qx "$c" || fail "--help lists $c" "missing from: $(echo $commands)"
done
for c in $commands; do
	run "$c" --help
	if [ "$status" -ne 0 ]; then
		fail "$c --help" "exit status $status"
	elif ! grep -q "^usage: palmares $c" out; then
		fail "$c --help" "no usage line on stdout: $(head -1 out)"
	elif [ -s err ]; then
		fail "$c --help" "stderr not empty"
	else
		ok "$c --help"
	fi
done
run --help
expect "--help exits 0" 0
grep -q '^usage: palmares COMMAND' out && grep -q '^  score ' out && ok "--help lists the commands" ||
	fail "--help lists the commands" "$(head -3 out)"
run --version
expect "--version exits 0" 0
grep -qE '^palmares [0-9]+\.[0-9]+\.[0-9]+$' out && ok "--version prints the version" ||
	fail "--version prints the version" "$(cat out)"

# ---------------------------------------------------------------- --lang (§7)
sed 's/"label": {"fr": "Label CLI"}/"label": {"fr": "Label CLI", "en": "CLI label"}/' rubric.json >rubric-en.json
run score rubric-en.json valid.csv --marks valid-marks.csv
[ "$(head -1 out)" = "Label CLI — 2027" ] && ok "--lang: the rubric's language by default" ||
	fail "--lang: the rubric's language by default" "$(head -1 out)"
run score rubric-en.json valid.csv --marks valid-marks.csv --lang en
[ "$(head -1 out)" = "CLI label — 2027" ] && ok "--lang en: English texts" ||
	fail "--lang en: English texts" "$(head -1 out)"

# ---------------------------------------------------------------- --format from -o
run score $good -o r.json
pycheck "-o .json writes JSON" 'import json; json.load(open("r.json"))'
run score $good -o r.csv
head -1 r.csv | grep -q '^town_id,town_name,status,' && ok "-o .csv writes CSV" ||
	fail "-o .csv writes CSV" "$(head -1 r.csv)"
run score $good -o r.txt
grep -q 'Alpha' r.txt && ! grep -q '^town_id,' r.txt && ! grep -q '^{' r.txt &&
	ok "-o .txt writes the text table" || fail "-o .txt writes the text table" "$(head -3 r.txt)"
run score $good --format csv -o explicit.json
expect "--format contradicting the extension of -o exits 2" 2 '--format csv contradicts -o "explicit.json"'
[ ! -e explicit.json ] && ok "--format contradicting -o writes nothing" ||
	fail "--format contradicting -o writes nothing" "$(head -1 explicit.json)"
run score $good
grep -q 'Alpha' out && ! grep -q '^{' out && ok "no -o: text on stdout" || fail "no -o: text on stdout" "$(head -3 out)"
run score $good --format json -o -
cp out dash.json
pycheck "-o - writes to stdout" 'import json; json.load(open("dash.json"))'

# ---------------------------------------------------------------- results JSON (§6)
run score $good --format json
cp out results.json
pycheck "results JSON: every town in input order, with its status" '
import json
d = json.load(open("results.json"))
want = [("10", "scored"), ("11", "invalid"), ("12", "scored"), ("20", "pending"), ("21", "invalid"), ("30", "scored")]
got = [(t["id"], t["status"]) for t in d["towns"]]
if got != want: print(got)
'
pycheck "results JSON: summary counts every dossier" '
import json
s = json.load(open("results.json"))["summary"]
want = {"dossiers": 6, "scored": 3, "pending": 1, "invalid": 2}
if any(s.get(k) != v for k, v in want.items()): print(s)
levels = s["levels"]
if sum(levels.values()) != 3 or sorted(levels) != ["0", "1", "2", "3"]: print("levels", levels)
'
pycheck "results JSON: format, generator, rubric" '
import json
d = json.load(open("results.json"))
if d["format"] != "palmares-results/1": print(d["format"])
if not d["generator"].startswith("palmares "): print(d["generator"])
r = d["rubric"]
if r["id"] != "cli-2027" or r["edition"] != 2027 or r["levels"] != ["@", "@@", "@@@"] or len(r["sha256"]) != 64: print(r)
if list(r["mentions"]) != ["ouvert"]: print(r["mentions"])
'
pycheck "results JSON: scored, pending and invalid towns" '
import json
t = {x["id"]: x for x in json.load(open("results.json"))["towns"]}
a = t["10"]
if a["score"] != {"points": 28.83, "max": 30, "percent": 96.1}: print("10 score", a["score"])
if (a["computed_level"], a["level"], a["level_name"], a["rank"], a["mentions"]) != (3, 3, "@@@", 1, ["ouvert"]): print("10", a)
if a["next_level"] is not None: print("10 next", a["next_level"])
p = t["20"]
if p["level"] is not None or p["rank"] is not None or p["next_level"] is not None or p["mentions"] != []: print("20", p)
if p["score"] is None: print("pending towns keep their score")
i = t["11"]
if i["level"] is not None or i["rank"] is not None or i["score"] is not None or not i["errors"]: print("11", i)
if "expected a percentage from 0 to 100" not in i["errors"][0]: print("11 errors", i["errors"])
'
pycheck "results JSON: criteria, categories and marks" '
import json
t = {x["id"]: x for x in json.load(open("results.json"))["towns"]}
g = t["12"]
c = {x["id"]: x for x in g["criteria"]}
inn = c["innovation"]
if inn["aggregate"] != 2.75 or [m["juror"] for m in inn["marks"]] != ["j-a", "j-b"] or inn["marks"][0]["mark"] != 2.5: print(inn)
if c["share"]["answer"] != 100 or c["share"]["fraction"] != 1: print(c["share"])
if c["data-sets"]["fraction"] != 0.2 or c["data-sets"]["points"] != 2 or c["data-sets"]["max"] != 10: print(c["data-sets"])
cats = {x["id"]: x for x in g["categories"]}
if cats["services"] != {"id": "services", "points": 15.5, "max": 20, "percent": 77.5}: print(cats["services"])
nl = g["next_level"]
if nl is None or nl["level"] != 3 or nl["name"] != "@@@" or nl["min_percent"] != 80 or nl["points_missing"] != 6.5 or nl["unmet_requires"] != []: print(nl)
'
pycheck "results JSON: jury section" '
import json
j = json.load(open("results.json"))["jury"]
ids = [c["id"] for c in j["criteria"]]
if ids != ["innovation"]: print(ids)
if sorted(x["id"] for x in j["jurors"]) != ["j-a", "j-b"]: print(j["jurors"])
'

# ---------------------------------------------------------------- results CSV (§6)
run score $good --format csv
cp out results.csv
pycheck "results CSV: columns, one row per town in input order" '
import csv
rows = list(csv.reader(open("results.csv", newline="")))
head = ["town_id", "town_name", "status", "points", "max", "percent", "level", "level_name", "mentions", "rank", "services", "donnees"]
if rows[0] != head: print(rows[0])
if [r[0] for r in rows[1:]] != ["10", "11", "12", "20", "21", "30"]: print([r[0] for r in rows[1:]])
r = rows[1]
# a level name starting with "@" would run in a spreadsheet: an apostrophe first (issue 19, item 5)
if r != ["10", "Alpha", "scored", "28.83", "30", "96.1", "3", "\x27@@@", "ouvert", "1", "94.15", "100"]: print(r)
if rows[2][2] != "invalid" or rows[4][2] != "pending": print(rows[2], rows[4])
if any(len(x) != len(head) for x in rows): print("ragged rows")
'

# ---------------------------------------------------------------- atomic output (§7)
run score $good -o keep.json
cp keep.json keep.orig
run score rubric.json valid.csv missing.csv -o keep.json
expect "atomic: unreadable input exits 2" 2 'cannot read "missing.csv"'
cmp -s keep.json keep.orig && ok "atomic: results file untouched by a failed run" ||
	fail "atomic: results file untouched by a failed run" "keep.json changed"

mkdir -p outdir
run score $good -o outdir/r.json
cp outdir/r.json outdir/r.orig
# A write that fails half way: a file size limit (SIGXFSZ ignored, so write
# returns EFBIG) stops the temporary file at 1 block, whoever runs the test.
(trap '' XFSZ; ulimit -f 1; exec "$exe" score $good --format json -o outdir/r.json >out 2>err </dev/null)
status=$?
expect "atomic: a write error exits 2" 2 'cannot write "outdir/r.json"'
cmp -s outdir/r.json outdir/r.orig && ok "atomic: previous results intact after a write error" ||
	fail "atomic: previous results intact after a write error" "outdir/r.json changed"
[ "$(ls -A outdir)" = "$(printf 'r.json\nr.orig')" ] && ok "atomic: no temporary file left after a write error" ||
	fail "atomic: no temporary file left after a write error" "$(ls -A outdir)"

run score $good -o no/such/dir/r.json
expect "atomic: -o into a missing directory exits 2" 2 'cannot write "no/such/dir/r.json"'
mkdir -p target.json
run score $good -o target.json
expect "atomic: -o naming a directory exits 2" 2 'cannot write "target.json"'
[ -z "$(ls -A target.json)" ] && [ -z "$(ls -A . | grep '^\.target')" ] &&
	ok "atomic: no temporary file left when rename fails" || fail "atomic: no temporary file left when rename fails" "$(ls -A . target.json)"

if [ -c /dev/full ]; then
	run score $good --format json -o /dev/full
	expect "full disk: -o /dev/full exits 2 with the reason" 2 'cannot write "/dev/full": No space left on device'
	[ -c /dev/full ] && ok "full disk: /dev/full is still a device" || fail "full disk: /dev/full is still a device" "replaced"
	"$exe" score $good --format json >/dev/full 2>err </dev/null
	status=$?
	expect "full disk: stdout on /dev/full exits 2 with the reason" 2 'cannot write "<stdout>": No space left on device'
	run template rubric.json -o /dev/full
	expect "full disk: template -o /dev/full exits 2" 2 'No space left on device'
fi
run score $good --format json -o /dev/null
expect "-o /dev/null exits 1 (rejected input) and writes in place" 1
[ -c /dev/null ] && ok "/dev/null is still a device" || fail "/dev/null is still a device" "replaced"
run score $good -o ok.json
[ -z "$(ls -A . | grep '^\.ok\.json')" ] && ok "atomic: no temporary file left after success" ||
	fail "atomic: no temporary file left after success" "$(ls -A .)"

# ---------------------------------------------------------------- template round trips
for r in "$root"/criteria/*.json rubric.json; do
	n=$(basename "$r")
	"$exe" template "$r" -o tpl.csv 2>err
	if [ $? -ne 0 ] || [ "$(wc -l <tpl.csv)" -ne 1 ]; then
		fail "template $n: one CSV header row" "$(cat err)"
		continue
	fi
	run check "$r" tpl.csv
	# A header alone holds no dossier: accepted, with that one warning (issue 13, item 10).
	if [ "$status" -eq 0 ] && [ "$(cat err)" = "tpl.csv: warning: the file holds no dossier: a header row and no row under it" ] &&
		[ "$(cat out)" = "0 dossiers checked: 0 errors, 1 warning" ]; then
		ok "template $n: the CSV header is accepted back by check"
	else
		fail "template $n: the CSV header is accepted back by check" "status $status"
	fi
	# One town filled in with empty cells: every criterion unanswered, nothing rejected.
	{ cat tpl.csv; head -1 tpl.csv | sed 's/[^,]*//g; s/^,/99,Ville/'; } >row.csv
	run check "$r" row.csv
	[ "$status" -eq 0 ] && grep -q 'town 99 "Ville": .* unanswered' err && ! grep -q error: err &&
		ok "template $n: a row under the header is read" || fail "template $n: a row under the header is read" "status $status"
	run template "$r" --format schema
	expect "template $n --format schema: exits 0" 0
	cp out "schema-$n"
	pycheck "template $n: the JSON Schema is JSON" 'import json, sys; json.load(open(sys.argv[1]))' "schema-$n"
done
run template rubric.json --format json
cp out skeleton.json
python3 - skeleton.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["town"]["id"] = "40"
d["town"]["name"] = "Eta"
json.dump(d, open("filled.json", "w"))
EOF
run check rubric.json filled.json
if [ "$status" -eq 0 ] && ! grep -q error: err; then
	ok "template: the JSON skeleton, with id and name filled in, is accepted by check"
else
	fail "template: the JSON skeleton, with id and name filled in, is accepted by check" "status $status"
fi

# ---------------------------------------------------------------- --previous (§5)
sed 's/"cli-2027", "edition": 2027/"cli-2025", "edition": 2025/' rubric.json >rubric-2025.json
run score rubric-2025.json $inputs -o previous.json
python3 - <<'EOF'
import json
r = json.load(open("rubric.json"))
r["levels"][1]["requires"] = {">=": [{"var": ["history.2025", 0]}, 1]}
r["mentions"].append({"id": "fidele", "name": "Fidèle", "when": {"==": [{"var": "history.2025"}, 3]}})
json.dump(r, open("rubric-history.json", "w"))
EOF
run score rubric-history.json $inputs --previous previous.json --format json
expect "--previous: exits 1 (same rejected dossiers)" 1
cp out history.json
pycheck "--previous: previous_level and history.<edition> in rules" '
import json
t = {x["id"]: x for x in json.load(open("history.json"))["towns"]}
prev = {k: v["previous_level"] for k, v in t.items()}
if prev != {"10": 3, "11": None, "12": 2, "20": None, "21": None, "30": 1}: print(prev)
if t["10"]["mentions"] != ["ouvert", "fidele"]: print("10", t["10"]["mentions"])
if t["12"]["mentions"] != []: print("12", t["12"]["mentions"])
'
run score rubric-history.json $inputs --format json
cp out nohistory.json
pycheck "--previous: without it, history is unknown to rules" '
import json
t = {x["id"]: x for x in json.load(open("nohistory.json"))["towns"]}
if any(x["previous_level"] is not None for x in t.values()): print("previous_level set")
if t["10"]["mentions"] != ["ouvert"]: print(t["10"]["mentions"])
'
run score rubric.json valid.csv --previous missing.json
expect "--previous: missing file exits 2" 2 'cannot read "missing.json"'
run score rubric.json valid.csv --previous rubric.json
expect "--previous: not a results file exits 1" 1 'not a palmares results file'

# ---------------------------------------------------------------- the sample campaign
run score "$root"/criteria/villes-internet-2027.json "$root"/examples/dossiers-excel.csv \
	"$root"/examples/dossiers-google.csv "$root"/examples/dossiers-libreoffice.csv \
	"$root"/examples/dossiers.json --marks "$root"/examples/marks.csv \
	--overrides "$root"/examples/overrides.csv --format json
expect "sample campaign: exits 0" 0
cp out sample.json
pycheck "sample campaign: every row and object is in the results, in input order" '
import csv, json, sys
root = sys.argv[1]
ids = []
for f in ("dossiers-excel.csv", "dossiers-google.csv", "dossiers-libreoffice.csv"):
    raw = open(root + "/examples/" + f, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    sep = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    ids += [r["town_id"] for r in csv.DictReader(text.splitlines(), delimiter=sep)]
ids += [d["town"]["id"] for d in json.load(open(root + "/examples/dossiers.json"))]
got = [t["id"] for t in json.load(open("sample.json"))["towns"]]
if got != ids: print(got, ids)
' "$root"

run_pychecks
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
