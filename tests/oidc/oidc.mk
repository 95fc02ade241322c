# tests/oidc: pam-jwt jwks-sync and login against an OpenID Connect provider,
# glewlwyd (tests/lib/idp.sh) and a misbehaving fake (tests/lib/fake_idp.py),
# and the login through sshd with its tokens.
OIDC_TESTS = \
	tests/oidc/oidc_dpop.sh \
	tests/oidc/oidc_dpop_real.sh \
	tests/oidc/oidc_sync.sh \
	tests/oidc/oidc_login.sh \
	tests/oidc/oidc_fresh.sh \
	tests/oidc/oidc_sshd.sh
TESTS += $(OIDC_TESTS)
dist_check_SCRIPTS += $(OIDC_TESTS)
# oidc_dpop_real.sh reads the module's log through syslog_capture too: last in
# the chain of tests/real/real.mk, never beside another test that captures.
tests/oidc/oidc_dpop_real.log: tests/real/real_sessions_login.log
