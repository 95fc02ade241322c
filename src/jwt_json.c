#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <json-c/printbuf.h>

#include "jwt_json.h"

/* JOSE objects are flat; a small depth limit keeps hostile nesting cheap. */
#define JWT_JSON_DEPTH 16

static bool only_whitespace(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
	return true;
}

/* The continuation bytes a UTF-8 lead byte needs, and the range of the first one (RFC 3629 §4). */
static bool utf8_lead(unsigned char c, size_t *need, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		*need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		*need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		*need = 3;
	else
		return false;	/* a continuation byte, an overlong C0/C1, or beyond U+10FFFF */
	if (c == 0xe0)
		*lo = 0xa0;	/* overlong */
	else if (c == 0xed)
		*hi = 0x9f;	/* UTF-16 surrogates */
	else if (c == 0xf0)
		*lo = 0x90;	/* overlong */
	else if (c == 0xf4)
		*hi = 0x8f;	/* beyond U+10FFFF */
	return true;
}

/* Length of the leading run of ASCII without NUL, eight bytes at a time: most tokens are all of it. */
static size_t ascii_run(const unsigned char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	/* A byte of 0x80 or more sets its high bit; a zero byte borrows and sets it too. */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w | (w - 0x0101010101010101u)) & 0x8080808080808080u)
			break;
	}
	return i;
}

/*
 * Well-formed UTF-8 (RFC 8725 §3.7) without NUL, raw or escaped: json-c stores
 * member names with strdup, so "sub\u0000x" would silently become "sub", and
 * nothing legitimate in a token needs a NUL. Done here rather than by json-c's
 * JSON_TOKENER_VALIDATE_UTF8, which costs a fifth of the whole parse.
 */
static bool text_is_clean(const unsigned char *s, size_t len)
{
	const unsigned char *esc = memchr(s, '\\', len);
	size_t i = ascii_run(s, len), need;
	unsigned char lo, hi;

	for (; esc != NULL; esc = memchr(esc + 1, '\\', len - (size_t)(esc + 1 - s)))
		if (len - (size_t)(esc - s) >= 6 && memcmp(esc + 1, "u0000", 5) == 0)
			return false;
	while (i < len) {
		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		if (!utf8_lead(s[i], &need, &lo, &hi) || len - i - 1 < need ||
		    s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += need + 1;
	}
	return true;
}

/* NaN and Infinity pass even json-c's strict mode: walk the tree and refuse them. */
static bool all_numbers_finite(json_object *obj, int depth)
{
	if (depth > JWT_JSON_DEPTH)
		return false;
	switch (json_object_get_type(obj)) {
	case json_type_double:
		return isfinite(json_object_get_double(obj));
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(obj); i++)
			if (!all_numbers_finite(json_object_array_get_idx(obj, i), depth + 1))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(obj, key, val) {
			(void)key;
			if (!all_numbers_finite(val, depth + 1))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

json_tokener *jwt_json_tokener_new(void)
{
	json_tokener *tok = json_tokener_new_ex(JWT_JSON_DEPTH);

	if (tok != NULL)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);	/* UTF-8: text_is_clean() */
	return tok;
}

/*
 * json-c copies every string through the tokener's buffer and frees it
 * unwiped, and each time the buffer grows realloc() leaves the old copy
 * behind. Key files hold secrets: their buffer is grown to the whole text
 * first, so that it never moves, and wiped before it is freed.
 */
enum jwt_status jwt_json_parse_object(const char *buf, size_t len, const char *what,
				      json_object **out, struct jwt_err *err)
{
	json_tokener *tok = jwt_json_tokener_new();
	enum jwt_status rc;

	*out = NULL;
	if (tok == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (len < INT32_MAX && printbuf_memset(tok->pb, 0, 0, (int)len + 1) < 0)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	else
		rc = jwt_json_parse_object_with(tok, buf, len, what, out, err);
	explicit_bzero(tok->pb->buf, (size_t)tok->pb->size);
	json_tokener_free(tok);
	return rc;
}

enum jwt_status jwt_json_parse_object_with(json_tokener *tok, const char *buf, size_t len,
					   const char *what, json_object **out,
					   struct jwt_err *err)
{
	json_object *obj = NULL;
	enum json_tokener_error jerr;
	enum jwt_status rc;
	size_t end;

	*out = NULL;
	if (len > INT32_MAX || !text_is_clean((const unsigned char *)buf, len))
		return jwt_fail(err, JWT_E_MALFORMED, "%s is not valid JSON (invalid UTF-8 or a NUL)",
				what);
	json_tokener_reset(tok);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (obj == NULL || jerr != json_tokener_success) {
		rc = jwt_fail(err, JWT_E_MALFORMED, "%s is not valid JSON (%s)", what,
			 obj == NULL && jerr == json_tokener_continue ? "truncated"
								     : json_tokener_error_desc(jerr));
		goto bad;
	}
	if (!only_whitespace(buf + end, len - end)) {
		rc = jwt_fail(err, JWT_E_MALFORMED, "%s has data after its JSON value", what);
		goto bad;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		rc = jwt_fail(err, JWT_E_MALFORMED, "%s is not a JSON object", what);
		goto bad;
	}
	if (!all_numbers_finite(obj, 0)) {
		rc = jwt_fail(err, JWT_E_MALFORMED, "%s holds NaN or Infinity", what);
		goto bad;
	}
	*out = obj;
	return JWT_OK;
bad:
	json_object_put(obj);
	return rc;
}

const char *jwt_json_string(json_object *obj, const char *name, size_t *len)
{
	json_object *val;

	if (!json_object_object_get_ex(obj, name, &val) || !json_object_is_type(val, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(val);
	return json_object_get_string(val);
}

enum jwt_status jwt_json_numericdate(json_object *obj, const char *name, bool *present,
				     double *value, struct jwt_err *err)
{
	json_object *val;

	*present = json_object_object_get_ex(obj, name, &val);
	if (!*present)
		return JWT_OK;
	if (json_object_is_type(val, json_type_int)) {
		/* json-c clamps out-of-range integers to the int64 limits: treat those as out of range. */
		int64_t v = json_object_get_int64(val);

		if (v == INT64_MAX || v == INT64_MIN)
			return jwt_fail(err, JWT_E_CLAIMS, "\"%s\" is out of range", name);
		*value = (double)v;
		return JWT_OK;
	}
	if (json_object_is_type(val, json_type_double)) {
		double v = json_object_get_double(val);

		/* 2^63 as a double: everything below it fits in int64. */
		if (!isfinite(v) || v >= 9223372036854775808.0 || v < -9223372036854775808.0)
			return jwt_fail(err, JWT_E_CLAIMS, "\"%s\" is out of range", name);
		*value = v;
		return JWT_OK;
	}
	return jwt_fail(err, JWT_E_CLAIMS, "\"%s\" is not a JSON number", name);
}
