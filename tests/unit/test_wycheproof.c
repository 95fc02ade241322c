/*
 * Wycheproof's ECDSA (P1363 form), Ed25519, RSA PKCS#1 v1.5 and RSA-PSS
 * vectors through the core's signature layer: the key built from the group's
 * public key by jwt_pubkey, each signature checked by jwt_sig_verify().
 * "valid" must verify, "invalid" must not; "acceptable" may go either way.
 * The same vectors then run through a DPoP proof's signature path: the key as
 * the proof's header jwk, checked by jwt_pop_verify_signature().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "jwt_pop.h"
#include "jwt_pubkey.h"
#include "jwt_sig.h"
#include "../lib/tap.h"
#include "../lib/vectors.h"

static const struct {
	const char *file;
	enum jwt_alg alg;
} files[] = {
	{ "ecdsa_secp256r1_sha256_p1363_test.json", JWT_ALG_ES256 },
	{ "ecdsa_secp384r1_sha384_p1363_test.json", JWT_ALG_ES384 },
	{ "ecdsa_secp521r1_sha512_p1363_test.json", JWT_ALG_ES512 },
	{ "ed25519_test.json", JWT_ALG_EDDSA },
	{ "rsa_signature_2048_sha256_test.json", JWT_ALG_RS256 },
	{ "rsa_pss_2048_sha256_mgf1_32_test.json", JWT_ALG_PS256 },
};

/* A coordinate in Wycheproof's hex (with or without a sign byte) at exactly len bytes. */
static unsigned char *coordinate(const char *hex, size_t len)
{
	size_t n;
	unsigned char *raw = vectors_hex(hex, &n), *out = calloc(1, len);
	size_t skip = 0;

	while (n - skip > len && raw[skip] == 0)
		skip++;
	if (out == NULL || n - skip > len)
		exit(99);
	memcpy(out + len - (n - skip), raw + skip, n - skip);
	free(raw);
	return out;
}

static enum jwt_status group_key(enum jwt_alg alg, json_object *pub, struct jwt_key *key,
				 struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	unsigned char *a, *b;
	size_t a_len, b_len;
	enum jwt_status rc;

	switch (info->family) {
	case JWT_FAMILY_ECDSA:
		a_len = b_len = info->sig_len / 2;
		a = coordinate(vectors_str(pub, "wx"), a_len);
		b = coordinate(vectors_str(pub, "wy"), b_len);
		rc = jwt_key_set_ec(key, info->crv, a, a_len, b, b_len, err);
		break;
	case JWT_FAMILY_EDDSA:
		a = vectors_hex(vectors_str(pub, "pk"), &a_len);
		b = NULL;
		rc = jwt_key_set_okp(key, info->crv, a, a_len, err);
		break;
	default:
		a = vectors_hex(vectors_str(pub, "modulus"), &a_len);
		b = vectors_hex(vectors_str(pub, "publicExponent"), &b_len);
		rc = jwt_key_set_rsa(key, a, a_len, b, b_len, err);
		break;
	}
	free(a);
	free(b);
	return rc;
}

/* Adds member name: len bytes of raw, leading zero bytes dropped unless keep. */
static void add_b64(json_object *jwk, const char *name, const unsigned char *raw, size_t len,
		    bool keep)
{
	char *text = malloc(JWT_B64URL_ENCODED_LEN(len) + 1);

	while (!keep && len > 1 && raw[0] == 0) {
		raw++;
		len--;
	}
	if (text == NULL)
		exit(99);
	jwt_b64url_encode(raw, len, text);
	json_object_object_add(jwk, name, json_object_new_string(text));
	free(text);
}

/* The group's public key as a JWK, the way a DPoP proof's header carries it. */
static json_object *group_jwk(enum jwt_alg alg, json_object *pub)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	json_object *jwk = json_object_new_object();
	unsigned char *a, *b = NULL;
	size_t a_len, b_len;

	if (info->family == JWT_FAMILY_ECDSA) {
		a_len = b_len = info->sig_len / 2;
		a = coordinate(vectors_str(pub, "wx"), a_len);
		b = coordinate(vectors_str(pub, "wy"), b_len);
		json_object_object_add(jwk, "kty", json_object_new_string("EC"));
		json_object_object_add(jwk, "crv", json_object_new_string(jwt_crv_name(info->crv)));
		add_b64(jwk, "x", a, a_len, true);
		add_b64(jwk, "y", b, b_len, true);
	} else if (info->family == JWT_FAMILY_EDDSA) {
		a = vectors_hex(vectors_str(pub, "pk"), &a_len);
		json_object_object_add(jwk, "kty", json_object_new_string("OKP"));
		json_object_object_add(jwk, "crv", json_object_new_string("Ed25519"));
		add_b64(jwk, "x", a, a_len, true);
	} else {
		a = vectors_hex(vectors_str(pub, "modulus"), &a_len);
		b = vectors_hex(vectors_str(pub, "publicExponent"), &b_len);
		json_object_object_add(jwk, "kty", json_object_new_string("RSA"));
		add_b64(jwk, "n", a, a_len, false);
		add_b64(jwk, "e", b, b_len, false);
	}
	free(a);
	free(b);
	return jwk;
}

