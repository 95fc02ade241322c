#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "jwt_authz.h"
#include "jwt_json.h"

#ifndef HOST_NAME_MAX
#define HOST_NAME_MAX 255
#endif

json_object *jwt_claim_path(json_object *claims, const char *path)
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

bool jwt_keys_must_bind(const struct jwt_config *cfg)
{
	return jwt_list_count(cfg->issuer) > 1 &&
	       (cfg->secret_file != NULL) + jwt_list_count(cfg->jwks_file) > 1;
}

size_t jwt_list_count(const char *list)
{
	size_t n = 1;

	if (list == NULL)
		return 0;
	for (const char *p = list; *p != '\0'; p++)
		n += *p == ',';
	return n;
}

/* Each element of a comma-separated list is non-empty. */
static bool list_ok(const char *list)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 0)
			return false;
		if (p[n] == '\0')
			return true;
		p += n + 1;
	}
}

/* Only %h, %s and %% may follow a '%'. */
static bool escapes_ok(const char *list)
{
	for (const char *p = strchr(list, '%'); p != NULL; p = strchr(p + 2, '%'))
		if (p[1] != 'h' && p[1] != 's' && p[1] != '%')
			return false;
	return true;
}

/* Each element is NAME=VALUE, both non-empty, and NAME a dotted path without empty steps. */
static bool pairs_ok(const char *list)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ","), name_len = strcspn(p, "=,");

		if (name_len == 0 || name_len + 1 >= n || p[0] == '.' || p[name_len - 1] == '.')
			return false;
		for (size_t i = 1; i < name_len; i++)
			if (p[i] == '.' && p[i - 1] == '.')
				return false;
		if (p[n] == '\0')
			return true;
		p += n + 1;
	}
}

enum jwt_status jwt_authz_config_check(const struct jwt_config *cfg, struct jwt_err *err)
{
	static const char *const names[] = { "issuer", "audience" };
	const char *lists[] = { cfg->issuer, cfg->audience };

	for (size_t i = 0; i < 2; i++) {
		if (lists[i] == NULL)
			continue;
		if (!list_ok(lists[i]))
			return jwt_fail(err, JWT_E_CONFIG, "%s= has an empty element", names[i]);
		if (!escapes_ok(lists[i]))
			return jwt_fail(err, JWT_E_CONFIG, "%s= has a '%%' not followed by h, s "
					"or %%", names[i]);
	}
	if (cfg->jwks_file != NULL && !list_ok(cfg->jwks_file))
		return jwt_fail(err, JWT_E_CONFIG, "jwks_file= has an empty element");
	if (cfg->groups != NULL && !list_ok(cfg->groups))
		return jwt_fail(err, JWT_E_CONFIG, "groups= has an empty element");
	if (cfg->require_claim != NULL && !pairs_ok(cfg->require_claim))
		return jwt_fail(err, JWT_E_CONFIG, "require_claim= wants NAME=VALUE[,NAME=VALUE...] "
				"with non-empty names and values");
	if (cfg->groups_claim[0] == '.' || strstr(cfg->groups_claim, "..") != NULL ||
	    cfg->groups_claim[strlen(cfg->groups_claim) - 1] == '.')
		return jwt_fail(err, JWT_E_CONFIG, "groups_claim= has an empty step");
	if (cfg->user_domain != NULL && strchr(cfg->user_domain, '@') != NULL)
		return jwt_fail(err, JWT_E_CONFIG, "user_domain= is a domain without '@' "
				"(user_domain=example.com)");
	if (cfg->policy_file != NULL && cfg->user_map != NULL)
		return jwt_fail(err, JWT_E_CONFIG, "policy_file= and user_map= exclude each other "
				"(a policy file can say what a map says)");
	if (cfg->user_nocase && cfg->policy_file == NULL && cfg->user_map == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "user_nocase needs user_map= or policy_file= "
				"(without one, use user_lowercase)");
	if (cfg->secret_issuer != NULL && cfg->secret_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "secret_issuer= without secret_file=");
	if (jwt_keys_must_bind(cfg) && cfg->secret_file != NULL && cfg->secret_issuer == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "issuer= names several issuers and there are "
				"several key files: bind the key of secret_file= to one with "
				"secret_issuer=");
	return JWT_OK;
}

/*
 * Compares one list element (n bytes, %-escapes expanded) with s, len bytes.
 * *host is read once, on the first %h.
 */
static enum jwt_status element_eq(const struct jwt_config *cfg, const char *el, size_t n,
				  const char **host, char *hostbuf, const char *s, size_t len,
				  bool *eq, struct jwt_err *err)
{
	size_t at = 0;

	*eq = false;
	for (size_t i = 0; i < n; i++) {
		const char *part = &el[i];
		size_t plen = 1;

		if (el[i] == '%' && i + 1 < n) {
			i++;
			if (el[i] == 'h') {
				if (*host == NULL) {
					if (cfg->host != NULL) {
						*host = cfg->host;
					} else {
						if (gethostname(hostbuf, HOST_NAME_MAX + 1) != 0)
							return jwt_fail(err, JWT_E_CONFIG, "%%h: cannot "
									"read the host name: %s",
									strerror(errno));
						hostbuf[HOST_NAME_MAX] = '\0';
						*host = hostbuf;
					}
				}
				part = *host;
				plen = strlen(part);
			} else if (el[i] == 's') {
				if (cfg->service == NULL)
					return jwt_fail(err, JWT_E_CONFIG, "%%s: the PAM service is "
							"not known");
				part = cfg->service;
				plen = strlen(part);
			} else {
				part = &el[i];	/* "%%" */
			}
			if (plen == 0)
				return jwt_fail(err, JWT_E_CONFIG, "%%%c expands to nothing", el[i]);
		}
		if (plen > len - at || memcmp(s + at, part, plen) != 0)
			return JWT_OK;
		at += plen;
	}
	*eq = at == len;
	return JWT_OK;
}

