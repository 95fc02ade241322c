/*
 * Revocations: the revoked_file= lines an administrator writes (pam-jwt
 * revoke), checked at each authentication. One line each:
 *
 *   jti ID [until=TIME]               the token whose jti is ID
 *   sub S [before=TIME] [until=TIME]  every token that logs in as S (issued before TIME)
 *   iss I before=TIME [until=TIME]    every token of issuer I issued before TIME
 *
 * "Logs in as S": S is one of the token's names (struct jwt_names), in any
 * ASCII case. jti and iss are compared exactly.
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
#include "jwt_file.h"

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

/*
 * The names a token logs in under, which a sub revocation is matched
 * against: its "sub" claim, its user claim (user_claim=) as it stands, the
 * identity after user_domain= and user_lowercase, and the local account.
 * So no other spelling of a revoked name gets through (user_lowercase,
 * user_nocase, a domain in capitals), whatever claim user_claim= names, and
 * every identity that user_map= or policy_file= lets log in as a revoked
 * account is refused with it.
 */
#define JWT_NAMES_MAX 4
struct jwt_names {
	const char *name[JWT_NAMES_MAX];	/* within the claims, identity or account */
	size_t len[JWT_NAMES_MAX];
	size_t count;
	char *identity;				/* owned */
};

/*
 * Fills names for verified claims and the account they log in as (both must
 * outlive names). JWT_E_USER or JWT_E_NOMEM when the identity cannot be
 * derived. Free with jwt_names_free().
 */
enum jwt_status jwt_names_of(const struct jwt_config *cfg, json_object *claims,
			     const char *account, struct jwt_names *names, struct jwt_err *err);
void jwt_names_free(struct jwt_names *names);

/* "jti", "sub", "iss". */
const char *jwt_revoke_kind_name(enum jwt_revoke_kind kind);

/* Parses TIME (Unix seconds or YYYY-MM-DDTHH:MM:SSZ) of len bytes. */
bool jwt_revoke_parse_time(const char *s, size_t len, int64_t *out);

/* Formats t as YYYY-MM-DDTHH:MM:SSZ into buf (at least 21 bytes). */
void jwt_revoke_format_time(int64_t t, char *buf, size_t size);

/*
 * Parses one line (as jwt_text_lines() gives it). *empty for a blank or
 * comment line. JWT_E_KEY with a reason naming the file and line when
 * malformed.
 */
enum jwt_status jwt_revoke_parse_line(const struct jwt_line *line, struct jwt_revocation *r,
				      bool *empty, struct jwt_err *err);

/* Whether r covers a token with these verified claims, logging in under names. */
bool jwt_revoke_matches(const struct jwt_revocation *r, json_object *claims,
			const struct jwt_names *names);

/*
 * Calls fn for each revocation of text (len bytes, the whole file; what names
 * it in reasons), read by jwt_text_lines(), with its line number and the line
 * itself; stops when fn returns false (fn NULL: only validates). JWT_E_KEY
 * when a line is malformed or the text is not a whole file.
 */
typedef bool jwt_revoke_fn(void *ctx, unsigned lineno, const char *line, size_t line_len,
			   const struct jwt_revocation *r);
enum jwt_status jwt_revoke_each(const char *what, const char *text, size_t len,
				jwt_revoke_fn *fn, void *ctx, struct jwt_err *err);

/*
 * With revoked_file= set, reads it and refuses (JWT_E_REVOKED, naming the
 * line) a token one of its lines covers. A file that is missing, unsafe or
 * malformed refuses every token (JWT_E_KEY). Without revoked_file=, JWT_OK.
 */
enum jwt_status jwt_revoke_check(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_names *names, const struct jwt_trace *tr,
				 struct jwt_err *err);

#endif
