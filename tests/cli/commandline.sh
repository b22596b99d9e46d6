#!/bin/sh
# Command-line tests of what the field test (issue 13) found at the command
# line and in what it writes: an error line before every usage (item 14),
# help, -V and "did you mean" (17), the format named by -o (18), the French
# office CSV dialect (19), the ranked and aligned text table (20) and the
# line the document commands print on success (21).
# Usage: commandline.sh PATH/TO/palmares. Prints one line per check and
# "N passed, M failed"; exits non-zero on any failure.
set -u
exe=${1:?usage: commandline.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
. "$(dirname "$0")/harness.sh"

# first_line NAME TEXT: the last run's stderr starts with TEXT (the error comes before the usage).
first_line() {
	if [ "$(head -n 1 err)" = "$2" ]; then
		ok "$1"
	else
		fail "$1" "first line of stderr is \"$(head -n 1 err)\", expected \"$2\""
	fi
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
    ]}
  ],
  "jury": {"min_marks": 1},
  "levels": [{"name": "@", "min_percent": 10}, {"name": "Très engagée", "min_percent": 50},
             {"name": "@@@", "min_percent": 80}],
  "mentions": [{"id": "ouvert", "name": "Ouvert", "when": {">=": [{"var": "answers.share"}, 90]}}]
}
EOF
cat >dossiers.csv <<'EOF'
town_id,town_name,site,share
10,Alpha,non,10
11,Éclaircie,oui,90
12,Beta,oui,55
13,Aube,oui,90
14,,oui,50
15,Zéro,non,0
16,Gamma,oui,50
EOF
cat >marks.csv <<'EOF'
juror,town_id,criterion,mark
j-a,10,innovation,1
j-a,11,innovation,5
j-a,12,innovation,2.5
j-a,13,innovation,5
j-a,15,innovation,0
EOF
cat >jurors.csv <<'EOF'
juror_id,name
j-a,Anne
j-b,Bruno
EOF

# ---------------------------------------------------------------- 14: an error line before the usage
run score rubric.json
expect "score without dossier exits 2" 2
first_line "score without dossier says why first" "palmares: error: score needs at least one dossier file"
run score
first_line "score without rubric says why first" \
	"palmares: error: score needs a rubric file and at least one dossier file"
run check rubric.json
first_line "check without dossier says why first" "palmares: error: check needs at least one dossier file"
run explain rubric.json dossiers.csv
first_line "explain without --town says why first" "palmares: error: explain needs --town ID|NAME, the town to explain"
run validate
first_line "validate without rubric says why first" "palmares: error: validate needs a rubric file"
run validate rubric.json dossiers.csv
first_line "validate with two files says why first" \
	'palmares: error: validate takes one rubric file, not also "dossiers.csv"'
run template
first_line "template without rubric says why first" "palmares: error: template needs a rubric file"
run assign rubric.json dossiers.csv --per-dossier 1
first_line "assign without --jurors says why first" "palmares: error: assign needs --jurors JURORS.csv"
run assign rubric.json dossiers.csv --jurors jurors.csv
first_line "assign without --per-dossier says why first" \
	"palmares: error: assign needs --per-dossier K, the jurors per dossier"
run sheets rubric.json dossiers.csv -o sheets/
first_line "sheets without --assignments says why first" \
	"palmares: error: sheets needs --assignments ASSIGNMENTS.csv"
run progress rubric.json dossiers.csv
first_line "progress without --assignments says why first" \
	"palmares: error: progress needs --assignments ASSIGNMENTS.csv"
run sensitivity rubric.json
first_line "sensitivity without dossier says why first" \
	"palmares: error: sensitivity needs a rubric file and at least one dossier file"
run rule
first_line "rule without a rule says why first" "palmares: error: rule needs a rule (JSON text, or @FILE)"
run verify results.json
first_line "verify without a code says why first" "palmares: error: verify needs a code after the results file"
run report
first_line "report without arguments says why first" \
	"palmares: error: a results file and -o OUT are required"
run
expect "no command exits 2" 2
first_line "no command says why first" "palmares: error: no command given"

