#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_jwks.h"
#include "jwt_mem.h"
#include "jwt_pubkey.h"

/* Members that only private keys have (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi", "oth" };

/* Overwrites json-c's copy of member name (writable) when it is a string. */
static void wipe_member(json_object *jwk, const char *name)
{
	size_t len;
	const char *s = jwt_json_string(jwk, name, &len);

	if (s != NULL)
		explicit_bzero((char *)s, len);
}

void jwt_jwk_wipe_secrets(json_object *jwk)
{
	wipe_member(jwk, "k");
	for (size_t i = 0; i < sizeof(private_members) / sizeof(private_members[0]); i++)
		wipe_member(jwk, private_members[i]);
}

/* The first private member (d, p, q, dp, dq, qi, oth) the JWK object has, or NULL. */
static const char *private_member(json_object *jwk)
{
	for (size_t i = 0; i < sizeof(private_members) / sizeof(private_members[0]); i++)
		if (json_object_object_get_ex(jwk, private_members[i], NULL))
			return private_members[i];
	return NULL;
}

void jwt_jwk_remove(json_object *jwk, const char *name)
{
	wipe_member(jwk, name);
	json_object_object_del(jwk, name);
}

static bool string_is(const char *s, size_t len, const char *want)
{
	return s != NULL && strlen(want) == len && memcmp(s, want, len) == 0;
}

const char *jwt_jwk_secret_member(json_object *jwk)
{
	const char *private = private_member(jwk), *kty;
	size_t kty_len;

	if (private != NULL)
		return private;
	if (json_object_object_get_ex(jwk, "k", NULL))
		return "k";
	kty = jwt_json_string(jwk, "kty", &kty_len);
	return string_is(kty, kty_len, "oct") ? "kty" : NULL;
}

/* An optional member: absent is fine, present must be a string (*s NULL when absent). */
static enum jwt_status optional_string(json_object *jwk, const char *name, const char **s,
				       size_t *len, struct jwt_err *err)
{
	*s = NULL;
	*len = 0;
	if (!json_object_object_get_ex(jwk, name, NULL))
		return JWT_OK;
	*s = jwt_json_string(jwk, name, len);
	if (*s == NULL)
		return jwt_fail(err, JWT_E_KEY, "\"%s\" is not a string", name);
	return JWT_OK;
}

