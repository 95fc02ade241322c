#!/bin/sh
# The audit line: one line per decision, with fields a log pipeline can split,
# through the real pamtester. Claims are escaped and bounded, a refusal of an
# unverified token says so, and the token itself never reaches the log.
. "$top_srcdir/tests/lib/lib.sh"

service jwt "$(jwt_line audience=ssh)"
service mapped "$(jwt_line audience=ssh user_claim=email user_map=$T/map)"
printf 'alice@example.com alice\n' >"$T/map"

# pamtester's -I sets PAM items before authenticating, as sshd sets PAM_RHOST.
pam_items() { # SERVICE USER INPUT ITEM=VALUE...: pam() with PAM items set
	s=$1 u=$2 in=$3
	shift 3
	printf '%s\n' "$in" | wrapped ${PAM_JWT_TEST_WRAPPER:-} "${PAMTESTER:-pamtester}" "$@" "$s" "$u" \
		authenticate >"$T/out" 2>&1
}
line() { # PATTERN: the module's audit line (pam_wrapper's echo of pam_syslog)
	grep -E "SYSLOG\([0-9]\): token (accepted|refused)" "$T/out" | head -n 1
}
has() { # FIELD...: each is in the audit line, as a whole field
	l=" $(line | sed 's/^.*SYSLOG([0-9]): //') "
	for f in "$@"; do
		case $l in *" $f "*) ;; *) echo "# no field \"$f\" in: $l"; return 1 ;; esac
	done
}
fingerprint() { # TOKEN: what the line names it by, computed independently
	printf 'sha256:%s' "$(printf %s "$1" | sha256sum | cut -c1-16)"
}
no_token() { # TOKEN: neither the token nor its signature is in the log
	! grep -qF -- "${1##*.}" "$T/out"
}

now=$(date +%s)
tok=$(mint --raw --set aud='"ssh"' --set iss='"https://idp.example/realm"' --set jti='"id-42"' \
	--set iat="$now" --set exp="$((now + 60))" --header-json '{"alg":"HS256","kid":"k1"}')
pam_items jwt alice "$tok" -I rhost=198.51.100.7 -I tty=ssh
st=0
has "service=jwt" "user=alice" "sub=alice" "iss=https://idp.example/realm" "aud=ssh" \
	"kid=k1" "alg=HS256" "jti=id-42" "iat=$now" "exp=$((now + 60))" "rhost=198.51.100.7" \
	"tty=ssh" "token=$(fingerprint "$tok")" || st=1
line | grep -q "SYSLOG(6): token accepted for user alice: service=jwt" || st=1
[ "$(grep -cE 'token (accepted|refused)' "$T/out")" -eq 1 ] || st=1
grep -q "$ACCEPT" "$T/out" && no_token "$tok" || st=1
case $(line) in *signature=*) st=1 ;; esac
ok $st "accepted: one line at LOG_INFO with service, user, claims, rhost, tty and the fingerprint"

pam_items jwt alice "$tok"
st=0
has "token=$(fingerprint "$tok")" || st=1
case $(line) in *rhost=* | *tty=*) st=1 ;; esac
ok $st "the same token has the same fingerprint; rhost and tty only when set"

tok2=$(mint --set aud='"ssh"')
pam_items jwt alice "$tok2"
has "token=$(fingerprint "$tok2")" && ! has "token=$(fingerprint "$tok")" >/dev/null
ok $? "another token, another fingerprint"

mtok=$(mint --sub nobody-here --set aud='"ssh"' --set email='"alice@example.com"')
pam_items mapped alice "$mtok"
has "user=alice" "sub=nobody-here" "identity=alice@example.com" && grep -q "$ACCEPT" "$T/out"
ok $? "a mapped identity: the local user, sub, and the user claim"

