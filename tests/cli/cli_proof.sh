#!/bin/sh
# pam-jwt proof: DPoP proofs (RFC 9449 §4.2) made by pam-jwt for a bound
# token's challenge, accepted by the module (tests/lib/pam_pop answers the
# challenge with them) and by pam-jwt verify --proof-file, and checked
# independently by jwcrypto (tests/lib/dpop.py check): header typ, alg by the
# key, a public jwk; claims jti, htm, htu, iat, nonce, ath. Keys that cannot
# sign a proof are refused, each beside an accepted control.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt
POP=$top_builddir/tests/lib/pam_pop
DPOP=$top_srcdir/tests/lib/dpop.py
[ -x "$POP" ] || skip_all "tests/lib/pam_pop is not built"
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
dpop() { "$PYTHON3" "$DPOP" "$@"; }
export CLI

run() { rc=0; nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?; }
has() { grep -qF -- "$1" "$T/out" "$T/err"; }

service pop "$(jwt_line debug)"
host=$(hostname)
N=AbCdEfGhIjKlMnOpQrStUv

# login TOKEN KEY [proof options]: the token at "Token: ", pam-jwt proof by KEY
# for the challenge the prompt shows. Output in $T/out; the result in $result.
login() {
	tok=$1 key=$2
	shift 2
	printf '%s\n' "$tok" >"$T/tokfile"
	POP_CMD="\"\$CLI\" proof --key $key --nonce \"\$POP_NONCE\" --htu \"\$POP_HTU\" $*"
	export POP_CMD
	wrapped_run "$tok" "$POP" pop alice || :
	result=$(sed -n 's/^result: //p' "$T/out")
}

# Every key type keygen makes: the module and verify accept the proof, jwcrypto agrees.
for alg in ES256 ES384 ES512 EdDSA RS256 PS256; do
	run keygen --alg "$alg" --out "$T/$alg.jwk"
	jkt=$(dpop thumb "$T/$alg.jwk")
	TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}")
	login "$TOK" "$T/$alg.jwk" --token-file "$T/tokfile"
	[ "$result" = Success ] && grep -qF "pop=bound jkt=$jkt" "$T/out"
	s=$?
	[ $s -eq 0 ] || sed 's/^/# /' "$T/out" | grep -v PWRAP_DEBUG
	ok $s "$alg: the module accepts pam-jwt proof's answer to its challenge"
	run proof --key "$T/$alg.jwk" --nonce "$N" --htu "pam://h.example/sshd" --token-file "$T/tokfile"
	cp "$T/out" "$T/proof"
	[ $rc -eq 0 ] && [ ! -s "$T/err" ]
	ok $? "$alg: pam-jwt proof exits 0, nothing on standard error"
	printf '%s\n' "$TOK" >"$T/tok"
	run verify --key "$T/key" --user alice --token-file "$T/tok" --proof-file "$T/proof" \
		--nonce "$N" --htu pam://h.example/sshd
	[ $rc -eq 0 ] && has "pop: proved by key $jkt"
	ok $? "$alg: pam-jwt verify --proof-file accepts it"
	j=$(dpop check "$(cat "$T/proof")" --htu pam://h.example/sshd --htm PAM --nonce "$N" \
		--ath "$TOK" --alg "$alg" 2>&1)
	[ "$j" = "$jkt" ]
	ok $? "$alg: jwcrypto checks it as RFC 9449 says, by the key the token is bound to ($j)"
done

# In parts, as pam-jwt split cuts it (sudo takes 511 bytes an answer).
login "$TOK" "$T/PS256.jwk" --token-file "$T/tokfile" '| "$CLI" split --size 200'
[ "$result" = Success ] && grep -q "^prompt: DPoP proof (part 2 of [0-9]*): \$" "$T/out"
ok $? "a PS256 proof in parts of 200 bytes (pam-jwt split) is accepted"

# A key jwcrypto made (P-256 without kid or alg).
dpop genkey "$T/jc.jwk" ES256
jkt=$(dpop thumb "$T/jc.jwk")
TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}")
login "$TOK" "$T/jc.jwk" --token-file "$T/tokfile"
[ "$result" = Success ]
ok $? "a jwcrypto key's proof is accepted by the module"

