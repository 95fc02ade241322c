/*
 * Sessions bound to their token, the module's side. The authentication leaves
 * a pending record and its id in the PAM environment (pam_set_data would not
 * do: sshd runs keyboard-interactive authentication in a forked child, and
 * imports only the PAM environment from it); the session hook turns it into
 * the session's record, naming the process that opened the session.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "jwt_audit.h"
#include "jwt_proc.h"
#include "jwt_session.h"
#include "jwt_sig.h"
#include "pam_jwt_session.h"

/* pam_set_data's name for the id of the session this handle registered. */
#define SESSION_DATA "pam_jwt_session_id"

static const char *registry(const struct jwt_config *cfg)
{
	return cfg->session_dir != NULL ? cfg->session_dir : JWT_SESSION_DIR;
}

static const char *item(pam_handle_t *pamh, int type)
{
	const void *v = NULL;

	if (pam_get_item(pamh, type, &v) != PAM_SUCCESS || v == NULL || *(const char *)v == '\0')
		return NULL;
	return v;
}

static enum jwt_status dup_item(pam_handle_t *pamh, int type, char **out, struct jwt_err *err)
{
	const char *v = item(pamh, type);

	free(*out);
	*out = NULL;
	if (v == NULL)
		return JWT_OK;
	*out = strndup(v, JWT_SESSION_FIELD_MAX);
	return *out ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
}

static enum jwt_status dup_text(char **out, const char *v, struct jwt_err *err)
{
	free(*out);
	*out = NULL;
	if (v == NULL)
		return JWT_OK;
	*out = strndup(v, JWT_SESSION_FIELD_MAX);
	return *out ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
}

enum jwt_status jwt_pam_pending(pam_handle_t *pamh, const struct jwt_config *cfg,
				json_object *claims, const char *user, const char *token,
				size_t len, struct jwt_err *err)
{
	struct jwt_session s;
	char env[sizeof(JWT_PENDING_ENV) + JWT_SESSION_ID_LEN + 2];
	char fp[JWT_AUDIT_FINGERPRINT_SIZE];
	unsigned long pruned = 0;
	struct jwt_err ignored = { 0 };
	enum jwt_status rc;

	memset(&s, 0, sizeof(s));
	if (claims == NULL || user == NULL)
		return jwt_fail(err, JWT_E_SYSTEM, "session_end= is set and the token's claims "
				"are not at hand");
	rc = jwt_crypto_init(err);
	if (rc == JWT_OK)
		rc = jwt_session_new_id(s.id, err);
	if (rc != JWT_OK)
		goto out;
	s.created = (int64_t)time(NULL);
	jwt_audit_fingerprint_text(token, len, fp);
	memcpy(s.fingerprint, fp, sizeof(s.fingerprint));
	rc = jwt_session_from_claims(&s, cfg, claims, user, err);
	if (rc == JWT_OK)
		rc = dup_item(pamh, PAM_SERVICE, &s.service, err);
	if (rc != JWT_OK)
		goto out;
	s.end = (unsigned)cfg->session_end;
	s.warn = cfg->session_warn;
	/* Authentications that never reached their session. */
	(void)jwt_session_prune_pending(registry(cfg), s.created, JWT_SESSION_PENDING_MAX_AGE,
					&pruned, &ignored);
	rc = jwt_session_write(registry(cfg), true, &s, err);
	if (rc != JWT_OK)
		goto out;
	(void)snprintf(env, sizeof(env), "%s=%s", JWT_PENDING_ENV, s.id);
	if (pam_putenv(pamh, env) != PAM_SUCCESS) {
		(void)jwt_session_remove(registry(cfg), true, s.id, &ignored);
		rc = jwt_fail(err, JWT_E_SYSTEM, "cannot set %s in the PAM environment",
			      JWT_PENDING_ENV);
	}
out:
	if (rc != JWT_OK && err->reason[0] != '\0') {
		char why[sizeof(err->reason)];

		memcpy(why, err->reason, sizeof(why));
		(void)jwt_fail(err, rc, "session_end= is set and the session cannot be bound to "
			       "the token: %.200s", why);
	}
	jwt_session_free(&s);
	return rc;
}

