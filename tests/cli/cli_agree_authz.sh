#!/bin/sh
# pam-jwt verify reaches pam_jwt.so's verdict, for the same reason, on every case
# of tests/module/authz.sh (who may log in as whom): that file runs again here, each
# case also through `pam-jwt verify` (tests/lib/agree.sh).
# Under valgrind or the sanitizer the pamtester runs are tests/module/authz.sh's own;
# running them twice would only double the time of those runs.
if [ -n "${PAM_JWT_TEST_WRAPPER:-}${PAM_JWT_TEST_PRELOAD:-}" ]; then
	echo "1..0 # SKIP tests/module/authz.sh runs these cases under the wrapper already"
	exit 0
fi

. "$top_srcdir/tests/lib/agree.sh"
. "$top_srcdir/tests/module/authz.sh"
