/*
 * The traps of libgcrypt, json-c and RFC 8725 that a JWT verifier falls into,
 * one test each, beside a control that passes (see SECURITY.md). Checks
 * covered by test_core.c are not repeated here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_json.h"
#include "jwt_sig.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define NOW 1700000000LL
#define CLAIMS "\"sub\":\"root\",\"exp\":1700000100"

static char dir[] = "/tmp/pam_jwt_pitfalls.XXXXXX";
static char key_arg[128];
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

/* Verifies the token minted from header and payload (signed with key) for root. */
static enum jwt_status verify_with(const char *header, const char *payload,
				   const unsigned char *k, size_t klen)
{
	const char *argv[] = { key_arg };
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	char *tok = mint(JWT_ALG_HS256, header, payload, k, klen), *user = NULL;
	enum jwt_status rc;

	if (jwt_config_parse(&cfg, 1, argv, &err) != JWT_OK)
		exit(99);
	cfg.allow_root = true;	/* the tokens are for root */
	rc = jwt_verify(&cfg, tok, strlen(tok), NOW, "root", NULL, NULL, &user, &err);
	free(user);
	free(tok);
	return rc;
}

static enum jwt_status verify(const char *payload)
{
	return verify_with("{\"alg\":\"HS256\"}", payload, key, 32);
}

/* libgcrypt is the host's too: initialise it only when nobody has. */
static void test_gcrypt_init(void)
{
	struct jwt_err err = { 0 };

	ok(!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P), "control: libgcrypt starts uninitialised");
	ok(jwt_crypto_init(&err) == JWT_OK && gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P),
	   "libgcrypt: jwt_crypto_init finishes the initialisation nobody did");
	ok(jwt_crypto_init(&err) == JWT_OK, "libgcrypt: a second call leaves it as it is");
}

/* gcry_mac_setkey accepts an empty key; the key set must not. */
static void test_empty_key(void)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };

	ok(jwt_keyset_add_secret(&ks, key, 32, &err) == JWT_OK, "control: a 32-byte HMAC key is taken");
	ok(jwt_keyset_add_secret(&ks, key, 0, &err) == JWT_E_KEY && ks.count == 1,
	   "libgcrypt: an empty HMAC key is refused (gcry_mac_setkey would take it)");
	jwt_keyset_free(&ks);
}

/* Parses text with the core's parser. */
static enum jwt_status parse_x(const char *text, json_object **out)
{
	struct jwt_err err = { 0 };

	return jwt_json_parse_object(text, strlen(text), "test", out, &err);
}

/* What the parser builds: json-c's types, RFC 8259's grammar, nothing lost. */
static void test_own_parser(void)
{
	json_object *o = NULL, *v;
	size_t len = 0;
	const char *s;

	ok(parse_x("{\"x\":\"\\ud83d\\ude00\\/\\t\"}", &o) == JWT_OK &&
	   (s = jwt_json_string(o, "x", &len)) != NULL && len == 6 &&
	   memcmp(s, "\xf0\x9f\x98\x80/\t", 6) == 0,
	   "parser: a surrogate pair and escapes decode to their UTF-8 bytes");
	json_object_put(o);
	ok(parse_x("{\"a\":1,\"b\":-2,\"c\":1.5,\"d\":1e2,\"e\":[true,false,null],\"f\":{}}", &o) ==
	   JWT_OK && json_object_object_length(o) == 6 &&
	   json_object_object_get_ex(o, "a", &v) && json_object_is_type(v, json_type_int) &&
	   json_object_object_get_ex(o, "c", &v) && json_object_is_type(v, json_type_double) &&
	   json_object_object_get_ex(o, "d", &v) && json_object_is_type(v, json_type_double) &&
	   json_object_object_get_ex(o, "e", &v) && json_object_array_length(v) == 3 &&
	   json_object_object_get_ex(o, "f", &v) && json_object_is_type(v, json_type_object),
	   "control: parser: every member is there, with json-c's types (int, double, array, object)");
	json_object_put(o);
	ok(parse_x("{\"x\":\"\\ud83d\"}", &o) == JWT_E_MALFORMED && o == NULL,
	   "parser: a lone UTF-16 surrogate is refused");
	ok(parse_x("{\"x\":\"a\tb\"}", &o) == JWT_E_MALFORMED, "parser: a raw tab in a string is refused");
	ok(parse_x("{\"x\":1.}", &o) == JWT_E_MALFORMED && parse_x("{\"x\":01}", &o) == JWT_E_MALFORMED &&
	   parse_x("{\"x\":-}", &o) == JWT_E_MALFORMED && parse_x("{\"x\":.5}", &o) == JWT_E_MALFORMED,
	   "parser: 1., 01, - and .5 are refused (json-c's strict mode takes the first two)");
	ok(parse_x("{\"x\":1e400}", &o) == JWT_E_MALFORMED, "parser: a number beyond double is refused");
	ok(parse_x("{\"x\":[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}", &o) == JWT_OK, "control: parser: 16 levels");
	json_object_put(o);
	ok(parse_x("{\"x\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}", &o) == JWT_E_MALFORMED,
	   "parser: 17 levels are refused");
	ok(parse_x("{\"x\":tru}", &o) == JWT_E_MALFORMED && parse_x("{\"x\":1", &o) == JWT_E_MALFORMED &&
	   parse_x("{\"x\"", &o) == JWT_E_MALFORMED && parse_x("", &o) == JWT_E_MALFORMED,
	   "parser: truncated text is refused");
}

