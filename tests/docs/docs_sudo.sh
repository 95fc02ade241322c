#!/bin/sh
# docs/sudo-su.md, then docs/uninstall.md, run as written (tests/lib/docs_lib.sh)
# as root, through the real sudo and su. The built module and pam-jwt stand
# for the installed ones; alice and bob are throwaway users (alice with a home
# under $T), the group tokenusers, sudo's service sudo-jwt and the drop-in
# /etc/sudoers.d/jwt get names of the run's own (pjt-XXXXXXXX...), removed at
# exit; /etc/pam.d/su is written under $T and bound over the real one only in
# a private mount namespace, for the user's su. The user's sudo and su run on
# a terminal (tests/lib/pty.exp) and paste the token the guide minted.
# Last, what uninstall.md says of a stack left behind: sudo answers "Module is
# unknown" once the module is gone.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"
need sudo visudo expect usermod groupadd groupdel
grep -q '^%sudo[[:space:]]' /etc/sudoers ||
	skip_all "/etc/sudoers does not let group sudo run commands (Debian's %sudo ALL=(ALL:ALL) ALL)"
can_bind_service su || skip_all "no private mount namespace for /etc/pam.d/su (unshare --mount)"

user=$RUN-a
bob=$RUN-b
group=$RUN-g
add_user "$user"
add_user "$bob"
at_exit "groupdel $group 2>/dev/null"
at_exit "rm -f /etc/pam.d/sudo-$RUN /etc/sudoers.d/$RUN"
at_exit "rm -rf /run/sudo/ts/$user /var/lib/sudo/lectured/$user"
DOC_HOME=$T/home
mkdir -p "$DOC_HOME" "$T/su" "$T/etc/security" && chown "$user" "$DOC_HOME" &&
	chmod 755 "$T/su" "$T/etc" "$T/etc/security" && usermod -d "$DOC_HOME" "$user" ||
	bail "cannot give $user a home"

doc_tool
doc_examples "s|pam_jwt\\.so|$PAM_JWT_MODULE|; s|/etc/security/|$T/etc/security/|g; s|tokenusers|$group|g; s|sudo-jwt|sudo-$RUN|g"
doc_sub "s|/etc/security|$T/etc/security|g"
doc_sub "s|tokenusers|$group|g"
doc_sub "s|/etc/pam\\.d/sudo-jwt|/etc/pam.d/sudo-$RUN|g"
doc_sub "s|/etc/sudoers\\.d/jwt|/etc/sudoers.d/$RUN|g"
doc_sub "s|/etc/pam\\.d/su\\.new|$T/su/su.new|g"
doc_sub "s|/etc/pam\\.d/su\$|$T/su/su|"
doc_sub "s|alice|$user|g"
doc_sub "s|\\bbob\\b|$bob|g"
# The key the guides' tokens are signed with.
"$top_builddir/pam-jwt" keygen --out "$T/etc/security/pam_jwt.key" >/dev/null || bail "no key"

# Before a user's block: the tokens the guide minted, handed to the user.
doc_before() { # N FILE
	[ "$(cat "$DOC_DIR/$1.info")" = 'sh user' ] || return 0
	for f in "$T/docwork/"*.token; do
		[ -f "$f" ] && cp "$f" "$DOC_HOME/" && chown "$user" "$DOC_HOME/$(basename "$f")"
	done
	return 0
}
# The user's sudo and su on a terminal, the token pasted at the prompt; su
# with the guide's /etc/pam.d/su, in a namespace of its own.
doc_exec() { # N FILE
	case $(cat "$2") in
	'sudo id')
		DOC_USER_ENV="SECRET=$(cat "$T/docwork/$user-sudo.token")" \
			DOC_WRAP="expect -f $top_srcdir/tests/lib/pty.exp" doc_exec_default "$@" ;;
	"su $bob")
		DOC_USER_ENV="SECRET=$(cat "$T/docwork/$bob-su.token") INPUT=echo\${IFS}logged-in-as-\$(id\${IFS}-un);exit" \
			DOC_WRAP="expect -f $top_srcdir/tests/lib/pty.exp" DOC_OUTER="with_service su $T/su/su" \
			doc_exec_default "$@" ;;
	*) doc_exec_default "$@" ;;
	esac
}
doc_check() { # N FILE STATUS
	case $(cat "$2") in
	*'grep -l'*'pam-jwt check') # other tests' service files may hold refused lines
		[ "$3" -le 1 ] && doc_out "$1" "^/etc/pam.d/sudo-$RUN\$" && doc_out "$1" "^/etc/sudoers.d/$RUN\$" &&
			doc_out "$1" "^/etc/pam.d/sudo-$RUN:[0-9]+: auth" ;;
	*) [ "$3" -eq 0 ] || return "$3"
		case $(cat "$2") in
		*'sudo -l -U'*) doc_out "$1" "User $user may run the following commands" ;;
		*'pam-jwt check'*) doc_out "$1" '0 refused by the module' ;;
		'sudo id' | *'sudo -A id') doc_out "$1" 'uid=0\(root\)' ;;
		"su $bob") doc_out "$1" "logged-in-as-$bob" ;;
		esac ;;
	esac
}

doc_run docs/sudo-su.md "$user"
doc_run docs/uninstall.md "$user"

# A service file left behind when the module is gone: sudo says "Module is
# unknown" (docs/uninstall.md), and runs nothing.
sed -i "s|$PAM_JWT_MODULE|$T/gone/pam_jwt.so|" "/etc/pam.d/sudo-$RUN"
(cd / && setpriv --reuid="$user" --regid="$user" --init-groups env -i HOME="$DOC_HOME" PATH=/usr/bin:/bin \
	SUDO_ASKPASS="$T/userbin/pam-jwt-askpass" sudo -A id) >"$T/out" 2>&1
grep -q 'sudo: PAM authentication error: Module is unknown' "$T/out" && ! grep -q 'uid=0' "$T/out"
ok $? "a sudo stack naming a module that is gone: \"PAM authentication error: Module is unknown\", nothing run"
done_testing
