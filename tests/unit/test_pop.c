/*
 * Proof of possession in the core, with a fixed clock (jwt_pop.c):
 *  - RFC 7638 thumbprints: §3.1's example key, and keys jwcrypto made (EC
 *    P-256/384/521, OKP Ed25519, RSA) with the thumbprints jwcrypto gave;
 *  - the binding a cnf states: bearer, jkt, jwk, both agreeing or not, and
 *    the cnf forms refused;
 *  - DPoP proofs signed here with the jwcrypto P-256 key: the iat window's
 *    edges, and each claim and header rule beside the accepted control;
 *  - jwt_verify(): a bound token without a proof source, pop=required.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_pop.h"
#include "jwt_sig.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define NOW 1700000000LL

/* RFC 7638 §3.1. */
static const char rfc7638_key[] =
	"{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbf"
	"AAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9y"
	"BXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZ"
	"Hzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-"
	"G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\",\"e\":\"AQAB\",\"alg\":\"RS256\","
	"\"kid\":\"2011-04-29\"}";

/* Public keys jwcrypto generated, and jwcrypto's thumbprint of each. */
static const struct {
	const char *jwk, *thumb;
} jwcrypto[] = {
	{ "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"XnfMokwBrpLFWQV3O3dlGq4X8bEeAja6ydHXLGLMQg4\","
	  "\"y\":\"Ae_ip6TnWSU7KbzDzsr9LRAEJu8iXNEnMFGwGQ1_ebw\"}",
	  "zyynpQFrpkCXjBxhhjK_7vrth3HA92NuCbPntJfNtC4" },
	{ "{\"crv\":\"P-384\",\"kty\":\"EC\",\"x\":\"uGQWlOrB6EtQ7ko1FybxPe9tV1rgESJZzlGIQ-xdwGo4QiN4"
	  "rP9J_O-WfRBTj_cn\",\"y\":\"E0JO6BUKsFmnCnvX4eUvpaMJnj23GhBTniNBPrCzaIz8JmQM6OKFr4NaYe6B"
	  "huhR\"}",
	  "8Qu4hHBm82JRynzMS1i766vDTwvssXmjq-PJK5qMYLE" },
	{ "{\"crv\":\"P-521\",\"kty\":\"EC\",\"x\":\"AbSE6Q0XxJfy38LCXrkPRhlbLqh2hvTTTDY6GLcMCCFYXj0n"
	  "AeESOANUMffK8h9STBv7NzEV6lZpuyHzl3H0b_kI\",\"y\":\"AK7tdYT7ebpDVveDJThpLYHGNcKELzhSRfDl"
	  "wM5sknX54aZ21xrRZ0m-CUle1zQU8HOSVL0a6hx2I23Z4M8UZbU8\"}",
	  "VdObQThU3G3YagQKEjfl3fAZtnlTxq3ImbvwPNPqs5Y" },
	{ "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"xNJiVp55kjt5kdgezaM6D1H1LLm05mvXri47qy0mcz8\"}",
	  "pAagUEFPsSkfrdkh2XEehe7D21GoAbhj0fj1GBKM2Eo" },
	{ "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"xelxdmpFShBOzsXwb6sho-kCEaRd3lHQ_q1IEfHTlbhd_iicp4jO"
	  "tSfzQ5fEu-2V9GUC-zNKWEKMwePd-197Z8pPn2cIkDqb9kR5Dly2iOUMfjPZozFBAeNG0ZZy7DxLcx__-LeIyE5O"
	  "O8R6BxtCO6l3wBZ7LUN-l3arOf_g5PScy6PA70AnigZUj5UyIUgc7u15jV5ma043RzkUZ8TCz3ehXvqcFEOHgcvq"
	  "Yo-FR08oyiMwkUUsQp5PoREDPF-jv-SdoUHBe_5gMjpoxsDK9mgdPu-o11XM0cS8UVsANmM0SuAZx7ra8WIjyhLG"
	  "IKl8bSQ3OKkeYWSTXWqNy0gJmw\"}",
	  "d0MTP0Bj25NwjxqJZGuBNNcTAbk1n6_N7BlzD4e4zVQ" },
};

