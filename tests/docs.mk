# The administrator's guide: the commands of README and docs/*.md run as
# written (tests/docs_lib.sh; docs/hacking.md, "Guides that run"), and the
# convention itself (tests/docs_blocks.sh).
DOCS_TESTS = tests/docs_blocks.sh tests/docs_tokens.sh tests/docs_sshd.sh tests/docs_sudo.sh \
	tests/docs_provider.sh tests/docs_redis.sh
TESTS += $(DOCS_TESTS)
dist_check_SCRIPTS += $(DOCS_TESTS)
dist_check_DATA += tests/docs_lib.sh
# What the guides' tests read besides the guides: the package's list of
# examples and its build dependencies.
EXTRA_DIST += debian/libpam-jwt.examples debian/control
# The man pages lint-clean: groff -man -ww -z and mandoc -T lint (skipped,
# with the reason, where either is not installed).
TESTS += tests/docs_man.sh
dist_check_SCRIPTS += tests/docs_man.sh
