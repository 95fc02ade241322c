# Hardening: robustness and pitfall tests, make check-valgrind, SECURITY.md.
tests_test_module_SOURCES = tests/test_module.c tests/pamtest.c tests/pamtest.h
check_PROGRAMS += tests/test_pitfalls tests/test_robust
tests_test_pitfalls_LDADD = tests/libtestlib.la libjwtcore.la $(GCRYPT_LIBS)
tests_test_robust_SOURCES = tests/test_robust.c tests/pamtest.c tests/pamtest.h
tests_test_robust_LDADD = tests/libtestlib.la $(PAM_LIBS)
TESTS += tests/test_pitfalls tests/test_robust tests/symbols.sh
dist_check_SCRIPTS += tests/symbols.sh

# make check-valgrind: every C test, and the pamtester runs of the shell tests
# that drive the module through its paths (through PAM_JWT_TEST_WRAPPER, see
# tests/lib.sh), under memcheck. Any error or definite leak fails the test
# (exit code 99, a hard error for automake). Left out: the real-login, OpenID
# Connect, Sentinel, packaging and static tests, whose logins go through sshd,
# sudo or su (never wrapped) or repeat what the files below already run.
VALGRIND = valgrind
VALGRIND_FLAGS = --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
VALGRIND_SHELL_TESTS = tests/module.sh tests/examples.sh tests/pubkey.sh tests/audit.sh \
	tests/parts.sh tests/authz.sh tests/points.sh tests/lengths.sh tests/revoke.sh \
	tests/redis.sh tests/redis_deadline.sh tests/cli_agree_authz.sh
check-valgrind:
	c_tests=`for t in $(TESTS); do case $$t in tests/test_*) echo $$t ;; esac; done`; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="`echo $$c_tests` $(VALGRIND_SHELL_TESTS)" \
		TEST_SUITE_LOG=test-suite-valgrind.log \
		LOG_COMPILER='$(VALGRIND) $(VALGRIND_FLAGS)' \
		PAM_JWT_TEST_WRAPPER='$(VALGRIND) $(VALGRIND_FLAGS)'
.PHONY: check-valgrind
EXTRA_DIST += SECURITY.md .clang-tidy
