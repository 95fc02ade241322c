/*
 * replay=redis: one-time tokens recorded in Redis, shared by every host that
 * points at it. The entry is "pam_jwt:used:<64 hex digits>", written with
 * SET key 1 NX EXAT <until> (Redis 7): the server lets exactly one SET NX win
 * and forgets the key at its expiry.
 *
 * hiredis 0.14, one connection per authentication (a PAM transaction has no
 * place to keep one): connect, AUTH, the commands, close. redis_timeout_ms=
 * is one deadline for all of it (TCP and unix sockets alike): each wait for
 * the socket is bounded by what is left of it, so a server that answers a
 * byte at a time cannot stretch a login. With redis_sentinel=, each sentinel
 * is asked for the master in turn, the answer is checked with ROLE, and the
 * write must reach a replica (WAIT 1) before the token counts as recorded;
 * the one deadline covers the sentinels too.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <hiredis/hiredis.h>

#include "jwt_file.h"
#include "jwt_identity.h"
#include "jwt_json.h"
#include "jwt_match.h"
#include "jwt_mem.h"
#include "jwt_revoke.h"
#include "jwt_store.h"

#define KEY_PREFIX "pam_jwt:used:"
#define ADDR_MAX 256

/* One store operation (a login's, or one of pam-jwt revoke): the settings and its deadline. */
struct op {
	const struct jwt_config *cfg;
	int64_t deadline;	/* CLOCK_MONOTONIC, in ms */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct op op_start(const struct jwt_config *cfg)
{
	struct op op = { cfg, mono_ms() + cfg->redis_timeout_ms };

	return op;
}

/* What is left of the deadline, in ms (0 once it has passed). */
static long remaining_ms(const struct op *op)
{
	int64_t left = op->deadline - mono_ms();

	return left > 0 ? (long)left : 0;
}

static enum jwt_status timed_out(const struct op *op, const char *what, struct jwt_err *err)
{
	return jwt_fail(err, JWT_E_STORE, "Redis %s failed: no answer within redis_timeout_ms= "
			"(%ld ms for the whole exchange)", what, op->cfg->redis_timeout_ms);
}

/* Connects to "HOST:PORT", "[V6]:PORT" or "unix:PATH" (addr, len bytes). */
static redisContext *connect_addr(const struct op *op, const char *addr, size_t len,
				  struct jwt_err *err)
{
	char buf[ADDR_MAX], *colon, *host = buf, *end;
	long left = remaining_ms(op);
	struct timeval tv = { .tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000 };
	redisContext *c;
	long port;

