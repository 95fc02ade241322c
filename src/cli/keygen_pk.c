/*
 * pam-jwt keygen --alg RS256|PS256|ES256|EdDSA|...: a key pair from
 * libgcrypt, the private key as a JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2)
 * in a 0600 file, the public key added to a JWK Set for jwks_file=.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gcrypt.h>
#include <json-c/json.h>

#include "cli.h"
#include "install.h"
#include "jwt_b64url.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_jwks.h"
#include "jwt_mem.h"
#include "jwt_pubkey.h"
#include "jwt_sig_pk.h"
#include "keygen_pk.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
		    JSON_C_TO_STRING_NOSLASHESCAPE)

/* Members of a private JWK that a public one leaves out (RFC 7518 §6.2.2, §6.3.2). */
static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi" };

/* Writes text and a newline to path with cli_install_file(); an exit code. */
static int install_json(const char *path, const char *text, mode_t mode, bool replace)
{
	size_t n = strlen(text) + 2;
	char *line = malloc(n);
	int ret;

	if (line == NULL) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	memcpy(line, text, n - 2);
	line[n - 2] = '\n';
	line[n - 1] = '\0';
	ret = cli_install_file(path, line, mode, replace);
	jwt_wipe_free(line, n);
	return ret;
}

/* Adds name: base64url of len bytes to jwk. */
static void add_b64(json_object *jwk, const char *name, const unsigned char *buf, size_t len)
{
	size_t n = JWT_B64URL_ENCODED_LEN(len) + 1;
	char *text = malloc(n);

	if (text == NULL)
		return;		/* the JWK lacks the member: read_back() refuses it */
	jwt_b64url_encode(buf, len, text);
	json_object_object_add(jwk, name, json_object_new_string(text));
	jwt_wipe_free(text, n);
}

/* Adds name: the number m, unsigned big-endian without leading zeros (RFC 7518 §6.3). */
static void add_mpi(json_object *jwk, const char *name, gcry_mpi_t m)
{
	unsigned char *buf = NULL;
	size_t len = 0;

	if (gcry_mpi_aprint(GCRYMPI_FMT_USG, &buf, &len, m) != 0)
		return;
	add_b64(jwk, name, buf, len);
	explicit_bzero(buf, len);
	gcry_free(buf);
}

/* The number name of the key s-expression (secure memory for the private ones). */
static gcry_mpi_t get_mpi(gcry_sexp_t key, const char *name)
{
	gcry_sexp_t tok = gcry_sexp_find_token(key, name, 0);
	gcry_mpi_t m = tok ? gcry_sexp_nth_mpi(tok, 1, GCRYMPI_FMT_USG) : NULL;

	gcry_sexp_release(tok);
	return m;
}

/*
 * RSA members. libgcrypt keeps p < q and u = p^-1 mod q; a JWK's qi is
 * q^-1 mod p, so its p is libgcrypt's q and the other way round.
 */
static void add_rsa(json_object *jwk, gcry_sexp_t priv)
{
	const char *names[] = { "n", "e", "d", "q", "p", "u" };
	const char *jwk_names[] = { "n", "e", "d", "p", "q", "qi" };
	gcry_mpi_t m[6], dp = gcry_mpi_snew(0), dq = gcry_mpi_snew(0), t = gcry_mpi_snew(0);

	for (int i = 0; i < 6; i++)
		m[i] = get_mpi(priv, names[i]);
	for (int i = 0; i < 6; i++)
		if (m[i] == NULL)
			goto out;
	gcry_mpi_sub_ui(t, m[3], 1);	/* JWK p - 1 */
	gcry_mpi_mod(dp, m[2], t);
	gcry_mpi_sub_ui(t, m[4], 1);	/* JWK q - 1 */
	gcry_mpi_mod(dq, m[2], t);
	json_object_object_add(jwk, "kty", json_object_new_string("RSA"));
	for (int i = 0; i < 5; i++)
		add_mpi(jwk, jwk_names[i], m[i]);
	add_mpi(jwk, "dp", dp);
	add_mpi(jwk, "dq", dq);
	add_mpi(jwk, "qi", m[5]);
out:
	for (int i = 0; i < 6; i++)
		gcry_mpi_release(m[i]);
	gcry_mpi_release(dp);
	gcry_mpi_release(dq);
	gcry_mpi_release(t);
}

