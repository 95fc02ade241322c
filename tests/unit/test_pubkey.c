/*
 * Public-key tokens and JWK Sets through the core: the RFC examples (RFC 7515
 * A.2 RS256, A.3 ES256, RFC 8037 A.4 Ed25519) at signature level (their
 * claims are long expired or not JSON), the forms a signature must not take,
 * algorithm confusion, kid selection, the key set's rules and file policy.
 * Each refusal sits beside an accepted control.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwt_b64url.h"
#include "jwt_config.h"
#include "jwt_json.h"
#include "jwt_jwks.h"
#include "jwt_sig.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* libgcrypt's RSA key generation keeps a 128 KiB buffer of its own for good:
 * not a leak of the module's, so LeakSanitizer does not count it. */
#define LSAN_DISABLE() __lsan_disable()
#define LSAN_ENABLE() __lsan_enable()
#else
#define LSAN_DISABLE() ((void)0)
#define LSAN_ENABLE() ((void)0)
#endif

#define NOW 1700000000LL

static char dir[] = "/tmp/pam_jwt_pubkey.XXXXXX";
static char jwks_path[256];

/* RFC 7515 A.2: the RSA key of RFC 7517 A.1 (2048 bits) and its RS256 token. */
#define A2_N "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1P" \
	"t0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS" \
	"5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7a" \
	"GhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
#define A2_JWK "{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"e\":\"AQAB\",\"n\":\"" A2_N "\"}"
#define JOE "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
static const char a2[] = "eyJhbGciOiJSUzI1NiJ9." JOE
	".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
	"jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1"
	"L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYE"
	"UipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
/* RFC 7515 A.3: P-256 key and ES256 token. */
#define A3_XY "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\""
#define A3_JWK "{\"kty\":\"EC\",\"crv\":\"P-256\"," A3_XY "}"
static const char a3[] = "eyJhbGciOiJFUzI1NiJ9." JOE
	".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
/* RFC 8037 A.4: Ed25519 key and EdDSA token (the payload is text, not JSON). */
#define A4_JWK "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"
static const char a4[] = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
	".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

#define SET(keys) "{\"keys\":[" keys "]}"

static const unsigned char key1[] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[] = "fedcba9876543210fedcba9876543210";
/* key1 and key2 in base64url, as "k" members */
#define K1 "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
#define K2 "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA"

/* Loads jwks; on success verifies token's signature with every algorithm allowed. */
static enum jwt_status sig_check(const char *jwks, const char *token, struct jwt_err *err)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_token t = { 0 };
	bool has_secret;
	enum jwt_status rc;

	rc = jwt_keyset_add_jwks(&ks, jwks, strlen(jwks), "test set", &has_secret, err);
	if (rc == JWT_OK)
		rc = jwt_token_decode(&t, token, strlen(token), err);
	if (rc == JWT_OK)
		rc = jwt_token_parse_header(&t, err);
	if (rc == JWT_OK)
		rc = jwt_verify_signature(&t, &ks, JWT_ALG_ALL, NULL, err);
	jwt_token_free(&t);
	jwt_keyset_free(&ks);
	return rc;
}

static enum jwt_status check(const char *jwks, const char *token)
{
	struct jwt_err err = { 0 };

	return sig_check(jwks, token, &err);
}

static enum jwt_status load(const char *jwks)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	bool has_secret;
	enum jwt_status rc = jwt_keyset_add_jwks(&ks, jwks, strlen(jwks), "test set", &has_secret, &err);

	jwt_keyset_free(&ks);
	return rc;
}

/* token with its signature replaced by len bytes of sig (static buffer). */
static const char *with_sig(const char *token, const unsigned char *sig, size_t len)
{
	static char buf[4096];
	size_t n = (size_t)(strrchr(token, '.') + 1 - token);

	memcpy(buf, token, n);
	jwt_b64url_encode(sig, len, buf + n);
	return buf;
}

/* The decoded signature of token into sig; returns its length. */
static size_t sig_of(const char *token, unsigned char *sig)
{
	const char *s = strrchr(token, '.') + 1;
	size_t len = 0;

	jwt_b64url_decode(s, strlen(s), sig, &len);
	return len;
}