enum jwt_status jwt_jwk_bytes(json_object *jwk, const char *name, unsigned char **out,
			      size_t *out_len, struct jwt_err *err)
{
	size_t len;
	const char *s = jwt_json_string(jwk, name, &len);

	*out = NULL;
	if (s == NULL || len == 0)
		return jwt_fail(err, JWT_E_KEY, "\"%s\" is missing or not a non-empty string", name);
	*out = malloc(JWT_B64URL_DECODED_MAX(len));
	if (*out == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (!jwt_b64url_decode(s, len, *out, out_len)) {
		jwt_wipe_free(*out, JWT_B64URL_DECODED_MAX(len));
		*out = NULL;
		return jwt_fail(err, JWT_E_KEY, "\"%s\" is not strict base64url", name);
	}
	return JWT_OK;
}

/* Whether the JWK allows verifying, by "use" and "key_ops" (RFC 7517 §4.2, §4.3). */
static enum jwt_status for_verifying(json_object *jwk, bool *yes, struct jwt_err *err)
{
	const char *use;
	size_t use_len;
	json_object *ops;
	bool verify = false;
	enum jwt_status rc;

	*yes = true;
	rc = optional_string(jwk, "use", &use, &use_len, err);
	if (rc != JWT_OK)
		return rc;
	if (use != NULL && !string_is(use, use_len, "sig"))
		*yes = false;
	if (!json_object_object_get_ex(jwk, "key_ops", &ops))
		return JWT_OK;
	if (!json_object_is_type(ops, json_type_array))
		return jwt_fail(err, JWT_E_KEY, "\"key_ops\" is not an array");
	for (size_t i = 0; i < json_object_array_length(ops); i++) {
		json_object *op = json_object_array_get_idx(ops, i);

		if (!json_object_is_type(op, json_type_string))
			return jwt_fail(err, JWT_E_KEY, "\"key_ops\" holds a non-string");
		verify = verify || string_is(json_object_get_string(op),
					     (size_t)json_object_get_string_len(op), "verify");
	}
	*yes = *yes && verify;
	return JWT_OK;
}

static enum jwt_status set_oct(struct jwt_key *key, json_object *jwk, struct jwt_err *err)
{
	unsigned char *k;
	size_t len = 0;
	enum jwt_status rc = jwt_jwk_bytes(jwk, "k", &k, &len, err);

	if (rc == JWT_OK)
		rc = jwt_key_set_secret(key, k, len, err);
	jwt_wipe_free(k, len);
	return rc;
}

static enum jwt_status set_rsa(struct jwt_key *key, json_object *jwk, struct jwt_err *err)
{
	unsigned char *n = NULL, *e = NULL;
	size_t n_len = 0, e_len = 0;
	enum jwt_status rc = jwt_jwk_bytes(jwk, "n", &n, &n_len, err);

	if (rc == JWT_OK)
		rc = jwt_jwk_bytes(jwk, "e", &e, &e_len, err);
	if (rc == JWT_OK)
		rc = jwt_key_set_rsa(key, n, n_len, e, e_len, err);
	free(n);
	free(e);
	return rc;
}

/* EC and OKP keys: *usable is false for a curve pam_jwt does not support. */
static enum jwt_status set_curve(struct jwt_key *key, enum jwt_kty kty, json_object *jwk,
				 bool *usable, struct jwt_err *err)
{
	const char *name;
	size_t name_len, x_len = 0, y_len = 0;
	unsigned char *x = NULL, *y = NULL;
	enum jwt_crv crv;
	enum jwt_status rc;

	name = jwt_json_string(jwk, "crv", &name_len);
	if (name == NULL)
		return jwt_fail(err, JWT_E_KEY, "\"crv\" is missing or not a string");
	crv = jwt_crv_from_name(name, name_len);
	if (crv == JWT_CRV_NONE || jwt_crv_kty(crv) != kty) {
		*usable = false;
		return JWT_OK;
	}
	rc = jwt_jwk_bytes(jwk, "x", &x, &x_len, err);
	if (rc == JWT_OK && kty == JWT_KTY_EC)
		rc = jwt_jwk_bytes(jwk, "y", &y, &y_len, err);
	if (rc == JWT_OK && kty == JWT_KTY_EC)
		rc = jwt_key_set_ec(key, crv, x, x_len, y, y_len, err);
	else if (rc == JWT_OK)
		rc = jwt_key_set_okp(key, crv, x, x_len, err);
	free(x);
	free(y);
	return rc;
}

/* The key material by "kty"; *usable false for a type pam_jwt does not know. */
static enum jwt_status set_material(struct jwt_key *key, json_object *jwk, const char *kty,
				    size_t kty_len, bool *usable, struct jwt_err *err)
{
	const char *private;

	if (string_is(kty, kty_len, "oct"))
		return set_oct(key, jwk, err);
	if (!string_is(kty, kty_len, "RSA") && !string_is(kty, kty_len, "EC") &&
	    !string_is(kty, kty_len, "OKP")) {
		*usable = false;
		return JWT_OK;
	}
	/* A verifier needs only the public key; a set holding private keys is a leak. */
	private = private_member(jwk);
	if (private != NULL)
		return jwt_fail(err, JWT_E_KEY, "it is a private key (\"%s\"); give only "
				"the public key", private);
	if (string_is(kty, kty_len, "RSA"))
		return set_rsa(key, jwk, err);
	return set_curve(key, string_is(kty, kty_len, "EC") ? JWT_KTY_EC : JWT_KTY_OKP, jwk,
			 usable, err);
}

enum jwt_status jwt_jwk_parse(json_object *jwk, struct jwt_key *key, bool *usable,
			      bool *is_secret, struct jwt_err *err)
{
	const char *kty, *alg, *kid;
	size_t kty_len, alg_len, kid_len;
	enum jwt_status rc;

	*usable = true;
	*is_secret = false;
	if (!json_object_is_type(jwk, json_type_object))
		return jwt_fail(err, JWT_E_KEY, "not a JSON object");
	kty = jwt_json_string(jwk, "kty", &kty_len);
	if (kty == NULL) {
		rc = jwt_fail(err, JWT_E_KEY, "\"kty\" is missing or not a string");
		goto out;
	}
	*is_secret = string_is(kty, kty_len, "oct");
	rc = optional_string(jwk, "alg", &alg, &alg_len, err);
	if (rc == JWT_OK)
		rc = optional_string(jwk, "kid", &kid, &kid_len, err);
	if (rc == JWT_OK)
		rc = for_verifying(jwk, usable, err);
	if (rc != JWT_OK || !*usable)
		goto out;
	if (alg != NULL && !jwt_alg_from_name(alg, alg_len, &key->alg)) {
		*usable = false;	/* e.g. an encryption key's "RSA-OAEP" */
		goto out;
	}
	key->has_alg = alg != NULL;
	rc = set_material(key, jwk, kty, kty_len, usable, err);
	if (rc != JWT_OK || !*usable)
		goto out;
	if (key->has_alg && !jwt_key_fits(key, key->alg)) {
		rc = jwt_fail(err, JWT_E_KEY, "\"alg\" %s does not fit a %.*s key",
			      jwt_alg_info(key->alg)->name, (int)kty_len, kty);
		goto out;
	}
	if (kid != NULL) {
		key->kid = strndup(kid, kid_len);
		if (key->kid == NULL)
			rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
out:
	if (rc != JWT_OK || !*usable)
		jwt_key_clear(key);
	/* Used, left out or refused, the secret lives on in json-c's copy until wiped. */
	jwt_jwk_wipe_secrets(jwk);
	return rc;
}

/* RFC 7638 §3.2: the members each key type's thumbprint is made of, in order. */
static const char *const thumbprint_members[][3] = {
	{ "e", "kty", "n" },		/* RSA */
	{ "crv", "kty", "x" },		/* OKP */
	{ "crv", "kty", "x" },		/* EC, then "y" */
};

/* A member value that JSON writes as it is: printable ASCII without '"' or '\\'. */
static bool plain_json_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return false;
	return len > 0;
}

enum jwt_status jwt_jwk_thumbprint(json_object *jwk, char *out, struct jwt_err *err)
{
	const char *kty, *names[4] = { NULL };
	size_t kty_len = 0, count = 3, size = 3, used = 0;
	unsigned char digest[32];
	char *canon;
	int row;

	out[0] = '\0';
	kty = json_object_is_type(jwk, json_type_object) ? jwt_json_string(jwk, "kty", &kty_len)
							   : NULL;
	if (string_is(kty, kty_len, "RSA"))
		row = 0;
	else if (string_is(kty, kty_len, "OKP"))
		row = 1;
	else if (string_is(kty, kty_len, "EC"))
		row = 2;
	else
		return jwt_fail(err, JWT_E_KEY, "no thumbprint for a JWK whose \"kty\" is not "
				"RSA, EC or OKP");
	memcpy(names, thumbprint_members[row], sizeof(thumbprint_members[row]));
	if (row == 2)
		names[count++] = "y";
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *v = jwt_json_string(jwk, names[i], &len);

		if (v == NULL || !plain_json_text(v, len))
			return jwt_fail(err, JWT_E_KEY, "JWK member \"%s\" is missing or not a plain "
					"string", names[i]);
		size += strlen(names[i]) + len + 6;
	}
	canon = malloc(size);
	if (canon == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	canon[used++] = '{';
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *v = jwt_json_string(jwk, names[i], &len);

		used += (size_t)snprintf(canon + used, size - used, "%s\"%s\":\"%.*s\"",
					 i ? "," : "", names[i], (int)len, v);
	}
	canon[used++] = '}';
	gcry_md_hash_buffer(GCRY_MD_SHA256, digest, canon, used);
	jwt_b64url_encode(digest, sizeof(digest), out);
	free(canon);
	return JWT_OK;
}

