#!/usr/bin/env bash
# Scoring benchmark (issue 5): generates national-size campaigns with
# bench/gen_campaign.py, then measures `palmares score` to CSV and to JSON with
# hyperfine (wall time) and /usr/bin/time -v (peak RSS, user and system time).
#
#   bench/score.sh                     # 3,500 and 35,000 dossiers
#   TOWNS="3500 35000 90000" bench/score.sh
#   PALMARES=build-rel/cli/palmares RUNS=5 bench/score.sh
#
# Build a release binary first (the default):
#   meson setup build-rel --buildtype=release -Dtests=disabled && ninja -C build-rel
set -euo pipefail
cd "$(dirname "$0")/.."
PALMARES=${PALMARES:-build-rel/cli/palmares}
TOWNS=${TOWNS:-"3500 35000"}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/palmares-bench}
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x "$PALMARES" ] || { echo "bench: no $PALMARES: build it first (see the header of this script)" >&2; exit 2; }
mkdir -p "$WORK"
: >"$WORK/medians"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-5s %9s %9s %9s %9s %9s %8s\n' towns fmt "min s" "median s" "user s" "sys s" "peak MB" "in MB"
for n in $TOWNS; do
	dir="$WORK/c$n"
	[ -f "$dir/marks.csv" ] || python3 bench/gen_campaign.py --towns "$n" --criteria 150 --jury 20 \
		--marks-per-dossier 3 --jurors 60 --out "$dir" >/dev/null
	in_mb=$(du -cm "$dir/dossiers.csv" "$dir/marks.csv" | awk '/total/ {print $1}')
	for fmt in csv json; do
		args=(score "$dir/rubric.json" "$dir/dossiers.csv" --marks "$dir/marks.csv" --format "$fmt" -o "$WORK/out.$fmt")
		hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/h.json" -i \
			"$PALMARES ${args[*]} 2>/dev/null" >/dev/null 2>&1
		read -r wmin wall < <(python3 -c "import json;r=json.load(open('$WORK/h.json'))['results'][0];print('%.2f %.2f'%(r['min'],r['median']))")
		echo "$n $fmt $wall" >>"$WORK/medians"
		/usr/bin/time -v "$PALMARES" "${args[@]}" 2>"$WORK/time.txt" >/dev/null || true
		user=$(awk -F': ' '/User time/ {print $2}' "$WORK/time.txt")
		sys=$(awk -F': ' '/System time/ {print $2}' "$WORK/time.txt")
		rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$WORK/time.txt")
		printf '%-8s %-5s %9s %9s %9s %9s %9s %8s\n' "$n" "$fmt" "$wmin" "$wall" "$user" "$sys" "$rss" "$in_mb"
	done
done
# Scaling: time at 35,000 dossiers over time at 3,500 (target: at most 11x).
awk '{t[$1" "$2]=$3} END {split("csv json", F, " ");
	for (i = 1; i <= 2; i++) if (t["3500 " F[i]] && t["35000 " F[i]])
		printf "scaling 3,500 -> 35,000 (%s): %.1fx median wall\n", F[i], t["35000 " F[i]] / t["3500 " F[i]]}' "$WORK/medians"