static void free_data(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	(void)status;
	free(data);
}

/* Takes the pending record id for the session: the record itself, filled in and in place. */
static enum jwt_status register_session(pam_handle_t *pamh, const struct jwt_config *cfg,
					const char *id, struct jwt_session *s, struct jwt_err *err)
{
	const char *user = item(pamh, PAM_USER), *ruser = item(pamh, PAM_RUSER);
	int64_t now = (int64_t)time(NULL);
	enum jwt_status rc;

	rc = jwt_session_read(registry(cfg), true, id, s, err);
	if (rc != JWT_OK)
		return rc;
	/* The pending record is taken once, whatever comes of it. */
	(void)jwt_session_remove(registry(cfg), true, id, &(struct jwt_err){ 0 });
	/*
	 * The authenticated user is PAM_USER (sshd, su, login), or PAM_RUSER when
	 * the host switched PAM_USER to the target account before the session
	 * (sudo: the session is root's, the token was the invoking user's).
	 */
	if (s->user == NULL || !((user != NULL && strcmp(user, s->user) == 0) ||
				 (ruser != NULL && strcmp(ruser, s->user) == 0)))
		return jwt_fail(err, JWT_E_USER, "the pending authentication is for another user "
				"than PAM_USER or PAM_RUSER");
	if (s->created > now + 60 || now - s->created > JWT_SESSION_PENDING_MAX_AGE)
		return jwt_fail(err, JWT_E_STORE, "the pending authentication is older than %d s",
				JWT_SESSION_PENDING_MAX_AGE);
	if (s->proc.pid != 0)
		return jwt_fail(err, JWT_E_STORE, "the pending record names a process already");
	rc = jwt_proc_read(getpid(), &s->proc, err);
	if (rc != JWT_OK)
		return rc;
	s->created = now;
	s->end = (unsigned)cfg->session_end;
	s->warn = cfg->session_warn;
	s->warned = false;
	/* What the reaper reads revocations with: the session line's settings. */
	if ((rc = dup_item(pamh, PAM_SERVICE, &s->service, err)) != JWT_OK ||
	    (rc = dup_item(pamh, PAM_RHOST, &s->rhost, err)) != JWT_OK ||
	    (rc = dup_item(pamh, PAM_TTY, &s->tty, err)) != JWT_OK ||
	    (rc = dup_text(&s->logind, pam_getenv(pamh, "XDG_SESSION_ID"), err)) != JWT_OK ||
	    (rc = dup_text(&s->revoked_file, cfg->revoked_file, err)) != JWT_OK)
		return rc;
	s->redis = cfg->replay == JWT_REPLAY_REDIS;
	if ((rc = dup_text(&s->redis_addr, s->redis ? cfg->redis : NULL, err)) != JWT_OK ||
	    (rc = dup_text(&s->redis_password_file, s->redis ? cfg->redis_password_file : NULL,
			   err)) != JWT_OK ||
	    (rc = dup_text(&s->redis_sentinel, s->redis ? cfg->redis_sentinel : NULL, err))
		    != JWT_OK ||
	    (rc = dup_text(&s->redis_master, s->redis ? cfg->redis_master : NULL, err)) != JWT_OK)
		return rc;
	s->redis_timeout_ms = s->redis ? cfg->redis_timeout_ms : 0;
	return jwt_session_write(registry(cfg), false, s, err);
}

