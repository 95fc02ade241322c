#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_alg.h"

#define HMAC(name, md, mac, len) { name, JWT_FAMILY_HMAC, md, mac, len, len, JWT_CRV_NONE }
#define RSA(name, family, md) { name, family, md, 0, 0, 0, JWT_CRV_NONE }
#define CURVE(name, family, md, len, crv) { name, family, md, 0, len, 0, crv }

static const struct jwt_alg_info algs[JWT_ALG_COUNT] = {
	[JWT_ALG_HS256] = HMAC("HS256", GCRY_MD_SHA256, GCRY_MAC_HMAC_SHA256, 32),
	[JWT_ALG_HS384] = HMAC("HS384", GCRY_MD_SHA384, GCRY_MAC_HMAC_SHA384, 48),
	[JWT_ALG_HS512] = HMAC("HS512", GCRY_MD_SHA512, GCRY_MAC_HMAC_SHA512, 64),
	[JWT_ALG_RS256] = RSA("RS256", JWT_FAMILY_RSA, GCRY_MD_SHA256),
	[JWT_ALG_RS384] = RSA("RS384", JWT_FAMILY_RSA, GCRY_MD_SHA384),
	[JWT_ALG_RS512] = RSA("RS512", JWT_FAMILY_RSA, GCRY_MD_SHA512),
	[JWT_ALG_PS256] = RSA("PS256", JWT_FAMILY_RSA_PSS, GCRY_MD_SHA256),
	[JWT_ALG_PS384] = RSA("PS384", JWT_FAMILY_RSA_PSS, GCRY_MD_SHA384),
	[JWT_ALG_PS512] = RSA("PS512", JWT_FAMILY_RSA_PSS, GCRY_MD_SHA512),
	/* RFC 7518 §3.4: R and S, each as long as the curve's order, concatenated. */
	[JWT_ALG_ES256] = CURVE("ES256", JWT_FAMILY_ECDSA, GCRY_MD_SHA256, 64, JWT_CRV_P256),
	[JWT_ALG_ES384] = CURVE("ES384", JWT_FAMILY_ECDSA, GCRY_MD_SHA384, 96, JWT_CRV_P384),
	[JWT_ALG_ES512] = CURVE("ES512", JWT_FAMILY_ECDSA, GCRY_MD_SHA512, 132, JWT_CRV_P521),
	/* RFC 8037 §3.1: Ed25519 signs the message itself (the hash is part of EdDSA). */
	[JWT_ALG_EDDSA] = CURVE("EdDSA", JWT_FAMILY_EDDSA, GCRY_MD_SHA512, 64, JWT_CRV_ED25519),
};

const struct jwt_alg_info *jwt_alg_info(enum jwt_alg alg)
{
	return &algs[alg];
}

bool jwt_alg_from_name(const char *name, size_t len, enum jwt_alg *alg)
{
	for (int i = 0; i < JWT_ALG_COUNT; i++) {
		if (strlen(algs[i].name) == len && memcmp(algs[i].name, name, len) == 0) {
			*alg = (enum jwt_alg)i;
			return true;
		}
	}
	return false;
}

void jwt_alg_names(char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < JWT_ALG_COUNT && at < size; i++) {
		int n = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", algs[i].name);

		if (n < 0)
			break;
		at += (size_t)n;
	}
}

/* The curves, by enum jwt_crv. */
static const struct curve {
	const char *jwk;	/* RFC 7518 / RFC 8037 name */
	const char *gcry;	/* libgcrypt's name */
	enum jwt_kty kty;
	size_t len;		/* bytes of a coordinate (EC) or of the encoded point (OKP) */
} curves[] = {
	[JWT_CRV_NONE] = { "", "", JWT_KTY_OCT, 0 },
	[JWT_CRV_P256] = { "P-256", "NIST P-256", JWT_KTY_EC, 32 },
	[JWT_CRV_P384] = { "P-384", "NIST P-384", JWT_KTY_EC, 48 },
	[JWT_CRV_P521] = { "P-521", "NIST P-521", JWT_KTY_EC, 66 },
	[JWT_CRV_ED25519] = { "Ed25519", "Ed25519", JWT_KTY_OKP, 32 },
};

enum jwt_crv jwt_crv_from_name(const char *name, size_t len)
{
	for (size_t i = 1; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strlen(curves[i].jwk) == len && memcmp(curves[i].jwk, name, len) == 0)
			return (enum jwt_crv)i;
	return JWT_CRV_NONE;
}

const char *jwt_crv_name(enum jwt_crv crv)
{
	return curves[crv].jwk;
}

enum jwt_kty jwt_crv_kty(enum jwt_crv crv)
{
	return curves[crv].kty;
}

const char *jwt_crv_gcry_name(enum jwt_crv crv)
{
	return curves[crv].gcry;
}

size_t jwt_crv_len(enum jwt_crv crv)
{
	return curves[crv].len;
}
