/* The registry of sessions bound to their token (jwt_session.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_replay.h"
#include "jwt_session.h"
#include "jwt_sig.h"
#include "jwt_store.h"

/* The record's format: a record of another version is refused, never guessed at. */
#define RECORD_VERSION 1

void jwt_session_free(struct jwt_session *s)
{
	char **fields[] = { &s->user, &s->iss, &s->sub, &s->jti, &s->service, &s->rhost,
			     &s->tty, &s->logind, &s->revoked_file, &s->redis_addr,
			     &s->redis_password_file, &s->redis_sentinel, &s->redis_master };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char **field = fields[i];

		free(*field);
	}
	for (size_t i = 0; i < s->nnames; i++)
		free(s->names[i]);
	memset(s, 0, sizeof(*s));
}

enum jwt_status jwt_session_new_id(char id[JWT_SESSION_ID_LEN + 1], struct jwt_err *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[JWT_SESSION_ID_LEN / 2];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return jwt_fail(err, JWT_E_SYSTEM, "cannot read random bytes for a session id: %s",
				strerror(errno));
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = digits[raw[i] >> 4];
		id[2 * i + 1] = digits[raw[i] & 15];
	}
	id[JWT_SESSION_ID_LEN] = '\0';
	return JWT_OK;
}

bool jwt_session_id_ok(const char *id)
{
	if (id == NULL || strlen(id) != JWT_SESSION_ID_LEN)
		return false;
	return strspn(id, "0123456789abcdef") == JWT_SESSION_ID_LEN;
}

bool jwt_session_parse_end(const char *value, unsigned *end)
{
	static const struct { const char *text; unsigned bits; } forms[] = {
		{ "exp", JWT_SESSION_END_EXP },
		{ "revoke", JWT_SESSION_END_REVOKE },
		{ "exp,revoke", JWT_SESSION_END_EXP | JWT_SESSION_END_REVOKE },
		{ "revoke,exp", JWT_SESSION_END_EXP | JWT_SESSION_END_REVOKE },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (strcmp(value, forms[i].text) == 0) {
			*end = forms[i].bits;
			return true;
		}
	}
	return false;
}

