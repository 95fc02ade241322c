#!/bin/sh
# pam-jwt check: each pam_jwt line of a pam.d file judged by the module's own
# argument parser and file rules, the module path resolved, advice given; a
# line the module would refuse makes it exit 1, beside the same line fixed.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt
MOD=$PAM_JWT_MODULE
mkdir "$T/pam.d" "$T/sudoers.d"
# sudo's policy as check reads it (--sudoers), not the host's: none set, sudo's 15 minutes.
: >"$T/sudoers"

check() { # FILE CONTENT...: writes FILE (one line per argument), runs check on it
	f=$T/pam.d/$1
	shift
	printf '%s\n' "$@" >"$f"
	rc=0
	"$CLI" check --sudoers "$T/sudoers" "$f" >"$T/out" 2>&1 || rc=$?
}
has() { grep -qF -- "$1" "$T/out"; }
hasnt() { ! grep -qF -- "$1" "$T/out"; }

good="auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600"
check sshd "# a comment" "$good" "account include common-account"
[ "$rc" -eq 0 ] && has "✓ module: $MOD" && has "✓ arguments: parsed" && has "✓ keys: 1 key loaded ($T/key)" &&
	has "1 pam_jwt line: 0 refused by the module, 0 advice" && hasnt "advice:"
ok $? "a good line: module, arguments and key pass, no advice, exit 0"

check sshd "auth required $MOD secret_file=$T/key audince=ssh"
[ "$rc" -eq 1 ] && has '✗ arguments: unknown argument "audince"' && has "PAM_SERVICE_ERR"
ok $? "a misspelt argument: refused through the module's parser, exit 1"

check sshd "auth required $MOD secret_file=$T/absent audience=ssh max_lifetime=3600"
[ "$rc" -eq 1 ] && has "✗ keys: cannot open $T/absent"
ok $? "a missing key file: refused, exit 1"

cp "$T/key" "$T/open.key"
chmod 644 "$T/open.key"
check sshd "auth required $MOD secret_file=$T/open.key audience=ssh max_lifetime=3600"
[ "$rc" -eq 1 ] && has "✗ keys: $T/open.key is readable by others"
ok $? "a key file readable by others: refused by the module's file rules, exit 1"

check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600 user_map=$T/nomap"
[ "$rc" -eq 1 ] && has "✗ user_map: cannot open $T/nomap"
ok $? "a missing user_map: refused, exit 1"
printf 'alice@example.com alice\n' >"$T/map"
check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600 user_map=$T/map"
[ "$rc" -eq 0 ] && has "✓ user_map: $T/map"
ok $? "control: a readable user_map passes"
printf 'alice@example.com\n' >"$T/badmap"
check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600 user_map=$T/badmap"
[ "$rc" -eq 1 ] && has "✗ user_map: $T/badmap:1 is not \"claim-value local-user\""
ok $? "a user_map with a malformed line: refused as the module reads it, exit 1"

# Every file and directory argument, by the module's own rules, each refusal
# beside a control that passes.
# judged RC TEXT DESCRIPTION ARG...: a good line with ARG... added exits RC
# and reports TEXT.
judged() {
	want=$1 text=$2 desc=$3
	shift 3
	check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600 $*"
	[ "$rc" -eq "$want" ] && has "$text"
	ok $? "$desc"
}

# revoked_file=: while it is missing, every login is refused.
judged 1 "pam-jwt revoke --init --file $T/revoked)" \
	"a missing revoked_file: refused (every login would be), with the command that creates it, exit 1" \
	revoked_file="$T/revoked"
has "✗ revoked_file: cannot open $T/revoked" && has "refuses every login"
ok $? "... and says that the module refuses every login while it is missing"
printf 'sub bob\n' >"$T/revoked"
judged 0 "✓ revoked_file: $T/revoked" "control: a revoked_file with a revocation passes" \
	revoked_file="$T/revoked"
printf 'sub bob\nuser carol\n' >"$T/revoked"
judged 1 "$T/revoked:2 has an unknown kind" "a malformed revoked_file: refused, naming the line, exit 1" \
	revoked_file="$T/revoked"
