/*
 * replay=local through pam_jwt.so loaded by libpam (pam_start_confdir): the
 * PAM codes of a replay, a token without jti and an unsafe store, and 32
 * processes presenting the same token at once, as sshd children would.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_replay_pam.XXXXXX";
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

static char *token_jti(const char *jti)
{
	char payload[256];

	if (jti != NULL)
		snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"jti\":\"%s\",\"exp\":%lld}",
			 jti, (long long)time(NULL) + 60);
	else
		snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}",
			 (long long)time(NULL) + 60);
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
}

/* One process's login as root with the token arg: 0 accepted, 1 refused. */
static int login_once(void *arg)
{
	int rc = authenticate("jwt", "root", CONV_TOKEN, arg, NULL);

	return rc == PAM_SUCCESS ? 0 : rc == PAM_AUTH_ERR ? 1 : 2;
}

int main(void)
{
	char arg[600], store[300], *tok;
	int rounds = 10, exact = 0, got[10];

	if (!pamtest_start(dir))
		return 0;
	snprintf(arg, sizeof(arg), "%s/key", dir);
	write_file(arg, key, 32, 0600);
	snprintf(store, sizeof(store), "%s/replay", dir);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root replay=local replay_dir=%s", dir, store);
	service("jwt", arg);
	snprintf(arg, sizeof(arg), "secret_file=%s/key replay=sometimes", dir);
	service("badarg", arg);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root replay_dir=%s", dir, store);
	service("dironly", arg);

	tok = token_jti("one");
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_SUCCESS,
	   "replay=local: first use of a token: PAM_SUCCESS");
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_AUTH_ERR,
	   "the same token again: PAM_AUTH_ERR");
	free(tok);
	tok = token_jti(NULL);
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_AUTH_ERR,
	   "a token without jti: PAM_AUTH_ERR");
	free(tok);
	tok = token_jti("two");
	chmod(store, 0777);
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_AUTHINFO_UNAVAIL,
	   "a world-writable store: PAM_AUTHINFO_UNAVAIL");
	chmod(store, 0700);
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_SUCCESS,
	   "control: the same token once the store is safe (not used up by the refusal)");
	ok(authenticate("badarg", "root", CONV_TOKEN, tok, NULL) == PAM_SERVICE_ERR,
	   "replay=sometimes: PAM_SERVICE_ERR");
	ok(authenticate("dironly", "root", CONV_TOKEN, tok, NULL) == PAM_SERVICE_ERR,
	   "replay_dir= without replay=local: PAM_SERVICE_ERR");
	free(tok);

	if (getenv("PAM_JWT_TEST_WRAPPER") != NULL || getenv("PAM_JWT_TEST_PRELOAD") != NULL) {
		ok(1, "# SKIP 32 concurrent logins: not under valgrind or the sanitizer");
		return tap_done();
	}
	for (int r = 0; r < rounds; r++) {
		char jti[32];

		snprintf(jti, sizeof(jti), "race-%d", r);
		tok = token_jti(jti);
		got[r] = race_children(32, login_once, tok);
		exact += got[r] == 1;
		free(tok);
	}
	ok(exact == rounds, "32 processes log in with one token at once, %d rounds: exactly one "
	   "accepted each round (%d/%d)", rounds, exact, rounds);
	return tap_done();
}
