/*
 * pam_jwt: the PAM entry points. The password is a JWS compact token; the
 * token core (jwt_*.c) verifies it, this file turns the result into a PAM code
 * and a syslog line.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "jwt_audit.h"
#include "jwt_config.h"
#include "jwt_mem.h"
#include "jwt_parts.h"
#include "jwt_pop.h"
#include "jwt_sig.h"
#include "jwt_token.h"
#include "jwt_verify.h"
#include "pam_jwt_session.h"

/* What one authentication reports: debug steps, and what the audit line says of the token. */
struct report {
	pam_handle_t *pamh;
	const struct jwt_config *cfg;
	json_object *header, *claims;	/* from jwt_verify(), as far as it decoded; put them */
	bool verified;
	bool jws;			/* the input has a JWS's header: it may be fingerprinted */
	bool other_input;		/* known to have none: a password, left in PAM_AUTHTOK */
	const char *first;		/* the first answer (the token, or its part 1) */
};

/*
 * The one reason for input without a JWS's header, whatever its shape: a
 * password typed at the token prompt (token-or-password) must leave nothing
 * derived from it in the log, not even how many dots it has.
 */
static const char not_jws[] =
	"not a JWS compact token (three base64url segments, the first a JSON object)";

static void log_step(void *ctx, const char *check, bool ok, const char *detail)
{
	pam_syslog(((struct report *)ctx)->pamh, LOG_DEBUG, "%s: %s: %s", check,
		   ok ? "ok" : "failed", detail);
}

static void keep_decoded(void *ctx, const struct jwt_token *t, bool verified)
{
	struct report *r = ctx;

	json_object_put(r->header);
	json_object_put(r->claims);
	r->header = json_object_get(t->header);
	r->claims = json_object_get(t->claims);
	r->verified = verified;
}

static const char *pam_string(pam_handle_t *pamh, int item_type)
{
	const void *item = NULL;

	if (pam_get_item(pamh, item_type, &item) != PAM_SUCCESS)
		return NULL;
	return item;
}

/*
 * One line per decision, for an audit: fields a log pipeline can split. First
 * what the sender of the token cannot choose the size of: service, the local
 * user, the client (rhost, tty) and, for input with a JWS's header, a
 * fingerprint that matches lines about the same token; then what the token
 * says, as much as fits (src/jwt_audit.c escapes, bounds and marks the cut).
 * A refusal ends with its reason. Never the token, and nothing derived from
 * other input.
 */
static void log_decision(struct report *r, int priority, const char *user,
			 const char *token, size_t len, const char *reason)
{
	struct jwt_audit a = { .len = 0 };
	struct jwt_err err = { 0 };

	jwt_audit_add_str(&a, "service", pam_string(r->pamh, PAM_SERVICE));
	jwt_audit_add_str(&a, "user", user);
	jwt_audit_add_str(&a, "rhost", pam_string(r->pamh, PAM_RHOST));
	jwt_audit_add_str(&a, "tty", pam_string(r->pamh, PAM_TTY));
	if (r->jws && token != NULL && len > 0 && jwt_crypto_init(&err) == JWT_OK) {
		jwt_audit_fingerprint(&a, token, len);
		/* What cnf says is a fact only of a token whose signature verified. */
		if (r->verified)
			jwt_audit_binding(&a, r->claims);
	}
	jwt_audit_token(&a, r->header, r->claims, r->verified, r->cfg->user_claim);
	if (reason == NULL)
		pam_syslog(r->pamh, priority, "token accepted for user %s:%s", user, a.text);
	else
		pam_syslog(r->pamh, priority, "token refused:%s reason: %s", a.text, reason);
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
	case JWT_E_PROOF:
		break;
	}
	return PAM_AUTH_ERR;
}

/*
 * sudo (1.9, plugins/sudoers/auth/pam.c, converse()) fails the conversation
 * for an answer of 512 bytes or more, which pam_get_authtok() turns into
 * PAM_AUTHTOK_ERR, and then says only "Authentication token manipulation
 * error": a longer token never reaches the module, which can say why.
 */
