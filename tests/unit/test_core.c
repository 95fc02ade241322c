/*
 * Unit tests of the token core, with a fixed clock. Each rejection rule has a
 * test beside a positive control that differs only in what the rule checks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwt_b64url.h"
#include "jwt_config.h"
#include "jwt_file.h"
#include "jwt_keyset.h"
#include "jwt_sig.h"
#include "jwt_user.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define NOW 1700000000LL

static char dir[] = "/tmp/pam_jwt_core.XXXXXX";
static char key_path[256];
static const unsigned char key32[] = "0123456789abcdef0123456789abcdef";
static const unsigned char key64[] =
	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

#define HS256 "{\"alg\":\"HS256\"}"

static char *mint256(const char *payload)
{
	return mint(JWT_ALG_HS256, HS256, payload, key32, 32);
}

static void config(struct jwt_config *cfg, const char **extra, int n)
{
	const char *argv[16];
	char arg[300];
	struct jwt_err err = { 0 };

	snprintf(arg, sizeof(arg), "secret_file=%s", key_path);
	argv[0] = arg;
	for (int i = 0; i < n; i++)
		argv[i + 1] = extra[i];
	if (jwt_config_parse(cfg, n + 1, argv, &err) != JWT_OK) {
		fprintf(stderr, "config: %s\n", err.reason);
		exit(99);
	}
	/* argv[0] lives on this stack frame: keep a copy. */
	cfg->secret_file = key_path;
	/* The tokens are for root, the one account every system has. */
	cfg->allow_root = true;
}

/* Verifies tok with the given extra arguments at time now; returns the status. */
static enum jwt_status check_at(const char *tok, int64_t now, const char **extra, int n,
				struct jwt_err *err)
{
	struct jwt_config cfg;
	char *user = NULL;
	enum jwt_status rc;

	config(&cfg, extra, n);
	rc = jwt_verify(&cfg, tok, strlen(tok), now, "root", NULL, NULL, &user, err);
	free(user);
	return rc;
}

static enum jwt_status check(const char *tok, const char **extra, int n)
{
	struct jwt_err err = { 0 };

	return check_at(tok, NOW, extra, n, &err);
}

/* Verifies a payload minted with the test key; frees the token. */
static enum jwt_status check_payload(const char *payload, const char **extra, int n)
{
	char *tok = mint256(payload);
	enum jwt_status rc = check(tok, extra, n);

	free(tok);
	return rc;
}

/* Verifies a payload at time now with the default configuration. */
static enum jwt_status check_payload_at(const char *payload, int64_t now)
{
	char *tok = mint256(payload);
	struct jwt_err err = { 0 };
	enum jwt_status rc = check_at(tok, now, NULL, 0, &err);

	free(tok);
	return rc;
}

static void test_b64url(void)
{
	unsigned char out[64];
	size_t len;
	char enc[64];

	ok(jwt_b64url_decode("aGVsbG8", 7, out, &len) && len == 5 && memcmp(out, "hello", 5) == 0,
	   "base64url decodes");
	ok(!jwt_b64url_decode("aGVsbG8=", 8, out, &len), "padding is refused");
	ok(!jwt_b64url_decode("aGVs bG8", 8, out, &len), "whitespace is refused");
	ok(!jwt_b64url_decode("aGVs+G8", 7, out, &len), "'+' (base64, not base64url) is refused");
	ok(!jwt_b64url_decode("aGVs/G8", 7, out, &len), "'/' is refused");
	ok(!jwt_b64url_decode("aGVsb", 5, out, &len), "a length of 1 mod 4 is refused");
	ok(!jwt_b64url_decode("aGVsbG9", 7, out, &len), "non-zero trailing bits are refused");
	ok(jwt_b64url_decode("-_-_", 4, out, &len) && len == 3 && out[0] == 0xfb && out[1] == 0xff,
	   "'-' and '_' decode as 62 and 63");
	jwt_b64url_encode((const unsigned char *)"hello", 5, enc);
	ok(strcmp(enc, "aGVsbG8") == 0, "base64url encodes without padding");
}

static void test_structure(void)
{
	char *good = mint256("{\"sub\":\"root\",\"exp\":1700000100}");
	char *sig = strrchr(good, '.');
	char buf[20000];

	ok(check(good, NULL, 0) == JWT_OK, "control: a valid token verifies");
	ok(check("abc.def", NULL, 0) == JWT_E_MALFORMED, "two segments are refused");
	snprintf(buf, sizeof(buf), "%s.", good);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "four segments are refused");
	snprintf(buf, sizeof(buf), "%.*s.", (int)(sig - good), good);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "an empty signature is refused");
	snprintf(buf, sizeof(buf), ".%s", strchr(good, '.') + 1);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "an empty header is refused");
	snprintf(buf, sizeof(buf), "%.*s.%s", (int)(strchr(good, '.') - good), good, sig);
	ok(check(buf, NULL, 0) == JWT_E_SIGNATURE, "the payload cut out: the signature fails");
	free(good);
	good = mint256("");
	ok(check(good, NULL, 0) == JWT_E_MALFORMED,
	   "an empty payload, correctly signed (a valid JWS), is refused: no claims");
	free(good);
	good = mint256("{\"sub\":\"root\",\"exp\":1700000100}");
	snprintf(buf, sizeof(buf), "%s=", good);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "a padded signature is refused");
	snprintf(buf, sizeof(buf), " %s", good);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "leading whitespace is refused");
	snprintf(buf, sizeof(buf), "%s\n", good);
	ok(check(buf, NULL, 0) == JWT_E_MALFORMED, "a trailing newline is refused");
	free(good);
}

