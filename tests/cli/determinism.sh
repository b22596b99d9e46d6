#!/bin/sh
# Determinism (issue 6, point 7): the same inputs in the same order give
# byte-identical results (JSON, CSV, text), explanations, jury statistics,
# assignments, sensitivity and PDFs (with SOURCE_DATE_EPOCH), whatever the
# locale (LC_ALL, LANG, LC_NUMERIC=fr_FR.UTF-8, where printf writes 0,5), the
# time zone, the number of cores the process may use (taskset), and from one
# run to the next. The French locale is compiled into the scratch directory
# with localedef (LOCPATH) when the system has none; without localedef or its
# sources the locale cases are skipped with a message.
# The library itself, under a French setlocale(), is checked by test_locale.
# Usage: determinism.sh PATH/TO/palmares PATH/TO/test_locale
set -u
exe=${1:?usage: determinism.sh PATH/TO/palmares PATH/TO/test_locale}
locale_test=${2:?usage: determinism.sh PATH/TO/palmares PATH/TO/test_locale}
for v in exe locale_test; do
	eval "p=\$$v"
	case $p in /*) ;; *) eval "$v=\$(pwd)/\$p" ;; esac
done
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0
R=$src/criteria/villes-internet-2027.json
E=$src/examples

ok() {
	passed=$((passed + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
}

# The French locale: the system's, else compiled here.
fr=fr_FR.UTF-8
if ! LC_ALL=$fr locale 2>&1 | grep -q "Cannot set"; then
	:
elif command -v localedef >/dev/null && mkdir -p loc && localedef -i fr_FR -f UTF-8 "loc/$fr" 2>/dev/null; then
	LOCPATH=$tmp/loc
	export LOCPATH
else
	fr=
	echo "skip locale cases: no fr_FR.UTF-8 locale and localedef cannot make one (apt-get install locales)"
fi
if [ -n "$fr" ]; then
	d=$(LC_ALL=$fr /usr/bin/printf '%.1f' 0.5 2>/dev/null)
	[ "$d" = "0,5" ] && ok "the French locale is active (printf writes 0,5)" ||
		fail "French locale" "printf writes $d: the locale cases would prove nothing"
fi

cores=$(nproc 2>/dev/null || echo 1)
# produce DIR [ENV...]: every output of one run of each command, in DIR.
produce() {
	out=$1
	shift
	mkdir -p "$out"
	env SOURCE_DATE_EPOCH=1800000000 "$@" sh -c '
		exe=$1 R=$2 E=$3 out=$4
		"$exe" score "$R" "$E"/dossiers-excel.csv "$E"/dossiers-google.csv "$E"/dossiers-libreoffice.csv \
			"$E"/dossiers.json --marks "$E"/marks.csv --overrides "$E"/overrides.csv -o "$out/results.json"
		for f in csv text; do
			"$exe" score "$R" "$E"/dossiers-excel.csv "$E"/dossiers.json --marks "$E"/marks.csv \
				--overrides "$E"/overrides.csv --format $f >"$out/results.$f"
		done
		"$exe" explain "$R" "$E"/dossiers.json --marks "$E"/marks.csv --town 97411 >"$out/explain.txt"
		"$exe" assign "$R" "$E"/dossiers.json --jurors "$E"/jurors.csv --per-dossier 2 --seed 7 \
			-o "$out/assignments.csv"
		"$exe" sensitivity "$R" "$E"/dossiers.json --marks "$E"/marks.csv --samples 300 --seed 3 \
			--format json >"$out/sensitivity.json"
		"$exe" certificates "$out/results.json" -o "$out/certificates.pdf"
		mkdir "$out/reports"
		"$exe" report "$out/results.json" -o "$out/reports/"
		"$exe" booklet "$out/results.json" -o "$out/booklet.pdf"
	' sh "$exe" "$R" "$E" "$out" 2>"$out.stderr"
}

# messages FILE: the messages of a run without the line each document command ends with
# ("palmares: report: 35 files written to DIR/"), which names the run's own directory and
# is translated under a French locale like the document commands' other messages.
messages() {
	grep -Ev '^palmares ?: (certificates|report|booklet) ?: ' "$1"
}

# same NAME DIR: DIR's outputs are byte-identical to the reference's.
same() {
	messages ref.stderr >ref.messages
	messages "$2.stderr" >"$2.messages"
	if diff -r ref "$2" >diff.out 2>&1 && cmp -s ref.messages "$2.messages"; then
		ok "$1: byte-identical"
	else
		fail "$1" "$(head -c 300 diff.out) $(cmp ref.messages "$2.messages" 2>&1 | head -c 100)
$(diff ref.messages "$2.messages" 2>&1 | head -c 800)"
	fi
}

produce ref LC_ALL=C TZ=UTC
[ -s ref/results.json ] && [ -s ref/results.csv ] && [ -s ref/results.text ] && [ -s ref/explain.txt ] &&
	[ -s ref/assignments.csv ] && [ -s ref/sensitivity.json ] && [ -s ref/certificates.pdf ] &&
	[ -s ref/booklet.pdf ] && [ "$(ls ref/reports | wc -l)" -gt 5 ] ||
	{ echo "the reference run failed:"; head ref.stderr; exit 1; }
grep -q '"percent":' ref/results.json && ok "reference results written" || fail "reference" "no percent"
[ "$(grep -cE '^palmares: (certificates|report|booklet): .* written to ref/' ref.stderr)" -eq 3 ] &&
	ok "each document command says what it wrote" || fail "each document command says what it wrote" \
	"$(grep -E '^palmares: (certificates|report|booklet)' ref.stderr)"

produce again LC_ALL=C TZ=UTC
same "a second run" again
if [ -n "$fr" ]; then
	produce fr-all LC_ALL=$fr TZ=UTC
	same "LC_ALL=$fr" fr-all
	produce fr-lang LANG=$fr LC_ALL= TZ=UTC
	same "LANG=$fr" fr-lang
	produce fr-num LC_NUMERIC=$fr LC_ALL= LANG=C TZ=UTC
	same "LC_NUMERIC=$fr" fr-num
	grep -qE '"percent":[0-9]+,[0-9]' fr-all/results.json && fail "decimal commas" "in results.json" ||
		ok "no decimal comma in results.json under $fr"
	"$locale_test" "$tmp/lib" "$fr" >lib.out 2>&1
	st=$?
	if [ $st -eq 0 ]; then
		ok "library under setlocale($fr): same outputs as under C"
	elif [ $st -eq 77 ]; then
		echo "skip library locale case: $(cat lib.out)"
	else
		fail "library under setlocale($fr)" "$(head -c 400 lib.out)"
	fi
fi
for tz in Pacific/Kiritimati America/St_Johns Asia/Kathmandu; do
	produce "tz-${tz#*/}" LC_ALL=C TZ=$tz
	same "TZ=$tz" "tz-${tz#*/}"
