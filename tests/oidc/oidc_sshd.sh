#!/bin/sh
# An OpenID Connect provider's tokens through sshd, line by line, as root,
# against glewlwyd (tests/lib/idp.sh) and the real sshd on 127.0.0.1: the lines
# below (docs/provider.md's, whose whole walkthrough tests/docs/docs_provider.sh
# runs) with the provider's test URL, the test CA, and files under the
# scratch directory. The timer's service runs its
# ExecStart with its EnvironmentFile as systemd would (no systemd here).
# Then a key rotation: the new key's token logs in after the sync, the old
# key's token within the grace period but not after it.
# Last, groups= through sshd with glewlwyd's groups as they arrive: an array
# in the ID token, one comma-joined string in the access token.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
IDP_USER=$RUN-a
. "$top_srcdir/tests/lib/idp.sh"
PAM_JWT=$top_builddir/pam-jwt
UNIT=$top_builddir/systemd/pam-jwt-jwks-sync@.service
[ -f "$UNIT" ] || skip_all "$UNIT is not built"
export XDG_CACHE_HOME="$T/cache"
t0=$(date +%s.%N)
# pam-jwt askpass as ssh runs it: by path (/usr/bin/pam-jwt-askpass).
ln -s "$(cd "$top_builddir" && pwd)/pam-jwt" "$T/pam-jwt-askpass"

user=$RUN-a
add_user "$user"
svc=sshd-$RUN
idp_start RS256

# The lines, with the test's URL, CA and paths.
cat <<'EOF' |
    host# pam-jwt jwks-sync --issuer https://idp.example.com/api/oidc --out /etc/security/pam_jwt-idp.jwks
    auth  required  pam_jwt.so jwks_file=/etc/security/pam_jwt-idp.jwks issuer=https://idp.example.com/api/oidc audience=pam-cli max_lifetime=3600
    host# mkdir -p /etc/pam-jwt/jwks-sync
    host# printf 'ISSUER=https://idp.example.com/api/oidc\nOUT=/etc/security/pam_jwt-idp.jwks\nOPTIONS=--max-age 1h\n' >/etc/pam-jwt/jwks-sync/idp.conf
    host# systemctl enable --now pam-jwt-jwks-sync@idp.timer
    user$ pam-jwt login --issuer https://idp.example.com/api/oidc --client-id pam-cli
    user$ SSH_ASKPASS=/usr/bin/pam-jwt-askpass SSH_ASKPASS_REQUIRE=force ssh -o PreferredAuthentications=keyboard-interactive alice@host.example.com
EOF
	sed -n 's/^    \(host# \|user\$ \)\{0,1\}\(auth .*\)$/pam \2/p; s/^    host# /host /p; s/^    user\$ /user /p' |
	sed -e "s|https://idp.example.com/api/oidc|$IDP_ISS|g" \
	    -e "s|/etc/security/pam_jwt-idp.jwks|$T/pam_jwt-idp.jwks|g" \
	    -e "s|/etc/pam-jwt|$T/etc/pam-jwt|g" \
	    -e "s|pam-jwt jwks-sync|\"\$PAM_JWT\" jwks-sync --cacert \"\$IDP_CA\"|g" \
	    -e "s|pam-jwt login|\"\$PAM_JWT\" login --cacert \"\$IDP_CA\"|g" \
	    -e "s|~/.cache|\"\$XDG_CACHE_HOME\"|g" \
	    -e "s|/usr/bin/pam-jwt-askpass|$T/pam-jwt-askpass|" \
	    -e "s|pam_jwt\\.so|$PAM_JWT_MODULE|" \
	    -e "s| ssh -o | ssh \$SSH_OPTS -o |" \
	    -e "s|alice@host.example.com|\"\$user@127.0.0.1\" 'echo logged-in-as-\$(id -un)'|" >"$T/readme.lines"
[ "$(grep -c '' "$T/readme.lines")" -eq 7 ]
ok $? "the walkthrough has its 7 lines (found $(grep -c '' "$T/readme.lines"))"
sed 's/^/# line: /' "$T/readme.lines"

# systemctl enable --now pam-jwt-jwks-sync@NAME.timer, as systemd would do
# it: the timer exists and starts the service, which reads its
# EnvironmentFile and runs its ExecStart.
systemctl() {
	[ "$1 $2" = "enable --now" ] || return 2
	name=${3#pam-jwt-jwks-sync@}
	name=${name%.timer}
	grep -q '^OnUnitActiveSec=5min' "$top_srcdir/systemd/pam-jwt-jwks-sync@.timer" || return 2
	envfile=$(sed -n 's/^EnvironmentFile=//p' "$UNIT" | sed "s|%i|$name|; s|^.*/pam-jwt/|$T/etc/pam-jwt/|")
	exec_start=$(sed -n 's/^ExecStart=[^ ]*pam-jwt /"$PAM_JWT" /p' "$UNIT")
	(
		while IFS= read -r line; do
			case $line in ''|'#'*) continue ;; esac
			export "${line%%=*}=${line#*=}"
		done <"$envfile"
		# systemd: ${VAR} is one word, $VAR splits at white space.
		exec_start=$(echo "$exec_start" | sed 's/\${\([A-Z]*\)}/"$\1"/g; s/ jwks-sync / jwks-sync --cacert "$IDP_CA" /')
		eval "$exec_start"
	)
}


# user$ pam-jwt login ...: in the background; the user approves in glewlwyd.
login_approved() { idp_device_login idp_approve eval "$1"; } # COMMAND

