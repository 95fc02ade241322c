#!/bin/sh
# Sessions bound to their token through the real login(1) (Debian 12's, from
# shadow), as root, on a terminal driven by expect: /etc/pam.d/login with
# snippets/token-or-password as docs/stacks.md makes it, session_end=exp,revoke
# session_warn=12 on the pam_jwt auth line, and the same line as "session
# optional" after common-session. login's service name is fixed, so it runs in
# a private mount namespace where /etc/pam.d/login is the test's file.
# A token login registers (service login, its terminal); a reap within
# session_warn= of exp writes the warning to that terminal; after exp a reap
# ends login and the shell under it (SIGHUP to login, whose hangup reaches the
# terminal's foreground) and the record is gone. A token revoked in
# revoked_file= ends its login at the next reap. A login with the Unix
# password (pam_unix, same stack) is not registered and runs on. Each ending
# writes its audit line to syslog (tests/lib/real.sh's syslog_capture).
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
need login expect chpasswd
can_bind_service login || skip_all "login: needs a private mount namespace (unshare --mount) and /etc/pam.d/login"

PAM_JWT=$top_builddir/pam-jwt
user=$RUN-l
add_user "$user"
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
echo "$user:$password" | chpasswd || bail "cannot set a password for $user"
reg=$T/sessions
"$PAM_JWT" revoke --init --file "$T/revoked" >/dev/null || bail "cannot make $T/revoked"
args="session_end=exp,revoke session_warn=12 session_dir=$reg revoked_file=$T/revoked"
pam_file token-or-password /etc/pam.d/login "$T/login"
sed -i -e "s|^\(auth .*pam_jwt\.so.*\)\$|\1 $args|" "$T/token-or-password"
line=$(grep '^auth .*pam_jwt\.so' "$T/token-or-password" | sed 's/^auth[ 	]*\[[^]]*\]/session optional/')
sed -i -e "/^@include common-session/a $line" "$T/login"
grep -q "^session optional .*pam_jwt\.so.*session_end=" "$T/login" || bail "no session line in $T/login"
syslog_capture "$T/syslog"

# login.exp COMMAND...: answers the first prompt with $SECRET, types $INPUT at
# the shell's prompt and then stays on the terminal, copying what it shows to
# standard output, until the terminal closes.
cat >"$T/login.exp" <<'EOX'
set timeout 20
log_user 1
spawn -noecho {*}$argv
expect {
	-re {(Password|Token): ?$} { send -- "$env(SECRET)\r" }
	timeout { exit 98 }
}
expect {
	-re {[$#] $} { send -- "$env(INPUT)\r" }
	"Login incorrect" { exit 1 }
	timeout { exit 99 }
}
set timeout -1
expect eof
EOX
# on_login SECRET SECONDS OUT: logs $user in with SECRET and runs `sleep SECONDS` there, in the background.
on_login() {
	SECRET=$1 INPUT="exec sleep $2" with_service login "$T/login" expect -f "$T/login.exp" \
		login "$user" >"$3" 2>&1 &
	at_exit "pkill -x -f 'sleep $2'"
}
parent() { ps -o ppid= -p "$1" | tr -d ' '; }

exp=$(($(now) + 20))
on_login "$(mint --sub "$user" --set aud='"login"' --set jti='"'"$RUN-exp"'"' --ttl 20)" 311 "$T/out.a"
wait_records 1
ok $? "a token login with session_end=: the session is registered"
shell=$(sleeper 311)
ok $? "the shell under login runs its command"
loginpid=$(parent "$shell")
grep -q '"service":"login"' "$reg"/[0-9a-f]* && grep -q "\"pid\":$loginpid," "$reg"/[0-9a-f]* &&
	grep -q '"tty":"/dev/pts/[0-9]*"' "$reg"/[0-9a-f]*
ok $? "the record names the service login, login's own process and its terminal"

on_login "$password" 312 "$T/out.b"
pwshell=$(sleeper 312)
ok $? "control: the Unix password logs in through the same stack (pam_unix)"
[ "$(records)" -eq 1 ]
ok $? "the password login is not registered"

reap
kill -0 "$shell" && [ "$(records)" -eq 1 ] && ! grep -q "this session ends in" "$T/out.a"
ok $? "control: a reap before the warning and before exp leaves the session alone"
while [ "$(now)" -lt $((exp - 10)) ]; do sleep 0.5; done
reap
log_has "this session ends in" "$T/out.a"
ok $? "a reap within session_warn= of exp writes the warning to the login's terminal"
while [ "$(now)" -le "$exp" ]; do sleep 0.5; done
reap
grep -q "session ended: reason=expired service=login user=$user .* jti=$RUN-exp " "$T/reap.out"
ok $? "after exp a reap ends the login session (reason=expired)"
log_has "session ended: reason=expired service=login user=$user .* jti=$RUN-exp " "$T/syslog"
ok $? "the ending's audit line reaches syslog"
ended "$shell"
ok $? "the shell's command has ended"
ended "$loginpid"
ok $? "login has exited"
wait_records 0
ok $? "no record is left"
kill -0 "$pwshell"
ok $? "the password login runs on"

on_login "$(mint --sub "$user" --set aud='"login"' --set jti='"'"$RUN-rev"'"' --ttl 600)" 314 "$T/out.d"
wait_records 1
ok $? "a token login of ten minutes is registered"
shell=$(sleeper 314)
"$PAM_JWT" revoke --file "$T/revoked" --jti "$RUN-rev" >/dev/null
reap
grep -q "session ended: reason=revoked service=login user=$user .* jti=$RUN-rev " "$T/reap.out"
ok $? "its jti revoked, the next reap ends it (reason=revoked)"
ended "$shell"
ok $? "the shell's command has ended"
kill -0 "$pwshell"
ok $? "the password login still runs on"
kill "$(parent "$pwshell")"
done_testing
