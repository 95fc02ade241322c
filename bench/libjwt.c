/* libjwt 1.x, as in Debian 12's libjwt-dev. */
#include "config.h"

#include <string.h>
#include <jwt.h>

#include "libjwt.h"

bool libjwt_knows(const char *alg)
{
	return jwt_str_alg(alg) != JWT_ALG_INVAL;
}

bool libjwt_verify(const char *token, const unsigned char *key, size_t key_len,
		   const char *user, int64_t now)
{
	jwt_t *jwt = NULL;
	const char *sub;
	bool ok = false;

	if (jwt_decode(&jwt, token, key, (int)key_len) == 0) {
		sub = jwt_get_grant(jwt, "sub");
		ok = jwt_get_grant_int(jwt, "exp") > now && sub != NULL && strcmp(sub, user) == 0;
	}
	jwt_free(jwt);
	return ok;
}
