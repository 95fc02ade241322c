#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_authz.h"
#include "jwt_file.h"
#include "jwt_identity.h"
#include "jwt_json.h"
#include "jwt_match.h"
#include "jwt_mem.h"
#include "jwt_policy.h"

struct field {
	const char *s;
	size_t len;
};

struct rule {
	struct field who, accounts, issuer;	/* issuer.s NULL: any issuer */
	size_t line;
};

/* What the rules decided so far. */
struct verdict {
	const char *account;	/* within the file's buffer */
	size_t account_len, line;
	bool several;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits line (NUL-terminated) into at most max blank-separated fields; returns how many. */
static size_t split(char *line, struct field *f, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		f[n].s = p;
		while (*p != '\0' && !is_blank(*p))
			p++;
		f[n].len = (size_t)(p - f[n].s);
		n++;
	}
}

static bool starts_with(const struct field *f, const char *prefix)
{
	size_t n = strlen(prefix);

	return f->len >= n && memcmp(f->s, prefix, n) == 0;
}

/* A line's rule; JWT_E_KEY naming path:line when it is not one. */
static enum jwt_status parse_rule(const char *path, char *line, size_t lineno, struct rule *r,
				  struct jwt_err *err)
{
	struct field f[3];
	size_t n = split(line, f, 3), len;
	struct jwt_list l;
	const char *el;

	memset(r, 0, sizeof(*r));
	r->line = lineno;
	if (n < 2 || n > 3)
		return jwt_fail(err, JWT_E_KEY, "%s:%zu is not \"who accounts [issuer=ISS]\"",
				path, lineno);
	r->who = f[0];
	r->accounts = f[1];
	if (starts_with(&r->who, "group:") && r->who.len == 6)
		return jwt_fail(err, JWT_E_KEY, "%s:%zu names an empty group", path, lineno);
	for (jwt_list_start(&l, r->accounts.s, r->accounts.len); jwt_list_next(&l, &el, &len);)
		if (!jwt_user_name_ok(el, len))
			return jwt_fail(err, JWT_E_KEY, "%s:%zu names an invalid account", path,
					lineno);
	if (n == 3) {
		if (!starts_with(&f[2], "issuer=") || f[2].len == 7)
			return jwt_fail(err, JWT_E_KEY, "%s:%zu: the third field is issuer=ISS",
					path, lineno);
		r->issuer.s = f[2].s + 7;
		r->issuer.len = f[2].len - 7;
	}
	return JWT_OK;
}

/* The token's side of the rules: identity, groups (read on first use), iss. */
struct subject {
	const struct jwt_config *cfg;
	json_object *claims;
	const char *identity;
	size_t id_len;
	struct jwt_groups groups;
	bool groups_read;
	const char *iss;	/* NULL when absent or not a string */
	size_t iss_len;
};

static enum jwt_status rule_matches(struct subject *sub, const struct rule *r, bool *yes,
				    struct jwt_err *err)
{
	enum jwt_status rc;

	*yes = false;
	if (r->issuer.s != NULL && (sub->iss == NULL || sub->iss_len != r->issuer.len ||
				    memcmp(sub->iss, r->issuer.s, r->issuer.len) != 0))
		return JWT_OK;
	if (!starts_with(&r->who, "group:")) {
		*yes = jwt_identity_eq(sub->cfg, r->who.s, r->who.len, sub->identity, sub->id_len);
		return JWT_OK;
	}
	if (!sub->groups_read) {
		rc = jwt_groups_read(sub->cfg, sub->claims, &sub->groups, err);
		if (rc != JWT_OK)
			return rc;
		sub->groups_read = true;
	}
	*yes = jwt_groups_has(&sub->groups, r->who.s + 6, r->who.len - 6);
	return JWT_OK;
}

/* Adds a matching rule's accounts to the verdict. */
static void admit(const struct rule *r, const char *expected, struct verdict *v)
{
	struct jwt_list l;
	const char *p;
	size_t len;

	for (jwt_list_start(&l, r->accounts.s, r->accounts.len); jwt_list_next(&l, &p, &len);) {
		bool same = v->account != NULL && v->account_len == len &&
			    memcmp(v->account, p, len) == 0;

		if (expected != NULL) {
			if (v->account == NULL && strlen(expected) == len &&
			    memcmp(expected, p, len) == 0) {
				v->account = p;
				v->account_len = len;
				v->line = r->line;
			}
		} else if (v->account == NULL) {
			v->account = p;
			v->account_len = len;
			v->line = r->line;
		} else if (!same) {
			v->several = true;
		}
	}
}