static void test_rfc_examples(void)
{
	const char *tokens[] = { a2, a3, a4 };
	const char *sets[] = { SET(A2_JWK), SET(A3_JWK), SET(A4_JWK) };
	const char *names[] = { "RFC 7515 A.2 (RS256)", "RFC 7515 A.3 (ES256)", "RFC 8037 A.4 (EdDSA)" };
	char tampered[2048];

	for (int i = 0; i < 3; i++) {
		ok(check(sets[i], tokens[i]) == JWT_OK, "%s verifies", names[i]);
		snprintf(tampered, sizeof(tampered), "%s", tokens[i]);
		tampered[strlen(tampered) - 3] ^= 1;
		ok(check(sets[i], tampered) == JWT_E_SIGNATURE, "%s with a signature bit flipped is refused",
		   names[i]);
		snprintf(tampered, sizeof(tampered), "%s", tokens[i]);
		tampered[30] ^= 1;	/* in the payload */
		ok(check(sets[i], tampered) != JWT_OK, "%s with its payload changed is refused", names[i]);
		ok(check(sets[(i + 1) % 3], tokens[i]) == JWT_E_ALG,
		   "%s against a set holding only another type of key is refused", names[i]);
	}
}

static void test_signature_forms(void)
{
	struct jwt_err err = { 0 };
	unsigned char sig[600], der[80], zero[64] = { 0 };
	size_t len, n = 0;

	len = sig_of(a3, sig);
	ok(check(SET(A3_JWK), with_sig(a3, sig, len)) == JWT_OK, "control: ES256 R||S re-encoded verifies");
	ok(check(SET(A3_JWK), with_sig(a3, zero, 64)) == JWT_E_SIGNATURE,
	   "ES256 with r = s = 0 (psychic signature) is refused");
	memcpy(zero + 32, sig + 32, 32);
	ok(check(SET(A3_JWK), with_sig(a3, zero, 64)) == JWT_E_SIGNATURE, "ES256 with r = 0 is refused");
	/* The same r and s as DER: SEQUENCE { INTEGER r, INTEGER s }. */
	der[n++] = 0x30;
	der[n++] = 0;
	for (int half = 0; half < 2; half++) {
		const unsigned char *v = sig + 32 * half;

		der[n++] = 0x02;
		der[n++] = (unsigned char)(32 + (v[0] >= 0x80));
		if (v[0] >= 0x80)
			der[n++] = 0;
		memcpy(der + n, v, 32);
		n += 32;
	}
	der[1] = (unsigned char)(n - 2);
	ok(check(SET(A3_JWK), with_sig(a3, der, n)) == JWT_E_SIGNATURE,
	   "ES256 with a DER-encoded signature (%zu bytes) is refused", n);
	ok(sig_check(SET(A3_JWK), with_sig(a3, sig, len - 1), &err) == JWT_E_SIGNATURE &&
	   strstr(err.reason, "has 63 bytes, expected 64") != NULL,
	   "ES256 signature one byte short is refused for its length: %s", err.reason);
	len = sig_of(a2, sig);
	ok(check(SET(A2_JWK), with_sig(a2, sig, len - 1)) == JWT_E_SIGNATURE,
	   "RS256 signature one byte short is refused");
	memmove(sig + 1, sig, len);
	sig[0] = 0;
	ok(check(SET(A2_JWK), with_sig(a2, sig, len + 1)) == JWT_E_SIGNATURE,
	   "RS256 signature with a leading zero byte is refused");
	len = sig_of(a4, sig);
	ok(sig_check(SET(A4_JWK), with_sig(a4, sig, len - 1), &err) == JWT_E_SIGNATURE &&
	   strstr(err.reason, "has 63 bytes, expected 64") != NULL,
	   "EdDSA signature one byte short is refused for its length: %s", err.reason);
	ok(check(SET(A4_JWK), with_sig(a4, sig, 0)) == JWT_E_MALFORMED, "EdDSA empty signature is refused");
}

