#!/bin/sh
# pam-jwt sessions --reap with the revocations kept in Redis: a real
# redis-server on 127.0.0.1, started with the shipped ACL file
# (examples/redis-users.acl). Sessions are opened through the module itself
# (pamtester: authenticate, then open_session, with replay=redis as the fleet
# user pamjwt and session_end=exp,revoke), and each record is then handed to a
# live `sleep` of the test, the way sshd's session process would hold it. The
# record carries the session line's Redis settings, so --reap takes none:
# `pam-jwt revoke --redis --jti` and `--sub` (as pamjwt-admin) end their
# session at the next reap, a session whose token is only recorded as used
# (its own login) is left alone, and with Redis down the session is kept and
# reported, exit 1, until Redis answers again.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/redis_lib.sh"

CLI=$top_builddir/pam-jwt
shipped_acl "$T/users.acl" || { echo "Bail out! cannot fill in the shipped ACL file"; exit 1; }
P=$(free_port)
start_redis r "$P" --aclfile "$T/users.acl" || skip_all "redis-server did not start"
reg=$T/reg
mkdir -m 700 "$reg"
args="replay=redis redis=127.0.0.1:$P redis_password_file=$T/acl.pamjwt redis_timeout_ms=1000"
args="$args session_end=exp,revoke session_dir=$reg"
service rs "$(jwt_line "$args")" "session optional pam_jwt.so secret_file=$T/key $args"
revoke() { "$CLI" revoke --redis "127.0.0.1:$P" --redis-password-file "$T/acl.pamjwt-admin" "$@"; }
reap() { "$CLI" sessions --reap --dir "$reg" >"$T/reap.out" 2>&1; }
records() { ls "$reg" | grep -c '^[0-9a-f]\{32\}$'; }

sleepers=
trap 'kill $sleepers 2>/dev/null; for p in $redis_pids; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# session USER JTI SECONDS: a login of USER through the module with a fresh
# token (jti JTI), its session opened, and its record given to a new
# `sleep SECONDS` (pid and start time), whose pid is left in $pid.
session() {
	before=$(ls "$reg" | grep '^[0-9a-f]\{32\}$')
	wrapped_run "$(mint --sub "$1" --set jti="\"$2\"" --ttl 600)" pamtester rs "$1" authenticate open_session ||
		{ cat "$T/out" >&2; return 1; }
	id=$(ls "$reg" | grep '^[0-9a-f]\{32\}$' | grep -vxF "$before")
	[ -n "$id" ] || { echo "# no record for $2" >&2; return 1; }
	sleep "$3" &
	pid=$!
	sleepers="$sleepers $pid"
	"$PYTHON3" -c '
import json, os, sys
path, pid = sys.argv[1], int(sys.argv[2])
start = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[19])
r = json.load(open(path))
r["pid"], r["start"] = pid, start
fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(r, separators=(",", ":")).encode())
os.close(fd)
os.rename(path + ".tmp", path)
' "$reg/$id" "$pid"
}

session alice "keep-$$" 501
ok $? "a token login with replay=redis opens a session, registered"
alice=$pid
grep -q "\"redis\":true" "$reg"/[0-9a-f]* && grep -q "\"redis_addr\":\"127.0.0.1:$P\"" "$reg"/[0-9a-f]* &&
	grep -q "\"redis_password_file\":\"$T/acl.pamjwt\"" "$reg"/[0-9a-f]*
ok $? "the record carries the session line's Redis settings"
session alice "revoke-$$" 502
ok $? "a second session of alice (another jti)"
gone=$pid
session bob "bob-$$" 503
ok $? "a session of bob"
bob=$pid
[ "$(records)" -eq 3 ]
ok $? "three records"

reap
ok $? "control: a reap with nothing revoked exits 0"
[ "$(records)" -eq 3 ] && kill -0 "$alice" "$gone" "$bob" && ! grep -q "session ended" "$T/reap.out"
ok $? "control: the tokens are recorded as used in Redis (their logins), and no session is taken for revoked"

revoke --jti "revoke-$$" >"$T/out" 2>&1
ok $? "pam-jwt revoke --redis --jti as pamjwt-admin"
reap
ok $? "pam-jwt sessions --reap: exit 0"
grep -q "^session ended: reason=revoked service=rs user=alice .* jti=revoke-$$ " "$T/reap.out"
ok $? "the session whose jti was revoked in Redis is ended (reason=revoked)"
ended "$gone"
ok $? "its process has ended"
kill -0 "$alice" "$bob" && [ "$(records)" -eq 2 ]
ok $? "control: alice's other session and bob's run on, their records kept"

revoke --sub bob >"$T/out" 2>&1
ok $? "pam-jwt revoke --redis --sub bob"
reap
grep -q "^session ended: reason=revoked service=rs user=bob .* jti=bob-$$ " "$T/reap.out"
ok $? "bob's session is ended at the next reap"
ended "$bob"
ok $? "its process has ended"
kill -0 "$alice" && [ "$(records)" -eq 1 ]
ok $? "control: alice's session runs on"

# Redis down: whether the token is revoked cannot be told; nothing is ended blind.
stop_redis r
rc=0
reap || rc=$?
[ "$rc" -eq 1 ] && grep -q "cannot tell whether its token is revoked" "$T/reap.out" &&
	grep -q "127.0.0.1:$P" "$T/reap.out"
ok $? "Redis down: the reap reports the session it cannot check (naming the server), exit 1"
kill -0 "$alice" && [ "$(records)" -eq 1 ]
ok $? "Redis down: the session is kept"
start_redis r "$P" --aclfile "$T/users.acl"
ok $? "Redis is back"
reap
ok $? "control: with Redis back the reap exits 0"
kill -0 "$alice" && [ "$(records)" -eq 1 ]
ok $? "control: and the unrevoked session runs on"
revoke --jti "keep-$$" >"$T/out" 2>&1 && reap &&
	grep -q "^session ended: reason=revoked .* jti=keep-$$ " "$T/reap.out"
ok $? "revoked after the restart, it ends at the next reap"
grep -q "eyJ" "$T/reap.out"
ok $((!$?)) "no token in the reaper's output"
done_testing
