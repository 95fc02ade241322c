#!/bin/sh
# Public-key tokens through pamtester: keys and tokens made by independent
# implementations (PyJWT and jwcrypto on python3-cryptography, and the jose
# command-line tool), each token beside its tampered twins; algorithm
# confusion, kid selection, the key set's file rules and key rotation.
. "$top_srcdir/tests/lib/lib.sh"

"$PYTHON3" -c 'import jwcrypto, cryptography' 2>/dev/null ||
	skip_all "python3-jwcrypto or python3-cryptography is not installed"
need jose

pk() { "$PYTHON3" "$top_srcdir/tests/lib/pk_mint.py" "$@"; }
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

K=$T/keys
mkdir "$K"
# pyjwt and jwcrypto: one RSA key (for RS* and PS*), one per curve, one Ed25519.
for lib in pyjwt jwcrypto; do
	for kind in RSA:RS256 P256:ES256 P384:ES384 P521:ES512 Ed25519:EdDSA; do
		pk keygen --lib "$lib" --alg "${kind#*:}" --kid "$lib-${kind%%:*}" \
			--out "$K/$lib-${kind%%:*}.key" >"$K/$lib-${kind%%:*}.pub"
	done
done
# jose: one key per algorithm, pinned to it by the JWK's "alg" (it has no EdDSA).
for alg in RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512; do
	jose jwk gen -i "{\"alg\":\"$alg\"}" -o "$K/jose-$alg.key"
	jose jwk pub -i "$K/jose-$alg.key" -o "$K/jose-$alg.pub"
