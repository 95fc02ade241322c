#!/bin/sh
# What pam_jwt leaves in PAM_AUTHTOK for the modules after it, through the
# real pamtester. A token is a bearer credential: an answer that is a token
# (a JWS's header, or a part "k/M:") is taken out of PAM_AUTHTOK, whoever put
# it there, and the joined parts never go in, so pam_exec expose_authtok or
# pam_unix after pam_jwt are not handed it. Any other answer (a password)
# stays, for pam_unix try_first_pass (pam.d-examples/token-or-password).
. "$top_srcdir/tests/lib/lib.sh"

# The later module: pam_exec expose_authtok writes PAM_AUTHTOK to the
# command's standard input (here: into $T/got), and asks "Password: " itself
# when PAM_AUTHTOK is empty. Each run answers that prompt with "exec-asked".
printf '#!/bin/sh\ntr -d "\\000" >"%s"\n' "$T/got" >"$T/record"
chmod 700 "$T/record"
EXEC="auth optional pam_exec.so expose_authtok quiet $T/record"
service exposed "auth optional pam_jwt.so secret_file=$T/key audience=ssh" "$EXEC"
service unix_first "auth optional pam_unix.so" \
	"auth optional pam_jwt.so secret_file=$T/key audience=ssh use_first_pass" "$EXEC"

# handed SERVICE ANSWERS: runs SERVICE with ANSWERS (lines) and "exec-asked"
# typed at the prompts, one a line; $T/got is what pam_exec was handed.
handed() {
	rm -f "$T/got"
	pam "$1" alice "$(printf '%s\nexec-asked' "$2")" || true
	[ -f "$T/got" ] || echo "(pam_exec ran nothing)" >"$T/got"
}
withheld() { # DESCRIPTION SERVICE ANSWERS LOG: pam_exec had to ask, and got nothing of ANSWERS
	handed "$2" "$3"
	st=0
	[ "$(cat "$T/got")" = exec-asked ] || { echo "# pam_exec was handed: $(cut -c1-60 "$T/got")"; st=1; }
	grep -qF -- "$4" "$T/out" || st=1
	ok $st "$1"
}

NOT_JWS="reason: not a JWS compact token"
tok=$(mint --set aud='"ssh"')
withheld "an accepted token is taken out of PAM_AUTHTOK: a later pam_exec expose_authtok asks anew" \
	exposed "$tok" "token accepted for user alice"
withheld "a refused token (aud sudo) too" exposed "$(mint --set aud='"sudo"')" "does not include"
withheld "a token cut short in its signature (a JWS's header) too" exposed \
	"$(printf %s "$tok" | head -c $((${#tok} - 5)))" "token refused"
long=$(mint --set aud='"ssh"' --length 1500)
printf '%s' "$long" | "$top_builddir/pam-jwt" split --size 500 >"$T/parts"
withheld "a token in parts: neither part 1 nor the joined token reaches PAM_AUTHTOK" \
	exposed "$(cat "$T/parts")" "token accepted for user alice"
withheld "parts that join into no token: part 1 is taken out all the same" \
	exposed "$(printf '1/2:abcd\n2/2:efgh')" "$NOT_JWS"
withheld "a token an earlier module read (pam_unix, then pam_jwt use_first_pass) is taken out too" \
	unix_first "$tok" "token accepted for user alice"

# Controls: anything else stays in PAM_AUTHTOK for the next module.
handed exposed "correct horse battery staple"
[ "$(cat "$T/got")" = "correct horse battery staple" ] && grep -q "not a JWS compact token" "$T/out" &&
	! grep -q "Password: " "$T/out"
ok $? "control: a password stays in PAM_AUTHTOK: pam_exec is handed it and asks nothing"
handed exposed "pass.word.x"
[ "$(cat "$T/got")" = "pass.word.x" ]
ok $? "control: a password with two dots (not a JWS's header) stays too"

# token-or-password as shipped: pam_unix try_first_pass takes a password from
# PAM_AUTHTOK without asking, and asks for one after a refused token.
example token-or-password
pam token-or-password alice "not-a-token-but-a-password"
grep -q "not a JWS compact token" "$T/out" && ! grep -q "Password: " "$T/out" &&
	! grep -q "$ACCEPT" "$T/out"
ok $? "token-or-password: the password reaches pam_unix through PAM_AUTHTOK (no second prompt)"
pam token-or-password alice "$(mint --set aud='"ssh"')"
grep -q "does not include" "$T/out" && grep -q "Password: " "$T/out" && ! grep -q "$ACCEPT" "$T/out"
ok $? "token-or-password: after a refused token pam_unix asks for the password itself"

# Two pam_jwt lines: the second is not handed the first one's token either.
FIRST="auth optional pam_jwt.so secret_file=$T/key audience=nobody"
service twice "$FIRST" "$(jwt_line audience=ssh use_first_pass)"
pam twice alice "$tok" || true
grep -q "no token: " "$T/out" && ! grep -q "$ACCEPT" "$T/out"
ok $? "use_first_pass after another pam_jwt: no token in PAM_AUTHTOK, refused"
service twice_try "$FIRST" "$(jwt_line audience=ssh try_first_pass)"
pam twice_try alice "$(printf '%s\n%s' "$tok" "$tok")"
[ "$(grep -o "Token: " "$T/out" | wc -l)" -eq 2 ] && grep -q "$ACCEPT" "$T/out"
ok $? "try_first_pass after another pam_jwt: the second asks for the token again"

done_testing
