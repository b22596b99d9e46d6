#!/bin/sh
# I/O faults (issue 6, point 4): inputs that cannot be read (permissions, a
# dangling link, a pipe where a seekable file is needed), inputs that arrive
# in short reads (a pipe fed slowly), outputs that cannot be written (a full
# file system simulated with RLIMIT_FSIZE, a read-only directory, a closed
# stdout, /dev/full for documents) and runs killed with SIGKILL in the middle
# of writing a large results file or PDF. Exit statuses are SPEC §7's: 2 when
# a file cannot be read or written, with nothing written; the previous output
# is always intact and no temporary file is left behind.
# (Missing files, directories as inputs, -o /dev/full for results are in
# hostile.sh and score.sh.)
# Usage: iofault.sh PATH/TO/palmares. Prints "N passed, M failed".
set -u
exe=${1:?usage: iofault.sh PATH/TO/palmares}
case $exe in
/*) ;;
*) exe=$(pwd)/$exe ;;
esac
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
passed=0
failed=0
R=$src/criteria/villes-internet-2027.json
D=$src/examples/dossiers.json
M=$src/examples/marks.csv

ok() {
	passed=$((passed + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
	[ -s err ] && cut -c1-200 err | head -n 4 | sed 's/^/     stderr: /'
	return 0
}

# expect NAME STATUS STDERR-SUBSTRING: checks $status and ./err of the last run.
expect() {
	if [ "$status" -ge 128 ] || grep -qE 'Sanitizer|runtime error:' err; then
		fail "$1" "crashed (status $status)"
	elif [ "$status" -ne "$2" ]; then
		fail "$1" "exit status $status, expected $2"
	elif [ -n "$3" ] && ! grep -qF -- "$3" err; then
		fail "$1" "stderr lacks \"$3\""
	else
		ok "$1"
	fi
}

# only FILE...: the directory holds exactly these files (no temporary file left).
only() {
	left=$(ls -A out | tr '\n' ' ')
	[ "$left" = "$* " ] && ok "$name: no temporary file left" ||
		fail "$name: no temporary file left" "out/ holds: $left"
}

mkdir out
"$exe" score "$R" "$D" --marks "$M" -o out/results.json 2>/dev/null
"$exe" certificates out/results.json -o out/certificates.pdf 2>/dev/null
cp out/results.json previous.json
cp out/certificates.pdf previous.pdf
[ -s previous.json ] && [ -s previous.pdf ] || { echo "cannot make the first outputs"; exit 1; }

# --- inputs -------------------------------------------------------------------
# As an unprivileged user: root reads any file, whatever its mode. That user
# may not be able to reach the checkout (a 0700 home, a clone under mktemp -d):
# the binary (linked only to system libraries) and the inputs are copied into
# a directory of this test that everyone can enter, and a first run checks
# that the user can read them there; if not, the cases are skipped with the
# reason, never failed because of where the project lives.
as_user=
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as_user" ]; then
	echo "skip permission cases: running as root without setpriv"
else
	mkdir pub && cp "$exe" pub/palmares && cp "$R" pub/rubric.json && cp "$D" pub/dossiers.json &&
		chmod -R a+rX pub || { echo "cannot copy palmares and its inputs into $tmp/pub"; exit 1; }
	ux=$tmp/pub/palmares
	uR=$tmp/pub/rubric.json
	if ! $as_user "$ux" validate "$uR" >o 2>err </dev/null; then
		echo "skip permission cases: user $($as_user id -un 2>/dev/null || id -un) cannot run" \
			"palmares from $tmp/pub ($(head -n 1 err))"
	else
		cp "$D" secret.json && chmod 000 secret.json
		$as_user "$ux" score "$uR" secret.json -o denied.json >o 2>err </dev/null
		status=$?
		expect "unreadable dossiers (permissions)" 2 'cannot read "secret.json"'
		[ ! -e denied.json ] && ok "unreadable dossiers: nothing written" || fail "unreadable" "denied.json written"
		cp "$R" secret-rubric.json && chmod 000 secret-rubric.json
		$as_user "$ux" validate secret-rubric.json >o 2>err </dev/null
		status=$?
		expect "unreadable rubric (permissions)" 2 'Permission denied'
		mkdir ro && chmod 555 ro
		$as_user "$ux" score "$uR" "$tmp/pub/dossiers.json" -o ro/results.json >o 2>err </dev/null
		status=$?
		expect "read-only output directory" 2 'cannot write "ro/results.json": Permission denied'
		[ -z "$(ls -A ro)" ] && ok "read-only directory: left empty" || fail "read-only directory" "$(ls -A ro)"
	fi
fi

ln -s vanished.csv gone.csv
"$exe" score "$R" gone.csv "$D" -o out/results.json >o 2>err </dev/null
status=$?
expect "a dossier file that vanished (dangling link)" 2 'cannot read "gone.csv": No such file or directory'
cmp -s out/results.json previous.json && ok "vanished input: previous results intact" ||
	fail "vanished input" "out/results.json changed"

# A CSV file is read twice (encoding, then records): a pipe cannot be. It is refused
# without waiting for its writer, which may then wait for a reader: stopped here.
mkfifo pipe.csv
(printf 'town_id,town_name\n1,A\n' >pipe.csv) &
writer=$!
"$exe" score "$R" pipe.csv -o out/results.json >o 2>err </dev/null
status=$?
kill "$writer" 2>/dev/null
wait
expect "CSV dossiers from a pipe (not seekable)" 2 'cannot read "pipe.csv": not a regular file but a FIFO or pipe'
cmp -s out/results.json previous.json && ok "pipe input: previous results intact" ||
	fail "pipe input" "out/results.json changed"

# JSON and JSON Lines from a pipe fed in small pieces: short reads give the same results.
"$exe" score "$R" "$D" --format csv >direct.csv 2>/dev/null
mkfifo pipe.json
(dd if="$D" bs=700 2>/dev/null | while IFS= read -r line; do printf '%s\n' "$line"; sleep 0.01; done >pipe.json) &
"$exe" score "$R" pipe.json --format csv >piped.csv 2>err </dev/null
status=$?
wait
expect "JSON dossiers from a pipe, in short reads" 0 ""
sed 's/pipe\.json/x/' piped.csv >a.csv
sed "s|$D|x|" direct.csv >b.csv
cmp -s a.csv b.csv && ok "short reads: same results as from the file" || fail "short reads" "results differ"
mkfifo pipe-rubric.json
(head -c 1000 "$R"; sleep 0.2; tail -c +1001 "$R") >pipe-rubric.json &
"$exe" validate pipe-rubric.json >o 2>err </dev/null
status=$?
wait
expect "rubric from a pipe written in two bursts" 0 ""

# Empty inputs reach code paths with nothing to sort (under UBSan, qsort(NULL, 0) is an error).
mkdir no-marks
"$exe" score "$R" "$D" --marks no-marks --format csv >o 2>err </dev/null
status=$?
expect "a marks directory without files" 0 ""
printf 'juror,name\n' >no-jurors.csv
"$exe" assign "$R" "$D" --jurors no-jurors.csv --per-dossier 1 >o 2>err </dev/null
status=$?
expect "a jurors file without jurors" 1 ""
printf 'juror,town_id\n' >no-assignments.csv
"$exe" check "$R" "$D" --assignments no-assignments.csv --marks "$M" >o 2>err </dev/null
status=$?
expect "an assignments file without rows" 1 "is not assigned"

# --- outputs --------------------------------------------------------------------
# A full file system: RLIMIT_FSIZE makes write() fail with EFBIG past 8 KiB
# (SIGXFSZ ignored), on the temporary file of an atomic output.
name="file size limit on results"
(trap '' XFSZ; ulimit -f 16; exec "$exe" score "$R" "$D" -o out/results.json) >o 2>err </dev/null
status=$?
expect "$name" 2 'cannot write "out/results.json": File too large'
cmp -s out/results.json previous.json && ok "$name: previous results intact" ||
	fail "$name" "out/results.json changed"
only certificates.pdf results.json
name="file size limit on a PDF"
(trap '' XFSZ; ulimit -f 16; exec "$exe" certificates previous.json -o out/certificates.pdf) >o 2>err </dev/null
status=$?
expect "$name" 2 'out/certificates.pdf'
cmp -s out/certificates.pdf previous.pdf && ok "$name: previous PDF intact" ||
	fail "$name" "out/certificates.pdf changed"
only certificates.pdf results.json
if [ -c /dev/full ]; then
	"$exe" certificates previous.json -o /dev/full >o 2>err </dev/null
	status=$?
	expect "certificates -o /dev/full" 2 '/dev/full'
	"$exe" report previous.json -o /dev/full >o 2>err </dev/null
	status=$?
	expect "report -o /dev/full" 2 '/dev/full'
	"$exe" explain "$R" "$D" --town 97411 >/dev/full 2>err </dev/null
	status=$?
	expect "explain to a full stdout" 2 'No space left on device'
	"$exe" rule '{"+":[1,2]}' >/dev/full 2>err </dev/null
	status=$?
	expect "rule to a full stdout" 2 'No space left on device'
fi
"$exe" score "$R" "$D" --format csv >&- 2>err </dev/null
status=$?
expect "score to a closed stdout" 2 'cannot write'
"$exe" template "$R" >&- 2>err </dev/null
status=$?
expect "template to a closed stdout" 2 'cannot write'

# --- output directories (issue 19, items 1 to 4) ------------------------------------
# The towns of previous.json that get a certificate, as -o DIR/ names their files.
"$exe" certificates previous.json -o names/ >o 2>err </dev/null
set -- $(cd names && ls)
[ $# -ge 4 ] || { echo "cannot make the per-town files"; exit 1; }
ntowns=$#
first=$1 second=$2 third=$3

# 1. Planted in the directory: a link to a FIFO (the run used to hang on it),
# a link to a file elsewhere (written through), a FIFO. Each is refused with a
# message naming it, left as it was, and the other towns are written.
mkdir planted
mkfifo planted/fifo
ln -s fifo "planted/$first"
echo "not a certificate" >victim.pdf
ln -s ../victim.pdf "planted/$second"
mkfifo "planted/$third"
name="planted link or FIFO in -o DIR/"
timeout 60 "$exe" certificates previous.json -o planted/ >o 2>err </dev/null
status=$?
expect "$name: refused, not written through" 2 "cannot write \"planted/$first\": it is a symbolic link"
grep -qF "cannot write \"planted/$second\": it is a symbolic link" err &&
	grep -qF "cannot write \"planted/$third\": it is a FIFO" err &&
	ok "$name: each refused file named" || fail "$name: each refused file named" "$(head -c 300 err)"
[ -L "planted/$first" ] && [ -L "planted/$second" ] && [ -p "planted/$third" ] && [ -p planted/fifo ] &&
	[ "$(cat victim.pdf)" = "not a certificate" ] && ok "$name: the planted files left as they were" ||
	fail "$name: the planted files left as they were" "$(ls -l planted victim.pdf)"
written=0
for f in names/*; do
	b=$(basename "$f")
	[ -f "planted/$b" ] && [ ! -L "planted/$b" ] && written=$((written + 1))
done
[ $written -eq $((ntowns - 3)) ] && grep -qF "planted/: note: $written of $ntowns files written" err &&
	ok "$name: the other towns written, and counted" ||
	fail "$name: the other towns written" "$written of $((ntowns - 3))"

# The same for sheets -o DIR/: the planted juror's sheet is refused, the others are written.
name="planted link in sheets -o DIR/"
"$exe" assign "$R" "$D" --jurors "$src/examples/jurors.csv" --per-dossier 2 -o plan.csv >o 2>err </dev/null
juror=$(sed -n 2p plan.csv | cut -d, -f1)
mkdir sheets-planted
mkfifo sheets-planted/pipe
ln -s pipe "sheets-planted/$juror.csv"
timeout 60 "$exe" sheets "$R" "$D" --assignments plan.csv -o sheets-planted/ >o 2>err </dev/null
status=$?
expect "$name" 2 "juror $juror: cannot write \"sheets-planted/$juror.csv\": it is a symbolic link"
[ -L "sheets-planted/$juror.csv" ] && [ "$(ls sheets-planted | grep -c '\.csv$')" -gt 2 ] &&
	ok "$name: the other sheets written" || fail "$name: the other sheets written" "$(ls sheets-planted)"

# 2. Rewriting keeps the mode of the file replaced (results may hold personal data).
name="rewriting keeps the mode"
cp previous.json private.json
chmod 600 private.json "names/$first"
"$exe" score "$R" "$D" --marks "$M" -o private.json >o 2>err </dev/null
"$exe" certificates previous.json -o names/ >o 2>err </dev/null
[ "$(stat -c %a private.json)" = 600 ] && ok "$name: results (600 before, 600 after)" ||
	fail "$name: results" "$(stat -c %a private.json) after 600"
[ "$(stat -c %a "names/$first")" = 600 ] && ok "$name: a per-town file (600 before, 600 after)" ||
	fail "$name: a per-town file" "$(stat -c %a "names/$first") after 600"

# 3. A town that lost its level: the certificate of the earlier run goes, said
# in a note; a file palmares did not write stays, said in a warning.
python3 - previous.json "${first%.pdf}" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for t in r["towns"]:
    if t["id"] == sys.argv[2]:
        t["level"], t["level_name"] = 0, ""
json.dump(r, open("lost-level.json", "w"))
EOF
echo "someone's own file" >names/notes.pdf
name="a town that lost its level"
"$exe" certificates lost-level.json -o names/ >o 2>err </dev/null
status=$?
expect "$name: rendered again" 0 "names/$first: note: removed: an earlier run wrote it"
[ ! -e "names/$first" ] && [ -f "names/$second" ] && ok "$name: no stale certificate left" ||
	fail "$name: no stale certificate left" "$(ls names)"
[ -f names/notes.pdf ] && grep -qF '1 pdf file this run did not write ("notes.pdf")' err &&
	ok "$name: a file palmares did not write kept, with a warning" ||
	fail "$name: a file palmares did not write kept, with a warning" "$(ls names)"
"$exe" certificates lost-level.json -o names/ --town "${second%.pdf}" >o 2>err </dev/null
[ -f "names/$third" ] && ok "$name: --town removes no other town's file" ||
	fail "$name: --town removes no other town's file" "$(ls names)"

# 4. The storage full while writing -o DIR/ (the file size limit stands in for
# a full disk): one message naming the file and the town, then the run stops
# and says how many files were written.
name="full storage while writing -o DIR/"
(trap '' XFSZ; ulimit -f 16; exec "$exe" certificates previous.json -o full/ --jobs 2) >o 2>err </dev/null
status=$?
expect "$name" 2 "stopped at the first file that did not fit: 0 of $ntowns files written"
[ "$(grep -c 'File too large' err)" -eq 1 ] && grep -qE '^error: town [^ ]+ ".*": cannot write "full/[^"]+\.pdf": File too large' err &&
	ok "$name: one message, naming the file and the town" ||
	fail "$name: one message, naming the file and the town" "$(grep -c 'File too large' err) lines"

# --- interruptions ----------------------------------------------------------------
# A campaign large enough that writing its results takes a while: 6,000 towns.
python3 - "$D" "$M" <<'EOF'
import csv, json, sys
towns = json.load(open(sys.argv[1]))
marks = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
big = []
with open("big-marks.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(marks[0]))
    w.writeheader()
    for i in range(200):
        for t in towns:
            u = json.loads(json.dumps(t))
            u["town"]["id"] = "%s-%d" % (t["town"]["id"], i)
            big.append(u)
        for m in marks:
            if any(t["town"]["id"] == m["town_id"] for t in towns):
                w.writerow(dict(m, town_id="%s-%d" % (m["town_id"], i)))
json.dump(big, open("big.json", "w"))
EOF

# complete FILE: a whole JSON document or a whole PDF.
complete() {
	case "$1" in
	*.json) python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null ;;
	*.pdf) pdfinfo "$1" >/dev/null 2>&1 && tail -c 1024 "$1" | grep -q '%%EOF' ;;
	*) return 1 ;;
	esac
}

# kill_while_writing NAME TARGET COMMAND...: starts COMMAND, waits until it
# has a file open in out/ (the temporary file being written), kills it with
# SIGKILL, then checks TARGET is the previous version and nothing else is left.
kill_while_writing() {
	name=$1 target=$2 prev=$3
	shift 3
	"$@" >o 2>err </dev/null &
	pid=$!
	outdir=$(cd out && pwd)
	caught=0
	i=0
	while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null; do
		if ls -l /proc/$pid/fd 2>/dev/null | grep -q -- "-> $outdir/"; then
			kill -9 $pid 2>/dev/null && caught=1
			break
		fi
		i=$((i + 1))
		sleep 0.01
	done
	wait $pid 2>/dev/null
	if [ $caught -eq 0 ]; then
		echo "skip $name: the run ended before it could be killed while writing"
		return 0
	fi
	ok "$name: killed while writing"
	# The kill races with the end of the run: the listing of /proc/PID/fd may be
	# a moment old when the signal lands, after the rename. Either the previous
	# output is intact, or the new one is there whole; never a partial file.
	if cmp -s "out/$target" "$prev"; then
		ok "$name: previous output intact"
	elif complete "out/$target"; then
		ok "$name: the run had just finished: the new output is whole"
	else
		fail "$name" "out/$target is neither the previous output nor a whole new one"
	fi
	only certificates.pdf results.json
}
kill_while_writing "kill -9 while writing results" results.json previous.json \
	"$exe" score "$R" big.json --marks big-marks.csv -o out/results.json
"$exe" score "$R" big.json --marks big-marks.csv -o big-results.json 2>/dev/null

# The file size limit again, on results larger than the output buffer (1 MiB,
# engine/output.c): the write fails while results are being written, not at
# the final flush of the commit.
name="file size limit while writing large results"
cp out/results.json before.json # previous.json, or a whole new one if the run above ended first
(trap '' XFSZ; ulimit -f 4096; exec "$exe" score "$R" big.json --marks big-marks.csv \
	-o out/results.json) >o 2>err </dev/null
status=$?
expect "$name" 2 'cannot write "out/results.json": File too large'
cmp -s out/results.json before.json && ok "$name: previous results intact" ||
	fail "$name" "out/results.json changed"
only certificates.pdf results.json
kill_while_writing "kill -9 while writing certificates" certificates.pdf previous.pdf \
	"$exe" certificates big-results.json -o out/certificates.pdf
kill_while_writing "kill -9 while writing a report" certificates.pdf previous.pdf \
	"$exe" report big-results.json -o out/certificates.pdf

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
