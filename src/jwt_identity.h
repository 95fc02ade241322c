/*
 * The token's identity: what a user name may hold, the transforms of the
 * user claim (user_domain=, user_lowercase) and how two identities compare
 * (user_nocase). Used by user_map=, policy_file= and revocations alike.
 */
#ifndef PAM_JWT_IDENTITY_H
#define PAM_JWT_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* Longest user claim or local user name accepted, in bytes. */
#define JWT_USER_MAX 256

/* A local user name: non-empty, short, free of NUL, '/', ':' and control characters. */
bool jwt_user_name_ok(const char *s, size_t len);

/*
 * The identity transforms, in this order: user_domain= (the identity must end
 * in "@" and that domain, compared in any ASCII case, which is then cut off;
 * any other identity is refused), then user_lowercase (ASCII). *out is a
 * fresh copy of *out_len bytes (free it).
 */
enum jwt_status jwt_identity_transform(const struct jwt_config *cfg, const char *id, size_t len,
				       char **out, size_t *out_len, struct jwt_err *err);

/* Whether two identities are the same: exactly, or in any ASCII case with user_nocase. */
bool jwt_identity_eq(const struct jwt_config *cfg, const char *a, size_t alen, const char *b,
		     size_t blen);

/* Whether a and b (n bytes each) are the same in any ASCII case. */
bool jwt_ascii_caseeq(const char *a, const char *b, size_t n);

/* Lower-cases the n bytes of s in place (ASCII letters only). */
void jwt_ascii_lower(char *s, size_t n);

#endif
