/* Signatures: libgcrypt set-up, and signing/verifying a JWS signing input with a key. */
#ifndef PAM_JWT_SIG_H
#define PAM_JWT_SIG_H

#include <stddef.h>

#include "jwt_alg.h"
#include "jwt_err.h"
#include "jwt_key.h"

/*
 * Initialises libgcrypt unless the host process already has; never changes a
 * setting another user of the library relies on. Safe to call on every use,
 * from any thread: the first call runs once, under pthread_once.
 */
enum jwt_status jwt_crypto_init(struct jwt_err *err);

/*
 * Verifies sig over input with key for alg; the key's type decides the family
 * (jwt_key_fits), never the token. The signature must have exactly the
 * algorithm's length (RSA: the modulus'; ECDSA: raw R||S); MACs are compared
 * in constant time. JWT_E_ALG when the key does not fit alg, JWT_E_KEY when it
 * cannot serve it (too short), JWT_E_SIGNATURE when the signature is wrong.
 */
enum jwt_status jwt_sig_verify(enum jwt_alg alg, const struct jwt_key *key,
			       const void *input, size_t input_len,
			       const unsigned char *sig, size_t sig_len, struct jwt_err *err);

/*
 * Signs input with key for alg: HMAC with a secret, the public-key families
 * with a private key (key->priv, from jwt_key_load_private()), in the form
 * jwt_sig_verify() checks (RSA: the modulus' length; ECDSA: raw R||S, nonce
 * by RFC 6979). out has room for JWT_SIG_MAX bytes; *out_len is set.
 */
enum jwt_status jwt_sig_sign(enum jwt_alg alg, const struct jwt_key *key,
			     const void *input, size_t input_len,
			     unsigned char *out, size_t *out_len, struct jwt_err *err);

#endif
