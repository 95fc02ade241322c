# The benchmark: `make bench` builds and runs it. Nothing here is installed or
# part of `make check`. libjwt (Debian: libjwt-dev) is optional: without it the
# libjwt column is left out.
EXTRA_PROGRAMS = bench/bench bench/pam_loop
bench_bench_SOURCES = bench/bench.c bench/bench.h bench/cases.c bench/core.c bench/replay.c bench/pop.c \
	bench/sessions.c
bench_bench_CFLAGS = $(AM_CFLAGS) $(LIBJWT_CFLAGS)
# The public-key rows get their key pairs from bench/pk_keys.py (python3-jwcrypto).
bench_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/lib \
	-DBENCH_PK_KEYS='"$(abs_top_srcdir)/bench/pk_keys.py"'
EXTRA_DIST += bench/pk_keys.py
bench_bench_LDADD = tests/lib/libtestlib.la libjwtcore.la $(GCRYPT_LIBS) $(JSONC_LIBS) $(HIREDIS_LIBS)
if HAVE_LIBJWT
bench_bench_SOURCES += bench/libjwt.c bench/libjwt.h
bench_bench_LDADD += $(LIBJWT_LIBS)
endif
# Linked with libpam alone: modules load libgcrypt and json-c themselves.
bench_pam_loop_SOURCES = bench/pam_loop.c
bench_pam_loop_LDADD = $(PAM_LIBS)

# The module as it would be without -z nodelete (the flags of pam_jwt_la_LDFLAGS
# otherwise), to show what the flag saves per transaction.
EXTRA_LTLIBRARIES = bench/pam_jwt_unpinned.la
bench_pam_jwt_unpinned_la_SOURCES = src/pam_jwt.c src/pam_jwt_session.c src/pam_jwt_session.h
bench_pam_jwt_unpinned_la_LIBADD = libjwtcore.la $(PAM_LIBS)
bench_pam_jwt_unpinned_la_LDFLAGS = -module -avoid-version -no-undefined -shared \
	-export-symbols-regex '^pam_sm_' -rpath $(abs_builddir)/bench

# make bench BENCH_FLAGS=--quick: a short run. bench/bench --profile core|full N runs
# only N verifications, for callgrind (see docs/performance.md).
BENCH_FLAGS =
bench: bench/bench$(EXEEXT) bench/pam_loop$(EXEEXT) bench/pam_jwt_unpinned.la pam_jwt.la
	bench/bench$(EXEEXT) $(BENCH_FLAGS) --module $(abs_builddir)/.libs/pam_jwt.so \
		--unpinned $(abs_builddir)/bench/.libs/pam_jwt_unpinned.so \
		--pam-loop $(abs_builddir)/bench/pam_loop$(EXEEXT)
.PHONY: bench
# Built only on request, so removed explicitly (automake leaves EXTRA_ targets).
CLEANFILES = $(EXTRA_PROGRAMS) $(EXTRA_LTLIBRARIES)
