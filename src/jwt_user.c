#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jwt_authz.h"
#include "jwt_file.h"
#include "jwt_identity.h"
#include "jwt_json.h"
#include "jwt_policy.h"
#include "jwt_user.h"

/* What a reading of user_map= looks for: the line of identity (local NULL: none). */
struct map_lookup {
	const struct jwt_config *cfg;
	const char *identity;
	size_t id_len;
	char **local;
};

/* One line of user_map=: "claim-value local-user", blank, or a # comment. */
static enum jwt_status map_line(void *ctx, const struct jwt_line *line, bool *stop,
				struct jwt_err *err)
{
	const struct map_lookup *m = ctx;
	const char *p = line->text, *end = p + line->len, *from, *to, *extra;
	size_t from_len, to_len, extra_len;

	if (!jwt_line_field(&p, end, &from, &from_len) || from[0] == '#')
		return JWT_OK;
	if (!jwt_line_field(&p, end, &to, &to_len) || jwt_line_field(&p, end, &extra, &extra_len))
		return jwt_line_fail(err, line, "is not \"claim-value local-user\"");
	if (m->local == NULL || !jwt_identity_eq(m->cfg, from, from_len, m->identity, m->id_len))
		return JWT_OK;
	if (!jwt_user_name_ok(to, to_len))
		return jwt_line_fail(err, line, "maps to an invalid user name");
	*m->local = strndup(to, to_len);
	if (*m->local == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	*stop = true;
	return JWT_OK;
}

/* After the reading: an identity that no line maps is refused. */
static enum jwt_status map_found(const struct map_lookup *m, const char *what, enum jwt_status rc,
				 struct jwt_err *err)
{
	if (rc == JWT_OK && m->local != NULL && *m->local == NULL)
		return jwt_fail(err, JWT_E_USER, "the token's identity has no entry in %s", what);
	return rc;
}

enum jwt_status jwt_user_map_find(const struct jwt_config *cfg, const char *what,
				  const char *text, size_t size, const char *identity,
				  size_t id_len, char **local, struct jwt_err *err)
{
	struct map_lookup m = { cfg, identity, id_len, local };

	if (local != NULL)
		*local = NULL;
	return map_found(&m, what, jwt_text_lines(what, text, size, map_line, &m, err), err);
}

/* Reads the user_map file with the module's file rules and looks identity up in it. */
static enum jwt_status map_user(const struct jwt_config *cfg, const char *path,
				const char *identity, size_t id_len, char **local,
				struct jwt_err *err)
{
	struct map_lookup m = { cfg, identity, id_len, local };

	if (local != NULL)
		*local = NULL;
	return map_found(&m, path, jwt_file_lines(path, JWT_FILE_PROTECTED, JWT_USER_MAP_MAX,
						  map_line, &m, err), err);
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
			      user, jwt_user_name_ok(res->pw_name, strlen(res->pw_name)) ? res->pw_name
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
	if (!jwt_user_name_ok(identity, len))
		return jwt_fail(err, JWT_E_USER, "\"%s\" is empty, too long, or holds '/', ':' or "
				"control characters", cfg->user_claim);
	/* user_domain=, user_lowercase: id is the identity the map or policy sees. */
	rc = jwt_identity_transform(cfg, identity, len, &id, &len, err);
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
