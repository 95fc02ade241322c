# pam-jwt, the command-line tool: built on the same token core as the module.
bin_PROGRAMS = pam-jwt
pam_jwt_SOURCES = \
	src/cli/cli.h src/cli/main.c \
	src/cli/keygen.c src/cli/mint.c src/cli/verify.c src/cli/decode.c \
	src/cli/view.c src/cli/view.h \
	src/cli/output.c src/cli/output.h \
	src/cli/input.c src/cli/input.h \
	src/cli/duration.c src/cli/duration.h
pam_jwt_LDADD = libjwtcore.la $(GCRYPT_LIBS) $(JSONC_LIBS) -lm
dist_man1_MANS = man/pam-jwt.1