static void test_size_limit(void)
{
	const char *claims = "\"sub\":\"root\",\"exp\":1700000100";
	char *tok = mint_length(JWT_TOKEN_MAX, claims, key32, 32);
	char *big = mint_length(JWT_TOKEN_MAX + 1, claims, key32, 32);

	ok(check(tok, NULL, 0) == JWT_OK, "a token of exactly %d bytes (the limit) verifies",
	   JWT_TOKEN_MAX);
	ok(check(big, NULL, 0) == JWT_E_MALFORMED, "a token of %d bytes is refused before decoding",
	   JWT_TOKEN_MAX + 1);
	free(tok);
	free(big);
}

static enum jwt_status check_header(const char *header)
{
	char *tok = mint(JWT_ALG_HS256, header, "{\"sub\":\"root\",\"exp\":1700000100}", key32, 32);
	enum jwt_status rc = check(tok, NULL, 0);

	free(tok);
	return rc;
}

static void test_header(void)
{
	ok(check_header("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") == JWT_OK, "control: header with typ");
	ok(check_header("[\"HS256\"]") == JWT_E_MALFORMED, "a header that is an array is refused");
	ok(check_header("{\"alg\":\"HS256\"} {}") == JWT_E_MALFORMED, "data after the header object is refused");
	ok(check_header("{\"alg\":\"HS256\"}x") == JWT_E_MALFORMED, "garbage after the header object is refused");
	ok(check_header("{\"alg\":\"HS256\",}") == JWT_E_MALFORMED, "a trailing comma is refused");
	ok(check_header("{'alg':'HS256'}") == JWT_E_MALFORMED, "single quotes are refused");
	ok(check_header("{\"typ\":\"JWT\"}") == JWT_E_MALFORMED, "a header without alg is refused");
	ok(check_header("{\"alg\":256}") == JWT_E_MALFORMED, "a non-string alg is refused");
	ok(check_header("{\"alg\":\"none\"}") == JWT_E_ALG, "alg none is refused");
	ok(check_header("{\"alg\":\"None\"}") == JWT_E_ALG, "alg None is refused");
	ok(check_header("{\"alg\":\"NONE\"}") == JWT_E_ALG, "alg NONE is refused");
	ok(check_header("{\"alg\":\"hs256\"}") == JWT_E_ALG, "alg names are case-sensitive");
	ok(check_header("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}") == JWT_E_MALFORMED, "a crit header is refused");
	ok(check_header("{\"alg\":\"HS256\",\"kid\":7}") == JWT_E_MALFORMED, "a non-string kid is refused");
	ok(check_header("{\"alg\":\"HS256\",\"x\":NaN}") == JWT_E_MALFORMED, "NaN is refused");
	ok(check_header("{\"alg\":\"HS256\",\"x\":-Infinity}") == JWT_E_MALFORMED, "Infinity is refused");
	ok(check_header("{\"alg\":\"HS256\",\"x\":\"\xff\"}") == JWT_E_MALFORMED, "invalid UTF-8 is refused");
	ok(check_header("{\"alg\":\"HS256\",\"x\":\"\\u0000\"}") == JWT_E_MALFORMED, "an escaped NUL is refused");
	ok(check_header("{\"alg\":\"HS256\" /* c */}") == JWT_E_MALFORMED, "comments are refused");
	ok(check_header("{\"alg\":\"none\",\"alg\":\"HS256\"}") == JWT_E_MALFORMED,
	   "duplicate names are refused (RFC 7515 §4 allows it)");
	ok(check_header("{\"alg\":\"HS256\",\"kid\":\"a\",\"k\\u0069d\":\"b\"}") == JWT_E_MALFORMED,
	   "a duplicate name spelt with an escape is refused");
	ok(check_header("{\"alg\":\"HS256\",\"kid\":\"a\",\"kid2\":\"b\"}") == JWT_OK,
	   "control: distinct names beside each other are fine");
}

static void test_rfc_vectors(void)
{
	/* RFC 7515 Appendix A.1 (HS256), and RFC 7520 §4.4 (HS256 with kid). */
	static const char a1[] =
		"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
		".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
		".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	static const char a1_key[] =
		"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
	static const char r4_4[] =
		"eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9"
		".SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAg"
		"b250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dp"
		"bmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4"
		".s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";
	static const char r4_4_key[] = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg";
	const char *vectors[][2] = { { a1, a1_key }, { r4_4, r4_4_key } };
	const char *names[] = { "RFC 7515 A.1", "RFC 7520 4.4" };

	for (int i = 0; i < 2; i++) {
		struct jwt_keyset ks = { 0 };
		struct jwt_token t = { 0 };
		struct jwt_err err = { 0 };
		unsigned char key[64];
		size_t keylen;
		char tampered[1024];
		jwt_alg_set all = JWT_ALG_BIT(JWT_ALG_HS256);

		jwt_b64url_decode(vectors[i][1], strlen(vectors[i][1]), key, &keylen);
		jwt_keyset_add_secret(&ks, key, keylen, &err);
		ok(jwt_token_decode(&t, vectors[i][0], strlen(vectors[i][0]), &err) == JWT_OK &&
		   jwt_token_parse_header(&t, &err) == JWT_OK &&
		   jwt_verify_signature(&t, &ks, all, NULL, &err) == JWT_OK, "%s verifies", names[i]);
		jwt_token_free(&t);
		snprintf(tampered, sizeof(tampered), "%s", vectors[i][0]);
		tampered[strlen(tampered) - 2] ^= 1;	/* 'X'<->'Y', 'p'<->'q' */
		ok(jwt_token_decode(&t, tampered, strlen(tampered), &err) == JWT_OK &&
		   jwt_token_parse_header(&t, &err) == JWT_OK &&
		   jwt_verify_signature(&t, &ks, all, NULL, &err) == JWT_E_SIGNATURE,
		   "%s with one signature bit flipped is refused", names[i]);
		jwt_token_free(&t);
		jwt_keyset_free(&ks);
	}
}

