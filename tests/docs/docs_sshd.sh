#!/bin/sh
# The README's ten-line deployment, then docs/sshd.md, run as written
# (tests/lib/docs_lib.sh) as root, through the real sshd and ssh on 127.0.0.1.
# The built module and pam-jwt stand for the installed ones (the examples'
# pam_jwt.so is the built module); each guide gets an sshd, a service name
# (sshd-pjt-XXXXXXXX-N, its program a symlink to /usr/sbin/sshd), files under
# $T and a port of its own; alice is a throwaway user with a home under $T.
# The guides' sshd reads the shipped sshd-jwt_config with the test's address,
# host key and PID file ahead of it (tests/lib/sshd.sh), as sshd-jwt_config.test
# beside the file the guide installs, which must be the shipped one. The user's ssh runs on a terminal (tests/lib/pty.exp) and
# pastes the token the guide minted; the sshd's own log says by which method
# it let the user in.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/real.sh"
. "$top_srcdir/tests/lib/sshd.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"
need expect ssh-keyscan

user=$RUN-a
add_user "$user"
DOC_HOME=$T/home
mkdir -p "$DOC_HOME" && chown "$user" "$DOC_HOME" && usermod -d "$DOC_HOME" "$user" ||
	bail "cannot give $user a home"
sshd_prepare

# guide_start N: the substitutions of run N; guide_end DOC after it.
guide_start() {
	n=$1
	svc=sshd-$RUN-$n
	etc=$T/etc$n
	mkdir -p "$etc/security" "$etc/ssh" "$T/sbin"
	chmod 755 "$etc" "$etc/security" "$etc/ssh" "$T/sbin"
	at_exit "rm -f /etc/pam.d/$svc"
	port=$(free_port)
	doc_sub_clear
	doc_tool
	doc_examples "s|pam_jwt\\.so|$PAM_JWT_MODULE|; s|/etc/security/|$etc/security/|g"
	sshd_test_config "$user" "$T/examples/sshd-jwt_config" >"$etc/ssh/sshd-jwt_config.test"
	# sshd logs to a file of the test's (-E), where a plain sshd logs to syslog.
	doc_sub "s|^\\(sudo /usr/local/sbin/sshd-jwt -f /etc/ssh/sshd-jwt_config\\)\$|\\1 -E $T/sshd$n.log|"
	doc_sub "s|\\(sshd-jwt\\( -t\\)\\{0,1\\} -f\\) /etc/ssh/sshd-jwt_config|\\1 $etc/ssh/sshd-jwt_config.test|"
	doc_sub "s|/etc/pam\\.d/sshd-jwt|/etc/pam.d/$svc|g"
	doc_sub "s|/usr/local/sbin/sshd-jwt|$T/sbin/$svc|g"
	doc_sub "s|/etc/ssh/sshd-jwt_config|$etc/ssh/sshd-jwt_config|g"
	doc_sub "s|\\(install -m 644 [^ ]*sshd-jwt_config\\) /etc/ssh/\$|\\1 $etc/ssh/|"
	doc_sub "s|/etc/security|$etc/security|g"
	doc_sub "s|alice|$user|g"
	doc_sub "s|host\\.example\\.com|127.0.0.1|g"
	doc_sub "s|-p 2222|-p $port|g"
	# README's "Try the tool", in the source tree, as the user.
	doc_sub "s|\\./pam-jwt|pam-jwt|g"
	doc_sub "s|\"\\\$(id -un)\"|$user|g"
	rm -f "$T/sshd.pid"
}
guide_end() {
	stop "$T/sshd.pid"
	cmp -s "$etc/ssh/sshd-jwt_config" "$top_srcdir/examples/sshd-jwt_config"
	ok $? "$1: the sshd configuration it installs is the shipped one"
}

# Before the user's blocks: the token the guide minted, handed to the user.
doc_before() { # N FILE
	! grep -q 'ssh -p' "$2" || : >"$T/sshd$n.log"
	if [ "$(cat "$DOC_DIR/$1.info")" = 'sh user' ] && [ -f "$T/docwork/$user.token" ]; then
		cp "$T/docwork/$user.token" "$DOC_HOME/" && chown "$user" "$DOC_HOME/$user.token"
	fi
}
# The user's interactive ssh: on a terminal, the token pasted at the prompt,
# then a command typed at the shell, and the session ended.
doc_exec() { # N FILE
	case $(cat "$2") in
	*'ssh -p'*'-o StrictHostKeyChecking=accept-new'*)
		token=$(cat "$T/token.last")
		DOC_USER_ENV="SECRET=$token INPUT=echo\${IFS}logged-in-as-\$(id\${IFS}-un);exit" \
			DOC_WRAP="expect -f $top_srcdir/tests/lib/pty.exp" doc_exec_default "$@"
		;;
	*) doc_exec_default "$@" ;;
	esac
}
doc_check() { # N FILE STATUS
	[ "$3" -eq 0 ] || return "$3"
	case $(cat "$2") in
	*'pam-jwt mint'*'--aud ssh --ttl 5m >'*) cp "$T/docwork/$user.token" "$T/token.last" ;;
	*'pam-jwt mint'*'--aud ssh --ttl 5m') tail -n 1 "$DOC_DIR/$1.out" >"$T/token.last" ;;
	esac
	case $(cat "$2") in
	*'pam-jwt check'*) doc_out "$1" '0 refused by the module' ;;
	*'pam-jwt verify'*) doc_out "$1" "✓ accepted for user $user" ;;
	*'ssh -p'*'accept-new'*)
		doc_out "$1" "logged-in-as-$user" && log_has "Accepted keyboard-interactive/pam for $user " "$T/sshd$n.log" ;;
	*'SSH_ASKPASS='*) log_has "Accepted keyboard-interactive/pam for $user " "$T/sshd$n.log" ;;
	*'ssh-keygen -lf'*) doc_out "$1" 'ED25519' ;;
	*) return 0 ;;
	esac
}

guide_start 1
doc_run README "$user"
guide_end README
guide_start 2
doc_run docs/sshd.md "$user"
guide_end docs/sshd.md
# docs/audit-and-troubleshooting.md: sshd -E FILE holds sshd's lines, not
# the module's, which go to syslog(3) whatever sshd does.
grep -q "Accepted keyboard-interactive/pam for $user " "$T/sshd2.log" && ! grep -q 'pam_jwt' "$T/sshd2.log"
ok $? "sshd -E FILE: sshd's verdict is in FILE, the module's audit line is not"
done_testing
