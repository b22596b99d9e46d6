#!/usr/bin/env bash
# Runs every test (what CI runs through .ci/run):
#  1. the normal build and its whole suite;
#  2. the same suite under ASan+UBSan;
#  3. valgrind memcheck: the command line (tests/cli/valgrind.sh) and the unit tests;
#  4. each libFuzzer target for FUZZ_SECONDS (default 20; 0 skips), in its own
#     clang build (scripts/fuzz.sh, tests/fuzz/README.md).
# The valgrind suite is left out of steps 1 and 2 (it is step 3; valgrind cannot
# run ASan binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium, chromium-driver and python3-selenium: the browser test
# (tests/server/browser_test.py), which must run here rather than be skipped.
EXTRA_PKGS="valgrind locales chromium chromium-driver python3-selenium" ./scripts/deps.sh
export PALMARES_REQUIRE_BROWSER=1
[ -d build ] || meson setup build >/dev/null
meson compile -C build
meson test -C build --print-errorlogs --no-suite valgrind
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
meson compile -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --no-suite valgrind
meson test -C build --print-errorlogs --suite valgrind
meson test -C build --print-errorlogs --setup valgrind --suite unit
if [ "${FUZZ_SECONDS:-20}" -gt 0 ]; then
	./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
