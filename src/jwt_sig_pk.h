/*
 * The public-key families behind jwt_sig_verify(), one file each. Every one
 * first checks the exact form JWS gives the signature, then has libgcrypt
 * verify it. Internal to the token core.
 */
#ifndef PAM_JWT_SIG_PK_H
#define PAM_JWT_SIG_PK_H

#include <stddef.h>
#include <gcrypt.h>

#include "jwt_alg.h"
#include "jwt_err.h"
#include "jwt_key.h"

/* RS256/384/512 (PKCS#1 v1.5) and PS256/384/512 (PSS, salt as long as the hash). */
enum jwt_status jwt_sig_verify_rsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   const unsigned char *sig, size_t sig_len, struct jwt_err *err);

/* ES256/384/512: raw R||S, each exactly the order's length, 0 < R, S < n. */
enum jwt_status jwt_sig_verify_ecdsa(enum jwt_alg alg, const struct jwt_key *key,
				     const void *input, size_t input_len,
				     const unsigned char *sig, size_t sig_len, struct jwt_err *err);

/* EdDSA with an Ed25519 key: a 64-byte signature over the input itself. */
enum jwt_status jwt_sig_verify_eddsa(enum jwt_alg alg, const struct jwt_key *key,
				     const void *input, size_t input_len,
				     const unsigned char *sig, size_t sig_len, struct jwt_err *err);

/*
 * gcry_pk_verify(sig, data, key->pub), the result as a status. Releases sig
 * and data (either may be NULL when building it failed: then ge says why).
 */
enum jwt_status jwt_sig_pk_verify(enum jwt_alg alg, const struct jwt_key *key, gcry_error_t ge,
				  gcry_sexp_t sig, gcry_sexp_t data, struct jwt_err *err);

/* The digest of input with the algorithm's hash, into out (64 bytes); returns its length. */
size_t jwt_sig_digest(enum jwt_alg alg, const void *input, size_t input_len, unsigned char *out);

#endif
