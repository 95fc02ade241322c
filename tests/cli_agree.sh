#!/bin/sh
# pam-jwt verify reaches pam_jwt.so's verdict, for the same reason, on every case
# of tests/module.sh: that file runs again here, each case also through
# `pam-jwt verify` (tests/agree.sh).
. "$top_srcdir/tests/agree.sh"
. "$top_srcdir/tests/module.sh"
