#!/bin/sh
# revoked_file= through the real pamtester, with the file written by
# `pam-jwt revoke`: each line form refuses what it covers and not its control;
# a broken or unsafe file refuses everything; a revoked token keeps its jti
# for replay=local; pam-jwt verify never uses a one-time token up.
. "$top_srcdir/tests/lib/lib.sh"

CLI=$top_builddir/pam-jwt
R=$T/revoked
now=$(date +%s)
service rv "$(jwt_line revoked_file=$R)"
service rvonce "$(jwt_line revoked_file=$R replay=local replay_dir=$T/replay)"

revoke() { "$CLI" revoke --file "$R" "$@" >"$T/out" 2>&1; }
: >"$R"
expect "an empty revoked_file refuses nothing" rv alice "$(mint --set jti='"j0"')" "$ACCEPT"

revoke --jti j1 --until +1h
ok $? "pam-jwt revoke --jti adds a line"
expect "jti line: the token with that jti is refused, naming the line" rv alice \
	"$(mint --set jti='"j1"')" "$AUTH_ERR" "token revoked by $R line 1 (jti)"
expect "jti line: control, another jti" rv alice "$(mint --set jti='"j2"')" "$ACCEPT"

revoke --sub bob
expect "sub line: every token of bob is refused" rv bob "$(mint --sub bob)" "$AUTH_ERR" "line 2 (sub)"
expect "sub line: control, alice" rv alice "$(mint --sub alice)" "$ACCEPT"

revoke --sub alice --before $((now - 100))
expect "sub before=: alice's token issued before T is refused" rv alice \
	"$(mint --set iat=$((now - 200)))" "$AUTH_ERR" "line 3 (sub issued before"
expect "sub before=: alice's token without iat counts as issued before" rv alice \
	"$(mint --unset iat)" "$AUTH_ERR" "line 3"
expect "sub before=: control, alice's token issued after T" rv alice "$(mint)" "$ACCEPT"

revoke --iss https://old.example --before $((now - 50))
expect "iss before=: a token of that issuer issued before T is refused" rv alice \
	"$(mint --set iss='"https://old.example"' --set iat=$((now - 60)))" "$AUTH_ERR" "line 4 (iss"
expect "iss before=: control, the same issuer after T" rv alice \
	"$(mint --set iss='"https://old.example"')" "$ACCEPT"
expect "iss before=: control, another issuer before T" rv alice \
	"$(mint --set iss='"https://new.example"' --set iat=$((now - 60)))" "$ACCEPT"

# A revoked subject under another spelling: "sub alice" covers every token
# that logs in as alice, whatever the token calls her.
S=$T/spelled
printf 'sub alice\n' >"$S"
printf 'ops-1 alice\nops-2 bob\n' >"$T/users.map"
service rvlow "$(jwt_line revoked_file=$S user_lowercase)"
service rvdom "$(jwt_line revoked_file=$S user_domain=example.com)"
service rvclaim "$(jwt_line revoked_file=$S user_claim=email)"
service rvmap "$(jwt_line revoked_file=$S user_map=$T/users.map)"
expect "sub alice, user_lowercase: ALICE is refused" rvlow alice "$(mint --sub ALICE)" "$AUTH_ERR" "line 1 (sub)"
expect "sub alice, user_lowercase: Alice is refused" rvlow alice "$(mint --sub Alice)" "$AUTH_ERR" "line 1 (sub)"
expect "sub alice, user_lowercase: control, BOB accepted" rvlow bob "$(mint --sub BOB)" "$ACCEPT"
expect "sub alice, user_domain=: alice@EXAMPLE.COM is refused" rvdom alice "$(mint --sub alice@EXAMPLE.COM)" "$AUTH_ERR" "line 1 (sub)"
expect "sub alice, user_domain=: control, bob@EXAMPLE.COM accepted" rvdom bob "$(mint --sub bob@EXAMPLE.COM)" "$ACCEPT"
expect "sub alice, user_claim=email: a token logging in as alice by its email is refused" rvclaim alice \
	"$(mint --sub u-17 --set email='"alice"')" "$AUTH_ERR" "line 1 (sub)"
expect "sub alice, user_claim=email: control, bob's accepted" rvclaim bob "$(mint --sub u-18 --set email='"bob"')" "$ACCEPT"
expect "sub alice, user_map=: ops-1 (mapped to alice) is refused" rvmap alice "$(mint --sub ops-1)" "$AUTH_ERR" "line 1 (sub)"
expect "sub alice, user_map=: control, ops-2 (bob) accepted" rvmap bob "$(mint --sub ops-2)" "$ACCEPT"

"$CLI" revoke --help | grep -q "every token that logs in as S"
ok $? "pam-jwt revoke --help says what --sub covers"

# The file an administrator reads.
"$CLI" revoke --list --file "$R" >"$T/out" 2>&1
st=$?
grep -q "line 1: jti j1; may be dropped after" "$T/out" && grep -q "line 2: sub bob, every token" "$T/out" &&
	grep -q "line 4: iss https://old.example, tokens issued before" "$T/out" || st=1
ok $st "pam-jwt revoke --list shows each line in force with its number"
revoke --jti old --until 2020-01-01T00:00:00Z
"$CLI" revoke --list --file "$R" >"$T/out" 2>&1
grep -q "1 line may be dropped" "$T/out" && grep -q "^jti old" "$R"
ok $? "--list drops nothing by itself"
"$CLI" revoke --list --prune --file "$R" >"$T/out" 2>&1
! grep -q "^jti old" "$R" && grep -q "^jti j1" "$R"
ok $? "--list --prune drops only the lines whose until= has passed"

