#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_authz.h"
#include "jwt_json.h"
#include "jwt_match.h"

/*
 * The claim named path: first the top-level member of exactly that name (so
 * that namespaced claims such as "https://example.com/roles" work), else each
 * '.' steps into an object ("realm_access.roles"). NULL when absent.
 */
static json_object *claim_path(json_object *claims, const char *path)
{
	json_object *cur = claims, *next;
	const char *p = path;

	if (json_object_object_get_ex(claims, path, &next))
		return next;
	for (;;) {
		size_t n = strcspn(p, ".");
		char name[256];

		if (n == 0 || n >= sizeof(name) || !json_object_is_type(cur, json_type_object))
			return NULL;
		memcpy(name, p, n);
		name[n] = '\0';
		if (!json_object_object_get_ex(cur, name, &next))
			return NULL;
		cur = next;
		if (p[n] == '\0')
			return cur;
		p += n + 1;
	}
}

enum jwt_status jwt_groups_read(const struct jwt_config *cfg, json_object *claims,
				struct jwt_groups *g, struct jwt_err *err)
{
	json_object *v = claim_path(claims, cfg->groups_claim);

	g->value = NULL;
	if (v == NULL)
		return JWT_OK;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
				return jwt_fail(err, JWT_E_CLAIMS, "\"%.64s\" holds a member that is "
						"not a string", cfg->groups_claim);
	} else if (!json_object_is_type(v, json_type_string)) {
		return jwt_fail(err, JWT_E_CLAIMS, "\"%.64s\" is neither a string nor an array of "
				"strings", cfg->groups_claim);
	}
	g->value = v;
	return JWT_OK;
}

static bool bytes_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

bool jwt_groups_has(const struct jwt_groups *g, const char *name, size_t len)
{
	struct jwt_list l;
	const char *el;
	size_t n;

	if (g->value == NULL)
		return false;
	if (json_object_is_type(g->value, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(g->value); i++) {
			json_object *m = json_object_array_get_idx(g->value, i);

			if (bytes_eq(json_object_get_string(m), (size_t)json_object_get_string_len(m),
				     name, len))
				return true;
		}
		return false;
	}
	jwt_list_start(&l, json_object_get_string(g->value),
		       (size_t)json_object_get_string_len(g->value));
	while (jwt_list_next(&l, &el, &n))
		if (bytes_eq(el, n, name, len))
			return true;
	return false;
}

/* A strict decimal integer: optional '-', digits, within int64. */
static bool parse_int(const char *s, size_t len, int64_t *out)
{
	char buf[24], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = buf[0] == '-' ? 1 : 0; i < len; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return false;
	if (len == (buf[0] == '-' ? 1u : 0u))
		return false;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

/* Whether the claim value v equals VALUE (want, wlen bytes), by v's JSON type. */
static bool value_eq(json_object *v, const char *want, size_t wlen)
{
	int64_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		return bytes_eq(json_object_get_string(v), (size_t)json_object_get_string_len(v),
				want, wlen);
	case json_type_boolean:
		return json_object_get_boolean(v) ? bytes_eq(want, wlen, "true", 4)
						  : bytes_eq(want, wlen, "false", 5);
	case json_type_int:
		n = json_object_get_int64(v);
		/* json-c clamps what does not fit: a clamped value equals nothing. */
		return n != INT64_MAX && n != INT64_MIN && parse_int(want, wlen, &i) && i == n;
	default:
		return false;
	}
}

/* One NAME=VALUE pair of require_claim= (n bytes at p). */
static enum jwt_status check_pair(json_object *claims, const char *p, size_t n,
				  const struct jwt_trace *tr, struct jwt_err *err)
{
	const char *eq = memchr(p, '=', n);
	size_t name_len = eq ? (size_t)(eq - p) : n;
	const char *want = p + name_len + 1;
	size_t wlen = eq ? n - name_len - 1 : 0;
	char name[256];
	json_object *v;
	bool match = false;

	if (name_len >= sizeof(name))
		return jwt_fail(err, JWT_E_CONFIG, "require_claim= names a claim longer than "
				"255 bytes");
	memcpy(name, p, name_len);
	name[name_len] = '\0';
	v = claim_path(claims, name);
	if (v != NULL && json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v) && !match; i++)
			match = value_eq(json_object_array_get_idx(v, i), want, wlen);
	} else if (v != NULL) {
		match = value_eq(v, want, wlen);
	}
	if (!match) {
		if (v == NULL)
			jwt_fail(err, JWT_E_CLAIMS, "token has no \"%s\" claim; require_claim= "
				 "needs %.*s", name, (int)(n > 128 ? 128 : n), p);
		else
			jwt_fail(err, JWT_E_CLAIMS, "\"%s\" is not what require_claim= needs "
				 "(%.*s)", name, (int)(n > 128 ? 128 : n), p);
		jwt_trace_step(tr, "require_claim", false, "%s", err->reason);
		return JWT_E_CLAIMS;
	}
	jwt_trace_step(tr, "require_claim", true, "%.*s", (int)n, p);
	return JWT_OK;
}

