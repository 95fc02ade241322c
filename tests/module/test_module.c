/*
 * pam_jwt.so loaded by libpam itself (pam_start_confdir on a service file in
 * a scratch directory), for what pamtester cannot show: the exact PAM codes,
 * PAM_USER set from the token, and conversations that misbehave.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_module.XXXXXX";
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

static char *token_for(const char *sub, long ttl)
{
	char payload[256];

	snprintf(payload, sizeof(payload), "{\"sub\":\"%s\",\"exp\":%lld}", sub,
		 (long long)time(NULL) + ttl);
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
}

int main(void)
{
	char arg[300], *user = NULL;
	char *good, *expired, *unknown;
	int rc;

	if (!pamtest_start(dir))
		return 0;
	snprintf(arg, sizeof(arg), "%s/key", dir);
	write_file(arg, key, 32, 0600);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root", dir);
	service("jwt", arg);
	good = token_for("root", 60);
	expired = token_for("root", -3600);
	unknown = token_for("no-such-user-pam-jwt", 60);

	ok(authenticate("jwt", "root", CONV_TOKEN, good, NULL) == PAM_SUCCESS,
	   "valid token for the PAM user: PAM_SUCCESS");
	ok(authenticate("jwt", "root", CONV_TOKEN, expired, NULL) == PAM_AUTH_ERR,
	   "expired token: PAM_AUTH_ERR");
	ok(authenticate("jwt", "daemon", CONV_TOKEN, good, NULL) == PAM_AUTH_ERR,
	   "token for another user: PAM_AUTH_ERR");
	ok(authenticate("jwt", "no-such-user-pam-jwt", CONV_TOKEN, unknown, NULL) == PAM_USER_UNKNOWN,
	   "token for a user without an account: PAM_USER_UNKNOWN");
	ok(authenticate("jwt", "root", CONV_TOKEN, "not a token", NULL) == PAM_AUTH_ERR,
	   "a password that is not a token: PAM_AUTH_ERR");
	ok(authenticate("jwt", "root", CONV_TOKEN, "", NULL) == PAM_AUTH_ERR,
	   "empty password: PAM_AUTH_ERR");

	rc = authenticate("jwt", NULL, CONV_TOKEN, good, &user);
	ok(rc == PAM_SUCCESS && user != NULL && strcmp(user, "root") == 0,
	   "no PAM user: the token's user becomes PAM_USER");
	free(user);
	rc = authenticate("jwt", NULL, CONV_TOKEN, unknown, &user);
	ok(rc == PAM_USER_UNKNOWN && user == NULL,
	   "no PAM user, unknown token user: PAM_USER_UNKNOWN and PAM_USER stays unset");
	free(user);
	{
		char payload[128], *esc;

		snprintf(payload, sizeof(payload), "{\"sub\":\"ro\\u001bot\",\"exp\":%lld}",
			 (long long)time(NULL) + 60);
		esc = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
		rc = authenticate("jwt", NULL, CONV_TOKEN, esc, &user);
		ok(rc == PAM_AUTH_ERR && user == NULL,
		   "no PAM user, a sub holding ESC: PAM_AUTH_ERR from the name check (%d)", rc);
		free(user);
		user = NULL;
		free(esc);
	}
	rc = authenticate("jwt", NULL, CONV_TOKEN, expired, &user);
	ok(rc == PAM_AUTH_ERR && user == NULL, "no PAM user, expired token: PAM_USER stays unset");
	free(user);

	rc = authenticate("jwt", "root", CONV_NULL_REPLY, NULL, NULL);
	ok(rc != PAM_SUCCESS && rc != PAM_IGNORE, "conversation answering with no reply: refused (%d)", rc);
	rc = authenticate("jwt", "root", CONV_NULL_RESP, NULL, NULL);
	ok(rc != PAM_SUCCESS && rc != PAM_IGNORE, "conversation answering NULL: refused (%d)", rc);
	rc = authenticate("jwt", "root", CONV_ERROR, NULL, NULL);
	ok(rc != PAM_SUCCESS && rc != PAM_IGNORE, "conversation failing: refused (%d)", rc);

	snprintf(arg, sizeof(arg), "secret_file=%s/missing", dir);
	service("missing", arg);
	ok(authenticate("missing", "root", CONV_TOKEN, good, NULL) == PAM_AUTHINFO_UNAVAIL,
	   "missing key file: PAM_AUTHINFO_UNAVAIL");
	snprintf(arg, sizeof(arg), "secret_file=%s/key isuer=x", dir);
	service("typo", arg);
	ok(authenticate("typo", "root", CONV_TOKEN, good, NULL) == PAM_SERVICE_ERR,
	   "unknown argument: PAM_SERVICE_ERR");

	{
		struct conv_data cd = { CONV_TOKEN, good };
		struct pam_conv pc = { conv, &cd };
		pam_handle_t *pamh;

		pam_start_confdir("jwt", "root", &pc, dir, &pamh);
		ok(pam_setcred(pamh, PAM_ESTABLISH_CRED) == PAM_SUCCESS, "pam_sm_setcred: PAM_SUCCESS");
		pam_end(pamh, PAM_SUCCESS);
	}
	free(good);
	free(expired);
	free(unknown);
	return tap_done();
}