# ---------------------------------------------------------------- 17: help, -V, did you mean
"$exe" score --help >score-help 2>&1
run help score
expect "help score exits 0" 0
cmp -s out score-help && ok "help score prints score --help" || fail "help score prints score --help" "$(head -n 1 out)"
run help report
grep -q '^usage: palmares report' out && ok "help report prints report --help" ||
	fail "help report prints report --help" "$(head -n 1 out)"
run help frobnicate
expect "help of an unknown command exits 2" 2 'unknown command "frobnicate"'
run help
expect "help alone exits 0" 0
grep -q '^usage: palmares COMMAND' out && ok "help alone prints the general help" ||
	fail "help alone prints the general help" "$(head -n 1 out)"
run -V
expect "-V exits 0" 0
"$exe" --version >version
cmp -s out version && ok "-V prints what --version prints" || fail "-V prints what --version prints" "$(cat out)"
run score rubric.json dossiers.csv --mark marks.csv
expect "--mark exits 2" 2 'palmares: error: score: unknown option "--mark": did you mean "--marks"?'
run assign rubric.json dossiers.csv --juror jurors.csv --per-dossier 1
expect "assign --juror suggests --jurors" 2 'did you mean "--jurors"?'
run sensitivity rubric.json dossiers.csv --sample 10
expect "sensitivity --sample suggests --samples" 2 'did you mean "--samples"?'
run report results.json -o r.pdf --towns 10
expect "report --towns suggests --town" 2 'unknown option "--towns": did you mean "--town"?'
run booklet results.json --stile s.json -o b.pdf
expect "booklet --stile suggests --style" 2 'did you mean "--style"?'
run verify --lng fr results.json 7KQ2-M9XD-4HRT
expect "verify --lng suggests --lang" 2 'unknown option "--lng": did you mean "--lang"?'
run score rubric.json dossiers.csv --frobnicate
expect "an option far from every other gets no suggestion" 2 'unknown option "--frobnicate"'
grep -q 'did you mean' err && fail "no suggestion for --frobnicate" "$(head -n 1 err)" ||
	ok "no suggestion for --frobnicate"
run scor rubric.json dossiers.csv
expect "an unknown command gets its suggestion" 2 'unknown command "scor": did you mean "score"?'

# ---------------------------------------------------------------- 18: -o names the format
# absent NAME FILE: the last run wrote no FILE.
absent() {
	[ ! -e "$2" ] && ok "$1" || fail "$1" "$2 was written"
}
run template rubric.json -o t.json
expect "template -o t.json exits 0" 0
head -c 1 t.json | grep -q '{' && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' t.json &&
	ok "template -o t.json writes JSON" || fail "template -o t.json writes JSON" "$(head -c 60 t.json)"
run template rubric.json -o t.csv
head -n 1 t.csv | grep -q '^town_id,town_name,' && ok "template -o t.csv writes CSV" ||
	fail "template -o t.csv writes CSV" "$(head -c 60 t.csv)"
run template rubric.json --format schema -o s.json
grep -q '"\$schema"' s.json && ok "template --format schema -o s.json writes the schema" ||
	fail "template --format schema -o s.json writes the schema" "$(head -c 60 s.json)"
run template rubric.json -o T.JSON
head -c 1 T.JSON | grep -q '{' && ok "the extension is read in any case" || fail "the extension is read in any case" "$(head -c 60 T.JSON)"
run template rubric.json -o t.xlsx
expect "template -o t.xlsx exits 2" 2 'template: cannot write a .xlsx file: -o takes a name ending in .csv or .json'
absent "template -o t.xlsx writes nothing" t.xlsx
run template rubric.json --format json -o tc.csv
expect "template --format json -o tc.csv exits 2" 2 'template: --format json contradicts -o "tc.csv"'
absent "template --format json -o tc.csv writes nothing" tc.csv
run score rubric.json dossiers.csv --marks marks.csv -o r.xlsx
expect "score -o r.xlsx exits 2" 2 'score: cannot write a .xlsx file: -o takes a name ending in .txt, .json or .csv'
grep -qF 'for a spreadsheet, write .csv' err && ok "score -o r.xlsx says to write .csv" ||
	fail "score -o r.xlsx says to write .csv" "$(head -n 1 err)"
