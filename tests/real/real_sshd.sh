#!/bin/sh
# OpenSSH, the real sshd and ssh, as root on 127.0.0.1: sshd with
# examples/sshd-jwt_config (tests/lib/sshd.sh), its PAM service made as
# docs/sshd.md says: a copy of the system's /etc/pam.d/sshd with
# pam.d-examples/snippets/sshd in place of "@include common-auth". The ssh
# client types the token at the password and keyboard-interactive prompts
# (sshpass) and through askpass.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
need sshpass

user=$RUN-a
other=$RUN-b
add_user "$user"
add_user "$other"
svc=sshd-$RUN
install_service "$svc" sshd /etc/pam.d/sshd
syslog_capture "$T/syslog"
start_sshd "$user $other"

# ssh_as MODE TOKEN [USER]: logs USER (default $user) in through MODE
# (password or keyboard-interactive) with TOKEN typed at the prompt, and runs
# a command that prints who is logged in. Output in $T/out, sshd's log of
# this attempt in $T/sshd.log.
ssh_as() {
	: >"$T/sshd.log"
	# sshpass waits for "assword" unless told: pam_jwt's prompt is "Token: ".
	prompt=assword
	[ "$1" = password ] || prompt=Token
	# shellcheck disable=SC2086
	SSHPASS=$2 sshpass -e -P "$prompt" ssh $SSH_OPTS -o PreferredAuthentications="$1" "${3:-$user}@127.0.0.1" \
		'echo logged-in-as-$(id -un)' </dev/null >"$T/out" 2>&1
}
ssh_mint() { mint --sub "$user" --set aud='"ssh"' "$@"; }

for mode in password keyboard-interactive; do
	case $mode in
	password) log=password ;;
	*) log=$KIPAM ;;
	esac
	: >"$T/syslog"
	tok=$(ssh_mint)
	ssh_as $mode "$tok"
	logged_in "$user" $log
	ok $? "sshd, $mode: a token logs the user in and runs a command"
	# The audit line, as sshd's PAM items make it: PAM_RHOST is the client's address.
	fp=$(printf %s "$tok" | sha256sum | cut -c1-16)
	log_has "token=sha256:$fp" "$T/syslog" &&
	grep "token accepted for user $user: service=$svc user=$user " "$T/syslog" |
		grep " sub=$user " | grep " aud=ssh " | grep " rhost=127.0.0.1 " | grep " tty=ssh " |
		grep -q " token=sha256:$fp"
	ok $? "sshd, $mode: the audit line names service, user, claims, rhost 127.0.0.1 and the token's fingerprint"
	ssh_as $mode "$(ssh_mint --ttl -3600)"
	refused "$user" $log
	ok $? "sshd, $mode: an expired token is refused"
	ssh_as $mode "$(ssh_mint --sub "$other")"
	refused "$user" $log
	ok $? "sshd, $mode: a token for another user is refused"
	ssh_as $mode "$(ssh_mint --key "$T/other.key")"
	refused "$user" $log
	ok $? "sshd, $mode: a token signed with another key is refused"
done
ssh_as password "$(mint --sub "$user" --set aud='"sudo"')"
refused "$user" password
ok $? "sshd: a token for sudo is refused (audience=ssh)"
ssh_as password "$(ssh_mint --ttl 7200)"
refused "$user" password
ok $? "sshd: a token living longer than max_lifetime=3600 is refused"
ssh_as password "$(ssh_mint --sub "$other")" "$other"
logged_in "$other" password
ok $? "sshd: the other user logs in with a token of its own"

# The longest token ssh carries: its prompt (readpassphrase into 1024 bytes)
# keeps 1023 and drops the rest, in both modes; sshd's own limit for the
# password path (1024) is never reached through OpenSSH's client.
for mode in password keyboard-interactive; do
	probe() { ssh_as $mode "$(ssh_mint --length "$1")"; }
	n=$(longest 256 2048 probe)
	echo "# ssh, $mode: the longest token that logs in is $n bytes"
	[ "$n" -eq 1023 ]
	ok $? "ssh, $mode: the longest token is 1023 bytes (measured: $n)"
done

# sshd's own limits, through a client without OpenSSH's prompt (paramiko):
# the password path takes at most 1024 bytes (auth-passwd.c); the
# keyboard-interactive path has no fixed limit, so it carries the longest
# token the module takes (16384 bytes; one more and the module refuses).
if "$PYTHON3" -c 'import paramiko' 2>/dev/null; then
	for mode in password keyboard-interactive; do
		case $mode in
		password) log=password ;;
		*) log=$KIPAM ;;
		esac
		probe() {
			: >"$T/sshd.log"
			ssh_mint --length "$1" | "$PYTHON3" "$top_srcdir/tests/lib/sshlogin.py" "$port" "$user" \
				$mode 'echo logged-in-as-$(id -un)' >"$T/out" 2>&1
		}
		case $mode in
		password) want=1024 n=$(longest 256 2048 probe) ;;
		*) want=16384 n=$(longest 16384 16385 probe) ;;
		esac
		echo "# sshd, $mode: the longest token that logs in is $n bytes"
		[ "$n" -eq $want ]
		ok $? "sshd, $mode: the longest token the server takes is $want bytes (measured: $n)"
	done
else
	echo "# python3-paramiko is not installed: sshd's server-side limits not measured"
fi

# SSH_ASKPASS: the same 1023 bytes.
printf '#!/bin/sh\ncat %s/askpass.token\n' "$T" >"$T/askpass"
chmod 700 "$T/askpass"
askpass_as() { # LENGTH
	ssh_mint --length "$1" | tr -d '\n' >"$T/askpass.token"
	: >"$T/sshd.log"
	# shellcheck disable=SC2086
	SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force setsid -w ssh $SSH_OPTS \
		-o PreferredAuthentications=password "$user@127.0.0.1" 'echo logged-in-as-$(id -un)' \
		</dev/null >"$T/out" 2>&1
}
askpass_as 1023
logged_in "$user" password
ok $? "ssh with SSH_ASKPASS: a 1023-byte token logs in"
askpass_as 1024
refused "$user" password
ok $? "ssh with SSH_ASKPASS: a 1024-byte token is cut and refused"

done_testing
