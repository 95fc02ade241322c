#!/bin/sh
# Long provider tokens through the real sudo and su, as root, set up as
# tests/real/real_sudo.sh and tests/real/real_su.sh do: sudo -A with pam-jwt askpass as
# SUDO_ASKPASS, sudo at a terminal with the parts typed (sudo hands PAM at
# most 511 bytes a reply), and su at a terminal. RS256 tokens shaped like
# Keycloak and Entra ID ones, from PyJWT and jwcrypto (tests/lib/idp_mint.py).
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
[ -z "${PAM_JWT_TEST_WRAPPER:-}" ] || skip_all "real logins are not run under valgrind"
need sudo visudo su expect
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"

user=$RUN-a
to=$RUN-b
add_user "$user"
add_user "$to"
mkdir "$T/idp"
"$PYTHON3" "$top_srcdir/tests/lib/idp_mint.py" keys "$T/idp" || bail "cannot make RSA keys"
chmod 644 "$T/idp/jwks.json"
chmod 711 "$T"
idp() { # SUB AUD LENGTH SHAPE LIB BITS
	"$PYTHON3" "$top_srcdir/tests/lib/idp_mint.py" token "$T/idp" --sub "$1" --aud "$2" --ttl 120 \
		--length "$3" --shape "${4:-keycloak}" --lib "${5:-pyjwt}" --bits "${6:-2048}"
}
TTY="env expect -f $top_srcdir/tests/lib/pty.exp"
split_to() { # TOKEN FILE
	printf '%s' "$1" | "$top_builddir/pam-jwt" split >"$2"
}

# sudo: its own PAM service, Debian's with the sudo snippet, with the key set.
at_exit "rm -rf /run/sudo/ts/$user /var/lib/sudo/lectured/$user"
install_service "$RUN-sudo" sudo /etc/pam.d/sudo
sed -i "s|secret_file=$T/key|jwks_file=$T/idp/jwks.json|" "/etc/pam.d/$RUN-sudo"
grep -q "jwks_file=$T/idp/jwks.json audience=sudo" "/etc/pam.d/$RUN-sudo" || bail "cannot point $RUN-sudo at the key set"
cat >"$T/sudoers" <<EOS
Defaults:$user pam_service=$RUN-sudo, pam_login_service=$RUN-sudo
Defaults:$user timestamp_timeout=0, passwd_tries=1, lecture=never, !mail_badpass
$user ALL=(root) /usr/bin/id
EOS
visudo -cqf "$T/sudoers" || bail "the test sudoers file does not parse"
at_exit "rm -f /etc/sudoers.d/$RUN /etc/sudoers.d/$RUN.new"
install -m 440 "$T/sudoers" "/etc/sudoers.d/$RUN.new" && mv "/etc/sudoers.d/$RUN.new" "/etc/sudoers.d/$RUN" ||
	bail "cannot install /etc/sudoers.d/$RUN"

# The user's token file and askpass link, in a directory of the user's own.
mkdir -m 700 "$T/home" && chown "$user" "$T/home"
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/pam-jwt-askpass"
put_token() { # TOKEN
	printf '%s\n' "$1" >"$T/home/token" && chown "$user" "$T/home/token" && chmod 600 "$T/home/token"
}
sudo_A() {
	as_user "$user" env SUDO_ASKPASS="$T/pam-jwt-askpass" PAM_JWT_TOKEN_FILE="$T/home/token" \
		sudo -A /usr/bin/id -u </dev/null >"$T/out" 2>&1 && grep -qx 0 "$T/out"
}
sudo_tty() { # FIRST PARTS
	SECRET=$1 PARTS=$2 $TTY setpriv --reuid="$user" --regid="$user" --init-groups \
		sudo /usr/bin/id -u >"$T/out" 2>&1 && grep -qx 0 "$T/out"
}

tok=$(idp "$user" sudo 1500)
[ ${#tok} -eq 1500 ] || bail "idp_mint.py made ${#tok} bytes, not 1500"
put_token "$tok"
sudo_A
ok $? "sudo -A + pam-jwt askpass: a 1500-byte Keycloak-shaped RS256-2048 token (PyJWT) runs id as root"
! sudo_tty "$tok" "" && grep -q "^pam_jwt: no token was read: sudo takes an answer of at most 511 bytes\. For a longer token use sudo -A with pam-jwt-askpass, or paste it in parts (pam-jwt split)\.$" "$T/out"
ok $? "sudo at a terminal: the same token pasted whole is refused, and the user is told why and what to do"
split_to "$tok" "$T/parts"
sudo_tty "$(sed -n 1p "$T/parts")" "$(sed 1d "$T/parts")"
ok $? "sudo at a terminal: the same token typed in $(wc -l <"$T/parts") parts runs id as root"
tok=$(idp "$user" sudo 4000 entra jwcrypto 4096)
put_token "$tok"
sudo_A
ok $? "sudo -A: a 4000-byte Entra-shaped RS256-4096 token (jwcrypto) runs id as root"
! sudo_tty "$(sed -n 1p "$T/parts")" "$(sed -n 3p "$T/parts")"
ok $? "sudo at a terminal: parts out of order are refused"
put_token "$(idp "$to" sudo 1500)"
! sudo_A
ok $? "sudo -A: a token for another user is refused (control for the askpass path)"
probe() { put_token "$(idp "$user" sudo "$1" entra jwcrypto 4096)" && sudo_A; }
n=$(longest 16384 16385 probe)
echo "# sudo -A + askpass, parts: the longest token that logs in is $n bytes"
[ "$n" -eq 16384 ]
ok $? "sudo -A with parts: the longest token is 16384 bytes (measured: $n)"

# su: Debian's file with the su snippet and the key set, in a private mount namespace.
if can_bind_service su; then
	pam_file su /etc/pam.d/su "$T/su"
	sed -i "s|secret_file=$T/key|jwks_file=$T/idp/jwks.json|" "$T/su"
	su_typed() { # FILE OF PARTS
		SECRET=$(sed -n 1p "$1") PARTS=$(sed 1d "$1") with_service su "$T/su" $TTY \
			setpriv --reuid="$user" --regid="$user" --init-groups su -c "id -un" "$to" \
			>"$T/out" 2>&1 && grep -qx "$to" "$T/out"
	}
	tok=$(idp "$to" su 6000 entra jwcrypto 4096)
	split_to "$tok" "$T/parts"
	su_typed "$T/parts"
	ok $? "su at a terminal: a 6000-byte Entra-shaped RS256-4096 token in $(wc -l <"$T/parts") parts switches user"
	sed -i '2s/^2\//3\//' "$T/parts"
	! su_typed "$T/parts"
	ok $? "su at a terminal: a part with the wrong number is refused"
	probe() {
		idp "$to" su "$1" keycloak jwcrypto 4096 | tr -d '\n' | fold -w 480 |
			awk '{ a[NR] = $0 } END { for (i = 1; i <= NR; i++) printf "%d/%d:%s\n", i, NR, a[i] }' >"$T/parts"
		su_typed "$T/parts"
	}
	n=$(longest 16384 16385 probe)
	echo "# su at a terminal, parts: the longest token that logs in is $n bytes"
	[ "$n" -eq 16384 ]
	ok $? "su with parts: the longest token is 16384 bytes (measured: $n)"
else
	echo "# su: needs a private mount namespace (unshare --mount) and /etc/pam.d/su: skipped"
fi

done_testing
