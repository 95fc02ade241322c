#!/bin/sh
# replay=redis against a real redis-server (started here on 127.0.0.1): one
# use per token, shared by two "hosts"; 32 concurrent logins; Redis stopped,
# paused (SIGSTOP) and refusing AUTH: refused within the timeout, then working
# again; ACL users; a unix socket.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/redis_lib.sh"

CLI=$top_builddir/pam-jwt
P=$(free_port)
start_redis r1 "$P" || skip_all "redis-server did not start"
R="replay=redis redis=127.0.0.1:$P"
service rd "$(jwt_line $R)"
tok() { j=$1; shift; mint --set jti="\"$j-$$\"" "$@"; }

t=$(tok a)
expect "replay=redis: first use accepted" rd alice "$t" "$ACCEPT"
expect "replay=redis: second use refused" rd alice "$t" "$AUTH_ERR" "already used (its jti is recorded in Redis)"
ttl=$(rcli "$P" --scan --pattern 'pam_jwt:used:*' | head -n 1 | xargs -r redis-cli -h 127.0.0.1 -p "$P" ttl)
[ -n "$ttl" ] && [ "$ttl" -gt 86400 ] && [ "$ttl" -le 86460 ]
ok $? "the Redis key expires at exp + the largest leeway (TTL $ttl s for a 60 s token)"
expect "replay=redis: a token without jti is refused" rd alice "$(mint)" "$AUTH_ERR" 'no "jti"'
t=$(tok b)
expect "a token refused for another user..." rd bob "$t" "$AUTH_ERR" "token is for user"
expect "... keeps its jti: accepted for its user" rd alice "$t" "$ACCEPT"

# Two hosts with their own settings, one Redis.
cp "$T/key" "$T/keyb"
service hosta "auth required pam_jwt.so secret_file=$T/key leeway=5 $R"
service hostb "auth required pam_jwt.so secret_file=$T/keyb leeway=60 revoked_file=$T/none.revoked $R"
: >"$T/none.revoked"
t=$(tok shared)
expect "two hosts: host A accepts the token" hosta alice "$t" "$ACCEPT"
expect "two hosts: host B refuses the same token" hostb alice "$t" "$AUTH_ERR" "already used"
t=$(tok shared2)
expect "two hosts: host B accepts another token" hostb alice "$t" "$ACCEPT"
expect "two hosts: host A refuses that one" hosta alice "$t" "$AUTH_ERR" "already used"

# Two services with leeway=0 and leeway=120: the record the first writes must
# outlive exp by any host's leeway, or the second accepts the token again.
service strict "$(jwt_line leeway=0 $R)"
service lax "$(jwt_line leeway=120 $R)"
exp=$(($(date +%s) + 2))
t=$(tok lw --set exp=$exp)
expect "leeway=0: the token is accepted before its exp" strict alice "$t" "$ACCEPT"
while [ "$(date +%s)" -le "$exp" ]; do sleep 0.2; done
expect "leeway=120, past exp: the token used under leeway=0 is refused" lax alice "$t" "$AUTH_ERR" "already used"
expect "leeway=120, past exp: control, an unused token with the same exp accepted" lax alice \
	"$(tok lw2 --set exp=$exp)" "$ACCEPT"

# Races.
service rdroot "auth required pam_jwt.so secret_file=$T/key allow_root $R"
n=$(race rdroot 10 | tail -n 1)
[ "$n" = 10 ]
ok $? "32 processes, one token, 10 rounds through Redis: exactly one accepted each round ($n/10)"

# Stopped.
t=$(tok stop)
expect "control before the stop: accepted" rd alice "$(tok before-stop)" "$ACCEPT"
used=$(tok used-before-restart)
expect "a token used before the restart" rd alice "$used" "$ACCEPT"
stop_redis r1
expect "Redis stopped: refused (PAM_AUTHINFO_UNAVAIL)" rd alice "$t" "$AUTHINFO_UNAVAIL" "cannot connect to Redis"
start_redis r1 "$P"
expect "Redis back: the token refused while it was down is accepted" rd alice "$t" "$ACCEPT"
expect "Redis back: a token used before the restart stays used (AOF, fsync always)" rd alice "$used" "$AUTH_ERR" "already used"

