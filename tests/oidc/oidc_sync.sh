#!/bin/sh
# pam-jwt jwks-sync against a real OpenID Connect provider (glewlwyd, see
# tests/lib/idp.sh) for RS256, ES256 and EdDSA: the synced set verifies the
# provider's tokens in the module (pamtester) and in PyJWT/jwcrypto; a key
# rotation with a grace period; and the refusals, each leaving the key file
# byte-for-byte as it was, against glewlwyd (unknown CA) or, where glewlwyd
# cannot misbehave that way, a fake provider on 127.0.0.1 (tests/lib/fake_idp.py).
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/idp.sh"
PAM_JWT=$top_builddir/pam-jwt
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"

sync() { # ARGS: jwks-sync of the provider into $T/jwks.json
	"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --cacert "$IDP_CA" "$@" >"$T/out" 2>&1
}
# The module with the synced set, bound to the provider's issuer and the
# confidential client (the ID token's audience).
service oidc "auth required pam_jwt.so jwks_file=$T/jwks.json issuer=__ISS__ audience=$IDP_CCLIENT"
set_service() { sed -i "s|issuer=[^ ]*|issuer=$IDP_ISS|" "$T/svc/oidc"; }

# Independent verifiers: PyJWT and jwcrypto, on the synced file.
independent() { # TOKEN
	"$PYTHON3" - "$T/jwks.json" "$1" "$IDP_ISS" "$IDP_CCLIENT" <<'EOP'
import json, sys, jwt
from jwcrypto import jwk, jwt as jjwt
path, tok, iss, aud = sys.argv[1:]
s = json.load(open(path))
assert s["issuer"] == iss
kid = jwt.get_unverified_header(tok)["kid"]
k = [k for k in s["keys"] if k.get("kid") == kid][0]
alg = k["alg"]
pk = jwt.PyJWK(k, algorithm=alg)
jwt.decode(tok, pk.key, algorithms=[alg], audience=aud, issuer=iss)
ks = jwk.JWKSet.from_json(json.dumps({"keys": s["keys"]}))
jjwt.JWT(jwt=tok, key=ks)
EOP
}

t0=$(date +%s.%N)
for alg in RS256 ES256 EdDSA; do
	t1=$(date +%s.%N)
	# One provider, its signing key type changed between algorithms (a
	# restart would cost a second each).
	if [ -z "${IDP_PID:-}" ]; then idp_start $alg; else idp_rotate $alg; fi
	set_service
	rm -f "$T/jwks.json"
	sync --json
	st=$?
	[ $st -eq 0 ] && jq -e '.result == "updated" and .keys == 1' "$T/out" >/dev/null
	ok $? "$alg: jwks-sync fetches glewlwyd's key set (updated, 1 key)"
	jq -e --arg iss "$IDP_ISS" '.issuer == $iss and (.keys | length) == 1' "$T/jwks.json" >/dev/null &&
		[ "$(stat -c %a "$T/jwks.json")" = 644 ]
	ok $? "$alg: the file names the issuer, mode 0644"
	sync --json
	jq -e '.result == "unchanged"' "$T/out" >/dev/null
	ok $? "$alg: a second sync says unchanged"
	tok=$(idp_password_token id_token)
	expect "$alg: the provider's ID token is accepted with the synced set" oidc "$IDP_USER" "$tok" "$ACCEPT"
	independent "$tok" >"$T/out" 2>&1
	ok $? "$alg: PyJWT and jwcrypto accept it with the synced set too"
	expect "$alg: the same token for another user is refused" oidc bob "$tok" "$AUTH_ERR"
	echo "# $alg: provider set-up, sync, token and checks took $(echo "$(date +%s.%N) - $t1" | bc) s"
done

# Rotation: the provider's new key verifies after the next sync; the old one
# stays for the grace period (marked), then goes.
old_tok=$(idp_password_token id_token)
idp_rotate EdDSA
new_tok=$(idp_password_token id_token)
expect "rotation: a token of the new key is refused before the sync" oidc "$IDP_USER" "$new_tok" "$AUTH_ERR"
sync --grace 3 --json
jq -e '.result == "updated" and (.added | length) == 1 and (.retired | length) == 1' "$T/out" >/dev/null &&
	jq -e '[.keys[] | select(.pam_jwt_removed_at)] | length == 1' "$T/jwks.json" >/dev/null
