#!/bin/sh
# Long provider tokens through the real OpenSSH client and sshd, as root on
# 127.0.0.1 (set up as tests/real/real_sshd.sh does): keyboard-interactive, with
# the parts given by pam-jwt askpass (SSH_ASKPASS, SSH_ASKPASS_REQUIRE=force)
# or typed at a terminal (expect). RS256 tokens shaped like Keycloak, Entra ID
# and Google ones, signed by PyJWT and jwcrypto (tests/lib/idp_mint.py).
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
[ -z "${PAM_JWT_TEST_WRAPPER:-}" ] || skip_all "real logins are not run under valgrind"
. "$top_srcdir/tests/lib/sshd.sh"
need sshpass expect setsid
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"

user=$RUN-a
add_user "$user"
svc=sshd-$RUN
mkdir "$T/idp"
"$PYTHON3" "$top_srcdir/tests/lib/idp_mint.py" keys "$T/idp" || bail "cannot make RSA keys"
chmod 644 "$T/idp/jwks.json"
install_service "$svc" sshd /etc/pam.d/sshd
sed -i "s|secret_file=$T/key|jwks_file=$T/idp/jwks.json|" "/etc/pam.d/$svc"
grep -q "jwks_file=$T/idp/jwks.json audience=ssh" "/etc/pam.d/$svc" || bail "cannot point $svc at the key set"
# Typing 25 parts at a terminal takes a while.
start_sshd "$user" "LoginGraceTime 60"

KI="-o PreferredAuthentications=keyboard-interactive"
# tests/lib/lib.sh has a shell function named expect: the program by its path.
TTY="env expect -f $top_srcdir/tests/lib/pty.exp"
# idp LENGTH [SHAPE LIB BITS]: a provider-shaped RS256 token of LENGTH bytes.
idp() {
	"$PYTHON3" "$top_srcdir/tests/lib/idp_mint.py" token "$T/idp" --sub "$user" --aud ssh \
		--shape "${2:-entra}" --lib "${3:-jwcrypto}" --bits "${4:-4096}" --length "$1"
}
# The tokens: the shortest provider shapes (Google's, RS256-2048) for the lengths
# around ssh's 1023-byte cut, then Keycloak's, Entra ID's and Google's with
# 4096-bit keys.
specs="1023:google:pyjwt:2048 1024:google:jwcrypto:2048 1500:keycloak:pyjwt:2048
4000:entra:jwcrypto:4096 12000:google:pyjwt:4096"

# pam-jwt askpass as ssh runs it: by path, with the prompt alone.
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/pam-jwt-askpass"
export PAM_JWT_TOKEN_FILE="$T/token"
askpass_ssh() { # [SSH OPTIONS]: logs in with the token in $T/token
	: >"$T/sshd.log"
	# shellcheck disable=SC2086
	DISPLAY=:0 SSH_ASKPASS="$T/pam-jwt-askpass" SSH_ASKPASS_REQUIRE=force setsid -w ssh $SSH_OPTS \
		"${@:-$KI}" "$user@127.0.0.1" 'echo logged-in-as-$(id -un)' </dev/null >"$T/out" 2>&1
}
put_token() { # TOKEN: the token file, the user's own and mode 0600
	printf '%s\n' "$1" >"$T/token" && chmod 600 "$T/token"
}
# typed_ssh FIRST [PARTS]: FIRST typed at "Token: ", each line of PARTS at the part prompts.
typed_ssh() {
	: >"$T/sshd.log"
	# shellcheck disable=SC2086
	SECRET=$1 PARTS=${2:-} $TTY ssh $SSH_OPTS $KI "$user@127.0.0.1" \
		'echo logged-in-as-$(id -un)' >"$T/out" 2>&1
}
typed_parts() { # TOKEN: pam-jwt split's parts, typed
	printf '%s' "$1" | "$top_builddir/pam-jwt" split >"$T/parts"
	typed_ssh "$(sed -n 1p "$T/parts")" "$(sed 1d "$T/parts")"
}

for spec in $specs; do
	IFS=: read -r len shape lib bits <<EOS
