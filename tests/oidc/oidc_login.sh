#!/bin/sh
# pam-jwt login against a real OpenID Connect provider (glewlwyd, see
# tests/lib/idp.sh): the device flow with the user's approval given through
# glewlwyd's own user API the way a browser gives it, the token cache, the
# refresh and password grants, and the module accepting what was stored.
# Refusals (an expired device code, a denied approval, another issuer) leave
# the token cache untouched; glewlwyd has no way to deny a device code, so the
# denial (and slow_down) come from tests/lib/fake_idp.py.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/idp.sh"
PAM_JWT=$top_builddir/pam-jwt
export XDG_CACHE_HOME="$T/cache"
CACHE=$XDG_CACHE_HOME/pam-jwt
t0=$(date +%s.%N)

idp_start ES256
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --cacert "$IDP_CA" >"$T/out" 2>&1
ok $? "control: the provider's keys are synced"
service login "auth required pam_jwt.so jwks_file=$T/jwks.json issuer=$IDP_ISS audience=$IDP_CLIENT"
service login_access "auth required pam_jwt.so jwks_file=$T/jwks.json issuer=$IDP_ISS [audience=openid pam]"
service login_conf "auth required pam_jwt.so jwks_file=$T/jwks.json issuer=$IDP_ISS audience=$IDP_CCLIENT"

