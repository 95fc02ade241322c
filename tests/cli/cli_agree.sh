#!/bin/sh
# pam-jwt verify reaches pam_jwt.so's verdict, for the same reason, on every case
# of tests/module/module.sh: that file runs again here, each case also through
# `pam-jwt verify` (tests/lib/agree.sh).
. "$top_srcdir/tests/lib/agree.sh"
. "$top_srcdir/tests/module/module.sh"
