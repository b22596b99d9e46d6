#!/bin/sh
# Golden diagnostics tests (jansson's test/suites style). Each folder here is
# one case:
#   cmd              the palmares arguments, one line, file names relative to
#                    the folder (shell quoting allowed: read with eval)
#   expected.status  the exit status
#   expected.stderr  the exact diagnostics (absent: stderr must be empty)
#   expected.stdout  optional: the exact standard output
#   expected.json    optional: selected fields of the JSON on standard output;
#                    objects match when every expected key matches, arrays
#                    element by element with the same length, scalars exactly
#                    (true is not 1)
# and its input files. A case runs in a scratch copy of its folder, so that
# outputs (-o) never land in the source tree, and fails if palmares leaves a
# dot file behind there (a temporary output that was not cleaned up).
#
# Usage: run.sh [--bless] PATH/TO/palmares [CASE...]
#   --bless rewrites expected.stderr and expected.status from the actual run:
#   review the diff before committing it, a golden file is a promise.
set -u
bless=0
if [ "${1:-}" = "--bless" ]; then
	bless=1
	shift
fi
exe=${1:?usage: run.sh [--bless] PATH/TO/palmares [CASE...]}
shift
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
res=$tmp/res
mkdir "$res" || exit 1
passed=0
failed=0
json_cases=

# json_check CASE...: compares $res/CASE.stdout with CASE/expected.json for
# every case at once (Python starts once, not once a case); a difference is
# appended to $res/CASE.why and $res/CASE.diff.
json_check() {
	python3 - "$here" "$res" "$@" <<'EOF'
import json, sys

def same(a, e, path):
    if isinstance(e, dict):
        if not isinstance(a, dict):
            return '%s: expected an object, found %s' % (path, json.dumps(a)[:80])
        for k, v in e.items():
            if k not in a:
                return '%s: missing key "%s"' % (path, k)
            why = same(a[k], v, '%s.%s' % (path, k))
            if why:
                return why
        return None
    if isinstance(e, list):
        if not isinstance(a, list) or len(a) != len(e):
            return '%s: expected %d elements, found %s' % (path, len(e), json.dumps(a)[:200])
        for i, (x, y) in enumerate(zip(a, e)):
            why = same(x, y, '%s[%d]' % (path, i))
            if why:
                return why
        return None
    if type(a) is bool or type(e) is bool or a is None or e is None:
        ok = a is e
    else:
        ok = a == e  # 3 and 3.0 are the same number
    return None if ok else '%s: expected %s, found %s' % (path, json.dumps(e), json.dumps(a)[:200])

here, res = sys.argv[1], sys.argv[2]
for case in sys.argv[3:]:
    try:
        with open('%s/%s.stdout' % (res, case), encoding='utf-8') as f:
            actual = json.load(f)
        with open('%s/%s/expected.json' % (here, case), encoding='utf-8') as f:
            why = same(actual, json.load(f), '$')
    except ValueError as err:
        why = 'stdout is not JSON: %s' % err
    if why:
        with open('%s/%s.why' % (res, case), 'a') as f:
            f.write('JSON differs; ')
        with open('%s/%s.diff' % (res, case), 'a') as f:
            f.write(why + '\n')
EOF
}

# run_case NAME: runs one case; a failure leaves $res/NAME.why and NAME.diff.
run_case() {
	name=$1
	src=$here/$name
	work=$tmp/$name
	rm -rf "$work"
	cp -R "$src" "$work" || return 1
	ls -A "$work" >"$tmp/before"
	cmdline=$(cat "$src/cmd")
	want_status=$(cat "$src/expected.status")
	(
		cd "$work" || exit 125
		eval "set -- $cmdline"
		exec "$exe" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	)
	status=$?
	ls -A "$work" >"$tmp/after"
	rm -rf "$work"
	if [ $bless -eq 1 ]; then
		echo "$status" >"$src/expected.status"
		if [ -s "$tmp/stderr" ]; then
			cp "$tmp/stderr" "$src/expected.stderr"
		else
			rm -f "$src/expected.stderr"
		fi
	fi
	why=
	[ "$status" = "$want_status" ] || why="exit status $status, expected $want_status"
	if [ -f "$src/expected.stderr" ]; then
		diff -u "$src/expected.stderr" "$tmp/stderr" >"$res/$name.diff" || why="${why:+$why; }stderr differs"
	else
		diff -u /dev/null "$tmp/stderr" >"$res/$name.diff" || why="${why:+$why; }stderr not empty"
	fi
	if [ -f "$src/expected.stdout" ]; then
		diff -u "$src/expected.stdout" "$tmp/stdout" >>"$res/$name.diff" || why="${why:+$why; }stdout differs"
	fi
	if [ -f "$src/expected.json" ]; then
		cp "$tmp/stdout" "$res/$name.stdout"
		json_cases="$json_cases $name"
	fi
	stray=$(diff "$tmp/before" "$tmp/after" | sed -n 's/^> \(\..*\)/\1/p')
	[ -z "$stray" ] || why="${why:+$why; }left behind: $stray"
	[ -z "$why" ] || printf '%s; ' "$why" >"$res/$name.why"
}

if [ $# -eq 0 ]; then
	for d in "$here"/*/; do
		[ -f "$d/cmd" ] && set -- "$@" "$(basename "$d")"
	done
fi
for name in "$@"; do
	run_case "$name"
done
# Case names have no spaces: word splitting is wanted here.
[ -z "$json_cases" ] || json_check $json_cases
for name in "$@"; do
	if [ -f "$res/$name.why" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: %s\n' "$name" "$(sed 's/; $//' "$res/$name.why")"
		sed 's/^/     /' "$res/$name.diff"
	else
		passed=$((passed + 1))
		printf 'ok   %s\n' "$name"
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
