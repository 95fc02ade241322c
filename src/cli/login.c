/*
 * pam-jwt login: a token for the user from an OpenID Connect provider, by
 * the OAuth 2.0 Device Authorization Grant (RFC 8628): the user approves in
 * any browser, pam-jwt polls. The token goes to the user's token cache
 * (token_cache.c), where pam-jwt askpass finds it; the refresh token beside
 * it lets --refresh get a new one without the browser. --password (the
 * resource-owner password grant) exists for providers and tests that allow
 * it, and is not recommended.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "duration.h"
#include "jwt_b64url.h"
#include "dpop.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_mem.h"
#include "jwt_token.h"
#include "oidc.h"
#include "keygen_pk.h"
#include "jwt_sig.h"
#include "token_cache.h"

static const char usage[] =
	"usage: pam-jwt login --issuer URL --client-id ID [--scope S] [--token id|access]\n"
	"                     [--refresh | --password [--user NAME]] [--client-secret-file FILE]\n"
	"                     [--max-age SECONDS]\n"
	"Gets a token from the OpenID Connect provider URL by device flow (RFC 8628):\n"
	"open the address shown, enter the code, approve; the token is then stored in\n"
	"$XDG_CACHE_HOME/pam-jwt/token (~/.cache/pam-jwt/token, mode 0600), and the\n"
	"refresh token, if any, beside it.\n"
	"  --issuer URL      the provider's issuer (https)\n"
	"  --client-id ID    the OAuth client registered for pam-jwt at the provider\n"
	"  --scope S         the scopes asked for (default \"openid\")\n"
	"  --token id|access which token to store: the ID token (default; its \"aud\" is\n"
	"                    the client id, for audience=) or the access token\n"
	"  --refresh         a new token of the kind cached (ID or access) with the stored\n"
	"                    refresh token, no browser step\n"
	"  --password        the password grant instead of the device flow (NOT\n"
	"                    recommended: the password passes through this program); the\n"
	"                    password is read from the terminal, or from standard input\n"
	"  --user NAME       the user name for --password (default: your login name)\n"
	"  --client-secret-file FILE  the client's secret, for a confidential client\n"
	"  --max-age SECONDS a fresh authentication: asks the provider for one at most\n"
	"                    SECONDS old (max_age, OpenID Connect Core 3.1.2.1), and\n"
	"                    refuses an ID token whose auth_time is older or missing;\n"
	"                    what a host's max_auth_age= wants (90, 5m, 2h, 1d)\n"
	"  --dpop            ask for a token bound to a key (RFC 9449): the token requests\n"
	"                    carry DPoP proofs by the key in the cache (dpop_key, mode\n"
	"                    0600; a new ES256 key when there is none), and a token the\n"
	"                    provider does not bind to it is refused. Implies --token\n"
	"                    access. --refresh uses the cached key whenever there is one\n"
	"  --dpop-key FILE   with --dpop: the private JWK in FILE, copied into the cache\n"
	"                    (a different key already there is refused, not replaced)\n"
	OIDC_HTTP_USAGE;

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
/* The longest wait for an approval, whatever the provider says. */
#define DEVICE_WAIT_MAX 1800
#define SECRET_MAX 4096
/* The clock difference allowed between the provider and this host (the module's default leeway). */
#define AUTH_TIME_SKEW 30

struct login {
	const char *issuer, *client_id, *scope, *user, *secret_file;
	bool want_access, token_given, refresh, password, dpop;
	const char *max_age;	/* --max-age in seconds, as sent; NULL: not asked */
	int64_t max_age_s;
	const char *dpop_key_file;
	struct dpop_key key;		/* with dpop: the proof key */
	char dpop_nonce[HTTP_DPOP_NONCE_MAX + 1];	/* the provider's last DPoP-Nonce */
	struct http_opts http;
	char *secret;		/* client secret, or NULL: a public client */
	json_object *doc;	/* the discovery document */
};

