#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_key.h"
#include "jwt_mem.h"

void jwt_key_clear(struct jwt_key *key)
{
	jwt_wipe_free(key->secret, key->secret_len);
	gcry_sexp_release(key->pub);
	gcry_sexp_release(key->priv);
	free(key->kid);
	free(key->issuer);
	memset(key, 0, sizeof(*key));
}

void jwt_keyset_free(struct jwt_keyset *ks)
{
	for (size_t i = 0; i < ks->count; i++)
		jwt_key_clear(&ks->keys[i]);
	free(ks->keys);
	ks->keys = NULL;
	ks->count = 0;
}

enum jwt_status jwt_keyset_add(struct jwt_keyset *ks, struct jwt_key *key, struct jwt_err *err)
{
	struct jwt_key *keys = realloc(ks->keys, (ks->count + 1) * sizeof(*keys));

	if (keys == NULL) {
		jwt_key_clear(key);
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	ks->keys = keys;
	keys[ks->count++] = *key;
	memset(key, 0, sizeof(*key));
	return JWT_OK;
}

enum jwt_status jwt_key_set_secret(struct jwt_key *key, const unsigned char *secret,
				   size_t len, struct jwt_err *err)
{
	if (len == 0)
		return jwt_fail(err, JWT_E_KEY, "the HMAC key is empty");
	key->secret = malloc(len);
	if (key->secret == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	memcpy(key->secret, secret, len);
	key->secret_len = len;
	key->kty = JWT_KTY_OCT;
	return JWT_OK;
}

enum jwt_status jwt_keyset_add_secret(struct jwt_keyset *ks, const unsigned char *secret,
				      size_t len, struct jwt_err *err)
{
	struct jwt_key key = { .any_kid = true };
	enum jwt_status rc = jwt_key_set_secret(&key, secret, len, err);

	if (rc != JWT_OK)
		return rc;
	return jwt_keyset_add(ks, &key, err);
}

enum jwt_status jwt_key_set_secret_text(struct jwt_key *key, const char *path,
					const unsigned char *buf, size_t len, struct jwt_err *err)
{
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (len == 0)
		return jwt_fail(err, JWT_E_KEY, "%s holds an empty key", path);
	return jwt_key_set_secret(key, buf, len, err);
}

/* Whether a key of type kty serves the family. */
static bool kty_serves(enum jwt_kty kty, enum jwt_family family)
{
	switch (family) {
	case JWT_FAMILY_HMAC:
		return kty == JWT_KTY_OCT;
	case JWT_FAMILY_RSA:
	case JWT_FAMILY_RSA_PSS:
		return kty == JWT_KTY_RSA;
	case JWT_FAMILY_ECDSA:
		return kty == JWT_KTY_EC;
	case JWT_FAMILY_EDDSA:
		return kty == JWT_KTY_OKP;
	}
	return false;
}

bool jwt_key_fits(const struct jwt_key *key, enum jwt_alg alg)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);

	if (key->has_alg && key->alg != alg)
		return false;
	if (!kty_serves(key->kty, info->family))
		return false;
	/* ES256 is P-256 only, and so on; oct and RSA keys have no curve. */
	return key->crv == info->crv;
}
