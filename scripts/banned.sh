#!/bin/sh
# Calls the project does not use (git's banned.h has the same list and reasons):
# unbounded copies (strcpy, strcat, sprintf, vsprintf, gets), copies that cut
# silently or leave no terminator (strncpy, strncat), parsers that cannot
# report an error (atoi, atol, atoll, atof), hidden state that breaks threads
# (strtok, gmtime, localtime, ctime, asctime: use the _r forms), and temporary
# names another process can take (tmpnam, mktemp). Use snprintf, strtol/strtod
# with endptr and errno, strtok_r or a hand loop, gmtime_r, mkstemp.
# Usage: banned.sh SRCDIR. Prints each use with its place; exit 1 if any.
src=${1:-.}
cd "$src" || exit 2
calls='strcpy|strcat|strncpy|strncat|sprintf|vsprintf|gets|atoi|atol|atoll|atof|strtok|gmtime|localtime|ctime|asctime|tmpnam|mktemp'
# a call is the name, then "(", not preceded by a letter, digit, "_" or "." (snprintf, gmtime_r, x.atoi)
found=$(grep -nE "(^|[^A-Za-z0-9_.>])($calls)[[:space:]]*\(" \
	$(find common engine reports server cli include tests bench fuzz -name '*.[ch]' 2>/dev/null | sort) 2>/dev/null |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)')
if [ -n "$found" ]; then
	echo "banned calls (see scripts/banned.sh for why and what to use instead):"
	echo "$found"
	exit 1
fi
echo "no banned call in $(find common engine reports server cli include tests bench fuzz -name '*.[ch]' 2>/dev/null | wc -l) C files"
