/* The JWS algorithms pam_jwt knows (RFC 7518), and the family each belongs to. */
#ifndef PAM_JWT_ALG_H
#define PAM_JWT_ALG_H

#include <stdbool.h>
#include <stddef.h>

enum jwt_alg {
	JWT_ALG_HS256,
	JWT_ALG_HS384,
	JWT_ALG_HS512,
	JWT_ALG_COUNT
};

/* A family decides which kind of key verifies the algorithm and how. */
enum jwt_family {
	JWT_FAMILY_HMAC,
};

struct jwt_alg_info {
	const char *name;	/* as in the "alg" header, case-sensitive */
	enum jwt_family family;
	int md;			/* libgcrypt digest (GCRY_MD_*) */
	int mac;		/* libgcrypt MAC (GCRY_MAC_*), HMAC only */
	size_t sig_len;		/* exact signature length in bytes */
	size_t min_key_len;	/* shortest acceptable key, in bytes (HMAC) */
};

typedef unsigned int jwt_alg_set;	/* bit (1u << alg) per algorithm */

#define JWT_ALG_BIT(alg) (1u << (alg))

const struct jwt_alg_info *jwt_alg_info(enum jwt_alg alg);

/* Exact, case-sensitive lookup of len bytes; false for anything unknown (e.g. "none"). */
bool jwt_alg_from_name(const char *name, size_t len, enum jwt_alg *alg);

#endif
