#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <gcrypt.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_mem.h"
#include "jwt_pop.h"
#include "jwt_sig.h"
#include "jwt_token.h"

/* Printable ASCII without a space; a service must hold no '/' either. */
static bool htu_part_ok(const char *s, size_t max, bool service)
{
	size_t len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e || (service && s[i] == '/'))
			return false;
	return true;
}

enum jwt_status jwt_pop_challenge_new(const struct jwt_config *cfg, struct jwt_pop_challenge *ch,
				      struct jwt_err *err)
{
	char hostbuf[JWT_HOST_NAME_MAX + 1];
	const char *host = cfg->host;
	unsigned char raw[JWT_POP_NONCE_BYTES];
	enum jwt_status rc;

	memset(ch, 0, sizeof(*ch));
	rc = jwt_host_name(&host, hostbuf, err);
	if (rc != JWT_OK)
		return rc;
	if (!htu_part_ok(host, JWT_HOST_NAME_MAX, false))
		return jwt_fail(err, JWT_E_CONFIG, "the host name does not fit a DPoP htu");
	if (cfg->service == NULL || !htu_part_ok(cfg->service, JWT_POP_SERVICE_MAX, true))
		return jwt_fail(err, JWT_E_CONFIG, "the PAM service is unknown or does not fit a "
				"DPoP htu");
	(void)snprintf(ch->htu, sizeof(ch->htu), "pam://%s/%s", host, cfg->service);
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return jwt_fail(err, JWT_E_SYSTEM, "no random bytes for the DPoP nonce: %s",
				strerror(errno));
	jwt_b64url_encode(raw, sizeof(raw), ch->nonce);
	explicit_bzero(raw, sizeof(raw));
	return JWT_OK;
}

void jwt_pop_challenge_clear(struct jwt_pop_challenge *ch)
{
	explicit_bzero(ch, sizeof(*ch));
}

/* cnf.jkt: a base64url SHA-256, 43 characters decoding to 32 bytes. */
static enum jwt_status read_jkt(json_object *cnf, char *jkt, struct jwt_err *err)
{
	unsigned char digest[JWT_B64URL_DECODED_MAX(JWT_JWK_THUMBPRINT_LEN)];
	size_t len = 0, n = 0;
	const char *s = jwt_json_string(cnf, "jkt", &len);

	if (s == NULL || len != JWT_JWK_THUMBPRINT_LEN || !jwt_b64url_decode(s, len, digest, &n) ||
	    n != 32)
		return jwt_fail(err, JWT_E_CLAIMS, "cnf.jkt is not an RFC 7638 SHA-256 thumbprint "
				"(43 base64url characters)");
	memcpy(jkt, s, len);
	jkt[len] = '\0';
	return JWT_OK;
}

/* cnf.jwk: a public key pam_jwt can verify with; jkt gets its thumbprint. */
static enum jwt_status read_jwk(json_object *jwk, char *jkt, struct jwt_err *err)
{
	struct jwt_key key = { 0 };
	struct jwt_err why = { 0 };
	const char *secret;
	bool usable = false, is_secret = false;
	enum jwt_status rc;

	if (!json_object_is_type(jwk, json_type_object))
		return jwt_fail(err, JWT_E_CLAIMS, "cnf.jwk is not a JSON object");
	secret = jwt_jwk_secret_member(jwk);
	if (secret != NULL)
		return jwt_fail(err, JWT_E_CLAIMS, "cnf.jwk holds a secret (\"%s\"): a token is "
				"bound to a public key", secret);
	rc = jwt_jwk_parse(jwk, &key, &usable, &is_secret, &why);
	jwt_key_clear(&key);
	if (rc == JWT_E_NOMEM)
		return jwt_fail(err, rc, "out of memory");
	if (rc != JWT_OK)
		return jwt_fail(err, JWT_E_CLAIMS, "cnf.jwk: %s", why.reason);
	if (!usable)
		return jwt_fail(err, JWT_E_CLAIMS, "cnf.jwk is not a signing key pam_jwt knows");
	rc = jwt_jwk_thumbprint(jwk, jkt, &why);
	if (rc != JWT_OK)
		return jwt_fail(err, rc == JWT_E_NOMEM ? rc : JWT_E_CLAIMS, "cnf.jwk: %s",
				why.reason);
	return JWT_OK;
}

