#!/bin/sh
# Limits (issue 6, point 5; docs/limits.md): each cap gives its error, naming
# the variable that raises it, with the exit status SPEC §7 gives; raising the
# variable lets the same input through; an invalid value is a usage error
# before anything is read. Fixed limits (JSON and rule nesting) are checked
# too. Inputs are tiny: the limits are lowered instead of the files grown.
# Usage: limits.sh PATH/TO/palmares. Prints "N passed, M failed".
set -u
exe=${1:?usage: limits.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0

# check NAME STATUS STDERR-SUBSTRING -- [VAR=VALUE...] ARGS...
# Runs palmares with the given environment; checks the status, the message,
# that nothing crashed, and that a run with status 2 wrote no out.json.
check() {
	name=$1 want=$2 msg=$3
	shift 4
	rm -f out.json
	env "$@" >out 2>err </dev/null
	status=$?
	if [ "$status" -ge 128 ] || grep -qE 'Sanitizer|runtime error:' err; then
		why="crashed (status $status)"
	elif [ "$status" -ne "$want" ]; then
		why="exit status $status, expected $want"
	elif [ -n "$msg" ] && ! grep -qF -- "$msg" err; then
		why="stderr lacks \"$msg\""
	elif [ "$status" -eq 2 ] && [ -e out.json ]; then
		why="status 2 but out.json was written"
	else
		passed=$((passed + 1))
		printf 'ok   %s\n' "$name"
		return 0
	fi
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n' "$name" "$why"
	cut -c1-200 err | head -n 5 | sed 's/^/     stderr: /'
}

# The second level's rule walks a 3000-element list for towns above 100 inhabitants.
python3 -c '
import json
loop = {"reduce": [list(range(3000)), {"+": [{"var": "accumulator"}, 1]}, 0]}
print(json.dumps({"format": "palmares-rubric/1", "id": "limits-2027", "edition": 2027,
    "label": "Limits", "jury": {"min_marks": 0},
    "categories": [{"id": "c", "criteria": [
        {"id": "yes", "kind": "yes-no", "points": 1},
        {"id": "note", "kind": "info"},
        {"id": "inno", "kind": "jury", "points": 2, "scale": [0, 5]}]}],
    "levels": [{"name": "@", "min_percent": 0},
               {"name": "@@", "min_percent": 10,
                "requires": {"if": [{">": [{"var": "town.population"}, 100]}, loop, 1]}}]}))' >rubric.json
printf 'town_id,town_name,yes,note\n1,Alpha,oui,short\n2,Beta,non,a note of forty bytes or thereabouts here\n' >d.csv
printf '[{"town": {"id": "3", "name": "Gamma"}, "answers": {"yes": true, "note": "a longer note than fits"}}]\n' >d.json
printf '{"town": {"id": "4", "name": "Delta"}, "answers": {"yes": false}}\n' >d.jsonl
printf 'juror,town_id,criterion,mark\nj1,1,inno,4\n' >m.csv
printf '[{"juror": "j1", "town_id": "1", "criterion": "inno", "mark": 4, "comment": "padding padding"}]\n' >m.json
P=$exe

# Sanity: everything passes with the defaults.
check defaults 0 "" -- "$P" score rubric.json d.csv d.json d.jsonl --marks m.csv -o out.json
[ -s out.json ] && cp out.json prev.json

# PALMARES_MAX_FILE: CSV files (dossiers, marks), not read at all.
check file-csv 2 "file is larger than 40 bytes (limit set by PALMARES_MAX_FILE)" -- \
	PALMARES_MAX_FILE=40 "$P" score rubric.json d.csv -o out.json
check file-marks 2 "limit set by PALMARES_MAX_FILE" -- \
	PALMARES_MAX_FILE=20 "$P" score rubric.json d.json --marks m.csv -o out.json
check file-raised 0 "" -- PALMARES_MAX_FILE=1K "$P" score rubric.json d.csv -o out.json

# PALMARES_MAX_JSON: every JSON input read whole, and JSON Lines.
check json-dossiers 2 "file is larger than the limit of 50 bytes (limit set by PALMARES_MAX_JSON)" -- \
	PALMARES_MAX_JSON=50 "$P" score rubric.json d.csv d.json -o out.json
check json-lines 2 "limit set by PALMARES_MAX_JSON" -- \
	PALMARES_MAX_JSON=50 "$P" score rubric.json d.jsonl -o out.json
check json-marks 2 "limit set by PALMARES_MAX_JSON" -- \
	PALMARES_MAX_JSON=80 "$P" score rubric.json d.csv --marks m.json -o out.json
check json-previous 2 "limit set by PALMARES_MAX_JSON" -- \
	PALMARES_MAX_JSON=100 "$P" score rubric.json d.csv --previous prev.json -o out.json
check json-documents 2 "limit set by PALMARES_MAX_JSON" -- \
	PALMARES_MAX_JSON=100 "$P" certificates prev.json -o out.pdf
[ -e out.pdf ] && { failed=$((failed + 1)); echo "FAIL json-documents: out.pdf written"; }
check json-raised 0 "" -- PALMARES_MAX_JSON=1M "$P" score rubric.json d.json d.jsonl -o out.json

# PALMARES_MAX_FIELD: the row is refused (listed invalid), the others scored.
check field 1 "field 4 is longer than 20 bytes (limit set by PALMARES_MAX_FIELD)" -- \
	PALMARES_MAX_FIELD=20 "$P" score rubric.json d.csv -o out.json
if [ -s out.json ] && python3 - out.json <<'EOF'
import json, sys
towns = {t["id"]: t["status"] for t in json.load(open(sys.argv[1]))["towns"]}
sys.exit(0 if towns == {"1": "scored", "2": "invalid"} else 1)
EOF
then
	passed=$((passed + 1)); echo "ok   field: row 1 scored, row 2 listed invalid"
else
	failed=$((failed + 1)); echo "FAIL field: expected town 1 scored and town 2 invalid"
fi
check field-raised 0 "" -- PALMARES_MAX_FIELD=64 "$P" score rubric.json d.csv -o out.json

# PALMARES_MAX_COLUMNS
check columns 1 "record has more than 3 fields (limit set by PALMARES_MAX_COLUMNS)" -- \
	PALMARES_MAX_COLUMNS=3 "$P" score rubric.json d.csv -o out.json
check columns-raised 0 "" -- PALMARES_MAX_COLUMNS=4 "$P" score rubric.json d.csv -o out.json

# PALMARES_MAX_RULE_STEPS: a level's rule that walks a long list fails for that town only.
printf 'town_id,town_name,population,yes\n1,Small,50,oui\n2,Big,5000,oui\n' >rule.csv
check rule-steps 1 "rule evaluation exceeded 2000 steps (limit set by PALMARES_MAX_RULE_STEPS)" -- \
	PALMARES_MAX_RULE_STEPS=2000 "$P" score rubric.json rule.csv -o out.json
check rule-steps-raised 0 "" -- PALMARES_MAX_RULE_STEPS=100000 "$P" score rubric.json rule.csv -o out.json
check rule-command 1 "exceeded 500 steps (limit set by PALMARES_MAX_RULE_STEPS)" -- \
	PALMARES_MAX_RULE_STEPS=500 "$P" rule '{"reduce":[{"var":"l"},{"+":[{"var":"accumulator"},1]},0]}' \
	"{\"l\": $(python3 -c 'print(list(range(600)))')}"

# Invalid values: a usage error before anything is read.
for bad in "PALMARES_MAX_FIELD=lots" "PALMARES_MAX_FIELD=0" "PALMARES_MAX_FILE=-5" \
	"PALMARES_MAX_JSON=12Q" "PALMARES_MAX_COLUMNS=10K" "PALMARES_MAX_RULE_STEPS=1e9" \
	"PALMARES_MAX_FILE=99999999999999999999T" "PALMARES_MAX_JSON=" \
	"PALMARES_MAX_FIELD=18446744073709551615" "PALMARES_MAX_JSON=2T" "PALMARES_MAX_FILE=16E" \
	"PALMARES_MAX_COLUMNS=20000000"; do
	check "invalid $bad" 2 "${bad%%=*}: expected" -- "$bad" "$P" score rubric.json d.csv -o out.json
done
check "suffixes accepted" 0 "" -- PALMARES_MAX_FILE=4GiB PALMARES_MAX_JSON=2g PALMARES_MAX_FIELD=8MB \
	PALMARES_MAX_COLUMNS=20000 PALMARES_MAX_RULE_STEPS=50000000 "$P" score rubric.json d.csv -o out.json

# Issue 19, item 12: the largest values the code honours are accepted, one more is refused.
check "largest accepted" 0 "" -- PALMARES_MAX_FIELD=1T PALMARES_MAX_JSON=1T \
	PALMARES_MAX_COLUMNS=16777216 "$P" score rubric.json d.csv d.json -o out.json
check "over the largest" 2 "PALMARES_MAX_FIELD: expected a size from 1 to 1T such as 4M or 2G, found \"1099511627777\"" -- \
	PALMARES_MAX_FIELD=1099511627777 "$P" score rubric.json d.csv -o out.json

# Fixed limits: JSON nesting (jansson, 2048: malformed JSON, exit 1) and rule nesting (256).
python3 -c 'print("[" * 3000 + "]" * 3000)' >deep.json
check json-depth 1 "maximum parsing depth" -- "$P" score rubric.json deep.json -o out.json
python3 -c '
import json
r = json.load(open("rubric.json"))
rule = True
for _ in range(300):
    rule = {"!": rule}
r["levels"][1]["requires"] = rule
json.dump(r, open("deep-rule.json", "w"))'
check rule-depth 1 "rule nested too deeply (more than 256 levels)" -- "$P" validate deep-rule.json
check rule-depth-command 1 "rule nested too deeply" -- "$P" rule "$(python3 -c 'print("{\"!\":" * 300 + "1" + "}" * 300)')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