n=0
while IFS= read -r line; do
	n=$((n + 1))
	kind=${line%% *}
	cmd=${line#* }
	case $kind in
	pam)
		at_exit "rm -f /etc/pam.d/$svc"
		{ echo "$cmd"; echo "@include common-account"; echo "@include common-session"; } >"/etc/pam.d/$svc"
		chmod 644 "/etc/pam.d/$svc"
		start_sshd "$user" "PasswordAuthentication no"
		ok 0 "line $n: the PAM service line serves sshd"
		;;
	host)
		st=0
		eval "$cmd" >"$T/out" 2>&1 || st=$?
		case $cmd in
		*'PAM_JWT" jwks-sync'*) [ $st -eq 0 ] && grep -q "updated: 1 key" "$T/out" || st=1 ;;
		*systemctl*) [ $st -eq 0 ] && grep -q "unchanged: 1 key" "$T/out" || st=1 ;;
		esac
		ok $st "line $n (host): $(echo "$cmd" | cut -c1-60)"
		;;
	user)
		case $cmd in
		*login*)
			login_approved "$cmd"
			ok $? "line $n (user): pam-jwt login by device flow, approved in glewlwyd"
			tok=$(cat "$XDG_CACHE_HOME/pam-jwt/token")
			echo "# the ID token is ${#tok} bytes (RS256)"
			;;
		*ssh*)
			: >"$T/sshd.log"
			eval "$cmd" </dev/null >"$T/out" 2>&1
			logged_in "$user" $KIPAM
			ok $? "line $n (user): ssh logs in through sshd with the stored token"
			;;
		esac
		;;
	esac
done <"$T/readme.lines"
SSH_LINE=$(grep '^user .*ssh' "$T/readme.lines" | cut -d' ' -f2-)
LOGIN_LINE=$(grep '^user .*login' "$T/readme.lines" | cut -d' ' -f2-)
ssh_with() { # TOKEN
	printf '%s\n' "$1" >"$XDG_CACHE_HOME/pam-jwt/token"
	: >"$T/sshd.log"
	eval "$SSH_LINE" </dev/null >"$T/out" 2>&1
}
ssh_with "$(mint --sub "$user")"
refused "$user" $KIPAM
ok $? "sshd: a token not from the provider is refused"

# Rotation: glewlwyd gets a new key; sync with a short grace period.
old_tok=$tok
idp_rotate RS256
login_approved "$LOGIN_LINE"
new_tok=$(cat "$XDG_CACHE_HOME/pam-jwt/token")
ssh_with "$new_tok"
refused "$user" $KIPAM
ok $? "rotation: before the sync, the new key's token is refused"
"$PAM_JWT" jwks-sync --cacert "$IDP_CA" --issuer "$IDP_ISS" --out "$T/pam_jwt-idp.jwks" --grace 3 >"$T/out" 2>&1
ok $? "rotation: the sync takes the new key and keeps the old one for 3 s"
ssh_with "$new_tok"
logged_in "$user" $KIPAM
ok $? "rotation: after the sync, the new key's token logs in"
ssh_with "$old_tok"
logged_in "$user" $KIPAM
ok $? "rotation: within the grace period, the old key's token still logs in"
sleep 3
"$PAM_JWT" jwks-sync --cacert "$IDP_CA" --issuer "$IDP_ISS" --out "$T/pam_jwt-idp.jwks" --grace 3 >"$T/out" 2>&1 &&
	grep -q "1 dropped" "$T/out"
ok $? "rotation: the sync after the grace period drops the old key"
ssh_with "$old_tok"
refused "$user" $KIPAM
ok $? "rotation: after the grace period, the old key's token is refused"
ssh_with "$new_tok"
logged_in "$user" $KIPAM
ok $? "rotation: the new key's token still logs in"

# Groups from the provider through sshd (groups=): glewlwyd writes them as an
# array in the ID token and as one comma-joined string in the access token.
# The service file is rewritten between logins: sshd's child reads it anew.
pam_line() { # AUDIENCE ARGS: the PAM line above, its audience= replaced, ARGS added
	aud=$1
	shift
	{ grep '^pam ' "$T/readme.lines" | cut -d' ' -f2- | sed "s| audience=pam-cli| $aud $*|"
	  echo "@include common-account"; echo "@include common-session"; } >"/etc/pam.d/$svc"
}
pam_line audience=pam-cli groups=pam-users
ssh_with "$new_tok"
logged_in "$user" $KIPAM
ok $? "groups=pam-users: the ID token (groups an array) logs in through sshd"
pam_line audience=pam-cli groups=admins
ssh_with "$new_tok"
refused "$user" $KIPAM
ok $? "groups=admins: the same ID token is refused"
login_approved "$LOGIN_LINE --token access"
ok $? "pam-jwt login --token access: an access token"
access_tok=$(cat "$XDG_CACHE_HOME/pam-jwt/token")
printf '%s\n' "$access_tok" | "$PAM_JWT" decode --json >"$T/claims.json"
jq -e '.claims.groups == "wheel,pam-users"' "$T/claims.json" >/dev/null
ok $? "the access token carries its groups as one comma-joined string"
# glewlwyd's access token has the granted scope string as its aud.
access_aud=$(jq -r '.claims.aud' "$T/claims.json")
pam_line "[audience=$access_aud]" groups=wheel
ssh_with "$access_tok"
logged_in "$user" $KIPAM
ok $? "groups=wheel: the access token (groups \"wheel,pam-users\") logs in through sshd"
pam_line "[audience=$access_aud]" groups=whe
ssh_with "$access_tok"
refused "$user" $KIPAM
ok $? "groups=whe: the access token is refused (a group never matches by its prefix)"
echo "# the whole file took $(echo "$(date +%s.%N) - $t0" | bc) s"
done_testing
