#!/usr/bin/env bash
# crosscheck.sh BUILD_DIR — the C engine against the independent Python reference.
#
# Generates a few small synthetic campaigns with different seeds and options (JSON Lines
# dossiers; redistribute and exclude categories, n/a answers, required evidence, pending and
# invalid dossiers, rank ties, calibrated and raw juries, every aggregate), scores each with
#   tests/reference/palmares_ref.py                        (the reference)
#   BUILD_DIR/cli/palmares score … --format json          (the engine)
# and compares the two with tests/reference/compare.py.  Prints one line per campaign and
# "N passed, M failed"; exits 0 only if every campaign agrees.  A failing campaign's files are
# kept (their directory is printed).  KEEP=1 keeps every campaign.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
bin="$1/cli/palmares"
py=${PYTHON:-python3}
if [ ! -x "$bin" ]; then
	echo "crosscheck: palmares binary not found: $bin (build it first)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/palmares-crosscheck.XXXXXX")
keep=${KEEP:-0}

# name | generator options
campaigns=(
	"mean|--small --seed 11"
	"median-invalid|--small --seed 12 --aggregate median --invalid 0.12"
	"trimmed-calibrated|--small --seed 13 --aggregate trimmed-mean --marks-per-dossier 4 --calibrate z --invalid 0.05 --pending 0.1"
	"ties|--seed 14 --towns 60 --criteria 12 --jury 2 --jurors 5 --marks-per-dossier 2 --twins 0.25"
	"larger|--seed 15 --towns 150 --criteria 60 --jury 8 --jurors 14 --calibrate z --invalid 0.04 --twins 0.08"
)

passed=0
failed=0
for entry in "${campaigns[@]}"; do
	name=${entry%%|*}
	opts=${entry#*|}
	dir="$work/$name"
	# shellcheck disable=SC2086 # options are split on purpose
	if ! "$py" "$root/bench/gen_campaign.py" --json --out "$dir" $opts >"$dir.gen.log" 2>&1; then
		echo "FAIL $name: generator failed (see $dir.gen.log)"
		failed=$((failed + 1)); keep=1
		continue
	fi
	"$py" "$here/palmares_ref.py" "$dir/rubric.json" "$dir/dossiers.jsonl" \
		--marks "$dir/marks.csv" >"$dir/expected.json" 2>"$dir/expected.err"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL $name: reference exited $rc (see $dir/expected.err)"
		failed=$((failed + 1)); keep=1
		continue
	fi
	"$bin" score "$dir/rubric.json" "$dir/dossiers.jsonl" --marks "$dir/marks.csv" \
		--format json >"$dir/actual.json" 2>"$dir/actual.err"
	rc=$?
	if [ $rc -gt 1 ] || [ ! -s "$dir/actual.json" ]; then
		echo "FAIL $name: palmares score exited $rc with no results (see $dir/actual.err):"
		head -n 5 "$dir/actual.err" | sed 's/^/    /'
		failed=$((failed + 1)); keep=1
		continue
	fi
	if "$py" "$here/compare.py" "$dir/expected.json" "$dir/actual.json" >"$dir/compare.txt" 2>&1; then
		echo "ok   $name: $(tail -n 1 "$dir/compare.txt")"
		passed=$((passed + 1))
	else
		echo "FAIL $name: $(tail -n 1 "$dir/compare.txt")"
		head -n 20 "$dir/compare.txt" | sed 's/^/    /'
		failed=$((failed + 1)); keep=1
	fi
done

# The campaigns must exercise what they claim to: otherwise agreement proves little.
if ! "$py" - "$work" <<'EOF'
import glob, json, os, sys
seen = {"pending": 0, "invalid": 0, "tie": 0, "calibrated": 0, "not applicable": 0,
        "n/a": 0, "evidence note": 0, "exclude": 0, "level 0": 0, "level 5": 0}
for path in glob.glob(os.path.join(sys.argv[1], "*", "expected.json")):
    r = json.load(open(path, encoding="utf-8"))
    rub = json.load(open(os.path.join(os.path.dirname(path), "rubric.json"), encoding="utf-8"))
    seen["exclude"] += sum(c.get("not_applicable") == "exclude" for c in rub["categories"])
    seen["pending"] += r["summary"]["pending"]
    seen["invalid"] += r["summary"]["invalid"]
    seen["level 0"] += r["summary"]["levels"]["0"]
    seen["level 5"] += r["summary"]["levels"]["5"]
    ranks = [t["rank"] for t in r["towns"] if t["rank"] is not None]
    seen["tie"] += len(ranks) - len(set(ranks))
    seen["calibrated"] += sum(j["calibrated"] for j in r.get("jury", {}).get("jurors", []))
    for t in r["towns"]:
        for c in t["criteria"]:
            seen["not applicable"] += not c["applicable"]
            seen["n/a"] += c.get("answer") == "n/a"
            seen["evidence note"] += bool(c.get("notes"))
missing = [k for k, v in seen.items() if v == 0]
if missing:
    print("coverage: no campaign has: " + ", ".join(missing))
    sys.exit(1)
EOF
then
	failed=$((failed + 1)); keep=1
fi

if [ "$keep" = 1 ]; then
	echo "campaign files kept in $work"
else
	rm -rf "$work"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
