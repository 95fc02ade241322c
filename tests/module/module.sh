#!/bin/sh
# pam_jwt.so through the real pamtester, with tokens minted by PyJWT and by
# Python's hmac module. Each refusal sits beside an accepted control.
. "$top_srcdir/tests/lib/lib.sh"

now=$(date +%s)
service jwt "$(jwt_line)"
service jwt_debug "$(jwt_line debug)"

# Valid tokens, every HMAC algorithm.
expect "HS256 token from PyJWT logs alice in" jwt alice "$(mint)" "$ACCEPT" "token accepted for user alice"
newkey 64 "$T/key"
for alg in HS256 HS384 HS512; do
	expect "$alg token from PyJWT is accepted (64-byte key)" jwt alice "$(mint --alg $alg)" "$ACCEPT"
done
newkey 40 "$T/key"
expect "HS384 with a 40-byte key: key refused" jwt alice "$(mint --alg HS384)" "$AUTHINFO_UNAVAIL" "needs at least 48"
newkey 32 "$T/key"

# Time.
expect "expired token is refused" jwt alice "$(mint --ttl -100)" "$AUTH_ERR" "token expired"
expect "token not yet valid (nbf) is refused" jwt alice "$(mint --set nbf=$((now + 300)))" "$AUTH_ERR" "not valid for another"
expect "token issued in the future (iat) is refused" jwt alice "$(mint --set iat=$((now + 300)))" "$AUTH_ERR" "in the future"
expect "token without exp is refused" jwt alice "$(mint --unset exp)" "$AUTH_ERR" 'no "exp"'
expect "exp as a string is refused" jwt alice "$(mint --raw --payload-json "{\"sub\":\"alice\",\"exp\":\"$((now + 60))\"}")" "$AUTH_ERR" "not a JSON number"

# Leeway edges (the clock moves while the test runs: margins of 10 s).
service leeway0 "$(jwt_line leeway=0)"
service leeway100 "$(jwt_line leeway=100)"
expect "leeway=0: token valid 10 s more is accepted" leeway0 alice "$(mint --ttl 10)" "$ACCEPT"
expect "leeway=0: token expired 2 s ago is refused" leeway0 alice "$(mint --ttl -2)" "$AUTH_ERR" "token expired"
expect "leeway=100: token expired 90 s ago is accepted" leeway100 alice "$(mint --ttl -90)" "$ACCEPT"
expect "leeway=100: token expired 110 s ago is refused" leeway100 alice "$(mint --ttl -110)" "$AUTH_ERR" "token expired"
expect "default leeway 30: token expired 20 s ago is accepted" jwt alice "$(mint --ttl -20)" "$ACCEPT"
expect "default leeway 30: token expired 40 s ago is refused" jwt alice "$(mint --ttl -40)" "$AUTH_ERR" "token expired"

# exp too far ahead: a day by default (max_expiry=); exp in milliseconds named as such.
expect "exp in milliseconds is refused, and the log says so" jwt alice "$(mint --set exp=1796232537000)" \
	"$AUTH_ERR" "exp is 1796232537000: milliseconds?"
expect "a token living two days is refused by the default max_expiry" jwt alice "$(mint --ttl 172800)" \
	"$AUTH_ERR" "beyond max_expiry=86400"
expect "control: a token living a day is accepted" jwt alice "$(mint --ttl 86400)" "$ACCEPT"
service expiry60 "$(jwt_line max_expiry=60)"
expect "max_expiry=60: a token living 120 s is refused" expiry60 alice "$(mint --ttl 120)" "$AUTH_ERR" \
	"beyond max_expiry=60"
expect "max_expiry=60: control: a token living 60 s is accepted" expiry60 alice "$(mint --ttl 60)" "$ACCEPT"

# Keys and signatures.
expect "token signed with another key is refused" jwt alice "$(mint --key "$T/other.key")" "$AUTH_ERR" "signature does not match"
tok=$(mint)
expect "token with a tampered payload is refused" jwt alice \
	"$(echo "$tok" | cut -d. -f1).$(printf '{"sub":"alice","exp":%s}' $((now + 60)) | base64 -w0 | tr '+/' '-_' | tr -d =).$(echo "$tok" | cut -d. -f3)" \
	"$AUTH_ERR" "signature does not match"
