/*
 * DPoP proofs (RFC 9449 §4.2) made by the user's side: pam-jwt proof,
 * askpass's answer to pam_jwt's challenge, and login's token requests.
 */
#ifndef PAM_JWT_CLI_DPOP_H
#define PAM_JWT_CLI_DPOP_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "jwt_jwks.h"
#include "jwt_key.h"

/* The file name of the proof key beside the token cache. */
#define DPOP_KEY_FILE "dpop_key"

/* A proof key: the private key, its algorithm, its public JWK and thumbprint. */
struct dpop_key {
	struct jwt_key key;
	enum jwt_alg alg;
	json_object *pub;			/* only the RFC 7638 members: no private one */
	char jkt[JWT_JWK_THUMBPRINT_LEN + 1];
};

/*
 * Loads the private JWK in path (EC, OKP or RSA; not readable by others, in
 * safe directories) into k (zeroed by the caller). False, with a message
 * naming path, when it cannot be read or is not a private asymmetric key.
 * libgcrypt must be initialised. Clear k with dpop_key_clear() either way.
 */
bool dpop_key_load(const char *path, struct dpop_key *k);

/* Makes k (zeroed by the caller) from a parsed private JWK; what names it in messages. */
bool dpop_key_from_jwk(json_object *jwk, const char *what, struct dpop_key *k);

/* Wipes and frees what k holds. */
void dpop_key_clear(struct dpop_key *k);

/*
 * A DPoP proof by k: header typ "dpop+jwt", alg, the public jwk; claims a
 * random jti, htm, htu, iat now, nonce (unless NULL) and ath, the base64url
 * SHA-256 of the token's token_len bytes (unless token is NULL). A fresh
 * string of *len bytes (free with jwt_wipe_free(p, *len)), or NULL with a
 * message.
 */
char *dpop_proof_make(const struct dpop_key *k, const char *htm, const char *htu,
		      const char *nonce, const char *token, size_t token_len, size_t *len);

/* Whether s is a non-empty string of visible ASCII (no space): a nonce or an htu. */
bool dpop_text_ok(const char *s);

#endif