/* Whether s is printable ASCII (safe to show on a terminal). */
static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* "name=value" form fields joined by "&", values escaped; NULL values skipped. */
static char *form(const char *const *kv)
{
	char *out = strdup(""), *next, *v;

	for (size_t i = 0; out != NULL && kv[i] != NULL; i += 2) {
		if (kv[i + 1] == NULL)
			continue;
		v = http_form_escape(kv[i + 1]);
		if (v == NULL || asprintf(&next, "%s%s%s=%s", out, out[0] ? "&" : "", kv[i], v) < 0) {
			free(v);
			jwt_wipe_free(out, strlen(out));
			return NULL;
		}
		jwt_wipe_free(v, strlen(v));
		jwt_wipe_free(out, strlen(out));
		out = next;
	}
	return out;
}

/*
 * POSTs the fields to endpoint, as the client; *status and *answer as
 * oidc_json. With dpop (the token endpoint of a --dpop login) the request
 * carries a DPoP proof (htm POST, htu the endpoint, the provider's nonce when
 * it gave one), and an answer "use_dpop_nonce" is retried once with the nonce
 * it names (RFC 9449 §8).
 */
static bool post_once(struct login *l, const char *endpoint, const char *body, bool dpop,
		      long *status, json_object **answer)
{
	struct http_opts o = l->http;
	struct http_response raw = { 0 };
	char why[512], *proof = NULL;
	size_t plen = 0;
	bool ok;

	if (dpop) {
		proof = dpop_proof_make(&l->key, "POST", endpoint,
					l->dpop_nonce[0] ? l->dpop_nonce : NULL, NULL, 0, &plen);
		if (proof == NULL)
			return false;
		o.dpop = proof;
	}
	ok = oidc_json(&o, endpoint, body, l->secret ? l->client_id : NULL, l->secret, status,
		       answer, &raw, why, sizeof(why));
	if (ok && raw.dpop_nonce[0] != '\0')
		memcpy(l->dpop_nonce, raw.dpop_nonce, sizeof(l->dpop_nonce));
	http_response_free(&raw);
	if (proof != NULL)
		jwt_wipe_free(proof, plen);
	if (!ok)
		cli_error("%s", why);
	return ok;
}

static bool post(struct login *l, const char *endpoint, const char *const *kv, bool dpop,
		 long *status, json_object **answer)
{
	char *body = form(kv), old[HTTP_DPOP_NONCE_MAX + 1];
	const char *e;
	bool ok;

	if (body == NULL) {
		cli_error("out of memory");
		return false;
	}
	memcpy(old, l->dpop_nonce, sizeof(old));
	ok = post_once(l, endpoint, body, dpop, status, answer);
	if (ok && dpop && *status == 400 && (e = oidc_string(*answer, "error")) != NULL &&
	    strcmp(e, "use_dpop_nonce") == 0 && l->dpop_nonce[0] != '\0' &&
	    strcmp(old, l->dpop_nonce) != 0) {
		json_object_put(*answer);
		*answer = NULL;
		ok = post_once(l, endpoint, body, dpop, status, answer);
	}
	jwt_wipe_free(body, strlen(body));
	return ok;
}

/* The provider's "error" (and a printable "error_description"), for messages. */
static const char *oauth_error(json_object *answer)
{
	const char *e = oidc_string(answer, "error");

	return e != NULL && printable(e) ? e : "(no error code)";
}

/* The claims of tok, a JWS (kind names it in messages); NULL after saying why not. */
static json_object *token_claims(const char *tok, const char *kind)
{
	const char *dot1 = strchr(tok, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	unsigned char *payload = NULL;
	size_t plen = 0, n;
	json_object *claims = NULL;
	struct jwt_err err = { 0 };

	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL ||
	    strlen(tok) > JWT_TOKEN_MAX) {
		cli_error("the provider's %s token is not a signed JWT", kind);
		return NULL;
	}
	n = (size_t)(dot2 - dot1 - 1);
	payload = malloc(JWT_B64URL_DECODED_MAX(n) + 1);
	if (payload == NULL || !jwt_b64url_decode(dot1 + 1, n, payload, &plen) ||
	    jwt_json_parse_object((const char *)payload, plen, "payload", &claims, &err) != JWT_OK) {
		cli_error("the provider's %s token has no readable claims", kind);
		claims = NULL;
	}
	if (payload != NULL)
		jwt_wipe_free(payload, JWT_B64URL_DECODED_MAX(n) + 1);
	return claims;
}

/*
 * Checks the chosen token of a token response: a JWS whose payload names our
 * issuer. *exp is its expiry (0 if none).
 */