# Paused: the server accepts connections (the kernel does) but never answers.
service rdfast "$(jwt_line $R redis_timeout_ms=300)"
pid=$(cat "$T/r1.pid")
kill -STOP "$pid"
t=$(tok paused)
t0=$(ms)
pam rdfast alice "$t"
el=$(($(ms) - t0))
grep -qF "pamtester: $AUTHINFO_UNAVAIL" "$T/out" && grep -q "no answer within redis_timeout_ms=" "$T/out" &&
	[ "$el" -ge 300 ] && [ "$el" -lt 1500 ]
ok $? "Redis paused (SIGSTOP), redis_timeout_ms=300: refused after $el ms (pamtester run included)"
t0=$(ms)
pam rd alice "$t"
el=$(($(ms) - t0))
grep -qF "pamtester: $AUTHINFO_UNAVAIL" "$T/out" && [ "$el" -ge 1000 ] && [ "$el" -lt 2500 ]
ok $? "Redis paused, default timeout (1000 ms): refused after $el ms"
kill -CONT "$pid"
# The first command (MGET of the revocations) timed out, so no SET was sent:
# the token is still unused. (A SET that times out may be applied when the
# server wakes up: then the token is used up, never accepted twice.)
expect "Redis resumed: the token refused while it was paused is accepted once" rd alice "$t" "$ACCEPT"
expect "... and only once" rd alice "$t" "$AUTH_ERR" "already used"
expect "Redis resumed: a fresh token is accepted" rd alice "$(tok resumed)" "$ACCEPT"

# AUTH: a password for the default user (password file "password").
rcli "$P" CONFIG SET requirepass 'default-pw' >/dev/null
export RPASS=default-pw
umask 077
echo 'default-pw' >"$T/pw.default"
service auth_default "$(jwt_line $R redis_password_file=$T/pw.default)"
t=$(tok auth)
expect "AUTH required, no password file: refused" rd alice "$t" "$AUTHINFO_UNAVAIL" "NOAUTH"
expect "AUTH with the default user's password: accepted" auth_default alice "$t" "$ACCEPT"
expect "AUTH with the default user's password: the token is then used" auth_default alice "$t" "$AUTH_ERR" "already used"
grep -q "default-pw" "$T/out"
[ $? = 1 ]
ok $? "no password in the log"

# The users of examples/redis-users.acl, as shipped (only the password
# hashes filled in), on a Redis of their own: the module as pamjwt, pam-jwt
# revoke as pamjwt-admin.
timeout 10 redis-server --port 0 --unixsocket "$T/acl-check.sock" --save '' \
	--aclfile "$top_srcdir/examples/redis-users.acl" >"$T/acl.start" 2>&1
[ $? != 0 ] && grep -q "password hash must be" "$T/acl.start"
ok $? "the shipped ACL file with its placeholders left in: redis-server refuses to start"
shipped_acl "$T/users.acl"
ok $? "the shipped ACL file: every placeholder filled in"
PA=$(free_port)
start_redis acl "$PA" --aclfile "$T/users.acl"
ok $? "redis-server starts with the shipped ACL file"
A="replay=redis redis=127.0.0.1:$PA"
echo 'pamjwt wrong' >"$T/pw.wrong"
cp "$T/acl.pamjwt" "$T/pw.open" && chmod 0644 "$T/pw.open"
service acl "$(jwt_line $A redis_password_file=$T/acl.pamjwt)"
service acl_none "$(jwt_line $A)"
service acl_wrong "$(jwt_line $A redis_password_file=$T/pw.wrong)"
service acl_open "$(jwt_line $A redis_password_file=$T/pw.open)"
service acl_admin "$(jwt_line $A redis_password_file=$T/acl.pamjwt-admin)"
t=$(tok acl)
expect "shipped ACL, no password file: refused (the default user is off)" acl_none alice "$t" "$AUTHINFO_UNAVAIL" "NOAUTH"
expect "shipped ACL, a wrong password for pamjwt: refused" acl_wrong alice "$t" "$AUTHINFO_UNAVAIL" "Redis AUTH refused: WRONGPASS"
expect "a password file readable by others: refused" acl_open alice "$t" "$AUTHINFO_UNAVAIL" "readable by others"
expect "shipped ACL, as pamjwt: accepted" acl alice "$t" "$ACCEPT"
expect "shipped ACL, as pamjwt: the replay refused" acl alice "$t" "$AUTH_ERR" "already used"
printf "%s\n" "$t" | nss_wrapped "$CLI" verify --user alice secret_file=$T/key $A \
	redis_password_file=$T/acl.pamjwt >"$T/out" 2>&1