static bool cut_by_sudo(int ret)
{
	return (ret == PAM_AUTHTOK_ERR || ret == PAM_CONV_ERR) &&
	       strcmp(program_invocation_short_name, "sudo") == 0;
}

/*
 * A conversation that failed or gave no answer ends the attempt (PAM_CONV_AGAIN:
 * resumable). A user who gave up or retries (sudo and su ask again) is worth a
 * line, never an error. Under sudo a failed conversation is most likely a
 * token over its limit: the line says so, and so does a message to the user
 * (sudo passes PAM_SILENT on every authentication, yet shows error messages;
 * without this one nothing tells the user why).
 */
static int conv_end(struct report *r, const char *pam_user, int ret, const char *what)
{
	char reason[384];
	bool sudo = cut_by_sudo(ret);

	(void)snprintf(reason, sizeof(reason), "no %s: %s%s", what,
		       ret == PAM_SUCCESS ? "the application gave no answer"
		       : ret == PAM_BUF_ERR ? "out of memory" : pam_strerror(r->pamh, ret),
		       sudo ? ": sudo refuses an answer of 512 bytes or more, so a token over 511 "
			      "bytes never reaches the module; use sudo -A with pam-jwt-askpass, or "
			      "give the token in parts (pam-jwt split)" : "");
	log_decision(r, ret == PAM_BUF_ERR ? LOG_ERR : LOG_NOTICE, pam_user, NULL, 0, reason);
	if (sudo)
		(void)pam_error(r->pamh, "pam_jwt: no token was read: sudo takes an answer of at "
				"most 511 bytes. For a longer token use sudo -A with "
				"pam-jwt-askpass, or paste it in parts (pam-jwt split).");
	if (ret == PAM_CONV_AGAIN)
		return PAM_INCOMPLETE;
	return ret == PAM_SUCCESS || ret == PAM_IGNORE ? PAM_AUTH_ERR : ret;
}

/*
 * The first answer is a part ("k/M:"): asks for the others, one prompt each
 * (base: the prompt the part prompts are made from), in the same
 * conversation, and joins them into parts->buf. A refused part gives
 * PAM_AUTH_ERR with the reason in err; a conversation that ends gives its own
 * code, leaves err empty and *ended set, and is for the caller to log.
 */
static int read_parts(pam_handle_t *pamh, const char *base, const char *first,
		      struct jwt_parts *parts, bool *ended, struct jwt_err *err)
{
	char prompt[JWT_PROMPT_MAX + 64];
	enum jwt_status rc = jwt_parts_add(parts, first, err);

	*ended = false;
	while (rc == JWT_OK && !jwt_parts_complete(parts)) {
		char *resp = NULL;
		int ret;

		if (!jwt_parts_prompt(base, parts->got + 1, parts->total, prompt, sizeof(prompt)))
			return PAM_SERVICE_ERR; /* prompt= is bounded: not reached */
		ret = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", prompt);
		if (ret != PAM_SUCCESS || resp == NULL) {
			if (resp != NULL)
				jwt_wipe_free(resp, strlen(resp));
			*ended = true;
			return ret;
		}
		rc = jwt_parts_add(parts, resp, err);
		jwt_wipe_free(resp, strlen(resp));
	}
	return pam_code(rc);
}

/* The base of the prompts for a proof's parts: "DPoP proof (part k of M): ". */
static const char proof_parts_prompt[] = "DPoP proof: ";

/*
 * The proof source of a bound token (jwt_pop.h): the challenge's prompt, then
 * the proof's parts if it comes in parts. The same text as the token's first
 * answer is ssh's password method, which repeats one answer to every prompt.
 */