	if (left == 0) {
		timed_out(op, "connection", err);
		return NULL;
	}
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

/* r, or NULL (with the reason) on a connection error or an error reply. */
static redisReply *checked(redisContext *c, redisReply *r, const char *what, struct jwt_err *err)
{
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

/* Waits until c's socket is ready for events, within the deadline. */
static bool wait_ready(const struct op *op, redisContext *c, short events)
{
	struct pollfd p = { .fd = c->fd, .events = events };
	int n;

	do {
		long left = remaining_ms(op);

		if (left == 0)
			return false;
		n = poll(&p, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

/*
 * Sends what is buffered in c (a command appended to it) and reads its reply,
 * through checked(). No read or write waits past the deadline, however the
 * server spreads its bytes.
 */
static redisReply *exchange(const struct op *op, redisContext *c, const char *what,
			    struct jwt_err *err)
{
	void *reply = NULL;
	int done = 0;

	while (!done) {
		if (!wait_ready(op, c, POLLOUT)) {
			timed_out(op, what, err);
			return NULL;
		}
		if (redisBufferWrite(c, &done) != REDIS_OK)
			return checked(c, NULL, what, err);
	}
	for (;;) {
		if (redisGetReplyFromReader(c, &reply) != REDIS_OK)
			return checked(c, NULL, what, err);
		if (reply != NULL)
			return checked(c, reply, what, err);
		if (!wait_ready(op, c, POLLIN)) {
			timed_out(op, what, err);
			return NULL;
		}
		if (redisBufferRead(c) != REDIS_OK)
			return checked(c, NULL, what, err);
	}
}

/* Runs a command through exchange(). */
static redisReply *command(const struct op *op, redisContext *c, const char *what,
			   struct jwt_err *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = redisvAppendCommand(c, fmt, ap);
	va_end(ap);
	if (rc != REDIS_OK)
		return checked(c, NULL, what, err);
	return exchange(op, c, what, err);
}

enum jwt_status jwt_store_redis_password(const char *path, unsigned char **text, size_t *len,
					 struct jwt_err *err)
{
	enum jwt_status rc = jwt_file_read(path, JWT_FILE_SECRET, 4096, text, len, err);

	if (rc != JWT_OK) {
		err->status = rc == JWT_E_NOMEM ? rc : JWT_E_STORE;
		return err->status;
	}
	while (*len > 0 && ((*text)[*len - 1] == '\n' || (*text)[*len - 1] == '\r'))
		(*text)[--*len] = '\0';
	if (*len == 0 || memchr(*text, '\n', *len) != NULL) {
		jwt_wipe_free(*text, *len);
		*text = NULL;
		*len = 0;
		return jwt_fail(err, JWT_E_STORE, "%s must hold one line: \"user password\" or "
				"\"password\"", path);
	}
	return JWT_OK;
}

/* AUTH with the password file: "user password" (an ACL user) or "password". */
static enum jwt_status authenticate(const struct op *op, redisContext *c, struct jwt_err *err)
{
	const struct jwt_config *cfg = op->cfg;
	unsigned char *text = NULL;
	size_t len = 0, ulen;
	char *sp;
	redisReply *r;
	enum jwt_status rc;

	if (cfg->redis_password_file == NULL)
		return JWT_OK;
	rc = jwt_store_redis_password(cfg->redis_password_file, &text, &len, err);
	if (rc != JWT_OK)
		return rc;
	sp = memchr(text, ' ', len);
	if (sp != NULL) {
		ulen = (size_t)(sp - (char *)text);
		r = command(op, c, "AUTH", err, "AUTH %b %b", text, ulen, sp + 1, len - ulen - 1);
	} else {
		r = command(op, c, "AUTH", err, "AUTH %b", text, len);
	}
	rc = r != NULL ? JWT_OK : JWT_E_STORE;
	if (r != NULL)
		freeReplyObject(r);
	jwt_wipe_free(text, len);
	return rc;
}

static redisContext *open_authed(const struct op *op, const char *addr, size_t len,
				 struct jwt_err *err)
{
	redisContext *c = connect_addr(op, addr, len, err);

	if (c != NULL && authenticate(op, c, err) != JWT_OK) {
		redisFree(c);
		c = NULL;
	}
	return c;
}

/* Whether c is a master (ROLE's first element). */
static bool is_master(const struct op *op, redisContext *c, struct jwt_err *err)
{
	redisReply *r = command(op, c, "ROLE", err, "ROLE");
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
static redisContext *open_via_sentinel(const struct op *op, struct jwt_err *err)
{
	const struct jwt_config *cfg = op->cfg;
	struct jwt_list l;
	const char *p;
	size_t n;

	jwt_fail(err, JWT_E_STORE, "no sentinel in redis_sentinel=");
	jwt_list_start(&l, cfg->redis_sentinel, strlen(cfg->redis_sentinel));
	while (jwt_list_next(&l, &p, &n)) {
		struct jwt_err serr = { 0 };
		redisContext *s = connect_addr(op, p, n, &serr), *m = NULL;
		redisReply *r = NULL;
		char addr[ADDR_MAX];

		if (s != NULL)
			r = command(op, s, "SENTINEL get-master-addr-by-name", &serr,
				    "SENTINEL get-master-addr-by-name %s", cfg->redis_master);
		if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[0]->type == REDIS_REPLY_STRING &&
		    r->element[1]->type == REDIS_REPLY_STRING) {
			int alen = snprintf(addr, sizeof(addr), strchr(r->element[0]->str, ':')
					    ? "[%s]:%s" : "%s:%s", r->element[0]->str,
					    r->element[1]->str);

			if (alen > 0 && (size_t)alen < sizeof(addr))
				m = open_authed(op, addr, (size_t)alen, &serr);
			else
				jwt_fail(&serr, JWT_E_STORE, "sentinel %.*s names a master address "
					 "too long", (int)n, p);
			if (m != NULL && !is_master(op, m, &serr)) {
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
	}
	return NULL;
}

static redisContext *open_store(const struct op *op, struct jwt_err *err)
{
	if (op->cfg->redis_sentinel != NULL)
		return open_via_sentinel(op, err);
	return open_authed(op, op->cfg->redis, strlen(op->cfg->redis), err);
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

/*
 * Revocations kept in Redis (pam-jwt revoke --redis): pam_jwt:revoked:jti:ID,
 * pam_jwt:revoked:sub:S and pam_jwt:revoked:iss:I, whose value is "*" (every
 * token) or the Unix time before which tokens are revoked (iat < it, or no
 * iat), and whose expiry is the line's until=. S is kept lower-cased, and a
 * login looks up each of its names (struct jwt_names) lower-cased, so that a
 * sub revocation covers every spelling of every name the token logs in
 * under; and its sub claim as it stands, which is how keys were written
 * before. One MGET for them all.
 */
#define LOOKUPS (3 + JWT_NAMES_MAX)	/* jti, iss, sub as it stands, each name */

struct lookup {
	enum jwt_revoke_kind kind;
	const char *value;	/* the claim or the name looked up */
	size_t value_len;
	char *key;
	size_t key_len;
};

/* "pam_jwt:revoked:KIND:VALUE", VALUE lower-cased with lower; NULL when out of memory. */
static char *revocation_key(enum jwt_revoke_kind kind, const char *value, size_t len,
			    bool lower, size_t *key_len)
{
	char prefix[32];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "pam_jwt:revoked:%s:",
				       jwt_revoke_kind_name(kind));
	char *key = malloc(plen + len + 1);

	if (key == NULL)
		return NULL;
	memcpy(key, prefix, plen);
	memcpy(key + plen, value, len);
	if (lower)
		jwt_ascii_lower(key + plen, len);
	key[plen + len] = '\0';
	*key_len = plen + len;
	return key;
}

/* Adds value's key to l (n so far) unless it is there already; false when out of memory. */
static bool add_lookup(struct lookup *l, size_t *n, enum jwt_revoke_kind kind, const char *value,
		       size_t len, bool lower)
{
	struct lookup *new = &l[*n];

	if (value == NULL)
		return true;
	new->key = revocation_key(kind, value, len, lower, &new->key_len);
	if (new->key == NULL)
		return false;
	for (size_t i = 0; i < *n; i++) {
		if (l[i].key_len == new->key_len && memcmp(l[i].key, new->key, new->key_len) == 0) {
			free(new->key);
			new->key = NULL;
			return true;
		}
	}
	new->kind = kind;
	new->value = value;
	new->value_len = len;
	(*n)++;
	return true;
}

static enum jwt_status check_revoked(const struct op *op, redisContext *c, json_object *claims,
				     const struct jwt_names *names, struct jwt_err *err)
{
	struct lookup l[LOOKUPS] = { { 0 } };
	const char *argv[LOOKUPS + 1] = { "MGET" };
	size_t argl[LOOKUPS + 1] = { 4 }, n = 0, len = 0;
	enum jwt_status rc = JWT_OK;
	redisReply *r = NULL;
	const char *v;
	bool ok;

	v = jwt_json_string(claims, "jti", &len);
	ok = add_lookup(l, &n, JWT_REVOKE_JTI, v, len, false);
	v = jwt_json_string(claims, "iss", &len);
	ok = ok && add_lookup(l, &n, JWT_REVOKE_ISS, v, len, false);
	v = jwt_json_string(claims, "sub", &len);
	ok = ok && add_lookup(l, &n, JWT_REVOKE_SUB, v, len, false);
	for (size_t i = 0; ok && names != NULL && i < names->count; i++)
		ok = add_lookup(l, &n, JWT_REVOKE_SUB, names->name[i], names->len[i], true);
	if (!ok) {
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
		goto out;
	}
	if (n == 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		argv[i + 1] = l[i].key;
		argl[i + 1] = l[i].key_len;
	}
	r = redisAppendCommandArgv(c, (int)n + 1, argv, argl) == REDIS_OK
	    ? exchange(op, c, "MGET (revocations)", err)
	    : checked(c, NULL, "MGET (revocations)", err);
	if (r == NULL) {
		rc = JWT_E_STORE;
		goto out;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
		rc = jwt_fail(err, JWT_E_STORE, "Redis MGET (revocations): unexpected reply");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		redisReply *e = r->element[i];
		const char *kind = jwt_revoke_kind_name(l[i].kind);
		struct jwt_revocation rev = { .kind = l[i].kind, .value = l[i].value,
					      .value_len = l[i].value_len };
		char when[32];

		if (e->type == REDIS_REPLY_NIL)
			continue;
		if (e->type != REDIS_REPLY_STRING) {
			rc = jwt_fail(err, JWT_E_STORE, "Redis revocation of a %s: unexpected reply",
				      kind);
			break;
		}
		if (!(e->len == 1 && e->str[0] == '*')) {
			if (!jwt_revoke_parse_time(e->str, e->len, &rev.before)) {
				rc = jwt_fail(err, JWT_E_STORE, "Redis revocation of a %s: value is "
					      "neither * nor a time", kind);
				break;
			}
			rev.has_before = l[i].kind != JWT_REVOKE_JTI;
		}
		if (!jwt_revoke_matches(&rev, claims, names))
			continue;
		if (rev.has_before)
			jwt_revoke_format_time(rev.before, when, sizeof(when));
		rc = jwt_fail(err, JWT_E_REVOKED, "token revoked in Redis (%s%s%s)", kind,
			      rev.has_before ? " issued before " : "", rev.has_before ? when : "");
		break;
	}
out:
	if (r != NULL)
		freeReplyObject(r);
	for (size_t i = 0; i < n; i++)
		free(l[i].key);
	return rc;
}

enum jwt_status jwt_store_redis_mark(const struct jwt_config *cfg,
				     const unsigned char key[JWT_STORE_KEY_LEN], int64_t until,
				     int64_t now, bool peek, json_object *claims,
				     const struct jwt_names *names, struct jwt_err *err)
{
	char name[sizeof(KEY_PREFIX) + 2 * JWT_STORE_KEY_LEN];
	struct op op = op_start(cfg);
	redisContext *c = open_store(&op, err);
	redisReply *r = NULL;
	enum jwt_status rc = JWT_E_STORE;

	if (c == NULL)
		return err->status == JWT_OK ? jwt_fail(err, JWT_E_STORE, "Redis unavailable")
					     : err->status;
	key_name(key, name);
	if (until <= now)
		until = now + 1;
	if (claims != NULL) {
		rc = check_revoked(&op, c, claims, names, err);
		if (rc != JWT_OK)
			goto out;
		rc = JWT_E_STORE;
	}
	if (peek) {
		r = command(&op, c, "EXISTS", err, "EXISTS %s", name);
		if (r == NULL)
			goto out;
		rc = r->type != REDIS_REPLY_INTEGER
		     ? jwt_fail(err, JWT_E_STORE, "Redis EXISTS: unexpected reply")
		     : r->integer > 0 ? jwt_fail(err, JWT_E_REPLAY, "token already used (its "
						  "jti is recorded in Redis)") : JWT_OK;
		goto out;
	}
	r = command(&op, c, "SET", err, "SET %s 1 NX EXAT %lld", name, (long long)until);
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
		long wait_ms = remaining_ms(&op) / 2;

		freeReplyObject(r);
		r = command(&op, c, "WAIT", err, "WAIT 1 %ld", wait_ms > 1 ? wait_ms : 1);
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

enum jwt_status jwt_store_redis_revoke(const struct jwt_config *cfg,
				       const struct jwt_revocation *rev, struct jwt_err *err)
{
	struct op op = op_start(cfg);
	redisContext *c = open_store(&op, err);
	redisReply *r = NULL;
	enum jwt_status rc = JWT_E_STORE;
	char value[32];
	char *name;
	size_t len;
	int64_t before = rev->has_before ? rev->before : 0;

	if (c == NULL)
		return err->status;
	name = revocation_key(rev->kind, rev->value, rev->value_len, rev->kind == JWT_REVOKE_SUB,
			      &len);
	if (name == NULL) {
		redisFree(c);
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	/* A later before= for the same subject or issuer widens it; "*" stays "*". */
	r = command(&op, c, "GET", err, "GET %b", name, len);
	if (r == NULL)
		goto out;
	if (r->type == REDIS_REPLY_STRING) {
		int64_t old;

		if (r->len == 1 && r->str[0] == '*')
			before = -1;
		else if (rev->has_before && jwt_revoke_parse_time(r->str, r->len, &old) &&
			 old > before)
			before = old;
	}
	freeReplyObject(r);
	if (before < 0 || !rev->has_before)
		(void)snprintf(value, sizeof(value), "*");
	else
		(void)snprintf(value, sizeof(value), "%lld", (long long)before);
	if (rev->has_until)
		r = command(&op, c, "SET", err, "SET %b %s EXAT %lld", name, len, value,
			    (long long)rev->until);
	else
		r = command(&op, c, "SET", err, "SET %b %s", name, len, value);
	rc = r != NULL ? JWT_OK : JWT_E_STORE;
out:
	if (r != NULL)
		freeReplyObject(r);
	free(name);
	redisFree(c);
	return rc;
}

enum jwt_status jwt_store_redis_list(const struct jwt_config *cfg, jwt_revoke_fn *fn, void *ctx,
				     struct jwt_err *err)
{
	struct op op = op_start(cfg);
	redisContext *c = open_store(&op, err);
	redisReply *r = NULL;
	char cursor[32] = "0";
	enum jwt_status rc = JWT_OK;

	if (c == NULL)
		return err->status;
	do {
		r = command(&op, c, "SCAN", err, "SCAN %s MATCH pam_jwt:revoked:* COUNT 1000", cursor);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
		    r->element[0]->type != REDIS_REPLY_STRING) {
			rc = r == NULL ? JWT_E_STORE
				       : jwt_fail(err, JWT_E_STORE, "Redis SCAN: unexpected reply");
			break;
		}
		(void)snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
		for (size_t i = 0; i < r->element[1]->elements; i++) {
			redisReply *k = r->element[1]->element[i], *v, *t;
			struct jwt_revocation rev = { 0 };
			const char *rest;
			bool known = true;

			if (k->type != REDIS_REPLY_STRING || k->len < 20)
				continue;
			rest = k->str + 16;	/* after "pam_jwt:revoked:" */
			if (strncmp(rest, "jti:", 4) == 0)
				rev.kind = JWT_REVOKE_JTI;
			else if (strncmp(rest, "sub:", 4) == 0)
				rev.kind = JWT_REVOKE_SUB;
			else if (strncmp(rest, "iss:", 4) == 0)
				rev.kind = JWT_REVOKE_ISS;
			else
				known = false;
			if (!known)
				continue;
			rev.value = rest + 4;
			rev.value_len = k->len - 20;
			v = command(&op, c, "GET", err, "GET %b", k->str, k->len);
			t = v == NULL ? NULL : command(&op, c, "EXPIRETIME", err, "EXPIRETIME %b",
							 k->str, k->len);
			if (v != NULL && v->type == REDIS_REPLY_STRING && !(v->len == 1 &&
			    v->str[0] == '*') && jwt_revoke_parse_time(v->str, v->len, &rev.before))
				rev.has_before = rev.kind != JWT_REVOKE_JTI;
			if (t != NULL && t->type == REDIS_REPLY_INTEGER && t->integer > 0) {
				rev.has_until = true;
				rev.until = t->integer;
			}
			if (v != NULL)
				freeReplyObject(v);
			if (t != NULL)
				freeReplyObject(t);
			if (v == NULL || t == NULL) {
				rc = JWT_E_STORE;
				break;
			}
			if (!fn(ctx, 0, k->str, k->len, &rev))
				break;
		}
		freeReplyObject(r);
		r = NULL;
	} while (rc == JWT_OK && strcmp(cursor, "0") != 0);
	if (r != NULL)
		freeReplyObject(r);
	redisFree(c);
	return rc;
}
