/* One-time tokens: each (iss, jti) is accepted once, in the store replay= names. */
#ifndef PAM_JWT_REPLAY_H
#define PAM_JWT_REPLAY_H

#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_store.h"

/*
 * The store key of verified claims: SHA-256 of iss, a NUL byte, and jti (iss
 * absent counts as empty). Never the token text, so that two encodings of the
 * same claims are the same entry. JWT_E_REPLAY when jti is missing, not a
 * string, empty, or when iss or jti holds a NUL byte.
 */
enum jwt_status jwt_replay_key(json_object *claims, unsigned char key[JWT_STORE_KEY_LEN],
			       struct jwt_err *err);

/*
 * With replay= set, records the token's (iss, jti) until exp + JWT_MAX_LEEWAY
 * (the largest leeway any host sharing the store may accept it with): JWT_OK
 * on its first use, JWT_E_REPLAY after, JWT_E_STORE when the store fails.
 * With cfg->replay_peek, only reports what the store holds. With replay=redis
 * the revocations kept in Redis are read first, for names (the names the token
 * logs in under). Call it last, once every other check has passed. Without
 * replay=, JWT_OK.
 */
enum jwt_status jwt_replay_check(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_names *names, int64_t now,
				 const struct jwt_trace *tr, struct jwt_err *err);

#endif