static void test_confusion(void)
{
	static const char rsa_bytes[] = A2_JWK;
	struct jwt_keyset ks = { 0 };
	struct jwt_token t = { 0 };
	struct jwt_err err = { 0 };
	char *hs;
	char set[2048];

	/* The RSA public key's bytes as an HMAC secret: secret_file= holding them. */
	jwt_keyset_add_secret(&ks, (const unsigned char *)rsa_bytes, strlen(rsa_bytes), &err);
	ok(jwt_token_decode(&t, a2, strlen(a2), &err) == JWT_OK && jwt_token_parse_header(&t, &err) == JWT_OK &&
	   jwt_verify_signature(&t, &ks, JWT_ALG_ALL, NULL, &err) == JWT_E_ALG,
	   "RS256 token against an HMAC key holding the RSA public key's bytes is refused");
	jwt_token_free(&t);
	jwt_keyset_free(&ks);
	/* The classic confusion: HS256 keyed with the public key, against the RSA key. */
	hs = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{\"sub\":\"root\"}",
		  (const unsigned char *)rsa_bytes, strlen(rsa_bytes));
	ok(check(SET(A2_JWK), hs) == JWT_E_ALG,
	   "HS256 token keyed with the RSA public key's bytes, against that RSA key, is refused");
	{
		char k[1024];

		jwt_b64url_encode((const unsigned char *)rsa_bytes, strlen(rsa_bytes), k);
		snprintf(set, sizeof(set), SET("{\"kty\":\"oct\",\"k\":\"%s\"}"), k);
	}
	ok(check(set, hs) == JWT_OK, "control: that token verifies with those bytes as an oct key");
	free(hs);
	ok(check(SET(A3_JWK), a4) == JWT_E_ALG, "EdDSA token against an EC key is refused");
}

static void test_kid(void)
{
	const char *set = SET("{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"" K1 "\"},"
			      "{\"kty\":\"oct\",\"kid\":\"k2\",\"k\":\"" K2 "\"}," A2_JWK);
	char *t1 = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{}", key1, 32);
	char *t2 = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k2\"}", "{}", key2, 32);
	char *swapped = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{}", key2, 32);
	char *missing = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k3\"}", "{}", key1, 32);
	char *rsa_kid = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", "{}", key1, 32);
	char *no_kid = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{}", key2, 32);
	struct jwt_err err = { 0 };

	ok(check(set, t1) == JWT_OK && check(set, t2) == JWT_OK, "tokens of either kid verify");
	ok(check(set, swapped) == JWT_E_SIGNATURE, "kid k1 signed with k2's key is refused (only k1 is tried)");
	ok(sig_check(set, missing, &err) == JWT_E_ALG && strstr(err.reason, "kid") != NULL,
	   "kid naming a missing key is refused: %s", err.reason);
	ok(sig_check(set, rsa_kid, &err) == JWT_E_ALG,
	   "kid naming a key of another type (RSA for HS256) is refused: %s", err.reason);
	ok(check(set, no_kid) == JWT_OK, "control: without kid, each key that fits is tried");
	ok(check(SET("{\"kty\":\"oct\",\"k\":\"" K1 "\"}"), t1) == JWT_E_ALG,
	   "a key set's key without kid is not tried for a token naming a kid");
	/* kid is compared whole: neither a prefix, an extension nor "" selects k1. */
	{
		static const char *const kids[] = { "k", "", "k1x", "k11", "K1" };

		for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
			char header[64], *tok;

			snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kids[i]);
			tok = mint(JWT_ALG_HS256, header, "{}", key1, 32);
			ok(sig_check(set, tok, &err) == JWT_E_ALG && strstr(err.reason, "kid") != NULL,
			   "kid \"%s\", signed with k1's key, selects no key: %s", kids[i], err.reason);
			free(tok);
		}
	}
	free(t1);
	free(t2);
	free(swapped);
	free(missing);
	free(rsa_kid);
	free(no_kid);
}

/* The i-th of many HMAC keys: 32 bytes that name i. */
static void many_key(int i, unsigned char key[32])
{
	snprintf((char *)key, 32, "many-keys-test-key-number-%03d", i);
	memset(key + 29, 'x', 3);
}

