#!/bin/sh
# The man pages are lint-clean: groff -man -ww -z (every warning) and
# mandoc -T lint (down to style) say nothing about them. Each is skipped,
# with the reason, when its program is not installed.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"

for page in "$top_srcdir"/man/*.[1-8]; do
	name=man/$(basename "$page")
	if command -v groff >/dev/null 2>&1; then
		groff -man -ww -z "$page" >"$T/out" 2>&1 && [ ! -s "$T/out" ]
		ok $? "$name: groff -man -ww -z gives no warning"
	else
		ok 0 "$name: groff -man -ww -z # SKIP groff is not installed (Debian: groff-base)"
	fi
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W style "$page" >"$T/out" 2>&1 && [ ! -s "$T/out" ]
		ok $? "$name: mandoc -T lint gives no message"
	else
		ok 0 "$name: mandoc -T lint # SKIP mandoc is not installed (Debian: mandoc)"
	fi
done
# Control: the lint catches what it is here for (a font escape written as a
# form feed, which left "jti IDR" in pam_jwt(8)).
if command -v mandoc >/dev/null 2>&1; then
	printf '.TH X 8\n.SH NAME\nx \\- y\n.SH DESCRIPTION\n.BI "jti " ID\fR,\n' >"$T/bad.8"
	! mandoc -T lint -W style "$T/bad.8" >/dev/null 2>&1
	ok $? "control: mandoc -T lint refuses a page with a form feed in it"
fi
done_testing
