#!/bin/sh
# Sessions bound to their token through the real sudo and su, as root: their
# service files as docs/sudo-su.md makes them, with session_end=exp,revoke on
# the pam_jwt auth line and the same line as "session optional" after
# common-session. A command started under sudo, and one under su, with a
# token that expires in 15 s ends at the first reap after exp. A record whose
# process has exited and whose pid now belongs to another process (faked: a
# live pid with a wrong start time) is pruned, and that process is not
# signalled; the record of a process that is gone is pruned too.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
need sudo visudo su expect

PAM_JWT=$top_builddir/pam-jwt
user=$RUN-a
to=$RUN-b
add_user "$user"
add_user "$to"
at_exit "rm -rf /run/sudo/ts/$user /var/lib/sudo/lectured/$user"
reg=$T/sessions
"$PAM_JWT" revoke --init --file "$T/revoked" >/dev/null || bail "cannot make $T/revoked"
args="session_end=exp,revoke session_dir=$reg revoked_file=$T/revoked"
# bind SERVICE-FILE: the session arguments on its pam_jwt auth line, and the same line for the session.
bind() {
	sed -i -e "s|^\(auth .*pam_jwt\.so.*\)\$|\1 $args|" "$1"
	line=$(grep '^auth .*pam_jwt\.so' "$1" | sed 's/^auth[ 	]*required/session optional/')
	[ -n "$line" ] || bail "no pam_jwt auth line in $1"
	sed -i -e "/^@include common-session/a $line" "$1"
	grep -q '^session optional .*pam_jwt\.so.*session_end=' "$1" || bail "no session line in $1"
}
install_service "$RUN-sudo" sudo /etc/pam.d/sudo
bind "/etc/pam.d/$RUN-sudo"
cat >"$T/sudoers" <<EOS
Defaults:$user pam_service=$RUN-sudo, pam_login_service=$RUN-sudo
Defaults:$user timestamp_timeout=0, passwd_tries=1, lecture=never, !mail_badpass, pam_session
$user ALL=(root) /bin/sleep
EOS
visudo -cqf "$T/sudoers" || bail "the test sudoers file does not parse"
at_exit "rm -f /etc/sudoers.d/$RUN /etc/sudoers.d/$RUN.new"
install -m 440 "$T/sudoers" "/etc/sudoers.d/$RUN.new" && mv "/etc/sudoers.d/$RUN.new" "/etc/sudoers.d/$RUN" ||
	bail "cannot install /etc/sudoers.d/$RUN"
syslog_capture "$T/syslog"

# sudo: the token on standard input, the command left running.
exp=$(($(now) + 15))
tok=$(mint --sub "$user" --set aud='"sudo"' --ttl 15)
printf '%s\n' "$tok" | (cd / && eval "$IN_SYSLOG" \
	'setpriv --reuid="$user" --regid="$user" --init-groups sudo -S -p "" /bin/sleep 301') >"$T/out.sudo" 2>&1 &
sudopid=$!
at_exit "pkill -x -f '/bin/sleep 301'"
wait_records 1
ok $? "sudo with session_end=: the session is registered"
cmd=$(sleeper 301)
ok $? "the command runs under sudo"
grep -q "\"service\":\"$RUN-sudo\"" "$reg"/[0-9a-f]* && grep -q "\"user\":\"$user\"" "$reg"/[0-9a-f]*
ok $? "the record names sudo's service and the user"
reap
kill -0 "$cmd" 2>/dev/null
ok $? "control: a reap before exp leaves the command running"
while [ "$(now)" -le "$exp" ]; do sleep 0.5; done
reap
grep -q "session ended: reason=expired service=$RUN-sudo user=$user " "$T/reap.out"
ok $? "after exp a reap ends the sudo session (reason=expired)"
ended "$cmd"
ok $? "the command under sudo has ended"
ended "$sudopid"
ok $? "sudo has exited"
wait_records 0
ok $? "no record is left"

# su: the token typed at su's prompt on a terminal; the terminal stays open.
if can_bind_service su; then
	pam_file su /etc/pam.d/su "$T/su"
	bind "$T/su"
	cat >"$T/su.exp" <<'EOX'
