# tests/static: checks of the tree itself. The sources (no jwt_fail() that
# formats into itself; no circle between files), the documentation (every
# function SECURITY.md names, every argument of pam_jwt(8), the pam.d
# examples against Debian's files, the man pages lint-clean under groff -man
# -ww -z and mandoc -T lint), the module's symbols, the installed
# files, every file of the tree named by the build files (so make dist carries
# it), and the mutants' list (every mutant still applies).
STATIC_TESTS = \
	tests/static/self_format.sh \
	tests/static/circles.sh \
	tests/static/security_doc.sh \
	tests/static/options_doc.sh \
	tests/static/man_lint.sh \
	tests/static/examples_debian.sh \
	tests/static/symbols.sh \
	tests/static/install.sh \
	tests/static/dist_list.sh \
	tests/static/mutants_apply.sh
TESTS += $(STATIC_TESTS)
dist_check_SCRIPTS += $(STATIC_TESTS)

# make mutants: mutation testing of the security checks (tests/static/mutants.sh
# and tests/static/mutants.list); not part of make check. MUTANTS_ARGS="--sample 12"
# or tags.
mutants:
	$(SHELL) $(top_srcdir)/tests/static/mutants.sh $(MUTANTS_ARGS)
.PHONY: mutants
EXTRA_DIST += tests/static/mutants.sh tests/static/mutants.list

# The installation directories, for tests/static/install.sh to expand
# tests/data/install.list with.
print-install-dirs:
	@echo "prefix=$(prefix)"
	@echo "bindir=$(bindir)"
	@echo "securedir=$(securedir)"
	@echo "man1dir=$(man1dir)"
	@echo "man8dir=$(man8dir)"
	@echo "docdir=$(docdir)"
	@echo "datadir=$(datadir)"
	@echo "libdir=$(libdir)"
	@echo "sysconfdir=$(sysconfdir)"
	@echo "systemdsystemunitdir=$(systemdsystemunitdir)"
.PHONY: print-install-dirs
