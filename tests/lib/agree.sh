# Sourced by the files that run a pamtester test file again with each of its
# cases (tests/lib/lib.sh's expect) also given to `pam-jwt verify`: the service's
# module arguments, the service's name (--service, for %s), the same user
# (none when PAM_USER is empty) and the same input on standard input. verify
# must reach the module's verdict, and on a refusal name the module's reason.
CLI=$top_builddir/pam-jwt

cli_agrees() { # the arguments of expect: DESC SERVICE USER TOKEN VERDICT [LOG]
	# A bracketed argument ([audience=openid pam]) is one word to PAM, not to
	# the shell: those cases are the module's alone.
	if grep -q '\[' "$T/svc/$2"; then
		return 0
	fi
	args=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /pam_jwt\.so$/) {
		for (j = i + 1; j <= NF; j++) printf "%s ", $j; exit } }' "$T/svc/$2")
	set -- "$1" "$2" "$3" "$4" "$5" "${6:-}"
	# shellcheck disable=SC2086
	printf '%s\n' "$4" | nss_wrapped ${AS_USER:-} "$CLI" verify --service "$2" ${3:+--user "$3"} $args >"$T/out" 2>&1
	got=$?
	case $5 in
	"$ACCEPT") want=0 ;;
	"$SERVICE_ERR") want=2 ;;	# bad module arguments: a usage error for the CLI
	*) want=1 ;;
	esac
	st=0
	[ "$got" -eq "$want" ] || { echo "# pam-jwt verify exited $got, the module's verdict means $want"; st=1; }
	if [ "$want" -ne 0 ] && [ -n "$6" ]; then
		grep -qF -- "$6" "$T/out" || st=1
	fi
	ok $st "pam-jwt verify agrees: $1"
}
EXPECT_ALSO=cli_agrees