/* Adds v (which may be NULL: out of memory) as member name; false when it could not. */
static bool add_value(json_object *o, const char *name, json_object *v)
{
	if (v == NULL)
		return false;
	if (json_object_object_add(o, name, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}

/* Adds a string member when s is set; false when out of memory. */
static bool add_string(json_object *o, const char *name, const char *s)
{
	return s == NULL || add_value(o, name, json_object_new_string(s));
}

static bool add_int(json_object *o, const char *name, int64_t n)
{
	return add_value(o, name, json_object_new_int64(n));
}

static bool add_bool(json_object *o, const char *name, bool b)
{
	return add_value(o, name, json_object_new_boolean(b));
}

static bool add_names(json_object *o, const struct jwt_session *s)
{
	json_object *a = json_object_new_array();

	if (a == NULL)
		return false;
	for (size_t i = 0; i < s->nnames; i++) {
		json_object *v = json_object_new_string(s->names[i]);

		if (v == NULL || json_object_array_add(a, v) != 0) {
			json_object_put(v);
			json_object_put(a);
			return false;
		}
	}
	return add_value(o, "names", a);
}

char *jwt_session_format(const struct jwt_session *s)
{
	json_object *o = json_object_new_object();
	char *text = NULL;
	bool ok;

	if (o == NULL)
		return NULL;
	ok = add_int(o, "version", RECORD_VERSION) && add_string(o, "id", s->id) &&
	     add_int(o, "created", s->created) && add_string(o, "user", s->user) &&
	     add_string(o, "iss", s->iss) && add_string(o, "sub", s->sub) &&
	     add_string(o, "jti", s->jti) && (!s->has_iat || add_int(o, "iat", s->iat)) &&
	     add_int(o, "exp", s->exp) && add_string(o, "fingerprint", s->fingerprint) &&
	     add_names(o, s) && add_string(o, "service", s->service) &&
	     add_string(o, "rhost", s->rhost) && add_string(o, "tty", s->tty) &&
	     add_string(o, "logind", s->logind) && add_int(o, "pid", s->proc.pid) &&
	     add_int(o, "start", (int64_t)s->proc.start) &&
	     add_bool(o, "end_exp", s->end & JWT_SESSION_END_EXP) &&
	     add_bool(o, "end_revoke", s->end & JWT_SESSION_END_REVOKE) &&
	     add_int(o, "warn", s->warn) && add_bool(o, "warned", s->warned) &&
	     add_string(o, "revoked_file", s->revoked_file) && add_bool(o, "redis", s->redis) &&
	     add_string(o, "redis_addr", s->redis_addr) &&
	     add_string(o, "redis_password_file", s->redis_password_file) &&
	     add_string(o, "redis_sentinel", s->redis_sentinel) &&
	     add_string(o, "redis_master", s->redis_master) &&
	     add_int(o, "redis_timeout_ms", s->redis_timeout_ms);
	if (ok) {
		const char *t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (t != NULL)
			text = strdup(t);
	}
	json_object_put(o);
	return text;
}

/* The members a record may have, and their types. */
enum member_type { M_STRING, M_INT, M_BOOL, M_NAMES };
static const struct { const char *name; enum member_type type; bool required; } members[] = {
	{ "version", M_INT, true }, { "id", M_STRING, true }, { "created", M_INT, true },
	{ "user", M_STRING, true }, { "iss", M_STRING, false }, { "sub", M_STRING, false },
	{ "jti", M_STRING, false }, { "iat", M_INT, false }, { "exp", M_INT, true },
	{ "fingerprint", M_STRING, true }, { "names", M_NAMES, true },
	{ "service", M_STRING, false }, { "rhost", M_STRING, false }, { "tty", M_STRING, false },
	{ "logind", M_STRING, false }, { "pid", M_INT, true }, { "start", M_INT, true },
	{ "end_exp", M_BOOL, true }, { "end_revoke", M_BOOL, true }, { "warn", M_INT, true },
	{ "warned", M_BOOL, true }, { "revoked_file", M_STRING, false },
	{ "redis", M_BOOL, true }, { "redis_addr", M_STRING, false },
	{ "redis_password_file", M_STRING, false }, { "redis_sentinel", M_STRING, false },
	{ "redis_master", M_STRING, false }, { "redis_timeout_ms", M_INT, true },
};
#define NMEMBERS (sizeof(members) / sizeof(members[0]))

static enum jwt_status bad(struct jwt_err *err, const char *name, const char *why)
{
	return jwt_fail(err, JWT_E_MALFORMED, "session record: \"%s\" %s", name, why);
}

/* A string member: no NUL, not empty, at most JWT_SESSION_FIELD_MAX bytes; copied to *out. */
static enum jwt_status take_string(json_object *v, const char *name, char **out,
				   struct jwt_err *err)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (len == 0 || len > JWT_SESSION_FIELD_MAX || memchr(s, '\0', len) != NULL)
		return bad(err, name, "is empty, too long or holds a NUL byte");
	*out = strndup(s, len);
	if (*out == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	return JWT_OK;
}

/* An integer member from min to max (json-c clamps: the type is checked first). */
static enum jwt_status take_int(json_object *v, const char *name, int64_t min, int64_t max,
				int64_t *out, struct jwt_err *err)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return bad(err, name, "is not an integer");
	errno = 0;
	n = json_object_get_int64(v);
	if (errno != 0 || n < min || n > max || n == INT64_MAX || n == INT64_MIN)
		return bad(err, name, "is out of range");
	*out = n;
	return JWT_OK;
}

static enum jwt_status check_types(json_object *o, struct jwt_err *err)
{
	size_t found = 0;

	json_object_object_foreach(o, key, val) {
		size_t i;

		for (i = 0; i < NMEMBERS; i++)
			if (strcmp(key, members[i].name) == 0)
				break;
		if (i == NMEMBERS)
			return jwt_fail(err, JWT_E_MALFORMED, "session record: unknown member");
		found++;
		switch (members[i].type) {
		case M_STRING:
			if (!json_object_is_type(val, json_type_string))
				return bad(err, key, "is not a string");
			break;
		case M_INT:
			if (!json_object_is_type(val, json_type_int))
				return bad(err, key, "is not an integer");
			break;
		case M_BOOL:
			if (!json_object_is_type(val, json_type_boolean))
				return bad(err, key, "is not true or false");
			break;
		case M_NAMES:
			if (!json_object_is_type(val, json_type_array))
				return bad(err, key, "is not an array");
			break;
		}
	}
	for (size_t i = 0; i < NMEMBERS; i++) {
		json_object *v;

		if (members[i].required && !json_object_object_get_ex(o, members[i].name, &v))
			return bad(err, members[i].name, "is missing");
	}
	(void)found;
	return JWT_OK;
}

static enum jwt_status opt_string(json_object *o, const char *name, char **out,
				  struct jwt_err *err)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v))
		return JWT_OK;
	return take_string(v, name, out, err);
}