/* Wipes every string in the document: whatever a key set holds, nothing secret outlives it. */
static void wipe_strings(json_object *o)
{
	if (json_object_is_type(o, json_type_string)) {
		explicit_bzero((char *)json_object_get_string(o), (size_t)json_object_get_string_len(o));
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			wipe_strings(json_object_array_get_idx(o, i));
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, name, val) {
			(void)name;
			wipe_strings(val);
		}
	}
}

/*
 * Before any key is read or left out (by use, key_ops, alg, kty or crv): a
 * private member in any key refuses the whole set, and a "k" in any key makes
 * it a set of secrets, whatever the key's kty.
 */
static enum jwt_status scan_keys(json_object *keys, const char *what, bool *has_secret,
				 struct jwt_err *err)
{
	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		json_object *jwk = json_object_array_get_idx(keys, i);
		const char *private;

		if (!json_object_is_type(jwk, json_type_object))
			continue;	/* refused with its reason when read */
		private = private_member(jwk);
		if (private != NULL)
			return jwt_fail(err, JWT_E_KEY, "%s: key %zu is a private key (\"%s\"); "
					"give only the public key", what, i + 1, private);
		*has_secret = *has_secret || json_object_object_get_ex(jwk, "k", NULL);
	}
	return JWT_OK;
}