enum jwt_status jwt_list_match(const struct jwt_config *cfg, const char *list, const char *s,
			       size_t len, bool *found, struct jwt_err *err)
{
	char hostbuf[HOST_NAME_MAX + 1];
	const char *host = NULL, *p = list;
	enum jwt_status rc;

	*found = false;
	for (;;) {
		size_t n = strcspn(p, ",");

		rc = element_eq(cfg, p, n, &host, hostbuf, s, len, found, err);
		if (rc != JWT_OK || *found || p[n] == '\0')
			return rc;
		p += n + 1;
	}
}

enum jwt_status jwt_groups_read(const struct jwt_config *cfg, json_object *claims,
				struct jwt_groups *g, struct jwt_err *err)
{
	json_object *v = jwt_claim_path(claims, cfg->groups_claim);

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
	const char *s;
	size_t slen;

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
	s = json_object_get_string(g->value);
	slen = (size_t)json_object_get_string_len(g->value);
	for (size_t at = 0; at <= slen;) {
		const char *end = memchr(s + at, ',', slen - at);
		size_t n = end ? (size_t)(end - (s + at)) : slen - at;

		if (bytes_eq(s + at, n, name, len))
			return true;
		at += n + 1;
	}
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

static enum jwt_status check_required(const struct jwt_config *cfg, json_object *claims,
				      const struct jwt_trace *tr, struct jwt_err *err)
{
	const char *p = cfg->require_claim;

	for (;;) {
		size_t n = strcspn(p, ","), name_len = strcspn(p, "=");
		const char *want = p + name_len + 1;
		size_t wlen = n - name_len - 1;
		char name[256];
		json_object *v;
		bool match = false;

		if (name_len >= sizeof(name))
			return jwt_fail(err, JWT_E_CONFIG, "require_claim= names a claim longer than "
					"255 bytes");
		memcpy(name, p, name_len);
		name[name_len] = '\0';
		v = jwt_claim_path(claims, name);
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
		if (p[n] == '\0')
			return JWT_OK;
		p += n + 1;
	}
}

static enum jwt_status check_groups(const struct jwt_config *cfg, json_object *claims,
				    const struct jwt_trace *tr, struct jwt_err *err)
{
	struct jwt_groups g;
	const char *p = cfg->groups;
	enum jwt_status rc = jwt_groups_read(cfg, claims, &g, err);

	if (rc == JWT_OK && g.value == NULL)
		rc = jwt_fail(err, JWT_E_CLAIMS, "token has no \"%.64s\" claim; groups= requires one "
			      "of %.128s", cfg->groups_claim, cfg->groups);
	if (rc != JWT_OK) {
		jwt_trace_step(tr, "groups", false, "%s", err->reason);
		return rc;
	}
	for (;;) {
		size_t n = strcspn(p, ",");

		if (jwt_groups_has(&g, p, n)) {
			jwt_trace_step(tr, "groups", true, "member of %.*s", (int)n, p);
			return JWT_OK;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
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

static char ascii_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return "abcdefghijklmnopqrstuvwxyz"[c - 'A'];
	return c;
}

bool jwt_ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

void jwt_ascii_lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i] = ascii_lower(s[i]);
}

bool jwt_identity_eq(const struct jwt_config *cfg, const char *a, size_t alen, const char *b,
		     size_t blen)
{
	if (alen != blen)
		return false;
	return cfg->user_nocase ? jwt_ascii_caseeq(a, b, alen) : memcmp(a, b, alen) == 0;
}

enum jwt_status jwt_authz_identity(const struct jwt_config *cfg, const char *id, size_t len,
				   char **out, size_t *out_len, struct jwt_err *err)
{
	size_t n = len;

	*out = NULL;
	if (cfg->user_domain != NULL) {
		size_t dlen = strlen(cfg->user_domain);
		const char *at = memchr(id, '@', len);

		if (at == NULL || (size_t)(at - id) + 1 + dlen != len || at == id ||
		    !jwt_ascii_caseeq(at + 1, cfg->user_domain, dlen))
			return jwt_fail(err, JWT_E_USER, "the user claim is not of the form "
					"name@%.128s (user_domain=)", cfg->user_domain);
		n = (size_t)(at - id);
	}
	*out = malloc(n + 1);
	if (*out == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	memcpy(*out, id, n);
	if (cfg->user_lowercase)
		jwt_ascii_lower(*out, n);
	(*out)[n] = '\0';
	*out_len = n;
	return JWT_OK;
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
