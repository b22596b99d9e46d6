#!/bin/sh
# Valgrind memcheck over the command line (issue 6, point 2): every command on
# the sample campaign (validate, template, check, score in three formats with
# marks, overrides and history, explain, rule, assign, sheets, progress,
# sensitivity, certificates, report and booklet to a file and per town,
# verify), plus the error paths of hostile inputs (malformed and unreadable
# files, rejected values, a full disk), each under
#   valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
# A run is clean when valgrind reports no error and no definite leak; the
# command's own exit status must be the expected one.
# Suppressions: tests/valgrind.supp (fontconfig's own leak, as tests/lsan.supp).
# Usage: valgrind.sh PATH/TO/palmares (a build without sanitizers).
set -u
exe=${1:?usage: valgrind.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
src=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v valgrind >/dev/null; then
	echo "SKIP: valgrind is not installed (scripts/deps.sh with EXTRA_PKGS=valgrind)"
	exit 77
fi
if grep -q __asan_init "$exe" 2>/dev/null; then
	echo "SKIP: $exe is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0
R=$src/criteria/villes-internet-2027.json
E=$src/examples
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --suppressions=$src/tests/valgrind.supp --log-file=vg.log"
export SOURCE_DATE_EPOCH=1800000000

# vg NAME STATUS ARGS...: palmares ARGS under memcheck; expects exit STATUS, a clean log.
vg() {
	name=$1 want=$2
	shift 2
	rm -f vg.log
	$VG "$exe" "$@" >out 2>err </dev/null
	status=$?
	if [ "$status" -eq 99 ] || [ -s vg.log ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: valgrind reports errors or leaks\n' "$name"
		head -n 30 vg.log | sed 's/^/     /'
	elif [ "$status" -ne "$want" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: exit status %d, expected %d\n' "$name" "$status" "$want"
		head -n 3 err | sed 's/^/     stderr: /'
	else
		passed=$((passed + 1))
		printf 'ok   %s\n' "$name"
	fi
}

D="$E/dossiers-excel.csv $E/dossiers-google.csv $E/dossiers-libreoffice.csv $E/dossiers.json"
vg validate 0 validate "$R"
for f in csv json schema; do
	vg "template $f" 0 template "$R" --format $f
done
vg check 0 check "$R" $D --marks "$E/marks.csv"
vg "score json" 0 score "$R" $D --marks "$E/marks.csv" --overrides "$E/overrides.csv" -o results.json
cp results.json previous.json
vg "score csv, history" 0 score "$R" $D --marks "$E/marks.csv" --previous previous.json -o results.csv
vg "score text" 0 score "$R" $D --marks "$E/marks.csv" --format text
vg explain 0 explain "$R" $D --marks "$E/marks.csv" --town 97411
vg rule 0 rule '{"reduce":[{"map":[{"var":"l"},{"*":[{"var":""},2]}]},{"+":[{"var":"accumulator"},{"var":"current"}]},0]}' '{"l":[1,2,3]}'
vg assign 0 assign "$R" $D --jurors "$E/jurors.csv" --per-dossier 2 --seed 1 -o assignments.csv
mkdir sheets
vg sheets 0 sheets "$R" $D --assignments assignments.csv -o sheets/
# The sample marks were not made for this random assignment: rejected, exit 1.
vg progress 1 progress "$R" $D --assignments assignments.csv --marks "$E/marks.csv" --format json
vg sensitivity 0 sensitivity "$R" $D --marks "$E/marks.csv" --samples 50 --seed 2 --format json
vg certificates 0 certificates results.json -o certificates.pdf
mkdir per-town
vg "certificates per town" 0 certificates results.json -o per-town/
vg report 0 report results.json --town 97411 -o report.pdf
vg booklet 0 booklet results.json -o booklet.pdf
code=$(pdftotext certificates.pdf - 2>/dev/null | grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' | head -n 1)
if [ -n "$code" ]; then
	vg verify 0 verify results.json "$code"
else
	failed=$((failed + 1))
	echo "FAIL verify: no verification code found in certificates.pdf"
fi

# Error paths.
printf '{"format": "palmares-rubric/1", "id": "x",' >broken.json
vg "malformed rubric" 1 validate broken.json
printf 'town_id,town_name,site-rgaa,taux-conformite-rgaa\n1,A,peut-etre,101\n1,B,oui,"5" x\n"2,C\n' >bad.csv
vg "rejected dossiers" 1 score "$R" bad.csv "$E/dossiers.json" -o bad-results.json
vg "unreadable dossiers" 2 score "$R" nope.csv -o never.json
printf 'juror,town_id,criterion,mark\nj1,99,x,4\nj2,97411,innovation-democratique,42\n' >bad-marks.csv
vg "rejected marks" 1 score "$R" "$E/dossiers.json" --marks bad-marks.csv -o m.json
printf '[[[[' >bad-results.json
vg "malformed results for documents" 1 certificates bad-results.json -o never.pdf
if [ -c /dev/full ]; then
	vg "results to a full disk" 2 score "$R" "$E/dossiers.json" -o /dev/full
	vg "booklet to a full disk" 2 booklet results.json -o /dev/full
fi
vg "rule error" 1 rule '{"/":[1,0]}'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
