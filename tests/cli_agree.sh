#!/bin/sh
# pam-jwt verify reaches pam_jwt.so's verdict, for the same reason, on every case
# of tests/module.sh: that file runs again here, and each case also goes to
# `pam-jwt verify` with the service's module arguments, the same user and the
# same input on standard input.
CLI=$top_builddir/pam-jwt

cli_agrees() { # the arguments of expect: DESC SERVICE USER TOKEN VERDICT [LOG]
	args=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /pam_jwt\.so$/) {
		for (j = i + 1; j <= NF; j++) printf "%s ", $j; exit } }' "$T/svc/$2")
	# An empty PAM user is none, for the module as for pam-jwt without --user.
	# shellcheck disable=SC2086
	printf '%s\n' "$4" | nss_wrapped "$CLI" verify ${3:+--user "$3"} $args >"$T/out" 2>&1
	got=$?
	case $5 in
	"$ACCEPT") want=0 ;;
	"$SERVICE_ERR") want=2 ;;	# bad module arguments: a usage error for the CLI
	*) want=1 ;;
	esac
	st=0
	[ "$got" -eq "$want" ] || { echo "# pam-jwt verify exited $got, the module's verdict means $want"; st=1; }
	# A refusal names the module's reason.
	if [ "$want" -ne 0 ] && [ -n "${6:-}" ]; then
		grep -qF -- "$6" "$T/out" || st=1
	fi
	ok $st "pam-jwt verify agrees: $1"
}
EXPECT_ALSO=cli_agrees

. "$top_srcdir/tests/module.sh"
