#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#include "pamtest.h"
#include "testlib.h"

const char *service_dir;
int last_msg_style = -1;

int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	const struct conv_data *cd = data;
	struct pam_response *r;

	if (n > 0)
		last_msg_style = msg[n - 1]->msg_style;
	switch (cd->mode) {
	case CONV_ERROR:
		return PAM_CONV_ERR;
	case CONV_NULL_REPLY:
		*resp = NULL;
		return PAM_SUCCESS;
	case CONV_NULL_RESP:
	case CONV_TOKEN:
		break;
	}
	r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++)
		r[i].resp = cd->mode == CONV_TOKEN ? strdup(cd->token) : NULL;
	*resp = r;
	return PAM_SUCCESS;
}

void service(const char *name, const char *args)
{
	char path[300], text[1024];
	const char *module = getenv("PAM_JWT_MODULE");

	snprintf(path, sizeof(path), "%s/%s", service_dir, name);
	snprintf(text, sizeof(text), "auth required %s %s\n", module, args);
	write_file(path, text, strlen(text), 0644);
}

int authenticate(const char *svc, const char *user, enum conv_mode mode, const char *token,
		 char **user_after)
{
	struct conv_data cd = { mode, token };
	struct pam_conv pc = { conv, &cd };
	pam_handle_t *pamh;
	const void *item = NULL;
	int rc;

	if (pam_start_confdir(svc, user, &pc, service_dir, &pamh) != PAM_SUCCESS)
		exit(99);
	rc = pam_authenticate(pamh, 0);
	if (user_after != NULL) {
		pam_get_item(pamh, PAM_USER, &item);
		*user_after = item ? strdup(item) : NULL;
	}
	pam_end(pamh, rc);
	return rc;
}

bool pamtest_start(char *template)
{
	if (getenv("PAM_JWT_MODULE") == NULL) {
		printf("1..0 # SKIP PAM_JWT_MODULE is not set (run through make check)\n");
		return false;
	}
	scratch_dir(template);
	service_dir = template;
	return true;
}