none=$("$PYTHON3" -c 'import jwt,time; print(jwt.encode({"sub":"alice","exp":int(time.time())+60}, None, algorithm="none"))')
expect "alg none from PyJWT (empty signature) is refused" jwt alice "$none" "$AUTH_ERR" "segment is empty"
expect "alg none with a signature is refused" jwt alice "$(mint --raw --header-json '{"alg":"none"}')" "$AUTH_ERR" 'alg "none"'
expect "alg nOnE is refused" jwt alice "$(mint --raw --header-json '{"alg":"nOnE"}')" "$AUTH_ERR" 'alg "none"'
expect "crit header is refused" jwt alice "$(mint --raw --header-json '{"alg":"HS256","crit":["exp"],"exp":1}')" "$AUTH_ERR" '"crit"'
service only512 "$(jwt_line algorithms=HS512)"
expect "HS256 token refused by algorithms=HS512" only512 alice "$(mint)" "$AUTH_ERR" "not in algorithms="
newkey 64 "$T/key"
expect "control: HS512 token accepted by algorithms=HS512" only512 alice "$(mint --alg HS512)" "$ACCEPT"
newkey 32 "$T/key"

# Users.
expect "token for bob is refused for alice" jwt alice "$(mint --sub bob)" "$AUTH_ERR" 'token is for user "bob"'
expect "token for a user without an account" jwt nosuchuser "$(mint --sub nosuchuser)" "$USER_UNKNOWN" "has no local account"
expect "a sub with a slash is refused" jwt alice "$(mint --sub ../alice)" "$AUTH_ERR" "holds '/'"
# No PAM user: the name check alone decides, and no byte of a refused name reaches the log.
expect "control: no PAM user, the token's user logs in" jwt "" "$(mint)" "$ACCEPT" "token accepted for user alice"
expect "no PAM user: a sub holding ESC is refused by the name check" jwt "" \
	"$(mint --raw --payload-json "{\"sub\":\"ro\\u001bot\",\"exp\":$((now + 60))}")" "$AUTH_ERR" "control characters"
! grep -q "$(printf '\033')" "$T/out"
ok $? "no PAM user: the ESC byte of the refused sub does not reach the log"
printf '# identities of the identity provider\nalice@example.com alice\nbob@example.com bob\n' >"$T/users.map"
service mapped "$(jwt_line user_map=$T/users.map)"
expect "user_map: alice@example.com logs in as alice" mapped alice "$(mint --sub alice@example.com)" "$ACCEPT"
expect "user_map: bob@example.com cannot log in as alice" mapped alice "$(mint --sub bob@example.com)" "$AUTH_ERR" 'token is for user "bob"'
expect "user_map: an unmapped identity is refused" mapped alice "$(mint --sub carol@example.com)" "$AUTH_ERR" "no entry"
# A map whose last line has no newline may be half-written: refused, whatever the entry.
printf 'alice@example.com alice\nbob@example.com bob' >"$T/users.map"
expect "user_map: a map whose last line has no newline is refused" mapped alice \
	"$(mint --sub alice@example.com)" "$AUTHINFO_UNAVAIL" "does not end with a newline"
printf 'alice@example.com alice\nbob@example.com bob\n' >"$T/users.map"
expect "user_map: control: the same map with its newline is read" mapped alice \
	"$(mint --sub alice@example.com)" "$ACCEPT"
: >"$T/users.map"
expect "user_map: an empty map maps no one" mapped alice "$(mint --sub alice@example.com)" "$AUTH_ERR" "no entry"
printf '# identities of the identity provider\nalice@example.com alice\nbob@example.com bob\n' >"$T/users.map"
chmod 0666 "$T/users.map"
expect "user_map: a world-writable map is refused" mapped alice "$(mint --sub alice@example.com)" "$AUTHINFO_UNAVAIL" "writable by group or others"
service email "$(jwt_line user_claim=email)"
expect "user_claim=email: the email claim names the user" email alice "$(mint --sub x --set email='"alice"')" "$ACCEPT"
expect "user_claim=email: without that claim the token is refused" email alice "$(mint --sub alice)" "$AUTH_ERR" 'no "email" claim'

# Issuer, audience, lifetime.
service scoped "$(jwt_line issuer=https://idp.example audience=ssh max_lifetime=600)"
scoped() { mint --set iss='"https://idp.example"' --set aud='"ssh"' "$@"; }
expect "issuer/audience: matching token is accepted" scoped alice "$(scoped)" "$ACCEPT"
expect "issuer: another issuer is refused" scoped alice "$(scoped --set iss='"https://evil.example"')" "$AUTH_ERR" "not the configured issuer"
expect "audience: another audience is refused" scoped alice "$(scoped --set aud='["web","sudo"]')" "$AUTH_ERR" "does not include"
expect "audience: an array holding it is accepted" scoped alice "$(scoped --set aud='["web","ssh"]')" "$ACCEPT"
expect "audience: a token without aud is refused" scoped alice "$(scoped --unset aud)" "$AUTH_ERR" 'no "aud"'
expect "max_lifetime=600: a one-hour token is refused" scoped alice "$(scoped --ttl 3600)" "$AUTH_ERR" "exceeds max_lifetime"
expect "max_lifetime=600: a token without iat is refused" scoped alice "$(scoped --unset iat)" "$AUTH_ERR" 'no "iat"'