[ $? = 1 ] && grep -q "already used" "$T/out"
ok $? "shipped ACL, pam-jwt verify as pamjwt (EXISTS): reports the token used"
expect "shipped ACL, the module as pamjwt-admin: refused (it may not record used tokens)" acl_admin alice \
	"$(tok acl-admin)" "$AUTHINFO_UNAVAIL" "NOPERM"
acli() { acli_port "$PA" "$@"; }
"$CLI" revoke --redis "127.0.0.1:$PA" --redis-password-file "$T/acl.pamjwt-admin" --sub bob >"$T/out" 2>&1
ok $? "pam-jwt revoke --redis as pamjwt-admin: sub bob revoked"
expect "shipped ACL, as pamjwt: the revocation is read, bob refused" acl bob "$(tok acl-bob --sub bob)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "shipped ACL, as pamjwt: control, alice accepted" acl alice "$(tok acl-alice)" "$ACCEPT"
"$CLI" revoke --redis "127.0.0.1:$PA" --redis-password-file "$T/acl.pamjwt" --sub carol >"$T/out" 2>&1
[ $? = 1 ] && grep -q "NOPERM" "$T/out"
ok $? "pam-jwt revoke --redis as pamjwt: refused (NOPERM)"
set -f	# KEYS *, CONFIG GET * as they are
st=0
for cmd in "SET pam_jwt:revoked:sub:bob 1" "SET pam_jwt:revoked:sub:bob 1 EXAT 1" "SET pam_jwt:revoked:sub:bob 1 GET"; do
	# shellcheck disable=SC2086
	out=$(acli pamjwt $cmd)
	case $out in *NOPERM*"access one of the keys"*) ;; *) echo "# pamjwt: $cmd: $out"; st=1 ;; esac
done
for cmd in "DEL pam_jwt:revoked:sub:bob" "UNLINK pam_jwt:revoked:sub:bob" "EXPIRE pam_jwt:revoked:sub:bob 1" \
	"RENAME pam_jwt:revoked:sub:bob x" "FLUSHALL" "FLUSHDB" "KEYS *" "SCAN 0" "CONFIG SET appendonly no" \
	"ACL LIST" "EVAL return 1 0" "MULTI" "SELECT 1" "GET pam_jwt:used:x" "SHUTDOWN"; do
	# shellcheck disable=SC2086
	out=$(acli pamjwt $cmd)
	case $out in *NOPERM*) ;; *) echo "# pamjwt: $cmd: $out"; st=1 ;; esac
done
ok $st "pamjwt can neither write nor delete a revocation, nor run FLUSHALL, KEYS, CONFIG, DEL, EVAL... (NOPERM)"
[ "$(acli pamjwt MGET pam_jwt:revoked:sub:bob)" = "*" ]
ok $? "pamjwt reads the revocation (MGET), which stands"
expect "... and bob is still refused" acl bob "$(tok acl-bob2 --sub bob)" "$AUTH_ERR" "token revoked in Redis (sub)"
st=0
for cmd in "SET pam_jwt:used:x 1" "FLUSHALL" "KEYS *" "CONFIG GET *"; do
	# shellcheck disable=SC2086
	out=$(acli pamjwt-admin $cmd)
	case $out in *NOPERM*) ;; *) echo "# pamjwt-admin: $cmd: $out"; st=1 ;; esac