static void test_signature(void)
{
	const char *payload = "{\"sub\":\"root\",\"exp\":1700000100}";
	const char *hs384[] = { "algorithms=HS384" };
	const char *only256[] = { "algorithms=HS256" };
	char *tok = mint256(payload), *other, buf[1024], *sig;
	unsigned char raw[64];
	char shorter[64];
	size_t n, raw_len;

	other = mint(JWT_ALG_HS256, HS256, payload, key64, 32);
	ok(check(other, NULL, 0) == JWT_E_SIGNATURE, "a token signed with another key is refused");
	free(other);
	/* Cut the signature to 31, then to 1 byte: libgcrypt's MAC check alone would pass a prefix. */
	sig = strrchr(tok, '.') + 1;
	n = (size_t)(sig - tok);
	jwt_b64url_decode(sig, strlen(sig), raw, &raw_len);
	jwt_b64url_encode(raw, raw_len - 1, shorter);
	snprintf(buf, sizeof(buf), "%.*s%s", (int)n, tok, shorter);
	ok(check(buf, NULL, 0) == JWT_E_SIGNATURE, "a signature one byte short is refused");
	jwt_b64url_encode(raw, 1, shorter);
	snprintf(buf, sizeof(buf), "%.*s%s", (int)n, tok, shorter);
	ok(check(buf, NULL, 0) == JWT_E_SIGNATURE, "a 1-byte signature prefix is refused");
	snprintf(buf, sizeof(buf), "%sAAA", tok);
	ok(check(buf, NULL, 0) == JWT_E_SIGNATURE, "a signature with extra bytes is refused");
	ok(check(tok, only256, 1) == JWT_OK, "control: HS256 allowed by algorithms=HS256");
	ok(check(tok, hs384, 1) == JWT_E_ALG, "HS256 refused by algorithms=HS384");
	free(tok);

	/* RFC 7518 §3.2: the key must be at least as long as the hash. */
	write_file(key_path, key64, 40, 0600);
	tok = mint(JWT_ALG_HS256, HS256, payload, key64, 40);
	ok(check(tok, NULL, 0) == JWT_OK, "control: a 40-byte key serves HS256");
	free(tok);
	tok = mint(JWT_ALG_HS384, "{\"alg\":\"HS384\"}", payload, key64, 40);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a 40-byte key is refused for HS384");
	free(tok);
	write_file(key_path, key64, 31, 0600);
	tok = mint(JWT_ALG_HS256, HS256, payload, key64, 31);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a 31-byte key is refused for HS256");
	free(tok);
	write_file(key_path, key64, 64, 0600);
	tok = mint(JWT_ALG_HS512, "{\"alg\":\"HS512\"}", payload, key64, 64);
	ok(check(tok, NULL, 0) == JWT_OK, "HS512 with a 64-byte key verifies");
	free(tok);
	tok = mint(JWT_ALG_HS384, "{\"alg\":\"HS384\"}", payload, key64, 64);
	ok(check(tok, NULL, 0) == JWT_OK, "HS384 with a 64-byte key verifies");
	free(tok);
	write_file(key_path, "", 0, 0600);
	tok = mint256(payload);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "an empty key file is refused");
	write_file(key_path, "\n", 1, 0600);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a key file holding only a newline is refused");
	write_file(key_path, "0123456789abcdef0123456789abcdef\n", 33, 0600);
	ok(check(tok, NULL, 0) == JWT_OK, "one trailing \\n of the key file is dropped");
	write_file(key_path, "0123456789abcdef0123456789abcdef\r\n", 34, 0600);
	ok(check(tok, NULL, 0) == JWT_OK, "one trailing \\r\\n of the key file is dropped");
	write_file(key_path, "0123456789abcdef0123456789abcdef\n\n", 34, 0600);
	ok(check(tok, NULL, 0) == JWT_E_SIGNATURE, "only one trailing newline is dropped");
	write_file(key_path, key32, 32, 0600);
	free(tok);
}

