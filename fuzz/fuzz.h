/* What the libFuzzer harnesses share: a fixed clock, a fixed key, a quiet trace. */
#ifndef PAM_JWT_FUZZ_H
#define PAM_JWT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jwt_err.h"

/* 2023-11-14T22:13:20Z: the seed tokens' exp/nbf/iat are set around it. */
#define FUZZ_NOW 1700000000LL

/* 64 bytes: long enough for HS256, HS384 and HS512 (RFC 7518 §3.2). */
static const unsigned char fuzz_key[] =
	"fuzz-key-0123456789abcdef0123456789abcdef0123456789abcdef0123456";
#define FUZZ_KEY_LEN 64

/* Reads the detail of every step, so formatting a reason is exercised too. */
static void fuzz_step(void *ctx, const char *check, bool ok, const char *detail)
{
	size_t *sink = ctx;

	*sink += strlen(check) + strlen(detail) + ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
