/*
 * libFuzzer: any byte string as a DPoP proof for a fixed token bound to a
 * fixed key (the seeds' P-256 key), challenge and clock, through every check
 * of jwt_pop_verify_proof(): split, header, jwk, thumbprint, signature,
 * claims. The same bytes, when they are a JSON object, as claims whose cnf
 * jwt_pop_binding() reads.
 */
#include "config.h"

#include "fuzz.h"
#include "jwt_json.h"
#include "jwt_pop.h"
#include "jwt_sig.h"

/* The seeds' key (tests/unit/test_pop.c's P-256 key) and what the proofs answer. */
#define FUZZ_JKT "zyynpQFrpkCXjBxhhjK_7vrth3HA92NuCbPntJfNtC4"
static const char fuzz_token[] = "aaaa.bbbb.cccc";
static const struct jwt_pop_challenge fuzz_challenge = {
	.htu = "pam://host.example/sshd", .nonce = "n0nce-n0nce-n0nce-n0nc",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwt_err err = { 0 };
	struct jwt_pop_binding b;
	json_object *claims = NULL;

	if (jwt_crypto_init(&err) != JWT_OK)
		__builtin_trap();
	/* data is not NUL-terminated: the core must stay within size bytes. */
	(void)jwt_pop_verify_proof((const char *)data, size, &fuzz_challenge, fuzz_token,
				   sizeof(fuzz_token) - 1, FUZZ_JKT, FUZZ_NOW, 30, &err);
	if (jwt_json_parse_object((const char *)data, size, "claims", &claims, &err) == JWT_OK)
		(void)jwt_pop_binding(claims, &b, &err);
	json_object_put(claims);
	return 0;
}
