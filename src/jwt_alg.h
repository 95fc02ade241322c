/*
 * The JWS algorithms pam_jwt knows (RFC 7518, RFC 8037), the family each
 * belongs to, and the key types and curves that serve them.
 */
#ifndef PAM_JWT_ALG_H
#define PAM_JWT_ALG_H

#include <stdbool.h>
#include <stddef.h>

enum jwt_alg {
	JWT_ALG_HS256,
	JWT_ALG_HS384,
	JWT_ALG_HS512,
	JWT_ALG_RS256,
	JWT_ALG_RS384,
	JWT_ALG_RS512,
	JWT_ALG_PS256,
	JWT_ALG_PS384,
	JWT_ALG_PS512,
	JWT_ALG_ES256,
	JWT_ALG_ES384,
	JWT_ALG_ES512,
	JWT_ALG_EDDSA,
	JWT_ALG_COUNT
};

/* A family decides which kind of key verifies the algorithm and how. */
enum jwt_family {
	JWT_FAMILY_HMAC,	/* "oct" keys */
	JWT_FAMILY_RSA,		/* RSASSA-PKCS1-v1_5, "RSA" keys */
	JWT_FAMILY_RSA_PSS,	/* RSASSA-PSS, salt as long as the hash, "RSA" keys */
	JWT_FAMILY_ECDSA,	/* "EC" keys on the algorithm's curve */
	JWT_FAMILY_EDDSA,	/* "OKP" keys */
};

/*
 * Key types (RFC 7517 "kty"). The type (and for EC/OKP the curve) alone
 * decides which family a key can verify: a public key is never an HMAC secret.
 */
enum jwt_kty {
	JWT_KTY_OCT,		/* symmetric secret: HMAC only */
	JWT_KTY_RSA,		/* RSA public key: RS* and PS* */
	JWT_KTY_EC,		/* ECDSA public key: ES* of its curve */
	JWT_KTY_OKP,		/* Ed25519 public key: EdDSA */
};

/* Curves of "EC" and "OKP" keys (RFC 7518 §6.2.1.1, RFC 8037 §2). */
enum jwt_crv {
	JWT_CRV_NONE,
	JWT_CRV_P256,
	JWT_CRV_P384,
	JWT_CRV_P521,
	JWT_CRV_ED25519,
};

struct jwt_alg_info {
	const char *name;	/* as in the "alg" header, case-sensitive */
	enum jwt_family family;
	int md;			/* libgcrypt digest (GCRY_MD_*) */
	int mac;		/* libgcrypt MAC (GCRY_MAC_*), HMAC only */
	size_t sig_len;		/* exact signature length in bytes; 0 for RSA (the modulus') */
	size_t min_key_len;	/* shortest acceptable key, in bytes (HMAC) */
	enum jwt_crv crv;	/* the one curve of ECDSA and EdDSA algorithms */
};

/* The longest signature any known algorithm makes (RSA with an 8192-bit key). */
#define JWT_SIG_MAX 1024

typedef unsigned int jwt_alg_set;	/* bit (1u << alg) per algorithm */

#define JWT_ALG_BIT(alg) (1u << (alg))
#define JWT_ALG_ALL ((1u << JWT_ALG_COUNT) - 1)

const struct jwt_alg_info *jwt_alg_info(enum jwt_alg alg);

/* Exact, case-sensitive lookup of len bytes; false for anything unknown (e.g. "none"). */
bool jwt_alg_from_name(const char *name, size_t len, enum jwt_alg *alg);

/* Room for jwt_alg_names(): every name and its separator. */
#define JWT_ALG_NAMES_MAX (JWT_ALG_COUNT * 8)

/* Every algorithm's name, in the table's order: "HS256, HS384, ..., EdDSA". */
void jwt_alg_names(char *buf, size_t size);

/* A curve by its JWK "crv" name; JWT_CRV_NONE for names pam_jwt does not support. */
enum jwt_crv jwt_crv_from_name(const char *name, size_t len);

/* The JWK name of crv ("P-256"), and its key type. */
const char *jwt_crv_name(enum jwt_crv crv);
enum jwt_kty jwt_crv_kty(enum jwt_crv crv);

/* libgcrypt's name of crv ("NIST P-256"), and the bytes of a coordinate (EC) or key (OKP). */
const char *jwt_crv_gcry_name(enum jwt_crv crv);
size_t jwt_crv_len(enum jwt_crv crv);

#endif