static bool check_token(const struct login *l, const char *tok, long long *exp)
{
	json_object *claims, *e;
	const char *iss;
	bool ok = false;

	*exp = 0;
	claims = token_claims(tok, l->want_access ? "access" : "ID");
	if (claims == NULL)
		return false;
	iss = oidc_string(claims, "iss");
	if (iss == NULL || strcmp(iss, l->issuer) != 0) {
		cli_error("the provider's token names another issuer");
		goto out;
	}
	if (json_object_object_get_ex(claims, "exp", &e) && json_object_is_type(e, json_type_int))
		*exp = (long long)json_object_get_int64(e);
	if (l->dpop) {
		json_object *cnf = NULL;
		const char *jkt = NULL;

		if (json_object_object_get_ex(claims, "cnf", &cnf))
			jkt = oidc_string(cnf, "jkt");
		if (jkt == NULL || strcmp(jkt, l->key.jkt) != 0) {
			cli_error("the provider's token is not bound to the DPoP key %s (%s): it is "
				  "not stored; enable DPoP for the client at the provider",
				  l->key.jkt, jkt == NULL ? "no cnf.jkt" : "cnf.jkt names another key");
			goto out;
		}
	}
	ok = true;
out:
	json_object_put(claims);
	return ok;
}

/*
 * With --max-age: the ID token of the answer (or, without one, the token
 * stored) carries an integer auth_time at most max_age (plus the clock skew)
 * old, and not ahead of this host's clock beyond the skew. A provider that
 * ignores max_age, or leaves auth_time out, is said to.
 */
static bool check_auth_time(const struct login *l, json_object *answer, const char *tok)
{
	const char *id = oidc_string(answer, "id_token");
	json_object *claims = token_claims(id != NULL ? id : tok, id != NULL ? "ID" : "access");
	json_object *v;
	int64_t at, now = (int64_t)time(NULL);
	bool ok = false;

	if (claims == NULL)
		return false;
	if (!json_object_object_get_ex(claims, "auth_time", &v)) {
		cli_error("the provider's %s token has no auth_time, which --max-age asks for: the "
			  "hosts' max_auth_age= would refuse it", id != NULL ? "ID" : "access");
	} else if (!json_object_is_type(v, json_type_int) ||
		   (at = json_object_get_int64(v)) < 0 || at == INT64_MAX) {
		cli_error("the provider's auth_time is not an integer NumericDate");
	} else if (at > now + AUTH_TIME_SKEW) {
		cli_error("the provider's auth_time lies %lld s in the future (check the clocks)",
			  (long long)(at - now));
	} else if (now - at > l->max_age_s + AUTH_TIME_SKEW) {
		cli_error("the provider's authentication was %lld s ago, beyond --max-age %lld: it "
			  "did not authenticate you again (does it honour max_age?)",
			  (long long)(now - at), (long long)l->max_age_s);
	} else {
		ok = true;
	}
	json_object_put(claims);
	return ok;
}

/*
 * Stores the token (and the refresh token) of a successful token response,
 * and its kind (TOKEN_CACHE_KIND), which --refresh keeps.
 */
