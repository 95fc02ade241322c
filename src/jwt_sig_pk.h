/*
 * The public-key families behind jwt_sig_verify() and jwt_sig_sign(), one
 * file each (jwt_sig_rsa.c, jwt_sig_ecdsa.c, jwt_sig_eddsa.c), and the
 * helpers they share (jwt_sig_pk.c). Verifying first checks the exact form
 * JWS gives the signature, then has libgcrypt verify it; signing (key->priv)
 * writes that form. Internal to the token core.
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

/* The same three families signing with key->priv; out has room for JWT_SIG_MAX bytes. */
enum jwt_status jwt_sig_sign_rsa(enum jwt_alg alg, const struct jwt_key *key,
				 const void *input, size_t input_len,
				 unsigned char *out, size_t *out_len, struct jwt_err *err);
enum jwt_status jwt_sig_sign_ecdsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   unsigned char *out, size_t *out_len, struct jwt_err *err);
enum jwt_status jwt_sig_sign_eddsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   unsigned char *out, size_t *out_len, struct jwt_err *err);

/*
 * gcry_pk_sign(sig, data, key->priv), the result as a status. Releases data
 * (NULL when building it failed: then ge says why); *sig is NULL on failure.
 */
enum jwt_status jwt_sig_pk_sign(enum jwt_alg alg, const struct jwt_key *key, gcry_error_t ge,
				gcry_sexp_t data, gcry_sexp_t *sig, struct jwt_err *err);

/*
 * The number named name in an s-expression (a signature's r or s, a key's d)
 * as unsigned big-endian, right-aligned
 * in exactly len bytes of out; false when it is missing or longer.
 */
bool jwt_sig_put_mpi(gcry_sexp_t sig, const char *name, unsigned char *out, size_t len);

/*
 * gcry_pk_verify(sig, data, key->pub), the result as a status. Releases sig
 * and data (either may be NULL when building it failed: then ge says why).
 */
enum jwt_status jwt_sig_pk_verify(enum jwt_alg alg, const struct jwt_key *key, gcry_error_t ge,
				  gcry_sexp_t sig, gcry_sexp_t data, struct jwt_err *err);

/* The digest of input with the algorithm's hash, into out (64 bytes); returns its length. */
size_t jwt_sig_digest(enum jwt_alg alg, const void *input, size_t input_len, unsigned char *out);

#endif
