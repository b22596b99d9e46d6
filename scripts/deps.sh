#!/usr/bin/env bash
# Installs the Debian 12 packages palmares needs, when some are missing.
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc libjansson-dev libcsv-dev libcmocka-dev
      libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core poppler-utils python3
      gettext fonts-ebgaramond
      libmicrohttpd-dev libsqlite3-dev libsodium-dev
      scdoc groff-base man-db bash-completion) # man pages (man/, docs/) and their tests; completion
# Extra packages a script needs only for itself (scripts/fuzz.sh: clang and
# libclang-rt-14-dev; the valgrind step of scripts/test.sh: valgrind; the browser
# test, tests/server/browser_test.py: chromium chromium-driver python3-selenium).
read -r -a extra <<<"${EXTRA_PKGS:-}"
pkgs+=("${extra[@]}")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "palmares: installing ${missing[*]}" >&2
	SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