enum jwt_status jwt_pop_binding(json_object *claims, struct jwt_pop_binding *b,
				struct jwt_err *err)
{
	char from_jwk[JWT_JWK_THUMBPRINT_LEN + 1];
	json_object *cnf, *jwk;
	bool has_jkt, has_jwk;
	enum jwt_status rc = JWT_OK;

	memset(b, 0, sizeof(*b));
	if (!json_object_object_get_ex(claims, "cnf", &cnf))
		return JWT_OK;
	if (!json_object_is_type(cnf, json_type_object))
		return jwt_fail(err, JWT_E_CLAIMS, "cnf is not a JSON object");
	has_jkt = json_object_object_get_ex(cnf, "jkt", NULL);
	has_jwk = json_object_object_get_ex(cnf, "jwk", &jwk);
	if (!has_jkt && !has_jwk) {
		struct json_object_iterator it = json_object_iter_begin(cnf);
		struct json_object_iterator end = json_object_iter_end(cnf);

		if (json_object_iter_equal(&it, &end))
			return jwt_fail(err, JWT_E_PROOF, "cnf is empty: the token names no key");
		return jwt_fail(err, JWT_E_PROOF, "cnf holds only confirmation methods pam_jwt "
				"cannot check (%.40s): only \"jkt\" and \"jwk\" are",
				json_object_iter_peek_name(&it));
	}
	if (has_jkt)
		rc = read_jkt(cnf, b->jkt, err);
	if (rc == JWT_OK && has_jwk)
		rc = read_jwk(jwk, from_jwk, err);
	if (rc == JWT_OK && has_jkt && has_jwk &&
	    !jwt_mem_equal(b->jkt, from_jwk, JWT_JWK_THUMBPRINT_LEN))
		rc = jwt_fail(err, JWT_E_CLAIMS, "cnf.jkt and cnf.jwk name different keys");
	if (rc == JWT_OK && !has_jkt)
		memcpy(b->jkt, from_jwk, sizeof(b->jkt));
	b->bound = rc == JWT_OK;
	if (rc != JWT_OK)
		memset(b->jkt, 0, sizeof(b->jkt));
	return rc;
}

#define proof_fail(err, ...) jwt_fail((err), JWT_E_PROOF, "DPoP proof: " __VA_ARGS__)

/* The header: typ, and a public jwk with the bound thumbprint. */
static enum jwt_status check_header(const struct jwt_token *p, const char *jkt, json_object **jwk,
				    struct jwt_err *err)
{
	const char *typ, *secret;
	char thumb[JWT_JWK_THUMBPRINT_LEN + 1];
	struct jwt_err why = { 0 };
	size_t typ_len = 0;
	enum jwt_status rc;

	typ = jwt_json_string(p->header, "typ", &typ_len);
	if (typ == NULL || !jwt_str_equal(typ, typ_len, "dpop+jwt", 8))
		return proof_fail(err, "header typ is not \"dpop+jwt\"");
	if (!json_object_object_get_ex(p->header, "jwk", jwk) ||
	    !json_object_is_type(*jwk, json_type_object))
		return proof_fail(err, "header has no jwk object (the public key)");
	secret = jwt_jwk_secret_member(*jwk);
	if (secret != NULL)
		return proof_fail(err, "header jwk holds a private or secret member (\"%s\"); it "
				  "must be the public key only", secret);
	rc = jwt_jwk_thumbprint(*jwk, thumb, &why);
	if (rc != JWT_OK)
		return rc == JWT_E_NOMEM ? jwt_fail(err, rc, "out of memory")
					 : proof_fail(err, "header jwk: %s", why.reason);
	if (!jwt_mem_equal(thumb, jkt, JWT_JWK_THUMBPRINT_LEN))
		return proof_fail(err, "signed by another key (thumbprint %s; the token is bound "
				  "to %s)", thumb, jkt);
	return JWT_OK;
}