no_approval() { :; }
snapshot() { (cd "$T" && find cache -exec stat -c '%n %a %Y %s' {} + 2>/dev/null | sort && cat cache/pam-jwt/* 2>/dev/null) >"$T/cache.$1"; }
untouched() { snapshot now; cmp -s "$T/cache.before" "$T/cache.now"; }

s=$(date +%s.%N)
idp_login idp_approve --scope "openid pam"
ok $? "device flow: pam-jwt login gets a token once the user approves in glewlwyd"
echo "# the device flow with approval took $(echo "$(date +%s.%N) - $s" | bc) s"
grep -q "^To log in, open $IDP_ISS/device" "$T/out" && grep -q "^and enter the code [A-Z0-9-]*$" "$T/out"
ok $? "device flow: it shows the verification URL and the user code"
[ "$(stat -c '%a %U' "$CACHE")" = "700 $(id -un)" ] &&
	[ "$(stat -c '%a %U' "$CACHE/token")" = "600 $(id -un)" ] &&
	[ "$(stat -c '%a %U' "$CACHE/refresh_token")" = "600 $(id -un)" ]
ok $? "device flow: the token and refresh token are stored 0600 in a 0700 directory of the user's"
tok=$(cat "$CACHE/token")
"$PAM_JWT" decode --json <"$CACHE/token" | jq -e --arg u "$IDP_USER" --arg c "$IDP_CLIENT" \
	'.claims.sub == $u and .claims.aud == $c and .claims.groups == ["wheel", "pam-users"]' >"$T/out"
ok $? "device flow: the ID token names the user (sub), the client (aud) and the user's groups"
expect "device flow: the stored ID token logs the user in (audience= the client id)" login "$IDP_USER" "$tok" "$ACCEPT"
expect "device flow: the stored ID token is refused for another user" login bob "$tok" "$AUTH_ERR"

# --refresh keeps the kind of token cached. glewlwyd answers a refresh token
# with an access token only (no new ID token): after an ID-token login
# --refresh refuses and leaves the cache as it was, and so does --refresh
# --token access, which would put a token of another audience (glewlwyd's
# scope string) where the hosts expect the ID token.
snapshot before
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --refresh >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "no new ID token" "$T/out" && grep -q "the cached token is left as it was" "$T/out" && untouched
ok $? "--refresh: no new ID token from glewlwyd is said, and the cache is untouched"
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --refresh --token access >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "the cached token is an ID token, and --refresh keeps its kind" "$T/out" && untouched
ok $? "--refresh --token access after an ID-token login: refused, the cache untouched (the ID token stays)"
expect "--refresh: the ID token left in the cache still logs in" login "$IDP_USER" "$(cat "$CACHE/token")" "$ACCEPT"
# A login for the access token: --refresh then gets a new one of that kind.
idp_login idp_approve --scope "openid pam" --token access
ok $? "device flow --token access: the access token is stored"
cp "$CACHE/token" "$T/access.before"
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --refresh >"$T/out" 2>&1 &&
	! cmp -s "$CACHE/token" "$T/access.before" && [ "$(cat "$CACHE/token_kind")" = access ]
ok $? "--refresh after --token access: a new access token without the browser step"
expect "--refresh: the access token logs in ([audience=openid pam], glewlwyd's scope string)" \
	login_access "$IDP_USER" "$(cat "$CACHE/token")" "$ACCEPT"
expect "--token access: the access token is refused where the audience is the client id" \
	login "$IDP_USER" "$(cat "$CACHE/token")" "$AUTH_ERR"

# --password: a confidential client (its secret in a file), the password on
# standard input.
printf '%s\n' "$IDP_PASSWORD" | "$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CCLIENT" \
	--client-secret-file "$IDP_DIR/client.secret" --password --user "$IDP_USER" --scope "openid pam" \
	--cacert "$IDP_CA" >"$T/out" 2>&1 && grep -q "not recommended" "$T/out"
ok $? "--password: a token by the password grant, with a warning that it is not recommended"
expect "--password: the ID token logs in" login_conf "$IDP_USER" "$(cat "$CACHE/token")" "$ACCEPT"
snapshot before
printf 'wrong\n' | "$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CCLIENT" \
	--client-secret-file "$IDP_DIR/client.secret" --password --user "$IDP_USER" --scope "openid pam" \
	--cacert "$IDP_CA" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "refused the password grant" "$T/out" && untouched
ok $? "--password: a wrong password is refused, the cache untouched"
if ps -o args= -C pam-jwt 2>/dev/null | grep -q "$IDP_PASSWORD"; then st=1; else st=0; fi
ok $st "--password: the password never is an argument"

# Refusals: the cache stays as it was.
snapshot before
"$PAM_JWT" login --issuer "$IDP_ISS/" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "must be exactly the URL" "$T/out" && untouched
ok $? "refused, cache untouched: an issuer other than the discovery's"
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "certificate" "$T/out" && untouched
ok $? "refused, cache untouched: TLS with an unknown CA"

# An expired device code: glewlwyd's codes made to live 2 s.
IDP_DEVICE_EXPIRATION=2
idp_api PUT /mod/plugin/oidc "$(idp_plugin_json ES256 sign)" >/dev/null &&
	idp_api PUT /mod/plugin/oidc/reset >/dev/null
s=$(date +%s.%N)
idp_login no_approval --scope "openid pam"
[ $? -eq 1 ] && grep -q "code expired before it was approved" "$T/out" && untouched
ok $? "refused, cache untouched: a device code that expires unapproved (glewlwyd: expired_token)"
echo "# the expired code was given up after $(echo "$(date +%s.%N) - $s" | bc) s"
chmod 755 "$CACHE"
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --refresh --token access >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "open to others" "$T/out"
ok $? "refused: a token cache directory open to others"
chmod 700 "$CACHE"

# The fake provider: a denial, and slow_down.
"$PYTHON3" "$top_srcdir/tests/lib/fake_idp.py" "$T/fake.port" 2>"$T/fake.log" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; idp_stop; rm -rf "$T"' EXIT
for i in $(seq 1 50); do [ -f "$T/fake.port" ] && break; sleep 0.1; done
FAKE=http://127.0.0.1:$(cat "$T/fake.port")
snapshot before
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/deny" --client-id c >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "the approval was denied" "$T/out" && untouched
ok $? "refused, cache untouched: a denied approval (access_denied, fake provider)"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/expire" --client-id c >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "code expired" "$T/out" && untouched
ok $? "refused, cache untouched: expired_token (fake provider)"
# --refresh keeps the kind: a provider that answers a refresh with an ID token
# gets it stored; one that answers without one leaves the cached ID token, but
# a new (rotated) refresh token is kept.
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c >"$T/out" 2>&1 &&
	cp "$CACHE/token" "$T/id.before" &&
	"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --refresh >"$T/out" 2>&1 &&
	! cmp -s "$CACHE/token" "$T/id.before" && [ "$(cat "$CACHE/token_kind")" = id ] &&
	"$PAM_JWT" decode --json <"$CACHE/token" | jq -e '.claims.aud == "c"' >/dev/null
ok $? "--refresh (fake provider): a new ID token is stored, still of kind id"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/norefreshid" --client-id c >"$T/out" 2>&1 &&
	[ "$(cat "$CACHE/refresh_token")" = rt-1 ]
ok $? "control (fake provider): a device login stores the ID token and the refresh token rt-1"
cp "$CACHE/token" "$T/id.before"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/norefreshid" --client-id c --refresh >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "no new ID token" "$T/out" && cmp -s "$CACHE/token" "$T/id.before" &&
	[ "$(cat "$CACHE/token_kind")" = id ] && [ "$(cat "$CACHE/refresh_token")" = rt-2 ]
ok $? "--refresh answered without an ID token (fake provider): the ID token stays, the new refresh token is kept"
s=$(date +%s)
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/slow" --client-id c >"$T/out" 2>&1
st=$?
took=$(($(date +%s) - s))
[ $st -eq 0 ] && [ $took -ge 6 ]
ok $? "slow_down: the poll waits 5 s longer, then gets the token (took $took s)"

echo "# the whole file took $(echo "$(date +%s.%N) - $t0" | bc) s"
done_testing