static void test_key_file(void)
{
	char *tok = mint256("{\"sub\":\"root\",\"exp\":1700000100}");
	char link[300];

	write_file(key_path, key32, 32, 0640);
	ok(check(tok, NULL, 0) == JWT_OK, "control: a key file of mode 0640 is used");
	chmod(key_path, 0644);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a key file readable by others is refused");
	chmod(key_path, 0620);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a key file writable by group is refused");
	chmod(key_path, 0602);
	ok(check(tok, NULL, 0) == JWT_E_KEY, "a key file writable by others is refused");
	chmod(key_path, 0600);
	snprintf(link, sizeof(link), "%s/link", dir);
	symlink(key_path, link);
	{
		const char *arg[] = { NULL };
		char a[320];
		struct jwt_config cfg;
		struct jwt_err err = { 0 };
		char *user = NULL;

		snprintf(a, sizeof(a), "secret_file=%s", link);
		arg[0] = a;
		jwt_config_parse(&cfg, 1, arg, &err);
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, "root", NULL, NULL, &user, &err) == JWT_E_KEY,
		   "a key file that is a symlink is refused");
		free(user);
		snprintf(a, sizeof(a), "secret_file=%s", dir);
		jwt_config_parse(&cfg, 1, arg, &err);
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, "root", NULL, NULL, &user, &err) == JWT_E_KEY &&
		   strstr(err.reason, "not a regular file") != NULL,
		   "a key path that is a directory is refused: %s", err.reason);
		snprintf(a, sizeof(a), "secret_file=%s/missing", dir);
		jwt_config_parse(&cfg, 1, arg, &err);
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, "root", NULL, NULL, &user, &err) == JWT_E_KEY,
		   "a missing key file is refused");
	}
	{
		static unsigned char big[JWT_SECRET_FILE_MAX + 1];
		struct jwt_err err = { 0 };
		char *t;

		memset(big, 'k', sizeof(big));
		write_file(key_path, big, JWT_SECRET_FILE_MAX, 0600);
		t = mint(JWT_ALG_HS256, HS256, "{\"sub\":\"root\",\"exp\":1700000100}", big,
			 JWT_SECRET_FILE_MAX);
		ok(check(t, NULL, 0) == JWT_OK, "control: a key file of %d bytes (the limit) is used",
		   JWT_SECRET_FILE_MAX);
		write_file(key_path, big, JWT_SECRET_FILE_MAX + 1, 0600);
		ok(check_at(t, NOW, NULL, 0, &err) == JWT_E_KEY && strstr(err.reason, "larger than"),
		   "a key file of %d bytes is refused: %s", JWT_SECRET_FILE_MAX + 1, err.reason);
		free(t);
		write_file(key_path, key32, 32, 0600);
	}
	if (geteuid() == 0) {
		ok(chown(key_path, 65534, 65534) == 0 && check(tok, NULL, 0) == JWT_E_KEY,
		   "a key file owned by another user is refused");
		chown(key_path, 0, 0);
	} else {
		printf("ok %d # SKIP a key file owned by another user (needs root)\n", ++tap_count);
	}
	free(tok);
}

static void test_times(void)
{
	/* NOW = 1700000000; default leeway 30 s. */
	ok(check_payload_at("{\"sub\":\"root\"}", NOW) == JWT_E_CLAIMS, "a token without exp is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":\"1700000100\"}", NOW) == JWT_E_CLAIMS,
	   "exp as a string is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":true}", NOW) == JWT_E_CLAIMS, "exp as a boolean is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":null}", NOW) == JWT_E_CLAIMS, "exp null is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":99999999999999999999}", NOW) == JWT_E_CLAIMS,
	   "exp beyond int64 is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":9223372036854775807}", NOW) == JWT_E_CLAIMS,
	   "exp of INT64_MAX (json-c's clamp value) is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1e300}", NOW) == JWT_E_CLAIMS,
	   "exp 1e300 (a double beyond int64) is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1e400}", NOW) != JWT_OK, "exp 1e400 is refused");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700000100.5}", NOW) == JWT_OK,
	   "a fractional exp is a NumericDate");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1.7000001e9}", NOW) == JWT_OK,
	   "an exponent-form exp is a NumericDate");
	/* exp: refused once now >= exp + leeway. */
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700000000}", NOW + 29) == JWT_OK,
	   "exp: accepted 29 s after expiry (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700000000}", NOW + 30) == JWT_E_CLAIMS,
	   "exp: refused 30 s after expiry (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700000000.5}", NOW + 30) == JWT_OK,
	   "exp: a fraction of a second counts");
	/* nbf: refused while now < nbf - leeway. */
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"nbf\":1700000030}", NOW) == JWT_OK,
	   "nbf: accepted 30 s early (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"nbf\":1700000031}", NOW) == JWT_E_CLAIMS,
	   "nbf: refused 31 s early (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"nbf\":\"0\"}", NOW) == JWT_E_CLAIMS,
	   "nbf as a string is refused");
	/* iat: refused when more than leeway in the future. */
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"iat\":1700000030}", NOW) == JWT_OK,
	   "iat: accepted 30 s in the future (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"iat\":1700000031}", NOW) == JWT_E_CLAIMS,
	   "iat: refused 31 s in the future (leeway 30)");
	ok(check_payload_at("{\"sub\":\"root\",\"exp\":1700003600,\"iat\":[1]}", NOW) == JWT_E_CLAIMS,
	   "iat as an array is refused");
}

static void test_leeway_and_lifetime(void)
{
	const char *l0[] = { "leeway=0" }, *l100[] = { "leeway=100" };
	const char *ml[] = { "max_lifetime=300" };
	const char *p = "{\"sub\":\"root\",\"exp\":1700000000}";

	ok(check_payload(p, l0, 0 + 1) == JWT_E_CLAIMS, "leeway=0: refused at exp");
	ok(check_payload(p, l100, 1) == JWT_OK, "leeway=100: accepted at exp");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000001}", l0, 1) == JWT_OK,
	   "leeway=0: accepted 1 s before exp");
	ok(check_payload("{\"sub\":\"root\",\"iat\":1699999900,\"exp\":1700000200}", ml, 1) == JWT_OK,
	   "max_lifetime=300: a 300 s token is accepted");
	ok(check_payload("{\"sub\":\"root\",\"iat\":1699999900,\"exp\":1700000201}", ml, 1) == JWT_E_CLAIMS,
	   "max_lifetime=300: a 301 s token is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000200}", ml, 1) == JWT_E_CLAIMS,
	   "max_lifetime=300: a token without iat is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700086400}", NULL, 0) == JWT_OK,
	   "control: without max_lifetime a token living a day passes");
}

/* max_expiry=: how far ahead exp may lie, a day by default; exp in milliseconds refused. */
static enum jwt_status parse_args(int argc, const char **argv);

