#!/bin/sh
# pam-jwt sessions, through the real binary, on a registry of its own (no root
# needed): records written as the module writes them (JSON, mode 0600, the
# opening process by pid and start time) for `sleep` processes of the test.
# The listing; --reap pruning the record of a process gone and of a pid now
# another process's (never signalling that process), ending a session whose
# token expired and one whose jti is in its revoked_file=, leaving the others;
# two reapers at once ending a session once; a record that does not parse
# reported and kept; an unsafe registry refused; usage errors.
. "$top_srcdir/tests/lib/lib.sh"
CLI=$top_builddir/pam-jwt
reg=$T/reg
mkdir -m 700 "$reg"
printf 'jti revoked-one\n' >"$T/revoked"
chmod 644 "$T/revoked"

start_of() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; }
# record ID PID START EXP JTI: a session record as open_session writes it.
record() {
	"$PYTHON3" -c '
import json, os, sys
reg, rid, pid, start, exp, jti, revoked = sys.argv[1:8]
r = {"version": 1, "id": rid, "created": 1700000000, "user": "alice", "iss": "https://idp.example",
     "sub": "alice", "jti": jti, "iat": 1700000000, "exp": int(exp),
     "fingerprint": "sha256:0011223344556677", "names": ["alice"], "service": "sshd",
     "rhost": "192.0.2.7", "tty": "ssh", "pid": int(pid), "start": int(start),
     "end_exp": True, "end_revoke": True, "warn": 0, "warned": False,
     "revoked_file": revoked, "redis": False, "redis_timeout_ms": 0}
fd = os.open(os.path.join(reg, rid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(r).encode())
os.close(fd)
' "$reg" "$1" "$2" "$3" "$4" "$5" "$T/revoked"
}
id() { printf '%032x' "$1"; }
later=$(($(date +%s) + 3600))
past=$(($(date +%s) - 10))

sleep 401 & live=$!
sleep 402 & expired=$!
sleep 403 & revoked=$!
sleep 404 & reused=$!
sh -c 'exit 0' & gone=$!
wait "$gone"
trap 'kill $live $expired $revoked $reused 2>/dev/null; rm -rf "$T"' EXIT
record "$(id 1)" "$live" "$(start_of $live)" "$later" keep-me
record "$(id 2)" "$expired" "$(start_of $expired)" "$past" old-one
record "$(id 3)" "$revoked" "$(start_of $revoked)" "$later" revoked-one
record "$(id 4)" "$reused" $(($(start_of $reused) + 1)) "$past" reused-pid
record "$(id 5)" "$gone" 12345 "$later" gone-one

"$CLI" sessions --dir "$reg" >"$T/out" 2>&1
[ "$(grep -c ' alive$' "$T/out")" -eq 3 ] && [ "$(grep -c ' dead$' "$T/out")" -eq 2 ] &&
	grep -q "^$(id 4 | cut -c1-8) .* reused-pid .* dead$" "$T/out" &&
	grep -q "^$(id 1 | cut -c1-8) .* alice .* sshd .* keep-me .* alive$" "$T/out"
ok $? "pam-jwt sessions lists user, service, jti and whether the process is alive (a reused pid: dead)"

"$CLI" sessions --reap --dir "$reg" >"$T/out" 2>&1
rc=$?
ok $rc "pam-jwt sessions --reap: exit 0"
grep -q "^session ended: reason=expired service=sshd user=alice rhost=192.0.2.7 tty=ssh pid=$expired token=sha256:0011223344556677 .* jti=old-one " "$T/out"
ok $? "the session whose token expired is ended, with its audit line"
ended "$expired"
ok $? "its process has ended"
grep -q "^session ended: reason=revoked .* jti=revoked-one " "$T/out"
ok $? "the session whose jti is in its revoked_file= is ended"
ended "$revoked"
ok $? "its process has ended"
grep -q "^session record pruned: reason=process-gone .* pid=$reused .* jti=reused-pid " "$T/out" &&
	[ ! -e "$reg/$(id 4)" ] && kill -0 "$reused"
ok $? "a record whose pid now belongs to another process is pruned, and that process is not signalled"
grep -q "^session record pruned: reason=process-gone .* jti=gone-one " "$T/out" && [ ! -e "$reg/$(id 5)" ]
ok $? "the record of a process that is gone is pruned"
[ -e "$reg/$(id 1)" ] && kill -0 "$live" && ! grep -q "keep-me" "$T/out"
ok $? "control: the live session with a valid token is left alone"
grep -q "eyJ" "$T/out"
ok $((!$?)) "no token in the output"

# Two reapers at once: the session ends once.
sleep 405 & twice=$!
record "$(id 6)" "$twice" "$(start_of $twice)" "$past" twice
"$CLI" sessions --reap --dir "$reg" >"$T/out.1" 2>&1 &
r1=$!
"$CLI" sessions --reap --dir "$reg" >"$T/out.2" 2>&1 &
r2=$!
wait "$r1" "$r2"
[ "$(cat "$T/out.1" "$T/out.2" | grep -c "session ended: .* jti=twice ")" -eq 1 ]
ok $? "two reapers at once end a session once (the lock)"
ended "$twice"
ok $? "and its process has ended"

# A record that does not parse: reported, kept, exit 1; the others still reaped.
printf '{"version":1,"id":"%s","pid":"1"}' "$(id 7)" >"$reg/$(id 7)"
chmod 600 "$reg/$(id 7)"
rc=0
"$CLI" sessions --reap --dir "$reg" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && grep -q "session $(id 7): session record" "$T/out" && [ -e "$reg/$(id 7)" ] &&
	[ -e "$reg/$(id 1)" ]
ok $? "a record that does not parse is reported and kept, exit 1"
rm -f "$reg/$(id 7)"

# A revoked_file= that is missing: the session is kept (never ended blind), exit 1.
mv "$T/revoked" "$T/revoked.away"
rc=0
"$CLI" sessions --reap --dir "$reg" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && grep -q "cannot tell whether its token is revoked" "$T/out" && kill -0 "$live"
ok $? "a missing revoked_file=: reported, the session kept, exit 1"
mv "$T/revoked.away" "$T/revoked"
"$CLI" sessions --reap --dir "$reg" >"$T/out" 2>&1
ok $? "control: exit 0 once the file is back"

chmod 755 "$reg"
rc=0
"$CLI" sessions --reap --dir "$reg" >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && grep -q "open to group or others" "$T/out"
ok $? "a registry open to others is refused (exit 1)"
chmod 700 "$reg"

rc=0
"$CLI" sessions --reap extra >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ]
ok $? "an extra argument is a usage error (exit 2)"
rc=0
"$CLI" sessions --dir relative >"$T/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ]
ok $? "a relative --dir is a usage error (exit 2)"
"$CLI" sessions --dir "$T/none" >"$T/out" 2>&1 && "$CLI" sessions --reap --dir "$T/none" >/dev/null 2>&1
ok $? "a registry that does not exist yet: nothing listed, nothing to reap, exit 0"
done_testing