absent "score -o r.xlsx writes nothing" r.xlsx
run score rubric.json dossiers.csv --marks marks.csv --format csv -o rc.json
expect "score --format csv -o rc.json exits 2" 2 'score: --format csv contradicts -o "rc.json", a .json name'
absent "score --format csv -o rc.json writes nothing" rc.json
run score rubric.json dossiers.csv --marks marks.csv -o r.txt
head -n 1 r.txt | grep -q '^Label CLI' && ok "score -o r.txt writes the text table" ||
	fail "score -o r.txt writes the text table" "$(head -n 1 r.txt)"
run score rubric.json dossiers.csv --marks marks.csv --format json -o results
head -c 1 results | grep -q '{' && ok "a name without extension takes --format" ||
	fail "a name without extension takes --format" "$(head -c 60 results)"
run score rubric.json dossiers.csv --marks marks.csv -o r.json
run assign rubric.json dossiers.csv --jurors jurors.csv --per-dossier 1 -o a.json
expect "assign -o a.json exits 2" 2 'assign: cannot write a .json file: -o takes a name ending in .csv'
absent "assign -o a.json writes nothing" a.json
run progress rubric.json dossiers.csv --assignments a.csv -o p.csv
expect "progress -o p.csv exits 2" 2 'progress: cannot write a .csv file: -o takes a name ending in .txt or .json'
run sheets rubric.json dossiers.csv --assignments a.csv -o sheets.csv
expect "sheets -o sheets.csv exits 2" 2 'sheets writes one file per juror into a directory: -o DIR/, not "sheets.csv"'
absent "sheets -o sheets.csv makes no directory" sheets.csv
run certificates r.json -o c.docx
expect "certificates -o c.docx exits 2" 2 'cannot write a .docx file: -o takes a name ending in .pdf or .png'
absent "certificates -o c.docx writes nothing" c.docx
run certificates r.json --format png -o c.pdf
expect "certificates --format png -o c.pdf exits 2" 2 'palmares: error: --format png contradicts -o "c.pdf"'
absent "certificates --format png -o c.pdf writes nothing" c.pdf

# ---------------------------------------------------------------- 20: the text table, ranked and aligned
run score rubric.json dossiers.csv --marks marks.csv
expect "score text table exits 1 (town 14 has no name)" 1
python3 - out >why 2>&1 <<'EOF'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
head = next(i for i, l in enumerate(lines) if l.startswith('rank '))
rows = []
for l in lines[head + 1:]:
    if not l.strip():
        break
    rows.append(l)
ids = [r.split()[1] for r in rows]
# 13 Aube and 11 Éclaircie tie at rank 1: by name, accents ignored; then ranks 3, 4, 5;
# then the pending dossier, then the invalid one.
want = ['13', '11', '12', '10', '15', '16', '14']
if ids != want:
    print('order %s, expected %s' % (ids, want))
h = lines[head]
for col in ('status', 'level', 'mentions'):
    at = h.index(col)
    for r in rows:
        if col == 'mentions':
            if 'ouvert' in r and r.index('ouvert') != at:
                print('mentions at %d, not %d: %r' % (r.index('ouvert'), at, r))
        elif r[at - 1] != ' ' or r[at] == ' ':
            print('%s not at %d: %r' % (col, at, r))
if not any('ouvert' in r for r in rows):
    print('no mention in the table')
EOF
[ -s why ] && fail "score text table is ranked and aligned" "$(cat why)" || ok "score text table is ranked and aligned"
run sensitivity rubric.json dossiers.csv --marks marks.csv --samples 20
python3 - out >why 2>&1 <<'EOF'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
head = next(i for i, l in enumerate(lines) if 'stability' in l and 'town' in l)
at = lines[head].index('town')
n = 0
for l in lines[head + 1:]:
    if not l.strip():
        break
    if l.strip().startswith('---'):
        continue
    n += 1
    town = l[at:].split()[0] if len(l) > at else ''
    if not town.isdigit() or l[at - 1] != ' ':
        print('town id not at column %d: %r' % (at, l))