$spec
EOS
	tok=$(idp "$len" "$shape" "$lib" "$bits")
	[ ${#tok} -eq "$len" ] || bail "idp_mint.py made ${#tok} bytes, not $len"
	put_token "$tok"
	askpass_ssh
	logged_in "$user" $KIPAM
	ok $? "ssh + pam-jwt askpass: a $len-byte $shape-shaped RS256-$bits token ($lib) logs in"
	typed_parts "$tok"
	logged_in "$user" $KIPAM
	ok $? "ssh at a terminal: the same $len-byte token typed in $(wc -l <"$T/parts") parts logs in"
done

# The longest token that logs in with parts: the module's own limit.
probe() { put_token "$(idp "$1")" && askpass_ssh; }
n=$(longest 16384 16385 probe)
echo "# ssh + askpass, keyboard-interactive, parts: the longest token that logs in is $n bytes"
[ "$n" -eq 16384 ]
ok $? "ssh + askpass with parts: the longest token is 16384 bytes (measured: $n)"

# Refusals, each beside the accepted controls above.
tok=$(idp 1500 keycloak pyjwt 2048)
printf '%s' "$tok" | "$top_builddir/pam-jwt" split >"$T/parts"
p1=$(sed -n 1p "$T/parts") p2=$(sed -n 2p "$T/parts") p3=$(sed -n 3p "$T/parts") p4=$(sed -n 4p "$T/parts")
nl='
'
# One character of part 2 changed: A for anything else, B for an A.
bad2=$(printf '%s' "$p2" | awk '{ c = substr($0, 106, 1); print substr($0, 1, 105) (c == "A" ? "B" : "A") substr($0, 107) }')
[ "$bad2" != "$p2" ] && [ ${#bad2} -eq ${#p2} ] || bail "cannot tamper with part 2"
typed_ssh "$p1" "$bad2$nl$p3$nl$p4"
refused "$user" $KIPAM
ok $? "ssh at a terminal: a tampered part is refused"
typed_ssh "$p1" "$p3$nl$p2$nl$p4"
refused "$user" $KIPAM
ok $? "ssh at a terminal: parts out of order are refused"
typed_ssh "$p1" "$p2$nl$p3$nl$p2"
refused "$user" $KIPAM
ok $? "ssh at a terminal: a repeated part is refused"
typed_ssh "1/41:${p1#1/4:}"
refused "$user" $KIPAM
ok $? "ssh at a terminal: a part of 41 (too many parts) is refused"
over=$(idp 16385)
printf '%s' "$over" | fold -w 480 | awk '{ printf "%d/35:%s\n", NR, $0 }' >"$T/parts"
typed_ssh "$(sed -n 1p "$T/parts")" "$(sed 1d "$T/parts")"
refused "$user" $KIPAM
ok $? "ssh at a terminal: a joined token over 16 KiB (35 parts by hand) is refused"
: >"$T/sshd.log"
# shellcheck disable=SC2086
SSHPASS=$p1 sshpass -e ssh $SSH_OPTS -o PreferredAuthentications=password "$user@127.0.0.1" \
	'echo logged-in-as-$(id -un)' </dev/null >"$T/out" 2>&1
refused "$user" password
ok $? "sshd's password method repeats part 1 at every prompt: refused"
put_token "$tok"
askpass_ssh -o PreferredAuthentications=password
# ssh sends no password when its askpass gives none: no login, and sshd saw no token.
! grep -q "logged-in-as" "$T/out" && grep -q "not pam_jwt's prompt" "$T/out" &&
	! grep -q "Accepted" "$T/sshd.log"
ok $? "askpass asked ssh's password prompt gives no token: no login"
chmod 644 "$T/token"
askpass_ssh
refused "$user" $KIPAM && grep -q "mode 0644" "$T/out"
ok $? "askpass: a token file with mode 0644 is refused"
chmod 600 "$T/token"
chown "$user" "$T/token"
askpass_ssh
refused "$user" $KIPAM && grep -q "not to you" "$T/out"
ok $? "askpass: a token file owned by another user is refused"
chown 0 "$T/token"
askpass_ssh
logged_in "$user" $KIPAM
ok $? "askpass: the same file, the user's own again, logs in (control)"

done_testing
