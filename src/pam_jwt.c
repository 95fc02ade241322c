/*
 * pam_jwt: the PAM entry points. The password is a JWS compact token; the
 * token core (jwt_*.c) verifies it, this file turns the result into a PAM code
 * and a syslog line.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "jwt_config.h"
#include "jwt_token.h"
#include "jwt_verify.h"

static void log_step(void *ctx, const char *check, bool ok, const char *detail)
{
	pam_syslog((pam_handle_t *)ctx, LOG_DEBUG, "%s: %s: %s", check, ok ? "ok" : "failed",
		   detail);
}

/*
 * Password buffers that cut longer input silently: OpenSSH's ssh client
 * (password, keyboard-interactive and askpass prompts: 1023 bytes) and
 * libpam_misc's misc_conv and the terminal line (su, login, pamtester: 4095).
 * A token of exactly that length that does not verify was most likely cut.
 */
static bool at_known_cut(size_t len)
{
	static const size_t cuts[] = { 1023, 4095 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (len == cuts[i])
			return true;
	return false;
}

static int pam_code(enum jwt_status status)
{
	switch (status) {
	case JWT_OK:
		return PAM_SUCCESS;
	case JWT_E_USER_UNKNOWN:
		return PAM_USER_UNKNOWN;
	case JWT_E_KEY:
	case JWT_E_STORE:
		return PAM_AUTHINFO_UNAVAIL;
	case JWT_E_CONFIG:
		return PAM_SERVICE_ERR;
	case JWT_E_NOMEM:
		return PAM_BUF_ERR;
	case JWT_E_SYSTEM:
		return PAM_SYSTEM_ERR;
	case JWT_E_MALFORMED:
	case JWT_E_ALG:
	case JWT_E_SIGNATURE:
	case JWT_E_CLAIMS:
	case JWT_E_USER:
	case JWT_E_REPLAY:
	case JWT_E_REVOKED:
		break;
	}
	return PAM_AUTH_ERR;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	struct jwt_trace trace = { log_step, pamh };
	const void *item = NULL;
	const char *token = NULL, *pam_user;
	char *user = NULL;
	enum jwt_status rc;
	size_t len;
	int ret;

	(void)flags;
	if (jwt_config_parse(&cfg, argc, argv, &err) != JWT_OK) {
		pam_syslog(pamh, LOG_ERR, "configuration error: %s", err.reason);
		return PAM_SERVICE_ERR;
	}
	/* The user comes from the token when the application has not set one. */
	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS)
		item = NULL;
	pam_user = item;
	if (pam_user != NULL && *pam_user == '\0')
		pam_user = NULL;

	ret = pam_get_authtok(pamh, PAM_AUTHTOK, &token, NULL);
	if (ret != PAM_SUCCESS || token == NULL) {
		pam_syslog(pamh, LOG_NOTICE, "no token: %s", pam_strerror(pamh, ret));
		if (ret == PAM_CONV_AGAIN)
			return PAM_INCOMPLETE;
		return ret == PAM_SUCCESS || ret == PAM_IGNORE ? PAM_AUTH_ERR : ret;
	}
	if (*token == '\0') {
		pam_syslog(pamh, LOG_NOTICE, "empty token");
		return PAM_AUTH_ERR;
	}

	len = strnlen(token, JWT_TOKEN_MAX + 1);
	rc = jwt_verify(&cfg, token, len, (int64_t)time(NULL), pam_user, cfg.debug ? &trace : NULL,
			&user, &err);
	if (rc == JWT_OK && pam_user == NULL && pam_set_item(pamh, PAM_USER, user) != PAM_SUCCESS) {
		rc = jwt_fail(&err, JWT_E_SYSTEM, "cannot set PAM_USER");
	}
	ret = pam_code(rc);
	if (rc == JWT_OK)
		pam_syslog(pamh, LOG_INFO, "token accepted for user %s", user);
	else
		pam_syslog(pamh, ret == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR, "token refused: %s",
			   err.reason);
	if ((rc == JWT_E_MALFORMED || rc == JWT_E_SIGNATURE) && at_known_cut(len))
		pam_syslog(pamh, LOG_NOTICE,
			   "the token is %zu bytes, where a common password buffer ends: "
			   "probably cut off by the application; use a shorter token", len);
	free(user);
	return ret;
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