/* EC (x, y from the SEC 1 point 04||x||y) and OKP (x is the point) members, and d. */
static void add_curve(json_object *jwk, gcry_sexp_t priv, enum jwt_crv crv)
{
	size_t len = jwt_crv_len(crv), qlen = 0;
	gcry_sexp_t tok = gcry_sexp_find_token(priv, "q", 0);
	const unsigned char *q = tok ? (const unsigned char *)gcry_sexp_nth_data(tok, 1, &qlen) : NULL;
	unsigned char d[66];
	bool ec = jwt_crv_kty(crv) == JWT_KTY_EC;

	json_object_object_add(jwk, "kty", json_object_new_string(ec ? "EC" : "OKP"));
	json_object_object_add(jwk, "crv", json_object_new_string(jwt_crv_name(crv)));
	if (ec && q != NULL && qlen == 1 + 2 * len && q[0] == 0x04) {
		add_b64(jwk, "x", q + 1, len);
		add_b64(jwk, "y", q + 1 + len, len);
	} else if (!ec && q != NULL && qlen == len) {
		add_b64(jwk, "x", q, len);
	}
	/* d at its full length (RFC 7518 §6.2.2.1; Ed25519's d is the 32-byte seed). */
	if (jwt_sig_put_mpi(priv, "d", d, len))
		add_b64(jwk, "d", d, len);
	explicit_bzero(d, sizeof(d));
	gcry_sexp_release(tok);
}

/* The key's RFC 7638 thumbprint (jwt_jwk_thumbprint), malloc'd; NULL on failure. */
static char *thumbprint(json_object *jwk)
{
	char kid[JWT_JWK_THUMBPRINT_LEN + 1];
	struct jwt_err err = { 0 };

	if (jwt_jwk_thumbprint(jwk, kid, &err) != JWT_OK)
		return NULL;
	return strdup(kid);
}

/* The new key pair as a private JWK with kid, alg and use (NULL if libgcrypt fails). */
static json_object *generate(const struct keygen_pk *a)
{
	const struct jwt_alg_info *info = jwt_alg_info(a->alg);
	gcry_sexp_t params = NULL, pair = NULL, priv = NULL;
	json_object *jwk = NULL;
	gcry_error_t ge;
	char *kid = NULL;

	if (info->family == JWT_FAMILY_RSA || info->family == JWT_FAMILY_RSA_PSS)
		ge = gcry_sexp_build(&params, NULL, "(genkey (rsa (nbits %u)))", a->bits);
	else if (info->family == JWT_FAMILY_EDDSA)
		ge = gcry_sexp_build(&params, NULL, "(genkey (ecc (curve %s) (flags eddsa)))",
				     jwt_crv_gcry_name(info->crv));
	else
		ge = gcry_sexp_build(&params, NULL, "(genkey (ecc (curve %s)))",
				     jwt_crv_gcry_name(info->crv));
	if (!ge)
		ge = gcry_pk_genkey(&pair, params);
	if (!ge && (priv = gcry_sexp_find_token(pair, "private-key", 0)) == NULL)
		ge = gcry_error(GPG_ERR_NO_SECKEY);
	if (ge) {
		cli_error("libgcrypt cannot make a %s key: %s", info->name, gcry_strerror(ge));
		goto out;
	}
	jwk = json_object_new_object();
	if (info->crv == JWT_CRV_NONE)
		add_rsa(jwk, priv);
	else
		add_curve(jwk, priv, info->crv);
	kid = a->kid != NULL ? strdup(a->kid) : thumbprint(jwk);
	json_object_object_add(jwk, "kid", kid ? json_object_new_string(kid) : NULL);
	json_object_object_add(jwk, "alg", json_object_new_string(info->name));
	json_object_object_add(jwk, "use", json_object_new_string("sig"));
out:
	free(kid);
	gcry_sexp_release(params);
	gcry_sexp_release(pair);
	gcry_sexp_release(priv);
	return jwk;
}

/*
 * json-c holds copies of every member: wipe the strings of jwk (a private
 * JWK, or each key of a set, which may hold "oct" secrets) before freeing.
 */
static void wipe_strings(json_object *jwk)
{
	json_object *keys;

	if (json_object_object_get_ex(jwk, "keys", &keys) &&
	    json_object_is_type(keys, json_type_array))
		for (size_t i = 0; i < json_object_array_length(keys); i++)
			wipe_strings(json_object_array_get_idx(keys, i));
	if (!json_object_is_type(jwk, json_type_object))
		return;
	json_object_object_foreach(jwk, name, val) {
		(void)name;
		if (json_object_is_type(val, json_type_string))
			explicit_bzero((char *)json_object_get_string(val),
				       (size_t)json_object_get_string_len(val));
	}
}

