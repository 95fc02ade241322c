#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_mem.h"
#include "jwt_token.h"

/*
 * Decodes one segment to out (JWT_B64URL_DECODED_MAX(len) + 1 bytes) and
 * NUL-terminates it. Only the payload may be empty.
 */
static enum jwt_status decode_segment(const char *seg, size_t len, const char *what,
				      unsigned char *out, size_t *outlen, struct jwt_err *err)
{
	/* RFC 7515 allows an empty payload; as a JWT it then fails for want of claims. */
	if (len == 0 && strcmp(what, "payload") != 0)
		return jwt_fail(err, JWT_E_MALFORMED, "the %s segment is empty", what);
	if (!jwt_b64url_decode(seg, len, out, outlen))
		return jwt_fail(err, JWT_E_MALFORMED, "the %s segment is not strict base64url", what);
	out[*outlen] = '\0';
	return JWT_OK;
}

/* The two dots of s, which must have exactly two. */
static bool split(const char *s, size_t len, const char **dot1, const char **dot2)
{
	*dot1 = memchr(s, '.', len);
	*dot2 = *dot1 ? memchr(*dot1 + 1, '.', len - (size_t)(*dot1 + 1 - s)) : NULL;
	return *dot2 != NULL && memchr(*dot2 + 1, '.', len - (size_t)(*dot2 + 1 - s)) == NULL;
}

enum jwt_status jwt_token_is_jws_shaped(const char *s, size_t len, bool *jws,
					struct jwt_err *err)
{
	const char *dot1, *dot2;
	size_t hlen, size, n;
	unsigned char *header;
	json_object *obj = NULL;
	struct jwt_err why = { 0 };
	enum jwt_status rc = JWT_OK;

	*jws = false;
	if (!split(s, len, &dot1, &dot2) || dot1 == s)
		return JWT_OK;
	hlen = (size_t)(dot1 - s);
	size = JWT_B64URL_DECODED_MAX(hlen) + 1;
	header = malloc(size);
	if (header == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (jwt_b64url_decode(s, hlen, header, &n)) {
		rc = jwt_json_parse_object((const char *)header, n, "header", &obj, &why);
		*jws = rc == JWT_OK;
		rc = rc == JWT_E_NOMEM ? jwt_fail(err, JWT_E_NOMEM, "%s", why.reason) : JWT_OK;
	}
	json_object_put(obj);
	jwt_wipe_free(header, size);
	return rc;
}

enum jwt_status jwt_token_decode(struct jwt_token *t, const char *s, size_t len,
				 struct jwt_err *err)
{
	const char *dot1, *dot2;
	size_t hlen, plen, slen;
	enum jwt_status rc;

	if (len > JWT_TOKEN_MAX)
		return jwt_fail(err, JWT_E_MALFORMED, "token is %zu bytes, longer than %d",
				len, JWT_TOKEN_MAX);
	if (!split(s, len, &dot1, &dot2))
		return jwt_fail(err, JWT_E_MALFORMED, "not a JWS compact token (needs exactly three "
				"dot-separated segments)");
	t->signing_input = s;
	t->signing_input_len = (size_t)(dot2 - s);
	hlen = (size_t)(dot1 - s);
	plen = (size_t)(dot2 - dot1 - 1);
	slen = len - (size_t)(dot2 + 1 - s);
	/* One buffer for the three segments: verification is on every login, keep it lean. */
	t->decoded_size = JWT_B64URL_DECODED_MAX(hlen) + JWT_B64URL_DECODED_MAX(plen) +
			  JWT_B64URL_DECODED_MAX(slen) + 3;
	t->decoded = malloc(t->decoded_size);
	if (t->decoded == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	t->header_json = (char *)t->decoded;
	t->payload_json = t->header_json + JWT_B64URL_DECODED_MAX(hlen) + 1;
	t->sig = (unsigned char *)t->payload_json + JWT_B64URL_DECODED_MAX(plen) + 1;
	rc = decode_segment(s, hlen, "header", (unsigned char *)t->header_json, &t->header_len,
			    err);
	if (rc == JWT_OK)
		rc = decode_segment(dot1 + 1, plen, "payload", (unsigned char *)t->payload_json,
				    &t->payload_len, err);
	if (rc == JWT_OK)
		rc = decode_segment(dot2 + 1, slen, "signature", t->sig, &t->sig_len, err);
	return rc;
}

enum jwt_status jwt_token_parse_header(struct jwt_token *t, struct jwt_err *err)
{
	const char *alg;
	size_t alg_len;
	json_object *val;
	enum jwt_status rc;

	rc = jwt_json_parse_object(t->header_json, t->header_len, "header", &t->header, err);
	if (rc != JWT_OK)
		return rc;
	if (!json_object_object_get_ex(t->header, "alg", &val))
		return jwt_fail(err, JWT_E_MALFORMED, "header has no \"alg\"");
	alg = jwt_json_string(t->header, "alg", &alg_len);
	if (alg == NULL)
		return jwt_fail(err, JWT_E_MALFORMED, "header \"alg\" is not a string");
	if (alg_len == 4 && strncasecmp(alg, "none", 4) == 0)
		return jwt_fail(err, JWT_E_ALG, "unsigned token (alg \"none\") is never accepted");
	if (!jwt_alg_from_name(alg, alg_len, &t->alg))
		return jwt_fail(err, JWT_E_ALG, "header \"alg\" names an unknown algorithm");
	/* RFC 7515 §4.1.11: extensions we do not understand invalidate the token. */
	if (json_object_object_get_ex(t->header, "crit", NULL))
		return jwt_fail(err, JWT_E_MALFORMED, "header has \"crit\"; no extension is supported");
	if (json_object_object_get_ex(t->header, "kid", &val)) {
		t->kid = jwt_json_string(t->header, "kid", &t->kid_len);
		if (t->kid == NULL)
			return jwt_fail(err, JWT_E_MALFORMED, "header \"kid\" is not a string");
	}
	return JWT_OK;
}

enum jwt_status jwt_token_parse_claims(struct jwt_token *t, struct jwt_err *err)
{
	return jwt_json_parse_object(t->payload_json, t->payload_len, "payload", &t->claims, err);
}

void jwt_token_free(struct jwt_token *t)
{
	json_object_put(t->header);
	json_object_put(t->claims);
	jwt_wipe_free(t->decoded, t->decoded_size);
	memset(t, 0, sizeof(*t));
}
