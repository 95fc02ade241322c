/*
 * libFuzzer: the module's argument parser (jwt_config_parse) on the arguments
 * of a pam.d line, split from the input at newlines and NUL bytes (a word may
 * be empty or hold spaces, as libpam's [...] syntax allows). A configuration
 * it accepts has a key and every number within the bounds the man page gives.
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
		    cfg.leeway < 0 || cfg.leeway > JWT_MAX_LEEWAY ||
		    cfg.max_lifetime < 0 || cfg.max_lifetime > JWT_MAX_LIFETIME ||
		    cfg.max_expiry < 1 || cfg.max_expiry > JWT_MAX_LIFETIME ||
		    cfg.redis_timeout_ms < 1 || cfg.redis_timeout_ms > JWT_MAX_REDIS_TIMEOUT_MS ||
		    cfg.user_claim == NULL || cfg.prompt == NULL || cfg.groups_claim == NULL ||
		    cfg.replay_dir == NULL || cfg.replay_dir[0] != '/' ||
		    (cfg.replay != JWT_REPLAY_LOCAL && within(cfg.replay_dir, buf, size)) ||
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
