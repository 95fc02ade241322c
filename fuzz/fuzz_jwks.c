/*
 * libFuzzer: any byte string as a JWK Set through the key-set parser of
 * jwks_file= and pam-jwt jwks-sync (jwt_keyset_add_jwks), then each key it
 * yields against a token of every algorithm whose signature is junk of the
 * right length, so that key fitting and the RSA, EC point and Ed25519 checks
 * are reached; and jwt_jwk_secret_member on every key object of the input.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_jwks.h"
#include "jwt_key.h"
#include "jwt_sig.h"
#include "jwt_token.h"
#include "jwt_verify.h"

/* "alg" and the length of its signature (RS/PS: a 2048-bit modulus). */
static const struct {
	const char *alg;
	size_t sig_len;
} algs[] = {
	{ "HS256", 32 }, { "RS256", 256 }, { "PS256", 256 }, { "ES256", 64 },
	{ "ES384", 96 }, { "ES512", 132 }, { "EdDSA", 64 },
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))
static char *tokens[NALGS];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct jwt_err err = { 0 };
	unsigned char sig[256];

	(void)argc;
	(void)argv;
	if (jwt_crypto_init(&err) != JWT_OK)
		abort();
	memset(sig, 0x5a, sizeof(sig));
	for (size_t i = 0; i < NALGS; i++) {
		char header[64], *t;
		size_t n;

		(void)snprintf(header, sizeof(header), "{\"alg\":\"%s\"}", algs[i].alg);
		t = malloc(JWT_B64URL_ENCODED_LEN(strlen(header)) + 8 +
			   JWT_B64URL_ENCODED_LEN(algs[i].sig_len) + 1);
		if (t == NULL)
			abort();
		jwt_b64url_encode((const unsigned char *)header, strlen(header), t);
		n = strlen(t);
		memcpy(t + n, ".e30.", 6);	/* with its NUL, until the signature follows */
		jwt_b64url_encode(sig, algs[i].sig_len, t + n + 5);
		tokens[i] = t;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	size_t sink = 0;
	struct jwt_trace tr = { .step = fuzz_step, .ctx = &sink };
	json_object *root, *keys;
	bool secret;

	if (jwt_keyset_add_jwks(&ks, (const char *)data, size, "fuzz", &secret, &err) == JWT_OK) {
		if (ks.count == 0)
			__builtin_trap();	/* a set with no usable key is refused */
		for (size_t i = 0; i < NALGS; i++) {
			struct jwt_token t = { 0 };

			if (jwt_token_decode(&t, tokens[i], strlen(tokens[i]), &err) != JWT_OK ||
			    jwt_token_parse_header(&t, &err) != JWT_OK)
				__builtin_trap();
			/* Junk never verifies. */
			if (jwt_verify_signature(&t, &ks, JWT_ALG_ALL, &tr, &err) == JWT_OK)
				__builtin_trap();
			jwt_token_free(&t);
		}
	}
	jwt_keyset_free(&ks);
	/* What jwks-sync looks at to drop a secret: never past the object it is given. */
	if (jwt_json_parse_object((const char *)data, size, "fuzz", &root, &err) == JWT_OK) {
		if (json_object_object_get_ex(root, "keys", &keys) &&
		    json_object_is_type(keys, json_type_array))
			for (size_t i = 0; i < json_object_array_length(keys); i++) {
				json_object *k = json_object_array_get_idx(keys, i);

				if (json_object_is_type(k, json_type_object))
					sink += jwt_jwk_secret_member(k) != NULL;
			}
		json_object_put(root);
	}
	return 0;
}
