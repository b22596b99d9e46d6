#!/bin/sh
# A symbol that starts with pal_ is public API: declared in include/palmares/.
# The internals use their own prefixes (palx_ in common/, eng_ in engine/,
# rep_ in reports/). Fails, naming them, when a library defines a pal_ symbol
# that no public header declares, or a symbol outside the project's prefixes
# (which could clash with a program's own).
# Usage: symbols.sh SRCDIR LIBRARY.a...
src=$1
shift
public=$(grep -ho '\bpal_[a-z0-9_]*\b' "$src"/include/palmares/*.h | sort -u)
bad=0
for lib in "$@"; do
	for s in $(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /[TDBRC]/ {print $3}' | sort -u); do
		case $s in
		pal_*)
			echo "$public" | grep -qx "$s" && continue
			echo "$(basename "$lib"): $s starts with pal_ but no header of include/palmares/ declares it"
			bad=1 ;;
		palx_* | eng_* | rep_* | rjs_*) ;;
		__odr_asan.* | __asan_* | __ubsan_* | __sancov_*) ;; # the sanitizers' own
		*)
			echo "$(basename "$lib"): $s has none of the prefixes pal_, palx_, eng_, rep_, rjs_"
			bad=1 ;;
		esac
	done
done
[ $bad -eq 0 ] && echo "every exported symbol of $# libraries has the project's prefix; every pal_ one is public"
exit $bad
