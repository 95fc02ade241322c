# Shared by the tests that log in through the real OpenSSH server and client
# (tests/real/real_sshd.sh, real_sshd_parts.sh, oidc_sshd.sh), sourced after
# tests/lib/real.sh. The test's sshd runs beside the system's: through a symlink
# named $svc (sshd names its PAM service after its program name), with its
# own port on 127.0.0.1, host key, PID file and log, and otherwise
# examples/sshd-jwt_config as shipped. The system's sshd is not touched.
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip_all "$SSHD is not installed (openssh-server)"
need ssh ssh-keygen
id sshd >/dev/null 2>&1 || skip_all "no sshd privilege separation user (openssh-server)"

# sshd_test_config USERS CONFIG [LINE...]: CONFIG as the test's sshd reads
# it, on stdout: for each keyword sshd keeps the first value, so the LINEs
# come first, then the test's own (127.0.0.1:$port, the host key $T/host_key,
# $T/sshd.pid, AllowUsers USERS), then CONFIG without its HostKey lines
# (HostKey adds up, and the shipped ones are the host's).
sshd_test_config() {
	users=$1 config=$2
	shift 2
	for line; do echo "$line"; done
	cat <<EOC
ListenAddress 127.0.0.1:$port
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile none
AllowUsers $users
UseDNS no
PrintLastLog no
LoginGraceTime 30
LogLevel VERBOSE
EOC
	grep -v '^HostKey ' "$config"
}

# sshd_prepare: sshd's privilege separation directory, normally made when its
# service starts (it is the package's own and stays), and a host key.
sshd_prepare() {
	[ -d /run/sshd ] || mkdir -m 755 /run/sshd || bail "cannot make /run/sshd"
	ssh-keygen -q -t ed25519 -N '' -f "$T/host_key" || bail "cannot make a host key"
	at_exit "stop $T/sshd.pid"
}

# start_sshd USERS [LINE...]: starts sshd for PAM service $svc, letting in
# USERS (AllowUsers), with examples/sshd-jwt_config as shipped and the LINEs
# ahead of it (sshd_test_config). Sets $port, and $SSH_OPTS for ssh.
start_sshd() {
	users=$1
	shift
	sshd_prepare
	ln -s "$SSHD" "$T/$svc"
	# sshd may still lose the free port to someone else: a few tries.
	for try in 1 2 3 4 5; do
		port=$(free_port)
		sshd_test_config "$users" "$top_srcdir/examples/sshd-jwt_config" "$@" >"$T/sshd_config"
		# -f: this config only; sshd re-executes itself, so the path is absolute.
		eval "$IN_SYSLOG" '"$T/$svc" -f "$T/sshd_config" -E "$T/sshd.log"' && break
		port=
	done
	[ -n "$port" ] || bail "sshd did not start: $(tail -n 3 "$T/sshd.log")"
	SSH_OPTS="-F none -p $port -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
-o LogLevel=ERROR -o NumberOfPasswordPrompts=1 -o PubkeyAuthentication=no
-o GSSAPIAuthentication=no -o HostbasedAuthentication=no -o ConnectTimeout=10"
}

# The client runs 'echo logged-in-as-$(id -un)' with its output in $T/out;
# each attempt empties $T/sshd.log first.
logged_in() { # USER METHOD: the command ran as USER, and sshd says by which method
	grep -qx "logged-in-as-$1" "$T/out" && log_has "Accepted $2 for $1 " "$T/sshd.log"
}
refused() { # USER METHOD: no command ran, and sshd says USER failed METHOD
	! grep -q "logged-in-as" "$T/out" && log_has "Failed $2 for $1 " "$T/sshd.log"
}
KIPAM=keyboard-interactive/pam
