#!/bin/sh
# pam-jwt with key pairs: keygen --alg RS*/PS*/ES*/EdDSA (private JWK 0600,
# public JWK added to a key set), mint with the private key, verify --jwks;
# the tokens through pam_jwt.so (pamtester, jwks_file=) and through jwcrypto,
# an independent implementation, each beside its tampered twins.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt

"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"

run() { rc=0; nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?; }
runin() { # INPUT ARGS...: run with INPUT on standard input
	input=$1
	shift
	rc=0
	printf '%s\n' "$input" | nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?
}
has() { grep -qF -- "$1" "$T/out" "$T/err"; }
mode() { stat -c %a "$1"; }
check() { "$PYTHON3" "$top_srcdir/tests/lib/cli_pk_check.py" "$@"; }
header() { # NAME TOKEN: one header member of TOKEN
	"$CLI" decode --json "$2" | "$PYTHON3" -c 'import json, sys; print(json.load(sys.stdin)["header"].get(sys.argv[1]))' "$1"
}

kid_of() { "$PYTHON3" -c 'import json, sys; print(json.load(open(sys.argv[1]))["kid"])' "$1"; }

K=$T/pk
mkdir "$K"
SET=$K/set.json
ALGS="ES256 ES384 ES512 EdDSA RS256 RS384 RS512 PS256 PS384 PS512"

# keygen: one key pair per algorithm, all public keys in one set.
umask 000
first=1
for alg in $ALGS; do
	run keygen --alg "$alg" --out "$K/$alg.jwk" --jwks "$SET"
	[ "$rc" -eq 0 ] && [ "$(mode "$K/$alg.jwk")" = 600 ] && has "added its public key"
	ok $? "keygen --alg $alg: a private JWK with mode 0600 even under umask 000"
	if [ $first = 1 ]; then
		[ "$(mode "$SET")" = 644 ]
		ok $? "keygen --jwks creates a missing key set with mode 0644"
		first=0
	fi
	check key "$K/$alg.jwk" "$SET" "$alg"
	ok $? "keygen --alg $alg: jwcrypto loads the key; kid is its RFC 7638 thumbprint; the set holds its public half"
	sum=$(cksum <"$K/$alg.jwk")
	run keygen --alg "$alg" --out "$K/$alg.jwk" --jwks "$SET"
	[ "$rc" -eq 1 ] && has "exists; use --force" && [ "$(cksum <"$K/$alg.jwk")" = "$sum" ]
	ok $? "keygen --alg $alg refuses to overwrite the private key"
done
umask 077
[ "$("$PYTHON3" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["keys"]))' "$SET")" = 10 ]
ok $? "the key set holds the 10 public keys, none added by the refused runs"
[ "$(find "$K" -name '*.jwk.*' -o -name 'set.json.*' | wc -l)" -eq 0 ]
ok $? "keygen leaves no temporary file behind"
run keygen --alg ES256 --out "$K/ES256.jwk" --force
[ "$rc" -eq 0 ] && [ "$(mode "$K/ES256.jwk")" = 600 ] && [ "$(cksum <"$K/ES256.jwk")" != "$sum" ]
ok $? "keygen --force replaces a private key, still 0600"
run keygen --alg ES256 --out "$K/ES256.jwk" --jwks "$SET" --force
[ "$rc" -eq 0 ]
ok $? "keygen --force adds the replacement's public key"

# keygen: RSA sizes, key ids, key sets that are refused
run keygen --alg RS256 --bits 3072 --out "$K/rsa3072.jwk"
[ "$rc" -eq 0 ] && "$PYTHON3" -c 'import json, sys; from jwcrypto import jwk
assert jwk.JWK(**json.load(open(sys.argv[1]))).get_op_key("sign").key_size == 3072' "$K/rsa3072.jwk"
ok $? "keygen --bits 3072 makes a 3072-bit RSA key"
for bits in 1024 2047 1536 8192 x; do
	run keygen --alg RS256 --bits "$bits" --out "$K/bits.jwk"
	[ "$rc" -eq 2 ] && [ ! -e "$K/bits.jwk" ]
	ok $? "keygen --bits $bits is a usage error (2048, 3072 or 4096 only)"
