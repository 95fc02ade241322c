# Shared by the tests that log in through the real programs (sshd, sudo, su,
# login) as root, sourced after tests/lib/lib.sh. They add throwaway users and
# files under /etc with names unique to the run (pjt-XXXXXXXX): every one is
# registered with at_exit when made, and removed at exit, after a failure too.

[ "$(id -u)" -eq 0 ] || skip_all "real logins run as root only (they add users and PAM service files)"
# A sanitized module needs its runtime preloaded, which setuid sudo and su and
# the sshd that re-executes itself do not allow; the plain run covers them.
[ -z "${PAM_JWT_TEST_PRELOAD:-}" ] || skip_all "real logins cannot load a sanitized module (see .ci/sanitize.sh)"
need useradd userdel setpriv

RUN=pjt-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')

cleanups=
at_exit() { # COMMAND: run at exit, the last registered first
	cleanups="$*
$cleanups"
}
cleanup() {
	set +e
	eval "$cleanups"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

bail() {
	echo "Bail out! $*"
	exit 1
}

add_user() { # NAME: a user without a password and without a home of its own
	useradd --no-create-home --home-dir / --shell /bin/sh "$1" || bail "cannot add user $1"
	at_exit "del_user $1"
}
del_user() { # NAME: userdel refuses while the user's last processes still end
	for i in 1 2 3 4 5 6 7 8 9; do
		userdel "$1" 2>/dev/null && return
		sleep 0.5
	done
	userdel "$1"
}

# log_has PATTERN FILE: FILE has a line with PATTERN (grep). A daemon may
# write it after its client has gone: sshd's monitor logs what its
# unprivileged child sends it, and a datagram to the test's syslog listener
# is written when the listener gets to it. So a missing line is waited for,
# up to 5 s, and a line that is there returns at once.
log_has() {
	for i in $(seq 50); do
		grep -q -- "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

stop() { # PIDFILE: ends the daemon this run started, and waits for it
	[ -f "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" || return
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
}

# pam_file SNIPPET STOCK FILE: FILE is a copy of STOCK (the system's own
# /etc/pam.d file) with pam.d-examples/snippets/SNIPPET in place of its
# "@include common-auth" line, as docs/stacks.md installs an example; then pointed
# at the built module and the test key, and an "@include token-or-password"
# at our copy of pam.d-examples/token-or-password. Nothing else changes.
pam_file() {
	[ -f "$2" ] || skip_all "$2 is not installed"
	grep -q '^@include common-auth$' "$2" || skip_all "$2 has no \"@include common-auth\" line to replace"
	[ -f "$T/token-or-password" ] ||
		sed -e "s|pam_jwt\.so|$PAM_JWT_MODULE|" -e "s|/etc/security/pam_jwt\.key|$T/key|" \
			"$top_srcdir/pam.d-examples/token-or-password" >"$T/token-or-password" ||
		bail "cannot write $T/token-or-password"
	sed -e '/^@include common-auth$/{' -e "r $top_srcdir/pam.d-examples/snippets/$1" -e 'd' -e '}' "$2" |
		sed -e "s|pam_jwt\.so|$PAM_JWT_MODULE|" -e "s|/etc/security/pam_jwt\.key|$T/key|" \
			-e "s|^@include token-or-password\$|@include $T/token-or-password|" >"$3.new" &&
		chmod 644 "$3.new" && mv "$3.new" "$3" || bail "cannot write $3"
}

# install_service NAME SNIPPET STOCK: /etc/pam.d/NAME from STOCK with SNIPPET,
# removed at exit.
install_service() {
	[ ! -e "/etc/pam.d/$1" ] || bail "/etc/pam.d/$1 exists already"
	at_exit "rm -f /etc/pam.d/$1"
	pam_file "$2" "$3" "/etc/pam.d/$1"
}

# with_service NAME FILE COMMAND...: runs COMMAND in a private mount namespace
# where /etc/pam.d/NAME is FILE. For programs whose service name is fixed (su,
# login): nobody else sees the change, and it ends with the command.
can_bind_service() {
	command -v unshare >/dev/null && [ -f "/etc/pam.d/$1" ] && unshare --mount true 2>/dev/null
}
with_service() {
	name=$1 file=$2
	shift 2
	unshare --mount --propagation private sh -c \
		'mount --bind "$1" "/etc/pam.d/$2" && shift 2 && cd / && exec "$@"' sh "$file" "$name" "$@"
}

as_user() { # USER COMMAND...: runs COMMAND as USER (no PAM on the way)
	u=$1
	shift
	(cd / && setpriv --reuid="$u" --regid="$u" --init-groups "$@")
}

# $ON_TTY COMMAND...: runs COMMAND on a terminal through tests/lib/pty.exp, which
# answers the password prompt with $SECRET and then types $INPUT, if set.
ON_TTY="expect -f $top_srcdir/tests/lib/pty.exp"

# syslog_capture FILE: what the programs started after it log through syslog(3)
# (pam_syslog) goes to FILE, a line per message. No syslog daemon is needed:
# without /dev/log the test binds a listener there and removes it at exit;
# with one, $IN_SYSLOG (a command prefix) runs a program in a private mount
# namespace where /dev/log is the test's listener, and the system's log is left
# alone. Two tests that capture must not run at once (tests/real.mk): removing
# the /dev/log one of them bound detaches the other's mount on it.
IN_SYSLOG=
syslog_capture() {
	if [ -e /dev/log ]; then
		sock=$T/log.sock
		IN_SYSLOG="unshare --mount --propagation private sh -c 'mount --bind \"\$0\" /dev/log && exec \"\$@\"' $sock"
	else
		sock=/dev/log
		at_exit "rm -f /dev/log"
	fi
	"$PYTHON3" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
out = open(sys.argv[2], "ab", 0)
print("ready", flush=True)
while True:
    out.write(s.recv(65536).replace(b"\n", b"\\n") + b"\n")
' "$sock" "$1" >"$T/syslog.ready" &
	at_exit "kill $!"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q ready "$T/syslog.ready" && return 0
		sleep 0.2
	done
	bail "the syslog listener did not start"
}

# The session tests (tests/real/real_sessions_*.sh): the registry $reg, pam-jwt as $PAM_JWT.
records() { ls "$reg" 2>/dev/null | grep -c '^[0-9a-f]\{32\}$'; }
wait_records() { # N: up to 15 s for the registry to hold N records
	for i in $(seq 75); do
		[ "$(records)" -eq "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
now() { date +%s; }
sleeper() { # SECONDS: the pid of the `sleep SECONDS` a session runs (a distinctive length each)
	for i in $(seq 75); do
		p=$(pgrep -x -f "/bin/sleep $1" || pgrep -x -f "sleep $1")
		[ -n "$p" ] && { echo "$p" | head -n 1; return 0; }
		sleep 0.2
	done
	return 1
}
reap() { eval "$IN_SYSLOG" '"$PAM_JWT" sessions --reap --dir "$reg"' >"$T/reap.out" 2>&1; }
