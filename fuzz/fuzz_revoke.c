/*
 * libFuzzer: the revoked_file= line format (jwt_revoke_each and
 * jwt_revoke_parse_line), each revocation matched against two tokens and its
 * times formatted back; and the input's start as a TIME. A revocation's
 * value lies within its line, and a TIME that parses formats and parses back
 * to itself.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_json.h"
#include "jwt_revoke.h"

static json_object *tokens[2];
/* The names each token logs in under: its sub, and an account of another spelling. */
static const struct jwt_names names[2] = {
	{ .name = { "bob", "Robert" }, .len = { 3, 6 }, .count = 2 },
	{ .name = { "alice", "ALICE@example" }, .len = { 5, 13 }, .count = 2 },
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *text[] = {
		"{\"jti\":\"j1\",\"sub\":\"bob\",\"iss\":\"https://idp.example\",\"iat\":1700000000}",
		"{\"jti\":\"x\",\"sub\":\"alice\",\"iss\":\"https://old.example\"}",
	};
	struct jwt_err err = { 0 };

	(void)argc;
	(void)argv;
	for (int i = 0; i < 2; i++)
		if (jwt_json_parse_object(text[i], strlen(text[i]), "claims", &tokens[i], &err) !=
		    JWT_OK)
			abort();
	return 0;
}

/* Formats t and parses it back: the same time, or a time the format cannot hold. */
static void round_trip(int64_t t)
{
	char buf[32];
	int64_t back;

	jwt_revoke_format_time(t, buf, sizeof(buf));
	if (jwt_revoke_parse_time(buf, strlen(buf), &back) && back != t)
		__builtin_trap();
}

static bool each(void *ctx, unsigned lineno, const char *line, size_t line_len,
		 const struct jwt_revocation *r)
{
	size_t *sink = ctx;

	if (r->value_len == 0 || r->value < line || r->value + r->value_len > line + line_len ||
	    lineno == 0)
		__builtin_trap();
	*sink += jwt_revoke_matches(r, tokens[0], &names[0]) +
		 jwt_revoke_matches(r, tokens[1], &names[1]);
	if (r->has_before)
		round_trip(r->before);
	if (r->has_until)
		round_trip(r->until);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwt_err err = { 0 };
	size_t sink = 0, n = size < 40 ? size : 40;
	int64_t t;

	/* data is not NUL-terminated: the parser must stay within size bytes. */
	jwt_revoke_each("revoked", (const char *)data, size, each, &sink, &err);
	if (jwt_revoke_parse_time((const char *)data, n, &t))
		round_trip(t);
	return 0;
}