sig=${tok##*.}
case $sig in A*) c=B ;; *) c=A ;; esac
forged="${tok%.*}.$c${sig#?}"
pam_items jwt alice "$forged" -I rhost=198.51.100.7
st=0
has "service=jwt" "user=alice" "signature=unverified" "sub=alice" "jti=id-42" "rhost=198.51.100.7" \
	"token=$(fingerprint "$forged")" || st=1
line | grep -q "SYSLOG(5): token refused: .* reason: the HS256 signature does not match" || st=1
no_token "$forged" || st=1
ok $st "refused, forged: the decoded fields marked unverified, and the reason last"

expired=$(mint --set aud='"ssh"' --ttl -120)
pam_items jwt alice "$expired"
st=0
has "sub=alice" "aud=ssh" || st=1
case $(line) in *signature=unverified*) st=1 ;; esac
line | grep -q "reason: token expired" || st=1
ok $st "refused, expired: the signature verified, so the fields are not marked"

# Input that is not a JWS with a JSON object header (a Unix password through
# token-or-password) leaves no function of itself in the log: no fingerprint
# (an unsalted hash of a password can be tested offline), and one reason
# whatever its shape (how many dots, which segment failed, its length).
NOT_JWS="reason: not a JWS compact token (three base64url segments, the first a JSON object)"
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
no_trace() { # INPUT: the line has no fingerprint, and the log no SHA-256 prefix of INPUT
	case " $(line) " in *" token="*) echo "# a fingerprint: $(line)"; return 1 ;; esac
	! grep -q "$(printf %s "$1" | sha256sum | cut -c1-16)" "$T/out"
}
service dbg "$(jwt_line audience=ssh debug)"
for input in "not-a-token" "correct horse battery staple" "pass.word.x" "pass..x" \
	"$(printf '[1]' | b64url).e30.c2ln" "$(printf '{"a":1' | b64url).e30.c2ln"; do
	for svc in jwt dbg; do
		pam_items "$svc" alice "$input" -I rhost=198.51.100.7
		st=0
		has "service=$svc" "user=alice" "rhost=198.51.100.7" || st=1
		line | grep -qF -- "$NOT_JWS" || st=1
		[ "$(grep -c "reason: " "$T/out")" -eq 1 ] || st=1
		grep -q "segment is\|dot-separated\|valid JSON\|is not a JSON object\|bytes" "$T/out" && st=1
		no_trace "$input" || st=1
		ok $st "refused, not a JWS ($svc): \"$input\" gets no fingerprint and the one reason"
	done
done

# Controls: input whose header is a JSON object is a token, however broken
# the rest: it is named by its fingerprint, and the reason says what failed.
token_like() { # WHAT INPUT
	pam_items jwt alice "$2"
	st=0
	has "token=$(fingerprint "$2")" || st=1
	line | grep -qF -- "$NOT_JWS" && st=1
	ok $st "control: $1 is named by its fingerprint; reason: $(line | sed 's/.*reason: //')"
}
token_like "a token cut short by a byte" "$(printf %s "$tok" | head -c $((${#tok} - 1)))"
token_like "a JSON object header before a payload that is not base64url" \
	"$(printf '{"x":1}' | b64url).%%%.c2ln"
token_like "a token with an empty payload" "${tok%%.*}..c2ln"

# A claim must not forge a line: a newline, quotes, control bytes, very long.
evil=$(mint --set aud='"ssh"' --set jti='"x\nDec  1 00:00:00 host sshd[1]: Accepted password for root"' \
	--set iss="\"a\\\"b\\\\c\\u001b[31m $(head -c 300 /dev/zero | tr '\0' 'i')\"")
pam_items jwt alice "$evil"
st=0
grep -q "$ACCEPT" "$T/out" || st=1
[ "$(grep -c "Accepted password for root" "$T/out")" -eq 1 ] || st=1
line | grep -qF 'jti="x\x0aDec  1 00:00:00 host sshd[1]: Accepted password for root"' || st=1
line | grep -qF 'iss="a\"b\\c\x1b[31m iiii' || st=1
line | grep -qF 'iiii..."' || st=1
[ "$(line | wc -c)" -lt 1200 ] || st=1
line | grep -q "$(printf '\033')" && st=1
ok $st "claims are escaped and cut: no newline, control byte or unbounded value in the line"