static enum jwt_status ask_proof(void *ctx, const struct jwt_pop_challenge *ch, char **proof,
				 size_t *len, struct jwt_err *err)
{
	struct report *r = ctx;
	struct jwt_parts parts = { 0 };
	char *resp = NULL;
	bool ended = false;
	int ret;

	ret = pam_prompt(r->pamh, PAM_PROMPT_ECHO_OFF, &resp, "DPoP proof for %s (nonce %s): ",
			 ch->htu, ch->nonce);
	if (ret != PAM_SUCCESS || resp == NULL || *resp == '\0') {
		if (resp != NULL)
			jwt_wipe_free(resp, strlen(resp));
		return jwt_fail(err, JWT_E_PROOF, "no DPoP proof was given (%s)",
				ret != PAM_SUCCESS ? pam_strerror(r->pamh, ret) : "empty answer");
	}
	*len = strlen(resp);
	if (r->first != NULL && jwt_str_equal(resp, *len, r->first, strlen(r->first))) {
		jwt_wipe_free(resp, *len);
		return jwt_fail(err, JWT_E_PROOF, "the DPoP proof prompt was answered with the "
				"token: ssh's password method answers every prompt with the same "
				"text; a bound token needs keyboard-interactive");
	}
	if (!jwt_part_like(resp)) {
		*proof = resp;
		return JWT_OK;
	}
	ret = read_parts(r->pamh, proof_parts_prompt, resp, &parts, &ended, err);
	jwt_wipe_free(resp, *len);
	if (ret == PAM_SUCCESS && (*proof = strndup(parts.buf, parts.len)) == NULL)
		ret = PAM_BUF_ERR;
	*len = parts.len;
	jwt_parts_free(&parts);
	if (ended)
		return jwt_fail(err, JWT_E_PROOF, "no answer for the next DPoP proof part (%s)",
				ret != PAM_SUCCESS ? pam_strerror(r->pamh, ret) : "none given");
	if (ret == PAM_SUCCESS)
		return JWT_OK;
	if (ret == PAM_BUF_ERR)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	return jwt_fail_keep(err, JWT_E_PROOF);
}

/*
 * Verifies the answer, a whole token or the joined parts (joined), and logs
 * the decision. Input without a JWS's header is refused with one reason and
 * nothing derived from it; r->other_input then says so.
 */
static int decide(struct report *r, const char *pam_user, const char *token, bool joined)
{
	struct jwt_trace trace = { .ctx = r, .decoded = keep_decoded };
	struct jwt_pop_challenge challenge;
	struct jwt_pop_source pop = { .challenge = &challenge, .ask = ask_proof, .ctx = r };
	struct jwt_err err = { 0 };
	size_t len = strnlen(token, JWT_TOKEN_MAX + 1);
	char *user = NULL;
	enum jwt_status rc;
	int ret;

	if (r->cfg->debug)
		trace.step = log_step;
	rc = jwt_token_is_jws_shaped(token, len, &r->jws, &err);
	if (rc == JWT_OK && !r->jws) {
		r->other_input = true;
		rc = jwt_fail(&err, JWT_E_MALFORMED, "%s", not_jws);
		jwt_trace_step(&trace, "format", false, "%s", not_jws);
	} else if (rc == JWT_OK) {
		rc = jwt_pop_challenge_new(r->cfg, &challenge, &err);
		if (rc == JWT_OK)
			rc = jwt_verify(r->cfg, token, len, (int64_t)time(NULL), pam_user, &trace,
					&pop, &user, &err);
		jwt_pop_challenge_clear(&challenge);
	}
	if (rc == JWT_OK && pam_user == NULL &&
	    pam_set_item(r->pamh, PAM_USER, user) != PAM_SUCCESS) {
		rc = jwt_fail(&err, JWT_E_SYSTEM, "cannot set PAM_USER");
	}
	/* session_end=: the session this authentication opens is bound to the token. */
	if (rc == JWT_OK && r->cfg->session_end != 0)
		rc = jwt_pam_pending(r->pamh, r->cfg, r->claims, user, token, len, &err);
	ret = pam_code(rc);
	if (rc == JWT_OK)
		log_decision(r, LOG_INFO, user, token, len, NULL);
	else
		log_decision(r, ret == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR, pam_user, token, len,
			     err.reason);
	if ((rc == JWT_E_MALFORMED || rc == JWT_E_SIGNATURE) && r->jws && !joined &&
	    at_known_cut(len))
		pam_syslog(r->pamh, LOG_NOTICE,
			   "the token is %zu bytes, where a common password buffer ends: "
			   "probably cut off by the application; use a shorter token, or give it "
			   "in parts (pam-jwt askpass, pam-jwt split)", len);
	free(user);
	return ret;
}