static enum jwt_status get_int(json_object *o, const char *name, int64_t min, int64_t max,
			       int64_t *out, struct jwt_err *err)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v))
		return JWT_OK;
	return take_int(v, name, min, max, out, err);
}

static bool get_bool(json_object *o, const char *name)
{
	json_object *v;

	return json_object_object_get_ex(o, name, &v) && json_object_get_boolean(v);
}

static enum jwt_status fill(json_object *o, struct jwt_session *s, struct jwt_err *err)
{
	static const struct { const char *name; size_t offset; } strings[] = {
		{ "user", offsetof(struct jwt_session, user) },
		{ "iss", offsetof(struct jwt_session, iss) },
		{ "sub", offsetof(struct jwt_session, sub) },
		{ "jti", offsetof(struct jwt_session, jti) },
		{ "service", offsetof(struct jwt_session, service) },
		{ "rhost", offsetof(struct jwt_session, rhost) },
		{ "tty", offsetof(struct jwt_session, tty) },
		{ "logind", offsetof(struct jwt_session, logind) },
		{ "revoked_file", offsetof(struct jwt_session, revoked_file) },
		{ "redis_addr", offsetof(struct jwt_session, redis_addr) },
		{ "redis_password_file", offsetof(struct jwt_session, redis_password_file) },
		{ "redis_sentinel", offsetof(struct jwt_session, redis_sentinel) },
		{ "redis_master", offsetof(struct jwt_session, redis_master) },
	};
	json_object *v, *names;
	char *text = NULL;
	int64_t n = 0;
	enum jwt_status rc;

