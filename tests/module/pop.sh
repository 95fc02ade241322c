#!/bin/sh
# Tokens bound to a key (cnf, RFC 7800) through the module: the DPoP challenge
# it prompts, answered by tests/lib/pam_pop with proofs that jwcrypto makes
# (tests/lib/dpop.py, independent of pam_jwt) for the nonce the prompt shows.
# Every allowed proof algorithm is accepted whole and in parts; each refusal
# has its own reason and sits beside an accepted control.
. "$top_srcdir/tests/lib/lib.sh"
PJ="$top_builddir/pam-jwt"
POP="$top_builddir/tests/lib/pam_pop"
DPOP="$top_srcdir/tests/lib/dpop.py"
[ -x "$POP" ] || skip_all "tests/lib/pam_pop is not built"
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
dpop() { "$PYTHON3" "$DPOP" "$@"; }
export PYTHON3 DPOP PJ

service pop "$(jwt_line debug)"
service popreq "$(jwt_line pop=required)"
mkdir -m 700 "$T/replay"
service poponce "$(jwt_line replay=local replay_dir=$T/replay)"

# login SERVICE TOKEN CMD: the token at the "Token: " prompt, CMD's output
# (made with POP_HTU and POP_NONCE) at the challenge. Output in $T/out.
login() {
	POP_CMD=$3
	export POP_CMD
	wrapped_run "$2" "$POP" "$1" alice
}
# check DESCRIPTION SERVICE TOKEN CMD RESULT [LOG]: the result line and a log substring.
check() {
	desc=$1 svc=$2 tok=$3 cmd=$4 result=$5 log=${6:-}
	login "$svc" "$tok" "$cmd" || :
	s=0
	grep -qF "result: $result" "$T/out" || s=1
	[ -z "$log" ] || grep -qF -- "$log" "$T/out" || s=1
	[ $s -eq 0 ] || sed 's/^/# /' "$T/out" | grep -v PWRAP_DEBUG
	ok $s "$desc"
}
ACCEPT=Success
REFUSE="Authentication failure"

# A proof of key FILE for the prompt's challenge and token $TOK; more options after.
proof_cmd() { # KEY [dpop.py proof options]
	k=$1
	shift
	echo "\"\$PYTHON3\" \"\$DPOP\" proof $k --htu \"\$POP_HTU\" --htm PAM --nonce=\"\$POP_NONCE\" --ath \"\$TOK\" $*"
}

# The challenge's text: the host as %h expands it, the service, a fresh nonce.
dpop genkey "$T/es256.jwk" ES256
jkt=$(dpop thumb "$T/es256.jwk")
TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}")
export TOK
check "a bound token with an ES256 proof by its key logs in" pop "$TOK" "$(proof_cmd "$T/es256.jwk")" \
	"$ACCEPT" "pop=bound jkt=$jkt"
host=$(hostname)
grep -Eq "^prompt: DPoP proof for pam://$host/pop \(nonce [A-Za-z0-9_-]{22,}\): \$" "$T/out"
ok $? "the challenge: \"DPoP proof for pam://HOST/SERVICE (nonce NONCE): \""
n1=$(sed -n 's/^prompt: DPoP proof for .* (nonce \(.*\)): $/\1/p' "$T/out")
login pop "$TOK" "$(proof_cmd "$T/es256.jwk")"
n2=$(sed -n 's/^prompt: DPoP proof for .* (nonce \(.*\)): $/\1/p' "$T/out")
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" != "$n2" ]
ok $? "each authentication has a new nonce"
grep -q "pop: ok: proved by key $jkt" "$T/out"
ok $? "debug: the pop step names the key that proved it"

