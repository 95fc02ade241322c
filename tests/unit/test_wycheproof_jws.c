/*
 * Every test of Wycheproof's json_web_signature_test.json through the core:
 * the group's key (its public key when it has one) as a JWK Set read by
 * jwt_keyset_add_jwks(), each token decoded, its header parsed and its
 * signature checked by jwt_verify_signature() with every algorithm allowed,
 * so the keys alone decide. The verdict must be the labelled one, except for
 * the tests listed in exceptions[] below, each with its reason.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_jwks.h"
#include "jwt_sig.h"
#include "jwt_token.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/vectors.h"

static const struct {
	int tc_id;
	const char *why;
} exceptions[] = {
	/* Mislabels: the token is byte-identical to the valid tcId 357. */
	{ 367, "labelled invalid, byte-identical to the valid tcId 357" },
	{ 370, "labelled invalid, byte-identical to the valid tcId 357" },
	/* Mislabels: '?' is not base64url; a strict decoder refuses it. */
	{ 372, "labelled valid, its header segment holds '?'" },
	{ 373, "labelled valid, its payload segment holds '?'" },
	/*
	 * The key pins another algorithm than the token's: the key set says
	 * "PS256" for a PS384 token (RFC 7520 §4.2), and "ES521" (no such
	 * algorithm; RFC 7520 §3.2 says ES512) for an ES512 token. A key's
	 * "alg" must equal the header's (RFC 8725 §3.1): refused here.
	 * test_pinned_elsewhere() shows their signatures verify without the pin.
	 */
	{ 346, "key pinned to PS256, token PS384" },
	{ 347, "key pinned to \"ES521\", token ES512" },
	{ 350, "key pinned to PS256, token PS384" },
	{ 351, "key pinned to \"ES521\", token ES512" },
};

static const char *exception(int tc_id)
{
	for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++)
		if (exceptions[i].tc_id == tc_id)
			return exceptions[i].why;
	return NULL;
}

/* The group's key as the only member of a JWK Set, in JSON text (free it). */
static char *group_jwks(json_object *group, bool drop_alg)
{
	json_object *key, *set = json_object_new_object(), *keys = json_object_new_array();
	char *text;

	if (!json_object_object_get_ex(group, "public", &key))
		json_object_object_get_ex(group, "private", &key);
	key = json_object_get(key);
	if (drop_alg) {
		json_object *copy = NULL;

		json_object_deep_copy(key, &copy, NULL);
		json_object_put(key);
		json_object_object_del(copy, "alg");
		key = copy;
	}
	json_object_array_add(keys, key);
	json_object_object_add(set, "keys", keys);
	text = strdup(json_object_to_json_string_ext(set, JSON_C_TO_STRING_PLAIN));
	json_object_put(set);
	return text;
}

/* The token of a test as text: compact form, or the JSON serialization as JSON text. */
static const char *test_jws(json_object *t)
{
	json_object *jws;

	json_object_object_get_ex(t, "jws", &jws);
	if (json_object_is_type(jws, json_type_string))
		return json_object_get_string(jws);
	return json_object_to_json_string_ext(jws, JSON_C_TO_STRING_PLAIN);
}

/* Verifies jws with the key set; JWT_OK when the signature verifies. */
static enum jwt_status verify(const struct jwt_keyset *ks, const char *jws, struct jwt_err *err)
{
	struct jwt_token t = { 0 };
	enum jwt_status rc;

	rc = jwt_token_decode(&t, jws, strlen(jws), err);
	if (rc == JWT_OK)
		rc = jwt_token_parse_header(&t, err);
	if (rc == JWT_OK)
		rc = jwt_verify_signature(&t, ks, JWT_ALG_ALL, NULL, err);
	jwt_token_free(&t);
	return rc;
}

static int tc_id(json_object *t)
{
	json_object *id;

	json_object_object_get_ex(t, "tcId", &id);
	return json_object_get_int(id);
}

/* Verifies the tests of group with its key set (or the key's load error); counts disagreements. */
static void run_group(json_object *group, size_t index, int *seen, size_t *disagree)
{
	json_object *tests;
	struct jwt_keyset ks = { 0 };
	struct jwt_err kerr = { 0 };
	char *jwks = group_jwks(group, false), what[64];
	bool has_secret;
	enum jwt_status krc;
	size_t wrong = 0, n;

	snprintf(what, sizeof(what), "group %zu", index);
	krc = jwt_keyset_add_jwks(&ks, jwks, strlen(jwks), what, &has_secret, &kerr);
	json_object_object_get_ex(group, "tests", &tests);
	n = json_object_array_length(tests);
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tests, i);
		bool valid = strcmp(vectors_str(t, "result"), "valid") == 0;
		struct jwt_err err = kerr;
		enum jwt_status rc = krc == JWT_OK ? verify(&ks, test_jws(t), &err) : krc;
		int id = tc_id(t);

		if ((rc == JWT_OK) == valid)
			continue;
		printf("# tcId %d (%s), labelled %s: %s%s%s\n", id, vectors_str(t, "comment"),
		       valid ? "valid" : "invalid", rc == JWT_OK ? "verified" : err.reason,
		       exception(id) ? "; known: " : "", exception(id) ? exception(id) : "");
		if (exception(id) != NULL && *seen < 64)
			seen[(*seen)++ + 1] = id;
		else
			wrong++;
	}
	ok(wrong == 0, "group %zu (%s, %zu tests): every verdict as labelled%s", index,
	   vectors_str(group, "comment"), n, krc == JWT_OK ? "" : " (key set refused)");
	*disagree += wrong;
	jwt_keyset_free(&ks);
	free(jwks);
}

/* The tests refused only for their key's algorithm pin verify once the pin is gone. */
static void test_pinned_elsewhere(json_object *groups)
{
	size_t verified = 0, pinned = 0;

	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *group = json_object_array_get_idx(groups, g), *tests;
		struct jwt_keyset ks = { 0 };
		struct jwt_err err = { 0 };
		char *jwks = group_jwks(group, true);
		bool has_secret;

		json_object_object_get_ex(group, "tests", &tests);
		for (size_t i = 0; i < json_object_array_length(tests); i++) {
			json_object *t = json_object_array_get_idx(tests, i);
			const char *why = exception(tc_id(t));

			if (why == NULL || strncmp(why, "key pinned", 10) != 0)
				continue;
			pinned++;
			if (ks.count == 0 &&
			    jwt_keyset_add_jwks(&ks, jwks, strlen(jwks), "key", &has_secret, &err) != JWT_OK)
				continue;
			verified += verify(&ks, test_jws(t), &err) == JWT_OK;
		}
		jwt_keyset_free(&ks);
		free(jwks);
	}
	ok(pinned == 4 && verified == pinned,
	   "the %zu tests refused for their key's \"alg\" verify with the pin removed", pinned);
}

int main(void)
{
	json_object *root = vectors_load("json_web_signature_test.json"), *groups;
	int seen[65] = { 0 };	/* seen[0]: count, then the tcIds that disagreed as expected */
	size_t disagree = 0, expected = sizeof(exceptions) / sizeof(exceptions[0]);
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	json_object_object_get_ex(root, "testGroups", &groups);
	for (size_t g = 0; g < json_object_array_length(groups); g++)
		run_group(json_object_array_get_idx(groups, g), g, &seen[0], &disagree);
	ok(disagree == 0 && (size_t)seen[0] == expected,
	   "exactly the %zu known exceptions disagree with their label (%d did)", expected, seen[0]);
	test_pinned_elsewhere(groups);
	json_object_put(root);
	return tap_done();
}