	rc = get_int(o, "version", RECORD_VERSION, RECORD_VERSION, &n, err);
	if (rc != JWT_OK)
		return rc;
	json_object_object_get_ex(o, "id", &v);
	rc = take_string(v, "id", &text, err);
	if (rc != JWT_OK)
		return rc;
	if (!jwt_session_id_ok(text)) {
		free(text);
		return bad(err, "id", "is not a session id");
	}
	memcpy(s->id, text, JWT_SESSION_ID_LEN + 1);
	free(text);
	text = NULL;
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		rc = opt_string(o, strings[i].name,
				(char **)(void *)((char *)s + strings[i].offset), err);
		if (rc != JWT_OK)
			return rc;
	}
	json_object_object_get_ex(o, "fingerprint", &v);
	rc = take_string(v, "fingerprint", &text, err);
	if (rc != JWT_OK)
		return rc;
	if (strlen(text) != JWT_SESSION_FINGERPRINT_LEN || strncmp(text, "sha256:", 7) != 0 ||
	    strspn(text + 7, "0123456789abcdef") != 16) {
		free(text);
		return bad(err, "fingerprint", "is not a fingerprint");
	}
	memcpy(s->fingerprint, text, JWT_SESSION_FINGERPRINT_LEN + 1);
	free(text);
	/* Times: Unix seconds from 0 to the year 9999. */
	if ((rc = get_int(o, "created", 0, 253402300799, &s->created, err)) != JWT_OK ||
	    (rc = get_int(o, "exp", 0, 253402300799, &s->exp, err)) != JWT_OK)
		return rc;
	s->has_iat = json_object_object_get_ex(o, "iat", &v);
	if (s->has_iat && (rc = take_int(v, "iat", 0, 253402300799, &s->iat, err)) != JWT_OK)
		return rc;
	n = 0;
	if ((rc = get_int(o, "pid", 0, 4194304, &n, err)) != JWT_OK)
		return rc;
	s->proc.pid = (pid_t)n;
	n = 0;
	if ((rc = get_int(o, "start", 0, INT64_MAX - 1, &n, err)) != JWT_OK)
		return rc;
	s->proc.start = (unsigned long long)n;
	if ((rc = get_int(o, "warn", 0, JWT_SESSION_WARN_MAX, &n, err)) != JWT_OK)
		return rc;
	s->warn = (long)n;
	if ((rc = get_int(o, "redis_timeout_ms", 0, JWT_MAX_REDIS_TIMEOUT_MS, &n, err)) != JWT_OK)
		return rc;
	s->redis_timeout_ms = (long)n;
	s->end = (get_bool(o, "end_exp") ? JWT_SESSION_END_EXP : 0) |
		 (get_bool(o, "end_revoke") ? JWT_SESSION_END_REVOKE : 0);
	s->warned = get_bool(o, "warned");
	s->redis = get_bool(o, "redis");
	json_object_object_get_ex(o, "names", &names);
	if (json_object_array_length(names) > JWT_NAMES_MAX)
		return bad(err, "names", "has more than " "4" " elements");
	for (size_t i = 0; i < json_object_array_length(names); i++) {
		v = json_object_array_get_idx(names, i);
		if (!json_object_is_type(v, json_type_string))
			return bad(err, "names", "holds a value that is not a string");
		rc = take_string(v, "names", &s->names[i], err);
		if (rc != JWT_OK)
			return rc;
		s->nnames = i + 1;
	}
	/* What only makes sense together. */
	if (s->redis && s->redis_addr == NULL && s->redis_sentinel == NULL)
		return bad(err, "redis", "is set without redis_addr or redis_sentinel");
	if (s->redis && s->redis_timeout_ms == 0)
		return bad(err, "redis_timeout_ms", "is 0");
	if (s->revoked_file != NULL && s->revoked_file[0] != '/')
		return bad(err, "revoked_file", "is not an absolute path");
	return JWT_OK;
}

enum jwt_status jwt_session_parse(const char *text, size_t len, struct jwt_session *s,
				  struct jwt_err *err)
{
	json_object *o = NULL;
	enum jwt_status rc;

	memset(s, 0, sizeof(*s));
	if (len > JWT_SESSION_RECORD_MAX)
		return jwt_fail(err, JWT_E_MALFORMED, "session record is longer than %d bytes",
				JWT_SESSION_RECORD_MAX);
	rc = jwt_json_parse_object(text, len, "session record", &o, err);
	if (rc == JWT_OK)
		rc = check_types(o, err);
	if (rc == JWT_OK)
		rc = fill(o, s, err);
	if (rc == JWT_E_NOMEM || rc == JWT_OK)
		;
	else
		rc = jwt_fail_keep(err, JWT_E_MALFORMED);
	if (rc != JWT_OK)
		jwt_session_free(s);
	json_object_put(o);
	return rc;
}