ok $? "rotation: the sync adds the new key and keeps the removed one, marked"
expect "rotation: a token of the new key is accepted after the sync" oidc "$IDP_USER" "$new_tok" "$ACCEPT"
expect "rotation: a token of the removed key is accepted within the grace period" oidc "$IDP_USER" "$old_tok" "$ACCEPT"
sleep 3
sync --grace 3 --json
jq -e '.result == "updated" and (.dropped | length) == 1 and .keys == 1' "$T/out" >/dev/null
ok $? "rotation: after the grace period the sync drops the removed key"
expect "rotation: a token of the removed key is refused after the grace period" oidc "$IDP_USER" "$old_tok" "$AUTH_ERR"
expect "rotation: the new key's token is still accepted" oidc "$IDP_USER" "$new_tok" "$ACCEPT"
idp_rotate EdDSA
sync --grace 0 --json
jq -e '(.dropped | length) == 1 and (.retired | length) == 0' "$T/out" >/dev/null
ok $? "rotation: --grace 0 drops a removed key at once"
expect "rotation: with --grace 0 the removed key's token is refused at once" oidc "$IDP_USER" "$new_tok" "$AUTH_ERR"

# Refusals: each leaves the file byte-for-byte as it was, says why and exits 1.
# $OUT is the file (default $T/jwks.json), $OUT.before its copy; a file that
# did not exist must not exist afterwards.
cp "$T/jwks.json" "$T/jwks.json.before"
kept() {
	if [ -f "${OUT:-$T/jwks.json}.before" ]; then
		cmp -s "${OUT:-$T/jwks.json}" "${OUT:-$T/jwks.json}.before"
	else
		[ ! -e "${OUT:-$T/jwks.json}" ]
	fi
}
refused() { # DESCRIPTION REASON ARGS...: jwks-sync ARGS fails with REASON
	desc=$1 reason=$2
	shift 2
	st=0
	"$PAM_JWT" jwks-sync --out "${OUT:-$T/jwks.json}" "$@" >"$T/out" 2>&1 && st=1
	grep -qF -- "$reason" "$T/out" || st=1
	kept || { echo "# the key file changed"; st=1; }
	ok $st "refused, file unchanged: $desc"
}
refused "TLS with an unknown CA (glewlwyd, system CAs)" "certificate" --issuer "$IDP_ISS"
OUT=$T/new.json
refused "an issuer other than the discovery's (a trailing /), no file made" "not \"$IDP_ISS/\"" --issuer "$IDP_ISS/" --cacert "$IDP_CA"
refused "plain http to glewlwyd without the flag, no file made" "needs --insecure-http-localhost" --issuer "http://127.0.0.1:$IDP_PORT/api/oidc"
OUT=

# The fake provider, plain http on 127.0.0.1.
"$PYTHON3" "$top_srcdir/tests/lib/fake_idp.py" "$T/fake.port" 2>"$T/fake.log" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null; idp_stop; rm -rf "$T"' EXIT
for i in $(seq 1 50); do [ -f "$T/fake.port" ] && break; sleep 0.1; done
FAKE=http://127.0.0.1:$(cat "$T/fake.port")
fsync() { "$PAM_JWT" jwks-sync --insecure-http-localhost --timeout 2 --issuer "$FAKE/$1" --out "$T/fake.json" --json >"$T/out" 2>&1; }
fsync good
jq -e '.result == "updated"' "$T/out" >/dev/null
ok $? "control: the fake provider's set syncs (plain http to 127.0.0.1 with the flag)"
# The refusals below name other issuers (one per behaviour): the file they
# must leave alone holds the good keys bound to no issuer.
OUT=$T/fake.json
jq 'del(.issuer)' "$OUT" >"$OUT.new" && mv "$OUT.new" "$OUT" && cp "$OUT" "$OUT.before"
refused "plain http to 127.0.0.1 without --insecure-http-localhost" "needs --insecure-http-localhost" --issuer "$FAKE/good"
F="--insecure-http-localhost --timeout 2"
# shellcheck disable=SC2086
{
refused "discovery naming another issuer" "names the issuer \"https://provider.example/otheriss\"" $F --issuer "$FAKE/otheriss"
refused "a jwks_uri on another host over plain http" "plain http is refused" $F --issuer "$FAKE/plainhost"
refused "a 50 MB key set" "larger than 1048576 bytes" $F --issuer "$FAKE/big"
refused "a malformed key set" "the answer" $F --issuer "$FAKE/malformed"
refused "a key set holding a private key" "private key" $F --issuer "$FAKE/private"
refused "a redirect" "redirects are not followed" $F --issuer "$FAKE/redirect"
s=$(date +%s.%N)
refused "a provider that hangs (--timeout 2)" "Operation timed out" $F --issuer "$FAKE/hang"
took=$(echo "$(date +%s.%N) - $s" | bc)
echo "# the hanging provider was given up after $took s"
[ "$(echo "$took < 4" | bc)" = 1 ]
ok $? "a provider that hangs is given up within the timeout (took $took s)"
}
st=0
"$PAM_JWT" jwks-sync $F --issuer "$FAKE/private" --out "$OUT" --json >"$T/out" 2>"$T/err" || st=$?
[ $st -eq 1 ] && jq -e '.result == "failed" and (.reason | test("private key")) and .stale == false' "$T/out" >/dev/null && kept
ok $? "--json: a failed sync says failed, with the reason, exit 1"