static void test_max_expiry(void)
{
	const char *hour[] = { "max_expiry=3600" }, *week[] = { "max_lifetime=604800" };
	const char *both[] = { "max_lifetime=604800", "max_expiry=3600" };
	struct jwt_err err = { 0 };
	char *tok = mint256("{\"sub\":\"root\",\"exp\":1700000000000}");

	ok(check_payload("{\"sub\":\"root\",\"exp\":1700086430}", NULL, 0) == JWT_OK,
	   "default max_expiry: exp a day and the leeway ahead is accepted");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700086431}", NULL, 0) == JWT_E_CLAIMS,
	   "default max_expiry: exp a day and the leeway and 1 s ahead is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1800000000}", NULL, 0) == JWT_E_CLAIMS,
	   "default max_expiry: a token living three years is refused");
	ok(check_at(tok, NOW, NULL, 0, &err) == JWT_E_CLAIMS &&
	   strstr(err.reason, "exp is 1700000000000: milliseconds?") != NULL,
	   "exp in milliseconds is refused, and the reason says so: %s", err.reason);
	free(tok);
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700003630}", hour, 1) == JWT_OK,
	   "max_expiry=3600: exp an hour and the leeway ahead is accepted");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700003631}", hour, 1) == JWT_E_CLAIMS,
	   "max_expiry=3600: 1 s more is refused");
	ok(check_payload("{\"sub\":\"root\",\"iat\":1700000000,\"exp\":1700604800}", week, 1) == JWT_OK,
	   "max_lifetime= longer than a day raises the default max_expiry to it");
	ok(check_payload("{\"sub\":\"root\",\"iat\":1700000000,\"exp\":1700604800}", both, 2) == JWT_E_CLAIMS,
	   "max_expiry= given beside max_lifetime= applies too");
	ok(parse_args(2, (const char *[]){ "secret_file=/k", "max_expiry=0" }) == JWT_E_CONFIG,
	   "max_expiry=0 is an error");
	ok(parse_args(2, (const char *[]){ "secret_file=/k", "max_expiry=31622401" }) == JWT_E_CONFIG,
	   "max_expiry= over 366 days is an error");
	ok(parse_args(3, (const char *[]){ "secret_file=/k", "max_expiry=60", "max_expiry=60" }) == JWT_E_CONFIG,
	   "a repeated max_expiry= is an error");
}

static void test_issuer_audience(void)
{
	const char *iss[] = { "issuer=https://idp.example" };
	const char *aud[] = { "audience=ssh" };

	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://idp.example\"}", iss, 1) == JWT_OK,
	   "issuer: exact match accepted");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://idp.example/\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: a different issuer is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://IDP.example\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: comparison is case-sensitive");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://idp\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: an iss that is a prefix of issuer= is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"h\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: a one-character prefix of issuer= is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: an empty iss is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://idp.examplf\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: an iss differing only in its last character is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":\"https://idp.example.evil\"}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: an iss that extends issuer= is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: a token without iss is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"iss\":[\"https://idp.example\"]}", iss, 1) == JWT_E_CLAIMS,
	   "issuer: a non-string iss is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":\"ssh\"}", aud, 1) == JWT_OK,
	   "audience: a string aud accepted");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":[\"web\",\"ssh\"]}", aud, 1) == JWT_OK,
	   "audience: an array containing it accepted");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":[\"web\",\"sshd\"]}", aud, 1) == JWT_E_CLAIMS,
	   "audience: an array without it is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":\"web\"}", aud, 1) == JWT_E_CLAIMS,
	   "audience: another audience is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100}", aud, 1) == JWT_E_CLAIMS,
	   "audience: a token without aud is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":[\"ssh\",7]}", aud, 1) == JWT_E_CLAIMS,
	   "audience: an array with a non-string is refused");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":\"ssh\"}", NULL, 0) == JWT_E_CLAIMS,
	   "audience: a token with aud is refused when no audience= is configured");
	{
		struct jwt_err err = { 0 };
		char *tok = mint256("{\"sub\":\"root\",\"exp\":1700000100,\"aud\":\"ssh\"}");

		ok(check_at(tok, NOW, NULL, 0, &err) == JWT_E_CLAIMS &&
		   strstr(err.reason, "no audience= is configured") != NULL,
		   "audience: the reason says that no audience= is configured: %s", err.reason);
		free(tok);
	}
}

/* jwt_verify without a PAM user (the name check alone decides), at NOW; the reason in err. */
static enum jwt_status verify_no_user(const char *payload, struct jwt_err *err)
{
	struct jwt_config cfg;
	char *tok = mint256(payload), *user = NULL;
	enum jwt_status rc;

	config(&cfg, NULL, 0);
	rc = jwt_verify(&cfg, tok, strlen(tok), NOW, NULL, NULL, NULL, &user, err);
	free(user);
	free(tok);
	return rc;
}

static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * Control characters in the user claim, without a PAM user: a mismatch with
 * PAM_USER cannot hide them, and a name that got through would reach the log.
 */
