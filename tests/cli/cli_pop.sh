#!/bin/sh
# pam-jwt and bound tokens: mint --cnf-key puts the key's RFC 7638 thumbprint
# in cnf.jkt (the same as jwcrypto's for keys keygen and jwcrypto make);
# decode and verify show the binding; verify refuses a bound token without a
# proof, and checks a jwcrypto proof given with --proof-file and --nonce.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
dpop() { "$PYTHON3" "$top_srcdir/tests/lib/dpop.py" "$@"; }

run() { rc=0; nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?; }
has() { grep -qF -- "$1" "$T/out" "$T/err"; }
jkt_of() { "$CLI" decode --json <"$1" | "$PYTHON3" -c 'import json, sys; print(json.load(sys.stdin)["claims"]["cnf"]["jkt"])'; }

# The thumbprint in cnf.jkt, for keys of every type, is jwcrypto's.
for alg in ES256 ES384 ES512 EdDSA RS256; do
	run keygen --alg "$alg" --out "$T/$alg.jwk"
	run mint --key "$T/key" --sub alice --cnf-key "$T/$alg.jwk"
	cp "$T/out" "$T/tok"
	[ $rc -eq 0 ] && [ "$(jkt_of "$T/tok")" = "$(dpop thumb "$T/$alg.jwk")" ]
	ok $? "mint --cnf-key: a keygen $alg key's thumbprint in cnf.jkt is jwcrypto's"
done
dpop genkey "$T/jc.jwk" EdDSA
run mint --key "$T/key" --sub alice --cnf-key "$T/jc.jwk"
cp "$T/out" "$T/tok"
[ "$(jkt_of "$T/tok")" = "$(dpop thumb "$T/jc.jwk")" ]
ok $? "mint --cnf-key: a jwcrypto Ed25519 key's thumbprint is jwcrypto's"
run mint --key "$T/key" --sub alice --cnf-key "$T/key"
[ $rc -eq 1 ] && has "--cnf-key"
ok $? "mint --cnf-key with an HMAC key file is refused (exit 1)"

# decode and verify show the binding; verify needs the proof.
dpop genkey "$T/ec.jwk" ES256
jkt=$(dpop thumb "$T/ec.jwk")
run mint --key "$T/key" --sub alice --cnf-key "$T/ec.jwk" --ttl 10m
cp "$T/out" "$T/tok"
run decode <"$T/tok"
has "binding: bound to key $jkt (cnf)"
ok $? "decode shows the binding"
run mint --key "$T/key" --sub alice
cp "$T/out" "$T/bearer"
run decode <"$T/bearer"
has "binding: bearer (no cnf)"
ok $? "decode of a bearer token says so"
run verify --key "$T/key" --user alice --token-file "$T/bearer"
[ $rc -eq 0 ] && has "pop: bearer token (no cnf)"
ok $? "control: verify accepts the bearer token"
run verify --key "$T/key" --user alice --token-file "$T/bearer" pop=required
[ $rc -eq 1 ] && has "pop=required"
ok $? "verify pop=required refuses it"
run verify --key "$T/key" --user alice --token-file "$T/tok"
[ $rc -eq 1 ] && has "bound to key $jkt (cnf) and needs a DPoP proof"
ok $? "verify without a proof refuses a bound token, naming its key"
N=AbCdEfGhIjKlMnOpQrStUv
dpop proof "$T/ec.jwk" --htu pam://h.example/sshd --htm PAM --nonce "$N" --ath "$(cat "$T/tok")" >"$T/proof"
run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof" --nonce "$N" \
	--host h.example --service sshd
[ $rc -eq 0 ] && has "pop: proved by key $jkt"
ok $? "verify --proof-file: a jwcrypto proof for pam://HOST/SERVICE and the nonce is accepted"
run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof" --nonce "$N" \
	--htu pam://h.example/sshd
[ $rc -eq 0 ]
ok $? "verify --htu gives the htu directly"
run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof" \
	--nonce "${N}x" --htu pam://h.example/sshd
[ $rc -eq 1 ] && has "nonce is not this login's"
ok $? "verify: another nonce is refused"
run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof" --nonce "$N" \
	--host other.example --service sshd
[ $rc -eq 1 ] && has "htu is not pam://other.example/sshd"
ok $? "verify: another host is refused"
run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof"
[ $rc -eq 2 ]
ok $? "verify --proof-file without --nonce is a usage error"
run verify --key "$T/key" --user alice --token-file "$T/tok" --nonce "$N"
[ $rc -eq 2 ]
ok $? "verify --nonce without --proof-file is a usage error"

done_testing
