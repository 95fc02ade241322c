/*
 * Signing in the token core (what pam-jwt mint uses): private JWKs from
 * outside pam_jwt sign what their published tokens say.
 *  - RFC 8037 A.1/A.4: the Ed25519 key signs the example to the very bytes.
 *  - Wycheproof's JWS file: every group's private key (RFC 7520's keys among
 *    them) either loads or is refused for a stated reason; loaded keys sign
 *    each valid token's input: HMAC, RSASSA-PKCS1-v1_5 and EdDSA to the same
 *    bytes, PSS and ECDSA (randomised / RFC 6979) to signatures that verify.
 *  - Refusals: a public JWK, a private key that is not the public key's, a
 *    key whose key_ops do not allow signing, and signing with a public key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_sig.h"
#include "jwt_token.h"
#include "../lib/tap.h"
#include "../lib/vectors.h"

/* RFC 8037 A.1 (private key) and A.4 (the signed example). */
#define A1_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define A1_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define A1_JWK(d) "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" d "\",\"x\":\"" A1_X "\"}"
static const char a4_input[] = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
static const char a4_sig[] =
	"hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

/* Wycheproof groups whose private key is not a signing key pam_jwt takes, and why. */
static const struct {
	int group;
	const char *why;
} refused[] = {
	{ 11, "\"alg\" ES521 (no such algorithm; RFC 7520 §3.2 means ES512)" },
	{ 13, "key_ops is [\"sign, verify\"]: one string, not \"sign\"" },
	{ 15, "\"alg\" ES521, as above" },
	{ 17, "\"use\": \"enc\"" },
	{ 18, "\"use\": \"enc\"" },
	{ 19, "key_ops for encryption" },
	{ 20, "key_ops for encryption" },
};

/* Groups whose key is pinned to PS256 while their one token is PS384 (tcId 346, 350). */
static bool pinned_elsewhere(int group)
{
	return group == 10 || group == 14;
}

static const char *refused_why(int group)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (refused[i].group == group)
			return refused[i].why;
	return NULL;
}

static enum jwt_status load(const char *text, struct jwt_key *key, struct jwt_err *err)
{
	json_object *jwk;
	enum jwt_status rc = jwt_json_parse_object(text, strlen(text), "JWK", &jwk, err);

	if (rc == JWT_OK)
		rc = jwt_key_from_private_jwk(jwk, key, err);
	json_object_put(jwk);
	return rc;
}

static void test_rfc8037(void)
{
	struct jwt_key key = { 0 };
	struct jwt_err err = { 0 };
	unsigned char sig[JWT_SIG_MAX];
	char text[JWT_B64URL_ENCODED_LEN(64) + 1] = "";
	size_t len = 0;

	ok(load(A1_JWK(A1_D), &key, &err) == JWT_OK && key.kty == JWT_KTY_OKP && key.priv != NULL,
	   "RFC 8037 A.1: the Ed25519 private JWK loads (%s)", err.reason);
	ok(jwt_key_default_alg(&key) == JWT_ALG_EDDSA, "an Ed25519 key signs EdDSA by default");
	if (jwt_sig_sign(JWT_ALG_EDDSA, &key, a4_input, strlen(a4_input), sig, &len, &err) == JWT_OK)
		jwt_b64url_encode(sig, len, text);
	ok(strcmp(text, a4_sig) == 0, "RFC 8037 A.4: the signature is the RFC's, byte for byte");
	ok(jwt_sig_sign(JWT_ALG_ES256, &key, a4_input, strlen(a4_input), sig, &len, &err) ==
	   JWT_E_ALG, "an Ed25519 key does not sign ES256");
	jwt_key_clear(&key);
}