printf 'sub bob\n' >"$T/revoked"
chmod 666 "$T/revoked"
judged 1 "✗ revoked_file: $T/revoked is writable by group or others" \
	"a world-writable revoked_file: refused, exit 1" revoked_file="$T/revoked"
chmod 644 "$T/revoked"

# policy_file=
judged 1 "✗ policy_file: cannot open $T/policy" "a missing policy_file: refused, exit 1" \
	policy_file="$T/policy"
printf 'alice@example.com alice\ngroup:ops deploy issuer=https://idp.example\n' >"$T/policy"
judged 0 "✓ policy_file: $T/policy" "control: a well-formed policy_file passes" policy_file="$T/policy"
printf 'alice@example.com alice\nbob\n' >"$T/policy"
judged 1 "✗ policy_file: $T/policy:2 is not \"who accounts [issuer=ISS]\"" \
	"a policy_file with a malformed rule: refused, naming the line, exit 1" policy_file="$T/policy"
mkdir -m 777 "$T/open"
printf 'alice@example.com alice\n' >"$T/open/policy"
judged 1 "✗ policy_file: directory $T/open is writable by group or others" \
	"a policy_file in a world-writable directory: refused, naming the directory, exit 1" \
	policy_file="$T/open/policy"

# replay_dir= (replay=local): the store's own rules; a missing one is made at the first login.
mkdir -m 700 "$T/replay"
judged 0 "✓ replay_dir: $T/replay" "control: a replay_dir owned by root, mode 0700, passes" \
	replay=local replay_dir="$T/replay"
chmod 777 "$T/replay"
judged 1 "✗ replay_dir: replay store $T/replay is writable by group or others" \
	"a world-writable replay_dir: refused, exit 1" replay=local replay_dir="$T/replay"
chmod 700 "$T/replay"
ln -s "$T/replay" "$T/replay.link"
judged 1 "✗ replay_dir: cannot open replay store $T/replay.link: it is a symbolic link" \
	"a replay_dir that is a symbolic link: refused, exit 1" replay=local replay_dir="$T/replay.link"
judged 1 "✗ replay_dir: directory $T/open is writable by group or others" \
	"a missing replay_dir in a world-writable directory: refused, exit 1" \
	replay=local replay_dir="$T/open/replay"
judged 0 "✓ replay_dir: $T/new/replay does not exist yet" \
	"control: a missing replay_dir in safe directories passes (made at the first login)" \
	replay=local replay_dir="$T/new/replay"
[ ! -e "$T/new" ]
ok $? "... and check made nothing"

# redis_password_file= (replay=redis): a secret, one line; check does not connect.
R="replay=redis redis=127.0.0.1:1 redis_password_file=$T/redis.pw"
judged 1 "✗ redis_password_file: cannot open $T/redis.pw" "a missing redis_password_file: refused, exit 1" $R
printf 'pamjwt s3cret\n' >"$T/redis.pw"
chmod 600 "$T/redis.pw"
judged 0 "✓ redis_password_file: $T/redis.pw" \
	"control: a redis_password_file of mode 0600 with one line passes" $R
chmod 644 "$T/redis.pw"
judged 1 "✗ redis_password_file: $T/redis.pw is readable by others" \
	"a redis_password_file readable by others: refused, exit 1" $R
printf 'pamjwt s3cret\nmore\n' >"$T/redis.pw"
chmod 600 "$T/redis.pw"
judged 1 "✗ redis_password_file: $T/redis.pw must hold one line" \
	"a redis_password_file of two lines: refused, exit 1" $R
hasnt s3cret
ok $? "... and the password is never shown"

