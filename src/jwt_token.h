/* A JWS in compact serialization: split, decoded, header understood. */
#ifndef PAM_JWT_TOKEN_H
#define PAM_JWT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "jwt_alg.h"
#include "jwt_err.h"

/* The longest token looked at; anything longer is refused before decoding. */
#define JWT_TOKEN_MAX 16384

struct jwt_token {
	const char *signing_input;	/* "header.payload", within the caller's string */
	size_t signing_input_len;
	unsigned char *decoded;		/* one allocation holding the three decoded segments */
	size_t decoded_size;
	char *header_json;		/* decoded segments within it, NUL-terminated */
	size_t header_len;
	char *payload_json;
	size_t payload_len;
	unsigned char *sig;
	size_t sig_len;
	json_object *header;		/* set by jwt_token_parse_header() */
	enum jwt_alg alg;
	const char *kid;		/* NULL when absent */
	size_t kid_len;
	json_object *claims;		/* set by jwt_token_parse_claims() */
};

/*
 * Splits s (len bytes) into exactly three segments of strict base64url and
 * decodes them; the header and signature must not be empty (the payload may:
 * RFC 7515, though as a JWT it then has no claims). t must be zeroed; free it with jwt_token_free()
 * whatever the result.
 */
enum jwt_status jwt_token_decode(struct jwt_token *t, const char *s, size_t len,
				 struct jwt_err *err);

/*
 * Whether s (len bytes) is a JWS as far as its header: exactly three
 * dot-separated segments, the first strict base64url of a JSON object. The
 * module says nothing derived from other input (a password typed at the
 * token prompt): no fingerprint, no reason that depends on it. The other
 * segments are not looked at, so a token cut short still counts. *jws is set
 * on JWT_OK; JWT_E_NOMEM when out of memory.
 */
enum jwt_status jwt_token_is_jws_shaped(const char *s, size_t len, bool *jws,
					struct jwt_err *err);

/*
 * Parses the header: one JSON object, a known "alg" (never "none"), no "crit",
 * a string "kid" if any. Does not apply the configuration's allowlist.
 */
enum jwt_status jwt_token_parse_header(struct jwt_token *t, struct jwt_err *err);

/* Parses the payload as one JSON object (the claims set). */
enum jwt_status jwt_token_parse_claims(struct jwt_token *t, struct jwt_err *err);

/* Wipes the decoded copies and frees everything. */
void jwt_token_free(struct jwt_token *t);

#endif