/* A token without kid is tried against at most JWT_KIDLESS_MAX_TRIES keys, kid-less keys first. */
static void test_kidless_bound(void)
{
	enum { NKEYS = 3 * JWT_KIDLESS_MAX_TRIES };
	static char set[NKEYS * 120 + 200];
	unsigned char key[32];
	char k[64], *tok;
	size_t n;
	struct jwt_err err = { 0 };

	n = (size_t)snprintf(set, sizeof(set), "{\"keys\":[");
	for (int i = 0; i < NKEYS; i++) {
		many_key(i, key);
		jwt_b64url_encode(key, 32, k);
		n += (size_t)snprintf(set + n, sizeof(set) - n, "%s{\"kty\":\"oct\",\"kid\":\"m%d\",\"k\":\"%s\"}",
				      i ? "," : "", i, k);
	}
	/* Last in the set, the one key without a kid. */
	many_key(999, key);
	jwt_b64url_encode(key, 32, k);
	snprintf(set + n, sizeof(set) - n, ",{\"kty\":\"oct\",\"k\":\"%s\"}]}", k);

	many_key(JWT_KIDLESS_MAX_TRIES - 2, key);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{}", key, 32);
	ok(sig_check(set, tok, &err) == JWT_OK,
	   "control: a token without kid, of a key within the bound (after the kid-less key), verifies");
	free(tok);
	many_key(JWT_KIDLESS_MAX_TRIES - 1, key);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{}", key, 32);
	ok(sig_check(set, tok, &err) == JWT_E_SIGNATURE && strstr(err.reason, "has no kid") != NULL &&
	   strstr(err.reason, "at most 8 keys") != NULL,
	   "a token without kid, of the first key beyond the bound, is refused: %s", err.reason);
	free(tok);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"m7\"}", "{}", key, 32);
	ok(sig_check(set, tok, &err) == JWT_OK, "control: the same key's token with its kid verifies");
	free(tok);
	many_key(NKEYS - 1, key);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{}", key, 32);
	ok(sig_check(set, tok, &err) == JWT_E_SIGNATURE && strstr(err.reason, "first 8 of the 25 keys") != NULL,
	   "a token without kid, of the last key, is refused, and the reason counts the keys");
	free(tok);
	many_key(999, key);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{}", key, 32);
	ok(sig_check(set, tok, &err) == JWT_OK, "the key without kid, last in the set, is tried first");
	free(tok);
}

/*
 * RFC 8017 §8.2.2: an RSA signature has exactly the modulus's length. An RS256
 * signature whose first byte is 0 must not verify with that byte left out
 * (which libgcrypt alone accepts: as a number it is the same).
 */
static void test_rsa_leading_zero(void)
{
	gcry_sexp_t params = NULL, pair = NULL, n_tok;
	gcry_mpi_t n_mpi;
	struct jwt_key key = { .kty = JWT_KTY_RSA };
	unsigned char n[256], sig[600];
	char n64[400], set[600], payload[64], *tok = NULL;
	size_t len, n_len = 0;
	int tries;

	/* Some 256 RSA-2048 signatures on average: minutes under valgrind, for a
	 * path the other RSA cases already take there. */
	if (getenv("PAM_JWT_TEST_WRAPPER") != NULL) {
		printf("ok %d # SKIP an RS256 signature starting with 0: not under valgrind\n", ++tap_count);
		return;
	}
	LSAN_DISABLE();
	if (gcry_sexp_build(&params, NULL, "(genkey (rsa (nbits 4:2048)))") ||
	    gcry_pk_genkey(&pair, params))
		exit(99);
	LSAN_ENABLE();
	key.pub = gcry_sexp_find_token(pair, "public-key", 0);
	key.priv = gcry_sexp_find_token(pair, "private-key", 0);
	n_tok = gcry_sexp_find_token(key.pub, "n", 0);
	n_mpi = gcry_sexp_nth_mpi(n_tok, 1, GCRYMPI_FMT_USG);
	if (gcry_mpi_print(GCRYMPI_FMT_USG, n, sizeof(n), &n_len, n_mpi) || n_len != 256)
		exit(99);
	key.modulus_len = n_len;
	jwt_b64url_encode(n, n_len, n64);
	snprintf(set, sizeof(set), SET("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"%s\"}"), n64);
	/* PKCS#1 v1.5 is deterministic: vary the claims until a signature starts with 0. */
	for (tries = 0; tries < 20000; tries++) {
		snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"n\":%d}", tries);
		tok = mint_key(JWT_ALG_RS256, "{\"alg\":\"RS256\"}", payload, &key);
		len = sig_of(tok, sig);
		if (len == 256 && sig[0] == 0)
			break;
		free(tok);
		tok = NULL;
	}
	ok(tok != NULL, "an RS256 signature starting with a 0 byte (after %d tokens)", tries + 1);
	if (tok != NULL) {
		ok(check(set, tok) == JWT_OK, "control: that signature, all 256 bytes, verifies");
		ok(check(set, with_sig(tok, sig + 1, 255)) == JWT_E_SIGNATURE,
		   "the same signature without its leading 0 byte (255 bytes) is refused");
	}
	free(tok);
	gcry_mpi_release(n_mpi);
	gcry_sexp_release(n_tok);
	gcry_sexp_release(params);
	gcry_sexp_release(pair);
	jwt_key_clear(&key);
}

