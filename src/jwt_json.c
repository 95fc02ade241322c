#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <locale.h>
#include <stdlib.h>
#include <json-c/linkhash.h>


#include "jwt_json.h"
#include "jwt_mem.h"

/* JOSE objects are flat; a small depth limit keeps hostile nesting cheap. */
#define JWT_JSON_DEPTH 16

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
 * Well-formed UTF-8 (RFC 8725 §3.7) without a raw NUL: json-c stores member
 * names with strdup, so "sub\0x" would silently become "sub", and nothing
 * legitimate in a token needs a NUL. The escape \u0000 is refused where it is
 * unescaped (parse_string), which alone knows whether a backslash starts an
 * escape or is itself escaped ("\\u0000" holds no NUL). Done here rather
 * than by json-c's JSON_TOKENER_VALIDATE_UTF8, which costs a fifth of the
 * whole parse.
 */
static bool text_is_clean(const unsigned char *s, size_t len)
{
	size_t i = ascii_run(s, len), need;
	unsigned char lo, hi;

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

/*
 * The parser. json-c 0.16's tokener drops a member when copying its name fails
 * (it ignores json_object_object_add's result) and still reports success, so a
 * token could lose its "nbf" or "crit" under memory pressure. This one builds
 * the same json-c objects but checks every allocation: the result is exactly
 * what the bytes say, or an error (JWT_E_NOMEM when memory ran out).
 */
struct parser {
	const char *p, *end;
	char *scratch;			/* member names, unescaped strings, numbers: len + 1 bytes */
	size_t scratch_size;
	const char *what;
	struct jwt_err *err;
};

/* Overwrites every string in a tree about to be freed: key files hold secrets. */
static void wipe_strings(json_object *obj)
{
	switch (json_object_get_type(obj)) {
	case json_type_string:
		explicit_bzero((char *)json_object_get_string(obj),
			       (size_t)json_object_get_string_len(obj));
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(obj); i++)
			wipe_strings(json_object_array_get_idx(obj, i));
		break;
	case json_type_object: {
		json_object_object_foreach(obj, key, val) {
			(void)key;
			wipe_strings(val);
		}
		break;
	}
	default:
		break;
	}
}

/* Frees a value the parse will not return, wiped first. */
static void discard(json_object *v)
{
	wipe_strings(v);
	json_object_put(v);
}

static enum jwt_status nomem(struct parser *ps)
{
	return jwt_fail(ps->err, JWT_E_NOMEM, "out of memory parsing the %s", ps->what);
}

static enum jwt_status bad(struct parser *ps, const char *why)
{
	return jwt_fail(ps->err, JWT_E_MALFORMED, "%s is not valid JSON (%s)", ps->what, why);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
				   *ps->p == '\r'))
		ps->p++;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * A string at ps->p (its opening quote). Without escapes *s points into the
 * text; otherwise it is unescaped into the scratch buffer (never longer than
 * the text). The text was checked for UTF-8 and raw NULs before parsing began;
 * an escaped NUL is refused here.
 * as_key: always copy, NUL-terminated, as json-c needs for a member name.
 */
static enum jwt_status parse_string(struct parser *ps, bool as_key, const char **s, size_t *n)
{
	const char *start = ++ps->p, *q = start;
	char *out;
	size_t k = 0;

	while (q < ps->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
		q++;
	if (q < ps->end && *q == '"' && !as_key) {
		*s = start;
		*n = (size_t)(q - start);
		ps->p = q + 1;
		return JWT_OK;
	}
	out = ps->scratch;
	memcpy(out, start, (size_t)(q - start));
	k = (size_t)(q - start);
	while (q < ps->end && *q != '"') {
		unsigned long cp;
		int u;

		if ((unsigned char)*q < 0x20)
			return bad(ps, "a control character in a string");
		if (*q != '\\') {
			out[k++] = *q++;
			continue;
		}
		if (ps->end - q < 2)
			break;
		switch (q[1]) {
		case '"': case '\\': case '/':
			out[k++] = q[1];
			break;
		case 'b': out[k++] = '\b'; break;
		case 'f': out[k++] = '\f'; break;
		case 'n': out[k++] = '\n'; break;
		case 'r': out[k++] = '\r'; break;
		case 't': out[k++] = '\t'; break;
		case 'u':
			if (ps->end - q < 6 || (u = hex4(q + 2)) < 0)
				return bad(ps, "a bad \\u escape");
			cp = (unsigned long)u;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return bad(ps, "a lone UTF-16 surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - q < 12 || q[6] != '\\' || q[7] != 'u' ||
				    (u = hex4(q + 8)) < 0xdc00 || u > 0xdfff)
					return bad(ps, "a lone UTF-16 surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned long)u - 0xdc00);
				q += 6;
			}
			if (cp == 0)
				return bad(ps, "a NUL in a string");
			k += put_utf8(out + k, cp);
			q += 4;
			break;
		default:
			return bad(ps, "an unknown escape");
		}
		q += 2;
	}
	if (q >= ps->end)
		return bad(ps, "truncated");
	out[k] = '\0';
	*s = out;
	*n = k;
	ps->p = q + 1;
	return JWT_OK;
}

/* RFC 8259 §6 numbers, typed as json-c types them: int64 (uint64 above it) or double. */
static enum jwt_status parse_number(struct parser *ps, json_object **out)
{
	const char *q = ps->p;
	bool is_double = false;
	size_t n;
	char *end;

