/*
 * The module's side of sessions bound to their token (jwt_session.h): the
 * pending record an authentication leaves for its session, and the session
 * hooks. PAM in here; the registry itself is in the core.
 */
#ifndef PAM_JWT_SESSION_GLUE_H
#define PAM_JWT_SESSION_GLUE_H

#include <stddef.h>
#include <json-c/json.h>
#include <security/pam_modules.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* The PAM environment variable that carries a pending record's id to the session. */
#define JWT_PENDING_ENV "PAM_JWT_PENDING"

/*
 * After a token was accepted for user with session_end= given: writes a
 * pending record of its verified claims (never the token: its fingerprint)
 * and sets PAM_JWT_PENDING=<id> in the PAM environment, which reaches the
 * session hook even from sshd's forked authentication child. JWT_E_STORE,
 * JWT_E_SYSTEM or JWT_E_CLAIMS with the reason when it cannot: the login is
 * then refused.
 */
enum jwt_status jwt_pam_pending(pam_handle_t *pamh, const struct jwt_config *cfg,
				json_object *claims, const char *user, const char *token,
				size_t len, struct jwt_err *err);

/* pam_sm_open_session and pam_sm_close_session, once the arguments are parsed. */
int jwt_pam_open_session(pam_handle_t *pamh, const struct jwt_config *cfg);
int jwt_pam_close_session(pam_handle_t *pamh, const struct jwt_config *cfg);

#endif