done
# report -o DIR/ renders towns on one thread per core: pinned to one core, the
# threads interleave differently; the files must not change.
if command -v taskset >/dev/null; then
	produce one-core LC_ALL=C TZ=UTC taskset -c 0
	same "one core (taskset -c 0) against $cores" one-core
else
	echo "skip core cases: no taskset"
fi

# Without SOURCE_DATE_EPOCH (issue 13, item 4): a user renders the per-town
# reports twice and compares them. cairo stamped every PDF with the current
# second; the runs below are a second apart, on every core (--jobs 0 is the
# default: one thread per core) and on more threads than towns, so that a
# date, a thread's font setup or the order the towns are rendered in would
# show. Certificates and the booklet print the award date of the day: fixed
# here by the style's "award_date", as docs/documents.md advises.
printf '{"format": "palmares-style/1", "award_date": "2027-06-12"}\n' >dated.json
plain() {
	mkdir -p "$1"
	env -u SOURCE_DATE_EPOCH LC_ALL=C TZ=UTC "$exe" report ref/results.json -o "$1/reports/" $2 &&
		env -u SOURCE_DATE_EPOCH LC_ALL=C TZ=UTC "$exe" certificates ref/results.json \
			--style dated.json -o "$1/certificates.pdf" &&
		env -u SOURCE_DATE_EPOCH LC_ALL=C TZ=UTC "$exe" booklet ref/results.json --style dated.json \
			-o "$1/booklet.pdf"
}
if plain plain-1 "" 2>plain.err && [ "$(ls plain-1/reports | wc -l)" -gt 5 ]; then
	k=2
	for jobs in "" "--jobs 64" "--jobs 1"; do
		sleep 1
		plain "plain-$k" "$jobs" 2>>plain.err
		if diff -r plain-1 "plain-$k" >diff.out 2>&1; then
			ok "without SOURCE_DATE_EPOCH, run $k ${jobs:-on $cores cores}: byte-identical"
		else
			fail "without SOURCE_DATE_EPOCH, run $k ${jobs:-on $cores cores}" "$(head -c 300 diff.out)"
		fi
		k=$((k + 1))
	done
