#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_file.h"
#include "jwt_jwks.h"
#include "jwt_keyset.h"
#include "jwt_match.h"
#include "jwt_mem.h"

/* Adds the HMAC secret in path (one trailing "\n" or "\r\n" dropped). */
static enum jwt_status add_secret_file(struct jwt_keyset *ks, const char *path,
				       struct jwt_err *err)
{
	struct jwt_key key = { .any_kid = true };
	unsigned char *buf;
	size_t len;
	enum jwt_status rc;

	rc = jwt_file_read(path, JWT_FILE_SECRET, JWT_SECRET_FILE_MAX, &buf, &len, err);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_key_set_secret_text(&key, path, buf, len, err);
	jwt_wipe_free(buf, len);
	return rc == JWT_OK ? jwt_keyset_add(ks, &key, err) : rc;
}

/*
 * jwks_file= is a comma-separated list of key sets. With several issuers in
 * issuer= and several key files, each set must be bound to its issuer (a
 * top-level "issuer"), or a key of one provider would verify tokens claiming
 * another.
 */
static enum jwt_status add_jwks_files(const struct jwt_config *cfg, struct jwt_keyset *ks,
				      struct jwt_err *err)
{
	bool must_bind = jwt_keys_must_bind(cfg);
	struct jwt_list l;
	const char *el;
	size_t n;
	enum jwt_status rc;

	jwt_list_start(&l, cfg->jwks_file, strlen(cfg->jwks_file));
	while (jwt_list_next(&l, &el, &n)) {
		size_t before = ks->count;
		char path[PATH_MAX];

		if (n == 0 || n >= sizeof(path))
			return jwt_fail(err, JWT_E_CONFIG, "jwks_file= has an empty or too long element");
		memcpy(path, el, n);
		path[n] = '\0';
		rc = jwt_keyset_add_jwks_file(ks, path, err);
		if (rc != JWT_OK)
			return rc;
		if (must_bind && ks->count > before && ks->keys[before].issuer == NULL)
			return jwt_fail(err, JWT_E_KEY, "issuer= names several issuers and there are "
					"several key files, and %s has no \"issuer\" member binding "
					"its keys to one", path);
	}
	return JWT_OK;
}

enum jwt_status jwt_keyset_load(const struct jwt_config *cfg, struct jwt_keyset *ks,
				struct jwt_err *err)
{
	enum jwt_status rc = JWT_OK;

	if (cfg->secret_file == NULL && cfg->jwks_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "no key configured");
	if (cfg->secret_file != NULL)
		rc = add_secret_file(ks, cfg->secret_file, err);
	if (rc == JWT_OK && cfg->secret_issuer != NULL) {
		if (ks->count == 0)
			rc = jwt_fail(err, JWT_E_KEY, "secret_file= gave no key");
		else if ((ks->keys[ks->count - 1].issuer = strdup(cfg->secret_issuer)) == NULL)
			rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	if (rc == JWT_OK && cfg->jwks_file != NULL)
		rc = add_jwks_files(cfg, ks, err);
	return rc;
}