static enum jwt_status check_required(const struct jwt_config *cfg, json_object *claims,
				      const struct jwt_trace *tr, struct jwt_err *err)
{
	struct jwt_list l;
	const char *el;
	size_t n;
	enum jwt_status rc = JWT_OK;

	jwt_list_start(&l, cfg->require_claim, strlen(cfg->require_claim));
	while (rc == JWT_OK && jwt_list_next(&l, &el, &n))
		rc = check_pair(claims, el, n, tr, err);
	return rc;
}

/*
 * Whether the groups claim is absent because the issuer moved it out of the
 * token: "_claim_names" names it (OpenID Connect Core §5.6.2, distributed
 * claims; Entra ID's groups overage, past 200 groups in a JWT).
 */
static bool overage(const struct jwt_config *cfg, json_object *claims)
{
	json_object *names;

	return json_object_object_get_ex(claims, "_claim_names", &names) &&
	       json_object_is_type(names, json_type_object) &&
	       json_object_object_get_ex(names, cfg->groups_claim, NULL);
}

static enum jwt_status check_groups(const struct jwt_config *cfg, json_object *claims,
				    const struct jwt_trace *tr, struct jwt_err *err)
{
	struct jwt_groups g;
	struct jwt_list l;
	const char *el;
	size_t n;
	enum jwt_status rc = jwt_groups_read(cfg, claims, &g, err);

	if (rc == JWT_OK && g.value == NULL && overage(cfg, claims))
		rc = jwt_fail(err, JWT_E_CLAIMS, "groups overage: the token names its groups in "
			      "\"_claim_names\" instead of \"%.64s\" (too many groups for the "
			      "token; Entra ID), so groups= cannot be checked", cfg->groups_claim);
	else if (rc == JWT_OK && g.value == NULL)
		rc = jwt_fail(err, JWT_E_CLAIMS, "token has no \"%.64s\" claim; groups= requires one "
			      "of %.128s", cfg->groups_claim, cfg->groups);
	if (rc != JWT_OK) {
		jwt_trace_step(tr, "groups", false, "%s", err->reason);
		return rc;
	}
	for (jwt_list_start(&l, cfg->groups, strlen(cfg->groups)); jwt_list_next(&l, &el, &n);) {
		if (jwt_groups_has(&g, el, n)) {
			jwt_trace_step(tr, "groups", true, "member of %.*s", (int)n, el);
			return JWT_OK;
		}
	}
	rc = jwt_fail(err, JWT_E_CLAIMS, "token names none of the groups groups= requires (%.128s)",
		      cfg->groups);
	jwt_trace_step(tr, "groups", false, "%s", err->reason);
	return rc;
}

enum jwt_status jwt_authz_claims(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_trace *tr, struct jwt_err *err)
{
	enum jwt_status rc = JWT_OK;

	if (cfg->require_claim != NULL)
		rc = check_required(cfg, claims, tr, err);
	if (rc == JWT_OK && cfg->groups != NULL)
		rc = check_groups(cfg, claims, tr, err);
	return rc;
}

enum jwt_status jwt_authz_key_issuer(const char *key_issuer, json_object *claims,
				     const struct jwt_trace *tr, struct jwt_err *err)
{
	const char *iss;
	size_t len;
	enum jwt_status rc;

	if (key_issuer == NULL)
		return JWT_OK;
	iss = jwt_json_string(claims, "iss", &len);
	if (iss == NULL)
		rc = jwt_fail(err, JWT_E_CLAIMS, "the key that verified the token belongs to an "
			      "issuer, and the token has no string \"iss\"");
	else if (!bytes_eq(iss, len, key_issuer, strlen(key_issuer)))
		rc = jwt_fail(err, JWT_E_CLAIMS, "\"iss\" is not the issuer the verifying key "
			      "belongs to (%.128s)", key_issuer);
	else
		rc = JWT_OK;
	jwt_trace_step(tr, "key issuer", rc == JWT_OK, "%s",
		       rc == JWT_OK ? "\"iss\" is the verifying key's issuer" : err->reason);
	return rc;
}

enum jwt_status jwt_authz_root(const struct jwt_config *cfg, const char *user, uid_t uid,
			       const struct jwt_trace *tr, struct jwt_err *err)
{
	enum jwt_status rc = JWT_OK;

	if (uid == 0 && !cfg->allow_root)
		rc = jwt_fail(err, JWT_E_USER, "account \"%s\" has uid 0 and allow_root is not set",
			      user);
	jwt_trace_step(tr, "root", rc == JWT_OK, "%s", rc != JWT_OK ? err->reason
		       : uid == 0 ? "uid 0, allowed by allow_root" : "not uid 0");
	return rc;
}
