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
	unsigned line;
};

/* What the rules decided so far. */
struct verdict {
	const char *account;	/* within the file's buffer */
	size_t account_len;
	unsigned line;
	bool several;
};

/* Splits line into at most max fields; returns how many (max + 1: more). */
static size_t split(const struct jwt_line *line, struct field *f, size_t max)
{
	const char *p = line->text, *end = p + line->len;
	struct field extra;
	size_t n = 0;

	while (n < max && jwt_line_field(&p, end, &f[n].s, &f[n].len))
		n++;
	if (n == max && jwt_line_field(&p, end, &extra.s, &extra.len))
		n++;
	return n;
}

static bool starts_with(const struct field *f, const char *prefix)
{
	size_t n = strlen(prefix);

	return f->len >= n && memcmp(f->s, prefix, n) == 0;
}

/* A line's rule; JWT_E_KEY naming the file and line when it is not one. */
static enum jwt_status parse_rule(const struct jwt_line *line, struct rule *r, struct jwt_err *err)
{
	struct field f[3];
	size_t n = split(line, f, 3), len;
	struct jwt_list l;
	const char *el;

	memset(r, 0, sizeof(*r));
	r->line = line->number;
	if (n < 2 || n > 3)
		return jwt_line_fail(err, line, "is not \"who accounts [issuer=ISS]\"");
	r->who = f[0];
	r->accounts = f[1];
	if (starts_with(&r->who, "group:") && r->who.len == 6)
		return jwt_line_fail(err, line, "names an empty group");
	for (jwt_list_start(&l, r->accounts.s, r->accounts.len); jwt_list_next(&l, &el, &len);)
		if (!jwt_user_name_ok(el, len))
			return jwt_line_fail(err, line, "names an invalid account");
	if (n == 3) {
		if (!starts_with(&f[2], "issuer=") || f[2].len == 7)
			return jwt_line_fail(err, line, "has a third field other than issuer=ISS");
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

/* A reading of the rules: with sub NULL, it only checks them. */
struct reading {
	struct subject *sub;
	const char *expected;
	struct verdict v;
	bool matched;
};

/* One line: a rule, blank, or a # comment. */
static enum jwt_status rule_line(void *ctx, const struct jwt_line *line, bool *stop,
				 struct jwt_err *err)
{
	struct reading *rd = ctx;
	const char *p = line->text, *first;
	size_t n;
	struct rule r;
	bool yes = false;
	enum jwt_status rc;

	(void)stop;
	if (!jwt_line_field(&p, p + line->len, &first, &n) || first[0] == '#')
		return JWT_OK;
	rc = parse_rule(line, &r, err);
	if (rc == JWT_OK && rd->sub != NULL)
		rc = rule_matches(rd->sub, &r, &yes, err);
	if (rc == JWT_OK && yes) {
		rd->matched = true;
		admit(&r, rd->expected, &rd->v);
	}
	return rc;
}

enum jwt_status jwt_policy_resolve_text(const struct jwt_config *cfg, json_object *claims,
					const char *identity, size_t id_len, const char *expected,
					const struct jwt_trace *tr, const char *what, const char *text,
					size_t size, char **local, struct jwt_err *err)
{
	struct subject sub = { cfg, claims, identity, id_len, { NULL }, false, NULL, 0 };
	struct reading rd = { &sub, expected, { 0 }, false };
	enum jwt_status rc;

	*local = NULL;
	sub.iss = jwt_json_string(claims, "iss", &sub.iss_len);
	rc = jwt_text_lines(what, text, size, rule_line, &rd, err);
	if (rc != JWT_OK)
		return rc;
	if (!rd.matched)
		rc = jwt_fail(err, JWT_E_USER, "no rule in %s matches the token", what);
	else if (rd.v.account == NULL)	/* only with expected: without it a match names one */
		rc = jwt_fail(err, JWT_E_USER, "no rule in %s lets the token log in as the user "
			      "logging in", what);
	else if (rd.v.several)
		rc = jwt_fail(err, JWT_E_USER, "rules in %s let the token log in as several "
			      "accounts, and no user was named (PAM_USER) to choose one", what);
	else if ((*local = strndup(rd.v.account, rd.v.account_len)) == NULL)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (rc == JWT_OK)
		jwt_trace_step(tr, "policy", true, "%s:%u admits account %s", what, rd.v.line, *local);
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
					     cfg->policy_file, (const char *)buf, size, local, err);
	jwt_wipe_free(buf, size);
	return rc;
}

enum jwt_status jwt_policy_check(const char *path, struct jwt_err *err)
{
	struct reading rd = { NULL, NULL, { 0 }, false };

	return jwt_file_lines(path, JWT_FILE_PROTECTED, JWT_POLICY_MAX, rule_line, &rd, err);
}