/* A 1024-bit RSA public key (made with python3-cryptography). */
#define SMALL_RSA "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"qVfIwWS-0r5DbLCYh0yzuEBDzlMdjoMpro8s4yq4" \
	"92OT-GcxgPM-OdKM-kskUNYDiR0uLj-GHH4-asMPXTd4duZPHJiy-Z6fgDfTyt4-xTpcVC0d0S1BpMEe0xqjHvDbm4XMN" \
	"fZYVt_KjRmzKgDCYOod3GmyBT6yWxmc2HrOgO8\"}"

static void test_set_rules(void)
{
	const char *set = SET(SMALL_RSA);
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	bool has_secret;

	ok(jwt_keyset_add_jwks(&ks, set, strlen(set), "s", &has_secret, &err) == JWT_E_KEY &&
	   strstr(err.reason, "1024 bits") != NULL, "a 1024-bit RSA key is refused: %s", err.reason);
	jwt_keyset_free(&ks);
	ok(load(SET(A2_JWK)) == JWT_OK, "control: a 2048-bit RSA key is accepted");
	ok(check(SET("{\"kty\":\"RSA\",\"use\":\"enc\",\"e\":\"AQAB\",\"n\":\"" A2_N "\"}," A3_JWK), a2) == JWT_E_ALG,
	   "a key with \"use\":\"enc\" is left out");
	ok(check(SET("{\"kty\":\"RSA\",\"use\":\"sig\",\"e\":\"AQAB\",\"n\":\"" A2_N "\"}"), a2) == JWT_OK,
	   "control: \"use\":\"sig\" verifies");
	ok(check(SET("{\"kty\":\"RSA\",\"key_ops\":[\"encrypt\"],\"e\":\"AQAB\",\"n\":\"" A2_N "\"}," A3_JWK), a2) == JWT_E_ALG,
	   "a key whose key_ops lack \"verify\" is left out");
	ok(check(SET("{\"kty\":\"RSA\",\"key_ops\":[\"verify\"],\"e\":\"AQAB\",\"n\":\"" A2_N "\"}"), a2) == JWT_OK,
	   "control: key_ops [\"verify\"] verifies");
	ok(check(SET("{\"kty\":\"RSA\",\"alg\":\"PS256\",\"e\":\"AQAB\",\"n\":\"" A2_N "\"}"), a2) == JWT_E_ALG,
	   "an RSA key pinned to PS256 does not verify RS256");
	ok(check(SET("{\"kty\":\"RSA\",\"alg\":\"RS256\",\"e\":\"AQAB\",\"n\":\"" A2_N "\"}"), a2) == JWT_OK,
	   "control: pinned to RS256 it does");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES384\"," A3_XY "}")) == JWT_E_KEY,
	   "a P-256 key pinned to ES384 is refused");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"RS256\"," A3_XY "}")) == JWT_E_KEY,
	   "an EC key pinned to RS256 is refused");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"," A3_XY "}")) == JWT_E_KEY,
	   "a private EC key is refused");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1\"}")) == JWT_E_KEY,
	   "an EC point off the curve is refused");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}")) == JWT_E_KEY,
	   "a short EC point not on the curve is refused");
	ok(load(SET("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AH_NzidwXR8Vd5Yv8Iub5ATXnk2VVfH7z5EB7z7Z3nIi\","
		    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}")) == JWT_E_KEY,
	   "an EC coordinate longer than the field (33 bytes) is refused");
	ok(check(SET("{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\",\"y\":\"AA\"}," A3_JWK), a3) == JWT_OK,
	   "a key on an unsupported curve is left out, the others still work");
	ok(check(SET("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"},{\"kty\":\"foo\"},"
		     "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\"}," A4_JWK), a4) == JWT_OK,
	   "keys of unknown kty, curve or alg are left out");
	ok(load(SET("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}")) == JWT_E_KEY,
	   "a set left with no usable key is refused");
	ok(load(SET("{\"crv\":\"P-256\"," A3_XY "}")) == JWT_E_KEY, "a key without kty is refused");
	ok(load(SET("{\"kty\":\"oct\",\"k\":\"\"}")) == JWT_E_KEY, "an empty oct key is refused");
	ok(load(SET("{\"kty\":\"oct\",\"k\":\"" K1 "=\"}")) == JWT_E_KEY, "a padded base64 member is refused");
	ok(load(SET("{\"kty\":\"oct\",\"kid\":7,\"k\":\"" K1 "\"}")) == JWT_E_KEY, "a non-string kid is refused");
	ok(load(SET("{\"kty\":\"oct\",\"key_ops\":\"verify\",\"k\":\"" K1 "\"}")) == JWT_E_KEY,
	   "a key_ops that is not an array is refused");
	ok(load("{\"keys\":{}}") == JWT_E_KEY, "\"keys\" that is not an array is refused");
	ok(load(A3_JWK) == JWT_E_KEY, "a lone JWK (not a set) is refused");
	ok(load(SET(A3_JWK) "x") == JWT_E_KEY, "trailing data after the set is refused");
	ok(load(SET("{\"kty\":\"oct\",\"k\":\"" K1 "\",\"k\":\"" K1 "\"}")) == JWT_E_KEY,
	   "a key with a member twice is refused (json-c would free the first \"k\" unwiped)");
	ok(load(SET("{\"kty\":\"oct\",\"use\":\"enc\",\"use\":\"sig\",\"k\":\"" K1 "\"}," A3_JWK)) ==
	   JWT_E_KEY, "a key whose \"use\" appears twice is refused, not read as the last one");
	ok(load(SET(A3_JWK "," A4_JWK ",{\"kty\":\"oct\",\"k\":\"" K1 "\"}")) == JWT_OK,
	   "control: a set of EC, OKP and oct keys loads");
}

