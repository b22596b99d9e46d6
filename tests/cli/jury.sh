#!/bin/sh
# Command-line test of the jury workflow (SPEC.md §9) on the sample campaign:
# assign → sheets → sheets filled by a script → progress → score with the
# filled sheets and the assignments → a ranked result; then a mark by an
# unassigned juror (an error in check, score and progress), an impossible
# assignment (exit 1, nothing written) and sensitivity (same seed, same
# result). Independent checks are done in Python with the csv module.
# Usage: jury.sh PATH/TO/palmares SOURCE_ROOT
set -u
exe=${1:?usage: jury.sh PATH/TO/palmares SOURCE_ROOT}
root=${2:?usage: jury.sh PATH/TO/palmares SOURCE_ROOT}
case $exe in /*) ;; *) exe=$(pwd)/$exe ;; esac
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
failures=0
R=criteria/villes-internet-2027.json
D="examples/dossiers-excel.csv examples/dossiers-google.csv examples/dossiers-libreoffice.csv examples/dossiers.json"

# expect NAME STATUS -- ARGS...: runs palmares, keeps stdout/stderr in $tmp/out, $tmp/err.
expect() {
	name=$1 want=$2
	shift 3
	"$exe" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	if [ "$got" -eq "$want" ]; then
		printf 'ok   %s\n' "$name"
	else
		failures=$((failures + 1))
		printf 'FAIL %s: exit %s (want %s)\n' "$name" "$got" "$want"
		grep -v ': warning: ' "$tmp/err" | head -20 | sed 's/^/  | /'
	fi
}

# check NAME COMMAND...: a shell or Python check that must succeed.
check() {
	name=$1
	shift
	if "$@" >"$tmp/check" 2>&1; then
		printf 'ok   %s\n' "$name"
	else
		failures=$((failures + 1))
		printf 'FAIL %s\n' "$name"
		head -20 "$tmp/check" | sed 's/^/  | /'
	fi
}

py() {
	python3 - "$tmp" "$@"
}

# Python helpers shared by the checks: the campaign's towns with their regions, the jurors.
cat >"$tmp/campaign.py" <<'EOF'
import csv, json, unicodedata

def fold(s):
    s = unicodedata.normalize("NFKD", (s or "").strip().lower())
    return "".join(c for c in s if not unicodedata.combining(c))

def towns():
    out = {}
    for path, enc, sep in (("examples/dossiers-excel.csv", "cp1252", ";"),
                           ("examples/dossiers-google.csv", "utf-8", ","),
                           ("examples/dossiers-libreoffice.csv", "utf-8", ",")):
        with open(path, encoding=enc, newline="") as f:
            for row in csv.DictReader(f, delimiter=sep):
                out[row["town_id"]] = fold(row.get("region"))
    for d in json.load(open("examples/dossiers.json", encoding="utf-8")):
        out[d["town"]["id"]] = fold(d["town"].get("region"))
    return out

def jurors():
    with open("examples/jurors.csv", encoding="utf-8", newline="") as f:
        return {r["juror"]: {"town": r["town_id"], "region": fold(r["region"]),
                             "conflicts": [c.strip() for c in r["conflicts"].split("|") if c.strip()]}
                for r in csv.DictReader(f)}

def pairs(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["juror"], r["town_id"]) for r in csv.DictReader(f)]
EOF

# ---- assign ----
expect "assign" 0 -- assign $R $D --jurors examples/jurors.csv --per-dossier 2 \
	--avoid-same-region --seed 7 -o "$tmp/assignments.csv"
check "assign: summary on stderr" grep -q "30 dossiers × 2 jurors, 6 jurors with 10 to 10" "$tmp/err"
check "assign: every constraint holds, loads even" py <<'EOF'
import sys, collections
sys.path.insert(0, sys.argv[1]); from campaign import *
t, j, p = towns(), jurors(), pairs(sys.argv[1] + "/assignments.csv")
assert len(t) == 30 and len(p) == 60, (len(t), len(p))
per = collections.defaultdict(list)
for juror, town in p:
    per[town].append(juror)
    J = j[juror]
    assert J["town"] != town, ("own town", juror, town)
    assert town not in J["conflicts"], ("conflict", juror, town)
    assert not (J["region"] and J["region"] == t[town]), ("same region", juror, town)
assert set(per) == set(t)
assert all(len(v) == 2 and len(set(v)) == 2 and v == sorted(v) for v in per.values())
loads = collections.Counter(juror for juror, _ in p)
assert max(loads.values()) - min(loads.values()) <= 1 and len(loads) == 6, loads
EOF
expect "assign: stdout, same seed" 0 -- assign $R $D --jurors examples/jurors.csv --per-dossier 2 \
	--avoid-same-region --seed 7
check "assign: same inputs and seed, same assignment" cmp "$tmp/out" "$tmp/assignments.csv"

# ---- sheets ----
expect "sheets" 0 -- sheets $R $D --assignments "$tmp/assignments.csv" -o "$tmp/sheets/"
check "sheets: one file per juror, rows = assigned dossiers × applicable jury criteria" py <<'EOF'
import sys, csv, os
sys.path.insert(0, sys.argv[1]); from campaign import *
d = sys.argv[1] + "/sheets"
p = set(pairs(sys.argv[1] + "/assignments.csv"))
assert sorted(os.listdir(d)) == sorted(j + ".csv" for j in jurors()), os.listdir(d)
seen = set()
for name in os.listdir(d):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["juror", "town_id", "town_name", "criterion", "title", "scale", "mark",
                       "comment"], rows[0]
    for r in rows[1:]:
        assert r[0] + ".csv" == name and (r[0], r[1]) in p, r
        assert r[6] == "" and r[7] == "" and r[5].startswith("[0, "), r
        seen.add((r[0], r[1]))
assert seen == p
EOF

# ---- progress before any mark ----
expect "progress: nothing marked" 0 -- progress $R $D --assignments "$tmp/assignments.csv"
check "progress: 30 pending" grep -q "30 dossiers to mark, 0 complete, 30 pending" "$tmp/out"

# ---- the jurors fill their sheets (all but j-nguyen for now) ----
cat >"$tmp/fill.py" <<'EOF'
import csv, sys, zlib
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for r in rows[1:]:
        top = float(r[head.index("scale")].strip("[]").split(",")[1])
        h = zlib.crc32("|".join(r[:4]).encode()) % 11
        r[head.index("mark")] = str(round(top * h / 10, 1)).replace(".", ",")  # decimal comma
        r[head.index("comment")] = "vu ; « bien », \"net\""
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
EOF
for f in "$tmp"/sheets/*.csv; do
	case $f in */j-nguyen.csv) ;; *) python3 "$tmp/fill.py" "$f" ;; esac