#define EC_X "XnfMokwBrpLFWQV3O3dlGq4X8bEeAja6ydHXLGLMQg4"
#define EC_Y "Ae_ip6TnWSU7KbzDzsr9LRAEJu8iXNEnMFGwGQ1_ebw"
#define EC_PUB "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" EC_X "\",\"y\":\"" EC_Y "\"}"
#define EC_PRIV "{\"crv\":\"P-256\",\"d\":\"e0zG6uiXlmTzugE017TxNI8m7bTcA9wQUHq4f7XIEZM\"," \
		"\"kty\":\"EC\",\"x\":\"" EC_X "\",\"y\":\"" EC_Y "\"}"
#define EC_JKT "zyynpQFrpkCXjBxhhjK_7vrth3HA92NuCbPntJfNtC4"
#define OTHER_JKT "d0MTP0Bj25NwjxqJZGuBNNcTAbk1n6_N7BlzD4e4zVQ"

static json_object *parse(const char *json)
{
	json_object *o = NULL;
	struct jwt_err err = { 0 };

	if (jwt_json_parse_object(json, strlen(json), "test", &o, &err) != JWT_OK) {
		printf("Bail out! %s: %s\n", json, err.reason);
		exit(99);
	}
	return o;
}

static enum jwt_status thumb(const char *json, char *out, struct jwt_err *err)
{
	json_object *o = parse(json);
	enum jwt_status rc = jwt_jwk_thumbprint(o, out, err);

	json_object_put(o);
	return rc;
}

