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
#include "jwt_file.h"
#include "jwt_parts.h"
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
		break;
	}
	return PAM_AUTH_ERR;
}

/* A conversation that failed or gave no answer ends the attempt (PAM_CONV_AGAIN: resumable). */
static int conv_end(pam_handle_t *pamh, int ret, const char *what)
{
	pam_syslog(pamh, LOG_NOTICE, "no %s: %s", what,
		   ret == PAM_SUCCESS ? "the application gave no answer" : pam_strerror(pamh, ret));
	if (ret == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	return ret == PAM_SUCCESS || ret == PAM_IGNORE ? PAM_AUTH_ERR : ret;
}

/*
 * The first answer is a part ("k/M:"): asks for the others, one prompt each,
 * in the same conversation, and joins them into parts->buf. A refused part
 * gives PAM_AUTH_ERR with the reason in err; a conversation that ends gives
 * its own code, logged here, and leaves err empty.
 */
static int read_parts(pam_handle_t *pamh, const struct jwt_config *cfg, const char *first,
		      struct jwt_parts *parts, struct jwt_err *err)
{
	char prompt[JWT_PROMPT_MAX + 64];
	enum jwt_status rc = jwt_parts_add(parts, first, err);

	while (rc == JWT_OK && !jwt_parts_complete(parts)) {
		char *resp = NULL;
		int ret;

		if (!jwt_parts_prompt(cfg->prompt, parts->got + 1, parts->total, prompt,
				      sizeof(prompt)))
			return PAM_SERVICE_ERR; /* prompt= is bounded: not reached */
		ret = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", prompt);
		if (ret != PAM_SUCCESS || resp == NULL) {
			if (resp != NULL)
				jwt_wipe_free(resp, strlen(resp));
			return conv_end(pamh, ret, "answer for the next token part");
		}
		rc = jwt_parts_add(parts, resp, err);
		jwt_wipe_free(resp, strlen(resp));
	}
	return pam_code(rc);
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	struct jwt_trace trace = { log_step, pamh };
	struct jwt_parts parts = { 0 };
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

	ret = pam_get_authtok(pamh, PAM_AUTHTOK, &token, cfg.prompt);
	if (ret != PAM_SUCCESS || token == NULL)
		return conv_end(pamh, ret, "token");
	if (*token == '\0') {
		pam_syslog(pamh, LOG_NOTICE, "empty token");
		return PAM_AUTH_ERR;
	}
	if (jwt_part_like(token)) {
		ret = read_parts(pamh, &cfg, token, &parts, &err);
		if (ret == PAM_SUCCESS && pam_set_item(pamh, PAM_AUTHTOK, parts.buf) != PAM_SUCCESS)
			ret = PAM_SYSTEM_ERR;
		if (ret != PAM_SUCCESS) {
			if (err.reason[0] != '\0')
				pam_syslog(pamh, ret == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR,
					   "token refused: %s", err.reason);
			jwt_parts_free(&parts);
			return ret;
		}
		if (cfg.debug)
			pam_syslog(pamh, LOG_DEBUG, "token joined from %u parts: %zu bytes", parts.total,
				   parts.len);
		token = parts.buf;
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
	if ((rc == JWT_E_MALFORMED || rc == JWT_E_SIGNATURE) && parts.got == 0 && at_known_cut(len))
		pam_syslog(pamh, LOG_NOTICE,
			   "the token is %zu bytes, where a common password buffer ends: "
			   "probably cut off by the application; use a shorter token, or give it "
			   "in parts (pam-jwt askpass, pam-jwt split)", len);
	free(user);
	jwt_parts_free(&parts);
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
