/*
 * The module's conversation for tokens in parts, through libpam itself
 * (pam_start_confdir): one PAM_PROMPT_ECHO_OFF prompt per call, the prompt
 * texts, a conversation that fails or answers NULL at a later part. (What
 * PAM_AUTHTOK holds afterwards is for modules only: tests/module/authtok.sh stacks
 * pam_exec expose_authtok after the module.)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_parts.XXXXXX";
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

#define FAIL_HERE "\001fail"	/* the conversation fails at this prompt */
#define NULL_HERE "\001null"	/* it answers PAM_SUCCESS with a NULL reply */

struct script {
	const char *answers[8];
	int asked;			/* prompts seen */
	int bad_calls;			/* calls with other than one ECHO_OFF message */
	char prompts[512];		/* the prompts seen, concatenated */
};

static int scripted(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct script *s = data;
	const char *a;

	if (n != 1 || msg[0]->msg_style != PAM_PROMPT_ECHO_OFF)
		s->bad_calls++;
	strncat(s->prompts, msg[0]->msg, sizeof(s->prompts) - strlen(s->prompts) - 1);
	a = s->answers[s->asked++];
	if (a == NULL || strcmp(a, FAIL_HERE) == 0)
		return PAM_CONV_ERR;
	if (strcmp(a, NULL_HERE) == 0) {
		*resp = NULL;
		return PAM_SUCCESS;
	}
	*resp = calloc(1, sizeof(**resp));
	(*resp)->resp = strdup(a);
	return PAM_SUCCESS;
}

/* Runs the service with the script. */
static int run(const char *svc, struct script *s)
{
	struct pam_conv pc = { scripted, s };
	pam_handle_t *pamh;
	int rc;

	if (pam_start_confdir(svc, "root", &pc, service_dir, &pamh) != PAM_SUCCESS)
		return -1;
	rc = pam_authenticate(pamh, 0);
	pam_end(pamh, rc);
	return rc;
}

/* "k/M:" and the k-th third of tok. */
static char *part(const char *tok, int k)
{
	size_t len = strlen(tok), third = (len + 2) / 3, off = (size_t)(k - 1) * third;
	size_t n = len - off < third ? len - off : third;
	char *p = malloc(n + 8);

	snprintf(p, n + 8, "%d/3:%.*s", k, (int)n, tok + off);
	return p;
}

int main(void)
{
	char arg[300], payload[128], *tok, *p1, *p2, *p3;
	int rc;

	if (!pamtest_start(dir))
		return 0;
	snprintf(arg, sizeof(arg), "%s/key", dir);
	write_file(arg, key, 32, 0600);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root", dir);
	service("jwt", arg);
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}", (long long)time(NULL) + 60);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
	p1 = part(tok, 1);
	p2 = part(tok, 2);
	p3 = part(tok, 3);

	{
		struct script s = { .answers = { tok } };

		rc = run("jwt", &s);
		ok(rc == PAM_SUCCESS && s.asked == 1 && strcmp(s.prompts, "Token: ") == 0,
		   "a whole token: one prompt, \"Token: \", PAM_SUCCESS");
	}
	{
		struct script s = { .answers = { p1, p2, p3 } };

		rc = run("jwt", &s);
		ok(rc == PAM_SUCCESS && s.asked == 3 && s.bad_calls == 0,
		   "three parts: three calls of one PAM_PROMPT_ECHO_OFF prompt each, PAM_SUCCESS");
		ok(strcmp(s.prompts, "Token: Token (part 2 of 3): Token (part 3 of 3): ") == 0,
		   "three parts: the prompts are \"Token: \" then \"Token (part k of 3): \"");
	}
	{
		struct script s = { .answers = { p1, FAIL_HERE } };

		rc = run("jwt", &s);
		ok(rc == PAM_CONV_ERR && s.asked == 2,
		   "a conversation failing at part 2: PAM_CONV_ERR, nothing more asked (%d)", rc);
	}
	{
		struct script s = { .answers = { p1, p2, NULL_HERE } };

		rc = run("jwt", &s);
		ok(rc == PAM_AUTH_ERR && s.asked == 3,
		   "a NULL reply at part 3: PAM_AUTH_ERR, nothing more asked (%d)", rc);
	}
	{
		struct script s = { .answers = { p1, p1, p1 } };

		rc = run("jwt", &s);
		ok(rc == PAM_AUTH_ERR && s.asked == 2,
		   "part 1 again at part 2's prompt: PAM_AUTH_ERR at once (%d)", rc);
	}
	free(p1);
	free(p2);
	free(p3);
	free(tok);
	return tap_done();
}