# The header and claims, field by field (the ES256 key of keygen).
printf '%s\n' "$TOK" >"$T/tok"
run proof --key "$T/ES256.jwk" --nonce "$N" --htu pam://h/s --token-file "$T/tok"
dpop decode "$(cat "$T/out")" >"$T/dec"
"$PYTHON3" - "$T/dec" <<'PY'
import json, sys, time
d = json.load(open(sys.argv[1]))
h, c = d["header"], d["claims"]
assert sorted(h) == ["alg", "jwk", "typ"], h
assert h["typ"] == "dpop+jwt" and h["alg"] == "ES256", h
assert sorted(h["jwk"]) == ["crv", "kty", "x", "y"], h["jwk"]
assert sorted(c) == ["ath", "htm", "htu", "iat", "jti", "nonce"], c
assert c["htm"] == "PAM" and c["htu"] == "pam://h/s" and c["nonce"] == "AbCdEfGhIjKlMnOpQrStUv", c
assert abs(c["iat"] - time.time()) < 30 and len(c["jti"]) == 22, c
PY
ok $? "header: typ, alg and the jwk's public members only; claims: jti, htm PAM, htu, iat now, nonce, ath"
d=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["d"])' "$T/ES256.jwk")
! grep -qF -- "$d" "$T/out" "$T/err"
ok $? "the private key's d is nowhere in the output"
j1=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["claims"]["jti"])' "$T/dec")
run proof --key "$T/ES256.jwk" --nonce "$N" --htu pam://h/s
dpop decode "$(cat "$T/out")" >"$T/dec2"
j2=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["claims"]["jti"])' "$T/dec2")
[ -n "$j1" ] && [ "$j1" != "$j2" ] && ! grep -q '"ath"' "$T/dec2"
ok $? "each proof has a new jti; without --token-file there is no ath"
run proof --key "$T/ES256.jwk" --nonce "$N" --htu pam://h/s --token-file - <"$T/tok"
dpop check "$(cat "$T/out")" --htu pam://h/s --htm PAM --nonce "$N" --ath "$TOK" >/dev/null
ok $? "--token-file - reads the token from standard input"
run proof --key "$T/ES256.jwk" --nonce "$N" --htu https://idp.example/token --htm POST
dpop check "$(cat "$T/out")" --htu https://idp.example/token --htm POST --nonce "$N" >/dev/null
ok $? "--htm POST for a provider's token endpoint"

# The module needs ath: a proof without the token is refused (control: above).
jkt=$(dpop thumb "$T/ES256.jwk")
TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}")
login "$TOK" "$T/ES256.jwk"
[ "$result" = "Authentication failure" ] && grep -q "ath" "$T/out"
ok $? "a proof without --token-file (no ath) is refused by the module"
login "$TOK" "$T/ES384.jwk" --token-file "$T/tokfile"
[ "$result" = "Authentication failure" ]
ok $? "a proof by another key is refused by the module"
login "$TOK" "$T/ES256.jwk" --token-file "$T/tokfile"
[ "$result" = Success ]
ok $? "control: the same token with its key's proof logs in"

# Refusals, beside the control: the same command with the ES256 key passes.
chk() { # DESCRIPTION CODE TEXT: exit code, a message, nothing printed on stdout
	[ $rc -eq "$2" ] && has "$3" && [ ! -s "$T/out" ]
	s=$?
	[ $s -eq 0 ] || sed 's/^/# /' "$T/err"
	ok $s "$1"
}
run proof --key "$T/ES256.jwk" --nonce "$N" --htu pam://h/s
[ $rc -eq 0 ] && [ -s "$T/out" ]
ok $? "control: a private ES256 key makes a proof"
run proof --key "$T/missing.jwk" --nonce "$N" --htu pam://h/s
chk "a missing key file is refused (exit 1, named)" 1 "$T/missing.jwk"
"$PYTHON3" -c 'import json,sys; k=json.load(open(sys.argv[1])); k.pop("d"); print(json.dumps(k))' \
	"$T/ES256.jwk" >"$T/pub.jwk"
run proof --key "$T/pub.jwk" --nonce "$N" --htu pam://h/s
chk "a public key (no d) is refused" 1 "give the private key"
cp "$T/ES256.jwk" "$T/open.jwk"
chmod 644 "$T/open.jwk"
run proof --key "$T/open.jwk" --nonce "$N" --htu pam://h/s
chk "a key file others may read (mode 0644) is refused" 1 "$T/open.jwk"
run proof --key "$T/key" --nonce "$N" --htu pam://h/s
chk "an HMAC key file is refused" 1 "private asymmetric key"
dpop genkey "$T/oct.jwk" HS256
run proof --key "$T/oct.jwk" --nonce "$N" --htu pam://h/s
chk "an oct JWK is refused" 1 "private asymmetric key"
run proof --key "$T/ES256.jwk" --htu pam://h/s
chk "no --nonce is a usage error (exit 2)" 2 "required"
run proof --key "$T/ES256.jwk" --nonce "a b" --htu pam://h/s
chk "a nonce with a space is a usage error" 2 "--nonce"
printf '\n' >"$T/empty"
run proof --key "$T/ES256.jwk" --nonce "$N" --htu pam://h/s --token-file "$T/empty"
chk "an empty token file is refused" 1 "--token-file"

done_testing
