/* JSON Web Key Sets (RFC 7517 §5): the keys of jwks_file=. */
#ifndef PAM_JWT_JWKS_H
#define PAM_JWT_JWKS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "jwt_err.h"
#include "jwt_key.h"

/* The largest key set file read, in bytes. */
#define JWT_JWKS_FILE_MAX 65536

/*
 * Adds the keys of the JWK Set in path. The file follows the ownership rules
 * of secret_file=; it may be readable by others only when it holds no "oct"
 * (secret) key.
 */
enum jwt_status jwt_keyset_add_jwks_file(struct jwt_keyset *ks, const char *path,
					 struct jwt_err *err);

/*
 * Adds the keys of a JWK Set given as len bytes of JSON; what names it in
 * reasons. Keys are "oct", "RSA", "EC" (P-256/384/521) and "OKP" (Ed25519),
 * public keys without private members. First, whatever their type: a private
 * member (d, p, q, dp, dq, qi, oth) in any key refuses the whole set. Then keys
 * pam_jwt cannot use for verifying are left out: an unknown "kty", "crv" or
 * "alg", a "use" other than "sig", "key_ops" without "verify" (RFC 7517 §5).
 * A malformed key, or a set left with no key, is JWT_E_KEY. *has_secret says
 * whether any key holds a "k" (an "oct" secret, used or not). Every string of
 * the parsed set is wiped before it is freed, on every path.
 */
enum jwt_status jwt_keyset_add_jwks(struct jwt_keyset *ks, const char *json, size_t len,
				    const char *what, bool *has_secret, struct jwt_err *err);

/*
 * Fills key (zeroed by the caller) from one public JWK (or "oct" secret), as
 * jwt_keyset_add_jwks() reads each; *usable is false (and key left empty)
 * when a key set would leave it out; *is_secret says whether it is "oct".
 * On every path the JWK's secret members are wiped (jwt_jwk_wipe_secrets).
 */
enum jwt_status jwt_jwk_parse(json_object *jwk, struct jwt_key *key, bool *usable,
			      bool *is_secret, struct jwt_err *err);

/*
 * Decodes the JWK's base64url member name (present, non-empty, strict) into a
 * fresh buffer of *out_len bytes; free it with jwt_wipe_free().
 */
enum jwt_status jwt_jwk_bytes(json_object *jwk, const char *name, unsigned char **out,
			      size_t *out_len, struct jwt_err *err);

/* Wipes json-c's copies of the JWK's secret members: "k" and the private ones. */
void jwt_jwk_wipe_secrets(json_object *jwk);

/*
 * What makes the JWK object secret: a private member's name, "k", or "kty"
 * for a "kty" of "oct"; NULL for a public key.
 */
const char *jwt_jwk_secret_member(json_object *jwk);

/* Characters of an RFC 7638 SHA-256 thumbprint in base64url. */
#define JWT_JWK_THUMBPRINT_LEN 43

/*
 * The RFC 7638 thumbprint of a public JWK (RSA, EC or OKP): SHA-256 of its
 * required members (e, kty, n / crv, kty, x[, y]) in that order, without
 * whitespace, in base64url, into out (JWT_JWK_THUMBPRINT_LEN + 1 bytes).
 * Other members do not count. JWT_E_KEY for another kty, or a required member
 * missing, not a string, or holding what JSON would escape. libgcrypt must be
 * initialised (jwt_crypto_init).
 */
enum jwt_status jwt_jwk_thumbprint(json_object *jwk, char *out, struct jwt_err *err);

/* Deletes member name of the JWK, wiping json-c's copy of it first. */
void jwt_jwk_remove(json_object *jwk, const char *name);

#endif
