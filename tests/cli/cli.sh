#!/bin/sh
# pam-jwt through the real binary: keygen, mint, verify, decode; its tokens
# through pam_jwt.so (pamtester) and through PyJWT, an independent verifier.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt

# run ARGS...: pam-jwt with users from nss_wrapper; standard output in $T/out,
# standard error in $T/err, exit status in $rc.
run() {
	rc=0
	nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?
}
# runin INPUT ARGS...: the same with INPUT on standard input.
runin() {
	input=$1
	shift
	rc=0
	printf '%s\n' "$input" | nss_wrapped "$CLI" "$@" >"$T/out" 2>"$T/err" || rc=$?
}
has() { grep -qF -- "$1" "$T/out" "$T/err"; }
# claim NAME TOKEN: one claim of TOKEN as JSON, read through decode --json.
claim() {
	"$CLI" decode --json "$2" | "$PYTHON3" -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["claims"].get(sys.argv[1])))' "$1"
}
mode() { stat -c %a "$1"; }

# keygen
umask 000
run keygen --out "$T/gen.key"
ok $(( rc != 0 )) "keygen writes a key"
[ "$(mode "$T/gen.key")" = 600 ]
ok $? "keygen: the key file has mode 0600 even under umask 000"
umask 077
key=$(cat "$T/gen.key")
[ "$(wc -c <"$T/gen.key")" -eq 43 ] && [ -z "$(printf %s "$key" | tr -d 'A-Za-z0-9_-')" ]
ok $? "keygen: an HS256 key is 32 random bytes as 43 base64url characters, no newline"
run keygen --out "$T/gen.key"
[ "$rc" -eq 1 ] && has "exists; use --force" && [ "$(cat "$T/gen.key")" = "$key" ]
ok $? "keygen refuses to overwrite an existing key"
run keygen --out "$T/gen.key" --force
[ "$rc" -eq 0 ] && [ "$(cat "$T/gen.key")" != "$key" ] && [ "$(mode "$T/gen.key")" = 600 ]
ok $? "keygen --force replaces it with a different key, still 0600"
[ "$(find "$T" -maxdepth 1 -name 'gen.key.*' | wc -l)" -eq 0 ]
ok $? "keygen leaves no temporary file behind"
for alg in HS384:64 HS512:86; do
	run keygen --alg "${alg%:*}" --out "$T/${alg%:*}.key"
	[ "$rc" -eq 0 ] && [ "$(wc -c <"$T/${alg%:*}.key")" -eq "${alg#*:}" ]
	ok $? "keygen --alg ${alg%:*}: ${alg#*:} characters"
done
run keygen --alg HS1024 --out "$T/x.key"
[ "$rc" -eq 2 ] && has "unknown algorithm" && [ ! -e "$T/x.key" ]
ok $? "keygen --alg with an unknown algorithm is a usage error"
run keygen
[ "$rc" -eq 2 ] && has "--out PATH is required"
ok $? "keygen without --out is a usage error"
run keygen --out "$T/no-such-dir/k"
[ "$rc" -eq 1 ] && has "cannot create"
ok $? "keygen into a missing directory fails"

# mint -> pam_jwt.so
service gen "auth required pam_jwt.so secret_file=$T/gen.key"
expect "mint: the module accepts a token minted with a keygen key" gen alice \
	"$("$CLI" mint --key "$T/gen.key" --sub alice)" "$ACCEPT" "token accepted for user alice"
for alg in HS384 HS512; do
	# PAM looks service names up in lower case.
	svc=$(echo "gen$alg" | tr A-Z a-z)
	service "$svc" "auth required pam_jwt.so secret_file=$T/$alg.key algorithms=$alg"
	expect "mint --alg $alg: the module accepts it" "$svc" alice \
		"$("$CLI" mint --key "$T/$alg.key" --alg $alg --sub alice)" "$ACCEPT"
done
service genscoped "auth required pam_jwt.so secret_file=$T/gen.key issuer=https://idp.example audience=ssh max_lifetime=600"
expect "mint --iss --aud --jti --nbf: the module with issuer=, audience=, max_lifetime= accepts it" \
	genscoped alice "$("$CLI" mint --key "$T/gen.key" --sub alice --iss https://idp.example \
	--aud ssh --jti auto --nbf -10s --ttl 10m)" "$ACCEPT"