done
ok $st "pamjwt-admin cannot touch used-token records, nor run FLUSHALL, KEYS, CONFIG (NOPERM)"
set +f
"$CLI" revoke --list --redis "127.0.0.1:$PA" --redis-password-file "$T/acl.pamjwt-admin" >"$T/out" 2>&1
grep -q "sub bob, every token" "$T/out"
ok $? "pam-jwt revoke --list --redis as pamjwt-admin (SCAN, GET, EXPIRETIME)"
[ "$(acli pamjwt-admin DEL pam_jwt:revoked:sub:bob)" = 1 ]
ok $? "pamjwt-admin lifts the revocation (DEL)"
expect "... and bob is accepted again" acl bob "$(tok acl-bob3 --sub bob)" "$ACCEPT"
grep -q "$(acl_password pamjwt)" "$T/out"
[ $? = 1 ]
ok $? "no password of the ACL users in the log"

# A unix socket.
mkdir -m 0700 "$T/sock"
mkdir -p "$T/r2"
redis-server --port 0 --unixsocket "$T/sock/redis.sock" --unixsocketperm 700 --dir "$T/r2" \
	--save '' --logfile "$T/r2/log" &
echo $! >"$T/r2.pid"
redis_pids="$redis_pids $!"
for _ in $(seq 1 100); do [ -S "$T/sock/redis.sock" ] && break; sleep 0.05; done
service rdunix "$(jwt_line replay=redis redis=unix:$T/sock/redis.sock redis_timeout_ms=500)"
t=$(tok unix)
expect "redis=unix:PATH: first use accepted" rdunix alice "$t" "$ACCEPT"
expect "redis=unix:PATH: second use refused" rdunix alice "$t" "$AUTH_ERR" "already used"
kill -STOP "$(cat "$T/r2.pid")"
t=$(tok unix2)
t0=$(ms)
pam rdunix alice "$t"
el=$(($(ms) - t0))
grep -qF "pamtester: $AUTHINFO_UNAVAIL" "$T/out" && [ "$el" -ge 500 ] && [ "$el" -lt 1500 ]
ok $? "redis=unix:PATH paused: refused within the timeout ($el ms)"
kill -CONT "$(cat "$T/r2.pid")"

# Arguments.
service bad1 "$(jwt_line replay=redis)"
service bad2 "$(jwt_line redis=127.0.0.1:$P)"
service bad3 "$(jwt_line $R redis_timeout_ms=0)"
expect "replay=redis without redis=: PAM_SERVICE_ERR" bad1 alice "$(tok x)" "$SERVICE_ERR" "either redis= or redis_sentinel="
expect "redis= without replay=redis: PAM_SERVICE_ERR" bad2 alice "$(tok x)" "$SERVICE_ERR" "need replay=redis"
expect "redis_timeout_ms=0: PAM_SERVICE_ERR" bad3 alice "$(tok x)" "$SERVICE_ERR" "milliseconds"