if n != 5 or 'not labelled' not in '\n'.join(lines):
    print('%d rows, expected 5 with one "not labelled"' % n)
EOF
[ -s why ] && fail "sensitivity text keeps its columns with long level names" "$(cat why)" ||
	ok "sensitivity text keeps its columns with long level names"

# ---------------------------------------------------------------- 21: documents say what they wrote
run score rubric.json dossiers.csv --marks marks.csv -o r.json
run certificates r.json -o c.pdf
expect "certificates exits 0" 0
pages=$(pdfinfo c.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
[ -n "$pages" ] || pages=4 # without poppler-utils: the four labelled towns, one page each
[ "$(head -n 1 err)" = "palmares: certificates: $pages pages written to c.pdf" ] &&
	ok "certificates says the file and its pages" || fail "certificates says the file and its pages" "$(cat err)"
run report r.json -o reports/
expect "report -o DIR/ exits 0" 0
files=$(ls reports | wc -l)
[ "$(head -n 1 err)" = "palmares: report: $files files written to reports/" ] && [ "$files" -gt 1 ] &&
	ok "report -o DIR/ says the directory and its files" ||
	fail "report -o DIR/ says the directory and its files" "$(cat err) ($files files)"
run booklet r.json -o b.pdf
grep -qx 'palmares: booklet: [0-9]* pages* written to b.pdf' err && ok "booklet says the file and its pages" ||
	fail "booklet says the file and its pages" "$(cat err)"
run certificates r.json --town 11 -o c1.png
[ "$(head -n 1 err)" = "palmares: certificates: 1 page written to c1.png" ] && ok "a PNG preview is one page" ||
	fail "a PNG preview is one page" "$(cat err)"
LANG=fr_FR.UTF-8 LC_ALL= LANGUAGE= "$exe" report r.json -o r-fr.pdf >out 2>err
grep -q '^palmares : report : [0-9]* pages écrites dans r-fr.pdf$' err &&
	ok "the line is translated like the other messages" || fail "the line is translated like the other messages" "$(cat err)"
run certificates r.json --town 15 -o none.pdf
expect "a certificate for an unlabelled town exits 1" 1 'nothing written'
grep -q 'written to' err && fail "nothing written: no \"written to\" line" "$(cat err)" ||
	ok "nothing written: no \"written to\" line"

# ---------------------------------------------------------------- 19: the excel-fr CSV dialect
for c in template score sheets assign; do
	"$exe" "$c" --help >out 2>&1
	grep -qF -- "--csv-dialect plain (the default" out && ok "$c --help names the default CSV dialect" ||
		fail "$c --help names the default CSV dialect" "$(grep -F -- --csv out)"
done
run template rubric.json --csv-dialect excel-fr -o tfr.csv
expect "template --csv-dialect excel-fr exits 0" 0
printf '\357\273\277town_id;town_name;' >want
[ "$(head -c "$(wc -c <want)" tfr.csv | od -An -c)" = "$(od -An -c want)" ] && ok "excel-fr: BOM, then ';'" ||
	fail "excel-fr: BOM, then ';'" "$(head -c 40 tfr.csv | od -c | head -2)"
cp tfr.csv filled.csv
printf '20;Île-Tudy;1200;Bretagne;29;commune;oui;80,5\n' >>filled.csv
run check rubric.json filled.csv
expect "template excel-fr, filled in, checks clean" 0
[ "$(cat out)" = "1 dossier checked: 0 errors, 0 warnings" ] && ok "the filled excel-fr template reads back" ||
	fail "the filled excel-fr template reads back" "$(cat out)"
run score rubric.json dossiers.csv --marks marks.csv -o plain.csv
run score rubric.json dossiers.csv --marks marks.csv --csv-dialect excel-fr -o fr.csv
expect "score --csv-dialect excel-fr exits 1 like plain CSV" 1
python3 - plain.csv fr.csv >why 2>&1 <<'EOF'
import csv, sys
raw = open(sys.argv[2], 'rb').read()
if not raw.startswith(b'\xef\xbb\xbf'):
    print('no BOM')
plain = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
fr = list(csv.reader(open(sys.argv[2], encoding='utf-8-sig', newline=''), delimiter=';'))
if len(plain) != len(fr):
    print('%d rows, plain has %d' % (len(fr), len(plain)))
commas = 0
for p, f in zip(plain, fr):
    if len(p) != len(f):
        print('row %r: %d cells, plain has %d' % (f, len(f), len(p)))
        continue
    for a, b in zip(p, f):
        if a != b and a != b.replace(',', '.'):
            print('cell %r, plain %r' % (b, a))
        commas += a != b
if not commas:
    print('no decimal comma anywhere')
EOF
[ -s why ] && fail "excel-fr results: the plain results with ';' and decimal commas" "$(cat why)" ||
	ok "excel-fr results: the plain results with ';' and decimal commas"
run score rubric.json dossiers.csv --csv-dialect excel-fr
expect "--csv-dialect on a text table exits 2" 2 'score: --csv-dialect is for CSV output, and this run writes none'
run template rubric.json --csv-dialect excel -o x.csv
expect "an unknown dialect exits 2" 2 'template: --csv-dialect is plain or excel-fr, not "excel"'
[ ! -e x.csv ] && ok "an unknown dialect writes nothing" || fail "an unknown dialect writes nothing" "x.csv written"
printf 'juror,name\nj-a,Anne\nj-b,Bruno\n' >jury.csv
run assign rubric.json dossiers.csv --jurors jury.csv --per-dossier 1 --csv-dialect excel-fr -o afr.csv
expect "assign --csv-dialect excel-fr exits 1 (town 14)" 1
head -n 1 afr.csv | grep -q "^$(printf '\357\273\277')juror;town_id\$" && ok "excel-fr assignments" ||
	fail "excel-fr assignments" "$(head -n 1 afr.csv | od -c | head -2)"
run sheets rubric.json dossiers.csv --assignments afr.csv --csv-dialect excel-fr -o frsheets/
expect "sheets reads excel-fr assignments and writes excel-fr sheets" 1 'palmares: sheets: sheets for 6 assignments'
python3 - frsheets >why 2>&1 <<'EOF'
import glob, os, sys
n = 0
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.csv'))):
    raw = open(f, 'rb').read()
    if not raw.startswith(b'\xef\xbb\xbfjuror;town_id;town_name;criterion;title;scale;mark;comment\n'):
        print('%s: header %r' % (f, raw[:80]))
    lines = raw.decode('utf-8-sig').splitlines()
    # fill every row in the French way: a decimal comma, a comment with a comma and a ';'
    out = [lines[0]] + [l[:-2] + ';2,5;"bien; très bien, vraiment"' for l in lines[1:] if l.endswith(';;')]
    n += len(out) - 1
    open(f, 'w', encoding='utf-8-sig').write('\n'.join(out) + '\n')
if n != 6:
    print('%d rows to fill, expected 6' % n)
EOF
[ -s why ] && fail "excel-fr sheets" "$(cat why)" || ok "excel-fr sheets"
run score rubric.json dossiers.csv --assignments afr.csv --marks frsheets/ -o back.json
expect "filled excel-fr sheets score as marks" 1
python3 - back.json >why 2>&1 <<'EOF'
import json, sys
marks = [m for t in json.load(open(sys.argv[1]))['towns'] for c in (t['criteria'] or [])
         if c['id'] == 'innovation' for m in c['marks']]
if len(marks) != 6 or any(m['mark'] != 2.5 or m['comment'] != 'bien; très bien, vraiment' for m in marks):
    print(marks)
EOF
[ -s why ] && fail "every excel-fr mark and comment reads back" "$(cat why)" ||
	ok "every excel-fr mark and comment reads back"
grep -q 'marks\|frsheets' err && fail "no message about the excel-fr sheets" "$(grep frsheets err | head -3)" ||
	ok "no message about the excel-fr sheets"

#@@ITEMS

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
