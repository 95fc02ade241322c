#!/bin/sh
# Fresh authentication end to end: pam-jwt login --max-age sends max_age
# (OIDC Core §3.1.2.1) and checks the auth_time it gets back, against the fake
# provider (tests/lib/fake_idp.py, which records what it is sent, and can
# ignore max_age or leave auth_time out) and glewlwyd (tests/lib/idp.sh),
# whose ID token then carries auth_time: max_auth_age= accepts it, and
# refuses the same token once it is older. acr= on glewlwyd's acr, if it
# issues one.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/idp.sh"
PAM_JWT=$top_builddir/pam-jwt
export XDG_CACHE_HOME="$T/cache"
CACHE=$XDG_CACHE_HOME/pam-jwt

snapshot() { (cd "$T" && find cache -exec stat -c '%n %a %Y %s' {} + 2>/dev/null | sort && cat cache/pam-jwt/* 2>/dev/null) >"$T/cache.$1"; }
untouched() { snapshot now; cmp -s "$T/cache.before" "$T/cache.now"; }
claim() { "$PAM_JWT" decode --json <"$CACHE/token" | jq -r ".claims.$1"; }

# --- the fake provider: what is sent, and what is refused ------------------------
"$PYTHON3" "$top_srcdir/tests/lib/fake_idp.py" "$T/fake.port" 2>"$T/fake.log" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; idp_stop; rm -rf "$T"' EXIT
for i in $(seq 1 50); do [ -f "$T/fake.port" ] && break; sleep 0.1; done
FAKE=http://127.0.0.1:$(cat "$T/fake.port")
# sent PATH-SUFFIX: the max_age values of the last POST to that endpoint ("-" without).
sent() { grep "\"path\": \"[^\"]*/$1\"" "$T/fake.log" | tail -n 1 | jq -r '.form.max_age // ["-"] | join(",")'; }

"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c >"$T/out" 2>&1 &&
	[ "$(sent device_authorization)" = - ]
ok $? "control: without --max-age the device authorization request carries no max_age"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --max-age 300 >"$T/out" 2>&1 &&
	[ "$(sent device_authorization)" = 300 ] && [ "$(claim auth_time)" -gt 0 ]
ok $? "--max-age 300: max_age=300 is sent on the device authorization request, the token is stored"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --max-age 5m >"$T/out" 2>&1 &&
	[ "$(sent device_authorization)" = 300 ]
ok $? "--max-age 5m: sent as max_age=300 seconds"
echo pw | "$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --password \
	--user alice --max-age 120 >"$T/out" 2>&1 && [ "$(sent token)" = 120 ]
ok $? "--max-age 120 --password: max_age=120 is sent with the password grant"
snapshot before
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/stale" --client-id c --max-age 300 >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "authentication was 36[0-9][0-9] s ago, beyond --max-age 300" "$T/out" && untouched
ok $? "--max-age 300: an auth_time an hour old (a provider ignoring max_age) is refused, the cache untouched"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/stale" --client-id c --max-age 2h >"$T/out" 2>&1
ok $? "control: --max-age 2h: the same provider's hour-old auth_time is accepted"
snapshot before
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/noauthtime" --client-id c --max-age 300 >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "has no auth_time, which --max-age asks for" "$T/out" && untouched
ok $? "--max-age 300: a token without auth_time is refused, the cache untouched"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/noauthtime" --client-id c >"$T/out" 2>&1
ok $? "control: without --max-age the token without auth_time is stored"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --refresh --max-age 300 >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q "without --refresh" "$T/out"
ok $? "--max-age with --refresh is a usage error (a refresh never authenticates again)"
"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/good" --client-id c --max-age 5x >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q -- '--max-age wants a duration' "$T/out"
ok $? "--max-age 5x is a usage error"

# --- glewlwyd ----------------------------------------------------------------------
idp_start ES256
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --cacert "$IDP_CA" >"$T/out" 2>&1
ok $? "control: glewlwyd's keys are synced"
AGE=8
line="auth required pam_jwt.so jwks_file=$T/jwks.json issuer=$IDP_ISS audience=$IDP_CLIENT"
service fresh "$line max_auth_age=$AGE"
service plain "$line"

idp_login idp_approve --scope "openid pam" --max-age 60
ok $? "glewlwyd: pam-jwt login --max-age 60 gets a token once the user approves"
at=$(claim auth_time)
case $at in
'' | null | *[!0-9]*) ok 1 "glewlwyd: the ID token asked with max_age carries an integer auth_time (got \"$at\")" ;;
*) ok 0 "glewlwyd: the ID token asked with max_age carries an integer auth_time" ;;
esac
tok=$(cat "$CACHE/token")
echo "# auth_time is $(($(date +%s) - ${at:-0})) s old at the first check"
expect "glewlwyd: max_auth_age=$AGE accepts the fresh token" fresh "$IDP_USER" "$tok" "$ACCEPT"
while [ $(($(date +%s) - at)) -le $((AGE + 1)) ]; do sleep 1; done
expect "glewlwyd: max_auth_age=$AGE refuses the same token once older, saying how to get a fresh one" \
	fresh "$IDP_USER" "$tok" "$AUTH_ERR" "beyond max_auth_age=$AGE (get a fresh token with pam-jwt login --max-age $AGE)"
expect "control: glewlwyd: without max_auth_age= the same token still logs in" plain "$IDP_USER" "$tok" "$ACCEPT"

acr=$(claim acr)
if [ "$acr" = null ] || [ -z "$acr" ]; then
	echo "# glewlwyd 2.7 puts no acr in its ID token (only amr): acr= is checked here against its absence"
	service acr "$line acr=password"
	expect "glewlwyd: acr= refuses its ID token, which has no acr" acr "$IDP_USER" "$tok" "$AUTH_ERR" 'token has no "acr"'
else
	service acr "$line acr=$acr"
	service acr_other "$line acr=${acr}x"
	expect "glewlwyd: acr=$acr accepts its ID token" acr "$IDP_USER" "$tok" "$ACCEPT"
	expect "glewlwyd: acr=${acr}x refuses it" acr_other "$IDP_USER" "$tok" "$AUTH_ERR" '"acr" is none of the values'
fi

done_testing
