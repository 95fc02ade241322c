/*
 * Revocations: the revoked_file= lines an administrator writes (pam-jwt
 * revoke), checked at each authentication. One line each:
 *
 *   jti ID [until=TIME]               the token whose jti is ID
 *   sub S [before=TIME] [until=TIME]  every token of subject S (issued before TIME)
 *   iss I before=TIME [until=TIME]    every token of issuer I issued before TIME
 *
 * TIME is Unix seconds or UTC "YYYY-MM-DDTHH:MM:SSZ". "Issued before" is
 * iat < TIME; a token without iat counts as issued before. until= says when
 * the line may be dropped (every token it covers has expired); the module
 * applies a line until it is dropped. Blank lines and lines starting with #
 * are ignored; fields are separated by spaces or tabs, values hold neither.
 */
#ifndef PAM_JWT_REVOKE_H
#define PAM_JWT_REVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* The largest revoked_file= read. */
#define JWT_REVOKE_FILE_MAX (4u << 20)

enum jwt_revoke_kind {
	JWT_REVOKE_JTI,
	JWT_REVOKE_SUB,
	JWT_REVOKE_ISS,
};

struct jwt_revocation {
	enum jwt_revoke_kind kind;
	const char *value;		/* within the parsed line, value_len bytes */
	size_t value_len;
	bool has_before, has_until;
	int64_t before, until;
};

/* "jti", "sub", "iss". */
const char *jwt_revoke_kind_name(enum jwt_revoke_kind kind);

/* Parses TIME (Unix seconds or YYYY-MM-DDTHH:MM:SSZ) of len bytes. */
bool jwt_revoke_parse_time(const char *s, size_t len, int64_t *out);

/* Formats t as YYYY-MM-DDTHH:MM:SSZ into buf (at least 21 bytes). */
void jwt_revoke_format_time(int64_t t, char *buf, size_t size);

/*
 * Parses one line of len bytes (without its newline). *empty for a blank or
 * comment line. JWT_E_KEY with a reason naming lineno when malformed.
 */
enum jwt_status jwt_revoke_parse_line(const char *line, size_t len, unsigned lineno,
				      struct jwt_revocation *r, bool *empty, struct jwt_err *err);

/* Whether r covers a token with these verified claims. */
bool jwt_revoke_matches(const struct jwt_revocation *r, json_object *claims);

/*
 * Calls fn for each revocation of text (len bytes, the whole file), with its
 * line number and the line itself; stops when fn returns false (fn NULL:
 * only validates). JWT_E_KEY when
 * a line is malformed or the last one does not end with a newline.
 */
typedef bool jwt_revoke_fn(void *ctx, unsigned lineno, const char *line, size_t line_len,
			   const struct jwt_revocation *r);
enum jwt_status jwt_revoke_each(const char *text, size_t len, jwt_revoke_fn *fn, void *ctx,
				struct jwt_err *err);

/*
 * With revoked_file= set, reads it and refuses (JWT_E_REVOKED, naming the
 * line) a token one of its lines covers. A file that is missing, unsafe or
 * malformed refuses every token (JWT_E_KEY). Without revoked_file=, JWT_OK.
 */
enum jwt_status jwt_revoke_check(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_trace *tr, struct jwt_err *err);

#endif
