/*
 * replay=local: one-time tokens recorded as files, one per (iss, jti).
 *
 * DIR/ab/<64 hex digits> is the entry of the digest starting with byte 0xab.
 * It is created with O_CREAT|O_EXCL: the kernel lets exactly one of concurrent
 * creators succeed, and the creation itself is the commit, so a process killed
 * after it leaves a used token used, and one killed before it leaves nothing.
 * The file holds the time until which it must be kept ("1767225600\n") and
 * carries it as its mtime too, so that pruning looks only at entries whose
 * mtime is past. An entry without that content (a crash between creation and
 * write) counts as used, and is kept as long as any token could live.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwt_file.h"
#include "jwt_store.h"

/* A subdirectory is pruned by the first write after this many seconds. */
#define PRUNE_INTERVAL 60
/* How long an entry without a readable expiry is kept, from its creation. */
#define PARTIAL_KEEP (JWT_MAX_LIFETIME + JWT_MAX_LEEWAY)
#define STAMP ".pruned"

/* The store's directories: root's or ours, a directory, no write by group or others. */
static enum jwt_status check_dir(int fd, const char *path, const char *sub, struct jwt_err *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return jwt_fail(err, JWT_E_STORE, "cannot stat replay store %s%s%s: %s", path,
				sub ? "/" : "", sub ? sub : "", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jwt_fail(err, JWT_E_STORE, "replay store %s%s%s is not a directory", path,
				sub ? "/" : "", sub ? sub : "");
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return jwt_fail(err, JWT_E_STORE, "replay store %s%s%s is owned by uid %lu, "
				"not root or uid %lu", path, sub ? "/" : "", sub ? sub : "",
				(unsigned long)st.st_uid, (unsigned long)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return jwt_fail(err, JWT_E_STORE, "replay store %s%s%s is writable by group or "
				"others (mode %04o)", path, sub ? "/" : "", sub ? sub : "",
				(unsigned)(st.st_mode & 07777));
	return JWT_OK;
}

/*
 * Opens the store's directory, creating it unless peek. *fd is -1 with JWT_OK
 * when it does not exist and peek is set (nothing is recorded yet).
 */
static enum jwt_status open_store(const char *path, bool peek, int *fd, struct jwt_err *err)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	enum jwt_status rc;

	*fd = open(path, flags);
	if (*fd < 0 && errno == ENOENT && !peek) {
		jwt_file_make_dirs(path);
		*fd = open(path, flags);
	}
	if (*fd < 0) {
		struct stat st;
		int e = errno;

		if (e == ENOENT && peek)
			return JWT_OK;
		/* O_NOFOLLOW|O_DIRECTORY on a symbolic link fails with ENOTDIR. */
		if ((e == ELOOP || e == ENOTDIR) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return jwt_fail(err, JWT_E_STORE, "cannot open replay store %s: it is a "
					"symbolic link", path);
		return jwt_fail(err, JWT_E_STORE, "cannot open replay store %s: %s", path,
				strerror(e));
	}
	rc = check_dir(*fd, path, NULL, err);
	/* The directories above it: whoever can rename them can swap the store. */
	if (rc == JWT_OK && jwt_file_check_parents(path, err) != JWT_OK)
		rc = jwt_fail_keep(err, JWT_E_STORE);
	if (rc != JWT_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

static enum jwt_status open_shard(int dirfd, const char *path, const char *name, bool create,
				  int *fd, struct jwt_err *err)
{
	enum jwt_status rc;

	if (create && mkdirat(dirfd, name, 0700) == 0) {
		/* A new subdirectory must survive a reboot with the entry it will hold. */
		if (fsync(dirfd) != 0)
			return jwt_fail(err, JWT_E_STORE, "cannot sync %s: %s", path, strerror(errno));
	} else if (create && errno != EEXIST) {
		return jwt_fail(err, JWT_E_STORE, "cannot create %s/%s: %s", path, name,
				strerror(errno));
	}
	*fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ENOENT && !create)
			return JWT_OK;
		return jwt_fail(err, JWT_E_STORE, "cannot open %s/%s: %s", path, name,
				strerror(errno));
	}
	rc = check_dir(*fd, path, name, err);
	if (rc != JWT_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Reads an entry's expiry; false when the entry is incomplete or unreadable. */
static bool entry_until(int shard, const char *name, int64_t *until)
{
	char buf[32], *end;
	ssize_t n;
	long long v;
	int fd = openat(shard, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 1 || buf[n - 1] != '\n')
		return false;
	buf[n - 1] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0' || end == buf)
		return false;
	*until = v;
	return true;
}

static bool is_entry_name(const char *name)
{
	if (strlen(name) != 2 * JWT_STORE_KEY_LEN)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Removes the expired entries of one subdirectory (shard is consumed). */
static void prune_shard(int shard, int64_t now, unsigned long *kept, unsigned long *removed)
{
	DIR *d = fdopendir(shard);
	struct dirent *de;

	if (d == NULL) {
		close(shard);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		int64_t until;

		if (!is_entry_name(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		/* Complete entries carry their expiry as mtime: most are skipped here. */
		if ((int64_t)st.st_mtime >= now ||
		    (entry_until(dirfd(d), de->d_name, &until) ? until >= now
		     : (int64_t)st.st_mtime + PARTIAL_KEEP >= now)) {
			(*kept)++;
			continue;
		}
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			(*removed)++;
	}
	closedir(d);
}

/* Prunes the subdirectory once per PRUNE_INTERVAL, marked by the mtime of its stamp. */
static void maybe_prune(int shard, int64_t now)
{
	struct timespec ts[2] = { { .tv_sec = (time_t)now }, { .tv_sec = (time_t)now } };
	unsigned long kept = 0, removed = 0;
	struct stat st;
	int fd;

	if (fstatat(shard, STAMP, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (int64_t)st.st_mtime + PRUNE_INTERVAL > now && (int64_t)st.st_mtime <= now)
		return;
	fd = openat(shard, STAMP, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	(void)futimens(fd, ts);
	close(fd);
	fd = openat(shard, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		prune_shard(fd, now, &kept, &removed);
}

static void hex(const unsigned char *key, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < JWT_STORE_KEY_LEN; i++) {
		out[2 * i] = digits[key[i] >> 4];
		out[2 * i + 1] = digits[key[i] & 15];
	}
	out[2 * JWT_STORE_KEY_LEN] = '\0';
}

/* Writes the entry's content and mtime and makes it durable; errno on failure. */
static bool write_entry(int fd, int shard, int64_t until)
{
	struct timespec ts[2] = { { .tv_sec = (time_t)until }, { .tv_sec = (time_t)until } };
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64 "\n", until);

	if (write(fd, buf, (size_t)n) != n) {
		if (errno == 0)
			errno = ENOSPC;
		return false;
	}
	return futimens(fd, ts) == 0 && fsync(fd) == 0 && fsync(shard) == 0;
}

enum jwt_status jwt_store_local_mark(const char *dir, const unsigned char key[JWT_STORE_KEY_LEN],
				     int64_t until, int64_t now, bool peek, struct jwt_err *err)
{
	char name[2 * JWT_STORE_KEY_LEN + 1], sub[3];
	int store = -1, shard = -1, fd;
	enum jwt_status rc;
	struct stat st;

	hex(key, name);
	memcpy(sub, name, 2);
	sub[2] = '\0';
	rc = open_store(dir, peek, &store, err);
	if (rc != JWT_OK || store < 0)
		goto out;
	rc = open_shard(store, dir, sub, !peek, &shard, err);
	if (rc != JWT_OK || shard < 0)
		goto out;
	if (peek) {
		if (fstatat(shard, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			rc = jwt_fail(err, JWT_E_REPLAY, "token already used (its jti is recorded)");
		else if (errno != ENOENT)
			rc = jwt_fail(err, JWT_E_STORE, "cannot read replay store %s: %s", dir,
				      strerror(errno));
		goto out;
	}
	fd = openat(shard, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = jwt_fail(err, JWT_E_REPLAY, "token already used (its jti is recorded)");
		else
			rc = jwt_fail(err, JWT_E_STORE, "cannot record the token in %s: %s", dir,
				      strerror(errno));
		goto out;
	}
	errno = 0;
	if (!write_entry(fd, shard, until)) {
		/* Not accepted, so the entry may go: the token can be tried again. */
		rc = jwt_fail(err, JWT_E_STORE, "cannot record the token in %s: %s", dir,
			      strerror(errno));
		close(fd);
		(void)unlinkat(shard, name, 0);
		goto out;
	}
	if (close(fd) != 0) {
		rc = jwt_fail(err, JWT_E_STORE, "cannot record the token in %s: %s", dir,
			      strerror(errno));
		(void)unlinkat(shard, name, 0);
		goto out;
	}
	maybe_prune(shard, now);
out:
	if (shard >= 0)
		close(shard);
	if (store >= 0)
		close(store);
	return rc;
}

enum jwt_status jwt_store_local_prune(const char *dir, int64_t now, unsigned long *kept,
				      unsigned long *removed, struct jwt_err *err)
{
	enum jwt_status rc;
	int store, shard;

	*kept = *removed = 0;
	rc = open_store(dir, true, &store, err);
	if (rc != JWT_OK || store < 0)
		return rc;
	for (unsigned i = 0; i < 256 && rc == JWT_OK; i++) {
		char sub[3];

		(void)snprintf(sub, sizeof(sub), "%02x", i);
		rc = open_shard(store, dir, sub, false, &shard, err);
		if (rc == JWT_OK && shard >= 0)
			prune_shard(shard, now, kept, removed);
	}
	close(store);
	return rc;
}

enum jwt_status jwt_store_local_check(const char *dir, bool *exists, struct jwt_err *err)
{
	struct stat st;
	char *first, *slash;
	enum jwt_status rc;
	int store;

	rc = open_store(dir, true, &store, err);
	*exists = store >= 0;
	if (store >= 0)
		close(store);
	if (rc != JWT_OK || *exists)
		return rc;
	/*
	 * Missing: the first one-time token makes it (jwt_file_make_dirs), below the
	 * directories that exist, which open_store() then requires to be safe.
	 */
	first = strdup(dir);
	if (first == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	while ((slash = strrchr(first, '/')) != NULL && slash != first) {
		*slash = '\0';
		if (lstat(first, &st) == 0) {
			*slash = '/';
			break;
		}
	}
	rc = jwt_file_check_parents(first, err);
	free(first);
	return rc == JWT_OK ? rc : jwt_fail_keep(err, rc == JWT_E_NOMEM ? rc : JWT_E_STORE);
}
