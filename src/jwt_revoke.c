#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jwt_file.h"
#include "jwt_identity.h"
#include "jwt_json.h"
#include "jwt_revoke.h"

/* 9999-12-31T23:59:59Z: far beyond any token, far from any overflow. */
#define TIME_MAX 253402300799LL

const char *jwt_revoke_kind_name(enum jwt_revoke_kind kind)
{
	switch (kind) {
	case JWT_REVOKE_JTI: return "jti";
	case JWT_REVOKE_SUB: return "sub";
	case JWT_REVOKE_ISS: return "iss";
	}
	return "?";
}

static bool digits(const char *s, size_t len, long long max, long long *out)
{
	long long v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

bool jwt_revoke_parse_time(const char *s, size_t len, int64_t *out)
{
	long long y, mo, d, h, mi, sec, v;
	struct tm tm = { 0 }, back;
	time_t t;

	if (digits(s, len, TIME_MAX, &v)) {
		*out = v;
		return true;
	}
	/* YYYY-MM-DDTHH:MM:SSZ */
	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z' || !digits(s, 4, 9999, &y) || !digits(s + 5, 2, 12, &mo) ||
	    !digits(s + 8, 2, 31, &d) || !digits(s + 11, 2, 23, &h) ||
	    !digits(s + 14, 2, 59, &mi) || !digits(s + 17, 2, 59, &sec) || y < 1970 || mo < 1 ||
	    d < 1)
		return false;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)sec;
	t = timegm(&tm);
	/* timegm() normalises 02-30 into March: refuse dates that do not exist. */
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL || back.tm_mday != (int)d ||
	    back.tm_mon != (int)mo - 1)
		return false;
	*out = (int64_t)t;
	return true;
}

void jwt_revoke_format_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(buf, size, "%lld", (long long)t);
}

static bool field_is(const char *f, size_t len, const char *name)
{
	return len == strlen(name) && memcmp(f, name, len) == 0;
}

enum jwt_status jwt_revoke_parse_line(const struct jwt_line *line, struct jwt_revocation *r,
				      bool *empty, struct jwt_err *err)
{
	const char *p = line->text, *end = p + line->len, *f;
	size_t flen;

	memset(r, 0, sizeof(*r));
	*empty = false;
	if (!jwt_line_field(&p, end, &f, &flen) || f[0] == '#') {
		*empty = true;
		return JWT_OK;
	}
	if (field_is(f, flen, "jti"))
		r->kind = JWT_REVOKE_JTI;
	else if (field_is(f, flen, "sub"))
		r->kind = JWT_REVOKE_SUB;
	else if (field_is(f, flen, "iss"))
		r->kind = JWT_REVOKE_ISS;
	else
		return jwt_line_fail(err, line, "has an unknown kind \"%.*s\" (jti, sub or iss)",
				     (int)(flen > 16 ? 16 : flen), f);
	if (!jwt_line_field(&p, end, &r->value, &r->value_len))
		return jwt_line_fail(err, line, "has %s without a value",
				     jwt_revoke_kind_name(r->kind));
	while (jwt_line_field(&p, end, &f, &flen)) {
		bool before = flen > 7 && memcmp(f, "before=", 7) == 0;
		bool until = flen > 6 && memcmp(f, "until=", 6) == 0;
		size_t skip = before ? 7 : 6;

		if (!before && !until)
			return jwt_line_fail(err, line, "has an unknown field \"%.*s\" (before= or "
					     "until=)", (int)(flen > 16 ? 16 : flen), f);
		if ((before && r->has_before) || (until && r->has_until))
			return jwt_line_fail(err, line, "gives %s twice", before ? "before=" : "until=");
		if (!jwt_revoke_parse_time(f + skip, flen - skip, before ? &r->before : &r->until))
			return jwt_line_fail(err, line, "has a %s that is not Unix seconds or "
					     "YYYY-MM-DDTHH:MM:SSZ", before ? "before=" : "until=");
		if (before)
			r->has_before = true;
		else
			r->has_until = true;
	}
	if (r->kind == JWT_REVOKE_JTI && r->has_before)
		return jwt_line_fail(err, line, "gives jti a before= (jti takes none)");
	if (r->kind == JWT_REVOKE_ISS && !r->has_before)
		return jwt_line_fail(err, line, "has iss without before= (to revoke every token of "
				     "an issuer, remove its key)");
	return JWT_OK;
}

static bool claim_is(json_object *claims, const char *name, const char *value, size_t len)
{
	size_t clen = 0;
	const char *c = jwt_json_string(claims, name, &clen);

	return c != NULL && clen == len && memcmp(c, value, len) == 0;
}