static void test_json(void)
{
	char deep[256], deep_ok[256];
	int n;

	ok(verify("{" CLAIMS "}") == JWT_OK, "control: a plain payload verifies");
	ok(verify("{" CLAIMS "} {}") == JWT_E_MALFORMED,
	   "json-c: a second value after the payload is refused (json_tokener_parse ignores it)");
	ok(verify("{" CLAIMS "}\n") == JWT_OK, "control: trailing whitespace after the payload is fine");
	ok(verify("{" CLAIMS ",\"sub\\u0000\":\"daemon\"}") == JWT_E_MALFORMED,
	   "json-c: a member name \"sub\\u0000\" (stored by strdup as \"sub\") is refused");
	ok(verify("{" CLAIMS ",\"iss\":\"a\\u0000b\"}") == JWT_E_MALFORMED,
	   "json-c: a string value holding a NUL is refused");
	ok(verify("{" CLAIMS ",\"x\":\"\xc3\xa9\"}") == JWT_OK, "control: UTF-8 in the payload is fine");
	ok(verify("{" CLAIMS ",\"x\":\"\xc0\xaf\"}") == JWT_E_MALFORMED,
	   "json-c: an overlong UTF-8 sequence is refused (RFC 8725 3.7)");
	ok(verify("{" CLAIMS ",\"x\":\"\xed\xa0\x80\"}") == JWT_E_MALFORMED,
	   "json-c: an encoded UTF-16 surrogate is refused (RFC 8725 3.7)");
	ok(verify("{" CLAIMS ",\"x\":\"\xf4\x90\x80\x80\"}") == JWT_E_MALFORMED,
	   "json-c: a code point past U+10FFFF is refused (RFC 8725 3.7)");
	ok(verify("{" CLAIMS ",\"x\":\"\xf0\x9f\x98\x80\xe2\x82\"}") == JWT_E_MALFORMED,
	   "json-c: a truncated UTF-8 sequence is refused (RFC 8725 3.7)");
	ok(verify("{" CLAIMS ",\"x\":\"\xf0\x9f\x98\x80\"}") == JWT_OK,
	   "control: a 4-byte UTF-8 sequence (U+1F600) is fine");
	ok(verify("{" CLAIMS ",\"x\":Infinity}") == JWT_E_MALFORMED,
	   "json-c: Infinity in the payload is refused (strict mode lets it through)");
	ok(verify("{" CLAIMS ",\"x\":NaN}") == JWT_E_MALFORMED, "json-c: NaN in the payload is refused");
	ok(verify("{" CLAIMS ",}") == JWT_E_MALFORMED, "json-c: a trailing comma in the payload is refused");
	ok(verify("{\"sub\":\"root\",\"exp\":\"1700000100\"}") == JWT_E_CLAIMS,
	   "json-c: exp as a string of digits is refused (json_object_get_int64 parses strings)");
	ok(verify("{\"sub\":\"root\",\"exp\":-9223372036854775808}") == JWT_E_CLAIMS,
	   "json-c: exp of INT64_MIN (the clamp value) is refused");
	ok(verify("{\"sub\":\"daemon\",\"sub\":\"root\",\"exp\":1700000100}") == JWT_E_MALFORMED &&
	   verify("{\"sub\":\"root\",\"sub\":\"daemon\",\"exp\":1700000100}") == JWT_E_MALFORMED,
	   "json-c: duplicate claims are refused, as RFC 7519 4 allows (json-c keeps the last)");
	/* Nesting: json-c's own limit is 32; the core allows 16 levels. */
	n = snprintf(deep_ok, sizeof(deep_ok), "{" CLAIMS ",\"x\":%.*s%.*s}", 14,
		     "[[[[[[[[[[[[[[[[[[[[", 14, "]]]]]]]]]]]]]]]]]]]]");
	snprintf(deep, sizeof(deep), "{" CLAIMS ",\"x\":%.*s%.*s}", 20, "[[[[[[[[[[[[[[[[[[[[", 20,
		 "]]]]]]]]]]]]]]]]]]]]");
	ok(n > 0 && verify(deep_ok) == JWT_OK, "control: a payload nested 15 deep verifies");
	ok(verify(deep) == JWT_E_MALFORMED, "a payload nested 21 deep is refused");
}

/* RFC 8725 3.10: keys come from the configuration, never from the token. */
static void test_untrusted_header(void)
{
	static const unsigned char attacker[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	const char *payload = "{" CLAIMS "}";

	ok(verify_with("{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE\"}}",
		       payload, attacker, 32) == JWT_E_SIGNATURE,
	   "RFC 8725 3.10: a key embedded in the header (jwk) is ignored");
	ok(verify_with("{\"alg\":\"HS256\",\"jku\":\"https://evil.example/jwks\",\"x5u\":\"https://evil.example/c\"}",
		       payload, attacker, 32) == JWT_E_SIGNATURE,
	   "RFC 8725 3.10: jku and x5u are never fetched");
	ok(verify_with("{\"alg\":\"HS256\",\"kid\":\"../../../../etc/shadow\"}", payload, key, 32) == JWT_OK,
	   "RFC 8725 3.10: kid is an opaque string (a path in it opens nothing; the configured key verifies)");
	ok(verify_with("{\"alg\":\"HS256\",\"kid\":\"../../../../etc/shadow\"}", payload, attacker, 32) ==
	   JWT_E_SIGNATURE, "RFC 8725 3.10: a path in kid does not make another key verify");
}

int main(void)
{
	char path[64];

	test_gcrypt_init();
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/key", dir);
	write_file(path, key, 32, 0600);
	snprintf(key_arg, sizeof(key_arg), "secret_file=%s", path);

	test_empty_key();
	test_json();
	test_own_parser();
	test_untrusted_header();
	return tap_done();
}
