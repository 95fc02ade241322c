# libFuzzer harnesses: built by clang in build/fuzz, apart from the gcc build.
#   make fuzz                    60 s per harness
#   make fuzz FUZZ_SECONDS=600   longer
FUZZ_SECONDS = 60
fuzz:
	$(SHELL) $(srcdir)/fuzz/run.sh $(FUZZ_SECONDS)
.PHONY: fuzz
EXTRA_DIST += fuzz/run.sh fuzz/fuzz.h fuzz/fuzz_token.c fuzz/fuzz_claims.c \
	fuzz/fuzz_verify.c fuzz/fuzz_jwks.c fuzz/fuzz_config.c fuzz/fuzz_usermap.c \
	fuzz/fuzz_policy.c fuzz/fuzz_revoke.c fuzz/jwt.dict fuzz/corpus
