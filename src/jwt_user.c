#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jwt_authz.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_policy.h"
#include "jwt_user.h"

/* Non-empty, short, and free of NUL, '/', ':' and control characters. */
static bool name_is_safe(const char *s, size_t len)
{
	if (len == 0 || len > JWT_USER_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == ':')
			return false;
	}
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits off the next blank-separated field of line; returns its length. */
static size_t next_field(char **line, char **field)
{
	char *p = *line;
	size_t n = 0;

	while (is_blank(*p))
		p++;
	*field = p;
	while (p[n] != '\0' && !is_blank(p[n]))
		n++;
	*line = p + n;
	return n;
}

enum jwt_status jwt_user_map_find(const struct jwt_config *cfg, const char *what, char *text,
				  size_t size, const char *identity, size_t id_len, char **local,
				  struct jwt_err *err)
{
	size_t lineno = 0;
	char *line, *next;
	enum jwt_status rc;

	if (memchr(text, '\0', size) != NULL)
		return jwt_fail(err, JWT_E_KEY, "%s holds a NUL byte", what);
	/*
	 * A file rewritten in place can be read half-written: "carol rtcarolyn"
	 * cut to "carol rtcarol" maps to another account. A whole map ends with a
	 * newline; one that does not is refused, never read up to its cut.
	 */
	if (size > 0 && text[size - 1] != '\n')
		return jwt_fail(err, JWT_E_KEY, "%s does not end with a newline (half-written? "
				"replace it atomically: write a new file, then rename it)", what);
	rc = local == NULL ? JWT_OK
			   : jwt_fail(err, JWT_E_USER, "the token's identity has no entry in %s", what);
	for (line = text; line != NULL; line = next) {
		char *from, *to, *rest;
		size_t from_len, to_len;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		rest = line;
		from_len = next_field(&rest, &from);
		if (from_len == 0 || from[0] == '#')
			continue;
		to_len = next_field(&rest, &to);
		while (is_blank(*rest))
			rest++;
		if (to_len == 0 || *rest != '\0')
			return jwt_fail(err, JWT_E_KEY, "%s:%zu is not \"claim-value local-user\"",
					what, lineno);
		if (local != NULL && jwt_identity_eq(cfg, from, from_len, identity, id_len)) {
			if (!name_is_safe(to, to_len))
				return jwt_fail(err, JWT_E_KEY, "%s:%zu maps to an invalid user name",
						what, lineno);
			*local = strndup(to, to_len);
			return *local ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
		}
	}
	return rc;
}

/* Reads the user_map file with the module's file rules, then jwt_user_map_find(). */
static enum jwt_status map_user(const struct jwt_config *cfg, const char *path,
				const char *identity, size_t id_len, char **local,
				struct jwt_err *err)
{
	unsigned char *buf;
	size_t size;
	enum jwt_status rc;

	rc = jwt_file_read(path, JWT_FILE_PROTECTED, JWT_USER_MAP_MAX, &buf, &size, err);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_user_map_find(cfg, path, (char *)buf, size, identity, id_len, local, err);
	jwt_wipe_free(buf, size);
	return rc;
}

enum jwt_status jwt_user_map_check(const struct jwt_config *cfg, const char *path,
				   struct jwt_err *err)
{
	return map_user(cfg, path, "", 0, NULL, err);
}

/*
 * The account must exist under exactly this name. A case-insensitive NSS
 * module (sssd, winbind) answers "Alice" with alice's entry, and a buggy one
 * may answer with anything: PAM_USER would then name an account other than
 * the one the token was checked against. Refused rather than followed.
 */
static enum jwt_status lookup_account(const char *user, uid_t *uid, struct jwt_err *err)
{
	struct passwd pw, *res = NULL;
	long bufsize = sysconf(_SC_GETPW_R_SIZE_MAX);
	char *buf;
	enum jwt_status rc;
	int e;

