/*
 * libFuzzer: the policy_file= rule format (jwt_policy_resolve_text). The
 * input's first line is the token's identity, the rest the rules; the token
 * carries an "iss" and groups ops and wheel. Each is resolved with no user
 * named and as alice, exactly and in any case (user_nocase). An admitted
 * account is a safe user name, and alice when alice is the user named.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_config.h"
#include "jwt_json.h"
#include "jwt_policy.h"
#include "jwt_user.h"

static json_object *claims;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char text[] =
		"{\"iss\":\"https://idp.example\",\"sub\":\"alice@example.com\","
		"\"groups\":[\"ops\",\"wheel\"]}";
	struct jwt_err err = { 0 };

	(void)argc;
	(void)argv;
	if (jwt_json_parse_object(text, sizeof(text) - 1, "claims", &claims, &err) != JWT_OK)
		abort();
	return 0;
}

static void resolve(const struct jwt_config *cfg, const char *rules, size_t size,
		    const char *identity, size_t id_len, const char *expected)
{
	char *local = NULL;
	struct jwt_err err = { 0 };
	size_t sink = 0;
	struct jwt_trace tr = { .step = fuzz_step, .ctx = &sink };
	enum jwt_status rc;

	/* rules are the input's, not NUL-terminated: the reader must stay within size bytes. */
	rc = jwt_policy_resolve_text(cfg, claims, identity, id_len, expected, &tr, "policy", rules,
				     size, &local, &err);
	if ((rc == JWT_OK) != (local != NULL) ||
	    (local != NULL && !jwt_user_name_ok(local, strlen(local))) ||
	    (local != NULL && expected != NULL && strcmp(local, expected) != 0))
		__builtin_trap();
	free(local);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *id, *text;
	size_t id_len, len;
	struct jwt_config cfg;

	if (!fuzz_identity_and_text(data, size, &id, &id_len, &text, &len))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		fuzz_config_pass(&cfg, "policy_file=/unused", pass);
		resolve(&cfg, text, len, id, id_len, NULL);
		resolve(&cfg, text, len, id, id_len, "alice");
	}
	return 0;
}
