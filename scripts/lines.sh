#!/bin/sh
# No C file over 1,000 lines: a file that long holds more than one concern
# and asks to be split (docs/CONTRIBUTING.md, the style of the tree). Counts
# the lines of every .c and .h of the project's C folders, generated files
# excepted (they live in the build directory, never here).
# Usage: lines.sh SRCDIR [MAX]. Prints each file over MAX (1000) with its
# count; exit 1 if any.
src=${1:-.}
max=${2:-1000}
cd "$src" || exit 2
files=$(find common engine reports server cli include tests bench -name '*.[ch]' 2>/dev/null | sort)
[ -n "$files" ] || { echo "no C file under $src"; exit 2; }
long=$(for f in $files; do
	n=$(wc -l <"$f")
	[ "$n" -gt "$max" ] && echo "$f: $n lines"
done)
if [ -n "$long" ]; then
	echo "C files over $max lines (split each along its concerns, one per file):"
	echo "$long"
	exit 1
fi
echo "no C file over $max lines among $(echo "$files" | wc -l) files"
