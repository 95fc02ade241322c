#!/bin/sh
# What pam_jwt.so shows the process that loads it: it exports only the pam_sm_*
# entry points, and never calls openlog()/closelog()/setlogmask(), which would
# change the syslog identity of the host (sshd, sudo) for everyone.
: "${PAM_JWT_MODULE:?run through make check}"
command -v nm >/dev/null 2>&1 || { echo "1..0 # SKIP nm is not installed"; exit 0; }
[ -f "$PAM_JWT_MODULE" ] || { echo "1..0 # SKIP module not built"; exit 0; }

echo "1..5"
exported=$(nm -D --defined-only "$PAM_JWT_MODULE" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sort)
if [ "$(echo "$exported" | tr '\n' ' ')" = "pam_sm_authenticate pam_sm_close_session pam_sm_open_session pam_sm_setcred " ]; then
	echo "ok 1 - exports exactly pam_sm_authenticate, pam_sm_close_session, pam_sm_open_session and pam_sm_setcred"
else
	echo "not ok 1 - exports exactly pam_sm_authenticate, pam_sm_close_session, pam_sm_open_session and pam_sm_setcred"
	echo "$exported" | sed 's/^/#   /'
fi
imported=$(nm -D --undefined-only "$PAM_JWT_MODULE" | awk '{ print $2 }' | sed 's/@.*//')
echo "$imported" | grep -qx pam_syslog && echo "ok 2 - control: logs through pam_syslog" \
	|| echo "not ok 2 - control: logs through pam_syslog"
if echo "$imported" | grep -qxE 'openlog|closelog|setlogmask'; then
	echo "not ok 3 - never calls openlog, closelog or setlogmask"
else
	echo "ok 3 - never calls openlog, closelog or setlogmask"
fi
# HTTP (libcurl) is for pam-jwt jwks-sync and login only: the module never
# links it, so no login ever waits on the network.
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
if needed "$PAM_JWT_MODULE" | grep -q '^libcurl'; then
	echo "not ok 4 - pam_jwt.so does not link libcurl"
	needed "$PAM_JWT_MODULE" | sed 's/^/#   /'
else
	echo "ok 4 - pam_jwt.so does not link libcurl"
fi
if needed "${top_builddir:-.}/pam-jwt" | grep -q '^libcurl'; then
	echo "ok 5 - control: pam-jwt links libcurl"
else
	echo "not ok 5 - control: pam-jwt links libcurl"
fi
