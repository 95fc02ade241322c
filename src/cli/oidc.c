#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "jwt_json.h"
#include "oidc.h"

int oidc_common_option(struct http_opts *o, int c, const char *arg, const char *usage)
{
	int64_t secs;

	switch (c) {
	case 'h':
		fputs(usage, stdout);
		return CLI_OK;
	case 0x100:
		o->cacert = arg;
		return -1;
	case 0x101:
		o->insecure_http_localhost = true;
		return -1;
	case 0x102:
		if (!cli_duration_parse(arg, false, &secs) || secs < 1 || secs > 600) {
			cli_error("--timeout wants 1 to 600 seconds, not \"%s\"", arg);
			return CLI_USAGE;
		}
		/* The connection (TLS handshake included) may take all of it. */
		o->timeout_ms = (long)secs * 1000;
		o->connect_timeout_ms = o->timeout_ms;
		return -1;
	}
	fputs(usage, stderr);
	return CLI_USAGE;
}

const char *oidc_string(json_object *obj, const char *name)
{
	size_t len;
	const char *s = jwt_json_string(obj, name, &len);

	if (s == NULL || len == 0 || strlen(s) != len)
		return NULL;
	return s;
}

bool oidc_json(const struct http_opts *o, const char *url, const char *form,
	       const char *basic_user, const char *basic_pass, long *status, json_object **out,
	       struct http_response *raw, char *why, size_t why_len)
{
	struct http_response r;
	struct jwt_err err = { 0 };

	*out = NULL;
	if (!http_request(o, url, form, basic_user, basic_pass, &r, why, why_len))
		return false;
	*status = r.status;
	if (r.status != 200 && (r.len == 0 || r.body[0] != '{')) {
		/* An error answer without a JSON body (glewlwyd: a wrong password). */
		*out = json_object_new_object();
		http_response_free(&r);
		if (*out == NULL) {
			(void)snprintf(why, why_len, "out of memory");
			return false;
		}
		return true;
	}
	if (jwt_json_parse_object(r.body, r.len, "the answer", out, &err) != JWT_OK) {
		(void)snprintf(why, why_len, "%s (HTTP %ld): %s", url, r.status, err.reason);
		http_response_free(&r);
		return false;
	}
	if (raw != NULL)
		*raw = r;
	else
		http_response_free(&r);
	return true;
}

bool oidc_discover(const struct http_opts *o, const char *issuer, json_object **doc,
		   char *why, size_t why_len)
{
	static const char suffix[] = "/.well-known/openid-configuration";
	size_t n = strlen(issuer);
	const char *iss;
	char *url;
	long status = 0;

	*doc = NULL;
	if (n > 0 && issuer[n - 1] == '/')
		n--;
	if (asprintf(&url, "%.*s%s", (int)n, issuer, suffix) < 0) {
		(void)snprintf(why, why_len, "out of memory");
		return false;
	}
	if (!oidc_json(o, url, NULL, NULL, NULL, &status, doc, NULL, why, why_len))
		goto fail;
	if (status != 200) {
		(void)snprintf(why, why_len, "%s: HTTP %ld", url, status);
		goto fail;
	}
	iss = oidc_string(*doc, "issuer");
	if (iss == NULL || strcmp(iss, issuer) != 0) {
		(void)snprintf(why, why_len, "%s names the issuer \"%.200s\", not \"%s\" (it must be "
			 "exactly the URL given)", url, iss ? iss : "(none)", issuer);
		goto fail;
	}
	free(url);
	return true;
fail:
	free(url);
	json_object_put(*doc);
	*doc = NULL;
	return false;
}
