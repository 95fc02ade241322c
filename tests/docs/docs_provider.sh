#!/bin/sh
# docs/provider.md, run as written (tests/lib/docs_lib.sh), as root, against a
# real glewlwyd on 127.0.0.1 (tests/lib/idp.sh, started bare: Debian's schema and
# its admin, no plugin, client or user until the guide's calls make them),
# through the real sshd and sudo. The built module and pam-jwt stand for the
# installed ones (the pam-jwt the guide calls adds --cacert with the test CA,
# and curl takes it from CURL_CA_BUNDLE); alice is a throwaway user, with a
# home under $T, and the glewlwyd user the guide adds under the same name;
# the guide's sshd-jwt, sudo-jwt, tokenusers and /etc/sudoers.d/jwt get names
# of the run's own, removed at exit. The device codes are polled every
# second, not five, and expire after a minute, not ten. Each `pam-jwt login` is approved in glewlwyd the way a
# browser does it (idp_approve) once it shows its code. Beside each block's
# status: sshd's own log says the token let alice in, sudo ran id as root, the
# cron line's command syncs, and sudo refuses the ssh token once sudo has an
# audience of its own.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"
user=$RUN-a
IDP_USER=$user
. "$top_srcdir/tests/lib/idp.sh"
# A password without the user's name in it (the guide's "alice" is replaced).
IDP_PASSWORD=pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
need sudo visudo usermod groupadd groupdel
grep -q '^%sudo[[:space:]]' /etc/sudoers ||
	skip_all "/etc/sudoers does not let group sudo run commands (Debian's %sudo ALL=(ALL:ALL) ALL)"
t0=$(date +%s.%N)

group=$RUN-g
svc=sshd-$RUN
add_user "$user"
at_exit "groupdel $group 2>/dev/null"
at_exit "rm -f /etc/pam.d/$svc /etc/pam.d/sudo-$RUN /etc/sudoers.d/$RUN"
at_exit "rm -rf /run/sudo/ts/$user /var/lib/sudo/lectured/$user"
DOC_HOME=$T/home
mkdir -p "$DOC_HOME" "$T/etc/security" "$T/etc/ssh" "$T/sbin" "$T/cron.d" &&
	chown "$user" "$DOC_HOME" && usermod -d "$DOC_HOME" "$user" &&
	chmod 755 "$T/etc" "$T/etc/security" "$T/etc/ssh" "$T/sbin" ||
	bail "cannot make the test's directories"

idp_serve
chmod 755 "$IDP_DIR" && chmod 644 "$IDP_CA"
export CURL_CA_BUNDLE="$IDP_CA"
IDP_CLIENT=pam-cli
IDP_SCOPE=openid

sshd_prepare
port=$(free_port)
doc_tool "$IDP_CA"
doc_examples "s|pam_jwt\\.so|$PAM_JWT_MODULE|; s|tokenusers|$group|g; s|sudo-jwt|sudo-$RUN|g"
sshd_test_config "$user" "$T/examples/sshd-jwt_config" >"$T/sshd_config.test"
doc_sub "s|https://idp\\.example\\.com|$IDP_BASE|g"
doc_sub "s|ADMIN-PASSWORD|password|"
doc_sub "s|ALICE-PASSWORD|$IDP_PASSWORD|"
doc_sub 's|"device-authorization-interval": 5|"device-authorization-interval": 1|'
doc_sub 's|"device-authorization-expiration": 600|"device-authorization-expiration": 60|'
doc_sub "s|pam_jwt\\.so|$PAM_JWT_MODULE|g"
doc_sub "s|/etc/security|$T/etc/security|g"
doc_sub "s|/etc/cron\\.d|$T/cron.d|g"
doc_sub "s|/usr/bin/pam-jwt |$T/docbin/pam-jwt |g"
doc_sub "s|^\\(sudo /usr/local/sbin/sshd-jwt -f /etc/ssh/sshd-jwt_config\\)\$|\\1 -E $T/sshd.log|"
doc_sub "s|\\(sshd-jwt\\( -t\\)\\{0,1\\} -f\\) /etc/ssh/sshd-jwt_config|\\1 $T/sshd_config.test|"
doc_sub "s|/etc/pam\\.d/sshd-jwt|/etc/pam.d/$svc|g"
doc_sub "s|/usr/local/sbin/sshd-jwt|$T/sbin/$svc|g"
doc_sub "s|/etc/ssh/sshd-jwt_config|$T/etc/ssh/sshd-jwt_config|g"
doc_sub "s|/etc/pam\\.d/sudo-jwt|/etc/pam.d/sudo-$RUN|g"
doc_sub "s|/etc/sudoers\\.d/jwt|/etc/sudoers.d/$RUN|g"
doc_sub "s|tokenusers|$group|g"
doc_sub "s|alice|$user|g"
doc_sub "s|host\\.example\\.com|127.0.0.1|g"
doc_sub "s|-p 2222|-p $port|g"

