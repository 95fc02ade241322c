/*
 * replay=redis: one-time tokens recorded in Redis, shared by every host that
 * points at it. The entry is "pam_jwt:used:<64 hex digits>", written with
 * SET key 1 NX EXAT <until> (Redis 7): the server lets exactly one SET NX win
 * and forgets the key at its expiry.
 *
 * hiredis 0.14, one connection per authentication (a PAM transaction has no
 * place to keep one): connect, AUTH, one command, close. redis_timeout_ms=
 * bounds the connection and each command (TCP and unix sockets alike). With
 * redis_sentinel=, each sentinel is asked for the master in turn, the answer
 * is checked with ROLE, and the write must reach a replica (WAIT 1) before
 * the token counts as recorded.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <hiredis/hiredis.h>

#include "jwt_file.h"
#include "jwt_store.h"

#define KEY_PREFIX "pam_jwt:used:"
#define ADDR_MAX 256

static struct timeval timeout_tv(const struct jwt_config *cfg)
{
	struct timeval tv = { .tv_sec = cfg->redis_timeout_ms / 1000,
			      .tv_usec = (cfg->redis_timeout_ms % 1000) * 1000 };
	return tv;
}

/* Connects to "HOST:PORT", "[V6]:PORT" or "unix:PATH" (addr, len bytes). */
static redisContext *connect_addr(const struct jwt_config *cfg, const char *addr, size_t len,
				  struct jwt_err *err)
{
	char buf[ADDR_MAX], *colon, *host = buf, *end;
	struct timeval tv = timeout_tv(cfg);
	redisContext *c;
	long port;

	if (len >= sizeof(buf)) {
		jwt_fail(err, JWT_E_CONFIG, "Redis address too long");
		return NULL;
	}
	memcpy(buf, addr, len);
	buf[len] = '\0';
	if (strncmp(buf, "unix:", 5) == 0) {
		c = redisConnectUnixWithTimeout(buf + 5, tv);
	} else {
		colon = strrchr(buf, ':');
		if (colon == NULL) {
			jwt_fail(err, JWT_E_CONFIG, "Redis address \"%s\" is not HOST:PORT or "
				 "unix:PATH", buf);
			return NULL;
		}
		*colon = '\0';
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno != 0 || *end != '\0' || end == colon + 1 || port < 1 || port > 65535) {
			jwt_fail(err, JWT_E_CONFIG, "Redis address: bad port in \"%.*s\"", (int)len, addr);
			return NULL;
		}
		if (host[0] == '[' && colon > host + 1 && colon[-1] == ']') {
			host++;
			colon[-1] = '\0';
		}
		c = redisConnectWithTimeout(host, (int)port, tv);
	}
	if (c == NULL) {
		jwt_fail(err, JWT_E_NOMEM, "out of memory connecting to Redis");
		return NULL;
	}
	if (c->err != 0 || redisSetTimeout(c, tv) != REDIS_OK) {
		jwt_fail(err, JWT_E_STORE, "cannot connect to Redis at %.*s: %s", (int)len, addr,
			 c->err ? c->errstr : "cannot set the timeout");
		redisFree(c);
		return NULL;
	}
	return c;
}

