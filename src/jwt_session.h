/*
 * Sessions bound to their token: the registry of sessions that a pam_jwt
 * token opened, which pam-jwt sessions --reap ends when the token expires or
 * is revoked. No PAM in here: the module fills a record, this file keeps it.
 *
 * One file per session, DIR/<id>, JSON, mode 0600, written whole under a
 * temporary name and renamed into place; authentications waiting for their
 * session under DIR/pending/<id>. DIR (JWT_SESSION_DIR, or session_dir=) is
 * root's (or the effective uid's), mode 0700, made when missing, and every
 * directory above it is checked as for any file the module trusts. A record
 * is read back as hostile input: bounded, every member of its type, nothing
 * unknown. It never holds a token: the token is named by its fingerprint.
 */
#ifndef PAM_JWT_SESSION_H
#define PAM_JWT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_proc.h"
#include "jwt_revoke.h"

#define JWT_SESSION_DIR "/run/pam_jwt/sessions"
#define JWT_SESSION_PENDING "pending"

/* session_end=: JWT_SESSION_END_EXP and JWT_SESSION_END_REVOKE (jwt_config.h). */

/* An id: 16 bytes from getrandom(), in hex. */
#define JWT_SESSION_ID_LEN 32
/* A pending record older than this is not taken by a session, and is pruned. */
#define JWT_SESSION_PENDING_MAX_AGE 300
/* The largest record read, and the longest string member. */
#define JWT_SESSION_RECORD_MAX 16384
#define JWT_SESSION_FIELD_MAX 1024
/* session_warn= at most. */
#define JWT_SESSION_WARN_MAX JWT_MAX_SESSION_WARN
/* The fingerprint as the audit line writes it: "sha256:" and 16 hex digits. */
#define JWT_SESSION_FINGERPRINT_LEN 23

struct jwt_session {
	char id[JWT_SESSION_ID_LEN + 1];
	int64_t created;			/* Unix time the record was written first */
	char *user;				/* the local account */
	/* The token: what the reaper needs to know it, never the token itself. */
	char *iss, *sub, *jti;			/* NULL: absent from the token */
	bool has_iat;
	int64_t iat, exp;
	char fingerprint[JWT_SESSION_FINGERPRINT_LEN + 1];
	char *names[JWT_NAMES_MAX];		/* the names it logged in under (jwt_names_of) */
	size_t nnames;
	/* The session (unset in a pending record). */
	char *service, *rhost, *tty, *logind;	/* NULL: unknown */
	struct jwt_proc proc;			/* the process that opened it; pid 0 when pending */
	unsigned end;				/* JWT_SESSION_END_* */
	long warn;				/* session_warn= seconds; 0: no warning */
	bool warned;				/* the warning was written */
	/* Revocation as the module reads it: the line's revoked_file= and Redis settings. */
	char *revoked_file;
	bool redis;
	char *redis_addr, *redis_password_file, *redis_sentinel, *redis_master;
	long redis_timeout_ms;
};

/* Frees the strings of s and zeroes it. */
void jwt_session_free(struct jwt_session *s);

/* A fresh id from the kernel's random generator. JWT_E_SYSTEM when it fails. */
enum jwt_status jwt_session_new_id(char id[JWT_SESSION_ID_LEN + 1], struct jwt_err *err);

/* Whether id is JWT_SESSION_ID_LEN lower-case hex digits (and so a safe file name). */
bool jwt_session_id_ok(const char *id);

/* session_end=: "exp", "revoke", "exp,revoke" (either order) into JWT_SESSION_END_* bits. */
bool jwt_session_parse_end(const char *value, unsigned *end);

/* The record as JSON text (a fresh string, free it), or NULL when out of memory. */
char *jwt_session_format(const struct jwt_session *s);

/*
 * Parses a record's text (len bytes) into s: a JSON object of known members
 * only, each of its type and within its bounds, strings without NUL bytes.
 * JWT_E_MALFORMED with the reason otherwise (s is then left freed).
 */
enum jwt_status jwt_session_parse(const char *text, size_t len, struct jwt_session *s,
				  struct jwt_err *err);

/*
 * Opens the registry dir (pending: its pending/ subdirectory), made 0700 when
 * missing and create is set, checked: a directory, not a symbolic link, owned
 * by root or the effective uid, no access for group or others, and the
 * directories above it safe (jwt_file_check_parents). *fd is -1 with JWT_OK
 * when it is missing and create is not set. JWT_E_STORE with the reason.
 */
enum jwt_status jwt_session_dir_open(const char *dir, bool pending, bool create, int *fd,
				     struct jwt_err *err);

/* Writes s as dir/<s->id> (or dir/pending/<s->id>), atomically, mode 0600. */
enum jwt_status jwt_session_write(const char *dir, bool pending, const struct jwt_session *s,
				  struct jwt_err *err);

/*
 * Rewrites the record dir/<s->id> if it is still there, atomically: a record
 * removed meanwhile (close_session) is not made again, and *gone is set.
 */
enum jwt_status jwt_session_rewrite(const char *dir, const struct jwt_session *s, bool *gone,
				    struct jwt_err *err);

/*
 * Reads the record id: the file must be a regular file of the effective uid
 * (or root), mode 0600 or stricter, at most JWT_SESSION_RECORD_MAX bytes, and
 * its id member must be its name. JWT_E_STORE when missing or unsafe,
 * JWT_E_MALFORMED when it does not parse.
 */
enum jwt_status jwt_session_read(const char *dir, bool pending, const char *id,
				 struct jwt_session *s, struct jwt_err *err);

/* Removes the record id; JWT_OK if it was not there. */
enum jwt_status jwt_session_remove(const char *dir, bool pending, const char *id,
				   struct jwt_err *err);

/*
 * Calls fn with the id of each record in dir (names that are not ids, temporary
 * files among them, are skipped), in no order; stops when fn returns false.
 * A missing dir has no records.
 */
typedef bool jwt_session_fn(void *ctx, const char *id);
enum jwt_status jwt_session_list(const char *dir, bool pending, jwt_session_fn *fn, void *ctx,
				 struct jwt_err *err);

/* Removes pending records written before now - max_age; *removed counts them. */
enum jwt_status jwt_session_prune_pending(const char *dir, int64_t now, int64_t max_age,
					  unsigned long *removed, struct jwt_err *err);

/*
 * Fills s's token part from verified claims, the account and cfg (names as
 * jwt_names_of() gives them, the revocation settings of cfg), fingerprint
 * already set by the caller. JWT_E_CLAIMS when the claims lack a numeric exp.
 */
enum jwt_status jwt_session_from_claims(struct jwt_session *s, const struct jwt_config *cfg,
					json_object *claims, const char *account,
					struct jwt_err *err);

/*
 * Whether the session's token is revoked now, read as the module reads it:
 * the record's revoked_file= (jwt_revoke_check) and the revocations kept in
 * Redis (jwt_store_redis_mark, peeking). JWT_OK: not revoked; JWT_E_REVOKED
 * with the reason naming the revocation; any other status when it cannot be
 * told (a missing or unsafe file, Redis unreachable).
 */
enum jwt_status jwt_session_revoked(const struct jwt_session *s, int64_t now,
				    struct jwt_err *err);

#endif
