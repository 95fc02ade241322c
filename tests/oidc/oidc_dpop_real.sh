#!/bin/sh
# A DPoP-bound token from glewlwyd (pam-jwt login --dpop, the device flow)
# through the real sshd (keyboard-interactive, SSH_ASKPASS=pam-jwt-askpass)
# and the real sudo -A (SUDO_ASKPASS), as root: askpass answers the token
# prompt and the module's DPoP challenge with the key login kept beside the
# token. ssh names this host as the user would (its name, connecting to
# 127.0.0.1 through HostName); a destination that is not the challenge's host
# gets no proof. The same token in another cache without the key is refused;
# after --refresh the token is still bound and still logs in.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
IDP_USER=$RUN-a
IDP_DPOP=1
. "$top_srcdir/tests/lib/idp.sh"
[ -z "${PAM_JWT_TEST_WRAPPER:-}" ] || skip_all "real logins are not run under valgrind"
need sudo visudo
"$PYTHON3" -c 'import jwcrypto' 2>/dev/null || skip_all "python3-jwcrypto is not installed"
PAM_JWT=$top_builddir/pam-jwt
host=$(hostname)

user=$RUN-a
add_user "$user"
chmod 711 "$T"
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/pam-jwt-askpass"
# The user's cache, a directory of the user's own; pam-jwt login runs as the user.
mkdir -m 700 "$T/ucache" && chown "$user" "$T/ucache"
C=$T/ucache/pam-jwt
U() { as_user "$user" env XDG_CACHE_HOME="$T/ucache" HOME=/ "$@"; }

idp_start ES256
"$PAM_JWT" jwks-sync --issuer "$IDP_ISS" --out "$T/jwks.json" --cacert "$IDP_CA" >"$T/out" 2>&1
ok $? "control: the provider's keys are synced"
chmod 644 "$T/jwks.json"
cp "$IDP_CA" "$T/ca.pem" && chmod 644 "$T/ca.pem"
LINE="auth required $PAM_JWT_MODULE jwks_file=$T/jwks.json issuer=$IDP_ISS [audience=openid pam] pop=required"

U "$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$T/ca.pem" --scope "openid pam" \
	--dpop >"$T/login.out" 2>"$T/login.err" &
lp=$!
for i in $(seq 1 100); do
	grep -q "enter the code" "$T/login.err" 2>/dev/null && break
	sleep 0.05
done
idp_approve "$(sed -n 's/^and enter the code //p' "$T/login.err")"
wait $lp
s=$?
[ $s -eq 0 ] || sed 's/^/# /' "$T/login.out" "$T/login.err"
ok $s "pam-jwt login --dpop (as the user): the device flow gets a token"
jkt=$("$PYTHON3" "$top_srcdir/tests/lib/dpop.py" thumb "$C/dpop_key")
[ "$("$PAM_JWT" decode --json <"$C/token" | jq -r .claims.cnf.jkt)" = "$jkt" ] &&
	[ "$(stat -c '%a %U' "$C/dpop_key")" = "600 $user" ]
ok $? "the token is bound to the key kept beside it (0600, the user's)"

# sshd, keyboard-interactive, with askpass.
svc=sshd-$RUN
at_exit "rm -f /etc/pam.d/$svc"
{ echo "$LINE"; echo "@include common-account"; echo "@include common-session"; } >"/etc/pam.d/$svc"
chmod 644 "/etc/pam.d/$svc"
syslog_capture "$T/syslog"
start_sshd "$user" "PasswordAuthentication no"
ssh_to() { # DEST [VAR=VALUE...]
	dest=$1
	shift
	: >"$T/sshd.log"
	U env SSH_ASKPASS="$T/pam-jwt-askpass" SSH_ASKPASS_REQUIRE=force DISPLAY= "$@" \
		ssh $SSH_OPTS -o HostName=127.0.0.1 -o PreferredAuthentications=keyboard-interactive \
		"$user@$dest" 'echo logged-in-as-$(id -un)' </dev/null >"$T/out" 2>&1
}
ssh_to "$host"
logged_in "$user" $KIPAM
s=$?; [ $s -eq 0 ] || { sed 's/^/# /' "$T/out"; tail -5 "$T/sshd.log" | sed 's/^/# sshd: /'; }
ok $s "sshd: the bound token logs in by keyboard-interactive, askpass proving the key for $host"
log_has "pop=bound jkt=$jkt" "$T/syslog"
ok $? "the audit line names the key that proved it"
ssh_to elsewhere.example
refused "$user" $KIPAM && grep -q "the DPoP challenge is for host \"$host\", but the ssh destination is \"elsewhere.example\"" "$T/out"
ok $? "sshd: ssh to another name (the relay case): askpass gives no proof, says why, the login fails"
ssh_to elsewhere.example PAM_JWT_HOST="$host"
logged_in "$user" $KIPAM
ok $? "control: PAM_JWT_HOST naming this host lets askpass prove it"

