# pam-jwt, the command-line tool: built on the same token core as the module.
bin_PROGRAMS = pam-jwt
pam_jwt_SOURCES = \
	src/cli/cli.h src/cli/main.c \
	src/cli/keygen.c src/cli/keygen_pk.c src/cli/keygen_pk.h \
	src/cli/install.c src/cli/install.h \
	src/cli/mint.c src/cli/verify.c src/cli/decode.c \
	src/cli/view.c src/cli/view.h \
	src/cli/output.c src/cli/output.h \
	src/cli/input.c src/cli/input.h \
	src/cli/duration.c src/cli/duration.h \
	src/cli/revoke.c
pam_jwt_LDADD = libjwtcore.la $(GCRYPT_LIBS) $(JSONC_LIBS) -lm
dist_man1_MANS = man/pam-jwt.1

# Tests: every subcommand through the real binary, its verdicts against the
# module's, and Wycheproof's JWS vectors (copied with their licence).
TESTS += tests/cli.sh tests/cli_agree.sh tests/cli_wycheproof.py tests/cli_pk.sh
TEST_EXTENSIONS += .py
PY_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_COMPILER = $(PYTHON3)
dist_check_SCRIPTS += tests/cli.sh tests/cli_agree.sh tests/cli_wycheproof.py \
	tests/cli_pk.sh tests/cli_pk_check.py
EXTRA_DIST += tests/vectors/wycheproof/LICENSE \
	tests/vectors/wycheproof/json_web_signature_test.json