check sshd "auth required $T/nowhere/pam_jwt.so secret_file=$T/key audience=ssh max_lifetime=3600"
[ "$rc" -eq 1 ] && has "✗ module: $T/nowhere/pam_jwt.so: No such file or directory"
ok $? "a module path that does not exist: exit 1"
mkdir "$T/secure"
cp "$MOD" "$T/secure/pam_jwt.so"
printf '%s\n' "auth required pam_jwt.so secret_file=$T/key audience=ssh max_lifetime=3600" >"$T/pam.d/bare"
rc=0
"$CLI" check --securedir "$T/secure" "$T/pam.d/bare" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && has "✓ module: $T/secure/pam_jwt.so"
ok $? "a module named without a path is looked up in the module directory"
rc=0
"$CLI" check --securedir "$T/nowhere" "$T/pam.d/bare" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && has "✗ module: $T/nowhere/pam_jwt.so"
ok $? "control: and refused when it is not there"

check sshd "auth sufficient $MOD secret_file=$T/key"
[ "$rc" -eq 0 ] && has "advice: no audience=" && has "advice: no max_lifetime=" &&
	has "advice: sufficient with no auth line after it"
ok $? "advice: no audience=, no max_lifetime=, sufficient without a fallback (exit 0: the module accepts the line)"
check sshd "auth sufficient $MOD secret_file=$T/key audience=ssh max_lifetime=3600" "@include common-auth"
[ "$rc" -eq 0 ] && hasnt "advice:"
ok $? "control: sufficient followed by @include common-auth gets no advice"
check sshd "auth [success=done default=ignore] $MOD secret_file=$T/key audience=ssh max_lifetime=3600" \
	"auth required pam_unix.so"
[ "$rc" -eq 0 ] && has "auth [success=done default=ignore] $MOD" && hasnt "advice:"
ok $? "a bracketed control field is read as one word"

# A token path too short for the keys' tokens: an RSA key set on sudo.
"$PYTHON3" - "$T/rsa.jwks" <<'EOF'
import json, sys
from jwcrypto import jwk
k = jwk.JWK.generate(kty="RSA", size=2048, kid="r1")
json.dump({"keys": [json.loads(k.export_public())]}, open(sys.argv[1], "w"))
EOF
chmod 644 "$T/rsa.jwks"
check sudo "auth required $MOD jwks_file=$T/rsa.jwks audience=sudo max_lifetime=3600"
[ "$rc" -eq 0 ] && has "advice: tokens signed by the largest key here are at least" && has "sudo passes at most 511 bytes" &&
	has "users give them in parts, with sudo -A with SUDO_ASKPASS=pam-jwt-askpass" && hasnt "smaller keys"
ok $? "advice: an RSA key set on sudo makes tokens longer than sudo passes: parts and askpass (a provider's keys are not the administrator's to choose)"
check sudo "auth required $MOD secret_file=$T/key audience=sudo max_lifetime=3600"
[ "$rc" -eq 0 ] && hasnt "advice:"
ok $? "control: an HMAC key on sudo gets no such advice"
# sudo's timestamp_timeout against the token's max_lifetime=3600 (an hour).
sudo_line="auth required $MOD secret_file=$T/key audience=sudo max_lifetime=3600"
echo "Defaults env_reset, timestamp_timeout=120" >"$T/sudoers"
check sudo "$sudo_line"
[ "$rc" -eq 0 ] && has "advice: sudo's timestamp_timeout (7200s, $T/sudoers) outlives max_lifetime=3600s" &&
	has "1 pam_jwt line: 0 refused by the module, 1 advice"
