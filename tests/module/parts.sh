#!/bin/sh
# Tokens answered in parts through the real pamtester, which answers each
# prompt with one line of standard input: the module's prompts, how it joins
# "k/M:" parts, what it refuses, and pam-jwt split and askpass, which make the
# parts. Each refusal sits beside an accepted control.
. "$top_srcdir/tests/lib/lib.sh"
PJ="$top_builddir/pam-jwt"
idp() { "$PYTHON3" "$top_srcdir/tests/lib/idp_mint.py" "$@"; }
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"

mkdir "$T/idp"
idp keys "$T/idp" || bail "cannot make RSA keys"
chmod 644 "$T/idp/jwks.json"
service jwt "$(jwt_line debug)"
service idp "auth required pam_jwt.so jwks_file=$T/idp/jwks.json audience=ssh debug"
nl='
'
# prompts: the prompts pamtester printed, one a line.
prompts() { grep -o 'Token[^:]*: ' "$T/out" | tr -d '\n'; }

# A whole token: one prompt, "Token: ", as before.
tok=$(mint)
expect "a whole token at the first prompt logs in" jwt alice "$tok" "$ACCEPT" "token accepted for user alice"
[ "$(prompts)" = "Token: " ]
ok $? "a whole token: one prompt, \"Token: \""