set timeout 20
log_user 0
spawn -noecho {*}$argv
expect {
	-re {Token: ?$} { send -- "$env(SECRET)\r" }
	timeout { exit 98 }
}
set timeout -1
expect eof
lassign [wait] pid spawn_id os_error status
exit $status
EOX
	exp=$(($(now) + 15))
	SECRET=$(mint --sub "$to" --set aud='"su"' --ttl 15) with_service su "$T/su" \
		expect -f "$T/su.exp" setpriv --reuid="$user" --regid="$user" --init-groups \
		su -c "exec sleep 302" "$to" >"$T/out.su" 2>&1 &
	supid=$!
	at_exit "pkill -x -f 'sleep 302'"
	wait_records 1
	ok $? "su with session_end=: the session is registered"
	cmd=$(sleeper 302)
	ok $? "the command runs under su"
	while [ "$(now)" -le "$exp" ]; do sleep 0.5; done
	reap
	grep -q "session ended: reason=expired service=su user=$to " "$T/reap.out"
	ok $? "after exp a reap ends the su session (reason=expired)"
	ended "$cmd"
	ok $? "the command under su has ended"
	wait_records 0
	ok $? "no record is left"
	kill "$supid" 2>/dev/null
else
	echo "# su: needs a private mount namespace (unshare --mount) and /etc/pam.d/su: not run"
fi

# Records written by hand from a real one (a session kept open for it).
tok=$(mint --sub "$user" --set aud='"sudo"' --ttl 600)
printf '%s\n' "$tok" | (cd / && eval "$IN_SYSLOG" \
	'setpriv --reuid="$user" --regid="$user" --init-groups sudo -S -p "" /bin/sleep 303') >"$T/out.sudo2" 2>&1 &
wait_records 1
at_exit "pkill -x -f '/bin/sleep 303'"
real=$(ls "$reg" | grep '^[0-9a-f]\{32\}$' | head -n 1)
# fake ID PID START: a copy of the real record as ID, naming PID with START.
fake() {
	"$PYTHON3" -c '
import json, os, sys
src, dst, rid, pid, start = sys.argv[1:6]
r = json.load(open(src))
r["id"], r["pid"], r["start"] = rid, int(pid), int(start)
fd = os.open(dst + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(r).encode())
os.close(fd)
os.rename(dst + ".tmp", dst)
' "$reg/$real" "$reg/$1" "$1" "$2" "$3"
}
sleep 304 &
other=$!
at_exit "kill $other 2>/dev/null"
start=$(sed 's/.*) //' "/proc/$other/stat" | cut -d' ' -f20)
fake aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "$other" $((start + 1))
sh -c 'exit 0' &
deadpid=$!
wait "$deadpid"
fake bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb "$deadpid" 12345
fake cccccccccccccccccccccccccccccccc "$other" "$start"
ok $(($(records) - 4)) "control: four records (the real one and three written by hand)"
"$PAM_JWT" sessions --dir "$reg" >"$T/out" 2>&1
grep -q "^aaaaaaaa .* dead$" "$T/out" && grep -q "^cccccccc .* alive$" "$T/out"
ok $? "pam-jwt sessions: the record with the live pid but another start time is dead, the right one alive"
# The real session's token is not expired: only the hand-made expired one ends.
"$PYTHON3" -c '
import json, sys
p = sys.argv[1]
r = json.load(open(p))
r["exp"] = 1000
open(p, "w").write(json.dumps(r))
' "$reg/cccccccccccccccccccccccccccccccc"
"$PYTHON3" -c '
import json, sys
p = sys.argv[1]
r = json.load(open(p))
r["exp"] = 1000
open(p, "w").write(json.dumps(r))
' "$reg/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
reap
kill -0 "$other" 2>/dev/null || true
[ ! -e "$reg/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" ] && grep -q "session record pruned: reason=process-gone .* pid=$other " "$T/reap.out"
ok $? "a record whose pid now belongs to another process is pruned as gone"
[ ! -e "$reg/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" ] && grep -q "session record pruned: reason=process-gone .* pid=$deadpid " "$T/reap.out"
ok $? "a record of a process that is gone is pruned"
grep -q "session ended: reason=expired .* pid=$other " "$T/reap.out"
ok $? "control: the expired record naming that process with its true start time ends it"
ended "$other"
ok $? "control: so the reaper does signal a process whose identity matches"
[ -e "$reg/$real" ] && pgrep -x -f '/bin/sleep 303' >/dev/null
ok $? "the real session with an unexpired token is left running"
done_testing
