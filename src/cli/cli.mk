# pam-jwt, the command-line tool: built on the same token core as the module.
bin_PROGRAMS = pam-jwt
pam_jwt_SOURCES = \
	src/cli/cli.h src/cli/main.c src/cli/util.c \
	src/cli/keygen.c src/cli/keygen_pk.c src/cli/keygen_pk.h \
	src/cli/install.c src/cli/install.h \
	src/cli/mint.c src/cli/verify.c src/cli/decode.c \
	src/cli/mint_size.c src/cli/mint_size.h \
	src/cli/view.c src/cli/view.h \
	src/cli/output.c src/cli/output.h \
	src/cli/input.c src/cli/input.h \
	src/cli/duration.c src/cli/duration.h \
	src/cli/check.c \
	src/cli/askpass.c src/cli/askpass_dpop.c src/cli/askpass_dpop.h \
	src/cli/dpop_host.c src/cli/dpop_host.h \
	src/cli/split.c src/cli/split.h \
	src/cli/dpop.c src/cli/dpop.h \
	src/cli/http.c src/cli/http.h \
	src/cli/oidc.c src/cli/oidc.h \
	src/cli/jwks_sync.c \
	src/cli/login.c src/cli/token_cache.c src/cli/token_cache.h \
	src/cli/revoke.c \
	src/cli/sessions.c src/cli/session_end.c src/cli/session_end.h
# pam-jwt check looks up a module named without a path where make install puts it.
pam_jwt_CPPFLAGS = $(AM_CPPFLAGS) -DPAM_JWT_SECUREDIR='"$(securedir)"'
pam_jwt_LDADD = libjwtcore.la $(GCRYPT_LIBS) $(JSONC_LIBS) $(CURL_LIBS) -lm
pam_jwt_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
dist_man1_MANS = man/pam-jwt.1

# pam-jwt-askpass: the name to give SSH_ASKPASS and SUDO_ASKPASS, which run a
# helper by its path with the prompt as the only argument.
install-exec-local:
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	ln -sf pam-jwt '$(DESTDIR)$(bindir)/pam-jwt-askpass'
uninstall-local:
	rm -f '$(DESTDIR)$(bindir)/pam-jwt-askpass'