static void test_thumbprints(void)
{
	char t[JWT_JWK_THUMBPRINT_LEN + 1];
	struct jwt_err err = { 0 };
	static const char *const names[] = { "EC P-256", "EC P-384", "EC P-521", "OKP Ed25519",
					     "RSA 2048" };

	ok(thumb(rfc7638_key, t, &err) == JWT_OK &&
	   strcmp(t, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs") == 0,
	   "RFC 7638 §3.1: the example key's thumbprint (alg and kid left out)");
	for (size_t i = 0; i < sizeof(jwcrypto) / sizeof(jwcrypto[0]); i++)
		ok(thumb(jwcrypto[i].jwk, t, &err) == JWT_OK && strcmp(t, jwcrypto[i].thumb) == 0,
		   "%s: the thumbprint jwcrypto gives", names[i]);
	ok(thumb("{\"y\":\"" EC_Y "\",\"use\":\"sig\",\"x\":\"" EC_X "\",\"kty\":\"EC\","
		 "\"kid\":\"k1\",\"crv\":\"P-256\"}", t, &err) == JWT_OK && strcmp(t, EC_JKT) == 0,
	   "members in another order, with kid and use: the same thumbprint");
	ok(thumb("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" EC_X "\"}", t, &err) == JWT_E_KEY &&
	   strstr(err.reason, "\"y\"") != NULL, "an EC key without y has none: %s", err.reason);
	ok(thumb("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", t, &err) == JWT_E_KEY,
	   "a secret (oct) has none: %s", err.reason);
	ok(thumb("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"a\\\"b\"}", t, &err) == JWT_E_KEY,
	   "a member JSON would escape is refused: %s", err.reason);
	ok(thumb("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":5}", t, &err) == JWT_E_KEY,
	   "a member that is not a string is refused");
}

static enum jwt_status binding(const char *claims, struct jwt_pop_binding *b, struct jwt_err *err)
{
	json_object *o = parse(claims);
	enum jwt_status rc = jwt_pop_binding(o, b, err);

	json_object_put(o);
	return rc;
}

static void test_binding(void)
{
	struct jwt_pop_binding b;
	struct jwt_err err = { 0 };

	ok(binding("{\"sub\":\"alice\"}", &b, &err) == JWT_OK && !b.bound,
	   "no cnf: a bearer token");
	ok(binding("{\"cnf\":{\"jkt\":\"" EC_JKT "\"}}", &b, &err) == JWT_OK && b.bound &&
	   strcmp(b.jkt, EC_JKT) == 0, "cnf.jkt: bound to that thumbprint");
	ok(binding("{\"cnf\":{\"jwk\":" EC_PUB "}}", &b, &err) == JWT_OK && b.bound &&
	   strcmp(b.jkt, EC_JKT) == 0, "cnf.jwk: bound to the key's thumbprint");
	ok(binding("{\"cnf\":{\"jwk\":" EC_PUB ",\"jkt\":\"" EC_JKT "\"}}", &b, &err) == JWT_OK &&
	   b.bound, "cnf.jwk and cnf.jkt of the same key: bound");
	ok(binding("{\"cnf\":{\"jwk\":" EC_PUB ",\"jkt\":\"" OTHER_JKT "\"}}", &b, &err) ==
	   JWT_E_CLAIMS && !b.bound, "cnf.jwk and cnf.jkt of different keys: refused: %s",
	   err.reason);
	ok(binding("{\"cnf\":{\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\"}}", &b,
		   &err) == JWT_E_PROOF && strstr(err.reason, "x5t#S256") != NULL,
	   "cnf with only x5t#S256: refused, naming it: %s", err.reason);
	ok(binding("{\"cnf\":{}}", &b, &err) == JWT_E_PROOF, "an empty cnf: refused: %s",
	   err.reason);
	ok(binding("{\"cnf\":\"" EC_JKT "\"}", &b, &err) == JWT_E_CLAIMS,
	   "a cnf that is not an object: refused: %s", err.reason);
	ok(binding("{\"cnf\":{\"jkt\":\"" EC_JKT "A\"}}", &b, &err) == JWT_E_CLAIMS,
	   "a cnf.jkt of 44 characters: refused: %s", err.reason);
	ok(binding("{\"cnf\":{\"jkt\":7}}", &b, &err) == JWT_E_CLAIMS,
	   "a cnf.jkt that is not a string: refused");
	ok(binding("{\"cnf\":{\"jwk\":" EC_PRIV "}}", &b, &err) == JWT_E_CLAIMS &&
	   strstr(err.reason, "\"d\"") != NULL, "a cnf.jwk holding d: refused: %s", err.reason);
	ok(binding("{\"cnf\":{\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" EC_X "\","
		   "\"y\":\"" EC_X "\"}}}", &b, &err) == JWT_E_CLAIMS,
	   "a cnf.jwk not on its curve: refused: %s", err.reason);
}

static const struct jwt_pop_challenge challenge = {
	.htu = "pam://host.example/sshd", .nonce = "n0nce-n0nce-n0nce-n0nc",
};
static const char token[] = "aaaa.bbbb.cccc";
/* base64url(SHA-256("aaaa.bbbb.cccc")), computed in main(). */
static char token_ath[44];
static struct jwt_key signer;

/* A proof: header members after typ/alg/jwk, claims as given (JSON members). */
static char *proof(const char *header, const char *claims)
{
	char h[1024], c[1024];

	(void)snprintf(h, sizeof(h), "{%s}", header);
	(void)snprintf(c, sizeof(c), "{%s}", claims);
	return mint_key(JWT_ALG_ES256, h, c, &signer);
}

#define HDR "\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" EC_PUB
#define CLAIMS_BUT(iat) "\"jti\":\"j1\",\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd\"," \
			"\"nonce\":\"n0nce-n0nce-n0nce-n0nc\",\"iat\":" iat

static enum jwt_status check(const char *header, const char *claims, struct jwt_err *err)
{
	char full[2048];
	char *p;
	enum jwt_status rc;

	(void)snprintf(full, sizeof(full), "%s%s\"ath\":\"%s\"", claims, *claims ? "," : "",
		       token_ath);
	p = proof(header, full);
	rc = jwt_pop_verify_proof(p, strlen(p), &challenge, token, strlen(token), EC_JKT, NOW, 30,
				  err);
	free(p);
	return rc;
}

static void test_proofs(void)
{
	struct jwt_err err = { 0 };
	char *p;

	ok(check(HDR, CLAIMS_BUT("1700000000"), &err) == JWT_OK, "control: a proof made now");
	ok(check(HDR, CLAIMS_BUT("1699999970"), &err) == JWT_OK, "iat leeway= (30 s) ago: accepted");
	ok(check(HDR, CLAIMS_BUT("1700000030"), &err) == JWT_OK, "iat 30 s ahead: accepted");
	ok(check(HDR, CLAIMS_BUT("1699999969"), &err) == JWT_E_PROOF &&
	   strstr(err.reason, "iat is 31 s before now") != NULL, "iat 31 s ago: %s", err.reason);
	ok(check(HDR, CLAIMS_BUT("1700000031"), &err) == JWT_E_PROOF &&
	   strstr(err.reason, "iat is 31 s after now") != NULL, "iat 31 s ahead: %s", err.reason);
	ok(check(HDR, CLAIMS_BUT("\"1700000000\""), &err) == JWT_E_PROOF,
	   "iat as a string: %s", err.reason);
	ok(check(HDR, "\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd\","
		 "\"nonce\":\"n0nce-n0nce-n0nce-n0nc\",\"iat\":1700000000", &err) == JWT_E_PROOF &&
	   strstr(err.reason, "jti") != NULL, "no jti: %s", err.reason);
	ok(check(HDR, "\"jti\":\"\",\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd\","
		 "\"nonce\":\"n0nce-n0nce-n0nce-n0nc\",\"iat\":1700000000", &err) == JWT_E_PROOF &&
	   strstr(err.reason, "jti") != NULL, "an empty jti: %s", err.reason);
	ok(check(HDR, "\"jti\":\"j\",\"htm\":\"pam\",\"htu\":\"pam://host.example/sshd\","
		 "\"nonce\":\"n0nce-n0nce-n0nce-n0nc\",\"iat\":1700000000", &err) == JWT_E_PROOF &&
	   strstr(err.reason, "htm") != NULL, "htm in lower case: %s", err.reason);
	ok(check(HDR, "\"jti\":\"j\",\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd/\","
		 "\"nonce\":\"n0nce-n0nce-n0nce-n0nc\",\"iat\":1700000000", &err) == JWT_E_PROOF &&
	   strstr(err.reason, "htu") != NULL, "htu with a trailing slash: %s", err.reason);
	ok(check(HDR, "\"jti\":\"j\",\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd\","
		 "\"nonce\":\"n0nce-n0nce-n0nce-n0nC\",\"iat\":1700000000", &err) == JWT_E_PROOF &&
	   strstr(err.reason, "nonce") != NULL, "another nonce: %s", err.reason);
	ok(check(HDR, "\"jti\":\"j\",\"htm\":\"PAM\",\"htu\":\"pam://host.example/sshd\","
		 "\"iat\":1700000000", &err) == JWT_E_PROOF && strstr(err.reason, "nonce") != NULL,
	   "no nonce: %s", err.reason);
	ok(check("\"typ\":\"DPoP+JWT\",\"alg\":\"ES256\",\"jwk\":" EC_PUB, CLAIMS_BUT("1700000000"),
		 &err) == JWT_E_PROOF && strstr(err.reason, "typ") != NULL,
	   "typ in another case: %s", err.reason);
	ok(check("\"alg\":\"ES256\",\"jwk\":" EC_PUB, CLAIMS_BUT("1700000000"), &err) == JWT_E_PROOF,
	   "no typ: %s", err.reason);
	ok(check("\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" EC_PRIV, CLAIMS_BUT("1700000000"),
		 &err) == JWT_E_PROOF && strstr(err.reason, "\"d\"") != NULL,
	   "a jwk with d: %s", err.reason);
	ok(check("\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" EC_PUB ",\"crit\":[\"x\"]",
		 CLAIMS_BUT("1700000000"), &err) == JWT_E_PROOF, "crit: %s", err.reason);
	/* The claims without ath: check() adds this token's. */
	p = proof(HDR, CLAIMS_BUT("1700000000") ",\"ath\":\"" EC_JKT "\"");
	ok(jwt_pop_verify_proof(p, strlen(p), &challenge, token, strlen(token), EC_JKT, NOW, 30,
				&err) == JWT_E_PROOF && strstr(err.reason, "ath") != NULL,
	   "ath of another token: %s", err.reason);
	free(p);
	p = proof(HDR, CLAIMS_BUT("1700000000"));
	ok(jwt_pop_verify_proof(p, strlen(p), &challenge, token, strlen(token), EC_JKT, NOW, 30,
				&err) == JWT_E_PROOF && strstr(err.reason, "ath") != NULL,
	   "no ath: %s", err.reason);
	ok(jwt_pop_verify_proof(p, strlen(p), &challenge, token, strlen(token), OTHER_JKT, NOW, 30,
				&err) == JWT_E_PROOF && strstr(err.reason, "another key") != NULL,
	   "a token bound to another key: %s", err.reason);
	/* One bit of the signature flipped. */
	p[strlen(p) - 2] = p[strlen(p) - 2] == 'A' ? 'B' : 'A';
	ok(jwt_pop_verify_proof(p, strlen(p), &challenge, token, strlen(token), EC_JKT, NOW, 30,
				&err) == JWT_E_PROOF, "a forged signature: %s", err.reason);
	free(p);
	ok(jwt_pop_verify_proof(token, strlen(token), &challenge, token, strlen(token), EC_JKT, NOW,
				30, &err) == JWT_E_PROOF &&
	   strstr(err.reason, "keyboard-interactive") != NULL, "the token itself: %s", err.reason);
	ok(jwt_pop_verify_proof("x", 1, &challenge, token, strlen(token), EC_JKT, NOW, 30, &err) ==
	   JWT_E_PROOF, "not a JWS: %s", err.reason);
}

static void test_verify(void)
{
	const unsigned char key[] = "0123456789abcdef0123456789abcdef";
	const char *argv[] = { "secret_file=/nonexistent", "pop=required" };
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	char dir[] = "/tmp/pjt-pop.XXXXXX", path[64], arg[80];
	char *tok, *user = NULL;

	scratch_dir(dir);
	(void)snprintf(path, sizeof(path), "%s/key", dir);
	write_file(path, key, 32, 0600);
	(void)snprintf(arg, sizeof(arg), "secret_file=%s", path);
	argv[0] = arg;
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}",
		   "{\"sub\":\"daemon\",\"exp\":1700000060,\"cnf\":{\"jkt\":\"" EC_JKT "\"}}", key, 32);
	ok(jwt_config_parse(&cfg, 1, argv, &err) == JWT_OK &&
	   jwt_verify(&cfg, tok, strlen(tok), NOW, "daemon", NULL, NULL, &user, &err) ==
	   JWT_E_PROOF && user == NULL && strstr(err.reason, "needs a DPoP proof") != NULL,
	   "a bound token without a proof source: refused: %s", err.reason);
	free(tok);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", "{\"sub\":\"daemon\",\"exp\":1700000060}",
		   key, 32);
	ok(jwt_verify(&cfg, tok, strlen(tok), NOW, "daemon", NULL, NULL, &user, &err) == JWT_OK,
	   "control: a bearer token without pop=");
	free(user);
	user = NULL;
	ok(jwt_config_parse(&cfg, 2, argv, &err) == JWT_OK &&
	   jwt_verify(&cfg, tok, strlen(tok), NOW, "daemon", NULL, NULL, &user, &err) ==
	   JWT_E_PROOF && strstr(err.reason, "pop=required") != NULL,
	   "pop=required: the bearer token is refused: %s", err.reason);
	argv[1] = "pop=optional";
	ok(jwt_config_parse(&cfg, 2, argv, &err) == JWT_E_CONFIG, "pop=optional is a configuration "
	   "error: %s", err.reason);
	free(tok);
	(void)remove(path);
	(void)remove(dir);
}

int main(void)
{
	struct jwt_err err = { 0 };
	unsigned char digest[32];
	json_object *priv;

	if (jwt_crypto_init(&err) != JWT_OK) {
		printf("Bail out! %s\n", err.reason);
		return 99;
	}
	gcry_md_hash_buffer(GCRY_MD_SHA256, digest, token, strlen(token));
	jwt_b64url_encode(digest, sizeof(digest), token_ath);
	priv = parse(EC_PRIV);
	if (jwt_key_from_private_jwk(priv, &signer, &err) != JWT_OK) {
		printf("Bail out! %s\n", err.reason);
		return 99;
	}
	json_object_put(priv);
	test_thumbprints();
	test_binding();
	test_proofs();
	test_verify();
	jwt_key_clear(&signer);
	return tap_done();
}
