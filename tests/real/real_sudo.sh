#!/bin/sh
# sudo, the real program, as root: a throwaway user with a sudoers drop-in
# whose Defaults select a PAM service of its own (pam_service, sudo 1.9), made
# as docs/sudo-su.md says: a copy of the system's /etc/pam.d/sudo with
# pam.d-examples/snippets/sudo in place of "@include common-auth"; the token is
# read by `sudo -S` on standard input. A second user's service includes
# pam.d-examples/token-or-password instead, with a real Unix password.
# /etc/pam.d/sudo is never changed.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
need sudo visudo chpasswd

user=$RUN-a
other=$RUN-b
add_user "$user"
add_user "$other"
at_exit "rm -rf /run/sudo/ts/$user /run/sudo/ts/$other /var/lib/sudo/lectured/$user /var/lib/sudo/lectured/$other"
install_service "$RUN-sudo" sudo /etc/pam.d/sudo
install_service "$RUN-top" token-or-password /etc/pam.d/sudo

# No cached credentials, one try, no lecture, no mail: each run asks again.
cat >"$T/sudoers" <<EOS
Defaults:$user pam_service=$RUN-sudo, pam_login_service=$RUN-sudo
Defaults:$other pam_service=$RUN-top, pam_login_service=$RUN-top
Defaults:$user, $other timestamp_timeout=0, passwd_tries=1, lecture=never, !mail_badpass
$user, $other ALL=(root) /usr/bin/id
EOS
visudo -cqf "$T/sudoers" || bail "the test sudoers file does not parse"
# A name with a dot is skipped by @includedir, so the file is complete before it counts.
at_exit "rm -f /etc/sudoers.d/$RUN /etc/sudoers.d/$RUN.new"
install -m 440 "$T/sudoers" "/etc/sudoers.d/$RUN.new" && mv "/etc/sudoers.d/$RUN.new" "/etc/sudoers.d/$RUN" ||
	bail "cannot install /etc/sudoers.d/$RUN"
visudo -cq >/dev/null || bail "sudoers does not parse with /etc/sudoers.d/$RUN"

# What the module (and sudo) log goes to $T/syslog.
syslog_capture "$T/syslog"

# sudo_as USER SECRET: USER runs `sudo -S id -u` with SECRET on standard input.
sudo_as() {
	printf '%s\n' "$2" | (cd / && eval "$IN_SYSLOG" \
		'setpriv --reuid="$1" --regid="$1" --init-groups sudo -S -p "" /usr/bin/id -u') >"$T/out" 2>&1
}
sudo_ok() { # DESCRIPTION USER SECRET: the command ran as root
	sudo_as "$2" "$3" && grep -qx 0 "$T/out"
	ok $? "$1"
}
sudo_refused() { # DESCRIPTION USER SECRET
	! sudo_as "$2" "$3" && grep -q "incorrect password\|a password is required" "$T/out" &&
		! grep -qx 0 "$T/out"
	ok $? "$1"
}
sudo_mint() { mint --sub "$user" --set aud='"sudo"' "$@"; }

sudo_ok "sudo: a token for the user runs id -u as root" "$user" "$(sudo_mint)"
sudo_refused "sudo: an expired token is refused" "$user" "$(sudo_mint --ttl -3600)"
sudo_refused "sudo: a token for another user is refused" "$user" "$(sudo_mint --sub "$other")"
sudo_refused "sudo: a token signed with another key is refused" "$user" "$(sudo_mint --key "$T/other.key")"
sudo_refused "sudo: a token for ssh is refused (audience=sudo)" "$user" "$(mint --sub "$user" --set aud='"ssh"')"
sudo_refused "sudo: a token living longer than max_lifetime=3600 is refused" "$user" "$(sudo_mint --ttl 7200)"

# sudo reads up to 1023 bytes but hands PAM only replies shorter than 512.
sudo_len() { sudo_as "$user" "$(sudo_mint --length "$1")"; }
n=$(longest 256 2048 sudo_len)
echo "# sudo: the longest token that logs in is $n bytes"
[ "$n" -eq 511 ]
ok $? "sudo: the longest token is 511 bytes (measured: $n)"
sudo_as "$user" "$(sudo_mint --length 512)"
grep -q "a password is required" "$T/out" && ! grep -qx 0 "$T/out"
ok $? "sudo: a 512-byte token is refused before it reaches PAM"
# sudo fails the conversation for an answer of 512 bytes or more, and says
# only "Authentication token manipulation error" (PAM_AUTHTOK_ERR, which the
# module cannot change). The module's log line and the message it sends the
# user say what happened and what to do.
sudo_as "$user" "$(sudo_mint --length 600)"
st=0
grep -q "PAM authentication error: Authentication token manipulation error" "$T/out" || st=1
grep -q "^pam_jwt: no token was read: sudo takes an answer of at most 511 bytes\. For a longer token use sudo -A with pam-jwt-askpass, or paste it in parts (pam-jwt split)\.$" "$T/out" || st=1
ok $st "sudo: a 600-byte token: the user is told sudo takes at most 511 bytes, and to use sudo -A with pam-jwt-askpass or pam-jwt split"
log_has "token refused: service=$RUN-sudo user=$user .*reason: no token: Authentication token manipulation error: sudo refuses an answer of 512 bytes or more, so a token over 511 bytes never reaches the module; use sudo -A with pam-jwt-askpass, or give the token in parts (pam-jwt split)$" "$T/syslog"
ok $? "sudo: a 600-byte token: the log line says sudo refused an answer of 512 bytes or more, and what to do"

# token-or-password: a token, or else the Unix password through pam_unix.
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
echo "$other:$password" | chpasswd || bail "cannot set a password for $other"
sudo_ok "sudo, token-or-password: a token runs the command" "$other" "$(mint --sub "$other" --set aud='"login"')"
sudo_ok "sudo, token-or-password: the Unix password runs the command (pam_unix)" "$other" "$password"
# The password's audit line: no fingerprint, which was the first 64 bits of
# the password's unsalted SHA-256, nor any other function of it.
st=0
log_has "token refused: service=$RUN-top user=$other.* reason: not a JWS compact token" "$T/syslog" || st=1
grep "token refused: service=$RUN-top" "$T/syslog" | grep -q " token=" && st=1
grep -q "$(printf %s "$password" | sha256sum | cut -c1-16)" "$T/syslog" && st=1
ok $st "sudo, token-or-password: no fingerprint of the Unix password, nor its SHA-256, in the log"
tok=$(mint --sub "$other" --set aud='"sudo"')
sudo_as "$other" "$tok"
log_has "token refused: service=$RUN-top user=$other .*token=sha256:$(printf %s "$tok" | sha256sum | cut -c1-16) " "$T/syslog"
ok $? "sudo, token-or-password: control: a refused token (aud sudo, not login) is named by its fingerprint"
sudo_refused "sudo, token-or-password: a wrong password is refused" "$other" "wrong-$password"

done_testing
