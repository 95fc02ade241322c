/*
 * Audit fields: what a decision's log line says about the token, built from
 * what was decoded, bounded and escaped so that no claim can forge or flood a
 * log line. Never the token or a key: a token is named by a fingerprint.
 */
#ifndef PAM_JWT_AUDIT_H
#define PAM_JWT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* The longest value written for one field; longer ones are cut and end in "...". */
#define JWT_AUDIT_VALUE_MAX 96
/* The longest field name. */
#define JWT_AUDIT_NAME_MAX 16
/* The room for one line's fields. */
#define JWT_AUDIT_MAX 1024

/*
 * A line's fields, as " name=value" pairs appended one after another, each
 * whole or not at all: the first that does not fit ends the line with " ...".
 * So what must survive any claim comes first.
 */
struct jwt_audit {
	char text[JWT_AUDIT_MAX];	/* NUL-terminated */
	size_t len;
	bool full;			/* cut: nothing more is appended */
};

/* jwt_audit_add() of a NUL-terminated value. */
void jwt_audit_add_str(struct jwt_audit *a, const char *name, const char *value);

/*
 * Appends what the token says, where it was decoded (header and claims, each
 * NULL when not): alg and kid from the header; sub, the user claim (when it
 * is not "sub"), iss, aud, jti, iat and exp from the claims. verified says
 * whether the signature verified; when it did not, " signature=unverified"
 * comes first, so no reader mistakes the claims for facts (and the claims are
 * cut off with it when the line is full).
 */
void jwt_audit_token(struct jwt_audit *a, json_object *header, json_object *claims,
		     bool verified, const char *user_claim);

/*
 * Appends what the claims' "cnf" says (nothing without claims): " pop=bearer",
 * " pop=bound jkt=THUMBPRINT" (on an accepted line, the key whose proof was
 * verified), or " pop=unchecked" for a cnf pam_jwt refuses. libgcrypt must
 * be initialised (a cnf.jwk is hashed).
 */
void jwt_audit_binding(struct jwt_audit *a, json_object *claims);

/*
 * Appends " token=sha256:" and the first 8 bytes of SHA-256 over the token's
 * len bytes, in hex: two lines about the same token carry the same value, and
 * the token cannot be recovered from it. libgcrypt must be initialised.
 */
void jwt_audit_fingerprint(struct jwt_audit *a, const char *token, size_t len);

/* The fingerprint alone, "sha256:" and 16 hex digits, as jwt_audit_fingerprint() writes it. */
#define JWT_AUDIT_FINGERPRINT_SIZE 24
void jwt_audit_fingerprint_text(const char *token, size_t len,
				char out[JWT_AUDIT_FINGERPRINT_SIZE]);

#endif