static void test_user_names(void)
{
	static const struct {
		const char *json, *what;
	} bad[] = {
		{ "ro\\u001bot", "ESC (0x1b)" },
		{ "ro\\u0001ot", "0x01" },
		{ "ro\\u001fot", "0x1f" },
		{ "ro\\u007fot", "DEL (0x7f)" },
		{ "\\u001b[31mroot", "a terminal escape sequence" },
		{ "", "nothing (empty)" },
		{ "../root", "'/'" },
		{ "root:x", "':'" },
	};
	char long_name[JWT_USER_MAX + 2], big[JWT_USER_MAX + 64];
	struct jwt_err err = { 0 };
	char payload[128];

	ok(verify_no_user("{\"sub\":\"root\",\"exp\":1700000100}", &err) == JWT_OK,
	   "control: no PAM user, sub root is accepted");
	ok(verify_no_user("{\"sub\":\"ro ot\",\"exp\":1700000100}", &err) == JWT_E_USER_UNKNOWN &&
	   strstr(err.reason, "\"ro ot\"") != NULL,
	   "control: no PAM user, a space (0x20) passes the name check; no such account");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(payload, sizeof(payload), "{\"sub\":\"%s\",\"exp\":1700000100}", bad[i].json);
		memset(&err, 0, sizeof(err));
		ok(verify_no_user(payload, &err) == JWT_E_USER && !has_control(err.reason) &&
		   strstr(err.reason, "control characters") != NULL,
		   "no PAM user: a sub holding %s is refused by the name check, the reason free of it",
		   bad[i].what);
	}
	memset(long_name, 'a', JWT_USER_MAX);
	long_name[JWT_USER_MAX] = '\0';
	snprintf(big, sizeof(big), "{\"sub\":\"%s\",\"exp\":1700000100}", long_name);
	ok(verify_no_user(big, &err) == JWT_E_USER_UNKNOWN,
	   "control: no PAM user, a sub of %d characters passes the name check", JWT_USER_MAX);
	long_name[JWT_USER_MAX] = 'a';
	long_name[JWT_USER_MAX + 1] = '\0';
	snprintf(big, sizeof(big), "{\"sub\":\"%s\",\"exp\":1700000100}", long_name);
	ok(verify_no_user(big, &err) == JWT_E_USER,
	   "no PAM user: a sub of %d characters is refused by the name check", JWT_USER_MAX + 1);
}

