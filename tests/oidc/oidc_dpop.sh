#!/bin/sh
# pam-jwt login --dpop against glewlwyd with DPoP enabled (../shared/IDP.md):
# the device flow's token requests carry DPoP proofs by the key kept in the
# token cache, glewlwyd binds the access token to it (cnf.jkt), and the
# module accepts it with askpass's proof (tests/lib/pam_pop answering the
# challenge through pam-jwt askpass). The same token in another user's cache
# without the key is refused; after --refresh the token is still bound to the
# same key. The real sshd and sudo -A are not run here.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/idp.sh"
PAM_JWT=$top_builddir/pam-jwt
POP=$top_builddir/tests/lib/pam_pop
[ -x "$POP" ] || skip_all "tests/lib/pam_pop is not built"
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
dpop() { "$PYTHON3" "$top_srcdir/tests/lib/dpop.py" "$@"; }
export XDG_CACHE_HOME="$T/cache"
CACHE=$XDG_CACHE_HOME/pam-jwt
IDP_DPOP=1
export IDP_DPOP PAM_JWT

idp_start ES256
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --cacert "$IDP_CA" >"$T/out" 2>&1
ok $? "control: the provider's keys are synced"
service pop "auth required pam_jwt.so jwks_file=$T/jwks.json issuer=$IDP_ISS [audience=openid pam] pop=required"

shout() { [ "$1" -eq 0 ] || sed 's/^/# /' "$T/out" | grep -v PWRAP_DEBUG; }

idp_login idp_approve --scope "openid pam" --dpop
s=$?; shout $s
ok $s "login --dpop: the device flow gets a token once the user approves"
[ "$(stat -c '%a' "$CACHE/dpop_key")" = 600 ]
ok $? "the DPoP key is kept beside the token, mode 0600"
jkt=$(dpop thumb "$CACHE/dpop_key")
"$PAM_JWT" decode --json <"$CACHE/token" >"$T/dec"
got=$(jq -r '.claims.cnf.jkt' "$T/dec")
[ -n "$jkt" ] && [ "$got" = "$jkt" ]
ok $? "glewlwyd bound the access token to the key: cnf.jkt is its thumbprint ($got)"
d=$(jq -r .d "$CACHE/dpop_key")
! grep -qF -- "$d" "$T/out"
ok $? "the private key is not printed"

# The module, askpass answering the challenge for this host.
cat >"$T/answer.sh" <<'SH'
#!/bin/sh
a=$("$PAM_JWT" askpass "DPoP proof for $POP_HTU (nonce $POP_NONCE): ") || exit 1
echo "$a"
case $a in
[0-9]*/[0-9]*:*)
	m=${a#*/}; m=${m%%:*}; k=2
	while [ $k -le "$m" ]; do
		"$PAM_JWT" askpass "DPoP proof (part $k of $m): " || exit 1
		k=$((k + 1))
	done ;;
esac
SH
chmod 755 "$T/answer.sh"
POP_CMD=$T/answer.sh
export POP_CMD
login() { # CACHE_HOME: the cached token through the module
	XDG_CACHE_HOME=$1 wrapped_run "$(cat "$1/pam-jwt/token")" env XDG_CACHE_HOME="$1" "$POP" pop alice || :
	result=$(sed -n 's/^result: //p' "$T/out")
}
login "$XDG_CACHE_HOME"
[ "$result" = Success ] && grep -qF "pop=bound jkt=$jkt" "$T/out"
s=$?; shout $s
ok $s "the bound token logs in through the module with askpass's proof"

# Another user's cache with the token and no key, or another key.
mkdir -p -m 700 "$T/other/pam-jwt"
cp "$CACHE/token" "$T/other/pam-jwt/token"
login "$T/other"
[ "$result" = "Authentication failure" ]
ok $? "the same token in another cache without the key is refused"
"$PAM_JWT" keygen --alg ES256 --out "$T/other/pam-jwt/dpop_key" >/dev/null
login "$T/other"
[ "$result" = "Authentication failure" ] && grep -q "DPoP proof" "$T/out"
ok $? "the same token with another key's proof is refused"

# --refresh: the same key, still bound.
cp "$CACHE/dpop_key" "$T/key.before"
old=$(cat "$CACHE/token")
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --refresh >"$T/out" 2>&1
s=$?; shout $s
ok $s "login --refresh with the cached key"
[ "$(cat "$CACHE/token")" != "$old" ] &&
	[ "$("$PAM_JWT" decode --json <"$CACHE/token" | jq -r .claims.cnf.jkt)" = "$jkt" ] &&
	cmp -s "$CACHE/dpop_key" "$T/key.before"
ok $? "after --refresh the new token is bound to the same key, which is unchanged"
login "$XDG_CACHE_HOME"
[ "$result" = Success ]
ok $? "the refreshed token logs in with askpass's proof"

# --dpop-key with a different key than the cached one is refused, nothing replaced.
"$PAM_JWT" keygen --alg ES256 --out "$T/mine.jwk" >/dev/null
"$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$IDP_CA" --dpop \
	--dpop-key "$T/mine.jwk" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "holds another DPoP key" "$T/out" && cmp -s "$CACHE/dpop_key" "$T/key.before"
ok $? "--dpop-key naming another key than the cached one is refused; the cached key stays"

# The refusals glewlwyd cannot show, from tests/lib/fake_idp.py.
"$PYTHON3" "$top_srcdir/tests/lib/fake_idp.py" "$T/fake.port" 2>"$T/fake.log" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; idp_stop; rm -rf "$T"' EXIT
for i in $(seq 1 50); do [ -f "$T/fake.port" ] && break; sleep 0.1; done
FAKE=http://127.0.0.1:$(cat "$T/fake.port")
export XDG_CACHE_HOME="$T/fcache"
fake_login() { # MODE
	"$PAM_JWT" login --insecure-http-localhost --issuer "$FAKE/$1" --client-id c --dpop >"$T/out" 2>&1
}
fake_login dpopnonce
s=$?; shout $s
[ $s -eq 0 ] && [ "$("$PAM_JWT" decode --json <"$T/fcache/pam-jwt/token" | jq -r .claims.cnf.jkt)" = \
	"$(dpop thumb "$T/fcache/pam-jwt/dpop_key")" ]
ok $? "control (fake provider): use_dpop_nonce is retried with the DPoP-Nonce given, and the bound token stored"
cp "$T/fcache/pam-jwt/token" "$T/ftoken.before"
fake_login dpopbearer
[ $? -eq 1 ] && grep -q 'token_type "Bearer", not DPoP' "$T/out" && cmp -s "$T/fcache/pam-jwt/token" "$T/ftoken.before"
ok $? "refused, not stored: a provider answering a Bearer token to a DPoP request"
fake_login dpopother
[ $? -eq 1 ] && grep -q "cnf.jkt names another key" "$T/out" && cmp -s "$T/fcache/pam-jwt/token" "$T/ftoken.before"
ok $? "refused, not stored: a DPoP token bound to another key"

done_testing
