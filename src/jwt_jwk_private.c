#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_jwks.h"
#include "jwt_mem.h"
#include "jwt_pubkey.h"
#include "jwt_sig.h"

/* Members that only private keys have (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi", "oth" };
#define NPRIVATE (sizeof(private_members) / sizeof(private_members[0]))

enum jwt_alg jwt_key_default_alg(const struct jwt_key *key)
{
	if (key->has_alg)
		return key->alg;
	for (int i = 0; i < JWT_ALG_COUNT; i++)
		if (jwt_key_fits(key, (enum jwt_alg)i))
			return (enum jwt_alg)i;	/* the table's first: HS256, RS256, ES*, EdDSA */
	return JWT_ALG_HS256;
}

/* RFC 7517 §4.3: a private key with "key_ops" must list "sign". */
static bool may_sign(json_object *jwk)
{
	json_object *ops;

	if (!json_object_object_get_ex(jwk, "key_ops", &ops))
		return true;
	if (!json_object_is_type(ops, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(ops); i++) {
		json_object *op = json_object_array_get_idx(ops, i);

		if (json_object_is_type(op, json_type_string) &&
		    json_object_get_string_len(op) == 4 &&
		    memcmp(json_object_get_string(op), "sign", 4) == 0)
			return true;
	}
	return false;
}

/*
 * The public part: jwk without its private members (and "key_ops", which
 * names what the private key may do), read as a key set's key is.
 */
static enum jwt_status set_public(json_object *jwk, struct jwt_key *key, struct jwt_err *err)
{
	json_object *copy = NULL;
	bool usable, is_secret;
	enum jwt_status rc;

	if (!may_sign(jwk))
		return jwt_fail(err, JWT_E_KEY, "its \"key_ops\" do not include \"sign\"");
	if (json_object_deep_copy(jwk, &copy, NULL) != 0)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	/* The copy holds the private members too: wiped as they go. */
	for (size_t i = 0; i < NPRIVATE; i++)
		jwt_jwk_remove(copy, private_members[i]);
	json_object_object_del(copy, "key_ops");
	/* It also wipes an "oct" key's secret in the copy. */
	rc = jwt_jwk_parse(copy, key, &usable, &is_secret, err);
	if (rc == JWT_OK && !usable)
		rc = jwt_fail(err, JWT_E_KEY, "it is not a signing key pam_jwt supports "
			      "(kty, crv, alg, use or key_ops)");
	json_object_put(copy);
	return rc;
}

/* Private members decoded, as many as the key type has (free with free_members). */
struct members {
	unsigned char *v[NPRIVATE];
	size_t len[NPRIVATE];
};

static void free_members(struct members *m)
{
	for (size_t i = 0; i < NPRIVATE; i++)
		jwt_wipe_free(m->v[i], m->len[i]);
}

static enum jwt_status get_members(json_object *jwk, size_t count, struct members *m,
				   struct jwt_err *err)
{
	enum jwt_status rc = JWT_OK;

	for (size_t i = 0; i < count && rc == JWT_OK; i++)
		rc = jwt_jwk_bytes(jwk, private_members[i], &m->v[i], &m->len[i], err);
	return rc;
}

enum { D, P, Q, DP, DQ, QI };

static enum jwt_status set_rsa_private(json_object *jwk, struct jwt_key *key, struct jwt_err *err)
{
	struct members m = { 0 };
	gcry_sexp_t n = gcry_sexp_find_token(key->pub, "n", 0);
	gcry_sexp_t e = gcry_sexp_find_token(key->pub, "e", 0);
	enum jwt_status rc = get_members(jwk, QI + 1, &m, err);
	gcry_error_t ge;

	if (rc == JWT_OK && json_object_object_get_ex(jwk, "oth", NULL))
		rc = jwt_fail(err, JWT_E_KEY, "RSA keys of more than two primes (\"oth\") are not "
			      "supported");
	/*
	 * libgcrypt's u is p^-1 mod q, JWK's qi is q^-1 mod p: with the primes
	 * swapped, qi is libgcrypt's u. dp and dq are not needed.
	 */
	if (rc == JWT_OK) {
		ge = gcry_sexp_build(&key->priv, NULL,
				     "(private-key (rsa %S %S (d %b) (p %b) (q %b) (u %b)))", n, e,
				     (int)m.len[D], m.v[D], (int)m.len[Q], m.v[Q],
				     (int)m.len[P], m.v[P], (int)m.len[QI], m.v[QI]);
		if (ge)
			rc = jwt_fail(err, JWT_E_KEY, "libgcrypt cannot hold the RSA private key: %s",
				      gcry_strerror(ge));
	}
	gcry_sexp_release(n);
	gcry_sexp_release(e);
	free_members(&m);
	return rc;
}

static enum jwt_status set_curve_private(json_object *jwk, struct jwt_key *key,
					 struct jwt_err *err)
{
	struct members m = { 0 };
	gcry_sexp_t q = gcry_sexp_find_token(key->pub, "q", 0);
	const char *fmt = key->kty == JWT_KTY_OKP
		? "(private-key (ecc (curve %s) (flags eddsa) %S (d %b)))"
		: "(private-key (ecc (curve %s) %S (d %b)))";
	enum jwt_status rc = get_members(jwk, D + 1, &m, err);
	gcry_error_t ge;

	/* RFC 7518 §6.2.2.1 and RFC 8037 §2: d is as long as the curve's coordinates. */
	if (rc == JWT_OK && m.len[D] != jwt_crv_len(key->crv))
		rc = jwt_fail(err, JWT_E_KEY, "an %s private key must have %zu bytes",
			      jwt_crv_name(key->crv), jwt_crv_len(key->crv));
	if (rc == JWT_OK) {
		ge = gcry_sexp_build(&key->priv, NULL, fmt, jwt_crv_gcry_name(key->crv), q,
				     (int)m.len[D], m.v[D]);
		if (ge)
			rc = jwt_fail(err, JWT_E_KEY, "libgcrypt cannot hold the %s private key: %s",
				      jwt_crv_name(key->crv), gcry_strerror(ge));
	}
	gcry_sexp_release(q);
	free_members(&m);
	return rc;
}

/* Whether the private key signs what the public key verifies: one signature, checked. */
static enum jwt_status check_pair(const struct jwt_key *key, struct jwt_err *err)
{
	static const char probe[] = "pam_jwt key pair check";
	enum jwt_alg alg = jwt_key_default_alg(key);
	unsigned char sig[JWT_SIG_MAX];
	size_t sig_len;
	enum jwt_status rc;

	rc = jwt_sig_sign(alg, key, probe, sizeof(probe) - 1, sig, &sig_len, err);
	if (rc == JWT_OK &&
	    jwt_sig_verify(alg, key, probe, sizeof(probe) - 1, sig, sig_len, err) != JWT_OK)
		rc = jwt_fail(err, JWT_E_KEY, "the private key does not match the public key");
	return rc;
}

enum jwt_status jwt_key_from_private_jwk(json_object *jwk, struct jwt_key *key,
					 struct jwt_err *err)
{
	enum jwt_status rc = set_public(jwk, key, err);

	if (rc != JWT_OK)
		return rc;
	if (key->kty == JWT_KTY_OCT)
		return JWT_OK;
	if (!json_object_object_get_ex(jwk, "d", NULL))
		rc = jwt_fail(err, JWT_E_KEY, "it is a public key (no \"d\"); give the private key");
	else if (key->kty == JWT_KTY_RSA)
		rc = set_rsa_private(jwk, key, err);
	else
		rc = set_curve_private(jwk, key, err);
	if (rc == JWT_OK)
		rc = check_pair(key, err);
	if (rc != JWT_OK)
		jwt_key_clear(key);
	return rc;
}

/* The private JWK in buf, from path. */
static enum jwt_status load_jwk(const char *path, const unsigned char *buf, size_t len,
				struct jwt_key *key, struct jwt_err *err)
{
	struct jwt_err why = { 0 };
	json_object *jwk = NULL;
	enum jwt_status rc;

	rc = jwt_json_parse_object((const char *)buf, len, path, &jwk, err);
	if (rc == JWT_OK) {
		rc = jwt_key_from_private_jwk(jwk, key, &why);
		if (rc != JWT_OK)
			rc = jwt_fail(err, rc, "%s: %s", path, why.reason);
		jwt_jwk_wipe_secrets(jwk);
	} else if (rc != JWT_E_NOMEM) {
		rc = jwt_fail_keep(err, JWT_E_KEY);
	}
	json_object_put(jwk);
	return rc;
}

enum jwt_status jwt_key_load_signing(const char *path, struct jwt_key *key, struct jwt_err *err)
{
	unsigned char *buf;
	size_t len;
	enum jwt_status rc;

	rc = jwt_file_read(path, JWT_FILE_SECRET, JWT_JWK_FILE_MAX, &buf, &len, err);
	if (rc != JWT_OK)
		return rc;
	if (len > 0 && buf[0] == '{')
		rc = load_jwk(path, buf, len, key, err);
	else
		rc = jwt_key_set_secret_text(key, path, buf, len, err);
	jwt_wipe_free(buf, len);
	return rc;
}