# Every allowed proof algorithm, whole and in parts (pam-jwt split).
for alg in ES256 ES384 ES512 EdDSA RS256 PS256; do
	dpop genkey "$T/k.jwk" $alg
	j=$(dpop thumb "$T/k.jwk")
	TOK=$(mint --set "cnf={\"jkt\":\"$j\"}")
	check "$alg: a proof by the bound key logs in" pop "$TOK" \
		"$(proof_cmd "$T/k.jwk" --alg $alg)" "$ACCEPT" "pop=bound jkt=$j"
	check "$alg: a proof in parts of 150 bytes logs in" pop "$TOK" \
		"$(proof_cmd "$T/k.jwk" --alg $alg) | \"\$PJ\" split --size 150" "$ACCEPT" "pop=bound jkt=$j"
	grep -q "^prompt: DPoP proof (part 2 of [0-9]*): \$" "$T/out"
	ok $? "$alg: the parts' prompts are \"DPoP proof (part k of M): \""
done

# Refusals, each beside the control above (the ES256 key and its token).
TOK=$(mint --ttl 900 --set "cnf={\"jkt\":\"$jkt\"}")
dpop genkey "$T/other.jwk" ES256
check "a proof by another key is refused" pop "$TOK" "$(proof_cmd "$T/other.jwk")" \
	"$REFUSE" "DPoP proof: signed by another key"
check "a proof for another nonce is refused" pop "$TOK" \
	"\"\$PYTHON3\" \"\$DPOP\" proof $T/es256.jwk --htu \"\$POP_HTU\" --htm PAM --nonce AAAAAAAAAAAAAAAAAAAAAA --ath \"\$TOK\"" \
	"$REFUSE" "DPoP proof: nonce is not this login's"
check "control: a proof saved for later" pop "$TOK" "$(proof_cmd "$T/es256.jwk") | tee $T/saved" "$ACCEPT"
check "a proof of an earlier authentication (its nonce) is refused" pop "$TOK" "cat $T/saved" \
	"$REFUSE" "DPoP proof: nonce is not this login's"
TOK2=$(mint --sub bob --set "cnf={\"jkt\":\"$jkt\"}")
check "a proof whose ath is another token's is refused" pop "$TOK" \
	"\"\$PYTHON3\" \"\$DPOP\" proof $T/es256.jwk --htu \"\$POP_HTU\" --htm PAM --nonce=\"\$POP_NONCE\" --ath $TOK2" \
	"$REFUSE" "DPoP proof: ath is not the SHA-256 of this token"
check "a proof whose htu names another host is refused" pop "$TOK" \
	"\"\$PYTHON3\" \"\$DPOP\" proof $T/es256.jwk --htu pam://elsewhere.example/pop --htm PAM --nonce=\"\$POP_NONCE\" --ath \"\$TOK\"" \
	"$REFUSE" "DPoP proof: htu is not pam://$host/pop"
check "a proof whose htu names another service is refused" pop "$TOK" \
	"\"\$PYTHON3\" \"\$DPOP\" proof $T/es256.jwk --htu \"\${POP_HTU%/*}/sshd\" --htm PAM --nonce=\"\$POP_NONCE\" --ath \"\$TOK\"" \
	"$REFUSE" "DPoP proof: htu is not pam://$host/pop"
check "a proof whose htm is POST is refused" pop "$TOK" \
	"\"\$PYTHON3\" \"\$DPOP\" proof $T/es256.jwk --htu \"\$POP_HTU\" --nonce=\"\$POP_NONCE\" --ath \"\$TOK\"" \
	"$REFUSE" "DPoP proof: htm is not \"PAM\""
check "control: a proof 20 s old, within leeway=30" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --iat-offset -20)" "$ACCEPT"
check "a proof 60 s old is refused (iat)" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --iat-offset -60)" \
	"$REFUSE" "s before now (leeway 30 s)"
check "a proof 60 s ahead is refused (iat)" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --iat-offset 60)" \
	"$REFUSE" "s after now (leeway 30 s)"
check "a proof with alg none is refused" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --alg none)" \
	"$REFUSE" "DPoP proof: alg \"none\": a proof must be signed"
dpop genkey "$T/hs.jwk" HS256
check "a proof with alg HS256 is refused" pop "$TOK" "$(proof_cmd "$T/hs.jwk")" \
	"$REFUSE" "DPoP proof: alg HS256 is a shared secret's"
