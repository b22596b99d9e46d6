# Shared by the command-line test scripts (score.sh, commandline.sh): sourced
# with $exe set to the palmares binary. Makes a scratch directory, enters it,
# and defines ok, fail, run and expect; the script prints
# "N passed, M failed" from $passed and $failed at its end.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	[ -s err ] && sed 's/^/     stderr: /' err | head -n 8
	return 0
}

# run ARGS...: runs palmares, stdout in ./out, stderr in ./err, status in $status.
run() {
	"$exe" "$@" >out 2>err </dev/null
	status=$?
}

# expect NAME STATUS [STDERR-SUBSTRING]: checks the last run.
expect() {
	if [ "$status" -ne "$2" ]; then
		fail "$1" "exit status $status, expected $2"
	elif [ $# -ge 3 ] && ! grep -qF -- "$3" err; then
		fail "$1" "stderr lacks \"$3\""
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' err; then
		fail "$1" "sanitizer report"
	else
		ok "$1"
	fi
}
