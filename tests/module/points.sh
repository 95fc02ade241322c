#!/bin/sh
# Degenerate public keys (tests/lib/make_points.py): the points of small order of
# Ed25519 in every encoding, non-canonical and short coordinates, the point at
# infinity, coordinates of p or more and points off P-256/384/521. Each key
# set is refused through the module (PAM_AUTHINFO_UNAVAIL and the reason) and
# by pam-jwt verify (exit 1, never an abort), beside valid keys of each curve
# that log in.
. "$top_srcdir/tests/lib/lib.sh"

"$PYTHON3" -c 'import jwcrypto, cryptography' 2>/dev/null ||
	skip_all "python3-jwcrypto or python3-cryptography is not installed"
CLI=$top_builddir/pam-jwt
pk() { "$PYTHON3" "$top_srcdir/tests/lib/pk_mint.py" "$@"; }

# Controls: a valid key of each curve, its token accepted.
for kind in Ed25519:EdDSA P256:ES256 P384:ES384 P521:ES512; do
	crv=${kind%%:*} alg=${kind#*:}
	pk keygen --lib jwcrypto --alg "$alg" --kid "$crv" --out "$T/$crv.key" >"$T/$crv.pub"
	pk jwks "$T/$crv.pub" >"$T/$crv.json"
	chmod 644 "$T/$crv.json"
	svc=good_$(echo "$crv" | tr 'A-Z' 'a-z')	# Linux-PAM lower-cases service names
	service "$svc" "auth required pam_jwt.so jwks_file=$T/$crv.json"
	expect "control: a valid $crv key logs alice in" "$svc" alice \
		"$(pk sign --lib jwcrypto --key "$T/$crv.key" --alg "$alg" --kid "$crv")" "$ACCEPT"
done
tok=$(pk sign --lib jwcrypto --key "$T/Ed25519.key" --alg EdDSA --kid Ed25519)

# degenerate LABEL JWK REASON: a set of that key alone is refused by the module
# and by pam-jwt verify with REASON; LOADS instead of REASON: the set is used.
degenerate() {
	printf '{"keys":[%s]}\n' "$2" >"$T/bad.json"
	chmod 644 "$T/bad.json"
	if [ "$3" = LOADS ]; then
		expect "$1: the key set is used (control)" bad alice "$tok" "$AUTH_ERR" "no configured key has the token's kid"
		return
	fi
	expect "$1: refused through the module" bad alice "$tok" "$AUTHINFO_UNAVAIL" "$3"
	st=0
	printf "%s\n" "$tok" | "$CLI" verify --jwks "$T/bad.json" --signature-only >"$T/out" 2>&1 || st=$?
	[ "$st" -eq 1 ] && grep -qF -- "$3" "$T/out"
	ok $? "$1: refused by pam-jwt verify (exit $st)"
}
service bad "auth required pam_jwt.so jwks_file=$T/bad.json"
"$PYTHON3" "$top_srcdir/tests/lib/make_points.py" >"$T/points" || ok 1 "tests/lib/make_points.py runs"
while IFS='|' read -r label jwk reason; do
	degenerate "$label" "$jwk" "$reason"
done <"$T/points"
[ "$(wc -l <"$T/points")" -ge 30 ]
ok $? "tests/lib/make_points.py listed $(wc -l <"$T/points") keys"

# One degenerate key spoils the set it is in, valid keys beside it included.
identity='{"kty":"OKP","crv":"Ed25519","kid":"id","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'
printf '{"keys":[%s,%s]}\n' "$(cat "$T/Ed25519.pub")" "$identity" >"$T/bad.json"
expect "the identity beside a valid key: the whole set is refused" bad alice "$tok" \
	"$AUTHINFO_UNAVAIL" "key 2: the Ed25519 key is a point of small order"

done_testing
