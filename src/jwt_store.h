/*
 * Stores of one-time tokens. An entry is a SHA-256 digest (jwt_replay.c
 * derives it from the verified claims) that stays until a Unix time, then is
 * forgotten. Every store answers the same way:
 *   JWT_OK        first use, now recorded durably (with peek: not used yet);
 *   JWT_E_REPLAY  already recorded;
 *   JWT_E_STORE   the store could not be reached, read or written: refuse.
 */
#ifndef PAM_JWT_STORE_H
#define PAM_JWT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_revoke.h"

#define JWT_STORE_KEY_LEN ((size_t)32)

/*
 * replay=local: one file per entry under dir (created if missing, mode 0700),
 * in 256 subdirectories by the digest's first byte. The entry is created with
 * O_EXCL: creation is the commit, so the first of concurrent processes wins.
 * Writing an entry now and then prunes the expired entries of its subdirectory.
 */
enum jwt_status jwt_store_local_mark(const char *dir, const unsigned char key[JWT_STORE_KEY_LEN],
				     int64_t until, int64_t now, bool peek, struct jwt_err *err);

/*
 * Removes every expired entry (and entries left incomplete by a crash once they
 * are older than any token can live); *kept and *removed count the entries.
 */
enum jwt_status jwt_store_local_prune(const char *dir, int64_t now, unsigned long *kept,
				      unsigned long *removed, struct jwt_err *err);

/*
 * What replay=local finds at dir, recording and making nothing: JWT_OK when
 * the store is usable, with *exists false when it is missing (the first
 * one-time token makes it, and the directories that exist above it must be
 * safe); JWT_E_STORE with the module's reason otherwise.
 */
enum jwt_status jwt_store_local_check(const char *dir, bool *exists, struct jwt_err *err);

/*
 * replay=redis: SET pam_jwt:used:<hex> 1 NX EXAT until on redis= or on the
 * master redis_sentinel= names (then WAIT for one replica), all of it within
 * one deadline of redis_timeout_ms= (JWT_E_STORE once it has passed); AUTH
 * with redis_password_file=. With peek, EXISTS.
 * With claims and names (not NULL), first the revocations kept in Redis for
 * its jti, its iss and each of its names: JWT_E_REVOKED when one covers the
 * token (nothing is recorded then).
 */
enum jwt_status jwt_store_redis_mark(const struct jwt_config *cfg,
				     const unsigned char key[JWT_STORE_KEY_LEN], int64_t until,
				     int64_t now, bool peek, json_object *claims,
				     const struct jwt_names *names, struct jwt_err *err);

/*
 * Reads redis_password_file= path by the module's rules for secrets: one line,
 * "user password" or "password". *text (without its line end; free it with
 * jwt_wipe_free(*text, *len)), or JWT_E_STORE with the reason.
 */
enum jwt_status jwt_store_redis_password(const char *path, unsigned char **text, size_t *len,
					 struct jwt_err *err);

/*
 * pam-jwt revoke --redis: records rev in Redis (until= as the key's expiry; a
 * later before= for the same sub or iss widens the existing one). A sub is
 * kept lower-cased (ASCII): the module looks each name up lower-cased.
 */
enum jwt_status jwt_store_redis_revoke(const struct jwt_config *cfg,
				       const struct jwt_revocation *rev, struct jwt_err *err);

/* pam-jwt revoke --list --redis: calls fn for each revocation kept in Redis (lineno 0). */
enum jwt_status jwt_store_redis_list(const struct jwt_config *cfg, jwt_revoke_fn *fn, void *ctx,
				     struct jwt_err *err);

#endif