static void test_user(void)
{
	const char *email[] = { "user_claim=email" };
	const char *map[] = { NULL };
	char map_arg[300], map_path[280];

	ok(check_payload("{\"exp\":1700000100}", NULL, 0) == JWT_E_USER, "a token without sub is refused");
	ok(check_payload("{\"sub\":7,\"exp\":1700000100}", NULL, 0) == JWT_E_USER, "a non-string sub is refused");
	ok(check_payload("{\"sub\":\"\",\"exp\":1700000100}", NULL, 0) == JWT_E_USER, "an empty sub is refused");
	ok(check_payload("{\"sub\":\"../root\",\"exp\":1700000100}", NULL, 0) == JWT_E_USER, "a sub with '/' is refused");
	ok(check_payload("{\"sub\":\"root:x\",\"exp\":1700000100}", NULL, 0) == JWT_E_USER, "a sub with ':' is refused");
	ok(check_payload("{\"sub\":\"ro\\not\",\"exp\":1700000100}", NULL, 0) == JWT_E_USER,
	   "a sub with a control character is refused");
	ok(check_payload("{\"sub\":\"root\\u0000x\",\"exp\":1700000100}", NULL, 0) == JWT_E_MALFORMED,
	   "a sub with a NUL is refused");
	ok(check_payload("{\"sub\":\"daemon\",\"exp\":1700000100}", NULL, 0) == JWT_E_USER,
	   "a token for another user than the PAM user is refused");
	ok(check_payload("{\"sub\":\"root\",\"email\":\"root\",\"exp\":1700000100}", email, 1) == JWT_OK,
	   "user_claim=email: the email claim names the user");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100}", email, 1) == JWT_E_USER,
	   "user_claim=email: a token without email is refused");
	{
		struct jwt_config cfg;
		struct jwt_err err = { 0 };
		char *tok = mint256("{\"sub\":\"no-such-user-pam-jwt\",\"exp\":1700000100}"), *user = NULL;

		config(&cfg, NULL, 0);
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, NULL, NULL, NULL, &user, &err) == JWT_E_USER_UNKNOWN,
		   "a user without a local account is unknown");
		free(tok);
		tok = mint256("{\"sub\":\"root\",\"exp\":1700000100}");
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, NULL, NULL, NULL, &user, &err) == JWT_OK &&
		   strcmp(user, "root") == 0, "without a PAM user the token's user is returned");
		free(user);
		free(tok);
	}
	test_user_names();
	snprintf(map_path, sizeof(map_path), "%s/users.map", dir);
	snprintf(map_arg, sizeof(map_arg), "user_map=%s", map_path);
	map[0] = map_arg;
	{
		static const char text[] = "# identity  local user\n\nadmin@example.com root\n"
					   "  eve@example.com\tdaemon  \n";

		write_file(map_path, text, sizeof(text) - 1, 0644);
	}
	ok(check_payload("{\"sub\":\"admin@example.com\",\"exp\":1700000100}", map, 1) == JWT_OK,
	   "user_map: a mapped identity logs in as its local user");
	ok(check_payload("{\"sub\":\"root\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an identity without an entry is refused");
	ok(check_payload("{\"sub\":\"admin\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an identity that is a prefix of an entry (admin) is refused");
	ok(check_payload("{\"sub\":\"a\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: a one-character prefix of an entry is refused");
	ok(check_payload("{\"sub\":\"admin@example.co\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an entry less its last character is refused");
	ok(check_payload("{\"sub\":\"admin@example.com.evil\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an identity that extends an entry is refused");
	ok(check_payload("{\"sub\":\"admin@example.cox\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an identity differing in the entry's last character is refused");
	ok(check_payload("{\"sub\":\"eve@example.com\",\"exp\":1700000100}", map, 1) == JWT_E_USER,
	   "user_map: an identity mapped to another user than the PAM user is refused");
	chmod(map_path, 0664);
	ok(check_payload("{\"sub\":\"admin@example.com\",\"exp\":1700000100}", map, 1) == JWT_E_KEY,
	   "user_map: a group-writable map is refused");
	write_file(map_path, "bad@example.com ../root\n", 24, 0644);
	{
		struct jwt_err err = { 0 };
		char *tok = mint256("{\"sub\":\"bad@example.com\",\"exp\":1700000100}");

		ok(check_at(tok, NOW, map, 1, &err) == JWT_E_KEY &&
		   strstr(err.reason, "invalid user name") != NULL,
		   "user_map: an entry mapping to an unsafe name (../root) is refused: %s", err.reason);
		free(tok);
	}
	write_file(map_path, "admin@example.com root extra\n", 29, 0644);
	ok(check_payload("{\"sub\":\"admin@example.com\",\"exp\":1700000100}", map, 1) == JWT_E_KEY,
	   "user_map: a malformed line is refused");
	write_file(map_path, "admin@example.com root\neve@example.com dae", 41, 0644);
	ok(check_payload("{\"sub\":\"admin@example.com\",\"exp\":1700000100}", map, 1) == JWT_E_KEY,
	   "user_map: a map whose last line has no newline (half-written) is refused");
}

static enum jwt_status parse_args(int argc, const char **argv)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };

	return jwt_config_parse(&cfg, argc, argv, &err);
}

/*
 * Every number argument is read by one parser: decimal digits only, no sign,
 * no blank. leeway= (seconds) and redis_timeout_ms= (milliseconds) give the
 * same verdict on the same spelling, each refusal beside its control.
 */
static void test_config_numbers(void)
{
	static const char *const refused[] = { " 5", "+5", " +5", "-0", "\t5", "5 ", "0x5", "5s", "" };
	const char *redis[] = { "secret_file=/k", "replay=redis", "redis=127.0.0.1:6379", NULL };
	const char *seconds[] = { "secret_file=/k", NULL };
	char arg[64];
	struct jwt_config cfg;
	struct jwt_err err = { 0 };

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(arg, sizeof(arg), "redis_timeout_ms=%s", refused[i]);
		redis[3] = arg;
		ok(jwt_config_parse(&cfg, 4, redis, &err) == JWT_E_CONFIG &&
		   strstr(err.reason, "milliseconds") != NULL,
		   "redis_timeout_ms=\"%s\" is refused: %s", refused[i], err.reason);
		snprintf(arg, sizeof(arg), "leeway=%s", refused[i]);
		seconds[1] = arg;
		ok(jwt_config_parse(&cfg, 2, seconds, &err) == JWT_E_CONFIG &&
		   strstr(err.reason, "seconds") != NULL,
		   "leeway=\"%s\" is refused alike: %s", refused[i], err.reason);
	}
	redis[3] = "redis_timeout_ms=5";
	ok(jwt_config_parse(&cfg, 4, redis, &err) == JWT_OK && cfg.redis_timeout_ms == 5,
	   "control: redis_timeout_ms=5 is 5 ms");
	seconds[1] = "leeway=5";
	ok(jwt_config_parse(&cfg, 2, seconds, &err) == JWT_OK && cfg.leeway == 5,
	   "control: leeway=5 is 5 s");
	redis[3] = "redis_timeout_ms=60001";
	ok(jwt_config_parse(&cfg, 4, redis, &err) == JWT_E_CONFIG, "redis_timeout_ms=60001 is refused");
	redis[3] = "redis_timeout_ms=60000";
	ok(jwt_config_parse(&cfg, 4, redis, &err) == JWT_OK, "control: redis_timeout_ms=60000 is accepted");
}

static void test_config(void)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	const char *base = "secret_file=/k";

#define ARGS(...) (const char *[]){ base, __VA_ARGS__ }
#define N(...) ((int)(sizeof((const char *[]){ base, __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(...) parse_args(N(__VA_ARGS__), ARGS(__VA_ARGS__))
	ok(jwt_config_parse(&cfg, 1, &base, &err) == JWT_OK && cfg.leeway == 30 &&
	   cfg.algorithms == 0 && strcmp(cfg.user_claim, "sub") == 0 && cfg.max_lifetime == 0 &&
	   !cfg.debug, "defaults: leeway 30, algorithms the keys fit, user_claim sub");
	ok(PARSE("debug", "use_first_pass", "try_first_pass", "issuer=a", "audience=b",
		 "leeway=0", "max_lifetime=60", "user_claim=email", "user_map=/m", "max_expiry=60",
		 "algorithms=HS512,HS256") == JWT_OK, "every documented argument is accepted");
	ok(PARSE("isuer=x") == JWT_E_CONFIG, "a misspelt argument is a configuration error");
	ok(PARSE("debug=1") == JWT_E_CONFIG, "debug takes no value");
	ok(PARSE("issuer") == JWT_E_CONFIG, "issuer without a value is an error");
	ok(PARSE("issuer=") == JWT_E_CONFIG, "an empty issuer is an error");
	ok(PARSE("issuer=a", "issuer=b") == JWT_E_CONFIG, "a repeated argument is an error");
	ok(PARSE("leeway=-1") == JWT_E_CONFIG, "a negative leeway is an error");
	ok(PARSE("leeway=30s") == JWT_E_CONFIG, "a leeway with a suffix is an error");
	ok(PARSE("leeway=") == JWT_E_CONFIG, "an empty leeway is an error");
	ok(PARSE("leeway=99999999999999999999") == JWT_E_CONFIG, "an overflowing leeway is an error");
	ok(PARSE("leeway=86401") == JWT_E_CONFIG, "a leeway over a day is an error");
	ok(PARSE("max_lifetime=0") == JWT_E_CONFIG, "max_lifetime=0 is an error");
	ok(PARSE("leeway= -0") == JWT_E_CONFIG, "a leeway with a leading blank and sign is an error");
	ok(PARSE("leeway= 5") == JWT_E_CONFIG, "a leeway with a leading blank is an error");
	ok(PARSE("leeway=\t5") == JWT_E_CONFIG, "a leeway with a leading tab is an error");
	ok(PARSE("leeway=+5") == JWT_E_CONFIG, "a leeway with a plus sign is an error");
	ok(PARSE("leeway=-0") == JWT_E_CONFIG, "a leeway of minus zero is an error");
	ok(PARSE("max_lifetime= 60") == JWT_E_CONFIG, "a max_lifetime with a leading blank is an error");
	ok(PARSE("leeway=05") == JWT_OK, "control: a leeway of plain digits is accepted");
	ok(PARSE("algorithms=none") == JWT_E_CONFIG, "algorithms=none is an error");
	ok(PARSE("algorithms=HS256,NONE") == JWT_E_CONFIG, "algorithms with NONE is an error");
	ok(PARSE("algorithms=hs256") == JWT_E_CONFIG, "algorithm names are case-sensitive");
	ok(PARSE("algorithms=HS256,") == JWT_E_CONFIG, "an empty algorithm name is an error");
	ok(PARSE("secret_file=/other") == JWT_E_CONFIG, "a second secret_file is an error");
	ok(parse_args(1, (const char *[]){ "debug" }) == JWT_E_CONFIG, "no key configured is an error");
	ok(parse_args(0, NULL) == JWT_E_CONFIG, "no arguments at all is an error");
	test_config_numbers();
	ok(PARSE("debug", "debug") == JWT_E_CONFIG && PARSE("use_first_pass", "use_first_pass") ==
	   JWT_E_CONFIG, "a flag given twice is an error, debug and use_first_pass too");
	ok(PARSE("debug") == JWT_OK, "control: debug once is accepted");
	ok(jwt_config_parse(&cfg, N("algorithms=HS256,ES1"), ARGS("algorithms=HS256,ES1"), &err) ==
	   JWT_E_CONFIG && strstr(err.reason, "(known: HS256, HS384, HS512, RS256,") != NULL &&
	   strstr(err.reason, "ES512, EdDSA)") != NULL,
	   "an unknown algorithm: the reason lists the algorithm table's names");
	ok(jwt_config_parse(&cfg, 1, &base, &err) == JWT_OK && cfg.replay_dir == NULL &&
	   jwt_config_parse(&cfg, N("replay=local"), ARGS("replay=local"), &err) == JWT_OK &&
	   strcmp(cfg.replay_dir, JWT_DEFAULT_REPLAY_DIR) == 0,
	   "replay_dir= defaults to " JWT_DEFAULT_REPLAY_DIR " with replay=local only");
#undef ARGS
#undef N
#undef PARSE
}

/* jwt_file_check_parents(): every directory from / down, relative paths from the current one. */
static void test_parents(void)
{
	char sub[300], file[340], link[300], cwd[4096];
	struct jwt_err err = { 0 };

	snprintf(sub, sizeof(sub), "%s/parents", dir);
	snprintf(file, sizeof(file), "%s/parents/key", dir);
	snprintf(link, sizeof(link), "%s/parents-link", dir);
	if (mkdir(sub, 0755) != 0 || symlink(sub, link) != 0 || getcwd(cwd, sizeof(cwd)) == NULL)
		exit(99);
	ok(jwt_file_check_parents(file, &err) == JWT_OK, "control: a path through 0755 directories under /tmp passes");
	ok(jwt_file_check_parents("/etc/passwd", &err) == JWT_OK, "control: /etc/passwd passes");
	chmod(sub, 0777);
	ok(jwt_file_check_parents(file, &err) == JWT_E_KEY && strstr(err.reason, sub) != NULL,
	   "a 0777 directory is refused, and the reason names it");
	chmod(sub, 01777);
	ok(jwt_file_check_parents(file, &err) == JWT_OK, "a sticky 01777 directory passes");
	chmod(sub, 0775);
	if (chdir(sub) != 0)
		exit(99);
	ok(jwt_file_check_parents("key", &err) == JWT_E_KEY && strstr(err.reason, "parents") != NULL,
	   "a relative path is checked from the current directory");
	chmod(sub, 0755);
	ok(jwt_file_check_parents("key", &err) == JWT_OK, "control: the same relative path in a 0755 directory passes");
	if (chdir(cwd) != 0)
		exit(99);
	snprintf(file, sizeof(file), "%s/parents-link/key", dir);
	ok(jwt_file_check_parents(file, &err) == JWT_E_KEY && strstr(err.reason, "symbolic link") != NULL,
	   "a symlinked parent is refused");
	snprintf(file, sizeof(file), "%s//parents///key", dir);
	ok(jwt_file_check_parents(file, &err) == JWT_OK, "control: repeated slashes name the same directories");
	unlink(link);
	rmdir(sub);
}

int main(void)
{
	scratch_dir(dir);
	snprintf(key_path, sizeof(key_path), "%s/key", dir);
	write_file(key_path, key32, 32, 0600);

	test_b64url();
	test_structure();
	test_size_limit();
	test_header();
	test_rfc_vectors();
	test_signature();
	test_key_file();
	test_times();
	test_leeway_and_lifetime();
	test_issuer_audience();
	test_user();
	test_config();
	test_parents();
	test_max_expiry();
	return tap_done();
}