	if (bufsize < 1024)
		bufsize = 16384;
	for (;;) {
		buf = malloc((size_t)bufsize);
		if (buf == NULL)
			return jwt_fail(err, JWT_E_NOMEM, "out of memory");
		e = getpwnam_r(user, &pw, buf, (size_t)bufsize, &res);
		if (e != ERANGE || bufsize > 1024L * 1024)
			break;
		free(buf);
		bufsize *= 2;
	}
	if (res != NULL && strcmp(res->pw_name, user) == 0) {
		*uid = pw.pw_uid;
		rc = JWT_OK;
	} else if (res != NULL)
		rc = jwt_fail(err, JWT_E_USER, "looking up user \"%s\" returned the account \"%.64s\": "
			      "the names must match exactly (a case-insensitive NSS module?)",
			      user, name_is_safe(res->pw_name, strlen(res->pw_name)) ? res->pw_name
										    : "?");
	else if (e == ENOMEM)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory looking up user \"%s\"", user);
	else if (e != 0 && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM)
		rc = jwt_fail(err, JWT_E_SYSTEM, "cannot look up user \"%s\": %s", user, strerror(e));
	else
		rc = jwt_fail(err, JWT_E_USER_UNKNOWN, "user \"%s\" has no local account", user);
	free(buf);
	return rc;
}

/*
 * jwt_user_resolve() without its "user" step; *traced is set when the refusal
 * was reported as a step of its own (the policy, the root guard).
 */
static enum jwt_status resolve(const struct jwt_config *cfg, json_object *claims,
			       const char *expected, const struct jwt_trace *tr, char **user,
			       bool *traced, struct jwt_err *err)
{
	const char *identity;
	size_t len;
	char *local = NULL, *id = NULL;
	uid_t uid = 0;
	enum jwt_status rc;

	*user = NULL;
	if (!json_object_object_get_ex(claims, cfg->user_claim, NULL))
		return jwt_fail(err, JWT_E_USER, "token has no \"%s\" claim", cfg->user_claim);
	identity = jwt_json_string(claims, cfg->user_claim, &len);
	if (identity == NULL)
		return jwt_fail(err, JWT_E_USER, "\"%s\" is not a string", cfg->user_claim);
	if (!name_is_safe(identity, len))
		return jwt_fail(err, JWT_E_USER, "\"%s\" is empty, too long, or holds '/', ':' or "
				"control characters", cfg->user_claim);
	/* user_domain=, user_lowercase: id is the identity the map or policy sees. */
	rc = jwt_authz_identity(cfg, identity, len, &id, &len, err);
	if (rc != JWT_OK)
		return rc;
	if (len == 0) {
		rc = jwt_fail(err, JWT_E_USER, "\"%s\" names no user", cfg->user_claim);
	} else if (cfg->policy_file != NULL) {
		rc = jwt_policy_resolve(cfg, claims, id, len, expected, tr, &local, err);
		*traced = rc != JWT_OK;
	} else if (cfg->user_map != NULL) {
		rc = map_user(cfg, cfg->user_map, id, len, &local, err);
	} else {
		rc = (local = strndup(id, len)) ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	free(id);
	if (rc != JWT_OK)
		return rc;
	if (expected != NULL && strcmp(expected, local) != 0)
		rc = jwt_fail(err, JWT_E_USER, "token is for user \"%s\", not the user logging in",
			      local);
	else
		rc = lookup_account(local, &uid, err);
	if (rc == JWT_OK) {
		rc = jwt_authz_root(cfg, local, uid, tr, err);
		*traced = rc != JWT_OK;
	}
	if (rc == JWT_OK)
		*user = local;
	else
		free(local);
	return rc;
}

enum jwt_status jwt_user_resolve(const struct jwt_config *cfg, json_object *claims,
				 const char *expected, const struct jwt_trace *tr, char **user,
				 struct jwt_err *err)
{
	bool traced = false;
	enum jwt_status rc = resolve(cfg, claims, expected, tr, user, &traced, err);

	/* One step per refusal: the policy and the root guard said it already. */
	if (rc == JWT_OK || !traced)
		jwt_trace_step(tr, "user", rc == JWT_OK, "%s", rc == JWT_OK ? *user : err->reason);
	return rc;
}

bool jwt_user_name_ok(const char *s, size_t len)
{
	return name_is_safe(s, len);
}