/*
 * The key set at path as JSON (an empty one when there is no file yet, with
 * *exists false). Refused: a file the module would not read, text that is not
 * a JSON object with a "keys" array, a key already named kid.
 */
static int load_set(const char *path, const char *kid, json_object **set, mode_t *mode,
		    bool *exists)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	struct stat st;
	struct jwt_err err = { 0 };
	json_object *keys;

	*set = NULL;
	*exists = lstat(path, &st) == 0 || errno != ENOENT;
	if (!*exists) {
		*set = json_object_new_object();
		json_object_object_add(*set, "keys", json_object_new_array());
		*mode = 0644;	/* public keys only: anyone may read them */
		return CLI_OK;
	}
	if (jwt_file_read_mode(path, JWT_FILE_PROTECTED, JWT_JWKS_FILE_MAX, &buf, &len, mode,
			       &err) != JWT_OK ||
	    jwt_json_parse_object((const char *)buf, len, path, set, &err) != JWT_OK) {
		cli_error("%s; the key set is left as it is", err.reason);
		jwt_wipe_free(buf, len);
		return CLI_FAILED;
	}
	jwt_wipe_free(buf, len);
	if (!json_object_object_get_ex(*set, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		cli_error("%s has no \"keys\" array (not a JWK Set); it is left as it is", path);
		return CLI_FAILED;
	}
	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		size_t n;
		const char *other = jwt_json_string(json_object_array_get_idx(keys, i), "kid", &n);

		if (other != NULL && strlen(kid) == n && memcmp(other, kid, n) == 0) {
			cli_error("%s already holds a key with kid \"%s\"", path, kid);
			return CLI_FAILED;
		}
	}
	return CLI_OK;
}

/*
 * Whether the new JWK reads back as the signing key mint will load: every
 * member there, and the private key signs what the public key verifies.
 */
static bool read_back(json_object *jwk)
{
	struct jwt_key key = { 0 };
	struct jwt_err err = { 0 };
	enum jwt_status rc = jwt_key_from_private_jwk(jwk, &key, &err);

	if (rc != JWT_OK)
		cli_error("the new key does not read back: %s", err.reason);
	jwt_key_clear(&key);
	return rc == JWT_OK;
}

/* The public JWK: the private one without its private members. */
static json_object *public_jwk(json_object *jwk)
{
	json_object *pub = NULL;

	if (json_object_deep_copy(jwk, &pub, NULL) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof(private_members) / sizeof(private_members[0]); i++)
		jwt_jwk_remove(pub, private_members[i]);	/* the copy's are wiped */
	return pub;
}

int cli_keygen_pk(const struct keygen_pk *a)
{
	const char *name = jwt_alg_info(a->alg)->name;
	json_object *jwk, *set = NULL, *keys;
	const char *text, *kid;
	mode_t mode = 0;
	bool exists = false;
	int ret = CLI_FAILED;

	jwk = generate(a);
	if (jwk == NULL)
		return CLI_FAILED;
	kid = json_object_get_string(json_object_object_get(jwk, "kid"));
	if (kid == NULL || !read_back(jwk)) {
		if (kid == NULL)
			cli_error("out of memory");
		goto out;
	}
	/* The key set is checked before anything is written. */
	if (a->jwks != NULL && load_set(a->jwks, kid, &set, &mode, &exists) != CLI_OK)
		goto out;
	text = json_object_to_json_string_ext(jwk, JSON_FLAGS);
	ret = install_json(a->out, text, 0600, a->force);
	explicit_bzero((char *)text, strlen(text));
	if (ret != CLI_OK)
		goto out;
	printf("wrote a new %s private key (kid %s) to %s\n", name, kid, a->out);
	if (set == NULL)
		goto out;
	json_object_object_get_ex(set, "keys", &keys);
	json_object_array_add(keys, public_jwk(jwk));
	text = json_object_to_json_string_ext(set, JSON_FLAGS);
	ret = install_json(a->jwks, text, mode & 07777, exists);
	explicit_bzero((char *)text, strlen(text));
	if (ret == CLI_OK)
		printf("added its public key to %s, which now holds %zu\n", a->jwks,
		       json_object_array_length(keys));
	else
		cli_error("the private key in %s has no public key in a set yet", a->out);
out:
	wipe_strings(jwk);
	json_object_put(jwk);
	wipe_strings(set);
	json_object_put(set);
	return ret;
}
