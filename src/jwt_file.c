#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwt_file.h"
#include "jwt_mem.h"

enum jwt_status jwt_file_check_mode(const char *path, mode_t mode, enum jwt_file_policy policy,
				    struct jwt_err *err)
{
	if (mode & (S_IWGRP | S_IWOTH))
		return jwt_fail(err, JWT_E_KEY, "%s is writable by group or others (mode %04o)",
				path, (unsigned)(mode & 07777));
	if (policy == JWT_FILE_SECRET && (mode & S_IROTH))
		return jwt_fail(err, JWT_E_KEY, "%s is readable by others (mode %04o)",
				path, (unsigned)(mode & 07777));
	return JWT_OK;
}

static enum jwt_status check_stat(const char *path, const struct stat *st,
				  enum jwt_file_policy policy, size_t max, struct jwt_err *err)
{
	enum jwt_status rc;

	if (!S_ISREG(st->st_mode))
		return jwt_fail(err, JWT_E_KEY, "%s is not a regular file", path);
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return jwt_fail(err, JWT_E_KEY, "%s is owned by uid %lu, not root or uid %lu",
				path, (unsigned long)st->st_uid, (unsigned long)geteuid());
	rc = jwt_file_check_mode(path, st->st_mode, policy, err);
	if (rc != JWT_OK)
		return rc;
	if ((unsigned long long)st->st_size > max)
		return jwt_fail(err, JWT_E_KEY, "%s is larger than %zu bytes", path, max);
	return JWT_OK;
}

/* One directory on the way to a file: see jwt_file_check_parents(). */
static enum jwt_status check_dir(const char *dir, struct jwt_err *err)
{
	struct stat st;

	if (lstat(dir, &st) != 0)
		return jwt_fail(err, JWT_E_KEY, "cannot stat directory %s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return jwt_fail(err, JWT_E_KEY, "%s is a symbolic link: give the path without it", dir);
	if (!S_ISDIR(st.st_mode))
		return jwt_fail(err, JWT_E_KEY, "%s is not a directory", dir);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return jwt_fail(err, JWT_E_KEY, "directory %s is owned by uid %lu, not root or uid %lu",
				dir, (unsigned long)st.st_uid, (unsigned long)geteuid());
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return jwt_fail(err, JWT_E_KEY, "directory %s is writable by group or others "
				"(mode %04o, not sticky)", dir, (unsigned)(st.st_mode & 07777));
	return JWT_OK;
}

enum jwt_status jwt_file_check_parents(const char *path, struct jwt_err *err)
{
	char *full, *p;
	size_t len = strlen(path);
	enum jwt_status rc = JWT_OK;

	if (len == 0)
		return jwt_fail(err, JWT_E_KEY, "an empty path names no file");
	if (path[0] == '/') {
		full = strdup(path);
	} else {
		/* getcwd() gives the directory without symlinks; it is checked all the same. */
		char *cwd = getcwd(NULL, 0);

		if (cwd == NULL)
			return jwt_fail(err, errno == ENOMEM ? JWT_E_NOMEM : JWT_E_KEY,
					"cannot find the current directory for %s: %s", path,
					strerror(errno));
		full = malloc(strlen(cwd) + 1 + len + 1);
		if (full != NULL)
			(void)snprintf(full, strlen(cwd) + 1 + len + 1, "%s/%s", cwd, path);
		free(cwd);
	}
	if (full == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	rc = check_dir("/", err);
	/*
	 * Each prefix that ends before a '/' is a directory on the way, from the
	 * top down; the last component is the file itself (checked on its
	 * descriptor). Empty components ("//") name no new directory.
	 */
	for (p = strchr(full + 1, '/'); rc == JWT_OK && p != NULL; p = strchr(p + 1, '/')) {
		if (p[-1] == '/')
			continue;
		*p = '\0';
		rc = check_dir(full, err);
		*p = '/';
	}
	free(full);
	return rc;
}

enum jwt_status jwt_file_read(const char *path, enum jwt_file_policy policy, size_t max,
			      unsigned char **buf, size_t *len, struct jwt_err *err)
{
	return jwt_file_read_mode(path, policy, max, buf, len, NULL, err);
}

enum jwt_status jwt_file_read_mode(const char *path, enum jwt_file_policy policy, size_t max,
				   unsigned char **buf, size_t *len, mode_t *mode,
				   struct jwt_err *err)
{
	unsigned char *data = NULL;
	size_t size, got = 0;
	struct stat st;
	enum jwt_status rc;
	int fd;

