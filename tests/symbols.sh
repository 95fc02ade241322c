#!/bin/sh
# The module exports the PAM entry points and nothing else: the token core
# stays private, so no other module or host symbol can collide with it.
[ -f "$PAM_JWT_MODULE" ] || { echo "1..0 # SKIP module not built"; exit 0; }
command -v nm >/dev/null || { echo "1..0 # SKIP nm is not installed"; exit 0; }
syms=$(nm -D --defined-only "$PAM_JWT_MODULE" | awk '{ print $3 }' | sort | tr '\n' ' ')
if [ "$syms" = "pam_sm_authenticate pam_sm_setcred " ]; then
	echo "ok 1 - exports exactly pam_sm_authenticate and pam_sm_setcred"
else
	echo "not ok 1 - exports exactly pam_sm_authenticate and pam_sm_setcred (got: $syms)"
fi
echo "1..1"