# A user's `pam-jwt login`: in the background, approved in glewlwyd as
# soon as it shows its code (as the client the block names).
doc_exec() { # N FILE
	case $(cat "$2") in
	*'pam-jwt login --'*)
		doc_exec_default "$@" &
		lp=$!
		client=pam-cli
		! grep -q 'client-id pam-sudo' "$2" || client=pam-sudo
		for i in $(seq 1 200); do
			grep -q "enter the code" "$DOC_DIR/$1.out" 2>/dev/null && break
			kill -0 "$lp" 2>/dev/null || break
			sleep 0.05
		done
		code=$(sed -n 's/^and enter the code //p' "$DOC_DIR/$1.out" | tail -n 1)
		[ -z "$code" ] || IDP_CLIENT=$client idp_approve "$code"
		wait "$lp"
		;;
	*) doc_exec_default "$@" ;;
	esac
}
doc_before() { # N FILE
	! grep -q 'ssh -p' "$2" || : >"$T/sshd.log"
}
doc_check() { # N FILE STATUS
	[ "$3" -eq 0 ] || return "$3"
	case $(cat "$2") in
	*'--refresh ||'*) doc_out "$1" 'no new ID token' && doc_out "$1" '^Token stored in ' ;;
	*'pam-jwt login --'*'sudo -A id') doc_out "$1" '^Token stored in ' && doc_out "$1" 'uid=0\(root\)' ;;
	*'pam-jwt login --'*) doc_out "$1" '^Token stored in ' ;;
	*'ssh -p'*) log_has "Accepted keyboard-interactive/pam for $user " "$T/sshd.log" ;;
	*'sudo pam-jwt jwks-sync'*) doc_out "$1" 'updated: 1 key \(1 new' ;;
	*'.well-known/openid-configuration'*) doc_out "$1" "^$IDP_ISS/device_authorization\$" ;;
	*'pam-jwt check'*) doc_out "$1" '0 refused by the module' ;;
	*) return 0 ;;
	esac
}

doc_run docs/provider.md "$user"

# What the guide says of its tokens: the ID token, the client as audience,
# the user name as preferred_username, an hour's life.
"$top_builddir/pam-jwt" decode --json <"$DOC_HOME/.cache/pam-jwt/token" |
	jq -e --arg u "$user" '.claims.aud == "pam-cli" and .claims.preferred_username == $u and
		(.claims.exp - .claims.iat) <= 3600 and (.claims.sub != $u)' >/dev/null
ok $? "the ID token: aud pam-cli, preferred_username the user (sub is glewlwyd's own), at most an hour"
echo "# the ID token is $(wc -c <"$DOC_HOME/.cache/pam-jwt/token") bytes (ES256, with its newline)"

# The cron line's command, as cron would run it (as root).
cmd=$(sed -n 's/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* root //p' "$T/cron.d/pam-jwt-jwks-sync")
sh -c "$cmd" >"$T/out" 2>&1 && grep -q "unchanged: 1 key" "$T/out"
ok $? "the cron line's command syncs the key set (unchanged: 1 key)"

# With sudo's own audience (pam-sudo), the ssh token (aud pam-cli) is refused.
sudo_with() { # TOKEN-FILE
	(cd / && setpriv --reuid="$user" --regid="$user" --init-groups env -i HOME="$DOC_HOME" PATH=/usr/bin:/bin \
		PAM_JWT_TOKEN_FILE="$1" SUDO_ASKPASS="$T/userbin/pam-jwt-askpass" sudo -A id) >"$T/out" 2>&1
}
sudo_with "$DOC_HOME/.cache/pam-jwt/token"
[ $? -ne 0 ] && ! grep -q 'uid=0' "$T/out"
ok $? "sudo with audience=pam-sudo refuses the ssh token (aud pam-cli)"
sudo_with "$DOC_HOME/.cache/sudo-token/pam-jwt/token" && grep -q 'uid=0(root)' "$T/out"
ok $? "control: sudo takes the token of client pam-sudo"
echo "# the whole file took $(echo "$(date +%s.%N) - $t0" | bc) s"
done_testing