/* A private key anywhere in a set refuses it, before any key is left out. */
#define A3_D "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\""
static void test_private_before_filtering(void)
{
	static const char *const leftout[] = {
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\"," A3_D "," A3_XY "}",
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":[\"sign\"]," A3_D "," A3_XY "}",
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES\"," A3_D "," A3_XY "}",
		"{\"kty\":\"EC\",\"crv\":\"secp256k1\"," A3_D ",\"x\":\"AA\",\"y\":\"AA\"}",
		"{\"kty\":\"foo\"," A3_D "}",
		"{\"kty\":\"RSA\",\"use\":\"enc\",\"e\":\"AQAB\",\"n\":\"" A2_N "\",\"p\":\"AQAB\"}",
		"{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"e\":\"AQAB\",\"n\":\"" A2_N "\",\"qi\":\"AQAB\"}",
		"{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\",\"d\":\"AA\"}",
	};
	static const char *const names[] = {
		"\"use\":\"enc\"", "\"key_ops\":[\"sign\"]", "\"alg\":\"ECDH-ES\"", "an unknown curve",
		"an unknown kty", "an RSA key with \"p\" and \"use\":\"enc\"",
		"an RSA key with \"qi\" and \"alg\":\"RSA-OAEP\"", "an X25519 key",
	};
	char set[4096];

	ok(check(SET(A3_JWK ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\"," A3_XY "}"), a3) == JWT_OK,
	   "control: a public key left out by \"use\":\"enc\" beside a verifying key loads");
	for (size_t i = 0; i < sizeof(leftout) / sizeof(leftout[0]); i++) {
		struct jwt_err err = { 0 };

		snprintf(set, sizeof(set), "{\"keys\":[%s,%s]}", A3_JWK, leftout[i]);
		ok(sig_check(set, a3, &err) == JWT_E_KEY && strstr(err.reason, "key 2 is a private key") != NULL,
		   "a private key that would be left out (%s) refuses the whole set: %s", names[i], err.reason);
		snprintf(set, sizeof(set), "{\"keys\":[%s,%s]}", leftout[i], A3_JWK);
		ok(sig_check(set, a3, &err) == JWT_E_KEY && strstr(err.reason, "key 1 is a private key") != NULL,
		   "the same key first in the set refuses it too (%s)", names[i]);
	}
	{
		struct jwt_err err = { 0 };

		ok(sig_check(SET("{\"kty\":\"oct\",\"kid\":7,\"k\":\"" K1 "\"},"
				 "{\"kty\":\"EC\",\"crv\":\"P-256\"," A3_D "," A3_XY "}"), a3, &err) == JWT_E_KEY &&
		   strstr(err.reason, "key 2 is a private key") != NULL,
		   "a private key after a malformed key is what the set is refused for");
	}
}

static bool all_zero(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != 0)
			return false;
	return n > 0;
}

