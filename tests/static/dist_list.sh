#!/bin/sh
# Every helper and test under tests/, and every source under src/, bench/ and
# fuzz/, is named by the build files (Makefile.am and its fragments), so that
# make dist carries it and make distcheck runs the tests as make check does:
# a helper left out of the tarball fails its test only in the unpacked copy.
# A C file counts as named when its program is (automake's default source).
: "${top_srcdir:?run through make check}"
cd "$top_srcdir" || exit 1
mkfiles=$(find . -path ./build -prune -o -path ./_build -prune -o -path './pam_jwt-*' -prune -o \
	\( -name Makefile.am -o -name '*.mk' -o -name Makefile.inc \) -type f -print)
[ -n "$mkfiles" ] || { echo "1..0 # SKIP no Makefile.am under $top_srcdir"; exit 0; }
names=$(cat $mkfiles | tr ' \t\\=' '\n\n\n\n' | sed -n 's/^\$(top_srcdir)\///; /^[a-z]/p' | sort -u)

# named PATH: the build files name PATH (or, for a C file, its program).
named() {
	echo "$names" | grep -qxF "$1" && return 0
	case $1 in *.c) echo "$names" | grep -qxF "${1%.c}" && return 0 ;; esac
	return 1
}

echo "1..3"
missing=
for f in $(find tests src bench fuzz -path fuzz/corpus -prune -o -path tests/data -prune -o -type f \
	\( -name '*.sh' -o -name '*.py' -o -name '*.c' -o -name '*.h' -o -name '*.exp' \) -print | sort); do
	named "$f" || missing="$missing $f"
done
if [ -z "$missing" ]; then
	echo "ok 1 - every script, helper and source under tests/, src/, bench/ and fuzz/ is in the build files"
else
	echo "not ok 1 - every script, helper and source under tests/, src/, bench/ and fuzz/ is in the build files"
	for f in $missing; do echo "#   not named: $f"; done
fi
named tests/lib/lib.sh && echo "ok 2 - control: tests/lib/lib.sh is named" \
	|| echo "not ok 2 - control: tests/lib/lib.sh is named"
named tests/lib/no_such_helper.py && echo "not ok 3 - control: a file no build file names is found" \
	|| echo "ok 3 - control: a file no build file names is found"
