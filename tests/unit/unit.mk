# tests/unit: the token core alone (libjwtcore), with a fixed clock; no PAM.
UNIT_TESTS = \
	tests/unit/test_core \
	tests/unit/test_text \
	tests/unit/test_hmac \
	tests/unit/test_wycheproof \
	tests/unit/test_wycheproof_jws \
	tests/unit/test_pubkey \
	tests/unit/test_sign \
	tests/unit/test_parts \
	tests/unit/test_authz \
	tests/unit/test_replay \
	tests/unit/test_pitfalls \
	tests/unit/test_pop \
	tests/unit/test_session \
	tests/unit/test_session_end
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
tests_unit_test_core_LDADD = tests/lib/libtestlib.la libjwtcore.la
tests_unit_test_text_LDADD = libjwtcore.la
tests_unit_test_hmac_LDADD = libjwtcore.la $(GCRYPT_LIBS)
# Public-key signatures and JWK Sets, Wycheproof's vectors among them.
tests_unit_test_wycheproof_SOURCES = tests/unit/test_wycheproof.c $(VECTORS_SOURCES)
tests_unit_test_wycheproof_LDADD = libjwtcore.la $(JSONC_LIBS)
tests_unit_test_wycheproof_jws_SOURCES = tests/unit/test_wycheproof_jws.c $(VECTORS_SOURCES)
tests_unit_test_wycheproof_jws_LDADD = libjwtcore.la $(JSONC_LIBS)
tests_unit_test_pubkey_LDADD = tests/lib/libtestlib.la libjwtcore.la
tests_unit_test_sign_SOURCES = tests/unit/test_sign.c $(VECTORS_SOURCES)
tests_unit_test_sign_LDADD = libjwtcore.la $(JSONC_LIBS) $(GCRYPT_LIBS)
# Tokens answered in parts: the joining rules, the layout, the prompts.
tests_unit_test_parts_LDADD = libjwtcore.la
# Who may log in as whom: require_claim=, groups=, allow_root, issuer/audience
# lists, key sets bound to an issuer, policy_file=, identity transforms.
tests_unit_test_authz_LDADD = tests/lib/libtestlib.la libjwtcore.la
# One-time tokens and revocation.
tests_unit_test_replay_LDADD = tests/lib/libtestlib.la libjwtcore.la $(JSONC_LIBS)
# Known pitfalls of libgcrypt, json-c and the JWS specifications, each held.
tests_unit_test_pitfalls_LDADD = tests/lib/libtestlib.la libjwtcore.la $(GCRYPT_LIBS)
# Proof of possession: thumbprints, cnf, DPoP proofs, pop=required.
tests_unit_test_pop_LDADD = tests/lib/libtestlib.la libjwtcore.la $(JSONC_LIBS) $(GCRYPT_LIBS)
# Sessions bound to their token: records, the registry's checks, process identities.
tests_unit_test_session_LDADD = tests/lib/libtestlib.la libjwtcore.la $(JSONC_LIBS)
# The ending of a session (src/cli/session_end.c): logind, SIGHUP, SIGTERM, SIGKILL
# after the grace, never a reused pid; the warning written only to a terminal.
tests_unit_test_session_end_SOURCES = tests/unit/test_session_end.c \
	src/cli/session_end.c src/cli/session_end.h
tests_unit_test_session_end_LDADD = libjwtcore.la