static void test_refusals(void)
{
	struct jwt_key key = { 0 };
	struct jwt_err err = { 0 };
	unsigned char sig[JWT_SIG_MAX];
	size_t len;

	ok(load("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" A1_X "\"}", &key, &err) == JWT_E_KEY &&
	   strstr(err.reason, "public key") != NULL, "a public JWK is refused as a signing key");
	/* A1_D with its last character changed: another Ed25519 seed. */
	ok(load(A1_JWK("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2E"), &key, &err) == JWT_E_KEY &&
	   strstr(err.reason, "does not match") != NULL,
	   "a d that is not the public key's is refused (%s)", err.reason);
	ok(load("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"key_ops\":[\"verify\"],\"d\":\"" A1_D
		"\",\"x\":\"" A1_X "\"}", &key, &err) == JWT_E_KEY,
	   "key_ops without \"sign\" is refused");
	ok(load("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"key_ops\":[\"sign\"],\"d\":\"" A1_D
		"\",\"x\":\"" A1_X "\"}", &key, &err) == JWT_OK, "key_ops with \"sign\" loads (control)");
	jwt_key_clear(&key);
	ok(load("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" A1_D "AA\",\"x\":\"" A1_X "\"}",
		&key, &err) == JWT_E_KEY, "a d of the wrong length is refused");
	/* A verification key has no private part: it signs nothing. */
	key.kty = JWT_KTY_OKP;
	key.crv = JWT_CRV_ED25519;
	ok(jwt_sig_sign(JWT_ALG_EDDSA, &key, "x", 1, sig, &len, &err) == JWT_E_KEY,
	   "signing with a public key is refused");
}

/* Signs each valid compact token's input of the group with key; counts the failures. */
static size_t sign_group(json_object *group, const struct jwt_key *key, size_t *signed_count)
{
	json_object *tests;
	size_t bad = 0;

	json_object_object_get_ex(group, "tests", &tests);
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		json_object *t = json_object_array_get_idx(tests, i), *jws;
		struct jwt_token tok = { 0 };
		struct jwt_err err = { 0 };
		unsigned char sig[JWT_SIG_MAX];
		size_t len = 0;
		enum jwt_family family;
		bool same;

		json_object_object_get_ex(t, "jws", &jws);
		if (strcmp(vectors_str(t, "result"), "valid") != 0 ||
		    !json_object_is_type(jws, json_type_string) ||
		    jwt_token_decode(&tok, json_object_get_string(jws),
				     (size_t)json_object_get_string_len(jws), &err) != JWT_OK ||
		    jwt_token_parse_header(&tok, &err) != JWT_OK || !jwt_key_fits(key, tok.alg)) {
			jwt_token_free(&tok);
			continue;
		}
		family = jwt_alg_info(tok.alg)->family;
		(*signed_count)++;
		if (jwt_sig_sign(tok.alg, key, tok.signing_input, tok.signing_input_len, sig, &len,
				 &err) != JWT_OK) {
			printf("# tcId %s: %s\n", json_object_to_json_string(json_object_object_get(t, "tcId")),
			       err.reason);
			bad++;
		} else if (family == JWT_FAMILY_HMAC || family == JWT_FAMILY_RSA ||
			   family == JWT_FAMILY_EDDSA) {
			same = len == tok.sig_len && memcmp(sig, tok.sig, len) == 0;
			bad += !same;
		} else {
			bad += jwt_sig_verify(tok.alg, key, tok.signing_input, tok.signing_input_len,
					      sig, len, &err) != JWT_OK;
		}
		jwt_token_free(&tok);
	}
	return bad;
}

static void test_wycheproof(void)
{
	json_object *root = vectors_load("json_web_signature_test.json"), *groups;

	json_object_object_get_ex(root, "testGroups", &groups);
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *group = json_object_array_get_idx(groups, g), *priv;
		struct jwt_key key = { 0 };
		struct jwt_err err = { 0 };
		const char *why = refused_why((int)g);
		size_t count = 0, bad;
		enum jwt_status rc;

		json_object_object_get_ex(group, "private", &priv);
		rc = jwt_key_from_private_jwk(priv, &key, &err);
		if (why != NULL) {
			ok(rc == JWT_E_KEY, "group %zu (%s): the private key is refused: %s (%s)", g,
			   vectors_str(group, "comment"), why, err.reason);
			continue;
		}
		bad = rc == JWT_OK ? sign_group(group, &key, &count) : 1;
		if (pinned_elsewhere((int)g)) {
			ok(rc == JWT_OK && count == 0, "group %zu (%s): the key pinned to PS256 loads "
			   "and signs no PS384 input", g, vectors_str(group, "comment"));
			jwt_key_clear(&key);
			continue;
		}
		ok(rc == JWT_OK && count > 0 && bad == 0,
		   "group %zu (%s): the private key signs all %zu valid tokens' inputs as they are "
		   "signed%s%s", g, vectors_str(group, "comment"), count,
		   rc == JWT_OK ? "" : ": ", rc == JWT_OK ? "" : err.reason);
		jwt_key_clear(&key);
	}
	json_object_put(root);
}

int main(void)
{
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	test_rfc8037();
	test_refusals();
	test_wycheproof();
	return tap_done();
}