static bool store(const struct login *l, json_object *answer)
{
	const char *name = l->want_access ? "access_token" : "id_token";
	const char *tok = oidc_string(answer, name), *rt = oidc_string(answer, "refresh_token");
	char *dir = NULL;
	long long exp;
	bool ok = false;

	if (tok == NULL && l->refresh) {
		/*
		 * A new ID token is optional (OpenID Connect Core §12.2), and
		 * glewlwyd never sends one. The access token instead would have
		 * another audience, which the hosts refuse: the cached token stays.
		 * A new refresh token (a provider that rotates them) is kept.
		 */
		if (rt != NULL && token_cache_dir(false, &dir))
			token_cache_write(dir, TOKEN_CACHE_REFRESH, rt);
		free(dir);
		cli_error("the provider gave no new %s token for the refresh token, and --refresh "
			  "keeps the kind of token cached: the cached token is left as it was; run "
			  "pam-jwt login without --refresh for a new one",
			  l->want_access ? "access" : "ID");
		return false;
	}
	if (tok == NULL) {
		cli_error("the provider gave no %s (ask for the scope \"openid\" for an ID token, "
			  "or use --token %s)", name, l->want_access ? "id" : "access");
		return false;
	}
	if (l->dpop) {
		const char *type = oidc_string(answer, "token_type");

		if (type == NULL || strcasecmp(type, "DPoP") != 0) {
			cli_error("the provider answered with token_type \"%s\", not DPoP: the token "
				  "is not bound to the key, and is not stored",
				  type != NULL && printable(type) ? type : "(none)");
			return false;
		}
	}
	if (!check_token(l, tok, &exp) || (l->max_age != NULL && !check_auth_time(l, answer, tok)) ||
	    !token_cache_dir(true, &dir))
		return false;
	if (!token_cache_write(dir, TOKEN_CACHE_TOKEN, tok) ||
	    !token_cache_write(dir, TOKEN_CACHE_KIND, l->want_access ? "access" : "id"))
		goto out;
	if (rt != NULL) {
		if (!token_cache_write(dir, TOKEN_CACHE_REFRESH, rt))
			goto out;
	} else if (!l->refresh) {
		/* A refresh token of an earlier login belongs to another session. */
		token_cache_remove(dir, TOKEN_CACHE_REFRESH);
	}
	if (exp > 0) {
		time_t t = (time_t)exp;
		char when[64];

		if (strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t)) == 0)
			(void)snprintf(when, sizeof(when), "%lld", (long long)exp);
		printf("Token stored in %s/%s (valid until %s)%s\n", dir, TOKEN_CACHE_TOKEN, when,
		       rt ? ", refresh token beside it" : "");
	} else {
		printf("Token stored in %s/%s\n", dir, TOKEN_CACHE_TOKEN);
	}
	ok = true;
out:
	free(dir);
	return ok;
}

static const char *endpoint(const struct login *l, const char *name)
{
	const char *url = oidc_string(l->doc, name);

	if (url == NULL)
		cli_error("the provider's discovery document has no %s", name);
	return url;
}

static int device_flow(struct login *l)
{
	const char *dev_ep = endpoint(l, "device_authorization_endpoint");
	const char *tok_ep = endpoint(l, "token_endpoint");
	const char *device_code, *user_code, *uri, *complete;
	json_object *start = NULL, *answer = NULL, *v;
	long status;
	int64_t interval = 5, expires_in = 600;
	time_t deadline;
	int ret = CLI_FAILED;

	if (dev_ep == NULL || tok_ep == NULL)
		return CLI_FAILED;
	{
		/* max_age (OIDC Core §3.1.2.1) on the device authorization request. */
		const char *kv[] = { "client_id", l->client_id, "scope", l->scope,
				     "max_age", l->max_age, NULL };

		if (!post(l, dev_ep, kv, false, &status, &start))
			return CLI_FAILED;
	}
	device_code = oidc_string(start, "device_code");
	user_code = oidc_string(start, "user_code");
	uri = oidc_string(start, "verification_uri");
	if (uri == NULL)
		uri = oidc_string(start, "verification_url");	/* Google's older name */
	complete = oidc_string(start, "verification_uri_complete");
	if (status != 200 || device_code == NULL || user_code == NULL || uri == NULL) {
		cli_error("the provider refused the device authorization (HTTP %ld, %s)", status,
			  oauth_error(start));
		goto out;
	}
	if (!printable(user_code) || !printable(uri) || (complete && !printable(complete))) {
		cli_error("the provider's answer holds characters that cannot be shown");
		goto out;
	}
	if (json_object_object_get_ex(start, "interval", &v) && json_object_is_type(v, json_type_int))
		interval = json_object_get_int64(v);
	if (json_object_object_get_ex(start, "expires_in", &v) && json_object_is_type(v, json_type_int))
		expires_in = json_object_get_int64(v);
	if (interval < 1 || interval > 60)
		interval = 5;
	if (expires_in < 1 || expires_in > DEVICE_WAIT_MAX)
		expires_in = DEVICE_WAIT_MAX;
	fprintf(stderr, "To log in, open %s\nand enter the code %s\n", uri, user_code);
	if (complete != NULL)
		fprintf(stderr, "(or open %s)\n", complete);
	fputs("Waiting for the approval...\n", stderr);
	(void)fflush(stderr);
	deadline = time(NULL) + (time_t)expires_in;
	for (;;) {
		const char *kv[] = { "grant_type", DEVICE_GRANT, "device_code", device_code,
				     "client_id", l->client_id, NULL };
		const char *err;

		sleep((unsigned)interval);
		json_object_put(answer);
		answer = NULL;
		if (!post(l, tok_ep, kv, l->dpop, &status, &answer))
			goto out;
		if (status == 200) {
			ret = store(l, answer) ? CLI_OK : CLI_FAILED;
			goto out;
		}
		err = oauth_error(answer);
		if (strcmp(err, "authorization_pending") == 0) {
			/* keep polling */
		} else if (strcmp(err, "slow_down") == 0) {
			interval += 5;	/* RFC 8628 §3.5 */
		} else if (strcmp(err, "expired_token") == 0) {
			cli_error("the code expired before it was approved; run pam-jwt login again");
			goto out;
		} else if (strcmp(err, "access_denied") == 0) {
			cli_error("the approval was denied");
			goto out;
		} else {
			cli_error("the provider refused the token (HTTP %ld, %s)", status, err);
			goto out;
		}
		if (time(NULL) + interval > deadline) {
			cli_error("the code expired before it was approved; run pam-jwt login again");
			goto out;
		}
	}
out:
	json_object_put(answer);
	json_object_put(start);
	return ret;
}

