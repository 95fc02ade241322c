#!/bin/sh
# The pam.d examples as an administrator installs them, through pamtester:
# Debian 12's stock sshd, sudo, su and login files with the snippet in place of
# "@include common-auth" (pam.d-examples/debian12/), and the includable
# token-or-password. Only the module path and the key path are replaced.
. "$top_srcdir/tests/lib/lib.sh"

for f in sshd sudo su login token-or-password; do
	example "$f"
done

expect "sshd example: token for ssh is accepted" sshd alice "$(mint --set aud='"ssh"')" "$ACCEPT"
expect "sshd example: token for sudo is refused" sshd alice "$(mint --set aud='"sudo"')" "$AUTH_ERR" "does not include"
expect "sshd example: a token living 3600 s (an identity provider's) is accepted" sshd alice \
	"$(mint --set aud='"ssh"' --ttl 3600)" "$ACCEPT"
expect "sshd example: token living longer than 3600 s is refused" sshd alice "$(mint --set aud='"ssh"' --ttl 3660)" "$AUTH_ERR" "max_lifetime"
expect "sudo example: token for sudo is accepted" sudo alice "$(mint --set aud='"sudo"')" "$ACCEPT"
expect "sudo example: token without aud is refused" sudo alice "$(mint)" "$AUTH_ERR" 'no "aud"'
expect "sudo example: token for login is refused" sudo alice "$(mint --set aud='"login"')" "$AUTH_ERR" "does not include"

# su: as root the check runs as nobody (as_su_caller).
as_su_caller
AS_USER=$SU_CALLER expect "su example: a user who is not root switches with a token for the target user" \
	su alice "$(mint --set aud='"su"')" "$ACCEPT" "token accepted for user alice"
AS_USER=$SU_CALLER expect "su example: a token for another user is refused" \
	su alice "$(mint --set aud='"su"' --sub bob)" "$AUTH_ERR" 'token is for user "bob"'
su_caller_done

# Token or Unix password: a token passes without pam_unix; other input goes on
# to pam_unix, which decides (here: no such Unix password, so refused).
expect "token-or-password: a valid token logs in" token-or-password alice "$(mint --set aud='"login"')" "$ACCEPT" "token accepted"
expect "login example (token-or-password included): a valid token logs in" login alice \
	"$(mint --set aud='"login"')" "$ACCEPT" "token accepted"
pam token-or-password alice "not-a-token-but-a-password"
grep -q "not a JWS compact token" "$T/out" && grep -q "pam_unix\|authentication failure" "$T/out" &&
	! grep -q "successfully authenticated" "$T/out"
ok $? "token-or-password: a password is refused by pam_jwt and handed to pam_unix"
pam token-or-password alice "$(mint --set aud='"login"' --ttl -3600)"
grep -q "token expired" "$T/out" && ! grep -q "successfully authenticated" "$T/out"
ok $? "token-or-password: an expired token is refused by both modules"
pam token-or-password alice "$(mint --set aud='"ssh"')"
grep -q "does not include" "$T/out" && ! grep -q "successfully authenticated" "$T/out"
ok $? "token-or-password: a token for ssh is refused by both modules (audience=login)"

# Includable files are auth-only: a service that includes one runs its own
# account and session lines once.
grep -Ev '^[[:space:]]*(#|$)' "$top_srcdir/pam.d-examples/token-or-password" | grep -Ev '^auth[[:space:]]' >"$T/out"
[ ! -s "$T/out" ]
ok $? "token-or-password holds auth lines only"

done_testing
