#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz/ (tests/fuzz/README.md).
#   scripts/fuzz.sh [SECONDS_EACH] [TARGET...]      default: 20 s, every target
# Builds BUILD (default build-fuzz) with clang, -Dfuzz=true and ASan+UBSan if
# needed. Each target starts from its seed corpus (tests/fuzz/corpus/<target>/
# and regressions/<target>/) and grows a working corpus in
# BUILD/fuzz-work/<target>/, kept between runs. A crash, leak or timeout
# leaves its input in BUILD/fuzz-work/artifacts/ and fails the script; copy
# it to tests/fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(rubric dossier_csv dossier_json dossier_text marks rule results multipart towns_csv evidence)
build=${BUILD:-build-fuzz}

if ! command -v clang >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null |
	grep -q 'install ok installed'; then
	EXTRA_PKGS="clang libclang-rt-14-dev" ./scripts/deps.sh
fi
[ -d "$build" ] || CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined \
	-Db_lundef=false >/dev/null
# A build folder made before a target was added does not know it yet: set it up again once.
if ! meson compile -C "$build" $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null 2>&1; then
	meson setup --reconfigure "$build" >/dev/null
	meson compile -C "$build" $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$build/fuzz-work
mkdir -p "$work/artifacts"
status=0
for t in "${targets[@]}"; do
	dict=tests/fuzz/json.dict
	case $t in dossier_csv|marks) dict=tests/fuzz/csv.dict ;; esac
	seeds=(tests/fuzz/corpus/"$t")
	[ -d tests/fuzz/regressions/"$t" ] && seeds+=(tests/fuzz/regressions/"$t")
	mkdir -p "$work/$t"
	log=$work/$t.log
	if "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
		-max_len=65536 -dict="$dict" -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/$t-" "$work/$t" "${seeds[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "fuzz $t: ${secs}s, ${runs:-?} runs, corpus $(ls "$work/$t" | wc -l) files: ok"
	else
		echo "fuzz $t: FAILED, see $log; input in $work/artifacts/" >&2
		grep -E 'ERROR|invariant|SUMMARY' "$log" | head -5 >&2 || true
		status=1
	fi
done
exit $status
