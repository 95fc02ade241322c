/*
 * libFuzzer: any byte string as the JSON of a JOSE header and of a claims set:
 * jwt_token_parse_header, then jwt_json_parse_object and jwt_claims_check at a
 * fixed clock, with a permissive and a strict configuration; then the
 * authorization rules (jwt_authz_claims: require_claim=, groups= with a nested
 * groups claim, issuer=/audience= lists with %h and %s).
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_authz.h"
#include "jwt_claims.h"
#include "jwt_config.h"
#include "jwt_json.h"
#include "jwt_token.h"

static void check_claims(json_object *claims, int argc, const char **argv)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	size_t sink = 0;
	struct jwt_trace tr = { .step = fuzz_step, .ctx = &sink };

	if (jwt_config_parse(&cfg, argc, argv, &err) != JWT_OK)
		__builtin_trap();
	cfg.service = "sshd";
	cfg.host = "host";
	jwt_claims_check(&cfg, claims, FUZZ_NOW, &tr, &err);
	jwt_authz_claims(&cfg, claims, &tr, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *loose[] = { "secret_file=/unused" };
	static const char *strict[] = { "secret_file=/unused", "issuer=https://idp.example",
					"audience=ssh", "leeway=0", "max_lifetime=600" };
	struct jwt_token t = { 0 };
	struct jwt_err err = { 0 };
	json_object *claims;

	/* The header is parsed from the token's own decoded copy: give it one. */
	t.decoded = malloc(size + 1);
	if (t.decoded == NULL)
		return 0;
	t.decoded_size = size + 1;
	memcpy(t.decoded, data, size);
	t.decoded[size] = '\0';
	t.header_json = (char *)t.decoded;
	t.header_len = size;
	jwt_token_parse_header(&t, &err);
	jwt_token_free(&t);

	if (jwt_json_parse_object((const char *)data, size, "payload", &claims, &err) != JWT_OK)
		return 0;
	check_claims(claims, 1, loose);
	check_claims(claims, 5, strict);
	{
		static const char *rules[] = { "secret_file=/unused", "issuer=a,%s,b%%",
					       "audience=ssh:%h,x", "groups=wheel,ops",
					       "groups_claim=realm_access.roles",
					       "require_claim=amr=mfa,email_verified=true,tid=42" };

		check_claims(claims, 6, rules);
	}
	json_object_put(claims);
	return 0;
}