/* The registry's directories: ours, a directory, no access for group or others. */
static enum jwt_status check_dir_fd(int fd, const char *path, struct jwt_err *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return jwt_fail(err, JWT_E_STORE, "cannot stat session registry %s: %s", path,
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jwt_fail(err, JWT_E_STORE, "session registry %s is not a directory", path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return jwt_fail(err, JWT_E_STORE, "session registry %s is owned by uid %lu, not "
				"root or uid %lu", path, (unsigned long)st.st_uid,
				(unsigned long)geteuid());
	if (st.st_mode & 077)
		return jwt_fail(err, JWT_E_STORE, "session registry %s is open to group or others "
				"(mode %04o, wants 0700)", path, (unsigned)(st.st_mode & 07777));
	return JWT_OK;
}

enum jwt_status jwt_session_dir_open(const char *dir, bool pending, bool create, int *fd,
				     struct jwt_err *err)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	char path[4096];
	enum jwt_status rc;

	*fd = -1;
	if (dir[0] != '/')
		return jwt_fail(err, JWT_E_STORE, "session registry %s is not an absolute path", dir);
	if (pending) {
		/* The registry itself is held to its own rule (0700) first. */
		int rfd;

		rc = jwt_session_dir_open(dir, false, create, &rfd, err);
		if (rc != JWT_OK || rfd < 0)
			return rc;
		close(rfd);
	}
	if (snprintf(path, sizeof(path), "%s%s%s", dir, pending ? "/" : "",
		     pending ? JWT_SESSION_PENDING : "") >= (int)sizeof(path))
		return jwt_fail(err, JWT_E_STORE, "session registry path is too long");
	if (create && pending)
		(void)mkdir(path, 0700);
	else if (create)
		jwt_file_make_dirs(dir);
	*fd = open(path, flags);
	if (*fd < 0) {
		struct stat st;
		int e = errno;

		if (e == ENOENT && !create)
			return JWT_OK;
		if ((e == ELOOP || e == ENOTDIR) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return jwt_fail(err, JWT_E_STORE, "cannot open session registry %s: it is "
					"a symbolic link", path);
		return jwt_fail(err, JWT_E_STORE, "cannot open session registry %s: %s", path,
				strerror(e));
	}
	rc = check_dir_fd(*fd, path, err);
	/* The directories above it: whoever can rename them can swap the registry. */
	if (rc == JWT_OK && jwt_file_check_parents(path, err) != JWT_OK)
		rc = jwt_fail_keep(err, JWT_E_STORE);
	if (rc != JWT_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

static enum jwt_status write_all(int fd, const char *text, size_t len, struct jwt_err *err)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return jwt_fail(err, JWT_E_STORE, "cannot write a session record: %s",
					n < 0 ? strerror(errno) : "short write");
		text += n;
		len -= (size_t)n;
	}
	return JWT_OK;
}

/*
 * Puts the temporary file tmp in place of the record id. existing: only if the
 * record is still there (*gone set when it is not), so that a record removed
 * meanwhile (close_session) is not made again: the two names are exchanged
 * in one step (RENAME_EXCHANGE) and the old record, now under tmp, removed.
 * A filesystem without the exchange gets a check before the rename, with a
 * window between them.
 */
static enum jwt_status put_in_place(int dfd, const char *tmp, const char *id, bool existing,
				    bool *gone, struct jwt_err *err)
{
	if (existing) {
		if (renameat2(dfd, tmp, dfd, id, RENAME_EXCHANGE) == 0) {
			(void)unlinkat(dfd, tmp, 0);
			return JWT_OK;
		}
		if (errno == ENOENT) {
			*gone = true;
			return JWT_OK;
		}
		if (errno != EINVAL && errno != ENOSYS)
			return jwt_fail(err, JWT_E_STORE, "cannot put a session record in place: %s",
					strerror(errno));
		if (faccessat(dfd, id, F_OK, AT_SYMLINK_NOFOLLOW) != 0) {
			*gone = true;
			return JWT_OK;
		}
	}
	if (renameat(dfd, tmp, dfd, id) != 0)
		return jwt_fail(err, JWT_E_STORE, "cannot rename a session record into place: %s",
				strerror(errno));
	return JWT_OK;
}

static enum jwt_status write_record(const char *dir, bool pending, const struct jwt_session *s,
				    bool existing, bool *gone, struct jwt_err *err)
{
	char tmp[JWT_SESSION_ID_LEN + 16], rnd[JWT_SESSION_ID_LEN + 1];
	char *text;
	enum jwt_status rc;
	int dfd, fd;

	if (!jwt_session_id_ok(s->id))
		return jwt_fail(err, JWT_E_STORE, "session record without a valid id");
	rc = jwt_session_dir_open(dir, pending, true, &dfd, err);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_session_new_id(rnd, err);
	if (rc != JWT_OK) {
		close(dfd);
		return rc;
	}
	/* The temporary name is not an id: jwt_session_list() skips it. */
	(void)snprintf(tmp, sizeof(tmp), ".tmp.%.16s", rnd);
	text = jwt_session_format(s);
	if (text == NULL) {
		close(dfd);
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	}
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = jwt_fail(err, JWT_E_STORE, "cannot create a session record in %s: %s", dir,
			      strerror(errno));
		goto out;
	}
	rc = write_all(fd, text, strlen(text), err);
	if (rc == JWT_OK && fchmod(fd, 0600) != 0)
		rc = jwt_fail(err, JWT_E_STORE, "cannot set the mode of a session record: %s",
			      strerror(errno));
	if (close(fd) != 0 && rc == JWT_OK)
		rc = jwt_fail(err, JWT_E_STORE, "cannot write a session record: %s",
			      strerror(errno));
	if (rc == JWT_OK)
		rc = put_in_place(dfd, tmp, s->id, existing, gone, err);
	if (rc != JWT_OK || *gone)
		(void)unlinkat(dfd, tmp, 0);
out:
	free(text);
	close(dfd);
	return rc;
}

enum jwt_status jwt_session_write(const char *dir, bool pending, const struct jwt_session *s,
				  struct jwt_err *err)
{
	bool gone = false;

	return write_record(dir, pending, s, false, &gone, err);
}

enum jwt_status jwt_session_rewrite(const char *dir, const struct jwt_session *s, bool *gone,
				    struct jwt_err *err)
{
	*gone = false;
	return write_record(dir, false, s, true, gone, err);
}

enum jwt_status jwt_session_read(const char *dir, bool pending, const char *id,
				 struct jwt_session *s, struct jwt_err *err)
{
	char buf[JWT_SESSION_RECORD_MAX + 1];
	struct stat st;
	size_t got = 0;
	enum jwt_status rc;
	int dfd, fd;

	memset(s, 0, sizeof(*s));
	if (!jwt_session_id_ok(id))
		return jwt_fail(err, JWT_E_STORE, "not a session id");
	rc = jwt_session_dir_open(dir, pending, false, &dfd, err);
	if (rc != JWT_OK)
		return rc;
	if (dfd < 0)
		return jwt_fail(err, JWT_E_STORE, "no session registry at %s", dir);
	fd = openat(dfd, id, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(dfd);
	if (fd < 0)
		return jwt_fail(err, JWT_E_STORE, "cannot open session record %s: %s", id,
				errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 077) != 0) {
		close(fd);
		return jwt_fail(err, JWT_E_STORE, "session record %s is not a regular file of "
				"root with mode 0600", id);
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = jwt_fail(err, JWT_E_STORE, "cannot read session record %s: %s", id,
				      strerror(errno));
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == sizeof(buf)) {
			rc = jwt_fail(err, JWT_E_MALFORMED, "session record %s is longer than "
				      "%d bytes", id, JWT_SESSION_RECORD_MAX);
			break;
		}
	}
	close(fd);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_session_parse(buf, got, s, err);
	if (rc == JWT_OK && strcmp(s->id, id) != 0) {
		jwt_session_free(s);
		rc = jwt_fail(err, JWT_E_MALFORMED, "session record %s holds another id", id);
	}
	return rc;
}

