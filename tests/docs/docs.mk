# tests/docs: the administrator's guide. The commands of README and docs/*.md
# run as written (tests/lib/docs_lib.sh; docs/hacking.md, "Guides that run"),
# and the convention itself (docs_blocks.sh).
DOCS_TESTS = \
	tests/docs/docs_blocks.sh \
	tests/docs/docs_tokens.sh \
	tests/docs/docs_sshd.sh \
	tests/docs/docs_sudo.sh \
	tests/docs/docs_provider.sh \
	tests/docs/docs_redis.sh
TESTS += $(DOCS_TESTS)
dist_check_SCRIPTS += $(DOCS_TESTS)
dist_check_DATA += tests/lib/docs_lib.sh
# What the guides' tests read besides the guides: the package's list of
# examples and its build dependencies.
EXTRA_DIST += debian/libpam-jwt.examples debian/control
