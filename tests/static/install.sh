#!/bin/sh
# make install into a scratch DESTDIR installs exactly the files of
# tests/data/install.list (no libtool archive beside the module), and make
# uninstall removes every one of them and the package's own directories.
: "${top_srcdir:?run through make check}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
D=$T/root
MAKE=${MAKE:-make}
# A make of our own in the build tree: not the one running the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL

$MAKE -s -C "$top_builddir" print-install-dirs >"$T/dirs" || { echo "Bail out! no print-install-dirs"; exit 1; }
# ${dir}/name -> the configured path
sed_script=$(sed -n 's|^\([a-z0-9]*\)=\(.*\)$|s\|${\1}\|\2\|;|p' "$T/dirs")
grep -Ev '^[[:space:]]*(#|$)' "$top_srcdir/tests/data/install.list" | sed "$sed_script" | sort >"$T/want"

$MAKE -s -C "$top_builddir" install DESTDIR="$D" >"$T/install.log" 2>&1
ok $? "make install DESTDIR=... succeeds"
(cd "$D" && find . ! -type d | sed 's|^\.||' | sort) >"$T/got"
diff "$T/want" "$T/got" >"$T/diff"
ok $? "make install installs exactly the files of tests/data/install.list"
sed 's/^/# /' "$T/diff"
! grep -q '\.la$' "$T/got"
ok $? "no libtool archive is installed"
securedir=$(sed -n 's/^securedir=//p' "$T/dirs")
[ -f "$D$securedir/pam_jwt.so" ] && [ ! -e "$D$securedir/pam_jwt.la" ]
ok $? "pam_jwt.so and no pam_jwt.la in the PAM directory"

$MAKE -s -C "$top_builddir" uninstall DESTDIR="$D" >"$T/uninstall.log" 2>&1
ok $? "make uninstall DESTDIR=... succeeds"
(cd "$D" && find . ! -type d) >"$T/left"
[ ! -s "$T/left" ]
ok $? "make uninstall leaves no file behind"
sed 's/^/# left: /' "$T/left"
# Directories named after the package are the package's own; the shared ones
# (bin, man1, the PAM directory, ...) may stay. Only below the prefix and the
# PAM directory: the prefix itself may be named after the package (distcheck).
prefix=$(sed -n 's/^prefix=//p' "$T/dirs")
docdir=$(sed -n 's/^docdir=//p' "$T/dirs")
for d in "$D$prefix" "$D$securedir"; do
	[ ! -d "$d" ] || find "$d" -mindepth 1 -type d \( -name '*pam_jwt*' -o -name '*pam-jwt*' \)
done >"$T/left"
[ ! -e "$D$docdir" ] && [ ! -s "$T/left" ]
ok $? "make uninstall leaves none of the package's directories (the doc directory)"
sed 's/^/# left: /' "$T/left"

done_testing