# A synced set is public (jwks_file= at 0644): a provider that publishes a
# secret ("oct") key beside its public one is refused; the file is kept, and
# so is its mode.
chmod 640 "$OUT" && cp -p "$OUT" "$OUT.before"
# shellcheck disable=SC2086
refused "a key set holding a secret (\"oct\") key" 'publishes a secret ("oct") key' $F --issuer "$FAKE/oct"
[ "$(stat -c %a "$OUT")" = 640 ]
ok $? "refused, mode unchanged: a key set holding a secret key (0640 stays)"
OUT=

# A FILE that already holds a secret (an administrator's own set, bound to
# no issuer, mode 0600): no secret is kept through the grace period. An "oct"
# key, or a private EC key, is dropped and named in a warning, the provider's
# public key is synced, and the mode stays 0600 (never widened).
G=$T/secrets.json
for extra in oct ec; do
	"$PYTHON3" - "$T/fake.json" "$extra" >"$G" <<'EOP'
import json, sys
from jwcrypto import jwk
public = json.load(open(sys.argv[1]))["keys"]
if sys.argv[2] == "oct":
    old = json.loads(jwk.JWK.generate(kty="oct", size=256, kid="old-oct", alg="HS256").export())
else:
    old = json.loads(jwk.JWK.generate(kty="EC", crv="P-256", kid="old-ec").export_private())
print(json.dumps({"keys": public + [old]}))
EOP
	chmod 600 "$G"
	# shellcheck disable=SC2086
	"$PAM_JWT" jwks-sync $F --issuer "$FAKE/good" --out "$G" --json >"$T/report" 2>"$T/err"
	st=$?
	cat "$T/report" "$T/err" >"$T/out"
	[ $st -eq 0 ] && jq -e '.result == "updated" and .keys == 1' "$T/report" >/dev/null &&
		jq -e '.keys | length == 1 and .[0].kid == "fake-1"' "$G" >/dev/null &&
		! grep -Eq '"(k|d)"' "$G" && grep -q "old-$extra.*secret" "$T/err"
	ok $? "$extra: a secret already in FILE is dropped with a warning, not kept for the grace period; the public key is synced"
	[ "$(stat -c %a "$G")" = 600 ]
	ok $? "$extra: the sync keeps FILE's narrower mode (0600 stays 0600)"
done
# The module reads the result, and a token of the provider logs in with it.
tok=$("$PYTHON3" -c 'import json, sys, urllib.request
r = urllib.request.urlopen(sys.argv[1] + "/token", data=b"client_id=pjt-client")
print(json.load(r)["id_token"])' "$FAKE/good")
service fakegood "auth required pam_jwt.so jwks_file=$G issuer=$FAKE/good audience=pjt-client"
expect "the module accepts the provider's token with the synced set" fakegood alice "$tok" "$ACCEPT"
# shellcheck disable=SC2086
"$PAM_JWT" jwks-sync $F --issuer "$FAKE/good" --out "$T/fresh.json" >"$T/out" 2>&1 &&
	[ "$(stat -c %a "$T/fresh.json")" = 644 ]
ok $? "control: a new FILE is made with mode 0644"

refused "the set of another issuer in FILE" "holds the keys of issuer" $F --issuer "$FAKE/good"

# --max-age: a failed sync of a set older than this exits 3 and says so.
touch -d '2 hours ago' "$T/jwks.json"
cp -p "$T/jwks.json" "$T/jwks.json.before"
st=0
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --max-age 1h >"$T/out" 2>&1 || st=$?
[ $st -eq 3 ] && grep -q "more than --max-age" "$T/out" && kept
ok $? "--max-age: a failed sync of a 2-hour-old set exits 3 and says it is stale"
st=0
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --max-age 3h >"$T/out" 2>&1 || st=$?
[ $st -eq 1 ]
ok $? "--max-age: within the age, a failed sync exits 1"
sync --max-age 1h
[ $? -eq 0 ] && [ $(($(date +%s) - $(stat -c %Y "$T/jwks.json"))) -lt 60 ]
ok $? "--max-age: a good sync makes the set current again (its time is the last good sync)"
echo "# the whole file took $(echo "$(date +%s.%N) - $t0" | bc) s"
done_testing