/* Wrong verdicts of the DPoP path, by label (valid, invalid). */
static size_t pop_counts[2], pop_wrong[2];

static void pop_verdict(enum jwt_alg alg, json_object *jwk, int label, const unsigned char *msg,
			size_t msg_len, const unsigned char *sig, size_t sig_len)
{
	struct jwt_err err = { 0 };
	enum jwt_status rc;

	if (label > 1)
		return;
	rc = jwt_pop_verify_signature(jwk, alg, msg, msg_len, sig, sig_len, &err);
	pop_counts[label]++;
	if ((label == 0) != (rc == JWT_OK)) {
		pop_wrong[label]++;
		printf("# DPoP path, %s, labelled %s: %s\n", jwt_alg_info(alg)->name,
		       label ? "invalid" : "valid", rc == JWT_OK ? "verified" : err.reason);
	}
}

static void run_file(const char *file, enum jwt_alg alg)
{
	json_object *root = vectors_load(file), *groups;
	size_t counts[3] = { 0 }, wrong[3] = { 0 };	/* valid, invalid, acceptable */
	const char *labels[3] = { "valid", "invalid", "acceptable" };

	json_object_object_get_ex(root, "testGroups", &groups);
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *group = json_object_array_get_idx(groups, g), *pub, *tests, *jwk;
		struct jwt_key key = { 0 };
		struct jwt_err kerr = { 0 };
		enum jwt_status krc;

		json_object_object_get_ex(group, "publicKey", &pub);
		json_object_object_get_ex(group, "tests", &tests);
		krc = group_key(alg, pub, &key, &kerr);
		jwk = group_jwk(alg, pub);
		for (size_t i = 0; i < json_object_array_length(tests); i++) {
			json_object *t = json_object_array_get_idx(tests, i), *id;
			const char *result = vectors_str(t, "result");
			int label = strcmp(result, "valid") == 0 ? 0 : strcmp(result, "invalid") == 0 ? 1 : 2;
			unsigned char *msg, *sig;
			size_t msg_len, sig_len;
			struct jwt_err err = { 0 };
			enum jwt_status rc = krc;

			msg = vectors_hex(vectors_str(t, "msg"), &msg_len);
			sig = vectors_hex(vectors_str(t, "sig"), &sig_len);
			if (krc == JWT_OK)
				rc = jwt_sig_verify(alg, &key, msg, msg_len, sig, sig_len, &err);
			else
				err = kerr;
			counts[label]++;
			if (krc == JWT_OK)
				pop_verdict(alg, jwk, label, msg, msg_len, sig, sig_len);
			if ((label == 0 && rc != JWT_OK) || (label == 1 && rc == JWT_OK)) {
				wrong[label]++;
				json_object_object_get_ex(t, "tcId", &id);
				printf("# %s tcId %d (%s), labelled %s: %s\n", file,
				       json_object_get_int(id), vectors_str(t, "comment"), result,
				       rc == JWT_OK ? "verified" : err.reason);
			}
			free(msg);
			free(sig);
		}
		jwt_key_clear(&key);
		json_object_put(jwk);
	}
	for (int l = 0; l < 2; l++)
		ok(counts[l] > 0 && wrong[l] == 0, "%s %s: all %zu %s signatures %s",
		   jwt_alg_info(alg)->name, file, counts[l], labels[l],
		   l == 0 ? "verify" : "are refused");
	if (counts[2] > 0)
		printf("# %s: %zu acceptable signatures (either verdict is right)\n", file, counts[2]);
	json_object_put(root);
}

int main(void)
{
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		run_file(files[i].file, files[i].alg);
	ok(pop_counts[0] > 0 && pop_wrong[0] == 0, "DPoP proof path (header jwk): all %zu valid "
	   "signatures of keys the core takes verify", pop_counts[0]);
	ok(pop_counts[1] > 0 && pop_wrong[1] == 0, "DPoP proof path (header jwk): all %zu invalid "
	   "signatures are refused", pop_counts[1]);
	return tap_done();
}
