#!/bin/sh
# Static analysis: cppcheck on every C file, clang-tidy (.clang-tidy) on the
# code that ships or takes hostile input (src/, fuzz/). Fails on any finding.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
# Without configure: config.h only gives the sources the GNU feature set.
echo '#define _GNU_SOURCE 1' >"$stub/config.h"
deps=$(pkg-config --cflags libgcrypt json-c)
status=0

# Suppressed: variableScope (variables are declared at the top of a function on
# purpose, as in Linux-PAM); missingIncludeSystem (cppcheck need not read the
# system headers).
echo "== cppcheck"
# shellcheck disable=SC2086
cppcheck --quiet --error-exitcode=1 --std=c99 --enable=warning,style,performance,portability \
	--inline-suppr --suppress=variableScope --suppress=missingIncludeSystem \
	-I"$stub" -Isrc -Itests -Ifuzz src/*.c tests/*.c fuzz/*.c || status=1

echo "== clang-tidy"
# Once over each file, $(nproc) files at a time, each run's findings in a file
# of its own, shown together afterwards (WarningsAsErrors: any finding fails).
# shellcheck disable=SC2016
printf '%s\n' src/*.c fuzz/*.c | xargs -P"$(nproc)" -I{} sh -c \
	'clang-tidy --quiet "$1" -- -I"$2" -Isrc -Ifuzz $3 >"$2/tidy.$(echo "$1" | tr / _)" 2>&1' \
	sh {} "$stub" "$deps" || status=1
cat "$stub"/tidy.* | grep -v '^[0-9]* warnings* generated\.$' || true
exit "$status"