# Parts of an HS256 token, and of RS256 provider-shaped tokens.
tok=$(mint --length 1500)
parts=$(printf '%s' "$tok" | "$PJ" split)
[ "$(echo "$parts" | wc -l)" -eq 4 ] && [ "$(echo "$parts" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 500 ]
ok $? "pam-jwt split: a 1500-byte token in 4 parts of at most 500 bytes"
small=$(printf '%s' "$tok" | "$PJ" split --size 100)
[ "$(echo "$small" | wc -l)" -eq 16 ] && [ "$(echo "$small" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 100 ] &&
	[ "$(echo "$small" | sed 's/^[0-9]*\/16://' | tr -d '\n')" = "$tok" ]
ok $? "pam-jwt split --size 100: 16 parts of at most 100 bytes that join back"
st=0
printf '%s' "$tok" | "$PJ" split --size 501 >/dev/null 2>&1 || st=$?
[ $st -eq 2 ]
ok $? "pam-jwt split: --size over 500 is a usage error"
short=$(mint)
[ "$(printf '%s' "$short" | "$PJ" split)" = "$short" ]
ok $? "pam-jwt split: a token of 500 bytes or fewer is printed whole"
expect "a 1500-byte token in 4 parts logs in" jwt alice "$parts" "$ACCEPT" "token joined from 4 parts: 1500 bytes"
[ "$(prompts)" = "Token: Token (part 2 of 4): Token (part 3 of 4): Token (part 4 of 4): " ]
ok $? "parts: the module asks \"Token (part k of 4): \" for k = 2..4"
specs="keycloak:pyjwt:2048:1500 entra:jwcrypto:4096:4000 google:pyjwt:4096:12000
keycloak:jwcrypto:4096:16384"
# Under valgrind (CI's memcheck run) one of them: RSA there is slow.
[ -z "${PAM_JWT_TEST_WRAPPER:-}" ] || specs=keycloak:pyjwt:2048:1500
for spec in $specs; do
	# shellcheck disable=SC2086
	set -- $(echo "$spec" | tr : ' ')
	tok=$(idp token "$T/idp" --shape "$1" --lib "$2" --bits "$3" --sub alice --length "$4")
	expect "RS256-$3 $1-shaped token from $2, $4 bytes, in parts, logs in" idp alice \
		"$(printf '%s' "$tok" | "$PJ" split)" "$ACCEPT" "token joined from"
done
# One byte over the module's limit: split refuses it, and parts made by hand are refused.
tok=$(idp token "$T/idp" --shape entra --lib jwcrypto --bits 4096 --sub alice --length 16385)
! printf '%s' "$tok" | "$PJ" split >/dev/null 2>"$T/err" && grep -q "over 16384" "$T/err"
ok $? "pam-jwt split refuses a 16385-byte token"
hand=$(printf '%s' "$tok" | fold -w 480 | awk '{ printf "%d/35:%s\n", NR, $0 }')
expect "a joined token over 16 KiB is refused" idp alice "$hand" "$AUTH_ERR" "joined token is over 16384 bytes"

# (expect sets $tok: the token the parts are made of is $long.)
long=$(mint --length 1500)
parts=$(printf '%s' "$long" | "$PJ" split)
p1=$(echo "$parts" | sed -n 1p) p2=$(echo "$parts" | sed -n 2p) p3=$(echo "$parts" | sed -n 3p) p4=$(echo "$parts" | sed -n 4p)
bad3=$(echo "$p3" | sed 's/:\(.\)/:\1x/; s/:\(.\)x./:\1x/')
[ "$bad3" != "$p3" ] && [ ${#bad3} -eq ${#p3} ] || bail "could not tamper with part 3"
expect "a tampered part is refused" jwt alice "$p1$nl$p2$nl$bad3$nl$p4" "$AUTH_ERR" "token refused"
expect "parts out of order are refused" jwt alice "$p1$nl$p3$nl$p2$nl$p4" "$AUTH_ERR" \
	"part 3 of 4 came where part 2 was asked for"
expect "a repeated part is refused" jwt alice "$p1$nl$p2$nl$p3$nl$p2" "$AUTH_ERR" \
	"part 2 of 4 came where part 4 was asked for"
expect "part 1 given at every prompt (sshd's password method) is refused, naming keyboard-interactive" \
	jwt alice "$p1$nl$p1$nl$p1$nl$p1" "$AUTH_ERR" "long tokens need keyboard-interactive"
expect "a part whose M changes is refused" jwt alice "$p1$nl$(echo "$p2" | sed 's|^2/4:|2/5:|')" \
	"$AUTH_ERR" "part 2 says 5 parts, part 1 said 4"
expect "a later answer without its prefix is refused" jwt alice "$p1$nl${p2#2/4:}" "$AUTH_ERR" \
	'no "2/4:" prefix'
expect "more than 40 parts is refused" jwt alice "1/41:abc" "$AUTH_ERR" 'k/M:'
expect "40 parts are taken (control: 16-byte parts of a token cut by hand)" jwt alice \
	"$(mint --length 1200 | fold -w 30 | awk '{ printf "%d/40:%s\n", NR, $0 }')" "$ACCEPT"
expect "a first answer that is part 2 is refused" jwt alice "$p2$nl$p3" "$AUTH_ERR" \
	"part 2 of 4 came where part 1 was asked for"
expect "no answer after part 2 (end of input) ends the attempt" jwt alice "$p1$nl$p2" \
	"$AUTH_ERR" "no answer for the next token part"
! grep -q "${long##*.}" "$T/out" && ! grep -q "${p2#2/4:}" "$T/out"
ok $? "no part of the token reaches the log"

# prompt=, with PAM's bracket syntax for a value with spaces.
service br "auth required pam_jwt.so secret_file=$T/key [prompt=Enter your token: ]"
expect "prompt= with spaces ([prompt=...]): parts log in" br alice "$parts" "$ACCEPT"
grep -q "Enter your token: Enter your token (part 2 of 4): " "$T/out"
ok $? "prompt=: the first prompt and the part prompts carry its text"
service longp "$(jwt_line "prompt=$(head -c 257 /dev/zero | tr '\0' x)")"
expect "prompt= over 256 bytes is a configuration error" longp alice "$long" "$SERVICE_ERR" "prompt= is longer"
service emptyp "$(jwt_line prompt=)"
expect "an empty prompt= is a configuration error" emptyp alice "$long" "$SERVICE_ERR" "prompt= is empty"

# use_first_pass: part 1 from an earlier module's PAM_AUTHTOK, the rest asked for.
service ufp "auth optional pam_unix.so" "$(jwt_line use_first_pass)"
expect "use_first_pass: part 1 from pam_unix's prompt, parts 2-4 asked for" ufp alice "$parts" "$ACCEPT"
grep -q "Password: " "$T/out" && [ "$(prompts)" = "Token (part 2 of 4): Token (part 3 of 4): Token (part 4 of 4): " ]
ok $? "use_first_pass: the module asks only for parts 2 to 4"
# Neither part 1 nor the joined token is left in PAM_AUTHTOK: tests/module/authtok.sh.

# pam-jwt askpass answers each of the module's prompts from the token file.
printf '%s\n' "$long" >"$T/token"
chmod 600 "$T/token"
ask() { PAM_JWT_TOKEN_FILE="$T/token" "$PJ" askpass "$@"; }
answers=$(ask "Token: " && for k in 2 3 4; do ask "Token (part $k of 4): "; done)
[ "$answers" = "$parts" ]
ok $? "askpass: part 1 at \"Token: \" (token over 500 bytes), part k at \"Token (part k of 4): \""
expect "askpass's answers log in" jwt alice "$answers" "$ACCEPT"
[ "$(ask "(alice@127.0.0.1) Token (part 3 of 4): ")" = "$p3" ]
ok $? "askpass: OpenSSH's \"(user@host) \" prefix is understood"
short=$(mint)
printf '%s' "$short" >"$T/token"
[ "$(ask "Token: ")" = "$short" ]
ok $? "askpass: a token of 500 bytes or fewer is given whole, file without a newline"
printf '%s\n' "$long" >"$T/token"
for p in "Password: " "[sudo] password for alice: " "alice@127.0.0.1's password: " \
	"Are you sure you want to continue connecting (yes/no/[fingerprint])? " "Token (part 2 of 3): "; do
	out=$(ask "$p" 2>"$T/err")
	st=$?
	[ $st -ne 0 ] && [ -z "$out" ] && [ -s "$T/err" ]
	ok $? "askpass: no answer and a message at \"$p\""
done
[ "$(PAM_JWT_PROMPT="Enter your token: " ask "Enter your token (part 2 of 4): ")" = "$p2" ] &&
	! PAM_JWT_PROMPT="Enter your token: " ask "Token: " >/dev/null 2>&1 &&
	[ "$(ask --prompt "Enter your token: " "Enter your token: ")" = "$p1" ]
ok $? "askpass: PAM_JWT_PROMPT and --prompt follow the module's prompt="
[ "$("$PJ" askpass --command "cat '$T/token'" "Token (part 4 of 4): ")" = "$p4" ] &&
	! "$PJ" askpass --command "false" "Token: " >/dev/null 2>&1
ok $? "askpass --command runs a program that prints the token (and fails with it)"
ln -s "$T/token" "$T/token.link"
! PAM_JWT_TOKEN_FILE="$T/token.link" "$PJ" askpass "Token: " >/dev/null 2>&1
ok $? "askpass: a token file that is a symlink is refused"
chmod 644 "$T/token"
out=$(ask "Token: " 2>"$T/err")
[ -z "$out" ] && grep -q "mode 0644" "$T/err"
ok $? "askpass: a token file with mode 0644 is refused"
chmod 600 "$T/token"
if [ "$(id -u)" -eq 0 ]; then
	chown 1:1 "$T/token"
	out=$(ask "Token: " 2>"$T/err")
	[ -z "$out" ] && grep -q "belongs to uid 1, not to you" "$T/err"
	ok $? "askpass: a token file owned by another user is refused"
	chown 0:0 "$T/token"
else
	echo "ok $((tap_n += 1)) # SKIP a file owned by another user needs root to make"
fi
(unset PAM_JWT_TOKEN_FILE; XDG_CACHE_HOME="$T/cache" "$PJ" askpass "Token: " >/dev/null 2>"$T/err")
grep -q "$T/cache/pam-jwt/token" "$T/err"
ok $? "askpass: the token file defaults to \$XDG_CACHE_HOME/pam-jwt/token"
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/pam-jwt-askpass"
[ "$(PAM_JWT_TOKEN_FILE="$T/token" "$T/pam-jwt-askpass" "Token (part 2 of 4): ")" = "$p2" ]
ok $? "askpass: run as pam-jwt-askpass, with the prompt alone (as ssh and sudo run it)"

done_testing