done
run keygen --alg ES256 --bits 3072 --out "$K/bits.jwk"
[ "$rc" -eq 2 ] && has "RSA keys" && [ ! -e "$K/bits.jwk" ]
ok $? "keygen --bits with an EC algorithm is a usage error"
run keygen --alg HS256 --jwks "$SET" --out "$K/hs.key"
[ "$rc" -eq 2 ] && [ ! -e "$K/hs.key" ]
ok $? "keygen --jwks with an HMAC algorithm is a usage error"
run keygen --alg EdDSA --kid ops-2026 --out "$K/named.jwk" --jwks "$SET"
[ "$rc" -eq 0 ] && grep -q '"kid": "ops-2026"' "$K/named.jwk" "$SET"
ok $? "keygen --kid names the key in the private JWK and in the set"
run keygen --alg ES256 --kid ops-2026 --out "$K/dup.jwk" --jwks "$SET"
[ "$rc" -eq 1 ] && has 'already holds a key with kid "ops-2026"' && [ ! -e "$K/dup.jwk" ]
ok $? "keygen refuses a kid the set already has, before writing anything"
printf '{"keys": [' >"$K/broken.json"
run keygen --alg ES256 --out "$K/broken.jwk" --jwks "$K/broken.json"
[ "$rc" -eq 1 ] && has "not valid JSON" && [ ! -e "$K/broken.jwk" ] && [ "$(cat "$K/broken.json")" = '{"keys": [' ]
ok $? "keygen refuses a key set that is not valid JSON and leaves it alone"
printf '{"kty": "EC"}' >"$K/notaset.json"
run keygen --alg ES256 --out "$K/notaset.jwk" --jwks "$K/notaset.json"
[ "$rc" -eq 1 ] && has 'no "keys" array' && [ ! -e "$K/notaset.jwk" ]
ok $? "keygen refuses JSON that is not a JWK Set"
cp "$SET" "$K/open.json" && chmod 666 "$K/open.json"
run keygen --alg ES256 --out "$K/open.jwk" --jwks "$K/open.json"
[ "$rc" -eq 1 ] && [ ! -e "$K/open.jwk" ]
ok $? "keygen refuses a key set others may write (the module would refuse it too)"

# mint -> pam_jwt.so (jwks_file=) and jwcrypto; tampered twins refused by both
service pkset "auth required pam_jwt.so jwks_file=$SET"
for alg in $ALGS; do
	key=$K/$alg.jwk
	tok=$("$CLI" mint --key "$key" --sub alice)
	[ "$(header alg "$tok")" = "$alg" ] && [ "$(header kid "$tok")" = "$(kid_of "$key")" ]
	ok $? "mint --key $alg.jwk: the header names the JWK's alg and kid"
	expect "mint --key $alg.jwk: the module accepts the token" pkset alice "$tok" "$ACCEPT" \
		"token accepted for user alice"
	check verify "$SET" "$tok"
	ok $? "mint --key $alg.jwk: jwcrypto verifies the token"
	for what in claims signature; do
		twin=$(check tamper $what "$tok")
		expect "mint --key $alg.jwk, $what tampered: the module refuses it" pkset alice \
			"$twin" "$AUTH_ERR" "signature"
		check verify "$SET" "$twin" 2>/dev/null
		ok $(( $? == 0 )) "mint --key $alg.jwk, $what tampered: jwcrypto refuses it"
	done
done
tok=$("$CLI" mint --key "$K/named.jwk" --sub alice)
[ "$(header kid "$tok")" = ops-2026 ]
ok $? "mint puts a key's own kid into the header"
expect "mint --key named.jwk: accepted through its kid" pkset alice "$tok" "$ACCEPT"
tok=$("$CLI" mint --key "$K/named.jwk" --sub alice --kid ES256-elsewhere)
expect "mint --kid naming no key of the set: refused (control)" pkset alice "$tok" "$AUTH_ERR"
for alg in PS256:RS256 RS384:PS384; do
	run mint --key "$K/${alg%:*}.jwk" --alg "${alg#*:}" --sub alice
	[ "$rc" -eq 1 ] && has "cannot sign ${alg#*:}"
	ok $? "mint refuses --alg ${alg#*:} with a key pinned to ${alg%:*}"
done
run mint --key "$K/EdDSA.jwk" --alg HS256 --sub alice
[ "$rc" -eq 1 ] && has "cannot sign HS256"
ok $? "mint refuses to use a private key as an HMAC secret"