int jwt_pam_open_session(pam_handle_t *pamh, const struct jwt_config *cfg)
{
	const char *pending = pam_getenv(pamh, JWT_PENDING_ENV);
	struct jwt_session s;
	struct jwt_err err = { 0 };
	char id[JWT_SESSION_ID_LEN + 1];
	char *data;
	bool id_ok;
	enum jwt_status rc;

	/* No token authentication of this transaction: not a session of ours. */
	if (pending == NULL)
		return PAM_IGNORE;
	id_ok = strlen(pending) == JWT_SESSION_ID_LEN;
	(void)snprintf(id, sizeof(id), "%s", pending);
	/* Never into the user's environment, whatever comes next (pending is freed then). */
	(void)pam_putenv(pamh, JWT_PENDING_ENV);
	pending = NULL;
	if (!id_ok || !jwt_session_id_ok(id)) {
		pam_syslog(pamh, LOG_ERR, "session not registered: %s is not a session id",
			   JWT_PENDING_ENV);
		return cfg->session_end ? PAM_SESSION_ERR : PAM_IGNORE;
	}
	if (cfg->session_end == 0) {
		(void)jwt_session_remove(registry(cfg), true, id, &err);
		return PAM_IGNORE;
	}
	memset(&s, 0, sizeof(s));
	rc = register_session(pamh, cfg, id, &s, &err);
	if (rc != JWT_OK) {
		pam_syslog(pamh, LOG_ERR, "session not registered: %s", err.reason);
		jwt_session_free(&s);
		return rc == JWT_E_NOMEM ? PAM_BUF_ERR : PAM_SESSION_ERR;
	}
	data = strdup(id);
	if (data == NULL || pam_set_data(pamh, SESSION_DATA, data, free_data) != PAM_SUCCESS) {
		free(data);
		/* close_session finds it by its process all the same. */
	}
	pam_syslog(pamh, LOG_INFO, "session registered: id=%s user=%s pid=%ld token=%s exp=%lld "
		   "end=%s%s%s", id, s.user, (long)s.proc.pid, s.fingerprint, (long long)s.exp,
		   (s.end & JWT_SESSION_END_EXP) ? "exp" : "",
		   s.end == (JWT_SESSION_END_EXP | JWT_SESSION_END_REVOKE) ? "," : "",
		   (s.end & JWT_SESSION_END_REVOKE) ? "revoke" : "");
	jwt_session_free(&s);
	return PAM_SUCCESS;
}

/* Records of this process (pid and start time) and user: close_session without the id. */
struct mine {
	const char *dir, *user, *ruser;
	struct jwt_proc self;
	char id[JWT_SESSION_ID_LEN + 1];
};

static bool find_mine(void *ctx, const char *id)
{
	struct mine *m = ctx;
	struct jwt_session s;
	struct jwt_err err = { 0 };
	bool found;

	if (jwt_session_read(m->dir, false, id, &s, &err) != JWT_OK)
		return true;
	found = s.proc.pid == m->self.pid && s.proc.start == m->self.start && s.user != NULL &&
		((m->user != NULL && strcmp(s.user, m->user) == 0) ||
		 (m->ruser != NULL && strcmp(s.user, m->ruser) == 0));
	jwt_session_free(&s);
	if (found)
		memcpy(m->id, id, sizeof(m->id));
	return !found;
}

int jwt_pam_close_session(pam_handle_t *pamh, const struct jwt_config *cfg)
{
	const void *data = NULL;
	struct jwt_err err = { 0 };
	struct mine m = { .dir = registry(cfg), .user = item(pamh, PAM_USER),
			  .ruser = item(pamh, PAM_RUSER) };

	if (cfg->session_end == 0)
		return PAM_IGNORE;
	if (pam_get_data(pamh, SESSION_DATA, &data) == PAM_SUCCESS && data != NULL &&
	    jwt_session_id_ok(data)) {
		memcpy(m.id, data, sizeof(m.id));
	} else {
		if (jwt_proc_read(getpid(), &m.self, &err) != JWT_OK ||
		    jwt_session_list(m.dir, false, find_mine, &m, &err) != JWT_OK || m.id[0] == '\0')
			return PAM_IGNORE;
	}
	if (jwt_session_remove(m.dir, false, m.id, &err) != JWT_OK) {
		pam_syslog(pamh, LOG_ERR, "session not unregistered: %s", err.reason);
		return PAM_SESSION_ERR;
	}
	(void)pam_set_data(pamh, SESSION_DATA, NULL, NULL);
	pam_syslog(pamh, LOG_INFO, "session unregistered: id=%s", m.id);
	return PAM_SUCCESS;
}