/* Reads the rules of buf (size bytes, NUL-terminated) into v; with sub NULL, only checks them. */
static enum jwt_status apply(const char *path, char *buf, size_t size, struct subject *sub,
			     const char *expected, struct verdict *v, bool *matched,
			     struct jwt_err *err)
{
	size_t lineno = 0;
	char *line, *next;

	if (memchr(buf, '\0', size) != NULL)
		return jwt_fail(err, JWT_E_KEY, "%s holds a NUL byte", path);
	if (size > 0 && buf[size - 1] != '\n')
		return jwt_fail(err, JWT_E_KEY, "%s: the last line has no newline (a file cut "
				"short?)", path);
	for (line = buf; *line != '\0'; line = next) {
		struct rule r;
		bool yes;
		enum jwt_status rc;

		lineno++;
		next = strchr(line, '\n');
		if (next == NULL)	/* cannot be: the file ends with one */
			return jwt_fail(err, JWT_E_KEY, "%s:%zu has no newline", path, lineno);
		*next++ = '\0';
		while (is_blank(*line))
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		rc = parse_rule(path, line, lineno, &r, err);
		if (rc == JWT_OK && sub != NULL)
			rc = rule_matches(sub, &r, &yes, err);
		if (rc != JWT_OK)
			return rc;
		if (sub != NULL && yes) {
			*matched = true;
			admit(&r, expected, v);
		}
	}
	return JWT_OK;
}

enum jwt_status jwt_policy_resolve_text(const struct jwt_config *cfg, json_object *claims,
					const char *identity, size_t id_len, const char *expected,
					const struct jwt_trace *tr, const char *what, char *text,
					size_t size, char **local, struct jwt_err *err)
{
	struct subject sub = { cfg, claims, identity, id_len, { NULL }, false, NULL, 0 };
	struct verdict v = { 0 };
	bool matched = false;
	enum jwt_status rc;

	*local = NULL;
	sub.iss = jwt_json_string(claims, "iss", &sub.iss_len);
	rc = apply(what, text, size, &sub, expected, &v, &matched, err);
	if (rc != JWT_OK)
		return rc;
	if (!matched)
		rc = jwt_fail(err, JWT_E_USER, "no rule in %s matches the token", what);
	else if (v.account == NULL)	/* only with expected: without it a match names one */
		rc = jwt_fail(err, JWT_E_USER, "no rule in %s lets the token log in as the user "
			      "logging in", what);
	else if (v.several)
		rc = jwt_fail(err, JWT_E_USER, "rules in %s let the token log in as several "
			      "accounts, and no user was named (PAM_USER) to choose one", what);
	else if ((*local = strndup(v.account, v.account_len)) == NULL)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (rc == JWT_OK)
		jwt_trace_step(tr, "policy", true, "%s:%zu admits account %s", what, v.line, *local);
	else
		jwt_trace_step(tr, "policy", false, "%s", err->reason);
	return rc;
}

enum jwt_status jwt_policy_resolve(const struct jwt_config *cfg, json_object *claims,
				   const char *identity, size_t id_len, const char *expected,
				   const struct jwt_trace *tr, char **local, struct jwt_err *err)
{
	unsigned char *buf = NULL;
	size_t size = 0;
	enum jwt_status rc;

	*local = NULL;
	rc = jwt_file_read(cfg->policy_file, JWT_FILE_PROTECTED, JWT_POLICY_MAX, &buf, &size, err);
	if (rc == JWT_OK)
		rc = jwt_policy_resolve_text(cfg, claims, identity, id_len, expected, tr,
					     cfg->policy_file, (char *)buf, size, local, err);
	jwt_wipe_free(buf, size);
	return rc;
}

enum jwt_status jwt_policy_check(const char *path, struct jwt_err *err)
{
	unsigned char *buf = NULL;
	size_t size = 0;
	struct verdict v = { 0 };
	bool matched = false;
	enum jwt_status rc;

	rc = jwt_file_read(path, JWT_FILE_PROTECTED, JWT_POLICY_MAX, &buf, &size, err);
	if (rc == JWT_OK)
		rc = apply(path, (char *)buf, size, NULL, NULL, &v, &matched, err);
	jwt_wipe_free(buf, size);
	return rc;
}
