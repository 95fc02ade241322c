/* What the libFuzzer harnesses share: a fixed clock, a fixed key, a quiet trace. */
#ifndef PAM_JWT_FUZZ_H
#define PAM_JWT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* 2023-11-14T22:13:20Z: the seed tokens' exp/nbf/iat are set around it. */
#define FUZZ_NOW 1700000000LL

/* 64 bytes: long enough for HS256, HS384 and HS512 (RFC 7518 §3.2). */
static const unsigned char fuzz_key[] =
	"fuzz-key-0123456789abcdef0123456789abcdef0123456789abcdef0123456";
#define FUZZ_KEY_LEN 64

/* Reads the detail of every step, so formatting a reason is exercised too. */
static inline void fuzz_step(void *ctx, const char *check, bool ok, const char *detail)
{
	size_t *sink = ctx;

	*sink += strlen(check) + strlen(detail) + ok;
}

/*
 * The line-format harnesses' input: an identity line, then a file's text.
 * False when there is no newline.
 */
static inline bool fuzz_identity_and_text(const uint8_t *data, size_t size, const char **id,
					  size_t *id_len, const char **text, size_t *text_len)
{
	const char *in = (const char *)data, *nl = memchr(in, '\n', size);

	if (nl == NULL)
		return false;
	*id = in;
	*id_len = (size_t)(nl - in);
	*text = nl + 1;
	*text_len = size - *id_len - 1;
	return true;
}

/* A configuration with a secret_file= and arg (pass 0), then also user_nocase (pass 1). */
static inline void fuzz_config_pass(struct jwt_config *cfg, const char *arg, int pass)
{
	const char *argv[] = { "secret_file=/unused", arg, "user_nocase" };
	struct jwt_err err = { 0 };

	if (jwt_config_parse(cfg, pass ? 3 : 2, argv, &err) != JWT_OK)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
