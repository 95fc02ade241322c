# make check-valgrind: every C test (tests/unit, tests/module), and the
# pamtester runs of the shell tests that drive the module through its paths
# (through PAM_JWT_TEST_WRAPPER, see tests/lib/lib.sh), under memcheck. Any
# error or definite leak fails the test (exit code 99, a hard error for
# automake). Left out: the real-login, OpenID Connect, Sentinel, packaging and
# static tests, whose logins go through sshd, sudo or su (never wrapped) or
# repeat what the files below already run.
VALGRIND = valgrind
VALGRIND_FLAGS = --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
VALGRIND_SHELL_TESTS = \
	tests/module/module.sh \
	tests/module/examples.sh \
	tests/module/pubkey.sh \
	tests/module/audit.sh \
	tests/module/parts.sh \
	tests/module/authz.sh \
	tests/module/points.sh \
	tests/module/lengths.sh \
	tests/module/revoke.sh \
	tests/module/redis.sh \
	tests/module/redis_deadline.sh \
	tests/module/pop.sh \
	tests/cli/cli_agree_authz.sh
check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check \
		TESTS="$(UNIT_TESTS) $(MODULE_C_TESTS) $(VALGRIND_SHELL_TESTS)" \
		TEST_SUITE_LOG=test-suite-valgrind.log \
		LOG_COMPILER='$(VALGRIND) $(VALGRIND_FLAGS)' \
		PAM_JWT_TEST_WRAPPER='$(VALGRIND) $(VALGRIND_FLAGS)'
.PHONY: check-valgrind
EXTRA_DIST += SECURITY.md .clang-tidy src/cli/.clang-tidy
