#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>

#include "http.h"

static void say(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

/*
 * Whether url may be fetched under opts: an https URL, or an http URL whose
 * host is exactly 127.0.0.1 when insecure_http_localhost is set. No user
 * name or password in it. False with a reason in why.
 */
static bool url_allowed(const struct http_opts *opts, const char *url, char *why, size_t why_len)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL;
	bool ok = false;

	if (u == NULL) {
		say(why, why_len, "out of memory");
		return false;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		say(why, why_len, "\"%s\" is not an absolute URL", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		say(why, why_len, "\"%s\" holds a user name or password", url);
		goto out;
	}
	/* https anywhere; plain http to 127.0.0.1 only, and only when asked. */
	ok = strcmp(scheme, "https") == 0 ||
	     (strcmp(scheme, "http") == 0 && strcmp(host, "127.0.0.1") == 0 &&
	      opts->insecure_http_localhost);
	if (ok)
		goto out;
	if (strcmp(scheme, "http") != 0)
		say(why, why_len, "\"%s\": only https is fetched", url);
	else if (strcmp(host, "127.0.0.1") != 0)
		say(why, why_len, "\"%s\": plain http is refused (https only; http only to "
		    "127.0.0.1 with --insecure-http-localhost)", url);
	else
		say(why, why_len, "\"%s\": plain http to 127.0.0.1 needs --insecure-http-localhost",
		    url);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(u);
	return ok;
}

struct sink {
	char *buf;
	size_t len, cap, max;
	bool too_big;
};

static size_t sink_write(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;

	if (add > s->max - s->len) {
		s->too_big = true;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (s->len + add + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *nb;

		while (cap < s->len + add + 1)
			cap *= 2;
		nb = malloc(cap);
		if (nb == NULL)
			return 0;
		if (s->buf != NULL) {
			memcpy(nb, s->buf, s->len);
			explicit_bzero(s->buf, s->cap);
			free(s->buf);
		}
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

/* Keeps the "DPoP-Nonce" response header (RFC 9449 §8) in the response. */
static size_t header_line(char *p, size_t size, size_t n, void *data)
{
	static const char name[] = "DPoP-Nonce:";
	struct http_response *resp = data;
	size_t len = size * n, v, e;

	if (len > sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
		v = sizeof(name) - 1;
		while (v < len && (p[v] == ' ' || p[v] == '\t'))
			v++;
		e = len;
		while (e > v && (p[e - 1] == '\r' || p[e - 1] == '\n' || p[e - 1] == ' '))
			e--;
		if (e - v <= HTTP_DPOP_NONCE_MAX) {
			memcpy(resp->dpop_nonce, p + v, e - v);
			resp->dpop_nonce[e - v] = '\0';
		}
	}
	return len;
}

static bool curl_ready(char *why, size_t why_len)
{
	static bool done;

	if (!done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			say(why, why_len, "libcurl cannot start");
			return false;
		}
		(void)atexit(curl_global_cleanup);
		done = true;
	}
	return true;
}

bool http_request(const struct http_opts *opts, const char *url, const char *form,
		  const char *basic_user, const char *basic_pass, struct http_response *resp,
		  char *why, size_t why_len)
{
	struct sink s = { 0 };
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", *dpop = NULL;
	CURL *c;
	CURLcode rc;
	bool ok = false;

	memset(resp, 0, sizeof(*resp));
	if (!url_allowed(opts, url, why, why_len) || !curl_ready(why, why_len))
		return false;
	s.max = opts->max_body ? opts->max_body : HTTP_MAX_BODY;
	c = curl_easy_init();
	if (c == NULL) {
		say(why, why_len, "out of memory");
		return false;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, opts->insecure_http_localhost ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opts->timeout_ms ? opts->timeout_ms : HTTP_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 opts->connect_timeout_ms ? opts->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s.max);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (opts->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, opts->cacert);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "pam-jwt/" PACKAGE_VERSION);
	if (form != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	}
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_line);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	if (opts->dpop != NULL) {
		if (asprintf(&dpop, "DPoP: %s", opts->dpop) < 0 ||
		    (headers = curl_slist_append(NULL, dpop)) == NULL) {
			say(why, why_len, "out of memory");
			goto out;
		}
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	}
	if (basic_user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, basic_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, basic_pass != NULL ? basic_pass : "");
	}
	rc = curl_easy_perform(c);
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		say(why, why_len, "%s: the answer is larger than %zu bytes", url, s.max);
		goto out;
	}
	if (rc != CURLE_OK) {
		say(why, why_len, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	if (resp->status >= 300 && resp->status < 400) {
		say(why, why_len, "%s: redirected (HTTP %ld); redirects are not followed", url,
		    resp->status);
		goto out;
	}
	if (s.buf == NULL) {
		s.buf = calloc(1, 1);
		if (s.buf == NULL) {
			say(why, why_len, "out of memory");
			goto out;
		}
		s.cap = 1;
	}
	resp->body = s.buf;
	resp->len = s.len;
	s.buf = NULL;
	ok = true;
out:
	if (s.buf != NULL) {
		explicit_bzero(s.buf, s.cap);
		free(s.buf);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(headers);
	free(dpop);
	return ok;
}

char *http_form_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0), *copy;

	if (e == NULL)
		return NULL;
	copy = strdup(e);
	explicit_bzero(e, strlen(e));
	curl_free(e);
	return copy;
}

void http_response_free(struct http_response *resp)
{
	if (resp->body != NULL) {
		explicit_bzero(resp->body, resp->len);
		free(resp->body);
	}
	memset(resp, 0, sizeof(*resp));
}