	if (q < ps->end && *q == '-')
		q++;
	if (q < ps->end && *q == '0')
		q++;
	else if (q < ps->end && *q >= '1' && *q <= '9')
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	else
		return bad(ps, "an unexpected character");
	if (q < ps->end && *q == '.') {
		is_double = true;
		if (++q >= ps->end || *q < '0' || *q > '9')
			return bad(ps, "a bad number");
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		is_double = true;
		if (++q < ps->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= ps->end || *q < '0' || *q > '9')
			return bad(ps, "a bad number");
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	n = (size_t)(q - ps->p);
	memcpy(ps->scratch, ps->p, n);
	ps->scratch[n] = '\0';
	ps->p = q;
	if (is_double) {
		/* Whatever the host's LC_NUMERIC: glibc returns its static C locale here. */
		locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
		double d;

		if (c == (locale_t)0)
			return nomem(ps);
		d = strtod_l(ps->scratch, &end, c);
		freelocale(c);
		if (end != ps->scratch + n)
			return bad(ps, "a bad number");
		if (!isfinite(d))
			return bad(ps, "a number out of range");
		*out = json_object_new_double_s(d, ps->scratch);
	} else if (ps->scratch[0] == '-') {
		/* Clamped to INT64_MIN beyond it, as json-c does; claims treat the limits as out of range. */
		*out = json_object_new_int64(strtoll(ps->scratch, &end, 10));
	} else {
		unsigned long long v = strtoull(ps->scratch, &end, 10);	/* UINT64_MAX beyond */

		*out = v <= INT64_MAX ? json_object_new_int64((int64_t)v)
				      : json_object_new_uint64((uint64_t)v);
	}
	return *out != NULL ? JWT_OK : nomem(ps);
}

static enum jwt_status parse_value(struct parser *ps, int depth, json_object **out);

static bool literal(struct parser *ps, const char *word, size_t n)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

/*
 * Adds val under the NUL-terminated name. json-c would replace a duplicate
 * (freeing the first value unwiped); RFC 7515 §4 lets us refuse it, so we do.
 * The table is grown here first because json-c leaks the copied name when
 * growing fails inside json_object_object_add.
 */
static enum jwt_status add_member(struct parser *ps, json_object *obj, const char *name,
				  json_object *val)
{
	struct lh_table *t = json_object_get_object(obj);

	if (json_object_object_get_ex(obj, name, NULL)) {
		discard(val);
		return bad(ps, "a member name appears twice");
	}
	if (t->count >= t->size * LH_LOAD_FACTOR && lh_table_resize(t, t->size * 2) != 0) {
		discard(val);
		return nomem(ps);
	}
	if (json_object_object_add_ex(obj, name, val, JSON_C_OBJECT_ADD_KEY_IS_NEW) != 0) {
		discard(val);
		return nomem(ps);
	}
	return JWT_OK;
}

static enum jwt_status parse_object(struct parser *ps, int depth, json_object **out)
{
	json_object *obj = json_object_new_object();
	enum jwt_status rc = JWT_OK;