# mint: private key files follow the rules of secret_file=
cp "$K/ES384.jwk" "$K/shared.jwk" && chmod 644 "$K/shared.jwk"
run mint --key "$K/shared.jwk" --sub alice
[ "$rc" -eq 1 ] && [ ! -s "$T/out" ]
ok $? "mint refuses a private key others may read"
chmod 600 "$K/shared.jwk"
run mint --key "$K/shared.jwk" --sub alice
[ "$rc" -eq 0 ]
ok $? "mint reads the same key at mode 0600 (control)"
"$PYTHON3" -c 'import json, sys
s = json.load(open(sys.argv[1]))["keys"][0]
open(sys.argv[2], "w").write(json.dumps(s))' "$SET" "$K/public.jwk"
run mint --key "$K/public.jwk" --sub alice
[ "$rc" -eq 1 ] && has "it is a public key"
ok $? "mint refuses a public JWK"
"$CLI" keygen --alg ES256 --out "$K/other.jwk" >/dev/null
"$PYTHON3" -c 'import json, sys
k = json.load(open(sys.argv[1]))
k["d"] = json.load(open(sys.argv[2]))["d"]
open(sys.argv[3], "w").write(json.dumps(k))' "$K/ES256.jwk" "$K/other.jwk" "$K/mixed.jwk"
run mint --key "$K/mixed.jwk" --sub alice
[ "$rc" -eq 1 ] && has "does not match"
ok $? "mint refuses a private JWK whose d is not the public key's"

# mint with private JWKs made by jwcrypto (RSA primes in its own order)
for alg in RS256 PS384 ES256 ES512 EdDSA; do
	"$PYTHON3" "$top_srcdir/tests/lib/pk_mint.py" keygen --lib jwcrypto --alg "$alg" \
		--kid "jwc-$alg" --out "$K/jwc-$alg.jwk" >"$K/jwc-$alg.pub"
done
"$PYTHON3" "$top_srcdir/tests/lib/pk_mint.py" jwks "$K"/jwc-*.pub >"$K/jwc.json"
service pkjwc "auth required pam_jwt.so jwks_file=$K/jwc.json"
for alg in RS256 PS384 ES256 ES512 EdDSA; do
	expect "mint --key with a $alg private JWK from jwcrypto: the module accepts the token" \
		pkjwc alice "$("$CLI" mint --key "$K/jwc-$alg.jwk" --alg "$alg" --sub alice)" "$ACCEPT"
done

# A truncated key set or private JWK: the reason is printed, never an empty one.
printf '{"keys":[' >"$K/trunc.json"
printf '%s\n' "$tok" | nss_wrapped "$CLI" verify --jwks "$K/trunc.json" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q "✗ key: $K/trunc.json is not valid JSON" "$T/out"
ok $? "verify --jwks on a truncated key set prints the reason after \"✗ key:\""
head -c 40 "$K/EdDSA.jwk" >"$K/trunc.jwk"
chmod 600 "$K/trunc.jwk"
run mint --key "$K/trunc.jwk" --sub alice
[ "$rc" -eq 1 ] && grep -q "^pam-jwt: $K/trunc.jwk is not valid JSON" "$T/err"
ok $? "mint --key on a truncated private JWK prints the reason"
run mint --key "$K/EdDSA.jwk" --sub alice
[ "$rc" -eq 0 ]
ok $? "control: mint --key on the whole private JWK signs"

# verify --jwks: explained, and --signature-only
tok=$("$CLI" mint --key "$K/EdDSA.jwk" --sub alice)
runin "$tok" verify --jwks "$SET" --user alice
[ "$rc" -eq 0 ] && has "signature: EdDSA verified" && has "accepted for user alice"
ok $? "verify --jwks explains an EdDSA token the module accepts"
runin "$(check tamper signature "$tok")" verify --signature-only --jwks "$SET"
[ "$rc" -eq 1 ] && has "signature"
ok $? "verify --signature-only --jwks refuses its tampered twin"
runin "$tok" verify --signature-only "jwks_file=$SET"
[ "$rc" -eq 0 ]
ok $? "verify with the module word jwks_file= does the same"

# Rotation: remove a key from the set, its tokens are refused, the others' are not.
old=$("$CLI" mint --key "$K/ES512.jwk" --sub alice)
new=$("$CLI" mint --key "$K/PS256.jwk" --sub alice)
kid=$(kid_of "$K/ES512.jwk")
"$PYTHON3" -c 'import json, sys
s = json.load(open(sys.argv[1]))
s["keys"] = [k for k in s["keys"] if k["kid"] != sys.argv[2]]
open(sys.argv[1] + ".new", "w").write(json.dumps(s))' "$SET" "$kid"
chmod 644 "$SET.new" && mv "$SET.new" "$SET"
expect "rotation: a token of the removed ES512 key is refused" pkset alice "$old" "$AUTH_ERR"
expect "rotation: a token of a key still in the set is accepted (control)" pkset alice "$new" "$ACCEPT"

done_testing