# Revocations kept in Redis (pam-jwt revoke --redis), seen by every host at once.
rcli "$P" CONFIG SET requirepass '' >/dev/null
unset RPASS
rv() { "$CLI" revoke --redis "127.0.0.1:$P" "$@" >"$T/out" 2>&1; }
rv --jti "rj-$$" --until +1h
ok $? "pam-jwt revoke --jti --redis"
expect "Redis revocation by jti: refused on host A" hosta alice "$(tok rj)" "$AUTH_ERR" "token revoked in Redis (jti)"
expect "Redis revocation by jti: control, another jti" hosta alice "$(tok rj2)" "$ACCEPT"
rv --sub bob
expect "Redis revocation by sub: bob refused on host B" hostb bob "$(tok rs --sub bob)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "Redis revocation by sub: control, alice" hostb alice "$(tok rs2)" "$ACCEPT"
now=$(date +%s)
rv --sub alice --before $((now - 100)) --until +1h
expect "Redis sub before=: alice's token issued before is refused" hosta alice "$(tok rsb --set iat=$((now - 200)))" "$AUTH_ERR" "(sub issued before"
expect "Redis sub before=: control, issued after" hosta alice "$(tok rsb2)" "$ACCEPT"
rv --iss https://old.example --before $((now - 50))
expect "Redis iss before=: refused" hosta alice "$(tok ri --set iss='"https://old.example"' --set iat=$((now - 75)))" "$AUTH_ERR" "(iss issued before"
expect "Redis iss before=: control, another issuer" hosta alice "$(tok ri2 --set iss='"https://new.example"' --set iat=$((now - 75)))" "$ACCEPT"
t=$(tok rsbob --sub bob)
expect "a token revoked in Redis..." hosta bob "$t" "$AUTH_ERR" "revoked in Redis"
rcli "$P" del pam_jwt:revoked:sub:bob >/dev/null
expect "... is not used up: accepted once the revocation is gone" hosta bob "$t" "$ACCEPT"
# A subject revoked in Redis under another spelling: the keys are looked up
# by every name the token logs in under, lower-cased.
printf 'ops-1 bob\nops-2 alice\n' >"$T/users.map"
service rdlow "$(jwt_line user_lowercase $R)"
service rddom "$(jwt_line user_domain=example.com $R)"
service rdclaim "$(jwt_line user_claim=email $R)"
service rdmap "$(jwt_line user_map=$T/users.map $R)"
rv --sub Bob
ok $? "pam-jwt revoke --redis --sub Bob"
expect "Redis sub Bob, user_lowercase: BOB is refused" rdlow bob "$(tok sp1 --sub BOB)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "Redis sub Bob, user_lowercase: control, ALICE accepted" rdlow alice "$(tok sp2 --sub ALICE)" "$ACCEPT"
expect "Redis sub Bob, user_domain=: bob@EXAMPLE.COM is refused" rddom bob "$(tok sp3 --sub bob@EXAMPLE.COM)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "Redis sub Bob, user_domain=: control, alice@EXAMPLE.COM accepted" rddom alice "$(tok sp4 --sub alice@EXAMPLE.COM)" "$ACCEPT"
expect "Redis sub Bob, user_claim=email: bob by email is refused" rdclaim bob "$(tok sp5 --sub u-5 --set email='"bob"')" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "Redis sub Bob, user_claim=email: control, alice by email accepted" rdclaim alice "$(tok sp6 --sub u-6 --set email='"alice"')" "$ACCEPT"
expect "Redis sub Bob, user_map=: ops-1 (mapped to bob) is refused" rdmap bob "$(tok sp7 --sub ops-1)" "$AUTH_ERR" "token revoked in Redis (sub)"
expect "Redis sub Bob, user_map=: control, ops-2 (alice) accepted" rdmap alice "$(tok sp8 --sub ops-2)" "$ACCEPT"
rcli "$P" del pam_jwt:revoked:sub:bob >/dev/null
printf 'Ops-7 bob\n' >"$T/caps.map"
service rdcaps "$(jwt_line user_map=$T/caps.map $R)"
rv --sub OPS-7
expect "Redis sub OPS-7, user_map=: a token of Ops-7 (no transform) is refused" rdcaps bob "$(tok sp11 --sub Ops-7)" "$AUTH_ERR" "token revoked in Redis (sub)"
rcli "$P" del pam_jwt:revoked:sub:ops-7 >/dev/null
expect "... control: the key deleted, accepted" rdcaps bob "$(tok sp12 --sub Ops-7)" "$ACCEPT"
# A key an earlier pam-jwt revoke wrote as given, capitals and all.
rcli "$P" set pam_jwt:revoked:sub:Bob '*' >/dev/null
expect "a key of an earlier pam-jwt revoke (sub:Bob) still refuses sub Bob" rdlow bob "$(tok sp9 --sub Bob)" "$AUTH_ERR" "token revoked in Redis (sub)"
rcli "$P" del pam_jwt:revoked:sub:Bob >/dev/null
expect "... control: once it is deleted, accepted" rdlow bob "$(tok sp10 --sub Bob)" "$ACCEPT"
"$CLI" revoke --list --redis "127.0.0.1:$P" >"$T/out" 2>&1
grep -q "jti rj-$$; may be dropped after" "$T/out" && grep -q "sub alice, tokens issued before" "$T/out" &&
	grep -q "iss https://old.example, tokens issued before" "$T/out"
ok $? "pam-jwt revoke --list --redis shows what is in force"
ttl=$(rcli "$P" ttl "pam_jwt:revoked:jti:rj-$$")
[ "$ttl" -gt 3500 ] && [ "$ttl" -le 3600 ]
ok $? "--until becomes the key's expiry (TTL $ttl s)"

done_testing
