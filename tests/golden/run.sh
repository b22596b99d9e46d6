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
passed=0
failed=0

# json_subset ACTUAL EXPECTED: prints the first difference, exits 1 on one.
json_subset() {
	python3 - "$1" "$2" <<'EOF'
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

try:
    with open(sys.argv[1], encoding='utf-8') as f:
        actual = json.load(f)
except ValueError as err:
    print('stdout is not JSON: %s' % err)
    sys.exit(1)
with open(sys.argv[2], encoding='utf-8') as f:
    expected = json.load(f)
why = same(actual, expected, '$')
if why:
    print(why)
    sys.exit(1)
EOF
}

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
		diff -u "$src/expected.stderr" "$tmp/stderr" >"$tmp/diff" || why="${why:+$why; }stderr differs"
	else
		diff -u /dev/null "$tmp/stderr" >"$tmp/diff" || why="${why:+$why; }stderr not empty"
	fi
	if [ -f "$src/expected.stdout" ]; then
		diff -u "$src/expected.stdout" "$tmp/stdout" >>"$tmp/diff" || why="${why:+$why; }stdout differs"
	fi
	if [ -f "$src/expected.json" ]; then
		json_subset "$tmp/stdout" "$src/expected.json" >>"$tmp/diff" || why="${why:+$why; }JSON differs"
	fi
	stray=$(diff "$tmp/before" "$tmp/after" | sed -n 's/^> \(\..*\)/\1/p')
	[ -z "$stray" ] || why="${why:+$why; }left behind: $stray"
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: %s\n' "$name" "$why"
		sed 's/^/     /' "$tmp/diff"
	else
		passed=$((passed + 1))
		printf 'ok   %s\n' "$name"
	fi
}

if [ $# -eq 0 ]; then
	for d in "$here"/*/; do
		[ -f "$d/cmd" ] && set -- "$@" "$(basename "$d")"
	done
fi
for name in "$@"; do
	run_case "$name"
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