enum jwt_status jwt_pop_verify_signature(json_object *jwk, enum jwt_alg alg, const void *input,
					 size_t input_len, const unsigned char *sig,
					 size_t sig_len, struct jwt_err *err)
{
	const char *name = jwt_alg_info(alg)->name, *secret;
	struct jwt_key key = { 0 };
	struct jwt_err why = { 0 };
	bool usable = false, is_secret = false;
	enum jwt_status rc;

	if (jwt_alg_info(alg)->family == JWT_FAMILY_HMAC)
		return proof_fail(err, "alg %s is a shared secret's; a proof is signed with a "
				  "private key (ES256, ES384, ES512, EdDSA, RS*, PS*)", name);
	secret = jwt_jwk_secret_member(jwk);
	if (secret != NULL)
		return proof_fail(err, "header jwk holds a private or secret member (\"%s\"); it "
				  "must be the public key only", secret);
	rc = jwt_jwk_parse(jwk, &key, &usable, &is_secret, &why);
	if (rc != JWT_OK)
		rc = rc == JWT_E_NOMEM ? jwt_fail(err, rc, "out of memory")
				       : proof_fail(err, "header jwk: %s", why.reason);
	else if (!usable)
		rc = proof_fail(err, "header jwk is not a signing key pam_jwt knows");
	else if (!jwt_key_fits(&key, alg))
		rc = proof_fail(err, "header jwk does not fit alg %s", name);
	else if (jwt_sig_verify(alg, &key, input, input_len, sig, sig_len, &why) != JWT_OK)
		rc = proof_fail(err, "the signature does not verify with its jwk (%s)", why.reason);
	jwt_key_clear(&key);
	return rc;
}

/* Whether claim name is a string equal to want, compared in constant time. */
static bool claim_is(json_object *claims, const char *name, const char *want)
{
	size_t len = 0;
	const char *s = jwt_json_string(claims, name, &len);

	return s != NULL && jwt_str_equal(s, len, want, strlen(want));
}

static enum jwt_status check_claims(json_object *c, const struct jwt_pop_challenge *ch,
				    const char *token, size_t token_len, int64_t now,
				    long leeway, struct jwt_err *err)
{
	unsigned char digest[32];
	char ath[JWT_B64URL_ENCODED_LEN(32) + 1];
	size_t jti_len = 0;
	double iat = 0;
	bool has_iat = false;
	struct jwt_err why = { 0 };

	if (jwt_json_string(c, "jti", &jti_len) == NULL || jti_len == 0)
		return proof_fail(err, "jti is missing, empty or not a string");
	if (!claim_is(c, "htm", JWT_POP_HTM))
		return proof_fail(err, "htm is not \"%s\"", JWT_POP_HTM);
	if (!claim_is(c, "htu", ch->htu))
		return proof_fail(err, "htu is not %s (a proof for another host or service)",
				  ch->htu);
	if (jwt_json_numericdate(c, "iat", &has_iat, &iat, &why) != JWT_OK || !has_iat)
		return proof_fail(err, "iat is missing or not a number");
	if (fabs(iat - (double)now) > (double)leeway)
		return proof_fail(err, "iat is %.0f s %s now (leeway %ld s)", fabs(iat - (double)now),
				  iat < (double)now ? "before" : "after", leeway);
	if (!claim_is(c, "nonce", ch->nonce))
		return proof_fail(err, "nonce is not this login's (a proof made for another "
				  "challenge)");
	gcry_md_hash_buffer(GCRY_MD_SHA256, digest, token, token_len);
	jwt_b64url_encode(digest, sizeof(digest), ath);
	if (!claim_is(c, "ath", ath))
		return proof_fail(err, "ath is not the SHA-256 of this token (a proof for another "
				  "token)");
	return JWT_OK;
}

/*
 * Whether a proof that did not decode is unsigned: its header names alg
 * "none" (in any case), so that the reason says so rather than that its
 * signature segment is empty.
 */
static bool alg_none(const char *proof, size_t len)
{
	const char *dot = memchr(proof, '.', len), *alg;
	size_t hlen, n = 0, alg_len = 0;
	unsigned char *buf;
	json_object *h = NULL;
	struct jwt_err ignored = { 0 };
	bool none = false;

	if (dot == NULL)
		return false;
	hlen = (size_t)(dot - proof);
	buf = malloc(JWT_B64URL_DECODED_MAX(hlen) + 1);
	if (buf != NULL && jwt_b64url_decode(proof, hlen, buf, &n) &&
	    jwt_json_parse_object((const char *)buf, n, "header", &h, &ignored) == JWT_OK) {
		alg = jwt_json_string(h, "alg", &alg_len);
		none = alg != NULL && alg_len == 4 && strncasecmp(alg, "none", 4) == 0;
	}
	json_object_put(h);
	free(buf);
	return none;
}

