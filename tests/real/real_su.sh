#!/bin/sh
# su and login, the real programs, as root, with their service files made as
# docs/sudo-su.md says (a copy of the system's file with a snippet in place of
# "@include common-auth"): pam.d-examples/snippets/su for su from one throwaway
# user to another, snippets/token-or-password for login with a token or a real
# Unix password. Their service names are fixed ("su",
# "login"), so each runs in a private mount namespace where that one file is
# ours: /etc/pam.d is never changed.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
need su expect
can_bind_service su || skip_all "needs a private mount namespace (unshare --mount) and /etc/pam.d/su"

from=$RUN-a
to=$RUN-b
add_user "$from"
add_user "$to"
pam_file su /etc/pam.d/su "$T/su"

# su_to TOKEN: $from types TOKEN at su's prompt to run `id -un` as $to.
su_to() {
	SECRET=$1 with_service su "$T/su" $ON_TTY setpriv --reuid="$from" --regid="$from" \
		--init-groups su -c "id -un" "$to" >"$T/out" 2>&1
}
su_ok() { # DESCRIPTION TOKEN: su succeeds and runs the command as $to
	su_to "$2" && grep -qx "$to" "$T/out"
	ok $? "$1"
}
su_refused() { # DESCRIPTION TOKEN
	! su_to "$2" && grep -q "Authentication failure" "$T/out" && ! grep -qx "$to" "$T/out"
	ok $? "$1"
}
su_mint() { mint --sub "$to" --set aud='"su"' "$@"; }

su_ok "su: a token for the target user switches to it" "$(su_mint)"
su_refused "su: an expired token is refused" "$(su_mint --ttl -3600)"
su_refused "su: a token for another user is refused" "$(su_mint --sub "$from")"
su_refused "su: a token signed with another key is refused" "$(su_mint --key "$T/other.key")"
su_refused "su: a token for ssh is refused (audience=su)" "$(mint --sub "$to" --set aud='"ssh"')"

# The longest token su passes on: the terminal's line and misc_conv both end
# at 4095 bytes.
su_len() { su_to "$(su_mint --length "$1")"; }
n=$(longest 256 8192 su_len)
echo "# su: the longest token that logs in is $n bytes"
[ "$n" -eq 4095 ]
ok $? "su: the longest token is 4095 bytes (measured: $n)"

# login with token-or-password: a token, or else the Unix password (pam_unix).
if [ -f /etc/pam.d/login ] && command -v login >/dev/null && command -v chpasswd >/dev/null; then
	pam_file token-or-password /etc/pam.d/login "$T/login"
	user=$RUN-c
	add_user "$user"
	password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	echo "$user:$password" | chpasswd || bail "cannot set a password for $user"
	# login_as SECRET [THEN]: logs $user in at a terminal and runs id -un there;
	# THEN answers pam_unix's prompt after a refused token.
	login_as() {
		SECRET=$1 THEN=${2:-} INPUT="echo logged-in-as-\$(id -un); exit" \
			with_service login "$T/login" $ON_TTY login "$user" >"$T/out" 2>&1 &&
			grep -q "logged-in-as-$user" "$T/out"
	}
	login_as "$(mint --sub "$user" --set aud='"login"')"
	ok $? "login, token-or-password: a token logs in"
	login_as "$password"
	ok $? "login, token-or-password: the Unix password logs in (pam_unix)"
	! login_as "wrong-$password" && grep -q "Login incorrect" "$T/out"
	ok $? "login, token-or-password: a wrong password is refused"
	expired=$(mint --sub "$user" --set aud='"login"' --ttl -3600)
	! login_as "$expired" "wrong-$password" && grep -q "Login incorrect" "$T/out"
	ok $? "login, token-or-password: an expired token is refused, and the wrong password pam_unix then asks for"
	# pam_jwt hands pam_unix no token (tests/module/authtok.sh): pam_unix asks.
	login_as "$expired" "$password"
	ok $? "login, token-or-password: after a refused token pam_unix asks for the Unix password, which logs in"
else
	echo "# login is not installed: login tests skipped"
fi

done_testing
