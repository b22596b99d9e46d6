#!/bin/sh
# Command-line tests of `palmares rule` (SPEC.md §7): stdout, stderr and the
# exit status of each case. Usage: rule.sh PATH/TO/palmares
set -u
exe=${1:?usage: rule.sh PATH/TO/palmares}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
failures=0

# check NAME STATUS STDOUT STDERR -- ARGS...: STDERR is matched as a prefix ("" = empty).
check() {
	name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 5
	"$exe" rule "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	ok=1
	[ "$status" -eq "$want_status" ] || ok=0
	[ "$out" = "$want_out" ] || ok=0
	case $err in
	"$want_err"*) [ -n "$want_err" ] || [ -z "$err" ] || ok=0 ;;
	*) ok=0 ;;
	esac
	if [ $ok -eq 0 ]; then
		failures=$((failures + 1))
		printf 'FAIL %s\n  status %s (want %s)\n  stdout [%s] (want [%s])\n  stderr [%s] (want [%s...])\n' \
			"$name" "$status" "$want_status" "$out" "$want_out" "$err" "$want_err"
	else
		printf 'ok   %s\n' "$name"
	fi
}

check "integer sum" 0 '2' '' -- '{"+":[1,1]}'
check "real division" 0 '0.5' '' -- '{"/":[1,2]}'
check "data" 0 'true' '' -- '{">=":[{"var":"town.population"},3500]}' '{"town":{"population":4200}}'
check "no data is null" 0 'null' '' -- '{"var":"a"}'
check "compact one line" 0 '[1,{"a":[2,3]}]' '' -- '[1,{"var":"x"}]' '{"x":{"a":[2,3]}}'
check "scalar rule" 0 '-5' '' -- '-5'
check "unicode" 0 '"éll"' '' -- '{"substr":["héllo",1,3]}'

printf '{"and": [{"var": "a"},\n  {"missing": ["b"]}]}\n' >"$tmp/rule.json"
printf '{"a": 1}\n' >"$tmp/data.json"
check "@file rule and data" 0 '["b"]' '' -- "@$tmp/rule.json" "@$tmp/data.json"
check "@file rule, text data" 0 '[]' '' -- "@$tmp/rule.json" '{"a":1,"b":2}'

check "malformed rule" 1 '' "palmares: error: rule: line 1, column 7: ']' expected near end of file" -- '{"+":[1'
check "malformed data" 1 '' "palmares: error: rule: line 1, column 2: string or '}' expected near 'x'" -- '{"var":"a"}' '{x'
printf '{"+": [1,\n  2,,]}\n' >"$tmp/bad.json"
check "malformed @file" 1 '' "$tmp/bad.json:2:5: error: unexpected token near ','" -- "@$tmp/bad.json"
check "duplicate key" 1 '' 'palmares: error: rule: line 1, column ' -- '{"var":"a","var":"b"}'

check "division by zero" 1 '' 'palmares: error: rule: "/": division by zero' -- '{"/":[1,0]}'
check "not a number" 1 '' 'palmares: error: rule: "+": expected a number as first argument, found "abc"' -- '{"+":["abc"]}'
check "unknown operator" 1 '' 'palmares: error: rule: at /and/1: unknown operator "=>"' -- '{"and":[true,{"=>":[1,2]}]}'

check "missing file" 2 '' "palmares: error: rule: cannot read $tmp/nope.json: " -- "@$tmp/nope.json"
check "missing data file" 2 '' "palmares: error: rule: cannot read $tmp/nope.json: " -- '1' "@$tmp/nope.json"
check "malformed rule, missing data file: the file is said first" 2 '' "palmares: error: rule: cannot read $tmp/nope.json: " -- '[1,' "@$tmp/nope.json"
check "directory" 2 '' "palmares: error: rule: cannot read $tmp: " -- "@$tmp"
check "no argument" 2 '' 'palmares: error: rule needs a rule (JSON text, or @FILE)' --
check "too many arguments" 2 '' 'palmares: error: rule: unexpected argument "3"' -- 1 2 3
check "unknown option" 2 '' 'palmares: error: rule: unknown option "--frob"' -- --frob 1
check "bare @" 2 '' 'palmares: error: rule: a file name must follow @' -- @

"$exe" rule --help >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 0 ] || ! grep -q '^usage: palmares rule RULE \[DATA\]' "$tmp/out" || [ -s "$tmp/err" ]; then
	failures=$((failures + 1))
	echo "FAIL --help"
else
	echo "ok   --help"
fi

printf '{"*":[{"var":"n"},3]}' | "$exe" rule @- '{"n":2}' >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 0 ] || [ "$(cat "$tmp/out")" != 6 ]; then
	failures=$((failures + 1))
	echo "FAIL @- reads standard input"
else
	echo "ok   @- reads standard input"
fi

if [ $failures -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
