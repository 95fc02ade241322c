/*
 * libFuzzer: any byte string as a token, through every step of the token core
 * that takes it as it comes: split, strict base64url, header, signature with a
 * fixed key (all algorithms allowed), claims at a fixed clock.
 */
#include "config.h"

#include "fuzz.h"
#include "jwt_claims.h"
#include "jwt_config.h"
#include "jwt_key.h"
#include "jwt_token.h"
#include "jwt_verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *argv[] = { "secret_file=/unused", "issuer=https://idp.example",
				      "audience=ssh", "max_lifetime=3600" };
	struct jwt_config cfg;
	struct jwt_keyset ks = { 0 };
	struct jwt_token t = { 0 };
	struct jwt_err err = { 0 };
	size_t sink = 0;
	struct jwt_trace tr = { .step = fuzz_step, .ctx = &sink };
	const jwt_alg_set all = JWT_ALG_BIT(JWT_ALG_HS256) | JWT_ALG_BIT(JWT_ALG_HS384) |
				JWT_ALG_BIT(JWT_ALG_HS512);

	if (jwt_config_parse(&cfg, 4, argv, &err) != JWT_OK ||
	    jwt_keyset_add_secret(&ks, fuzz_key, FUZZ_KEY_LEN, &err) != JWT_OK)
		__builtin_trap();
	/* data is not NUL-terminated: the core must stay within size bytes. */
	if (jwt_token_decode(&t, (const char *)data, size, &err) == JWT_OK &&
	    jwt_token_parse_header(&t, &err) == JWT_OK) {
		jwt_verify_signature(&t, &ks, all, &tr, &err);
		if (jwt_token_parse_claims(&t, &err) == JWT_OK)
			jwt_claims_check(&cfg, t.claims, FUZZ_NOW, &tr, &err);
	}
	jwt_token_free(&t);
	jwt_keyset_free(&ks);
	return 0;
}
