# Shared by the shell tests that run the module: TAP (tests/lib/tap.sh), a scratch
# directory with a key and fake users (nss_wrapper), PAM service files
# (pam_wrapper), tokens from tests/lib/mint.py.
# Nothing here touches /etc.

: "${top_srcdir:?run through make check}" "${top_builddir:?}" "${PAM_JWT_MODULE:?}"

. "$top_srcdir/tests/lib/tap.sh"

need "${PAMTESTER:-pamtester}" "$PYTHON3"
[ -f "$PAM_JWT_MODULE" ] || skip_all "module not built: $PAM_JWT_MODULE"
for lib in libpam_wrapper.so libnss_wrapper.so; do
	ldconfig -p | grep -q "$lib" || skip_all "$lib is not installed (libpam-wrapper, libnss-wrapper)"
done
"$PYTHON3" -c 'import jwt' 2>/dev/null || skip_all "python3-jwt is not installed"

mkdir "$T/svc"
echo "auth required pam_deny.so" >"$T/svc/other"
umask 077

# Fake users for nss_wrapper; root is there for modules that look it up.
cat >"$T/passwd" <<EOP
root:x:0:0:root:/root:/bin/sh
alice:x:1001:1001:Alice:/home/alice:/bin/sh
bob:x:1002:1002:Bob:/home/bob:/bin/sh
EOP
printf 'root:x:0:\nalice:x:1001:\nbob:x:1002:\n' >"$T/group"

# ended PID: up to 15 s for the process PID to end (a zombie has ended; a
# child of the test is then reaped); never waits on one that runs on, as
# `wait` would.
ended() {
	for i in $(seq 75); do
		case $(ps -o stat= -p "$1" 2>/dev/null) in '' | Z*) wait "$1" 2>/dev/null; return 0 ;; esac
		sleep 0.2
	done
	return 1
}

free_port() { # a free TCP port on 127.0.0.1, which a server may still lose to another
	"$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
newkey() { # BYTES FILE: a random printable key (no trailing newline to drop)
	head -c 96 /dev/urandom | base64 -w0 | head -c "$1" >"$2"
}
newkey 32 "$T/key"
newkey 32 "$T/other.key"

# The environment that makes pamtester read our service files and users.
# $AS_USER, if set, is a command prefix that runs it as another user.
# $PAM_JWT_TEST_PRELOAD, if set, is preloaded ahead of the wrappers: the ASan
# runtime must come first when the module is built with -fsanitize=address.
wrapped() {
	$AS_USER env LD_PRELOAD="${PAM_JWT_TEST_PRELOAD:+$PAM_JWT_TEST_PRELOAD }libpam_wrapper.so libnss_wrapper.so${LD_PRELOAD:+ $LD_PRELOAD}" \
		PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$T/svc" PAM_WRAPPER_DEBUGLEVEL=2 \
		NSS_WRAPPER_PASSWD="$T/passwd" NSS_WRAPPER_GROUP="$T/group" \
		"$@"
}

# as_su_caller: su lets root through pam_rootok, so its token path is the one
# for everyone else. As root this opens $T to nobody (uid 65534), gives it
# the key, and sets $SU_CALLER to a prefix that runs a command as nobody
# (for AS_USER=); su_caller_done gives the key back. Not root: the files
# stay as they are and $SU_CALLER is empty.
as_su_caller() {
	SU_CALLER=
	[ "$(id -u)" -eq 0 ] || return 0
	need setpriv
	chmod 755 "$T" "$T/svc"
	chmod 644 "$T/svc/"* "$T/passwd" "$T/group"
	chown 65534 "$T/key"
	SU_CALLER="setpriv --reuid=65534 --regid=65534 --clear-groups"
}
su_caller_done() {
	[ "$(id -u)" -ne 0 ] || { chown 0 "$T/key"; chmod 600 "$T/passwd"; }
}

# The fake users alone, for programs that do not call PAM (pam-jwt).
nss_wrapped() {
	env LD_PRELOAD="${PAM_JWT_TEST_PRELOAD:+$PAM_JWT_TEST_PRELOAD }libnss_wrapper.so${LD_PRELOAD:+ $LD_PRELOAD}" \
		NSS_WRAPPER_PASSWD="$T/passwd" NSS_WRAPPER_GROUP="$T/group" \
		"$@"
}

service() { # NAME LINE...: writes a service file, one line per argument
	name=$1
	shift
	printf '%s\n' "$@" | sed "s|pam_jwt\.so|$PAM_JWT_MODULE|" >"$T/svc/$name"
}

jwt_line() { # ARGS...: an auth line for the built module with the test key
	echo "auth required pam_jwt.so secret_file=$T/key $*"
}

# Installs an example as service NAME, pointed at the built module and the test
# key: pam.d-examples/debian12/NAME (Debian's stock file with the snippet in
# place) if there is one, else pam.d-examples/NAME, with
# pam.d-examples/token-or-password beside it (the system's common-* files are
# copied too, though libpam reads an @include from /etc/pam.d).
example() {
	for f in /etc/pam.d/common-*; do
		[ -f "$f" ] && cp "$f" "$T/svc/"
	done
	example_file "$top_srcdir/pam.d-examples/token-or-password" "$T/svc/token-or-password"
	src=$top_srcdir/pam.d-examples/debian12/$1
	[ -f "$src" ] || src=$top_srcdir/pam.d-examples/$1
	example_file "$src" "$T/svc/$1"
}
# libpam looks an @include up in /etc/pam.d, even under pam_wrapper: an include
# of token-or-password gets the path of our copy.
example_file() { # SRC DEST: SRC with the built module and the test key
	sed -e "s|pam_jwt\.so|$PAM_JWT_MODULE|" \
	    -e "s|/etc/security/pam_jwt\.key|$T/key|" \
	    -e "s|^@include token-or-password\$|@include $T/svc/token-or-password|" "$1" >"$2"
}

# apply_snippet SNIPPET STOCK: STOCK with its "@include common-auth" line
# replaced by the file SNIPPET, the way docs/stacks.md installs an example.
apply_snippet() {
	sed -e '/^@include common-auth$/{' -e "r $1" -e 'd' -e '}' "$2"
}

mint() { # mint.py ARGS (the test key unless --key is given)
	case " $* " in
	*" --key "*) "$PYTHON3" "$top_srcdir/tests/lib/mint.py" "$@" ;;
	*) "$PYTHON3" "$top_srcdir/tests/lib/mint.py" --key "$T/key" "$@" ;;
	esac
}

