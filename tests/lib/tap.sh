# TAP for the shell tests, sourced first (tests/lib/lib.sh sources it): ok,
# skip_all, done_testing, need, a watchdog that ends a hung file, and a
# scratch directory $T, removed at exit.

: "${top_srcdir:?run through make check}"
PYTHON3=${PYTHON3:-/usr/bin/python3}

# A hung server or client fails its own file, not the whole run: after
# PAM_JWT_TEST_TIMEOUT seconds (default 900) the file's shell and its
# children get SIGTERM, and the file's EXIT traps stop what it started. The
# watchdog is detached (not the file's child), so that a plain `wait` in a
# test does not wait for it.
tap_timeout=${PAM_JWT_TEST_TIMEOUT:-900}
trap 'exit 1' TERM
tap_shell=$$
( (
	i=0
	while [ "$i" -lt "$tap_timeout" ]; do
		kill -0 "$tap_shell" 2>/dev/null || exit 0
		sleep 1
		i=$((i + 1))
	done
	echo "# $0: timed out after $tap_timeout s" >&2
	kill -TERM "$tap_shell"
	pkill -TERM -P "$tap_shell"
) </dev/null >/dev/null & )

tap_n=0
tap_failed=0

ok() { # STATUS DESCRIPTION: STATUS 0 is a pass
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
		[ -f "$T/out" ] && sed 's/^/#   /' "$T/out" | tail -n 15
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	exit "$tap_failed"
}

need() { # PROGRAM...: skip the whole file unless each is present
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || skip_all "$p is not installed"
	done
}

T=$(mktemp -d "${TMPDIR:-/tmp}/pam_jwt_test.XXXXXX")
trap 'rm -rf "$T"' EXIT
