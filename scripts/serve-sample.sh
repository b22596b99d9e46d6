#!/usr/bin/env bash
# The sample campaign online, in one command: builds palmares when needed,
# creates the campaign (the 30 towns of examples/, 10 of them with their
# dossier already filled from examples/dossiers-google.csv and
# examples/dossiers.json, the six jurors of examples/jurors.csv, the
# submission phase open), serves it on 127.0.0.1 and prints the organizer's,
# one town's and one juror's login links. Ctrl-C stops it.
#
#   scripts/serve-sample.sh [--db FILE] [--port N] [--palmares PATH]
#
# --db FILE: the campaign file (default: a new one in a scratch folder); an
#   existing campaign file is served as it is, with new links.
# --port N: the port on 127.0.0.1 (default: a free one).
# --palmares PATH: a palmares already built (then nothing is built).
set -euo pipefail
cd "$(dirname "$0")/.."
db='' port='' p=''
while (($#)); do
	case "$1" in
	--db) db=${2:?--db needs a file name}; shift 2 ;;
	--port) port=${2:?--port needs a number}; shift 2 ;;
	--palmares) p=${2:?--palmares needs the program}; shift 2 ;;
	-h | --help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) echo "serve-sample.sh: unknown option \"$1\" (--db FILE, --port N, --palmares PATH)" >&2; exit 2 ;;
	esac
done
if [ -z "$p" ]; then
	./scripts/deps.sh
	[ -d build ] || meson setup build >/dev/null
	meson compile -C build >/dev/null
	p=./build/cli/palmares
fi
if [ -z "$port" ]; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
base=http://127.0.0.1:$port
rubric=criteria/villes-internet-2027.json
if [ -z "$db" ]; then
	db=$(mktemp -d "${TMPDIR:-/tmp}/palmares-sample.XXXXXX")/campaign.db
fi
if [ -e "$db" ]; then
	echo "palmares: serving the existing campaign $db" >&2
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/palmares-towns.XXXXXX")
	# The towns file of the 30 sample towns, their attributes as the engine
	# reads them from the sample's dossier files (every town a made-up e-mail).
	"$p" score "$rubric" examples/dossiers-excel.csv examples/dossiers-libreoffice.csv \
		examples/dossiers-google.csv examples/dossiers.json --format json -o "$work/towns.json" 2>/dev/null
	python3 - "$work/towns.json" "$work/towns.csv" <<'PY'
import csv, json, sys
towns = json.load(open(sys.argv[1], encoding="utf-8"))["towns"]
attrs = []
for t in towns:
    attrs += [a for a in t["attributes"] if a not in attrs]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["town_id", "town_name", "email"] + attrs)
    for t in towns:
        w.writerow([t["id"], t["name"], "mairie-%s@example.org" % t["id"]] +
                   [t["attributes"].get(a, "") for a in attrs])
PY
	# init's notes (the sample's expected warnings, its own organizer link)
	# are shown only when it fails: the links that count are printed below.
	if ! "$p" campaign init "$db" --rubric "$rubric" --towns "$work/towns.csv" --jurors examples/jurors.csv \
		--dossiers examples/dossiers-google.csv --dossiers examples/dossiers.json --open-submission \
		--organizer-email organisation@example.org --base-url "$base" >/dev/null 2>"$work/init.log"; then
		cat "$work/init.log" >&2
		rm -rf "$work"
		exit 2
	fi
	echo "palmares: created the sample campaign: 30 towns, 10 dossiers filled in, 6 jurors" >&2
	rm -rf "$work"
fi
# New links for everyone (only their hashes are stored); three of them shown.
"$p" campaign links "$db" --base-url "$base" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
def first(role, town=None):
    return next((r for r in rows if r["role"] == role and (town is None or r["id"] == town)), None) or \
        next(r for r in rows if r["role"] == role)
o, t, j = first("organizer"), first("town", "97411"), first("juror")
print("organizer: %s" % o["link"])
print("town:      %s  (%s, %s: its dossier is filled in)" % (t["link"], t["name"], t["id"]))
print("juror:     %s  (%s)" % (j["link"], j["name"]))
'
echo "palmares: the sample campaign ($db) at $base; each link logs in once; Ctrl-C stops" >&2
exec "$p" serve "$db" --listen "127.0.0.1:$port" --base-url "$base"