	*buf = NULL;
	*len = 0;
	rc = jwt_file_check_parents(path, err);
	if (rc != JWT_OK)
		return rc;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return jwt_fail(err, JWT_E_KEY, "cannot open %s: %s", path,
				errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = jwt_fail(err, JWT_E_KEY, "cannot stat %s: %s", path, strerror(errno));
		goto out;
	}
	rc = check_stat(path, &st, policy, max, err);
	if (rc != JWT_OK)
		goto out;
	size = (size_t)st.st_size;
	data = malloc(size + 1);
	if (data == NULL) {
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory reading %s", path);
		goto out;
	}
	while (got < size) {
		ssize_t r = read(fd, data + got, size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = jwt_fail(err, JWT_E_KEY, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != size) {
		rc = jwt_fail(err, JWT_E_KEY, "%s changed while being read", path);
		goto out;
	}
	data[size] = '\0';
	if (mode != NULL)
		*mode = st.st_mode;
	*buf = data;
	*len = size;
	data = NULL;
	rc = JWT_OK;
out:
	jwt_wipe_free(data, got);
	close(fd);
	return rc;
}

enum jwt_status jwt_text_lines(const char *what, const char *text, size_t len, jwt_line_fn *fn,
			       void *ctx, struct jwt_err *err)
{
	const char *p = text, *end = text + len;
	struct jwt_line line = { what, 0, NULL, 0 };
	bool stop = false;
	enum jwt_status rc = JWT_OK;

	if (memchr(text, '\0', len) != NULL)
		return jwt_fail(err, JWT_E_KEY, "%s holds a NUL byte", what);
	if (len > 0 && text[len - 1] != '\n')
		return jwt_fail(err, JWT_E_KEY, "%s does not end with a newline (half-written? "
				"replace it atomically: write a new file, then rename it)", what);
	while (rc == JWT_OK && !stop && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		line.number++;
		line.text = p;
		line.len = (size_t)(nl - p);
		if (line.len > 0 && p[line.len - 1] == '\r')
			line.len--;
		rc = fn(ctx, &line, &stop, err);
		p = nl + 1;
	}
	return rc;
}

enum jwt_status jwt_file_lines(const char *path, enum jwt_file_policy policy, size_t max,
			       jwt_line_fn *fn, void *ctx, struct jwt_err *err)
{
	unsigned char *text = NULL;
	size_t len = 0;
	enum jwt_status rc = jwt_file_read(path, policy, max, &text, &len, err);

	if (rc == JWT_OK)
		rc = jwt_text_lines(path, (const char *)text, len, fn, ctx, err);
	jwt_wipe_free(text, len);
	return rc;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool jwt_line_field(const char **p, const char *end, const char **field, size_t *len)
{
	while (*p < end && is_blank(**p))
		(*p)++;
	if (*p == end)
		return false;
	*field = *p;
	while (*p < end && !is_blank(**p))
		(*p)++;
	*len = (size_t)(*p - *field);
	return true;
}

void jwt_line_fail_record(struct jwt_err *err, const struct jwt_line *line, const char *fmt, ...)
{
	char reason[sizeof(err->reason)];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	jwt_fail_record(err, JWT_E_KEY, "%s:%u %s", line->what, line->number, reason);
}

void jwt_file_make_dirs(const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
	(void)mkdir(buf, 0700);
}