ok $? "advice: sudo's timestamp_timeout=120 (minutes) outlives max_lifetime=3600 on sudo"
check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600"
[ "$rc" -eq 0 ] && hasnt "timestamp_timeout"
ok $? "control: the same sudoers says nothing on a service other than sudo"
echo "Defaults timestamp_timeout=0" >"$T/sudoers"
check sudo "$sudo_line"
[ "$rc" -eq 0 ] && hasnt "advice:"
ok $? "control: timestamp_timeout=0 (sudo asks every time): no advice"
echo "Defaults timestamp_timeout = 30" >"$T/sudoers"
check sudo "$sudo_line"
[ "$rc" -eq 0 ] && hasnt "advice:"
ok $? "control: timestamp_timeout=30 (minutes), shorter than the token's life: no advice"
: >"$T/sudoers"
check sudo "auth required $MOD secret_file=$T/key audience=sudo max_lifetime=600"
[ "$rc" -eq 0 ] && has "sudo's timestamp_timeout (900s, $T/sudoers) outlives max_lifetime=600s"
ok $? "advice: unset, sudo's 15 minutes outlive max_lifetime=600"
echo "Defaults:alice timestamp_timeout=-1" >"$T/sudoers.d/alice"
echo "Defaults timestamp_timeout=-1" >"$T/sudoers.d/ignored.conf"
check sudo "$sudo_line"
[ "$rc" -eq 0 ] && has "sudo's timestamp_timeout is negative ($T/sudoers)"
ok $? "advice: a negative timestamp_timeout in sudoers.d (never expires), for one user"
rm "$T/sudoers.d/alice"
check sudo "$sudo_line"
[ "$rc" -eq 0 ] && hasnt "advice:"
ok $? "control: a sudoers.d name with a dot is skipped as sudo skips it"
: >"$T/sudoers"
# jwks_file=: every file of the list.
check sshd "auth required $MOD jwks_file=$T/rsa.jwks,$T/absent.jwks audience=ssh max_lifetime=3600"
[ "$rc" -eq 1 ] && has "✗ keys: " && has "$T/absent.jwks"
ok $? "jwks_file= with a missing second file of its list: refused, exit 1"

check svc "auth required $MOD [secret_file=$T/key] audience=ssh [max_lifetime=36 00]"
[ "$rc" -eq 1 ] && has "✗ arguments: max_lifetime=" && has "[max_lifetime=36 00]"
ok $? "bracketed arguments lose their brackets as libpam passes them"

check svc "auth required pam_unix.so" "account required pam_jwt_other.so"
[ "$rc" -eq 0 ] && has "no line loads pam_jwt.so in 1 file"
ok $? "a file without pam_jwt lines: said so, exit 0"

check svc "auth \\" "  required $MOD secret_file=$T/key audience=ssh max_lifetime=3600"
[ "$rc" -eq 0 ] && has "svc:1: auth required $MOD" && has "✓ arguments: parsed"
ok $? "a line continued with a backslash is read as one"

printf '%s\n' "$good" >"$T/pam.d/a"
printf '%s\n' "auth required $MOD" >"$T/pam.d/b"
rc=0
"$CLI" check "$T/pam.d/a" "$T/pam.d/b" "$T/pam.d/absent" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && has "$T/pam.d/a:1:" && has "✗ arguments: no key configured" &&
	has "$T/pam.d/absent: No such file or directory"
ok $? "several files: each line reported, one bad line or unreadable file makes exit 1"

rc=0
"$CLI" check >"$T/out" 2>&1 || rc=$?
has "pam_jwt line" || has "no line loads pam_jwt.so in"
ok $? "without FILE it reads /etc/pam.d"

# Session lines (session_end=): parsed as the auth line is, their registry examined.
sess="secret_file=$T/key audience=ssh max_lifetime=3600 session_end=exp,revoke session_dir=$T/registry"
check sshd "auth required $MOD $sess" "session optional $MOD $sess"
[ "$rc" -eq 0 ] && has "✓ type: session: registers the sessions" &&
	has "✓ session_dir: $T/registry does not exist yet"
ok $? "a session line with session_end=: parsed, its registry examined, exit 0"
check sshd "auth required $MOD $sess" "session optional $MOD $sess session_warn=soon"
[ "$rc" -eq 1 ] && has "✗ arguments: session_warn= wants a number of seconds" &&
	has "the session hooks return PAM_SERVICE_ERR"
ok $? "a session line with a malformed argument: refused, exit 1"
check sshd "session optional $MOD secret_file=$T/key audience=ssh"
[ "$rc" -eq 0 ] && has "session without session_end=: here it does nothing"
ok $? "a session line without session_end= does nothing (said so)"
mkdir -m 755 "$T/open-registry"
check sshd "auth required $MOD secret_file=$T/key audience=ssh max_lifetime=3600 session_end=exp session_dir=$T/open-registry"
[ "$rc" -eq 1 ] && has "open to group or others"
ok $? "a registry open to others: refused, exit 1"

done_testing
