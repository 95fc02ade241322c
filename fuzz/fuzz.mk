# libFuzzer harnesses, one per parser, built by ./configure --enable-fuzzing
# CC=clang (the whole build is then instrumented; see configure.ac).
# fuzz/run.sh makes such a build of its own, apart from the gcc build, and
# runs each harness on its seeds (fuzz/corpus/NAME) with fuzz/jwt.dict:
#   make fuzz                    60 s per harness
#   make fuzz FUZZ_SECONDS=600   longer
FUZZERS = \
	fuzz/fuzz_token \
	fuzz/fuzz_claims \
	fuzz/fuzz_verify \
	fuzz/fuzz_jwks \
	fuzz/fuzz_config \
	fuzz/fuzz_usermap \
	fuzz/fuzz_policy \
	fuzz/fuzz_revoke \
	fuzz/fuzz_proof \
	fuzz/fuzz_session
if ENABLE_FUZZING
noinst_PROGRAMS = $(FUZZERS)
endif
FUZZ_LDADD = libjwtcore.la $(GCRYPT_LIBS) $(JSONC_LIBS) $(HIREDIS_LIBS) -lm -lpthread
fuzz_fuzz_token_SOURCES = fuzz/fuzz_token.c fuzz/fuzz.h
fuzz_fuzz_token_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_token_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_claims_SOURCES = fuzz/fuzz_claims.c fuzz/fuzz.h
fuzz_fuzz_claims_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_claims_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_verify_SOURCES = fuzz/fuzz_verify.c fuzz/fuzz.h
fuzz_fuzz_verify_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_verify_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_jwks_SOURCES = fuzz/fuzz_jwks.c fuzz/fuzz.h
fuzz_fuzz_jwks_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_jwks_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_config_SOURCES = fuzz/fuzz_config.c fuzz/fuzz.h
fuzz_fuzz_config_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_config_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_usermap_SOURCES = fuzz/fuzz_usermap.c fuzz/fuzz.h
fuzz_fuzz_usermap_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_usermap_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_policy_SOURCES = fuzz/fuzz_policy.c fuzz/fuzz.h
fuzz_fuzz_policy_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_policy_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_revoke_SOURCES = fuzz/fuzz_revoke.c fuzz/fuzz.h
fuzz_fuzz_revoke_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_revoke_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_proof_SOURCES = fuzz/fuzz_proof.c fuzz/fuzz.h
fuzz_fuzz_proof_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_proof_LDFLAGS = $(FUZZ_LDFLAGS)
FUZZ_SECONDS = 60
fuzz:
	$(SHELL) $(srcdir)/fuzz/run.sh $(FUZZ_SECONDS)
.PHONY: fuzz
EXTRA_DIST += fuzz/run.sh fuzz/jwt.dict fuzz/corpus
fuzz_fuzz_session_SOURCES = fuzz/fuzz_session.c fuzz/fuzz.h
fuzz_fuzz_session_LDADD = $(FUZZ_LDADD)
fuzz_fuzz_session_LDFLAGS = $(FUZZ_LDFLAGS)