/* Whether jwt_jwk_parse() leaves json-c's copy of member name wiped; *rc its status. */
static bool member_wiped(const char *jwk_text, const char *name, bool *usable, enum jwt_status *rc)
{
	struct jwt_key key = { 0 };
	struct jwt_err err = { 0 };
	json_object *jwk = NULL;
	const char *s;
	size_t len = 0;
	bool secret, wiped;

	if (jwt_json_parse_object(jwk_text, strlen(jwk_text), "jwk", &jwk, &err) != JWT_OK)
		return false;
	s = jwt_json_string(jwk, name, &len);
	if (s == NULL || all_zero(s, len)) {
		json_object_put(jwk);
		return false;
	}
	*rc = jwt_jwk_parse(jwk, &key, usable, &secret, &err);
	wiped = all_zero(s, len);
	jwt_key_clear(&key);
	json_object_put(jwk);
	return wiped;
}

static void test_secret_wipe(void)
{
	enum jwt_status rc;
	bool usable;

	ok(member_wiped("{\"kty\":\"oct\",\"k\":\"" K1 "\"}", "k", &usable, &rc) &&
	   rc == JWT_OK && usable, "control: a usable oct key's \"k\" is wiped in json-c's copy");
	ok(member_wiped("{\"kty\":\"oct\",\"use\":\"enc\",\"k\":\"" K1 "\"}", "k", &usable, &rc) &&
	   rc == JWT_OK && !usable, "an oct key left out (\"use\":\"enc\") has its \"k\" wiped too");
	ok(member_wiped("{\"kty\":\"oct\",\"alg\":\"A128KW\",\"k\":\"" K1 "\"}", "k", &usable, &rc) &&
	   rc == JWT_OK && !usable, "an oct key left out (unknown alg) has its \"k\" wiped too");
	ok(member_wiped("{\"kty\":\"oct\",\"kid\":7,\"k\":\"" K1 "\"}", "k", &usable, &rc) &&
	   rc == JWT_E_KEY, "an oct key refused (non-string kid) has its \"k\" wiped too");
	ok(member_wiped("{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\","
			A3_XY "}", "d", &usable, &rc) && rc == JWT_E_KEY,
	   "a private EC key refused in a key set has its \"d\" wiped");
	{
		const char *text = "{\"kty\":\"EC\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";
		json_object *jwk = NULL, *d = NULL;
		struct jwt_err err = { 0 };

		if (jwt_json_parse_object(text, strlen(text), "jwk", &jwk, &err) == JWT_OK &&
		    json_object_object_get_ex(jwk, "d", &d))
			json_object_get(d);	/* kept alive to look at after the removal */
		ok(d != NULL && !all_zero(json_object_get_string(d), 43), "control: \"d\" holds the key");
		jwt_jwk_remove(jwk, "d");
		ok(d != NULL && all_zero(json_object_get_string(d), 43) &&
		   !json_object_object_get_ex(jwk, "d", NULL),
		   "jwt_jwk_remove deletes a member and wipes json-c's copy of it");
		json_object_put(d);
		json_object_put(jwk);
	}
}

static void write_set(const char *set, mode_t mode)
{
	write_file(jwks_path, set, strlen(set), mode);
}

static enum jwt_status load_file(void)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	enum jwt_status rc = jwt_keyset_add_jwks_file(&ks, jwks_path, &err);

	jwt_keyset_free(&ks);
	return rc;
}

static void test_file_policy(void)
{
	char link[300];

	write_set(SET(A2_JWK "," A3_JWK), 0644);
	ok(load_file() == JWT_OK, "a public-only key set may be world-readable");
	write_set(SET(A3_JWK ",{\"kty\":\"oct\",\"k\":\"" K1 "\"}"), 0644);
	ok(load_file() == JWT_E_KEY, "a key set holding an oct key may not be world-readable");
	chmod(jwks_path, 0640);
	ok(load_file() == JWT_OK, "control: mode 0640 with an oct key is accepted");
	write_set(SET(A3_JWK ",{\"kty\":\"foo\",\"k\":\"" K1 "\"}"), 0644);
	ok(load_file() == JWT_E_KEY, "a key set with \"k\" in a key of unknown kty may not be world-readable");
	write_set(SET(A3_JWK ",{\"kty\":\"oct\",\"use\":\"enc\",\"k\":\"" K1 "\"}"), 0644);
	ok(load_file() == JWT_E_KEY, "a key set with an oct key left out (use enc) may not be world-readable");
	chmod(jwks_path, 0640);
	ok(load_file() == JWT_OK, "control: mode 0640 with that key is accepted");
	write_set(SET(A3_JWK), 0664);
	ok(load_file() == JWT_E_KEY, "a group-writable key set is refused");
	write_set(SET(A3_JWK), 0644);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	unlink(link);
	if (symlink(jwks_path, link) != 0)
		exit(99);
	{
		struct jwt_keyset ks = { 0 };
		struct jwt_err err = { 0 };

		ok(jwt_keyset_add_jwks_file(&ks, link, &err) == JWT_E_KEY, "a key set through a symlink is refused");
		jwt_keyset_free(&ks);
	}
}

