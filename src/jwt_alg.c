#include "config.h"

#include <string.h>
#include <gcrypt.h>

#include "jwt_alg.h"

static const struct jwt_alg_info algs[JWT_ALG_COUNT] = {
	[JWT_ALG_HS256] = { "HS256", JWT_FAMILY_HMAC, GCRY_MD_SHA256, GCRY_MAC_HMAC_SHA256, 32, 32 },
	[JWT_ALG_HS384] = { "HS384", JWT_FAMILY_HMAC, GCRY_MD_SHA384, GCRY_MAC_HMAC_SHA384, 48, 48 },
	[JWT_ALG_HS512] = { "HS512", JWT_FAMILY_HMAC, GCRY_MD_SHA512, GCRY_MAC_HMAC_SHA512, 64, 64 },
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
