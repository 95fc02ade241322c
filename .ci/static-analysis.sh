#!/bin/sh
# Static analysis: cppcheck on every C file of the build, clang-tidy
# (.clang-tidy) on the code that ships or takes hostile input (src/, src/cli/,
# fuzz/). Fails on any finding, and when a C file that Makefile.am or one of
# the fragments it includes names is not analysed: the lists come from the
# build system, so a moved or new file cannot be skipped by a glob.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
# Without configure: config.h only gives the sources the GNU feature set and
# the package's name and version.
printf '#define _GNU_SOURCE 1\n#define PACKAGE_NAME "pam_jwt"\n#define PACKAGE_VERSION "0"\n' \
	>"$stub/config.h"
deps=$(pkg-config --cflags libgcrypt json-c hiredis libcurl)
status=0

# The C files the build names: each NAME.c of Makefile.am and the fragments it
# includes, and the default source NAME.c of each program named NAME.
fragments=$(sed -n 's/^include[ \t]\{1,\}//p' Makefile.am)
# shellcheck disable=SC2086
grep -ho '[A-Za-z0-9_./-]\{1,\}' Makefile.am $fragments | sed 's|^\./||' | sort -u |
	while read -r w; do
		case $w in
		*.c) [ -f "$w" ] && echo "$w" ;;
		*/*) [ -f "$w.c" ] && echo "$w.c" ;;
		esac
	done | sort -u >"$stub/built"
[ -s "$stub/built" ] || { echo "static-analysis: no C file found in Makefile.am" >&2; exit 1; }

# What each tool analyses: every C file of the tree (git's, or find's without git).
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files '*.c'
else
	find src tests fuzz bench -name '*.c'
fi | sort -u >"$stub/cppcheck"
grep -E '^(src|fuzz)/' "$stub/cppcheck" >"$stub/tidy"
comm -23 "$stub/built" "$stub/cppcheck" >"$stub/missed"
if [ -s "$stub/missed" ]; then
	echo "== not analysed by cppcheck, though the build compiles them:"
	cat "$stub/missed"
	status=1
fi
grep -E '^(src|fuzz)/' "$stub/built" | comm -23 - "$stub/tidy" >"$stub/missed"
if [ -s "$stub/missed" ]; then
	echo "== not analysed by clang-tidy, though they ship or take hostile input:"
	cat "$stub/missed"
	status=1
fi
echo "== $(wc -l <"$stub/cppcheck") files for cppcheck, $(wc -l <"$stub/tidy") for clang-tidy"

# Suppressed: variableScope (variables are declared at the top of a function on
# purpose, as in Linux-PAM); missingIncludeSystem (cppcheck need not read the
# system headers).
echo "== cppcheck"
# shellcheck disable=SC2046
cppcheck --quiet --error-exitcode=1 --std=c99 --enable=warning,style,performance,portability \
	--inline-suppr --suppress=variableScope --suppress=missingIncludeSystem \
	-I"$stub" -Isrc -Isrc/cli -Itests/lib -Ifuzz -Ibench $(cat "$stub/cppcheck") || status=1

echo "== clang-tidy"
# Once over each file, $(nproc) files at a time, each run's findings in a file
# of its own, shown together afterwards (WarningsAsErrors: any finding fails).
# shellcheck disable=SC2016
xargs -P"$(nproc)" -I{} sh -c \
	'clang-tidy --quiet "$1" -- -I"$2" -Isrc -Isrc/cli -Ifuzz $3 >"$2/tidy.$(echo "$1" | tr / _)" 2>&1' \
	sh {} "$stub" "$deps" <"$stub/tidy" || status=1
cat "$stub"/tidy.* | grep -v '^[0-9]* warnings* generated\.$' || true
exit "$status"