/* jwt_verify with the given arguments, for a token whose claims are good at NOW. */
static enum jwt_status verify_with(const char **argv, int argc, const char *tok)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	char *user = NULL;
	enum jwt_status rc = jwt_config_parse(&cfg, argc, argv, &err);

	cfg.allow_root = true;	/* the tokens are for root */
	if (rc == JWT_OK)
		rc = jwt_verify(&cfg, tok, strlen(tok), NOW, "root", NULL, NULL, &user, &err);
	free(user);
	return rc;
}

static void test_module_config(void)
{
	char jwks_arg[300], secret_arg[300], secret_path[256];
	const char *claims = "{\"sub\":\"root\",\"exp\":1700000100}";
	char *t1 = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims, key1, 32);
	char *t2 = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", claims, key2, 32);
	char *t2_kid = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims, key2, 32);

	snprintf(jwks_arg, sizeof(jwks_arg), "jwks_file=%s", jwks_path);
	snprintf(secret_path, sizeof(secret_path), "%s/secret", dir);
	snprintf(secret_arg, sizeof(secret_arg), "secret_file=%s", secret_path);
	write_file(secret_path, key2, 32, 0600);
	write_set(SET("{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"" K1 "\"}," A3_JWK), 0600);

	ok(verify_with((const char *[]){ jwks_arg }, 1, t1) == JWT_OK, "jwks_file= alone: a token of its key logs in");
	ok(verify_with((const char *[]){ jwks_arg }, 1, t2) == JWT_E_SIGNATURE,
	   "jwks_file= alone: a token of another key is refused");
	ok(verify_with((const char *[]){ jwks_arg, secret_arg }, 2, t1) == JWT_OK &&
	   verify_with((const char *[]){ jwks_arg, secret_arg }, 2, t2) == JWT_OK,
	   "secret_file= and jwks_file=: tokens of either are accepted");
	ok(verify_with((const char *[]){ jwks_arg, secret_arg }, 2, t2_kid) == JWT_OK,
	   "the secret_file= key is tried whatever kid the token names");
	ok(verify_with((const char *[]){ jwks_arg, "algorithms=ES256" }, 2, t1) == JWT_E_ALG,
	   "algorithms=ES256 refuses an HS256 token even with its key in the set");
	ok(verify_with((const char *[]){ jwks_arg, "jwks_file=/x" }, 2, t1) == JWT_E_CONFIG,
	   "jwks_file= twice is a configuration error");
	ok(verify_with((const char *[]){ "jwks_file=" }, 1, t1) == JWT_E_CONFIG, "an empty jwks_file= is an error");
	ok(verify_with((const char *[]){ "algorithms=RS256,PS256,ES256,ES384,ES512,EdDSA,RS384,RS512,PS384,PS512",
					 jwks_arg }, 2, t1) == JWT_E_ALG,
	   "every public-key algorithm name is accepted by algorithms=");
	write_set(SET(A3_JWK), 0644);
	ok(verify_with((const char *[]){ jwks_arg }, 1, t1) == JWT_E_ALG,
	   "default algorithms: an HS256 token against a set of an EC key is refused");
	free(t1);
	free(t2);
	free(t2_kid);
}

int main(void)
{
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	scratch_dir(dir);
	snprintf(jwks_path, sizeof(jwks_path), "%s/jwks.json", dir);
	test_rfc_examples();
	test_signature_forms();
	test_confusion();
	test_kid();
	test_rsa_leading_zero();
	test_set_rules();
	test_kidless_bound();
	test_private_before_filtering();
	test_secret_wipe();
	test_file_policy();
	test_module_config();
	return tap_done();
}
