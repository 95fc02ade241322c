# Token lengths through pamtester, and real logins as root (sshd, sudo, su,
# login) with the pam.d examples: skipped when not root.
TESTS += tests/lengths.sh
dist_check_SCRIPTS += tests/lengths.sh
TESTS += tests/real_su.sh
dist_check_SCRIPTS += tests/real_su.sh
dist_check_DATA += tests/real.sh tests/sshd.sh tests/pty.exp
TESTS += tests/real_sudo.sh
dist_check_SCRIPTS += tests/real_sudo.sh
TESTS += tests/real_sshd.sh
dist_check_SCRIPTS += tests/real_sshd.sh tests/sshlogin.py
# Both read the module's log through syslog_capture (tests/real.sh). Without a
# syslog daemon the first binds /dev/log and removes it at exit, which detaches
# the other's bind mount of its own listener there: never at the same time.
tests/real_sshd.log: tests/real_sudo.log
# Long provider tokens in parts: ssh (askpass and a terminal), sudo and su.
TESTS += tests/real_sshd_parts.sh
dist_check_SCRIPTS += tests/real_sshd_parts.sh
TESTS += tests/real_sudo_su_parts.sh
dist_check_SCRIPTS += tests/real_sudo_su_parts.sh