huge=$(mint --set aud='["ssh"'"$(for i in $(seq 1 20); do printf ',"audience-%s-xxxxxxxxxxxxxxxx"' "$i"; done)"']' \
	--set jti="\"$(head -c 300 /dev/zero | tr '\0' j)\"" --set iss="\"$(head -c 300 /dev/zero | tr '\0' s)\"" \
	--set email="\"$(head -c 300 /dev/zero | tr '\0' e)\"")
pam_items jwt alice "$huge"
[ "$(line | wc -c)" -lt 1200 ] && grep -q "$ACCEPT" "$T/out" && has "aud=ssh,audience-1-xxxxxxxxxxxxxxxx,audience-2-xxxxxxxxxxxxxxxx,audience-3-xxxxxxxxxxxxxxxx,audience..."
ok $? "the line stays bounded with many long claims; an audience list is joined and cut"

# An unsigned token of 397 bytes whose kid, sub and iss are 80 bytes of
# non-ASCII each (written \xNN, four times their size) filled the line when the
# token's fields came first: rhost, tty and the fingerprint were dropped.
# They come first now, then as many of the token's fields as fit, then " ...".
unsigned=$("$PYTHON3" -c '
import base64, json
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
v = "\u00e9" * 40
t = b(json.dumps({"alg": "none", "kid": v}, ensure_ascii=False).encode()) + "." + \
    b(json.dumps({"sub": v, "iss": v}, ensure_ascii=False).encode()) + "."
print(t + "A" * (397 - len(t)))')
pam_items jwt alice "$unsigned" -I rhost=198.51.100.7 -I tty=ssh
st=0
[ ${#unsigned} -eq 397 ] || { echo "# the unsigned token has ${#unsigned} bytes, not 397"; st=1; }
line | grep -q "token refused: service=jwt user=alice rhost=198.51.100.7 tty=ssh token=$(fingerprint "$unsigned") signature=unverified alg=none kid=\"\\\\xc3\\\\xa9" || st=1
line | grep -q ' sub="[^ ]*" \.\.\. reason: unsigned token (alg "none") is never accepted$' || st=1
case $(line) in *" iss="*) st=1 ;; esac
[ "$(line | wc -c)" -lt 1200 ] || st=1
ok $st "an unsigned 397-byte token with long non-ASCII kid, sub and iss: service, user, rhost, tty and the fingerprint first, its fields cut with \" ...\""

pam_items jwt alice ""
st=0
line | grep -q "SYSLOG(5): token refused: service=jwt user=alice reason: empty token" || st=1
grep -q "SYSLOG(3)" "$T/out" && grep "SYSLOG(3)" "$T/out" | grep -qv "no default config" && st=1
ok $st "an empty answer (a user's retry) is logged, not at LOG_ERR"

# No answer at all (end of input: the conversation fails). sudo's limit is
# named only under sudo (tests/real/real_sudo.sh).
: | wrapped "${PAMTESTER:-pamtester}" jwt alice authenticate >"$T/out" 2>&1
st=0
line | grep -q "SYSLOG(5): token refused: service=jwt user=alice reason: no token: [A-Za-z ]*$" || st=1
grep -q "sudo" "$T/out" && st=1
ok $st "a conversation that fails is logged as such (outside sudo, without sudo's 511-byte limit)"

service nokey "auth required pam_jwt.so secret_file=$T/absent audience=ssh"
pam_items nokey alice "$tok"
line | grep -q "SYSLOG(3): token refused: .* reason: cannot open $T/absent"
ok $? "control: a missing key, the administrator's problem, is logged at LOG_ERR"

done_testing