enum jwt_status jwt_keyset_add_jwks(struct jwt_keyset *ks, const char *json, size_t len,
				    const char *what, bool *has_secret, struct jwt_err *err)
{
	json_object *root, *keys;
	struct jwt_err why = { 0 };
	size_t added = 0, n, issuer_len = 0;
	const char *issuer = NULL;
	enum jwt_status rc;

	*has_secret = false;
	rc = jwt_json_parse_object(json, len, what, &root, err);
	if (rc == JWT_E_NOMEM)
		return rc;	/* its reason says so already */
	if (rc != JWT_OK)
		return jwt_fail_keep(err, JWT_E_KEY);
	if (!json_object_object_get_ex(root, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		rc = jwt_fail(err, JWT_E_KEY, "%s has no \"keys\" array (not a JWK Set)", what);
		goto out;
	}
	rc = scan_keys(keys, what, has_secret, err);
	if (rc != JWT_OK)
		goto out;
	/* "issuer": the set's keys verify only tokens of exactly that "iss". */
	if (json_object_object_get_ex(root, "issuer", NULL)) {
		issuer = jwt_json_string(root, "issuer", &issuer_len);
		if (issuer == NULL || issuer_len == 0) {
			rc = jwt_fail(err, JWT_E_KEY, "%s: \"issuer\" is not a non-empty string", what);
			goto out;
		}
	}
	n = json_object_array_length(keys);
	for (size_t i = 0; i < n; i++) {
		struct jwt_key key = { 0 };
		bool usable, secret = false;

		rc = jwt_jwk_parse(json_object_array_get_idx(keys, i), &key, &usable, &secret, &why);
		*has_secret = *has_secret || secret;
		if (rc == JWT_OK && usable && issuer != NULL &&
		    (key.issuer = strndup(issuer, issuer_len)) == NULL) {
			jwt_key_clear(&key);
			rc = jwt_fail(&why, JWT_E_NOMEM, "out of memory");
		}
		if (rc == JWT_OK && usable) {
			rc = jwt_keyset_add(ks, &key, &why);
			added++;
		}
		if (rc != JWT_OK) {
			rc = jwt_fail(err, why.status, "%s: key %zu: %s", what, i + 1, why.reason);
			goto out;
		}
	}
	if (added == 0)
		rc = jwt_fail(err, JWT_E_KEY, "%s holds no key for verifying signatures", what);
out:
	/* Keys after a refused one were never read: their secrets are wiped here. */
	wipe_strings(root);
	json_object_put(root);
	return rc;
}

enum jwt_status jwt_keyset_add_jwks_file(struct jwt_keyset *ks, const char *path,
					 struct jwt_err *err)
{
	unsigned char *buf;
	size_t len;
	mode_t mode;
	bool has_secret;
	enum jwt_status rc;

	rc = jwt_file_read_mode(path, JWT_FILE_PROTECTED, JWT_JWKS_FILE_MAX, &buf, &len, &mode, err);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_keyset_add_jwks(ks, (const char *)buf, len, path, &has_secret, err);
	/* Secrets ("oct" keys) need the stricter policy of secret_file=. */
	if (rc == JWT_OK && has_secret)
		rc = jwt_file_check_mode(path, mode, JWT_FILE_SECRET, err);
	jwt_wipe_free(buf, len);
	return rc;
}
