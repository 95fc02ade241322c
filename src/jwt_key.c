#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_file.h"
#include "jwt_key.h"

static void key_clear(struct jwt_key *key)
{
	jwt_wipe_free(key->secret, key->secret_len);
	free(key->kid);
	memset(key, 0, sizeof(*key));
}

void jwt_keyset_free(struct jwt_keyset *ks)
{
	for (size_t i = 0; i < ks->count; i++)
		key_clear(&ks->keys[i]);
	free(ks->keys);
	ks->keys = NULL;
	ks->count = 0;
}

/* Appends an empty key and returns it, or NULL when out of memory. */
static struct jwt_key *keyset_append(struct jwt_keyset *ks)
{
	struct jwt_key *keys = realloc(ks->keys, (ks->count + 1) * sizeof(*keys));

	if (keys == NULL)
		return NULL;
	ks->keys = keys;
	memset(&keys[ks->count], 0, sizeof(keys[0]));
	return &keys[ks->count++];
}

enum jwt_status jwt_keyset_add_secret(struct jwt_keyset *ks, const unsigned char *secret,
				      size_t len, struct jwt_err *err)
{
	struct jwt_key *key;
	unsigned char *copy;

	if (len == 0)
		return jwt_fail(err, JWT_E_KEY, "the HMAC key is empty");
	copy = malloc(len);
	if (copy == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	key = keyset_append(ks);
	if (key == NULL) {
		free(copy);
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	memcpy(copy, secret, len);
	key->kty = JWT_KTY_OCT;
	key->secret = copy;
	key->secret_len = len;
	return JWT_OK;
}

enum jwt_status jwt_keyset_add_secret_file(struct jwt_keyset *ks, const char *path,
					   struct jwt_err *err)
{
	unsigned char *buf;
	size_t len, keylen;
	enum jwt_status rc;

	rc = jwt_file_read(path, JWT_FILE_SECRET, JWT_SECRET_FILE_MAX, &buf, &len, err);
	if (rc != JWT_OK)
		return rc;
	keylen = len;
	if (keylen > 0 && buf[keylen - 1] == '\n') {
		keylen--;
		if (keylen > 0 && buf[keylen - 1] == '\r')
			keylen--;
	}
	if (keylen == 0)
		rc = jwt_fail(err, JWT_E_KEY, "%s holds an empty key", path);
	else
		rc = jwt_keyset_add_secret(ks, buf, keylen, err);
	jwt_wipe_free(buf, len);
	return rc;
}

bool jwt_key_fits(const struct jwt_key *key, enum jwt_alg alg)
{
	if (key->has_alg && key->alg != alg)
		return false;
	switch (jwt_alg_info(alg)->family) {
	case JWT_FAMILY_HMAC:
		return key->kty == JWT_KTY_OCT;
	}
	return false;
}