/*
 * The arguments of any hook's line (one parser for all: the session line
 * takes the auth line's arguments). PAM_SERVICE_ERR, logged, when they do
 * not parse.
 */
static int parse_args(pam_handle_t *pamh, struct jwt_config *cfg, int argc, const char **argv)
{
	struct jwt_err err = { 0 };

	if (jwt_config_parse(cfg, argc, argv, &err) != JWT_OK) {
		pam_syslog(pamh, LOG_ERR, "configuration error: %s", err.reason);
		return PAM_SERVICE_ERR;
	}
	return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	struct report report = { .pamh = pamh, .cfg = &cfg };
	struct jwt_parts parts = { 0 };
	const void *item = NULL;
	const char *token = NULL, *pam_user;
	bool part, keep, ended;
	int ret;

	(void)flags;
	ret = parse_args(pamh, &cfg, argc, argv);
	if (ret != PAM_SUCCESS)
		return ret;
	/* The user comes from the token when the application has not set one. */
	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS)
		item = NULL;
	pam_user = item;
	if (pam_user != NULL && *pam_user == '\0')
		pam_user = NULL;
	/* %s in issuer= and audience=: the core knows no PAM, so it is told. */
	if (pam_get_item(pamh, PAM_SERVICE, &item) == PAM_SUCCESS)
		cfg.service = item;

	/* The answer: PAM_AUTHTOK if an earlier module set it, else the prompt's, which goes there. */
	ret = pam_get_authtok(pamh, PAM_AUTHTOK, &token, cfg.prompt);
	if (ret != PAM_SUCCESS || token == NULL)
		return conv_end(&report, pam_user, ret, "token");
	if (*token == '\0') {
		log_decision(&report, LOG_NOTICE, pam_user, NULL, 0, "empty token");
		return PAM_AUTH_ERR;
	}
	report.first = token;
	part = jwt_part_like(token);
	if (!part) {
		ret = decide(&report, pam_user, token, false);
	} else {
		ret = read_parts(pamh, cfg.prompt, token, &parts, &ended, &err);
		if (ended) {
			ret = conv_end(&report, pam_user, ret, "answer for the next token part");
		} else if (ret == PAM_SUCCESS) {
			if (cfg.debug)
				pam_syslog(pamh, LOG_DEBUG, "token joined from %u parts: %zu bytes",
					   parts.total, parts.len);
			ret = decide(&report, pam_user, parts.buf, true);
		} else if (err.reason[0] != '\0') {
			log_decision(&report, ret == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR, pam_user,
				     NULL, 0, err.reason);
		}
		jwt_parts_free(&parts);
	}
	/*
	 * A token (or a part) is not left for the modules after this one: a
	 * bearer token handed to pam_exec expose_authtok or pam_unix is a leak.
	 * Other input stays: with token-or-password it is the Unix password that
	 * pam_unix try_first_pass takes. token points into the item: last use.
	 */
	keep = report.other_input && !part;
	if (!keep && pam_set_item(pamh, PAM_AUTHTOK, NULL) != PAM_SUCCESS)
		pam_syslog(pamh, LOG_ERR, "cannot take the token out of PAM_AUTHTOK");
	json_object_put(report.header);
	json_object_put(report.claims);
	return ret;
}

/* The session hooks read the same arguments as the auth line (one parse for all). */
PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct jwt_config cfg;
	int ret;

	(void)flags;
	ret = parse_args(pamh, &cfg, argc, argv);
	if (ret != PAM_SUCCESS)
		return ret;
	return jwt_pam_open_session(pamh, &cfg);
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct jwt_config cfg;
	int ret;

	(void)flags;
	ret = parse_args(pamh, &cfg, argc, argv);
	if (ret != PAM_SUCCESS)
		return ret;
	return jwt_pam_close_session(pamh, &cfg);
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
