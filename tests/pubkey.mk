# Tests of public-key signatures and JWK Sets.
check_PROGRAMS += tests/test_wycheproof
tests_test_wycheproof_SOURCES = tests/test_wycheproof.c tests/vectors.c tests/vectors.h tests/tap.h
tests_test_wycheproof_LDADD = libjwtcore.la $(JSONC_LIBS)
TESTS += tests/test_wycheproof
EXTRA_DIST += tests/vectors/wycheproof/LICENSE \
	tests/vectors/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json \
	tests/vectors/wycheproof/ecdsa_secp384r1_sha384_p1363_test.json \
	tests/vectors/wycheproof/ecdsa_secp521r1_sha512_p1363_test.json \
	tests/vectors/wycheproof/ed25519_test.json \
	tests/vectors/wycheproof/json_web_signature_test.json \
	tests/vectors/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json \
	tests/vectors/wycheproof/rsa_signature_2048_sha256_test.json
check_PROGRAMS += tests/test_wycheproof_jws
tests_test_wycheproof_jws_SOURCES = tests/test_wycheproof_jws.c tests/vectors.c tests/vectors.h tests/tap.h
tests_test_wycheproof_jws_LDADD = libjwtcore.la $(JSONC_LIBS)
TESTS += tests/test_wycheproof_jws
check_PROGRAMS += tests/test_pubkey
tests_test_pubkey_LDADD = tests/libtestlib.la libjwtcore.la
TESTS += tests/test_pubkey
TESTS += tests/pubkey.sh
dist_check_SCRIPTS += tests/pubkey.sh tests/pk_mint.py
check_PROGRAMS += tests/test_sign
tests_test_sign_SOURCES = tests/test_sign.c tests/vectors.c tests/vectors.h tests/tap.h
tests_test_sign_LDADD = libjwtcore.la $(JSONC_LIBS) $(GCRYPT_LIBS)
TESTS += tests/test_sign
