/*
 * Proof of possession: tokens bound to a key (the "cnf" claim, RFC 7800) and
 * the DPoP proof (RFC 9449 §4.2) that shows the key's holder is logging in.
 * The core asks for the proof through a source the caller supplies (the
 * module prompts; pam-jwt verify reads a file), so it knows no PAM.
 */
#ifndef PAM_JWT_POP_H
#define PAM_JWT_POP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_jwks.h"
#include "jwt_match.h"

/* The challenge's nonce: 16 random bytes, 22 base64url characters. */
#define JWT_POP_NONCE_BYTES 16
#define JWT_POP_NONCE_LEN 22
/* The longest nonce a proof may answer (pam-jwt verify --nonce). */
#define JWT_POP_NONCE_MAX 64
/* The longest service name put in the HTU. */
#define JWT_POP_SERVICE_MAX 128
/* "pam://HOST/SERVICE" */
#define JWT_POP_HTU_MAX (6 + JWT_HOST_NAME_MAX + 1 + JWT_POP_SERVICE_MAX)
/* The "htm" of every proof given to pam_jwt. */
#define JWT_POP_HTM "PAM"

/* What one authentication asks a proof for; the nonce lives in memory only. */
struct jwt_pop_challenge {
	char htu[JWT_POP_HTU_MAX + 1];
	char nonce[JWT_POP_NONCE_MAX + 1];
};

/*
 * A new challenge: HTU "pam://HOST/SERVICE" (HOST as %h expands, cfg->service
 * the PAM service) and a nonce from getrandom(). JWT_E_CONFIG when the host or
 * service is unknown, too long or holds a character outside printable ASCII
 * or a space or '/' (the service); JWT_E_SYSTEM when no random bytes come.
 */
enum jwt_status jwt_pop_challenge_new(const struct jwt_config *cfg, struct jwt_pop_challenge *ch,
				      struct jwt_err *err);

/* Wipes the challenge (the nonce). */
void jwt_pop_challenge_clear(struct jwt_pop_challenge *ch);

/* A token's binding as its "cnf" claim states it (RFC 7800 §3). */
struct jwt_pop_binding {
	bool bound;				/* cnf holds jkt, or jwk, or both agreeing */
	char jkt[JWT_JWK_THUMBPRINT_LEN + 1];	/* the key's RFC 7638 thumbprint */
};

/*
 * Reads "cnf" from claims into b. No cnf: bearer (b->bound false), JWT_OK.
 * "jkt" (43 base64url characters, a SHA-256) and/or "jwk" (a public key, its
 * thumbprint taken): bound; both must name the same key. JWT_E_CLAIMS for a
 * cnf that is not an object or a malformed member; JWT_E_PROOF for a cnf with
 * only confirmation methods pam_jwt cannot check (x5t#S256: certificate-bound
 * tokens), or none. libgcrypt must be initialised.
 */
enum jwt_status jwt_pop_binding(json_object *claims, struct jwt_pop_binding *b,
				struct jwt_err *err);

/*
 * Where a proof comes from. ask() answers the challenge with a proof: on
 * JWT_OK, *proof is a malloc'd NUL-terminated string of *len bytes that the
 * core wipes and frees; otherwise err says why (no answer: a missing proof).
 */
struct jwt_pop_source {
	const struct jwt_pop_challenge *challenge;
	enum jwt_status (*ask)(void *ctx, const struct jwt_pop_challenge *ch, char **proof,
			       size_t *len, struct jwt_err *err);
	void *ctx;
};

/*
 * The proof's signature step: alg asymmetric (never HS*), jwk a public key
 * (no private or secret member) of a type that fits alg, and sig over input
 * verifies with it (jwt_sig_verify). JWT_E_PROOF with the reason otherwise.
 * Apart, so that Wycheproof's vectors run through it (test_wycheproof).
 */
enum jwt_status jwt_pop_verify_signature(json_object *jwk, enum jwt_alg alg, const void *input,
					 size_t input_len, const unsigned char *sig,
					 size_t sig_len, struct jwt_err *err);

/*
 * Checks a DPoP proof (len bytes) for the token (token_len bytes) bound to
 * jkt, at now with leeway seconds either side of the proof's iat: not the
 * token itself; a JWS whose header has typ "dpop+jwt", an asymmetric alg and
 * a public jwk whose thumbprint is jkt; its signature verifies with that jwk;
 * its claims have a non-empty jti, htm "PAM", htu and nonce of ch, and ath the
 * base64url SHA-256 of the token. JWT_E_PROOF with the reason of the first
 * failure ("DPoP proof: ..."); every comparison is in constant time.
 */
enum jwt_status jwt_pop_verify_proof(const char *proof, size_t len,
				     const struct jwt_pop_challenge *ch, const char *token,
				     size_t token_len, const char *jkt, int64_t now, long leeway,
				     struct jwt_err *err);

/*
 * The pipeline's step (jwt_verify): a bearer token passes unless pop=required;
 * a bound token passes only with a proof from src that jwt_pop_verify_proof()
 * accepts. No src (or no ask): a bound token is refused, saying it needs a
 * proof. Reported to tr as "pop"; *b says what the token is bound to.
 */
enum jwt_status jwt_pop_check(const struct jwt_config *cfg, json_object *claims,
			      const char *token, size_t len, int64_t now,
			      const struct jwt_pop_source *src, const struct jwt_trace *tr,
			      struct jwt_pop_binding *b, struct jwt_err *err);

#endif