# The same token in another cache without the key.
mkdir -m 700 "$T/ucache2" && mkdir -m 700 "$T/ucache2/pam-jwt"
cp "$C/token" "$T/ucache2/pam-jwt/token"
chown -R "$user" "$T/ucache2"
: >"$T/sshd.log"
as_user "$user" env XDG_CACHE_HOME="$T/ucache2" HOME=/ SSH_ASKPASS="$T/pam-jwt-askpass" SSH_ASKPASS_REQUIRE=force \
	ssh $SSH_OPTS -o HostName=127.0.0.1 -o PreferredAuthentications=keyboard-interactive \
	"$user@$host" 'echo logged-in-as-$(id -un)' </dev/null >"$T/out" 2>&1
refused "$user" $KIPAM
ok $? "sshd: the same token copied to another cache without the key is refused"

# sudo -A with askpass: the host is this host.
at_exit "rm -rf /run/sudo/ts/$user /var/lib/sudo/lectured/$user"
at_exit "rm -f /etc/pam.d/$RUN-sudo"
{ echo "$LINE"; echo "@include common-account"; echo "@include common-session-noninteractive"; } >"/etc/pam.d/$RUN-sudo"
chmod 644 "/etc/pam.d/$RUN-sudo"
cat >"$T/sudoers" <<EOS
Defaults:$user pam_service=$RUN-sudo, pam_login_service=$RUN-sudo
Defaults:$user timestamp_timeout=0, passwd_tries=1, lecture=never, !mail_badpass
$user ALL=(root) /usr/bin/id
EOS
visudo -cqf "$T/sudoers" || bail "the test sudoers file does not parse"
at_exit "rm -f /etc/sudoers.d/$RUN /etc/sudoers.d/$RUN.new"
install -m 440 "$T/sudoers" "/etc/sudoers.d/$RUN.new" && mv "/etc/sudoers.d/$RUN.new" "/etc/sudoers.d/$RUN" ||
	bail "cannot install /etc/sudoers.d/$RUN"
sudo_A() { # CACHE
	as_user "$user" env XDG_CACHE_HOME="$1" HOME=/ SUDO_ASKPASS="$T/pam-jwt-askpass" \
		sudo -A /usr/bin/id -u </dev/null >"$T/out" 2>&1 && grep -qx 0 "$T/out"
}
sudo_A "$T/ucache"
s=$?; [ $s -eq 0 ] || sed 's/^/# /' "$T/out"
ok $s "sudo -A: the bound token and askpass's proof (parts of 500 bytes) run id as root"
! sudo_A "$T/ucache2"
ok $? "sudo -A: the same token in another cache without the key is refused"

# --refresh: the same key, still bound, still logs in.
old=$(cat "$C/token")
U "$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" --cacert "$T/ca.pem" --refresh >"$T/out" 2>&1
s=$?; [ $s -eq 0 ] || sed 's/^/# /' "$T/out"
ok $s "pam-jwt login --refresh keeps using the cached key"
[ "$(cat "$C/token")" != "$old" ] && [ "$("$PAM_JWT" decode --json <"$C/token" | jq -r .claims.cnf.jkt)" = "$jkt" ]
ok $? "after --refresh the new token is still bound to the key"
ssh_to "$host"
logged_in "$user" $KIPAM
ok $? "sshd: the refreshed token logs in with askpass's proof"
sudo_A "$T/ucache"
ok $? "sudo -A: the refreshed token runs id as root"

done_testing
