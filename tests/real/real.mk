# tests/real: real logins as root (sshd, sudo, su, login) with the pam.d examples,
# long provider tokens in parts, and pam-auth-update's own menu; each skips
# when not root.
REAL_TESTS = \
	tests/real/real_su.sh \
	tests/real/real_sudo.sh \
	tests/real/real_sshd.sh \
	tests/real/real_sshd_parts.sh \
	tests/real/real_sudo_su_parts.sh \
	tests/real/pam_auth_update.sh \
	tests/real/real_sessions_sshd.sh \
	tests/real/real_sessions_sudo_su.sh \
	tests/real/real_sessions_login.sh
TESTS += $(REAL_TESTS)
dist_check_SCRIPTS += $(REAL_TESTS)
# Both (and tests/oidc/oidc_dpop_real.sh, ordered after them in tests/oidc/oidc.mk)
# read the module's log through syslog_capture (tests/lib/real.sh). Without a
# syslog daemon the first binds /dev/log and removes it at exit, which detaches
# the other's bind mount of its own listener there: never at the same time.
tests/real/real_sshd.log: tests/real/real_sudo.log
# The session tests capture syslog too: after the others, one at a time.
tests/real/real_sessions_sshd.log: tests/real/real_sshd.log
tests/real/real_sessions_sudo_su.log: tests/real/real_sessions_sshd.log
tests/real/real_sessions_login.log: tests/real/real_sessions_sudo_su.log