done
expect "progress: one juror late" 0 -- progress $R $D --assignments "$tmp/assignments.csv" \
	--marks "$tmp/sheets" --format json
check "progress: j-nguyen's 10 dossiers pending" py <<'EOF'
import sys, json
p = json.load(open(sys.argv[1] + "/out"))
assert p["summary"] == {"dossiers": 30, "complete": 20, "pending": 10, "jurors": 6}, p["summary"]
for j in p["jurors"]:
    assert (j["assigned"], j["complete"], j["missing"]) == ((10, 0, 10) if j["id"] == "j-nguyen" else (10, 10, 0)), j
for t in p["towns"]:
    if t["status"] == "pending":
        assert t["unmarked_by"] == ["j-nguyen"], t
        assert all(c["lacking"] == 1 and c["unmarked_by"] == ["j-nguyen"] for c in t["criteria"]), t
EOF
python3 "$tmp/fill.py" "$tmp/sheets/j-nguyen.csv"

# ---- score with the filled sheets ----
expect "score: filled sheets and assignments" 0 -- score $R $D --marks "$tmp/sheets" \
	--assignments "$tmp/assignments.csv" -o "$tmp/results.json"
check "score: 30 scored, ranked" py <<'EOF'
import sys, json
r = json.load(open(sys.argv[1] + "/results.json"))
t = r["towns"]
assert r["summary"]["scored"] == 30 and len(t) == 30, r["summary"]
assert all(x["status"] == "scored" and isinstance(x["rank"], int) for x in t)
ranked = sorted(t, key=lambda x: x["rank"])
assert ranked[0]["rank"] == 1
assert all(a["score"]["percent"] >= b["score"]["percent"] for a, b in zip(ranked, ranked[1:]))
marks = sum(len(c.get("marks") or []) for x in t for c in x["criteria"])
assert marks > 200, marks
EOF
# the sheets one by one, as a shell glob would give them
set --
for f in "$tmp"/sheets/*.csv; do set -- "$@" --marks "$f"; done
expect "score: one --marks per sheet" 0 -- score $R $D "$@" --assignments "$tmp/assignments.csv" \
	-o "$tmp/results2.json"
check "score: same results either way" cmp "$tmp/results.json" "$tmp/results2.json"
expect "progress: complete" 0 -- progress $R $D --assignments "$tmp/assignments.csv" \
	--marks "$tmp/sheets"
check "progress: 30 complete" grep -q "30 dossiers to mark, 30 complete, 0 pending" "$tmp/out"

# ---- a mark by a juror not assigned to that dossier ----
py <<'EOF'
import sys, csv
sys.path.insert(0, sys.argv[1]); from campaign import *
p = set(pairs(sys.argv[1] + "/assignments.csv"))
juror, town = next((j, t) for t in sorted(towns()) for j in sorted(jurors()) if (j, t) not in p)
with open(sys.argv[1] + "/stray.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows([["juror", "town_id", "criterion", "mark"],
                             [juror, town, "innovation-democratique", "3"]])
EOF
for cmd in check score progress; do
	expect "$cmd: unassigned juror's mark is an error" 1 -- $cmd $R $D --marks "$tmp/sheets" \
		--marks "$tmp/stray.csv" --assignments "$tmp/assignments.csv"
	check "$cmd: says why" grep -q "stray.csv:2: error: juror .* is not assigned to town" "$tmp/err"
done
expect "score: without --assignments the same mark is accepted" 0 -- score $R $D \
	--marks "$tmp/sheets" --marks "$tmp/stray.csv" -o "$tmp/results3.json"

# ---- --marks DIR: its marks files in name order, read ahead with the others ----
mkdir -p "$tmp/emptymarks" "$tmp/dirmarks"
expect "score: an empty marks directory is a warning" 0 -- score $R $D --marks "$tmp/emptymarks" \
	-o "$tmp/results-empty.json"
check "score: empty marks directory: says so" grep -q "emptymarks: warning: no marks file (.csv, .tsv, .json) here" "$tmp/err"
printf 'juror,town_id,criterion,mark\nj-x,00000,innovation-democratique,3\n' >"$tmp/dirmarks/b.csv"
printf '[{"juror":"j-y","town_id":"00001","criterion":"innovation-democratique","mark":2}]\n' \
	>"$tmp/dirmarks/a.json"
echo "not marks" >"$tmp/dirmarks/notes.txt"
printf 'juror,town_id,criterion,mark\nj-z,00002,innovation-democratique,1\n' >"$tmp/after.csv"
expect "score: marks directory and file, unknown towns" 1 -- score $R $D --marks "$tmp/dirmarks" \
	--marks "$tmp/after.csv" -o "$tmp/results-dir.json"
check "score: marks directory: messages in file order, .txt skipped" py "$tmp/err" <<'EOF2'
import sys, re
lines = [l for l in open(sys.argv[2], encoding="utf-8") if "unknown town" in l]
names = [re.search(r"/([a-z.]+):", l).group(1) for l in lines]
sys.exit(0 if names == ["a.json", "b.csv", "after.csv"] else "order: %r" % names)
EOF2

# ---- an impossible assignment ----
echo keep >"$tmp/impossible.csv"
expect "assign: impossible" 1 -- assign $R $D --jurors examples/jurors.csv --per-dossier 6 \
	--avoid-same-region -o "$tmp/impossible.csv"
check "assign: impossible: previous output untouched" grep -qx keep "$tmp/impossible.csv"
check "assign: impossible: every such dossier named" py <<'EOF'
import sys, re
sys.path.insert(0, sys.argv[1]); from campaign import *
t, j = towns(), jurors()
short = {town for town, reg in t.items()
         if sum(1 for J in j.values() if J["town"] != town and town not in J["conflicts"]
                and not (J["region"] and J["region"] == reg)) < 6}
err = open(sys.argv[1] + "/err", encoding="utf-8").read()
named = set(re.findall(r"error: town (\S+) \".*\": only \d+ eligible jurors? for 6", err))
assert named == short and short, (sorted(named), sorted(short))
assert "nothing written" in err
EOF
check "assign: impossible: no stray temporary file" sh -c "! ls -A '$tmp' | grep -q '^\.'"
expect "assign: --per-dossier missing" 2 -- assign $R $D --jurors examples/jurors.csv
expect "assign: --per-dossier 0" 2 -- assign $R $D --jurors examples/jurors.csv --per-dossier 0
expect "assign: unreadable jurors" 2 -- assign $R $D --jurors "$tmp/none.csv" --per-dossier 2

# ---- sensitivity ----
expect "sensitivity" 0 -- sensitivity $R $D --marks examples/marks.csv --samples 300 --seed 5 \
	--format json -o "$tmp/s1.json"
expect "sensitivity: again" 0 -- sensitivity $R $D --marks examples/marks.csv --samples 300 --seed 5 \
	-o "$tmp/s2.json"
check "sensitivity: same seed, same result" cmp "$tmp/s1.json" "$tmp/s2.json"
expect "sensitivity: spread 0" 0 -- sensitivity $R $D --marks examples/marks.csv --spread 0 \
	--samples 50 --format json
check "sensitivity: fragile first; spread 0 keeps every level" py <<'EOF'
import sys, json
s = json.load(open(sys.argv[1] + "/s1.json"))
st = [t["stability"] for t in s["towns"]]
assert len(st) == 30 and st == sorted(st) and st[0] < 0.9 and st[-1] == 1, st
assert all(t["fragile"] == (t["stability"] < 0.9) for t in s["towns"])
assert any(b["id"] == "21231" and "below-next" in b["why"] for b in s["borderline"])
z = json.load(open(sys.argv[1] + "/out"))
assert all(t["stability"] == 1 for t in z["towns"]) and z["fragile"] == 0
EOF
expect "sensitivity: --spread out of range" 2 -- sensitivity $R $D --spread 2

if [ "$failures" -ne 0 ]; then
	printf '%s failure(s)\n' "$failures"
	exit 1
fi