/*
 * --refresh gets a token of the kind the cache holds, as the last login
 * recorded it: an ID token and an access token have different audiences, so
 * the host lines made for the one refuse the other. A --token naming the
 * other kind is refused; a cache without the record takes --token as given.
 */
static bool keep_kind(struct login *l, const char *dir)
{
	char *path = NULL, *kind = NULL;
	size_t len = 0;
	struct stat st;
	bool access, ok = false;

	if (asprintf(&path, "%s/%s", dir, TOKEN_CACHE_KIND) < 0) {
		cli_error("out of memory");
		return false;
	}
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		free(path);
		return true;
	}
	free(path);
	if (!token_cache_read(dir, TOKEN_CACHE_KIND, 16, &kind, &len))
		return false;
	if (strcmp(kind, "id") != 0 && strcmp(kind, "access") != 0) {
		cli_error("%s/%s holds neither \"id\" nor \"access\"", dir, TOKEN_CACHE_KIND);
		goto out;
	}
	access = strcmp(kind, "access") == 0;
	if (l->token_given && access != l->want_access) {
		cli_error("the cached token is %s, and --refresh keeps its kind: run pam-jwt login "
			  "--token %s without --refresh for %s", access ? "an access token" : "an ID token",
			  l->want_access ? "access" : "id", l->want_access ? "an access token" : "an ID token");
		goto out;
	}
	l->want_access = access;
	ok = true;
out:
	jwt_wipe_free(kind, len + 1);
	return ok;
}

static int refresh_flow(struct login *l)
{
	const char *tok_ep = endpoint(l, "token_endpoint");
	json_object *answer = NULL;
	char *dir = NULL, *rt = NULL;
	size_t rt_len = 0;
	long status;
	int ret = CLI_FAILED;

	if (tok_ep == NULL || !token_cache_dir(false, &dir))
		return CLI_FAILED;
	if (!keep_kind(l, dir) ||
	    !token_cache_read(dir, TOKEN_CACHE_REFRESH, SECRET_MAX, &rt, &rt_len))
		goto out;
	{
		const char *kv[] = { "grant_type", "refresh_token", "refresh_token", rt,
				     "client_id", l->client_id, NULL };

		if (!post(l, tok_ep, kv, l->dpop, &status, &answer))
			goto out;
	}
	if (status != 200) {
		cli_error("the provider refused the refresh token (HTTP %ld, %s); run pam-jwt "
			  "login without --refresh", status, oauth_error(answer));
		goto out;
	}
	ret = store(l, answer) ? CLI_OK : CLI_FAILED;
out:
	json_object_put(answer);
	if (rt != NULL)
		jwt_wipe_free(rt, rt_len + 1);
	free(dir);
	return ret;
}

