# tests/module: the module itself, through libpam's pam_start_confdir() (the C
# programs), through the real pamtester with pam_wrapper (the shell tests),
# and with failing allocations, I/O and NSS (faultshim).
MODULE_C_TESTS = \
	tests/module/test_module \
	tests/module/test_parts_module \
	tests/module/test_faults \
	tests/module/test_threads \
	tests/module/test_user_nss \
	tests/module/test_heap_wipe \
	tests/module/test_point_faults \
	tests/module/test_replay_pam \
	tests/module/test_robust \
	tests/module/test_session_pam
MODULE_SH_TESTS = \
	tests/module/module.sh \
	tests/module/examples.sh \
	tests/module/pubkey.sh \
	tests/module/audit.sh \
	tests/module/authtok.sh \
	tests/module/parts.sh \
	tests/module/points.sh \
	tests/module/authz.sh \
	tests/module/revoke.sh \
	tests/module/redis.sh \
	tests/module/sentinel.sh \
	tests/module/redis_deadline.sh \
	tests/module/lengths.sh \
	tests/module/pop.sh \
	tests/module/fresh.sh
check_PROGRAMS += $(MODULE_C_TESTS)
TESTS += $(MODULE_C_TESTS) $(MODULE_SH_TESTS)
dist_check_SCRIPTS += $(MODULE_SH_TESTS)
tests_module_test_module_SOURCES = tests/module/test_module.c $(PAMTEST_SOURCES)
tests_module_test_module_LDADD = tests/lib/libtestlib.la $(PAM_LIBS)
tests_module_test_parts_module_SOURCES = tests/module/test_parts_module.c $(PAMTEST_SOURCES)
tests_module_test_parts_module_LDADD = tests/lib/libtestlib.la $(PAM_LIBS)
# Out of memory and failing I/O through the real module (faultshim, preloaded).
tests_module_test_faults_SOURCES = tests/module/test_faults.c $(PAMTEST_SOURCES) \
	tests/lib/faultshim.h
tests_module_test_faults_CPPFLAGS = $(FAULTSHIM_CPPFLAGS)
tests_module_test_faults_LDADD = tests/lib/libtestlib.la libjwtcore.la $(PAM_LIBS) -ldl
# libgcrypt's first use from 8 threads at once, in cold processes (jwt_crypto_init).
tests_module_test_threads_SOURCES = tests/module/test_threads.c $(PAMTEST_SOURCES)
tests_module_test_threads_LDADD = tests/lib/libtestlib.la libjwtcore.la $(PAM_LIBS) -lpthread
# The account NSS returns must carry the name asked for (faultshim swaps it).
tests_module_test_user_nss_SOURCES = tests/module/test_user_nss.c $(PAMTEST_SOURCES) \
	tests/lib/faultshim.h
tests_module_test_user_nss_CPPFLAGS = $(FAULTSHIM_CPPFLAGS)
tests_module_test_user_nss_LDADD = tests/lib/libtestlib.la libjwtcore.la $(PAM_LIBS) -ldl
# No secret of a key set left in the heap after pam_end.
tests_module_test_heap_wipe_SOURCES = tests/module/test_heap_wipe.c $(PAMTEST_SOURCES)
tests_module_test_heap_wipe_LDADD = tests/lib/libtestlib.la $(PAM_LIBS)
# libgcrypt out of memory while a key's point is checked: JWT_E_NOMEM, never "not on the curve".
tests_module_test_point_faults_SOURCES = tests/module/test_point_faults.c $(PAMTEST_SOURCES)
tests_module_test_point_faults_LDADD = tests/lib/libtestlib.la libjwtcore.la $(GCRYPT_LIBS) \
	$(PAM_LIBS)
# One-time tokens through the module.
tests_module_test_replay_pam_SOURCES = tests/module/test_replay_pam.c $(PAMTEST_SOURCES)
tests_module_test_replay_pam_LDADD = tests/lib/libtestlib.la $(PAM_LIBS)
# Hostile and changing input: sizes, mutated tokens, sshd's junk password, swapped key files.
tests_module_test_robust_SOURCES = tests/module/test_robust.c $(PAMTEST_SOURCES)
tests_module_test_robust_LDADD = tests/lib/libtestlib.la $(PAM_LIBS)
# Sessions bound to their token: open/close_session after a token, a password, a refusal.
tests_module_test_session_pam_SOURCES = tests/module/test_session_pam.c $(PAMTEST_SOURCES)
tests_module_test_session_pam_LDADD = tests/lib/libtestlib.la libjwtcore.la $(PAM_LIBS) -ldl