/* Issued before t: iat < t, or no (usable) iat, which cannot prove otherwise. */
static bool issued_before(json_object *claims, int64_t t)
{
	struct jwt_err err = { 0 };
	bool present = false;
	double iat = 0;

	if (jwt_json_numericdate(claims, "iat", &present, &iat, &err) != JWT_OK || !present)
		return true;
	return iat < (double)t;
}

static void add_name(struct jwt_names *names, const char *s, size_t len)
{
	if (s != NULL && names->count < JWT_NAMES_MAX) {
		names->name[names->count] = s;
		names->len[names->count++] = len;
	}
}

enum jwt_status jwt_names_of(const struct jwt_config *cfg, json_object *claims,
			     const char *account, struct jwt_names *names, struct jwt_err *err)
{
	size_t sub_len = 0, len = 0, id_len = 0;
	const char *sub, *claim;
	enum jwt_status rc;

	memset(names, 0, sizeof(*names));
	sub = jwt_json_string(claims, "sub", &sub_len);
	add_name(names, sub, sub_len);
	claim = jwt_json_string(claims, cfg->user_claim, &len);
	if (claim == NULL)
		return jwt_fail(err, JWT_E_USER, "\"%s\" is not a string", cfg->user_claim);
	if (strcmp(cfg->user_claim, "sub") != 0)
		add_name(names, claim, len);
	rc = jwt_identity_transform(cfg, claim, len, &names->identity, &id_len, err);
	if (rc != JWT_OK)
		return rc;
	add_name(names, names->identity, id_len);
	add_name(names, account, strlen(account));
	return JWT_OK;
}

void jwt_names_free(struct jwt_names *names)
{
	free(names->identity);
	memset(names, 0, sizeof(*names));
}

/* Whether s (len bytes) is one of names, in any ASCII case. */
static bool names_have(const struct jwt_names *names, const char *s, size_t len)
{
	for (size_t i = 0; i < names->count; i++)
		if (names->len[i] == len && jwt_ascii_caseeq(names->name[i], s, len))
			return true;
	return false;
}

bool jwt_revoke_matches(const struct jwt_revocation *r, json_object *claims,
			const struct jwt_names *names)
{
	bool named = r->kind == JWT_REVOKE_SUB
		     ? names_have(names, r->value, r->value_len)
		     : claim_is(claims, r->kind == JWT_REVOKE_JTI ? "jti" : "iss", r->value,
				r->value_len);

	if (!named)
		return false;
	return !r->has_before || issued_before(claims, r->before);
}

/* What jwt_revoke_each() hands each line. */
struct each {
	jwt_revoke_fn *fn;
	void *ctx;
};

static enum jwt_status each_line(void *ctx, const struct jwt_line *line, bool *stop,
				 struct jwt_err *err)
{
	const struct each *e = ctx;
	struct jwt_revocation r;
	bool empty;
	enum jwt_status rc = jwt_revoke_parse_line(line, &r, &empty, err);

	if (rc == JWT_OK && !empty && e->fn != NULL)
		*stop = !e->fn(e->ctx, line->number, line->text, line->len, &r);
	return rc;
}

enum jwt_status jwt_revoke_each(const char *what, const char *text, size_t len,
				jwt_revoke_fn *fn, void *ctx, struct jwt_err *err)
{
	struct each e = { fn, ctx };

	return jwt_text_lines(what, text, len, each_line, &e, err);
}

struct match {
	json_object *claims;
	const struct jwt_names *names;
	unsigned line;
	struct jwt_revocation r;
};

static bool find(void *ctx, unsigned lineno, const char *line, size_t line_len,
		 const struct jwt_revocation *r)
{
	struct match *m = ctx;

	(void)line;
	(void)line_len;
	if (!jwt_revoke_matches(r, m->claims, m->names))
		return true;
	m->line = lineno;
	m->r = *r;
	return false;
}

enum jwt_status jwt_revoke_check(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_names *names, const struct jwt_trace *tr,
				 struct jwt_err *err)
{
	struct match m = { claims, names, 0, { 0 } };
	struct each e = { find, &m };
	enum jwt_status rc;
	char when[32];

	if (cfg->revoked_file == NULL)
		return JWT_OK;
	rc = jwt_file_lines(cfg->revoked_file, JWT_FILE_PROTECTED, JWT_REVOKE_FILE_MAX, each_line,
			    &e, err);
	if (rc == JWT_OK && m.line != 0) {
		if (m.r.has_before)
			jwt_revoke_format_time(m.r.before, when, sizeof(when));
		rc = jwt_fail(err, JWT_E_REVOKED, "token revoked by %s line %u (%s%s%s)",
			      cfg->revoked_file, m.line, jwt_revoke_kind_name(m.r.kind),
			      m.r.has_before ? " issued before " : "", m.r.has_before ? when : "");
	}
	jwt_trace_step(tr, "revocation", rc == JWT_OK, "%s",
		       rc == JWT_OK ? "no revocation covers the token" : err->reason);
	return rc;
}