/* One line from the terminal without echo, or from standard input. */
static char *read_password(const char *user)
{
	FILE *in = stdin;
	struct termios old, quiet;
	bool tty = false;
	char *buf = malloc(SECRET_MAX + 2);
	size_t n = 0;
	int c;

	if (buf == NULL)
		return NULL;
	if (isatty(STDIN_FILENO)) {
		FILE *t = fopen("/dev/tty", "r+e");

		if (t != NULL && tcgetattr(fileno(t), &old) == 0) {
			in = t;
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tty = tcsetattr(fileno(t), TCSAFLUSH, &quiet) == 0;
			fprintf(stderr, "Password for %s at %s: ", user, "the provider");
		} else if (t != NULL) {
			(void)fclose(t);
		}
	}
	while (n <= SECRET_MAX && (c = getc(in)) != EOF && c != '\n')
		buf[n++] = (char)c;
	if (tty) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (in != stdin)
		(void)fclose(in);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (n == 0 || n > SECRET_MAX) {
		jwt_wipe_free(buf, SECRET_MAX + 2);
		return NULL;
	}
	return buf;
}

static int password_flow(struct login *l)
{
	const char *tok_ep = endpoint(l, "token_endpoint");
	json_object *answer = NULL;
	char *pw;
	long status;
	int ret = CLI_FAILED;

	if (tok_ep == NULL)
		return CLI_FAILED;
	fputs("pam-jwt: warning: the password grant is not recommended (your password passes "
	      "through this program); prefer the device flow\n", stderr);
	pw = read_password(l->user);
	if (pw == NULL) {
		cli_error("no password read");
		return CLI_FAILED;
	}
	{
		const char *kv[] = { "grant_type", "password", "username", l->user, "password", pw,
				     "scope", l->scope, "max_age", l->max_age,
				     "client_id", l->secret ? NULL : l->client_id, NULL };

		if (!post(l, tok_ep, kv, l->dpop, &status, &answer)) {
			jwt_wipe_free(pw, SECRET_MAX + 2);
			return CLI_FAILED;
		}
	}
	jwt_wipe_free(pw, SECRET_MAX + 2);
	if (status != 200)
		cli_error("the provider refused the password grant (HTTP %ld, %s)", status,
			  oauth_error(answer));
	else
		ret = store(l, answer) ? CLI_OK : CLI_FAILED;
	json_object_put(answer);
	return ret;
}

/* The client secret: a file only its owner may read; one trailing newline dropped. */
static bool read_secret(struct login *l)
{
	unsigned char *buf;
	size_t len;
	struct jwt_err err = { 0 };

	if (jwt_file_read(l->secret_file, JWT_FILE_SECRET, SECRET_MAX, &buf, &len, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		return false;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len == 0) {
		cli_error("%s is empty", l->secret_file);
		jwt_wipe_free(buf, len + 1);
		return false;
	}
	l->secret = (char *)buf;
	return true;
}

/*
 * The DPoP key of a --dpop login: --dpop-key's, copied into the cache as
 * dpop_key unless the same key is there (another one is refused, never
 * replaced); else the cached one; else a new ES256 key written there.
 */
static bool dpop_setup(struct login *l)
{
	struct jwt_err err = { 0 };
	char *dir = NULL, *path = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	struct stat st;
	bool ok = false, have;

	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return false;
	}
	if (!token_cache_dir(true, &dir))
		return false;
	if (asprintf(&path, "%s/%s", dir, DPOP_KEY_FILE) < 0) {
		cli_error("out of memory");
		path = NULL;
		goto out;
	}
	have = lstat(path, &st) == 0;
	if (l->dpop_key_file != NULL) {
		if (!dpop_key_load(l->dpop_key_file, &l->key))
			goto out;
		if (have) {
			struct dpop_key cached = { 0 };
			bool same = dpop_key_load(path, &cached) && strcmp(cached.jkt, l->key.jkt) == 0;

			dpop_key_clear(&cached);
			if (!same) {
				cli_error("%s holds another DPoP key: it is not replaced; remove it "
					  "first to use %s", path, l->dpop_key_file);
				goto out;
			}
		} else if (jwt_file_read(l->dpop_key_file, JWT_FILE_SECRET, 16384, &buf, &len,
					 &err) != JWT_OK) {
			cli_error("%s", err.reason);
			goto out;
		} else if (!token_cache_write(dir, DPOP_KEY_FILE, (const char *)buf)) {
			goto out;
		}
	} else {
		if (!have) {
			struct keygen_pk a = { .alg = JWT_ALG_ES256, .out = path };

			if (cli_keygen_pk(&a) != CLI_OK)
				goto out;
		}
		if (!dpop_key_load(path, &l->key))
			goto out;
	}
	ok = true;
out:
	if (buf != NULL)
		jwt_wipe_free(buf, len);
	free(path);
	free(dir);
	return ok;
}

