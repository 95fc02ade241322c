/* Verification keys and the set of them a configuration provides. */
#ifndef PAM_JWT_KEY_H
#define PAM_JWT_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_alg.h"
#include "jwt_err.h"

/* Key types (RFC 7517 "kty"). The type alone decides which family a key can verify. */
enum jwt_kty {
	JWT_KTY_OCT,		/* symmetric secret: HMAC only */
};

struct jwt_key {
	enum jwt_kty kty;
	char *kid;		/* optional; only ever compared */
	bool has_alg;		/* the key is pinned to one algorithm */
	enum jwt_alg alg;
	unsigned char *secret;	/* JWT_KTY_OCT */
	size_t secret_len;
};

struct jwt_keyset {
	struct jwt_key *keys;
	size_t count;
};

/* The largest key file read, in bytes. */
#define JWT_SECRET_FILE_MAX 4096

/* Adds the HMAC secret in path (one trailing "\n" or "\r\n" dropped). */
enum jwt_status jwt_keyset_add_secret_file(struct jwt_keyset *ks, const char *path,
					   struct jwt_err *err);

/* Adds a copy of an HMAC secret given in memory. */
enum jwt_status jwt_keyset_add_secret(struct jwt_keyset *ks, const unsigned char *secret,
				      size_t len, struct jwt_err *err);

/* Wipes and frees every key. */
void jwt_keyset_free(struct jwt_keyset *ks);

/* Whether key may verify alg: type fits the family, and a pinned alg matches. */
bool jwt_key_fits(const struct jwt_key *key, enum jwt_alg alg);

#endif
