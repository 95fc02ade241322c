/* The whole verification of a token, in the order the module applies it. */
#ifndef PAM_JWT_VERIFY_H
#define PAM_JWT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_key.h"
#include "jwt_token.h"

/*
 * The most keys a token without kid is tried against: a remote user who can
 * repeat logins must not make each one cost a verification per key (200
 * P-256 keys take half a second). Keys without a kid are tried first.
 */
#define JWT_KIDLESS_MAX_TRIES 8

/*
 * Checks the signature of a decoded token whose header is parsed: alg in the
 * allowlist, then each key that fits until one verifies. With a kid in the
 * header: only keys of that kid, and the secret_file= key whatever the kid.
 * Without: keys without a kid first (the secret_file= key among them), then
 * the others, in the set's order, at most JWT_KIDLESS_MAX_TRIES in all.
 */
enum jwt_status jwt_verify_signature(const struct jwt_token *t, const struct jwt_keyset *ks,
				     jwt_alg_set allowed, const struct jwt_trace *tr,
				     struct jwt_err *err);

/*
 * Checks only the JWS: structure, header and signature with the configured
 * keys and allowlist, as jwt_verify() does first. The payload may be anything.
 */
enum jwt_status jwt_verify_jws(const struct jwt_config *cfg, const char *token, size_t len,
			       const struct jwt_trace *tr, struct jwt_err *err);

struct jwt_pop_source;

/*
 * Verifies token (len bytes) at time now: structure, header, signature with
 * the configured keys, the verifying key's issuer, claims, require_claim= and
 * groups=, the user (expected: the PAM user, or NULL) with the uid 0 guard,
 * revocation, the proof of possession of a bound token (asked of pop, which
 * may be NULL: a bound token is then refused; jwt_pop.h), and one-time use.
 * On success *user is the local user name (free it). Every step is reported
 * to tr. On failure err says why; it never holds the token or the key.
 */
enum jwt_status jwt_verify(const struct jwt_config *cfg, const char *token, size_t len,
			   int64_t now, const char *expected, const struct jwt_trace *tr,
			   const struct jwt_pop_source *pop, char **user, struct jwt_err *err);

#endif
