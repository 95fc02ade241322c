/*
 * OpenID Connect for pam-jwt: the provider's discovery document (OpenID
 * Connect Discovery 1.0) and JSON over HTTP, through http.c's rules.
 */
#ifndef PAM_JWT_CLI_OIDC_H
#define PAM_JWT_CLI_OIDC_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "http.h"

/* Options every networked subcommand takes (getopt codes 0x100..0x103). */
#define OIDC_HTTP_OPTIONS \
	{ "cacert", required_argument, NULL, 0x100 }, \
	{ "insecure-http-localhost", no_argument, NULL, 0x101 }, \
	{ "timeout", required_argument, NULL, 0x102 }

/*
 * The default: of a getopt loop over OIDC_HTTP_OPTIONS, --help ('h') and the
 * command's own: takes option c (arg its argument) into o and yields -1 (go
 * on); or yields what the command returns: CLI_OK after printing usage for
 * --help, CLI_USAGE after saying why on stderr when arg is bad or c is none
 * of them (getopt's '?': then usage is printed).
 */
int oidc_common_option(struct http_opts *o, int c, const char *arg, const char *usage);

/* The usage lines of OIDC_HTTP_OPTIONS. */
#define OIDC_HTTP_USAGE \
	"  --cacert FILE   trust only the CA certificates in FILE (PEM) for https\n" \
	"  --insecure-http-localhost  allow plain http, and only to 127.0.0.1 (tests)\n" \
	"  --timeout SECS  give up on a request after SECS seconds (default 15)\n"

/*
 * Fetches the discovery document of issuer (issuer + "/.well-known/openid-
 * configuration", a trailing "/" of issuer dropped first) and checks that
 * its "issuer" equals issuer exactly (Discovery §4.3). *doc is a new reference.
 */
bool oidc_discover(const struct http_opts *o, const char *issuer, json_object **doc,
		   char *why, size_t why_len);

/* Member name of obj when it is a non-empty string, else NULL. */
const char *oidc_string(json_object *obj, const char *name);

/*
 * GET url (form NULL) or POST form; the answer must be one strict JSON
 * object, except that an error status without a JSON body gives an empty one. *status is the HTTP status; the raw body is kept in *raw when raw
 * is not NULL (free with http_response_free). *out is a new reference.
 */
bool oidc_json(const struct http_opts *o, const char *url, const char *form,
	       const char *basic_user, const char *basic_pass, long *status, json_object **out,
	       struct http_response *raw, char *why, size_t why_len);

#endif