/* Runs a command; NULL (with the reason) on a connection error or an error reply. */
static redisReply *command(redisContext *c, const char *what, struct jwt_err *err,
			   const char *fmt, ...)
{
	redisReply *r;
	va_list ap;

	va_start(ap, fmt);
	r = redisvCommand(c, fmt, ap);
	va_end(ap);
	if (r == NULL) {
		jwt_fail(err, JWT_E_STORE, "Redis %s failed: %s", what,
			 c->err == REDIS_ERR_IO && strstr(c->errstr, "temporarily") != NULL
			 ? "no answer within redis_timeout_ms=" : c->errstr);
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		jwt_fail(err, JWT_E_STORE, "Redis %s refused: %.*s", what,
			 (int)(r->len > 120 ? 120 : r->len), r->str);
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* AUTH with the password file: "user password" (an ACL user) or "password". */
static enum jwt_status authenticate(const struct jwt_config *cfg, redisContext *c,
				    struct jwt_err *err)
{
	unsigned char *text = NULL;
	size_t len = 0, ulen;
	char *sp;
	redisReply *r;
	enum jwt_status rc;

	if (cfg->redis_password_file == NULL)
		return JWT_OK;
	rc = jwt_file_read(cfg->redis_password_file, JWT_FILE_SECRET, 4096, &text, &len, err);
	if (rc != JWT_OK) {
		err->status = rc == JWT_E_NOMEM ? rc : JWT_E_STORE;
		return err->status;
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	if (len == 0 || memchr(text, '\n', len) != NULL) {
		rc = jwt_fail(err, JWT_E_STORE, "%s must hold one line: \"user password\" or "
			      "\"password\"", cfg->redis_password_file);
		goto out;
	}
	sp = memchr(text, ' ', len);
	if (sp != NULL) {
		ulen = (size_t)(sp - (char *)text);
		r = command(c, "AUTH", err, "AUTH %b %b", text, ulen, sp + 1, len - ulen - 1);
	} else {
		r = command(c, "AUTH", err, "AUTH %b", text, len);
	}
	rc = r != NULL ? JWT_OK : JWT_E_STORE;
	if (r != NULL)
		freeReplyObject(r);
out:
	jwt_wipe_free(text, len);
	return rc;
}

static redisContext *open_authed(const struct jwt_config *cfg, const char *addr, size_t len,
				 struct jwt_err *err)
{
	redisContext *c = connect_addr(cfg, addr, len, err);

	if (c != NULL && authenticate(cfg, c, err) != JWT_OK) {
		redisFree(c);
		c = NULL;
	}
	return c;
}

/* Whether c is a master (ROLE's first element). */
static bool is_master(redisContext *c, struct jwt_err *err)
{
	redisReply *r = command(c, "ROLE", err, "ROLE");
	bool master;

	if (r == NULL)
		return false;
	master = r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
		 r->element[0]->type == REDIS_REPLY_STRING &&
		 strcmp(r->element[0]->str, "master") == 0;
	freeReplyObject(r);
	if (!master)
		jwt_fail(err, JWT_E_STORE, "the server Sentinel named is not a master (yet)");
	return master;
}

/*
 * Asks each sentinel of redis_sentinel= in turn for redis_master=, and
 * connects to the master it names once ROLE confirms it.
 */
static redisContext *open_via_sentinel(const struct jwt_config *cfg, struct jwt_err *err)
{
	const char *p = cfg->redis_sentinel;

	jwt_fail(err, JWT_E_STORE, "no sentinel in redis_sentinel=");
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		struct jwt_err serr = { 0 };
		redisContext *s = connect_addr(cfg, p, n, &serr), *m = NULL;
		redisReply *r = NULL;
		char addr[ADDR_MAX];

		if (s != NULL)
			r = command(s, "SENTINEL get-master-addr-by-name", &serr,
				    "SENTINEL get-master-addr-by-name %s", cfg->redis_master);
		if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[0]->type == REDIS_REPLY_STRING &&
		    r->element[1]->type == REDIS_REPLY_STRING) {
			snprintf(addr, sizeof(addr), strchr(r->element[0]->str, ':') ? "[%s]:%s"
				 : "%s:%s", r->element[0]->str, r->element[1]->str);
			m = open_authed(cfg, addr, strlen(addr), &serr);
			if (m != NULL && !is_master(m, &serr)) {
				redisFree(m);
				m = NULL;
			}
		} else if (r != NULL) {
			jwt_fail(&serr, JWT_E_STORE, "sentinel %.*s does not know master %s",
				 (int)n, p, cfg->redis_master);
		}
		if (r != NULL)
			freeReplyObject(r);
		if (s != NULL)
			redisFree(s);
		if (m != NULL)
			return m;
		*err = serr;
		p += n;
		if (*p == ',')
			p++;
	}
	return NULL;
}

static redisContext *open_store(const struct jwt_config *cfg, struct jwt_err *err)
{
	if (cfg->redis_sentinel != NULL)
		return open_via_sentinel(cfg, err);
	return open_authed(cfg, cfg->redis, strlen(cfg->redis), err);
}

static void key_name(const unsigned char *key, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = strlen(KEY_PREFIX);

	memcpy(out, KEY_PREFIX, n);
	for (size_t i = 0; i < JWT_STORE_KEY_LEN; i++) {
		out[n + 2 * i] = digits[key[i] >> 4];
		out[n + 2 * i + 1] = digits[key[i] & 15];
	}
	out[n + 2 * JWT_STORE_KEY_LEN] = '\0';
}

enum jwt_status jwt_store_redis_mark(const struct jwt_config *cfg,
				     const unsigned char key[JWT_STORE_KEY_LEN], int64_t until,
				     int64_t now, bool peek, struct jwt_err *err)
{
	char name[sizeof(KEY_PREFIX) + 2 * JWT_STORE_KEY_LEN];
	redisContext *c = open_store(cfg, err);
	redisReply *r = NULL;
	enum jwt_status rc = JWT_E_STORE;

	if (c == NULL)
		return err->status == JWT_OK ? jwt_fail(err, JWT_E_STORE, "Redis unavailable")
					     : err->status;
	key_name(key, name);
	if (until <= now)
		until = now + 1;
	if (peek) {
		r = command(c, "EXISTS", err, "EXISTS %s", name);
		if (r == NULL)
			goto out;
		rc = r->type != REDIS_REPLY_INTEGER
		     ? jwt_fail(err, JWT_E_STORE, "Redis EXISTS: unexpected reply")
		     : r->integer > 0 ? jwt_fail(err, JWT_E_REPLAY, "token already used (its "
						  "jti is recorded in Redis)") : JWT_OK;
		goto out;
	}
	r = command(c, "SET", err, "SET %s 1 NX EXAT %lld", name, (long long)until);
	if (r == NULL)
		goto out;
	if (r->type == REDIS_REPLY_NIL) {
		rc = jwt_fail(err, JWT_E_REPLAY, "token already used (its jti is recorded in Redis)");
		goto out;
	}
	if (r->type != REDIS_REPLY_STATUS || strcmp(r->str, "OK") != 0) {
		rc = jwt_fail(err, JWT_E_STORE, "Redis SET: unexpected reply");
		goto out;
	}
	rc = JWT_OK;
	if (cfg->redis_sentinel != NULL) {
		/* A failover must not lose the record: a replica holds it too. */
		freeReplyObject(r);
		r = command(c, "WAIT", err, "WAIT 1 %ld",
			    cfg->redis_timeout_ms > 1 ? cfg->redis_timeout_ms / 2 : 1);
		if (r == NULL)
			rc = JWT_E_STORE;
		else if (r->type != REDIS_REPLY_INTEGER || r->integer < 1)
			rc = jwt_fail(err, JWT_E_STORE, "no Redis replica acknowledged the record "
				      "in time (WAIT 1)");
	}
out:
	if (r != NULL)
		freeReplyObject(r);
	redisFree(c);
	return rc;
}