expect "mint --aud twice: an array the module searches" genscoped alice \
	"$("$CLI" mint --key "$T/gen.key" --sub alice --iss https://idp.example --aud web --aud ssh)" "$ACCEPT"
expect "mint --ttl 11m: refused by max_lifetime=600 (control for the one above)" genscoped alice \
	"$("$CLI" mint --key "$T/gen.key" --sub alice --iss https://idp.example --aud ssh --ttl 11m)" \
	"$AUTH_ERR" "exceeds max_lifetime"
expect "mint --ttl -1m: an expired token the module refuses" gen alice \
	"$("$CLI" mint --key "$T/gen.key" --sub alice --ttl -1m)" "$AUTH_ERR" "token expired"
expect "mint --nbf 5m: a token not yet valid" gen alice \
	"$("$CLI" mint --key "$T/gen.key" --sub alice --nbf 5m)" "$AUTH_ERR" "not valid for another"
expect "mint with another key: refused" gen alice \
	"$("$CLI" mint --key "$T/other.key" --sub alice)" "$AUTH_ERR" "signature does not match"

# mint -> PyJWT
for alg in HS256:gen HS384:HS384 HS512:HS512; do
	tok=$("$CLI" mint --key "$T/${alg#*:}.key" --alg "${alg%:*}" --sub alice --iss idp --aud ssh --ttl 2m)
	"$PYTHON3" - "$T/${alg#*:}.key" "$tok" "${alg%:*}" <<'EOP'
import sys, jwt
key = open(sys.argv[1], "rb").read()
c = jwt.decode(sys.argv[2], key, algorithms=[sys.argv[3]], audience="ssh", issuer="idp")
assert jwt.get_unverified_header(sys.argv[2]) == {"alg": sys.argv[3], "typ": "JWT"}
assert c["sub"] == "alice" and c["exp"] - c["iat"] == 120, c
EOP
	ok $? "mint --alg ${alg%:*}: PyJWT verifies the token and its claims"
done
"$PYTHON3" -c 'import jwt, sys; jwt.decode(sys.argv[2], open(sys.argv[1], "rb").read(), algorithms=["HS256"])' \
	"$T/other.key" "$("$CLI" mint --key "$T/gen.key" --sub alice)" 2>/dev/null
ok $(( $? == 0 )) "PyJWT refuses a minted token under another key (control)"

# mint: durations and claims
for d in 90:90 90s:90 5m:300 2h:7200 1d:86400 -1m:-60; do
	tok=$("$CLI" mint --key "$T/gen.key" --sub alice --ttl "${d%:*}")
	[ $(( $(claim exp "$tok") - $(claim iat "$tok") )) -eq "${d#*:}" ]
	ok $? "mint --ttl ${d%:*} is ${d#*:} s"
done
for d in 5x "" m 1.5m " 5" +5 5mm 99999999999d --5; do
	run mint --key "$T/gen.key" --sub alice --ttl "$d"
	[ "$rc" -eq 2 ] && has "--ttl wants a duration"
	ok $? "mint --ttl '$d' is a usage error"
done
tok=$("$CLI" mint --key "$T/gen.key" --sub alice --claim n=3 --claim s=hello --claim q='"42"' \
	--claim 'l=["a",1]' --claim z=null --claim email=alice@example.com --nbf @1234)
[ "$(claim n "$tok")" = 3 ] && [ "$(claim s "$tok")" = '"hello"' ] && [ "$(claim q "$tok")" = '"42"' ] &&
	[ "$(claim l "$tok")" = '["a", 1]' ] && [ "$(claim z "$tok")" = null ] &&
	[ "$(claim email "$tok")" = '"alice@example.com"' ] && [ "$(claim nbf "$tok")" = 1234 ]
