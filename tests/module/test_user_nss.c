/*
 * The account name NSS returns must be the one asked for. tests/lib/faultshim.c
 * (preloaded) makes getpwnam_r answer for another user, as a case-insensitive
 * NSS module (sssd, winbind) or a buggy one does: the module must refuse
 * rather than log in with PAM_USER naming an account other than the entry's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "../lib/faultshim.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_user_nss.XXXXXX";
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

static char *token_for(const char *sub)
{
	char payload[256];

	snprintf(payload, sizeof(payload), "{\"sub\":\"%s\",\"exp\":%lld}", sub,
		 (long long)time(NULL) + 60);
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
}

int main(int argc, char **argv)
{
	struct faultshim fs;
	char arg[300], *user = NULL;
	char *root, *upper;
	int rc;

	(void)argc;
	if (!faultshim_load(argv, &fs) || !pamtest_start(dir))
		return 0;
	snprintf(arg, sizeof(arg), "%s/key", dir);
	write_file(arg, key, 32, 0600);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root", dir);
	service("jwt", arg);
	root = token_for("root");
	upper = token_for("ROOT");

	ok(authenticate("jwt", "root", CONV_TOKEN, root, NULL) == PAM_SUCCESS,
	   "control: NSS answers for root with root: accepted");
	fs.swap_user("root", "daemon");
	ok(authenticate("jwt", "root", CONV_TOKEN, root, NULL) == PAM_AUTH_ERR,
	   "NSS answers for root with daemon's entry: refused (PAM_AUTH_ERR)");
	rc = authenticate("jwt", NULL, CONV_TOKEN, root, &user);
	ok(rc == PAM_AUTH_ERR && user == NULL,
	   "the same with the user taken from the token: refused, PAM_USER stays unset");
	free(user);
	user = NULL;
	fs.swap_user("ROOT", "root");
	ok(authenticate("jwt", "ROOT", CONV_TOKEN, upper, NULL) == PAM_AUTH_ERR,
	   "a case-insensitive NSS answering ROOT with root's entry: refused");
	rc = authenticate("jwt", NULL, CONV_TOKEN, upper, &user);
	ok(rc == PAM_AUTH_ERR && user == NULL,
	   "the same with the user taken from the token: refused, PAM_USER stays unset");
	free(user);
	fs.swap_user(NULL, NULL);
	ok(authenticate("jwt", "root", CONV_TOKEN, root, NULL) == PAM_SUCCESS,
	   "control: NSS back to normal: accepted");
	ok(authenticate("jwt", "ROOT", CONV_TOKEN, upper, NULL) == PAM_USER_UNKNOWN,
	   "control: ROOT without a case-insensitive NSS has no account");
	free(root);
	free(upper);
	return tap_done();
}
