/* Verification keys and the set of them a configuration provides. */
#ifndef PAM_JWT_KEY_H
#define PAM_JWT_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <gcrypt.h>

#include "jwt_alg.h"
#include "jwt_err.h"

struct jwt_key {
	enum jwt_kty kty;
	enum jwt_crv crv;	/* EC and OKP */
	char *kid;		/* optional; only ever compared */
	bool any_kid;		/* secret_file=: tried whatever kid a token names */
	bool has_alg;		/* the key is pinned to one algorithm */
	enum jwt_alg alg;
	unsigned char *secret;	/* JWT_KTY_OCT */
	size_t secret_len;
	gcry_sexp_t pub;	/* RSA, EC, OKP: libgcrypt's (public-key ...) */
	gcry_sexp_t priv;	/* signing keys only (pam-jwt mint): (private-key ...) */
	size_t modulus_len;	/* RSA: bytes of n, the exact signature length */
	char *issuer;		/* the issuer it belongs to: tokens it verifies carry
				 * exactly this "iss"; NULL: not bound */
};

struct jwt_keyset {
	struct jwt_key *keys;
	size_t count;
};

/*
 * Makes key (zeroed by the caller) the HMAC secret in buf, the len bytes read
 * from path: one trailing "\n" or "\r\n" dropped, an empty key refused.
 */
enum jwt_status jwt_key_set_secret_text(struct jwt_key *key, const char *path,
					const unsigned char *buf, size_t len, struct jwt_err *err);

/* Adds a copy of an HMAC secret given in memory, tried whatever kid a token names. */
enum jwt_status jwt_keyset_add_secret(struct jwt_keyset *ks, const unsigned char *secret,
				      size_t len, struct jwt_err *err);

/* Makes key (zeroed by the caller) an HMAC secret holding a copy of len bytes. */
enum jwt_status jwt_key_set_secret(struct jwt_key *key, const unsigned char *secret,
				   size_t len, struct jwt_err *err);

/* Moves key into the set (on failure it is cleared). */
enum jwt_status jwt_keyset_add(struct jwt_keyset *ks, struct jwt_key *key, struct jwt_err *err);

/* Wipes and frees what key holds, leaving it zeroed. */
void jwt_key_clear(struct jwt_key *key);

/* Wipes and frees every key. */
void jwt_keyset_free(struct jwt_keyset *ks);

/* Whether key may verify alg: type (and curve) fits the family, and a pinned alg matches. */
bool jwt_key_fits(const struct jwt_key *key, enum jwt_alg alg);

#endif
