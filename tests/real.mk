# Token lengths through pamtester, and real logins as root (sshd, sudo, su,
# login) with the pam.d examples: skipped when not root.
TESTS += tests/lengths.sh
dist_check_SCRIPTS += tests/lengths.sh