else
	fail "without SOURCE_DATE_EPOCH" "$(head -c 300 plain.err)"
fi

# A town's report is the same file whatever else the run renders, in which order and on how many
# threads: the towns in reverse order on 3 threads, from the middle on 2, and three towns each alone
# in its own process (nothing cached). Every PDF written here and above must embed each font once:
# a font file that got a second cairo font face in a process is embedded twice (/f-3-0 beside
# /f-0-0), which two runs only show when their threads happened to differ (docs/decisions.md,
# "Documents: the same bytes every run").
ids=$(ls plain-1/reports 2>/dev/null | sed -n 's/\.pdf$//p' | grep -v '^no-id')
if [ -n "$ids" ]; then
	rev=$(printf '%s\n' $ids | sed -n '1!G;h;$p')
	n=$(printf '%s\n' $ids | wc -l)
	half=$((n / 2 + 1))
	rot=$(printf '%s\n' $ids | sed -n "$half,\$p"; printf '%s\n' $ids | sed -n "1,$((half - 1))p")
	town_args() { for t in $1; do printf ' --town %s' "$t"; done; }
	order() { # NAME JOBS IDS: renders the towns IDS in that order into order-NAME/
		mkdir -p "order-$1"
		# shellcheck disable=SC2046 # one argument per word
		env -u SOURCE_DATE_EPOCH LC_ALL=C TZ=UTC "$exe" report ref/results.json -o "order-$1/" --jobs "$2" \
			$(town_args "$3") 2>>order.err
	}
	order reverse 3 "$rev"
	order middle 2 "$rot"
	for t in $(printf '%s\n' $ids | sed -n '1p;2p;$p'); do
		order "alone-$t" 1 "$t"
	done
	bad=""
	for d in order-*; do
		for f in "$d"/*.pdf; do
			cmp -s "$f" "plain-1/reports/${f#"$d"/}" || bad="$bad $f"
		done
	done
	count=$(ls order-reverse order-middle | grep -c '\.pdf$')
	if [ -z "$bad" ] && [ "$count" -eq $((2 * n)) ]; then
		ok "each town's report, in reverse order on 3 threads, from the middle on 2, alone: the same bytes"
	else
		fail "each town's report in another order" "$count files for $((2 * n)); differ:$(echo $bad | head -c 300) $(head -c 200 order.err)"
	fi
	if python3 "$src/tests/cli/pdf_fonts.py" plain-*/reports/*.pdf plain-*/*.pdf order-*/*.pdf ref/*.pdf \
		ref/reports/*.pdf >fonts.out 2>&1; then
		ok "no PDF embeds a font twice ($(tail -1 fonts.out | cut -d' ' -f3) files)"
	else
		fail "a PDF embeds a font twice" "$(head -c 400 fonts.out)"
	fi
else
	fail "reports in another order" "no report in plain-1/reports"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
