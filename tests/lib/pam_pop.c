/*
 * pam_pop SERVICE USER: one pam_authenticate() whose conversation answers a
 * bound token's challenge, as pam-jwt askpass would, with what a command
 * makes of it. Run under pam_wrapper (tests/lib/lib.sh wrapped).
 *
 * "Token..." prompts: the next line of standard input.
 * "DPoP proof for HTU (nonce NONCE): ": runs $POP_CMD with /bin/sh, POP_HTU
 * and POP_NONCE in its environment, and answers with the first line it
 * prints; the next lines answer the "DPoP proof (part k of M): " prompts. A
 * command that fails is a failed conversation (PAM_CONV_ERR).
 * Each prompt is printed on standard error ("prompt: TEXT"); the exit status
 * is pam_authenticate()'s code, printed as "result: TEXT".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#define LINE_MAX_LEN 20000
#define QUEUE_MAX 64

static char *queue[QUEUE_MAX];
static size_t queued, next;

static char *read_line(FILE *f)
{
	char *buf = malloc(LINE_MAX_LEN);

	if (buf == NULL || fgets(buf, LINE_MAX_LEN, f) == NULL) {
		free(buf);
		return NULL;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Runs $POP_CMD for the challenge in prompt; its lines fill the queue. */
static int run_cmd(const char *prompt)
{
	static const char head[] = "DPoP proof for ", mid[] = " (nonce ";
	const char *htu = prompt + sizeof(head) - 1, *m = strstr(htu, mid), *cmd = getenv("POP_CMD");
	char *line, nonce[128], hbuf[512];
	FILE *p;
	size_t n;

	if (m == NULL || cmd == NULL)
		return PAM_CONV_ERR;
	n = strcspn(m + sizeof(mid) - 1, ")");
	if (n >= sizeof(nonce) || (size_t)(m - htu) >= sizeof(hbuf))
		return PAM_CONV_ERR;
	memcpy(hbuf, htu, (size_t)(m - htu));
	hbuf[m - htu] = '\0';
	memcpy(nonce, m + sizeof(mid) - 1, n);
	nonce[n] = '\0';
	/*
	 * The command is the user's side: it runs without this process's
	 * preloads (pam_wrapper, and the sanitizer's runtime under
	 * .ci/sanitize.sh, whose leak check would judge python instead).
	 */
	if (setenv("POP_NONCE", nonce, 1) != 0 || setenv("POP_HTU", hbuf, 1) != 0 ||
	    unsetenv("LD_PRELOAD") != 0)
		return PAM_CONV_ERR;
	p = popen(cmd, "r");
	if (p == NULL)
		return PAM_CONV_ERR;
	while (queued < QUEUE_MAX && (line = read_line(p)) != NULL)
		queue[queued++] = line;
	return pclose(p) == 0 ? PAM_SUCCESS : PAM_CONV_ERR;
}

static int conv(int num, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct pam_response *r = calloc((size_t)num, sizeof(*r));

	(void)data;
	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < num; i++) {
		const char *text = msg[i]->msg;

		fprintf(stderr, "prompt: %s\n", text);
		if (msg[i]->msg_style != PAM_PROMPT_ECHO_OFF && msg[i]->msg_style != PAM_PROMPT_ECHO_ON)
			continue;
		if (strncmp(text, "DPoP proof for ", 15) == 0) {
			if (run_cmd(text) != PAM_SUCCESS) {
				free(r);
				return PAM_CONV_ERR;
			}
			r[i].resp = strdup(next < queued ? queue[next++] : "");
		} else if (strncmp(text, "DPoP proof (part ", 17) == 0) {
			r[i].resp = strdup(next < queued ? queue[next++] : "");
		} else {
			r[i].resp = read_line(stdin);
			if (r[i].resp == NULL)
				r[i].resp = strdup("");
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

int main(int argc, char **argv)
{
	struct pam_conv c = { conv, NULL };
	pam_handle_t *h = NULL;
	int rc;

	if (argc != 3) {
		fputs("usage: pam_pop SERVICE USER\n", stderr);
		return 2;
	}
	rc = pam_start(argv[1], argv[2], &c, &h);
	if (rc == PAM_SUCCESS)
		rc = pam_authenticate(h, 0);
	fprintf(stderr, "result: %s\n", pam_strerror(h, rc));
	pam_end(h, rc);
	for (size_t i = 0; i < queued; i++)
		free(queue[i]);
	return rc;
}