done
pk jwks "$K"/*.pub >"$T/jwks.json"
chmod 644 "$T/jwks.json"	# public keys only: may be readable by all
service pk "auth required pam_jwt.so jwks_file=$T/jwks.json"

key_of() { # ALG: the pyjwt/jwcrypto key name for it
	case $1 in
	RS* | PS*) echo RSA ;;
	ES256) echo P256 ;;
	ES384) echo P384 ;;
	ES512) echo P521 ;;
	EdDSA) echo Ed25519 ;;
	esac
}

# The token with one character in the middle of its signature changed.
tamper_sig() {
	head=${1%.*} sig=${1##*.}
	i=$((${#sig} / 2))
	c=$(printf %s "$sig" | cut -c$((i + 1)))
	case $c in A) r=B ;; *) r=A ;; esac
	printf '%s.%s%s%s\n' "$head" "$(printf %s "$sig" | cut -c1-$i)" "$r" "$(printf %s "$sig" | cut -c$((i + 2))-)"
}

# The token with a payload of its own (a longer life, for bob), the signature kept.
tamper_payload() {
	printf '%s.%s.%s\n' "${1%%.*}" "$(printf '{"sub":"bob","exp":%s}' $(($(date +%s) + 3600)) | b64url)" "${1##*.}"
}

# interop DESCRIPTION TOKEN: the token logs alice in; its tampered twins do not.
interop() {
	expect "$1 is accepted" pk alice "$2" "$ACCEPT" "token accepted for user alice"
	expect "$1, signature changed, is refused" pk alice "$(tamper_sig "$2")" "$AUTH_ERR" "token refused"
	expect "$1, payload replaced, is refused" pk bob "$(tamper_payload "$2")" "$AUTH_ERR" "signature"
}

# Under valgrind (PAM_JWT_TEST_WRAPPER) the module takes the same path for a
# token whatever library made it: there every algorithm is run once (PyJWT),
# and jose's tokens without kid once for each kind of key.
libs="pyjwt jwcrypto"
jose_algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512"
if [ -n "${PAM_JWT_TEST_WRAPPER:-}" ]; then
	libs=pyjwt
	jose_algs="RS256 PS256 ES256"
fi
for lib in $libs; do
	for alg in RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA; do
		name=$lib-$(key_of $alg)
		interop "$alg token from $lib" "$(pk sign --lib $lib --key "$K/$name.key" --alg $alg --kid "$name")"
	done
done
# jose signs without kid: every key that fits the algorithm is tried.
for alg in $jose_algs; do
	now=$(date +%s)
	printf '{"sub":"alice","iat":%s,"exp":%s}' "$now" $((now + 60)) >"$T/claims.json"
	interop "$alg token from the jose tool" "$(jose jws sig -I "$T/claims.json" -k "$K/jose-$alg.key" -c -o -)"
done

# kid selection.
p256=$K/jwcrypto-P256.key
expect "kid naming a missing key is refused" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid nosuchkey)" "$AUTH_ERR" "no configured key has the token's kid"
expect "kid naming a key of another type (RSA for ES256) is refused" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid pyjwt-RSA)" "$AUTH_ERR" "no configured key can verify ES256 under the token's kid"
expect "kid naming another P-256 key than the signer's is refused" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid pyjwt-P256)" "$AUTH_ERR" "does not verify"
expect "control: the signer's kid is accepted" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid jwcrypto-P256)" "$ACCEPT"

# Algorithm confusion: the RSA public key's bytes as an HMAC secret.
expect "HS256 token keyed with the RSA public key's bytes, against the key set, is refused" pk alice \
	"$(mint --raw --key "$K/pyjwt-RSA.pub" --header-json '{"alg":"HS256","kid":"pyjwt-RSA"}')" \
	"$AUTH_ERR" "no configured key can verify HS256"
service pub_as_secret "auth required pam_jwt.so secret_file=$K/pyjwt-RSA.pub"
expect "RS256 token against secret_file= holding the RSA public key's bytes is refused" pub_as_secret alice \
	"$(pk sign --lib pyjwt --key "$K/pyjwt-RSA.key" --alg RS256 --kid pyjwt-RSA)" "$AUTH_ERR" "no configured key can verify RS256"
service only_es256 "auth required pam_jwt.so jwks_file=$T/jwks.json algorithms=ES256"
expect "algorithms=ES256 refuses an RS256 token of a key in the set" only_es256 alice \
	"$(pk sign --lib pyjwt --key "$K/pyjwt-RSA.key" --alg RS256 --kid pyjwt-RSA)" "$AUTH_ERR" "not in algorithms="
expect "control: algorithms=ES256 accepts an ES256 token" only_es256 alice \
	"$(pk sign --lib pyjwt --key "$K/pyjwt-P256.key" --alg ES256 --kid pyjwt-P256)" "$ACCEPT"

# A 1024-bit RSA key: the key set is refused.
pk keygen --lib jwcrypto --alg RS256 --bits 1024 --kid small --out "$K/small.key" >"$K/small.pub"
pk jwks "$K/small.pub" >"$T/small.json"
service small "auth required pam_jwt.so jwks_file=$T/small.json"
expect "a key set with a 1024-bit RSA key is refused" small alice \
	"$(pk sign --lib jwcrypto --key "$K/small.key" --alg RS256 --kid small)" "$AUTHINFO_UNAVAIL" "1024 bits"

# Secrets in a key set: not readable by others; secret_file= and jwks_file= together.
printf '{"keys":[{"kty":"oct","kid":"hmac","k":"%s"}]}\n' "$(b64url <"$T/key")" >"$T/oct.json"
service both "auth required pam_jwt.so secret_file=$T/other.key jwks_file=$T/oct.json"
expect "an oct key in a key set verifies an HS256 token" both alice "$(mint --raw --header-json '{"alg":"HS256","kid":"hmac"}')" "$ACCEPT"
expect "with both files, a token of the secret_file= key is accepted too" both alice "$(mint --key "$T/other.key")" "$ACCEPT"
chmod 644 "$T/oct.json"
expect "a key set holding an oct key, readable by others, is refused" both alice \
	"$(mint --raw --header-json '{"alg":"HS256","kid":"hmac"}')" "$AUTHINFO_UNAVAIL" "readable by others"
chmod 664 "$T/jwks.json"
expect "a group-writable key set is refused" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid jwcrypto-P256)" "$AUTHINFO_UNAVAIL" "writable by group"
chmod 644 "$T/jwks.json"

# A truncated key set: refused, and the log line says why (not an empty reason).
printf '{"keys":[' >"$T/trunc.json"
chmod 644 "$T/trunc.json"
service trunc "auth required pam_jwt.so jwks_file=$T/trunc.json"
expect "a truncated key set is refused with its reason in the log" trunc alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid jwcrypto-P256)" "$AUTHINFO_UNAVAIL" \
	"reason: $T/trunc.json is not valid JSON"
expect "control: the complete key set accepts the same token" pk alice \
	"$(pk sign --lib jwcrypto --key "$p256" --alg ES256 --kid jwcrypto-P256)" "$ACCEPT"

# Key rotation: two keys in the set, tokens of either accepted; one removed, its tokens refused.
pk keygen --lib jwcrypto --alg ES256 --kid old --out "$K/rot-old.key" >"$K/rot-old.pub"
pk keygen --lib pyjwt --alg ES256 --kid new --out "$K/rot-new.key" >"$K/rot-new.pub"
pk jwks "$K/rot-old.pub" "$K/rot-new.pub" >"$T/rot.json"
service rot "auth required pam_jwt.so jwks_file=$T/rot.json"
old=$(pk sign --lib jwcrypto --key "$K/rot-old.key" --alg ES256 --kid old)
new=$(pk sign --lib pyjwt --key "$K/rot-new.key" --alg ES256 --kid new)
old_nokid=$(pk sign --lib jwcrypto --key "$K/rot-old.key" --alg ES256)
expect "rotation: a token of the old key is accepted" rot alice "$old" "$ACCEPT"
expect "rotation: a token of the new key is accepted" rot alice "$new" "$ACCEPT"
expect "rotation: a token of the old key without kid is accepted" rot alice "$old_nokid" "$ACCEPT"
pk jwks "$K/rot-new.pub" >"$T/rot.json"
expect "rotation: the old key removed, its token is refused" rot alice "$old" "$AUTH_ERR" "no configured key has the token's kid"
expect "rotation: the old key removed, its token without kid is refused" rot alice "$old_nokid" "$AUTH_ERR" "does not verify"
expect "rotation: the new key's token is still accepted" rot alice "$new" "$ACCEPT"

done_testing
