# tests/cli: every subcommand of pam-jwt through the real binary, its
# verdicts against the module's, and Wycheproof's JWS vectors.
CLI_TESTS = \
	tests/cli/cli.sh \
	tests/cli/cli_agree.sh \
	tests/cli/cli_agree_authz.sh \
	tests/cli/cli_askpass_dpop.sh \
	tests/cli/cli_check.sh \
	tests/cli/cli_pk.sh \
	tests/cli/cli_pop.sh \
	tests/cli/cli_sessions.sh \
	tests/cli/cli_sessions_redis.sh \
	tests/cli/cli_proof.sh \
	tests/cli/cli_wycheproof.py
TESTS += $(CLI_TESTS)
dist_check_SCRIPTS += $(CLI_TESTS)