# Input that is not a token.
expect "empty password is refused" jwt alice "" "$AUTH_ERR"
expect "a Unix password is refused" jwt alice "correct horse battery staple" "$AUTH_ERR" "not a JWS compact token"
expect "base64 with padding is refused" jwt alice "$(mint)=" "$AUTH_ERR" "not strict base64url"

# Key file and configuration problems.
chmod 0644 "$T/key"
expect "key file readable by others is refused" jwt alice "$(mint)" "$AUTHINFO_UNAVAIL" "readable by others"
chmod 0600 "$T/key"
service missing "auth required pam_jwt.so secret_file=$T/no-such.key"
expect "missing key file" missing alice "$(mint)" "$AUTHINFO_UNAVAIL" "cannot open"
ln -s "$T/key" "$T/link.key"
service symlink "auth required pam_jwt.so secret_file=$T/link.key"
expect "key file reached through a symlink is refused" symlink alice "$(mint)" "$AUTHINFO_UNAVAIL" "symbolic link"
# Every directory on the way to a file is checked, as OpenSSH checks authorized_keys.
mkdir "$T/keys" "$T/keys/open"
cp "$T/key" "$T/keys/open/key"
chmod 0777 "$T/keys/open"
service opendir "auth required pam_jwt.so secret_file=$T/keys/open/key"
expect "a key in a 0777 directory (not sticky) is refused, naming the directory" opendir alice "$(mint)" \
	"$AUTHINFO_UNAVAIL" "directory $T/keys/open is writable by group or others (mode 0777, not sticky)"
chmod 0770 "$T/keys/open"
expect "a key in a group-writable directory is refused" opendir alice "$(mint)" "$AUTHINFO_UNAVAIL" \
	"directory $T/keys/open is writable by group or others"
chmod 1777 "$T/keys/open"
expect "control: the same directory made sticky (as /tmp is) is accepted" opendir alice "$(mint)" "$ACCEPT"
chmod 0755 "$T/keys/open"
expect "control: the same directory at 0755 is accepted" opendir alice "$(mint)" "$ACCEPT"
ln -s "$T/keys/open" "$T/keys/linkdir"
service linkdir "auth required pam_jwt.so secret_file=$T/keys/linkdir/key"
expect "a key reached through a symlinked parent directory is refused, naming it" linkdir alice "$(mint)" \
	"$AUTHINFO_UNAVAIL" "$T/keys/linkdir is a symbolic link"
ln -s "$T/keys" "$T/keyslink"
service linkdir2 "auth required pam_jwt.so secret_file=$T/keyslink/open/key"
expect "a symlink further up the path is refused too" linkdir2 alice "$(mint)" \
	"$AUTHINFO_UNAVAIL" "$T/keyslink is a symbolic link"
mkdir "$T/keys/mapdir"
printf 'alice@example.com alice\n' >"$T/keys/mapdir/users.map"
chmod 0777 "$T/keys/mapdir"
service mapdir "$(jwt_line user_map=$T/keys/mapdir/users.map)"
expect "a user map in a 0777 directory is refused" mapdir alice "$(mint --sub alice@example.com)" \
	"$AUTHINFO_UNAVAIL" "directory $T/keys/mapdir is writable by group or others"
chmod 0755 "$T/keys/mapdir"
expect "control: the map in a 0755 directory is read" mapdir alice "$(mint --sub alice@example.com)" "$ACCEPT"

service typo "$(jwt_line isuer=https://idp.example)"
expect "misspelt argument isuer= is a configuration error" typo alice "$(mint)" "$SERVICE_ERR" 'unknown argument "isuer"'
service nokey "auth required pam_jwt.so audience=ssh"
expect "no key configured is a configuration error" nokey alice "$(mint)" "$SERVICE_ERR" "no key configured"
service badleeway "$(jwt_line leeway=soon)"
expect "malformed leeway= is a configuration error" badleeway alice "$(mint)" "$SERVICE_ERR" "leeway="

# debug logs each step, and still never the token.
expect "debug logs each check" jwt_debug alice "$(mint)" "$ACCEPT" "signature: ok"

# use_first_pass / try_first_pass: the token an earlier module read (pam_unix's
# "Password: "), without asking again. What is left after: tests/module/authtok.sh.
for flag in use_first_pass try_first_pass; do
	service "first_$flag" "auth optional pam_unix.so" "$(jwt_line "$flag")"
	pam "first_$flag" alice "$(mint)"
	grep -q "Password: " "$T/out" && ! grep -q "Token: " "$T/out" && grep -q "$ACCEPT" "$T/out"
	ok $? "$flag: pam_jwt takes the token pam_unix read, and asks nothing"
done

done_testing