enum jwt_status jwt_session_remove(const char *dir, bool pending, const char *id,
				   struct jwt_err *err)
{
	enum jwt_status rc;
	int dfd;

	if (!jwt_session_id_ok(id))
		return jwt_fail(err, JWT_E_STORE, "not a session id");
	rc = jwt_session_dir_open(dir, pending, false, &dfd, err);
	if (rc != JWT_OK || dfd < 0)
		return rc;
	if (unlinkat(dfd, id, 0) != 0 && errno != ENOENT)
		rc = jwt_fail(err, JWT_E_STORE, "cannot remove session record %s: %s", id,
			      strerror(errno));
	close(dfd);
	return rc;
}

enum jwt_status jwt_session_list(const char *dir, bool pending, jwt_session_fn *fn, void *ctx,
				 struct jwt_err *err)
{
	struct dirent *de;
	enum jwt_status rc;
	DIR *d;
	int dfd;

	rc = jwt_session_dir_open(dir, pending, false, &dfd, err);
	if (rc != JWT_OK || dfd < 0)
		return rc;
	d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return jwt_fail(err, JWT_E_STORE, "cannot list %s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (!jwt_session_id_ok(de->d_name))
			continue;
		if (!fn(ctx, de->d_name))
			break;
	}
	closedir(d);
	return JWT_OK;
}

