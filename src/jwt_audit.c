#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_audit.h"
#include "jwt_pop.h"
#include "jwt_json.h"

/* Characters a log pipeline splitting on blanks and '=' takes as they are. */
static bool plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._-@:/+~,", c) != NULL;
}

/* Appends n bytes if they fit in full; else the line is full, and gets " ..." once. */
static bool put(struct jwt_audit *a, const char *s, size_t n)
{
	static const char more[] = " ...";
	const size_t room = sizeof(a->text) - sizeof(more);	/* keeps space for the mark and NUL */

	if (a->full)
		return false;
	if (n > room - a->len) {
		memcpy(a->text + a->len, more, sizeof(more));
		a->len += sizeof(more) - 1;
		a->full = true;
		return false;
	}
	memcpy(a->text + a->len, s, n);
	a->len += n;
	a->text[a->len] = '\0';
	return true;
}

/*
 * Appends " name=value", value (len bytes) written as is when it holds only
 * characters that need no quoting, else in double quotes with '"', '\\',
 * control characters and bytes of 0x80 and above escaped (\" \\ \xNN); values
 * longer than JWT_AUDIT_VALUE_MAX bytes are cut. A NULL value, or a name
 * longer than JWT_AUDIT_NAME_MAX, appends nothing. A field that does not fit
 * in full gives " ..." once, and the line takes nothing more.
 */
static void audit_add(struct jwt_audit *a, const char *name, const char *value, size_t len)
{
	/* Worst case: " name=", every byte as \xNN, quotes, the cut mark, and room for snprintf's NUL. */
	char out[JWT_AUDIT_NAME_MAX + JWT_AUDIT_VALUE_MAX * 4 + 16];
	bool quote = len == 0, cut = len > JWT_AUDIT_VALUE_MAX;
	size_t n;

	if (value == NULL || strlen(name) > JWT_AUDIT_NAME_MAX)
		return;
	n = (size_t)snprintf(out, sizeof(out), " %s=", name);
	if (cut)
		len = JWT_AUDIT_VALUE_MAX;
	for (size_t i = 0; i < len && !quote; i++)
		quote = !plain((unsigned char)value[i]);
	if (quote)
		out[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (!quote || (plain(c) || (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')))
			out[n++] = (char)c;
		else if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\%c", c);
		else
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\x%02x", c);
	}
	if (cut) {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	if (quote)
		out[n++] = '"';
	put(a, out, n);	/* the whole field, or the line is full */
}

void jwt_audit_add_str(struct jwt_audit *a, const char *name, const char *value)
{
	if (value != NULL)
		audit_add(a, name, value, strlen(value));
}

/* A member that is a string, as its bytes. */
static void add_string(struct jwt_audit *a, const char *field, json_object *obj,
		       const char *member)
{
	size_t len;
	const char *s;

	if (obj != NULL && (s = jwt_json_string(obj, member, &len)) != NULL)
		audit_add(a, field, s, len);
}

/* A NumericDate, as whole seconds; anything else is not written. */
static void add_time(struct jwt_audit *a, const char *field, json_object *claims,
		     const char *member)
{
	json_object *val;
	char buf[32];
	double d;

	if (!json_object_object_get_ex(claims, member, &val) ||
	    !(json_object_is_type(val, json_type_int) || json_object_is_type(val, json_type_double)))
		return;
	d = json_object_get_double(val);
	if (!isfinite(d) || d < -9.2e18 || d > 9.2e18)
		return;
	(void)snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)d);
	jwt_audit_add_str(a, field, buf);
}

/* "aud": a string, or the strings of an array joined by commas. */
static void add_audience(struct jwt_audit *a, json_object *claims)
{
	char buf[JWT_AUDIT_VALUE_MAX + 1];
	size_t n = 0, count;
	json_object *aud;

	if (!json_object_object_get_ex(claims, "aud", &aud))
		return;
	if (json_object_is_type(aud, json_type_string)) {
		add_string(a, "aud", claims, "aud");
		return;
	}
	if (!json_object_is_type(aud, json_type_array))
		return;
	count = json_object_array_length(aud);
	for (size_t i = 0; i < count && n < sizeof(buf); i++) {
		json_object *v = json_object_array_get_idx(aud, i);
		size_t len;

		if (!json_object_is_type(v, json_type_string))
			continue;
		len = (size_t)json_object_get_string_len(v);
		if (n > 0)
			buf[n++] = ',';
		if (len > sizeof(buf) - n)
			len = sizeof(buf) - n;
		memcpy(buf + n, json_object_get_string(v), len);
		n += len;
	}
	/* One byte over the value limit makes audit_add() mark the cut. */
	audit_add(a, "aud", buf, n);
}

void jwt_audit_token(struct jwt_audit *a, json_object *header, json_object *claims,
		     bool verified, const char *user_claim)
{
	if (header == NULL)
		return;
	if (!verified)
		jwt_audit_add_str(a, "signature", "unverified");
	add_string(a, "alg", header, "alg");
	add_string(a, "kid", header, "kid");
	if (claims == NULL || !json_object_is_type(claims, json_type_object))
		return;
	add_string(a, "sub", claims, "sub");
	if (user_claim != NULL && strcmp(user_claim, "sub") != 0)
		add_string(a, "identity", claims, user_claim);
	add_string(a, "iss", claims, "iss");
	add_audience(a, claims);
	add_string(a, "jti", claims, "jti");
	add_time(a, "iat", claims, "iat");
	add_time(a, "exp", claims, "exp");
}

void jwt_audit_fingerprint_text(const char *token, size_t len,
				char out[JWT_AUDIT_FINGERPRINT_SIZE])
{
	unsigned char md[32];
	static const char digits[] = "0123456789abcdef";

	gcry_md_hash_buffer(GCRY_MD_SHA256, md, token, len);
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < 8; i++) {
		out[7 + 2 * i] = digits[md[i] >> 4];
		out[8 + 2 * i] = digits[md[i] & 15];
	}
	out[7 + 16] = '\0';
}

void jwt_audit_fingerprint(struct jwt_audit *a, const char *token, size_t len)
{
	char hex[JWT_AUDIT_FINGERPRINT_SIZE];

	jwt_audit_fingerprint_text(token, len, hex);
	jwt_audit_add_str(a, "token", hex);
}

void jwt_audit_binding(struct jwt_audit *a, json_object *claims)
{
	struct jwt_pop_binding b;
	struct jwt_err ignored = { 0 };

	if (claims == NULL)
		return;
	if (jwt_pop_binding(claims, &b, &ignored) != JWT_OK) {
		jwt_audit_add_str(a, "pop", "unchecked");
		return;
	}
	jwt_audit_add_str(a, "pop", b.bound ? "bound" : "bearer");
	if (b.bound)
		jwt_audit_add_str(a, "jkt", b.jkt);
}