	if (obj == NULL)
		return nomem(ps);
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		*out = obj;
		return JWT_OK;
	}
	for (;;) {
		const char *name;
		size_t name_len;
		json_object *val = NULL;

		if (ps->p >= ps->end || *ps->p != '"') {
			rc = bad(ps, ps->p >= ps->end ? "truncated" : "expected a member name");
			break;
		}
		rc = parse_string(ps, true, &name, &name_len);
		if (rc != JWT_OK)
			break;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			rc = bad(ps, ps->p >= ps->end ? "truncated" : "expected ':'");
			break;
		}
		ps->p++;
		skip_ws(ps);
		/* The name sits in the scratch buffer, which the value may reuse: keep a copy. */
		{
			char small[64], *copy = name_len < sizeof(small) ? small : strdup(name);

			if (copy == NULL) {
				rc = nomem(ps);
				break;
			}
			if (copy == small)
				memcpy(small, name, name_len + 1);
			rc = parse_value(ps, depth + 1, &val);
			if (rc == JWT_OK)
				rc = add_member(ps, obj, copy, val);
			else
				discard(val);
			if (copy != small)
				free(copy);
		}
		if (rc != JWT_OK)
			break;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			*out = obj;
			return JWT_OK;
		}
		rc = bad(ps, ps->p >= ps->end ? "truncated" : "expected ',' or '}'");
		break;
	}
	*out = obj;	/* the caller wipes what was parsed before putting it */
	return rc;
}

static enum jwt_status parse_array(struct parser *ps, int depth, json_object **out)
{
	json_object *arr = json_object_new_array();
	enum jwt_status rc;

	if (arr == NULL)
		return nomem(ps);
	*out = arr;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return JWT_OK;
	}
	for (;;) {
		json_object *val = NULL;

		rc = parse_value(ps, depth + 1, &val);
		if (rc == JWT_OK && json_object_array_add(arr, val) != 0)
			rc = nomem(ps);
		if (rc != JWT_OK) {
			discard(val);
			return rc;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return JWT_OK;
		}
		return bad(ps, ps->p >= ps->end ? "truncated" : "expected ',' or ']'");
	}
}

/* One value at ps->p (no leading whitespace); *out is NULL for null, or on failure. */
static enum jwt_status parse_value(struct parser *ps, int depth, json_object **out)
{
	const char *s;
	size_t n;
	enum jwt_status rc;

	*out = NULL;
	if (depth > JWT_JSON_DEPTH)
		return bad(ps, "nested too deep");
	if (ps->p >= ps->end)
		return bad(ps, "truncated");
	switch (*ps->p) {
	case '{':
		return parse_object(ps, depth, out);
	case '[':
		return parse_array(ps, depth, out);
	case '"':
		rc = parse_string(ps, false, &s, &n);
		if (rc == JWT_OK && (*out = json_object_new_string_len(s, (int)n)) == NULL)
			rc = nomem(ps);
		return rc;
	case 't':
		if (!literal(ps, "true", 4))
			break;
		return (*out = json_object_new_boolean(1)) != NULL ? JWT_OK : nomem(ps);
	case 'f':
		if (!literal(ps, "false", 5))
			break;
		return (*out = json_object_new_boolean(0)) != NULL ? JWT_OK : nomem(ps);
	case 'n':
		if (!literal(ps, "null", 4))
			break;
		return JWT_OK;
	default:
		return parse_number(ps, out);
	}
	return bad(ps, "an unexpected character");
}

enum jwt_status jwt_json_parse_object(const char *buf, size_t len, const char *what,
				      json_object **out, struct jwt_err *err)
{
	struct parser ps = { buf, buf + len, NULL, len + 1, what, err };
	json_object *obj = NULL;
	enum jwt_status rc;

	*out = NULL;
	if (len > INT32_MAX || !text_is_clean((const unsigned char *)buf, len))
		return jwt_fail(err, JWT_E_MALFORMED, "%s is not valid JSON (invalid UTF-8 or a raw NUL)",
				what);
	skip_ws(&ps);
	if (ps.p >= ps.end)
		return jwt_fail(err, JWT_E_MALFORMED, "%s is not valid JSON (empty)", what);
	if (*ps.p != '{')
		return jwt_fail(err, JWT_E_MALFORMED, "%s is not a JSON object", what);
	ps.scratch = malloc(ps.scratch_size);
	if (ps.scratch == NULL)
		return nomem(&ps);
	rc = parse_object(&ps, 1, &obj);
	if (rc == JWT_OK) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			rc = jwt_fail(err, JWT_E_MALFORMED, "%s has data after its JSON value", what);
	}
	if (rc == JWT_OK)
		*out = obj;
	else
		discard(obj);
	jwt_wipe_free(ps.scratch, ps.scratch_size);
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