# wrapped_run INPUT COMMAND...: COMMAND under wrapped (and $PAM_JWT_TEST_WRAPPER)
# with INPUT on standard input; its output (the verdict and the module's syslog
# lines) goes to $T/out, its exit status to $pam_status.
# $PAM_JWT_TEST_WRAPPER, if set, is a command prefix (valgrind).
# Exit code 99 is how valgrind and the sanitizers are told to report a memory
# error: it adds a failing test, whatever the verdict.
wrapped_run() {
	input=$1
	shift
	# pam_wrapper copies the service files to /tmp/pam.<letter>, and two processes
	# starting at the same moment can pick the same letter: then it gives up
	# before PAM is reached. That is the harness, not the module: run again.
	for attempt in 1 2 3 4 5; do
		pam_status=0
		printf '%s\n' "$input" | wrapped ${PAM_JWT_TEST_WRAPPER:-} "$@" >"$T/out" 2>&1 ||
			pam_status=$?
		grep -q "Failed to create pam_wrapper config dir" "$T/out" || break
	done
	[ "$pam_status" -ne 99 ] || ok 1 "memory error running $* (output below)"
	return "$pam_status"
}

# pam SERVICE USER INPUT: authenticates USER with INPUT typed at the prompt (pamtester).
pam() {
	wrapped_run "$3" "${PAMTESTER:-pamtester}" "$1" "$2" authenticate
}

# expect DESCRIPTION SERVICE USER TOKEN VERDICT [LOG]: pamtester's verdict (its
# message for the PAM code) and a substring of the module's log line. Every run
# also checks that the token's signature never reaches the log.
expect() {
	desc=$1 svc=$2 user=$3 tok=$4 verdict=$5 log=${6:-}
	pam "$svc" "$user" "$tok"
	st=0
	grep -qF "pamtester: $verdict" "$T/out" || st=1
	[ -z "$log" ] || grep -qF -- "$log" "$T/out" || st=1
	sig=${tok##*.}
	if [ ${#sig} -ge 8 ] && grep -qF -- "$sig" "$T/out"; then
		echo "# the token reached the log"
		st=1
	fi
	ok $st "$desc"
	# Another verifier can be held to the same case (tests/cli/cli_agree.sh).
	[ -z "${EXPECT_ALSO:-}" ] || "$EXPECT_ALSO" "$@"
}

# longest LO HI PROBE: the longest token length in [LO, HI) for which
# `PROBE LENGTH` succeeds, by bisection; LO must succeed and HI must fail.
longest() {
	lo=$1 hi=$2 probe=$3
	$probe "$lo" || { echo "# length $lo fails already" >&2; echo 0; return; }
	if $probe "$hi"; then
		echo "# length $hi passes too" >&2
		echo "$hi"
		return
	fi
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if $probe "$mid"; then lo=$mid; else hi=$mid; fi
	done
	echo "$lo"
}

ACCEPT="successfully authenticated"
AUTH_ERR="Authentication failure"
USER_UNKNOWN="User not known to the underlying authentication module"
AUTHINFO_UNAVAIL="Authentication service cannot retrieve authentication info"
SERVICE_ERR="Error in service module"