/* Whether the cache holds a DPoP key (--refresh then keeps using it). */
static bool dpop_cached(void)
{
	char *dir = NULL, *path = NULL;
	struct stat st;
	bool have = false;

	if (token_cache_dir(false, &dir) && asprintf(&path, "%s/%s", dir, DPOP_KEY_FILE) >= 0) {
		have = lstat(path, &st) == 0;
		free(path);
	}
	free(dir);
	return have;
}

int cli_login(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "issuer", required_argument, NULL, 'i' },
		{ "client-id", required_argument, NULL, 'c' },
		{ "scope", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 't' },
		{ "refresh", no_argument, NULL, 'r' },
		{ "password", no_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "client-secret-file", required_argument, NULL, 'S' },
		{ "max-age", required_argument, NULL, 'm' },
		{ "dpop", no_argument, NULL, 'D' },
		{ "dpop-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		OIDC_HTTP_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct login l = { .scope = "openid" };
	char why[512], max_age[24];
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': l.issuer = optarg; break;
		case 'c': l.client_id = optarg; break;
		case 's': l.scope = optarg; break;
		case 'r': l.refresh = true; break;
		case 'p': l.password = true; break;
		case 'u': l.user = optarg; break;
		case 'S': l.secret_file = optarg; break;
		case 'm':
			if (!cli_duration_parse(optarg, false, &l.max_age_s))
				return cli_usage_error(usage, "--max-age wants a duration (300, 5m, "
						       "2h, 1d), not \"%s\"", optarg);
			(void)snprintf(max_age, sizeof(max_age), "%lld", (long long)l.max_age_s);
			l.max_age = max_age;
			break;
		case 'D': l.dpop = true; break;
		case 'K': l.dpop_key_file = optarg; break;
		case 't':
			l.token_given = true;
			if (strcmp(optarg, "access") == 0)
				l.want_access = true;
			else if (strcmp(optarg, "id") != 0)
				return cli_usage_error(usage, "--token wants id or access, not \"%s\"",
						       optarg);
			break;
		default:
			ret = oidc_common_option(&l.http, c, optarg, usage);
			if (ret >= 0)
				return ret;
			break;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	if (l.issuer == NULL || l.client_id == NULL)
		return cli_usage_error(usage, "--issuer and --client-id are required");
	if (l.refresh && l.password)
		return cli_usage_error(usage, "--refresh and --password exclude each other");
	if (l.refresh && l.max_age != NULL)
		return cli_usage_error(usage, "--max-age asks for a new authentication, which "
				       "--refresh never is: run pam-jwt login --max-age without --refresh");
	if (l.user != NULL && !l.password)
		return cli_usage_error(usage, "--user goes with --password");
	if (l.dpop_key_file != NULL && !l.dpop)
		return cli_usage_error(usage, "--dpop-key goes with --dpop");
	if (l.refresh && !l.dpop)
		l.dpop = dpop_cached();
	if (l.dpop && !l.token_given)
		l.want_access = true;
	if (l.dpop && !l.want_access)
		return cli_usage_error(usage, "--dpop binds the access token: the ID token carries "
				       "no cnf; leave out --token id");
	if (l.password && l.user == NULL) {
		struct passwd *pw = getpwuid(getuid());

		if (pw == NULL) {
			cli_error("who are you? give --user");
			return CLI_FAILED;
		}
		l.user = pw->pw_name;
	}
	if (l.secret_file != NULL && !read_secret(&l))
		return CLI_FAILED;
	if (l.dpop && !dpop_setup(&l)) {
		ret = CLI_FAILED;
		goto done;
	}
	if (!oidc_discover(&l.http, l.issuer, &l.doc, why, sizeof(why))) {
		cli_error("%s", why);
		ret = CLI_FAILED;
	} else if (l.refresh) {
		ret = refresh_flow(&l);
	} else if (l.password) {
		ret = password_flow(&l);
	} else {
		ret = device_flow(&l);
	}
done:
	dpop_key_clear(&l.key);
	json_object_put(l.doc);
	if (l.secret != NULL)
		jwt_wipe_free(l.secret, strlen(l.secret) + 1);
	return ret;
}