check "a proof whose jwk holds the private key is refused" pop "$TOK" \
	"$(proof_cmd "$T/es256.jwk" --private-jwk)" "$REFUSE" "DPoP proof: header jwk holds a private or secret member (\"d\")"
check "a proof without jwk is refused" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --no-jwk)" \
	"$REFUSE" "DPoP proof: header has no jwk"
check "a proof whose typ is JWT is refused" pop "$TOK" "$(proof_cmd "$T/es256.jwk" --typ JWT)" \
	"$REFUSE" "DPoP proof: header typ is not \"dpop+jwt\""
check "control: a jwk with kid, alg and use (as pam-jwt keygen writes it)" pop "$TOK" \
	"$(proof_cmd "$T/es256.jwk" --jwk-extras)" "$ACCEPT"
check "the token itself at the challenge is refused, naming keyboard-interactive" pop "$TOK" \
	"printf '%s\n' \"\$TOK\"" "$REFUSE" "keyboard-interactive"
check "no proof (an empty answer) is refused" pop "$TOK" "true" "$REFUSE" "no DPoP proof was given"
check "a failed conversation at the challenge is refused" pop "$TOK" "exit 1" "$REFUSE" \
	"no DPoP proof was given"
grep -q "token refused:.* pop=bound jkt=$jkt" "$T/out"
ok $? "the audit line of a refused bound token says pop=bound and its jkt"

# cnf forms: jwk instead of jkt; methods the module cannot check; a cnf that disagrees.
pub=$(dpop proof "$T/es256.jwk" --htu x | cut -d. -f1 | "$PYTHON3" -c 'import sys,json,base64; h=sys.stdin.read().strip(); print(json.dumps(json.loads(base64.urlsafe_b64decode(h+"="*(-len(h)%4)))["jwk"]))')
TOK=$(mint --set "cnf={\"jwk\":$pub}")
check "a token bound by cnf.jwk logs in with a proof of that key" pop "$TOK" "$(proof_cmd "$T/es256.jwk")" \
	"$ACCEPT" "pop=bound jkt=$jkt"
TOK=$(mint --set "cnf={\"jwk\":$pub,\"jkt\":\"$(dpop thumb "$T/other.jwk")\"}")
check "a cnf whose jkt and jwk disagree is refused" pop "$TOK" "$(proof_cmd "$T/es256.jwk")" \
	"$REFUSE" "cnf.jkt and cnf.jwk name different keys"
TOK=$(mint --set 'cnf={"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}')
check "a cnf with only x5t#S256 is refused" pop "$TOK" "true" "$REFUSE" \
	"cnf holds only confirmation methods pam_jwt cannot check (x5t#S256)"
TOK=$(mint --set 'cnf={"jkt":"short"}')
check "a malformed cnf.jkt is refused" pop "$TOK" "true" "$REFUSE" "cnf.jkt is not an RFC 7638"

# pop=required: bearer tokens are refused there, accepted without it.
TOK=$(mint)
check "control: a bearer token logs in without pop=required, with no challenge" pop "$TOK" "exit 1" \
	"$ACCEPT" "pop=bearer"
! grep -q "DPoP proof" "$T/out"
ok $? "a bearer token gets no challenge"
check "pop=required refuses the same bearer token" popreq "$TOK" "exit 1" "$REFUSE" \
	"bearer token (no cnf) refused: pop=required"
TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}")
check "pop=required accepts a bound token with its proof" popreq "$TOK" "$(proof_cmd "$T/es256.jwk")" "$ACCEPT"

# One-time use: a refused proof uses up nothing; the accepted one does.
TOK=$(mint --set "cnf={\"jkt\":\"$jkt\"}" --set 'jti="pop-once-1"')
check "replay=local: a proof by another key is refused" poponce "$TOK" "$(proof_cmd "$T/other.jwk")" \
	"$REFUSE" "signed by another key"
check "... and the token, not used up, logs in with its proof" poponce "$TOK" "$(proof_cmd "$T/es256.jwk")" "$ACCEPT"
check "... once: then it is used up" poponce "$TOK" "$(proof_cmd "$T/es256.jwk")" "$REFUSE" "already used"

done_testing
