/*
 * libFuzzer: the module's argument parser (jwt_config_parse) on the arguments
 * of a pam.d line, split from the input at newlines and NUL bytes (a word may
 * be empty or hold spaces, as libpam's [...] syntax allows). A configuration
 * it accepts has a key and every number within the bounds of its row of the
 * option table.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_config.h"

#define MAX_ARGS 64

/* Whether s points into [buf, buf + size]. */
static bool within(const char *s, const char *buf, size_t size)
{
	return s >= buf && s <= buf + size;
}

/* Every number of the option table is 0 (not given, no default) or within its row's bounds. */
static bool numbers_in_range(const struct jwt_config *cfg)
{
	size_t count;
	const struct jwt_option *options = jwt_options(&count);

	for (size_t i = 0; i < count; i++) {
		const struct jwt_option *o = &options[i];
		long v;

		if (o->kind != JWT_OPTION_SECONDS && o->kind != JWT_OPTION_MILLISECONDS)
			continue;
		memcpy(&v, (const char *)cfg + o->offset, sizeof(v));
		if (v != 0 && (v < o->min || v > o->max))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_ARGS];
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	char *buf = malloc(size + 1);
	int argc = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = buf;
	for (size_t i = 0; i < size; i++) {
		if (buf[i] != '\n' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (argc == MAX_ARGS)
			break;
		argv[argc++] = buf + i + 1;
	}
	if (jwt_config_parse(&cfg, argc, argv, &err) == JWT_OK) {
		if ((cfg.secret_file == NULL && cfg.jwks_file == NULL) ||
		    !numbers_in_range(&cfg) ||
		    cfg.max_expiry < 1 || cfg.redis_timeout_ms < 1 ||
		    cfg.user_claim == NULL || cfg.prompt == NULL || cfg.groups_claim == NULL ||
		    (cfg.replay == JWT_REPLAY_LOCAL) != (cfg.replay_dir != NULL) ||
		    (cfg.replay_dir != NULL && cfg.replay_dir[0] != '/') ||
		    jwt_config_allowed(&cfg) == 0)
			__builtin_trap();
		/* Strings point into argv, or are the parser's own defaults. */
		if ((cfg.secret_file != NULL && !within(cfg.secret_file, buf, size)) ||
		    (cfg.jwks_file != NULL && !within(cfg.jwks_file, buf, size)))
			__builtin_trap();
	} else if (err.reason[0] == '\0') {
		__builtin_trap();	/* a refusal always says why */
	}
	free(buf);
	return 0;
}
