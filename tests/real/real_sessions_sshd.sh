#!/bin/sh
# Sessions bound to their token through the real sshd and ssh, as root on
# 127.0.0.1 (tests/lib/sshd.sh): the PAM service is docs/sshd.md's copy of
# /etc/pam.d/sshd with session_end=exp,revoke session_warn=15 on the pam_jwt
# auth line, and the same line as "session optional" after common-session.
# A session opened with a token 25 s from exp runs `sleep 300` on a pty; the
# tty is warned before exp; after exp `pam-jwt sessions --reap` ends it, the
# client sees the connection close and the audit line says "expired". A
# public-key session of the same user at the same time is not registered and
# survives. Revoking a session's jti ends it at the next reap. Password and
# keyboard-interactive both register, and a client that disconnects leaves
# no record (close_session).
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
need sshpass

PAM_JWT=$top_builddir/pam-jwt
user=$RUN-a
add_user "$user"
svc=sshd-$RUN
install_service "$svc" sshd /etc/pam.d/sshd
reg=$T/sessions
"$PAM_JWT" revoke --init --file "$T/revoked" >/dev/null || bail "cannot make $T/revoked"
args="session_end=exp,revoke session_warn=15 session_dir=$reg revoked_file=$T/revoked"
sed -i -e "s|^\(auth .*pam_jwt\.so.*\)\$|\1 $args|" "/etc/pam.d/$svc"
line=$(grep '^auth .*pam_jwt\.so' "/etc/pam.d/$svc" | sed 's/^auth[ 	]*required/session optional/')
[ -n "$line" ] || bail "no pam_jwt auth line in /etc/pam.d/$svc"
sed -i -e "/^@include common-session\$/a $line" "/etc/pam.d/$svc"
grep -q '^session optional .*pam_jwt\.so.*session_end=' "/etc/pam.d/$svc" || bail "no session line"

# A public key of the same user, for the session that must survive.
ssh-keygen -q -t ed25519 -N '' -f "$T/ukey" || bail "cannot make a user key"
keys=/etc/ssh/$RUN.authorized_keys
at_exit "rm -f $keys"
install -m 644 "$T/ukey.pub" "$keys" || bail "cannot write $keys"
syslog_capture "$T/syslog"
start_sshd "$user" "AuthorizedKeysFile $keys" "PubkeyAuthentication yes"

# token_session MODE TOKEN OUT: a session on a pty running sleep 300, in the background; $! is ssh's sshpass.
token_session() {
	prompt=assword
	[ "$1" = password ] || prompt=Token
	# shellcheck disable=SC2086
	SSHPASS=$2 sshpass -e -P "$prompt" ssh -tt $SSH_OPTS -o PreferredAuthentications="$1" \
		"$user@127.0.0.1" 'echo session-started; exec sleep 300' </dev/null >"$3" 2>&1 &
}
ssh_mint() { mint --sub "$user" --set aud='"ssh"' "$@"; }

# The public-key session, then a token session whose token expires in 25 s.
# shellcheck disable=SC2086
ssh -tt -o PubkeyAuthentication=yes -o IdentitiesOnly=yes -i "$T/ukey" $SSH_OPTS \
	-o PreferredAuthentications=publickey "$user@127.0.0.1" 'echo session-started; exec sleep 300' \
	</dev/null >"$T/out.key" 2>&1 &
keypid=$!
at_exit "kill $keypid 2>/dev/null"
log_has session-started "$T/out.key"
ok $? "a public-key session of the user runs"
ok "$(records)" "the public-key session is not registered (no token authenticated it)"

exp=$(($(now) + 25))
token_session keyboard-interactive "$(ssh_mint --ttl 25 --set jti='"'"$RUN-exp"'"')" "$T/out.a"
apid=$!
at_exit "kill $apid 2>/dev/null"
wait_records 1
ok $? "keyboard-interactive with session_end=: the session is registered"
"$PAM_JWT" sessions --dir "$reg" >"$T/out" 2>&1
grep " $user " "$T/out" | grep " $RUN-exp " | grep -q " alive"
ok $? "pam-jwt sessions lists it: user, jti, alive"
log_has "session registered: id=" "$T/syslog"
ok $? "the module logs the registration"
env_leak=$(grep -c PAM_JWT_PENDING "$T/out.a")
ok "$env_leak" "PAM_JWT_PENDING does not reach the session's output"
reap
kill -0 "$apid" 2>/dev/null && [ "$(records)" -eq 1 ]
ok $? "control: a reap before the warning and before exp leaves the session alone"
while [ "$(now)" -lt $((exp - 12)) ]; do sleep 0.5; done
reap
log_has "this session ends in" "$T/out.a"
ok $? "a reap within session_warn= of exp writes the warning to the session's tty"
kill -0 "$apid" 2>/dev/null
ok $? "the session still runs after the warning"
while [ "$(now)" -le "$exp" ]; do sleep 0.5; done
: >"$T/syslog"
reap
grep -q "session ended: reason=expired service=$svc user=$user rhost=127.0.0.1 " "$T/reap.out"
ok $? "after exp a reap ends the session (reason=expired)"
ended "$apid"
ok $? "the client sees the connection close"
log_has "session ended: reason=expired " "$T/syslog" && grep "session ended:" "$T/syslog" | grep -q " jti=$RUN-exp "
ok $? "the audit line in syslog says why, with the token's jti"
wait_records 0
ok $? "the ended session's record is gone"
kill -0 "$keypid" 2>/dev/null
ok $? "the public-key session of the same user survives"

# Revocation: the jti revoked with pam-jwt revoke ends the session at the next reap.
token_session keyboard-interactive "$(ssh_mint --ttl 600 --set jti='"'"$RUN-rev"'"')" "$T/out.c"
cpid=$!
at_exit "kill $cpid 2>/dev/null"
wait_records 1
ok $? "a second token session is registered"
reap
kill -0 "$cpid" 2>/dev/null && [ "$(records)" -eq 1 ]
ok $? "control: a reap while the token is neither expired nor revoked leaves it alone"
"$PAM_JWT" revoke --jti "$RUN-rev" --file "$T/revoked" >/dev/null
reap
grep -q "session ended: reason=revoked .* jti=$RUN-rev " "$T/reap.out"
ok $? "after pam-jwt revoke --jti, the next reap ends it (reason=revoked)"
ended "$cpid"
ok $? "the client of the revoked session sees the connection close"

# Password: registers too; a client that disconnects leaves no record (close_session).
token_session password "$(ssh_mint --ttl 600)" "$T/out.d"
dpid=$!
wait_records 1
ok $? "password with session_end=: the session is registered"
grep -q "\"service\":\"$svc\"" "$reg"/[0-9a-f]* 2>/dev/null
ok $? "the record names the service"
kill "$dpid"
wait_records 0
ok $? "a client that disconnects: close_session removes the record"
kill -0 "$keypid" 2>/dev/null
ok $? "the public-key session still runs at the end"
grep -q "token=" "$T/reap.out" && ! grep -q "eyJ" "$T/reap.out" "$T/syslog"
ok $? "no token in the reaper's output or the log (fingerprints only)"
done_testing
