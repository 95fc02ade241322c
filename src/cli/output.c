#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "jwt_pop.h"
#include "jwt_sig.h"
#include "output.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

const char *out_mark(bool ok)
{
	return ok ? "\u2713" : "\u2717";
}

/* JSON text of a member name: escapes control characters a token could carry. */
static void print_name(FILE *f, const char *name)
{
	json_object *s = json_object_new_string(name);

	fputs(json_object_to_json_string_ext(s, JSON_FLAGS), f);
	json_object_put(s);
}

/* NumericDates read best as dates: "  (2026-11-24 06:44:34 UTC)". */
static void print_date(FILE *f, const char *name, json_object *val)
{
	char buf[64];
	struct tm tm;
	double d;
	time_t t;

	if (strcmp(name, "exp") != 0 && strcmp(name, "nbf") != 0 && strcmp(name, "iat") != 0)
		return;
	if (!json_object_is_type(val, json_type_int) && !json_object_is_type(val, json_type_double))
		return;
	d = json_object_get_double(val);
	if (!isfinite(d) || fabs(d) > 253402300799.0)	/* up to year 9999 */
		return;
	t = (time_t)d;
	if (gmtime_r(&t, &tm) != NULL && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm))
		fprintf(f, "  (%s)", buf);
}

/* Bytes that are not JSON, shown with everything unprintable escaped. */
static void print_raw(FILE *f, const unsigned char *p, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len && i < 200; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			fputc(p[i], f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
	fputs(len > 200 ? "\"..." : "\"", f);
}

/* label names a part that is a JSON object ("claims"), other one that is not ("payload"). */
static void part_text(FILE *f, const struct view_part *p, const char *label, const char *other)
{
	if (!p->present) {
		fprintf(f, "%s: missing\n", other);
		return;
	}
	if (!p->decoded) {
		fprintf(f, "%s: %s\n", other, p->err.reason);
		return;
	}
	if (p->json == NULL) {
		fprintf(f, "%s: ", other);
		print_raw(f, p->bytes, p->len);
		fprintf(f, "  (%s)\n", p->err.reason);
		return;
	}
	fprintf(f, "%s:\n", label);
	json_object_object_foreach(p->json, name, val) {
		fputs("  ", f);
		print_name(f, name);
		fprintf(f, ": %s", json_object_to_json_string_ext(val, JSON_FLAGS));
		print_date(f, name, val);
		fputc('\n', f);
	}
}

/*
 * What the claims' cnf says (jwt_pop_binding): *bound and b->jkt, or false
 * with the reason in err. Claims not yet verified: a display, not a verdict.
 */
static bool view_binding(const struct view *v, struct jwt_pop_binding *b, struct jwt_err *err)
{
	return jwt_crypto_init(err) == JWT_OK && jwt_pop_binding(v->payload.json, b, err) == JWT_OK;
}

void out_view_text(FILE *f, const struct view *v)
{
	struct jwt_pop_binding b;
	struct jwt_err err = { 0 };

	if (v->segments != 3)
		fprintf(f, "token has %zu segment%s; a JWS has 3\n", v->segments,
			v->segments == 1 ? "" : "s");
	part_text(f, &v->header, "header", "header");
	part_text(f, &v->payload, "claims", "payload");
	if (v->payload.json != NULL && !view_binding(v, &b, &err))
		fprintf(f, "binding: refused: %s\n", err.reason);
	else if (v->payload.json != NULL && b.bound)
		fprintf(f, "binding: bound to key %s (cnf); a login needs a DPoP proof of it\n",
			b.jkt);
	else if (v->payload.json != NULL)
		fputs("binding: bearer (no cnf)\n", f);
	if (v->signature.decoded)
		fprintf(f, "signature: %zu bytes\n", v->signature.len);
	else
		fprintf(f, "signature: %s\n", v->signature.present ? v->signature.err.reason : "missing");
}

/* A part as JSON: the object, or null with an "..._error" member saying why. */
static void part_json(json_object *o, const struct view_part *p, const char *name)
{
	char key[32];

	json_object_object_add(o, name, p->json ? json_object_get(p->json) : NULL);
	if (p->json == NULL) {
		(void)snprintf(key, sizeof(key), "%s_error", name);
		json_object_object_add(o, key, json_object_new_string(
			p->present ? p->err.reason : "missing"));
	}
}

json_object *out_view_json(const struct view *v)
{
	json_object *o = json_object_new_object(), *bind;
	struct jwt_pop_binding b;
	struct jwt_err err = { 0 };

	json_object_object_add(o, "segments", json_object_new_int64((int64_t)v->segments));
	part_json(o, &v->header, "header");
	part_json(o, &v->payload, "claims");
	if (v->payload.json != NULL) {
		bind = json_object_new_object();
		if (!view_binding(v, &b, &err)) {
			json_object_object_add(bind, "error", json_object_new_string(err.reason));
		} else {
			json_object_object_add(bind, "bound", json_object_new_boolean(b.bound));
			if (b.bound)
				json_object_object_add(bind, "jkt", json_object_new_string(b.jkt));
		}
		json_object_object_add(o, "binding", bind);
	}
	if (v->signature.decoded)
		json_object_object_add(o, "signature_bytes",
				       json_object_new_int64((int64_t)v->signature.len));
	else
		json_object_object_add(o, "signature_error", json_object_new_string(
			v->signature.present ? v->signature.err.reason : "missing"));
	return o;
}

void out_json_print(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}