ok $? "mint --claim: JSON when it parses as JSON, else a string; --nbf @SECONDS"
tok=$("$CLI" mint --key "$T/gen.key" --sub alice --claim exp='"soon"')
expect "mint --claim replaces a claim (exp as a string is refused)" gen alice "$tok" "$AUTH_ERR" "not a JSON number"
j1=$(claim jti "$("$CLI" mint --key "$T/gen.key" --sub alice --jti auto)")
j2=$(claim jti "$("$CLI" mint --key "$T/gen.key" --sub alice --jti auto)")
[ "$j1" != "$j2" ] && [ ${#j1} -eq 24 ]
ok $? "mint --jti auto: 128 random bits, different each time"
chmod 0644 "$T/gen.key"
run mint --key "$T/gen.key" --sub alice
[ "$rc" -eq 1 ] && has "readable by others"
ok $? "mint refuses a key file the module would refuse"
chmod 0600 "$T/gen.key"
run mint --key "$T/gen.key" --sub alice --alg HS512
[ "$rc" -eq 1 ] && has "needs at least 64"
ok $? "mint refuses a key too short for the algorithm"
run mint --key "$T/gen.key"
[ "$rc" -eq 2 ] && has "--sub are required"
ok $? "mint without --sub is a usage error"
run mint --key "$T/gen.key" --sub alice --claim novalue
[ "$rc" -eq 2 ]
ok $? "mint --claim without '=' is a usage error"

# mint --max-bytes: a token over the limit is not printed; the claims are
# listed largest first with what each costs, and the drop that fits is named.
big() { "$CLI" mint --key "$T/gen.key" --sub alice --aud sudo --iss https://login.example.com/tenant \
	--claim groups='["wheel","admins","developers","operations"]' --claim email=alice@example.com "$@"; }
len=$(big | tr -d '\n' | wc -c)
run mint --key "$T/gen.key" --sub alice --aud sudo --iss https://login.example.com/tenant \
	--claim groups='["wheel","admins","developers","operations"]' --claim email=alice@example.com --max-bytes "$len"
[ "$rc" -eq 0 ] && [ "$(tr -d '\n' <"$T/out" | wc -c)" -eq "$len" ]
ok $? "mint --max-bytes N: a token of exactly N bytes ($len) is printed"
run mint --key "$T/gen.key" --sub alice --aud sudo --iss https://login.example.com/tenant \
	--claim groups='["wheel","admins","developers","operations"]' --claim email=alice@example.com --max-bytes $((len - 1))
[ "$rc" -eq 1 ] && [ ! -s "$T/out" ] && has "would be $len bytes, 1 over --max-bytes $((len - 1))"
ok $? "mint --max-bytes N: one byte more is refused, nothing printed, exit 1"
sed -n 's/^  \([a-z]*\) .*/\1/p' "$T/err" | head -n 1 >"$T/first"
grep -qx groups "$T/first" && has "drop groups: "
ok $? "mint --max-bytes: the largest claim (groups) comes first and is the one to drop"
cost=$(sed -n 's/^  groups *\([0-9]*\).*/\1/p' "$T/err")
without=$("$CLI" mint --key "$T/gen.key" --sub alice --aud sudo --iss https://login.example.com/tenant \
	--claim email=alice@example.com | tr -d '\n' | wc -c)
[ -n "$cost" ] && [ "$cost" -eq $((len - without)) ]
ok $? "mint --max-bytes: groups' cost ($cost) is what the token saves without it ($len - $without)"
grep -q "^  sub .*(required)" "$T/err" && grep -q "^  aud .*(checked by audience=)" "$T/err"
ok $? "mint --max-bytes: sub and exp are marked required, aud with the argument that checks it"
run mint --key "$T/gen.key" --sub alice --max-bytes 100
[ "$rc" -eq 1 ] && [ ! -s "$T/out" ] && has "without every optional claim the token is still"
ok $? "mint --max-bytes: a limit no drop can meet says so"
for bad in 0 -5 abc 12x 2000000; do
	run mint --key "$T/gen.key" --sub alice --max-bytes "$bad"
	[ "$rc" -eq 2 ] || break
done
[ "$rc" -eq 2 ] && has "--max-bytes wants"
ok $? "mint --max-bytes: 0, negative, non-numeric and huge values are usage errors"

# verify
good=$("$CLI" mint --key "$T/gen.key" --sub alice)
runin "$good" verify --key "$T/gen.key" --user alice
[ "$rc" -eq 0 ] && has "✓ signature: HS256 verified" && has "✓ exp: expires in" &&
	has "✓ user: alice" && has "✓ accepted for user alice" && has '"sub": "alice"' && has " UTC)"
ok $? "verify: a good token, each check ✓, the claims with UTC dates, exit 0"
run verify --key "$T/gen.key" --user alice "$good"
[ "$rc" -eq 2 ] && has "a token on the command line is visible to other users" &&
	has "standard input" && has "--token-file FILE" && ! grep -qF -- "${good##*.}" "$T/out" "$T/err"
ok $? "verify refuses a token given as an argument, says how to pass it, and never echoes it"
run verify --key "$T/gen.key" --user alice "$(echo "$good" | cut -d. -f1-2)"
[ "$rc" -eq 2 ] && has "visible to other users"
ok $? "verify refuses a cut token (two segments) given as an argument too"
printf '%s\n' "$good" >"$T/token"
run verify --key "$T/gen.key" --user alice --token-file "$T/token"
[ "$rc" -eq 0 ] && has "✓ accepted for user alice"
ok $? "verify --token-file FILE reads the token from FILE"
runin "$good" verify --key "$T/gen.key" --user alice --token-file -
[ "$rc" -eq 0 ] && has "✓ accepted for user alice"
ok $? "verify --token-file - reads standard input"
run verify --key "$T/gen.key" --user alice --token-file "$T/no-such-token"
[ "$rc" -eq 1 ] && has "cannot open the token file"
ok $? "verify --token-file with a missing file fails with the reason"
runin "$("$CLI" mint --key "$T/gen.key" --sub alice --ttl 2d)" verify --key "$T/gen.key" --user alice
[ "$rc" -eq 1 ] && has "✗ exp: token expires in" && has "beyond max_expiry=86400"
ok $? "verify: a token living two days is refused by the default max_expiry="
runin "$("$CLI" mint --key "$T/gen.key" --sub alice --ttl 2d)" verify --key "$T/gen.key" --user alice max_expiry=172800
[ "$rc" -eq 0 ]
ok $? "verify: control: the same token with max_expiry=172800 is accepted"
runin "$(mint --key "$T/gen.key" --set exp=1796232537000)" verify --key "$T/gen.key" --user alice
[ "$rc" -eq 1 ] && has "✗ exp: exp is 1796232537000: milliseconds?"
ok $? "verify: exp in milliseconds is refused with the likely cause"
runin "$good" verify --user alice secret_file="$T/gen.key" audience=ssh max_lifetime=600
[ "$rc" -eq 1 ] && has '✗ aud: token has no "aud"; audience= requires one' && has "✗ refused (claims refused)"
ok $? "verify with pasted module arguments: a token without aud, refused with the reason"
runin "$("$CLI" mint --key "$T/gen.key" --sub alice --aud ssh)" verify --user alice \
	secret_file="$T/gen.key" audience=ssh max_lifetime=600
[ "$rc" -eq 0 ]
ok $? "verify with pasted module arguments: the control with aud is accepted"
# A pam.d line pasted whole: its type, control and module path are skipped.
sshtok=$("$CLI" mint --key "$T/gen.key" --sub alice --aud ssh)
for line in "pam_jwt.so" "/usr/lib/x86_64-linux-gnu/security/pam_jwt.so" \
	"auth required pam_jwt.so" "auth [success=2 default=ignore] pam_jwt.so" \
	"-- -auth sufficient /lib/security/pam_jwt.so"; do
	# shellcheck disable=SC2086
	runin "$sshtok" verify --user alice $line secret_file="$T/gen.key" audience=ssh max_lifetime=3600
	[ "$rc" -eq 0 ] && has "✓ accepted for user alice"
	ok $? "verify with a pasted line \"$line ...\": the module path is skipped, the token accepted"
	# shellcheck disable=SC2086
	runin "$good" verify --user alice $line secret_file="$T/gen.key" audience=ssh max_lifetime=3600
	[ "$rc" -eq 1 ] && has '✗ aud: token has no "aud"'
	ok $? "verify with a pasted line \"$line ...\": its arguments still apply (a token without aud refused)"
done
for line in "./pam_jwt.so" "/x/notpam_jwt.so" "auth required pam_unix.so" "auth pam_jwt.so" \
	"account required pam_jwt.so"; do
	# shellcheck disable=SC2086
	runin "$sshtok" verify --user alice $line secret_file="$T/gen.key" audience=ssh
	[ "$rc" -ne 0 ] && ! has "✓ accepted"
	ok $? "verify: \"$line\" is not skipped as a pam_jwt line's beginning (refused, exit $rc)"
done
runin "$sshtok" verify --user alice secret_file="$T/gen.key" pam_jwt.so audience=ssh
[ "$rc" -ne 0 ] && ! has "✓ accepted"
ok $? "verify: pam_jwt.so after the arguments is not skipped (exit $rc)"
runin "$good" verify --key "$T/gen.key" --user bob
[ "$rc" -eq 1 ] && has 'token is for user "alice"'
ok $? "verify --user: a token for another user is refused"
# One refusal, one ✗ step: the root guard and the policy report their own,
# and the user step does not repeat it.
runin "$("$CLI" mint --key "$T/gen.key" --sub root)" verify --key "$T/gen.key" --user root
[ "$rc" -eq 1 ] && [ "$(grep -c '^  ✗' "$T/out")" -eq 1 ] &&
	has '  ✗ root: account "root" has uid 0 and allow_root is not set' && ! has "✗ user:"
ok $? "verify: a token for root without allow_root shows one ✗ step (root), then the verdict"
runin "$("$CLI" mint --key "$T/gen.key" --sub root)" verify --key "$T/gen.key" --user root allow_root
[ "$rc" -eq 0 ] && has "✓ root: uid 0, allowed by allow_root" && has "✓ user: root"
ok $? "verify: control: with allow_root the same token is accepted, root and user ✓"
printf 'bob bob\n' >"$T/policy"
runin "$good" verify --key "$T/gen.key" --user alice policy_file="$T/policy"
[ "$rc" -eq 1 ] && [ "$(grep -c '^  ✗' "$T/out")" -eq 1 ] && has "  ✗ policy: " && ! has "✗ user:"
ok $? "verify: a token no policy rule admits shows one ✗ step (policy)"
runin "$("$CLI" mint --key "$T/gen.key" --sub nobody-here)" verify --key "$T/gen.key"
[ "$rc" -eq 1 ] && [ "$(grep -c '^  ✗' "$T/out")" -eq 1 ] && has '  ✗ user: user "nobody-here" has no local account'
ok $? "verify: a user without an account: one ✗ step (user)"
expired=$("$CLI" mint --key "$T/gen.key" --sub alice --ttl -1h)
runin "$expired" verify --key "$T/gen.key"
[ "$rc" -eq 1 ] && has "✓ signature" && has "✗ exp: token expired 36" && has "✗ refused (claims refused): token expired"
ok $? "verify: an expired token, the signature ✓ and exp ✗ with the reason, exit 1"
runin "$expired" verify --key "$T/gen.key" --signature-only
[ "$rc" -eq 0 ] && has "✓ signature verified (claims and user not checked)" && ! has "exp:"
ok $? "verify --signature-only: the expired token's signature is good"
forged=$("$CLI" mint --key "$T/other.key" --sub alice)
runin "$forged" verify --key "$T/gen.key" --signature-only
[ "$rc" -eq 1 ] && has "✗ signature: the HS256 signature does not match"
ok $? "verify --signature-only: a forged token is refused"
runin "$forged" verify --key "$T/gen.key"
[ "$rc" -eq 1 ] && has "✗ refused (bad signature)" && ! has "exp:"
ok $? "verify: a forged token stops at the signature"
runin "$(echo "$good" | cut -d. -f1).e30!.sig" verify --key "$T/gen.key"
[ "$rc" -eq 1 ] && has '"alg": "HS256"' && has "payload: not strict base64url" && has "✗ format:"
ok $? "verify: a token that does not decode still shows its header"
runin "$(echo "$good" | cut -d. -f1-2)" verify --key "$T/gen.key"
[ "$rc" -eq 1 ] && has "token has 2 segments" && has '"sub": "alice"' && has "signature: missing"
ok $? "verify: a token without signature shows header and claims"
runin "$good" verify --key "$T/gen.key" isuer=x
[ "$rc" -eq 2 ] && has 'unknown argument "isuer"'
ok $? "verify: a misspelt module argument is a usage error, as the module's configuration error"
runin "$good" verify
[ "$rc" -eq 2 ] && has "no key configured"
ok $? "verify without a key is a usage error"
runin "$good" verify --key "$T/gen.key" secret_file="$T/gen.key"
[ "$rc" -eq 2 ] && has "given twice"
ok $? "verify: --key and secret_file= together are a usage error"
runin "$expired" verify --key "$T/gen.key" --json
[ "$rc" -eq 1 ] && "$PYTHON3" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["accepted"] is False and r["status"] == "claims refused", r
assert r["reason"].startswith("token expired") and r["token"]["claims"]["sub"] == "alice"
assert [c["check"] for c in r["checks"] if not c["ok"]] == ["exp"]
assert r["token"]["header"]["alg"] == "HS256" and r["token"]["signature_bytes"] == 32' "$T/out"
ok $? "verify --json: verdict, reason, checks and the decoded token"
runin "$good" verify --key "$T/gen.key" --json
[ "$rc" -eq 0 ] && "$PYTHON3" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["accepted"] is True and r["user"] == "alice" and r["reason"] is None, r
assert all(c["ok"] for c in r["checks"])' "$T/out"
ok $? "verify --json: an accepted token"

# decode
run decode "$good"
[ "$rc" -eq 0 ] && head -n1 "$T/out" | grep -q UNVERIFIED && has '"sub": "alice"' && has "signature: 32 bytes"
ok $? "decode: header and claims, marked UNVERIFIED"
run decode "$forged"
[ "$rc" -eq 0 ]
ok $? "decode does not verify: a forged token decodes"
run decode --json "$good"
[ "$rc" -eq 0 ] && "$PYTHON3" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verified"] is False and r["claims"]["sub"] == "alice" and r["header"]["typ"] == "JWT"' "$T/out"
ok $? "decode --json: \"verified\": false, header and claims"
runin "not a token" decode
[ "$rc" -eq 1 ] && has "token has 1 segment"
ok $? "decode: input that is not a JWS exits 1"
"$CLI" mint --key "$T/gen.key" --sub alice --claim "$(printf 'esc=\033[31mred')" >"$T/tok"
run decode "$(cat "$T/tok")"
! grep -q "$(printf '\033')" "$T/out" && has '\u001b[31mred'
ok $? "decode escapes control characters from the token"

# the command line
for sub in keygen mint verify decode check askpass split jwks-sync login revoke; do
	run $sub --help
	[ "$rc" -eq 0 ] && has "usage: pam-jwt $sub"
	ok $? "$sub --help"
	run $sub --frobnicate
	[ "$rc" -eq 2 ] && grep -qF "usage: pam-jwt $sub" "$T/err" && [ ! -s "$T/out" ]
	ok $? "$sub --frobnicate: a usage error, with the usage on stderr"
done
for sub in jwks-sync login; do
	run $sub --timeout 0 --issuer https://idp.example
	[ "$rc" -eq 2 ] && has "--timeout wants 1 to 600 seconds, not \"0\""
	ok $? "$sub --timeout 0: a usage error that says why"
done
run --help
[ "$rc" -eq 0 ] && grep -q "^  keygen .*key pair" "$T/out"
ok $? "pam-jwt --help says keygen makes key pairs too"
sed -n '/^\.SH "SEE ALSO"/,$p' "$top_srcdir/man/pam_jwt.8" | grep -qF 'pam\-jwt (1)'
ok $? "pam_jwt(8) names pam-jwt(1) under SEE ALSO"
run frobnicate
[ "$rc" -eq 2 ] && has 'unknown command "frobnicate"'
ok $? "an unknown command is a usage error"
run verify --frobnicate
[ "$rc" -eq 2 ]
ok $? "an unknown option is a usage error"
run
[ "$rc" -eq 2 ]
ok $? "no command is a usage error"
# Output that cannot be written fails the command: stdout is checked before exit.
if [ -w /dev/full ]; then
	rc=0
	"$CLI" decode "$tok" >/dev/full 2>"$T/err" || rc=$?
	[ "$rc" -eq 1 ] && grep -q "cannot write the output" "$T/err"
	ok $? "decode to a full disk (/dev/full) fails, exit 1, and says so"
	"$CLI" decode "$tok" >/dev/null
	ok $? "control: decode to /dev/null succeeds"
fi

done_testing
