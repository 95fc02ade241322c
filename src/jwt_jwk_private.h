/* Private JWKs (RFC 7517, RFC 7518 §6, RFC 8037 §2): the signing keys of pam-jwt mint. */
#ifndef PAM_JWT_JWK_PRIVATE_H
#define PAM_JWT_JWK_PRIVATE_H

#include <json-c/json.h>

#include "jwt_alg.h"
#include "jwt_err.h"
#include "jwt_key.h"

/* The largest private JWK file read, in bytes. */
#define JWT_JWK_FILE_MAX 16384

/*
 * Makes key (zeroed by the caller) a signing key from a private JWK: "RSA"
 * (n, e, d, p, q, dp, dq, qi; two primes), "EC" (crv, x, y, d), "OKP"
 * (Ed25519: x, d) or "oct" (k). The public part is checked as a key set's
 * keys are (RSA of 2048 bits or more, points on their curve, "use" "sig");
 * "key_ops", if present, must list "sign"; key->priv must sign what key->pub
 * verifies, or the key is refused. "kid" and "alg" are kept.
 */
enum jwt_status jwt_key_from_private_jwk(json_object *jwk, struct jwt_key *key,
					 struct jwt_err *err);

/*
 * A signing key from path: a private JWK when the file starts with '{',
 * else an HMAC secret read as secret_file= reads it. Either way the file
 * follows the rules of secret_file= (not readable by others).
 */
enum jwt_status jwt_key_load_signing(const char *path, struct jwt_key *key, struct jwt_err *err);

/* The key's "alg" if it has one, else the algorithm its type suggests (RSA: RS256). */
enum jwt_alg jwt_key_default_alg(const struct jwt_key *key);

#endif