enum jwt_status jwt_pop_verify_proof(const char *proof, size_t len,
				     const struct jwt_pop_challenge *ch, const char *token,
				     size_t token_len, const char *jkt, int64_t now, long leeway,
				     struct jwt_err *err)
{
	struct jwt_token p = { 0 };
	struct jwt_err why = { 0 };
	json_object *jwk = NULL;
	enum jwt_status rc;

	if (jwt_str_equal(proof, len, token, token_len))
		return proof_fail(err, "the answer is the token itself: ssh's password method "
				  "answers every prompt with the same text, so a bound token needs "
				  "keyboard-interactive (pam-jwt askpass answers the challenge)");
	rc = jwt_token_decode(&p, proof, len, &why);
	if (rc == JWT_E_MALFORMED && alg_none(proof, len))
		rc = jwt_fail(&why, JWT_E_ALG, "alg \"none\": a proof must be signed by its key");
	if (rc == JWT_OK)
		rc = jwt_token_parse_header(&p, &why);
	if (rc != JWT_OK) {
		rc = rc == JWT_E_NOMEM ? jwt_fail(err, rc, "out of memory")
				       : proof_fail(err, "%s", why.reason);
		goto out;
	}
	/* The alg first: an HS256 proof is refused as such, whatever its jwk. */
	if (jwt_alg_info(p.alg)->family == JWT_FAMILY_HMAC)
		rc = jwt_pop_verify_signature(NULL, p.alg, NULL, 0, NULL, 0, err);
	else
		rc = check_header(&p, jkt, &jwk, err);
	if (rc == JWT_OK)
		rc = jwt_pop_verify_signature(jwk, p.alg, p.signing_input, p.signing_input_len,
					      p.sig, p.sig_len, err);
	if (rc != JWT_OK)
		goto out;
	rc = jwt_token_parse_claims(&p, &why);
	if (rc != JWT_OK) {
		rc = rc == JWT_E_NOMEM ? jwt_fail(err, rc, "out of memory")
				       : proof_fail(err, "%s", why.reason);
		goto out;
	}
	rc = check_claims(p.claims, ch, token, token_len, now, leeway, err);
out:
	jwt_token_free(&p);
	return rc;
}

enum jwt_status jwt_pop_check(const struct jwt_config *cfg, json_object *claims,
			      const char *token, size_t len, int64_t now,
			      const struct jwt_pop_source *src, const struct jwt_trace *tr,
			      struct jwt_pop_binding *b, struct jwt_err *err)
{
	char *proof = NULL;
	size_t proof_len = 0;
	enum jwt_status rc = jwt_pop_binding(claims, b, err);

	if (rc == JWT_OK && !b->bound && cfg->pop == JWT_POP_REQUIRED)
		rc = jwt_fail(err, JWT_E_PROOF, "bearer token (no cnf) refused: pop=required "
			      "accepts only tokens bound to a key");
	if (rc != JWT_OK || !b->bound) {
		jwt_trace_step(tr, "pop", rc == JWT_OK, "%s",
			       rc == JWT_OK ? "bearer token (no cnf)" : err->reason);
		return rc;
	}
	if (src == NULL || src->ask == NULL || src->challenge == NULL)
		rc = jwt_fail(err, JWT_E_PROOF, "the token is bound to key %s (cnf) and needs a "
			      "DPoP proof of that key", b->jkt);
	else
		rc = src->ask(src->ctx, src->challenge, &proof, &proof_len, err);
	if (rc == JWT_OK && proof == NULL)
		rc = jwt_fail(err, JWT_E_PROOF, "no DPoP proof was given");
	if (rc == JWT_OK)
		rc = jwt_pop_verify_proof(proof, proof_len, src->challenge, token, len, b->jkt,
					  now, cfg->leeway, err);
	if (proof != NULL)
		jwt_wipe_free(proof, proof_len);
	jwt_trace_step(tr, "pop", rc == JWT_OK, "%s%s", rc == JWT_OK ? "proved by key " : "",
		       rc == JWT_OK ? b->jkt : err->reason);
	return rc;
}