struct prune {
	int64_t before;
	unsigned long removed;
	char (*ids)[JWT_SESSION_ID_LEN + 1];
	size_t n, cap;
};

static bool collect(void *ctx, const char *id)
{
	struct prune *p = ctx;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		void *ids = realloc(p->ids, cap * sizeof(*p->ids));

		if (ids == NULL)
			return false;
		p->ids = ids;
		p->cap = cap;
	}
	memcpy(p->ids[p->n++], id, JWT_SESSION_ID_LEN + 1);
	return true;
}

enum jwt_status jwt_session_prune_pending(const char *dir, int64_t now, int64_t max_age,
					  unsigned long *removed, struct jwt_err *err)
{
	struct prune p = { now - max_age, 0, NULL, 0, 0 };
	enum jwt_status rc;
	int dfd;

	*removed = 0;
	rc = jwt_session_list(dir, true, collect, &p, err);
	if (rc != JWT_OK || p.n == 0) {
		free(p.ids);
		return rc;
	}
	rc = jwt_session_dir_open(dir, true, false, &dfd, err);
	for (size_t i = 0; rc == JWT_OK && dfd >= 0 && i < p.n; i++) {
		struct stat st;

		/* By the file's time: a pending record that does not parse goes too. */
		if (fstatat(dfd, p.ids[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if ((int64_t)st.st_mtime >= p.before && (int64_t)st.st_mtime <= now + 60)
			continue;
		if (unlinkat(dfd, p.ids[i], 0) == 0)
			p.removed++;
	}
	if (dfd >= 0)
		close(dfd);
	*removed = p.removed;
	free(p.ids);
	return rc;
}

static enum jwt_status dup_opt(char **out, const char *s, struct jwt_err *err)
{
	*out = NULL;
	if (s == NULL)
		return JWT_OK;
	if (strlen(s) > JWT_SESSION_FIELD_MAX)
		return jwt_fail(err, JWT_E_CLAIMS, "a value is longer than %d bytes for the session "
				"record", JWT_SESSION_FIELD_MAX);
	*out = strdup(s);
	return *out ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
}

/* A string claim when present; one that holds a NUL byte or is empty counts as absent. */
static enum jwt_status claim_string(json_object *claims, const char *name, char **out,
				    struct jwt_err *err)
{
	size_t len = 0;
	const char *s = jwt_json_string(claims, name, &len);

	*out = NULL;
	if (s == NULL || len == 0 || memchr(s, '\0', len) != NULL)
		return JWT_OK;
	if (len > JWT_SESSION_FIELD_MAX)
		return jwt_fail(err, JWT_E_CLAIMS, "\"%s\" is longer than %d bytes for the session "
				"record", name, JWT_SESSION_FIELD_MAX);
	*out = strndup(s, len);
	return *out ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
}

enum jwt_status jwt_session_from_claims(struct jwt_session *s, const struct jwt_config *cfg,
					json_object *claims, const char *account,
					struct jwt_err *err)
{
	struct jwt_names names;
	bool present = false;
	double exp = 0, iat = 0;
	enum jwt_status rc;

	rc = jwt_json_numericdate(claims, "exp", &present, &exp, err);
	if (rc == JWT_OK && !present)
		rc = jwt_fail(err, JWT_E_CLAIMS, "no \"exp\": a session cannot end with the token");
	if (rc != JWT_OK)
		return rc;
	if (exp < 0 || exp > 253402300799.0)
		return jwt_fail(err, JWT_E_CLAIMS, "\"exp\" is out of range");
	s->exp = (int64_t)floor(exp);
	present = false;
	rc = jwt_json_numericdate(claims, "iat", &present, &iat, err);
	if (rc != JWT_OK)
		return rc;
	s->has_iat = present && iat >= 0 && iat <= 253402300799.0;
	s->iat = s->has_iat ? (int64_t)floor(iat) : 0;
	if ((rc = dup_opt(&s->user, account, err)) != JWT_OK ||
	    (rc = claim_string(claims, "iss", &s->iss, err)) != JWT_OK ||
	    (rc = claim_string(claims, "sub", &s->sub, err)) != JWT_OK ||
	    (rc = claim_string(claims, "jti", &s->jti, err)) != JWT_OK)
		return rc;
	rc = jwt_names_of(cfg, claims, account, &names, err);
	if (rc != JWT_OK)
		return rc;
	for (size_t i = 0; i < names.count && rc == JWT_OK; i++) {
		if (names.len[i] == 0 || names.len[i] > JWT_SESSION_FIELD_MAX ||
		    memchr(names.name[i], '\0', names.len[i]) != NULL)
			continue;
		s->names[s->nnames] = strndup(names.name[i], names.len[i]);
		if (s->names[s->nnames] == NULL)
			rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
		else
			s->nnames++;
	}
	jwt_names_free(&names);
	if (rc != JWT_OK)
		return rc;
	if ((rc = dup_opt(&s->revoked_file, cfg->revoked_file, err)) != JWT_OK)
		return rc;
	s->redis = cfg->replay == JWT_REPLAY_REDIS;
	if (s->redis) {
		if ((rc = dup_opt(&s->redis_addr, cfg->redis, err)) != JWT_OK ||
		    (rc = dup_opt(&s->redis_password_file, cfg->redis_password_file, err)) != JWT_OK ||
		    (rc = dup_opt(&s->redis_sentinel, cfg->redis_sentinel, err)) != JWT_OK ||
		    (rc = dup_opt(&s->redis_master, cfg->redis_master, err)) != JWT_OK)
			return rc;
		s->redis_timeout_ms = cfg->redis_timeout_ms;
	}
	return JWT_OK;
}

/* The claims the revocation rules look at, rebuilt from the record. */
static json_object *record_claims(const struct jwt_session *s)
{
	json_object *c = json_object_new_object();

	if (c == NULL)
		return NULL;
	if (!add_string(c, "iss", s->iss) || !add_string(c, "sub", s->sub) ||
	    !add_string(c, "jti", s->jti) || (s->has_iat && !add_int(c, "iat", s->iat)) ||
	    !add_int(c, "exp", s->exp)) {
		json_object_put(c);
		return NULL;
	}
	return c;
}

enum jwt_status jwt_session_revoked(const struct jwt_session *s, int64_t now,
				    struct jwt_err *err)
{
	struct jwt_config cfg;
	struct jwt_names names;
	json_object *claims;
	enum jwt_status rc = JWT_OK;

	memset(&cfg, 0, sizeof(cfg));
	memset(&names, 0, sizeof(names));
	for (size_t i = 0; i < s->nnames && i < JWT_NAMES_MAX; i++) {
		names.name[i] = s->names[i];
		names.len[i] = strlen(s->names[i]);
		names.count++;
	}
	claims = record_claims(s);
	if (claims == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	cfg.user_claim = "sub";
	cfg.revoked_file = s->revoked_file;
	rc = jwt_revoke_check(&cfg, claims, &names, NULL, err);
	if (rc == JWT_OK && s->redis && s->jti != NULL) {
		unsigned char key[JWT_STORE_KEY_LEN];

		cfg.replay = JWT_REPLAY_REDIS;
		cfg.redis = s->redis_addr;
		cfg.redis_password_file = s->redis_password_file;
		cfg.redis_sentinel = s->redis_sentinel;
		cfg.redis_master = s->redis_master;
		cfg.redis_timeout_ms = s->redis_timeout_ms;
		rc = jwt_crypto_init(err);
		if (rc == JWT_OK)
			rc = jwt_replay_key(claims, key, err);
		if (rc == JWT_OK)
			rc = jwt_store_redis_mark(&cfg, key, s->exp + JWT_MAX_LEEWAY, now, true,
						  claims, &names, err);
		/* Peeking: a one-time token is recorded as used; that is no revocation. */
		if (rc == JWT_E_REPLAY)
			rc = JWT_OK;
	}
	json_object_put(claims);
	return rc;
}