chmod 0640 "$R"
revoke --sub carol
[ "$(stat -c %a "$R")" = 640 ]
ok $? "pam-jwt revoke keeps the file's mode"
for i in $(seq 1 16); do "$CLI" revoke --file "$R" --jti "par$i" >/dev/null 2>&1 & done
wait
[ "$(grep -c '^jti par' "$R")" = 16 ]
ok $? "16 concurrent pam-jwt revoke runs: no line lost"
revoke --sub "two words"
[ $? = 2 ]
ok $? "a value with a space is refused (exit 2)"

# A file that cannot be trusted refuses every token.
cp "$R" "$T/good"
printf 'jti j1\nsub' >"$R"
expect "last line without a newline: every token refused" rv alice "$(mint)" "$AUTHINFO_UNAVAIL" "does not end with a newline"
printf 'jti j1\nuser bob\n' >"$R"
expect "an unknown line kind: every token refused, naming the line" rv alice "$(mint)" "$AUTHINFO_UNAVAIL" "$R:2 has an unknown kind"
printf 'iss https://x\n' >"$R"
expect "iss without before=: refused as malformed" rv alice "$(mint)" "$AUTHINFO_UNAVAIL" "$R:1 has iss without before="
# CRLF line ends read as LF (the one line reader of jwt_file.c): the revocation applies.
printf 'jti j1\r\nsub bob\r\n' >"$R"
expect "a revoked_file with CRLF line ends: sub bob still refuses bob" rv bob "$(mint --sub bob)" \
	"$AUTH_ERR" "line 2 (sub)"
expect "a revoked_file with CRLF line ends: control, alice" rv alice "$(mint --sub alice)" "$ACCEPT"
cp "$T/good" "$R"
chmod 0666 "$R"
expect "a world-writable revoked_file: every token refused" rv alice "$(mint)" "$AUTHINFO_UNAVAIL" "writable by group or others"
chmod 0644 "$R"
rm -f "$R"
expect "a missing revoked_file: every token refused" rv alice "$(mint)" "$AUTHINFO_UNAVAIL" "cannot open"
# What says so: --list warns, and --init makes the file (header only, 0644,
# whatever the umask; the tests run with 077).
"$CLI" revoke --list --file "$R" >"$T/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "$R does not exist" "$T/out" && grep -q "refuses every login" "$T/out" &&
	grep -q "pam-jwt revoke --init --file $R" "$T/out" && ! grep -q "nothing is revoked" "$T/out"
ok $? "pam-jwt revoke --list on a missing file: warns that the module refuses every login, exit 1"
"$CLI" revoke --init --file "$R" >"$T/out" 2>&1 &&
	[ "$(stat -c '%a %u' "$R")" = "644 $(id -u)" ] && ! grep -qv '^#' "$R" && grep -q "created $R" "$T/out"
ok $? "pam-jwt revoke --init makes the file: comments only, mode 0644, the caller's"
expect "after --init: the module accepts a token again" rv alice "$(mint)" "$ACCEPT"
"$CLI" revoke --list --file "$R" >"$T/out" 2>&1 && grep -q "nothing is revoked" "$T/out"
ok $? "control: --list on the empty file says nothing is revoked, exit 0"
printf 'sub bob\n' >"$R"
chmod 600 "$R"
cp -p "$R" "$T/before"
"$CLI" revoke --init --file "$R" >"$T/out" 2>&1 && cmp -s "$R" "$T/before" &&
	[ "$(stat -c %a "$R")" = 600 ] && grep -q "$R exists" "$T/out"
ok $? "--init on an existing file changes nothing (content and mode), exit 0"
printf 'sub bob\nuser carol\n' >"$R"
cp -p "$R" "$T/before"
"$CLI" revoke --init --file "$R" >"$T/out" 2>&1
[ $? -eq 1 ] && cmp -s "$R" "$T/before" && grep -q "$R:2 has an unknown kind" "$T/out"
ok $? "--init on a malformed file: says what is wrong, changes nothing, exit 1"
cp "$T/good" "$R"

# Revocation and one-time use: a revoked token is not recorded.
tok=$(mint --set jti='"once"' --sub bob)
expect "replay=local with a revoked subject: refused" rvonce bob "$tok" "$AUTH_ERR" "revoked"
grep -v '^sub bob' "$T/good" >"$R"
printf "%s\n" "$tok" | nss_wrapped "$CLI" verify --user bob secret_file=$T/key replay=local replay_dir=$T/replay >"$T/out" 2>&1
grep -q "not used yet" "$T/out"
ok $? "pam-jwt verify reports the token unused"
expect "revocation lifted: the token is accepted (its jti was not used up)" rvonce bob "$tok" "$ACCEPT"
expect "the same token again: refused as used" rvonce bob "$tok" "$AUTH_ERR" "already used"
printf "%s\n" "$tok" | nss_wrapped "$CLI" verify --user bob secret_file=$T/key replay=local replay_dir=$T/replay >"$T/out" 2>&1
[ $? = 1 ] && grep -q "already used" "$T/out"
ok $? "pam-jwt verify reports it used, and exits 1"
expect "replay=local: a token without jti is refused" rvonce alice "$(mint)" "$AUTH_ERR" 'no "jti"'

done_testing
