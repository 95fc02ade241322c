/*
 * HTTP for pam-jwt (libcurl): HTTPS with the system's CAs or one CA file,
 * plain http only to 127.0.0.1 and only when asked, bounded in size and
 * time, no redirects. Only the command-line tool links this; pam_jwt.so never
 * touches the network.
 */
#ifndef PAM_JWT_CLI_HTTP_H
#define PAM_JWT_CLI_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* The largest response body read, in bytes. */
#define HTTP_MAX_BODY ((size_t)1024 * 1024)

struct http_opts {
	const char *cacert;		/* PEM CA file; NULL: the system's CAs */
	bool insecure_http_localhost;	/* allow http://127.0.0.1[:port]/... */
	long timeout_ms;		/* whole request; 0: HTTP_TIMEOUT_MS */
	long connect_timeout_ms;	/* 0: HTTP_CONNECT_TIMEOUT_MS */
	size_t max_body;		/* 0: HTTP_MAX_BODY */
	const char *dpop;		/* a DPoP proof sent as the "DPoP" header; NULL: none */
};

#define HTTP_TIMEOUT_MS 15000L
#define HTTP_CONNECT_TIMEOUT_MS 5000L

/* The longest "DPoP-Nonce" header value kept (RFC 9449 §8); a longer one is dropped. */
#define HTTP_DPOP_NONCE_MAX 256

struct http_response {
	long status;		/* HTTP status code */
	char *body;		/* NUL-terminated; free with http_response_free() */
	size_t len;
	char dpop_nonce[HTTP_DPOP_NONCE_MAX + 1];	/* the "DPoP-Nonce" header; "": none */
};

/*
 * GET url, or POST form (application/x-www-form-urlencoded, already encoded)
 * when form is not NULL, with HTTP basic authentication when basic_user is
 * not NULL. True when a response came back (any status; a redirect is
 * refused); false with a reason in why.
 */
bool http_request(const struct http_opts *opts, const char *url, const char *form,
		  const char *basic_user, const char *basic_pass, struct http_response *resp,
		  char *why, size_t why_len);

/* Percent-encodes s for a form (a fresh string, NULL when out of memory). */
char *http_form_escape(const char *s);

/* Wipes and frees the body. */
void http_response_free(struct http_response *resp);

#endif
