#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "install.h"
#include "jwt_mem.h"
#include "token_cache.h"

/* $XDG_CACHE_HOME when absolute (XDG Base Directory), else ~/.cache. */
static char *cache_home(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *path;

	if (xdg != NULL && xdg[0] == '/')
		return strdup(xdg);
	if (home == NULL || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || home[0] != '/')
		return NULL;
	return asprintf(&path, "%s/.cache", home) < 0 ? NULL : path;
}

/* dir exists as a directory of ours that only we may enter, or is made so. */
static bool own_dir(const char *dir, bool create, bool strict)
{
	struct stat st;

	if (lstat(dir, &st) != 0) {
		if (errno != ENOENT || !create) {
			cli_error("%s: %s", dir, strerror(errno));
			return false;
		}
		if (mkdir(dir, 0700) != 0 || lstat(dir, &st) != 0) {
			cli_error("cannot make %s: %s", dir, strerror(errno));
			return false;
		}
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid()) {
		cli_error("%s is not a directory of your own", dir);
		return false;
	}
	if (strict && (st.st_mode & 077) != 0) {
		cli_error("%s is open to others (mode %03o); make it 0700", dir,
			  (unsigned)(st.st_mode & 0777));
		return false;
	}
	if ((st.st_mode & 022) != 0) {
		cli_error("%s is writable by others (mode %03o)", dir, (unsigned)(st.st_mode & 0777));
		return false;
	}
	return true;
}

bool token_cache_dir(bool create, char **dir)
{
	char *home = cache_home();

	*dir = NULL;
	if (home == NULL) {
		cli_error("no cache directory: set HOME or XDG_CACHE_HOME");
		return false;
	}
	if (!own_dir(home, create, false) || asprintf(dir, "%s/pam-jwt", home) < 0) {
		free(home);
		*dir = NULL;
		return false;
	}
	free(home);
	if (!own_dir(*dir, create, true)) {
		free(*dir);
		*dir = NULL;
		return false;
	}
	return true;
}

bool token_cache_write(const char *dir, const char *name, const char *text)
{
	char *path = NULL, *line = NULL;
	int fd, ret;

	if (asprintf(&path, "%s/%s", dir, name) < 0 || asprintf(&line, "%s\n", text) < 0) {
		free(path);
		cli_error("out of memory");
		return false;
	}
	ret = cli_install_file(path, line, 0600, true);
	jwt_wipe_free(line, strlen(line));
	free(path);
	if (ret != CLI_OK)
		return false;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) != 0)
			cli_error("warning: cannot sync %s: %s", dir, strerror(errno));
		close(fd);
	}
	return true;
}

bool token_cache_read(const char *dir, const char *name, size_t max, char **text, size_t *len)
{
	char *path = NULL;
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	int fd;
	bool ok = false;

	*text = NULL;
	*len = 0;
	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		cli_error("out of memory");
		return false;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		cli_error("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0) {
		cli_error("%s is not a file of your own with mode 0600", path);
		goto out;
	}
	buf = malloc(max + 2);
	if (buf == NULL) {
		cli_error("out of memory");
		goto out;
	}
	n = read(fd, buf, max + 1);
	if (n < 0 || (size_t)n > max) {
		cli_error("cannot read %s: %s", path, n < 0 ? strerror(errno) : "too large");
		goto out;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (n == 0) {
		cli_error("%s is empty", path);
		goto out;
	}
	*text = buf;
	*len = (size_t)n;
	buf = NULL;
	ok = true;
out:
	if (buf != NULL)
		jwt_wipe_free(buf, max + 2);
	if (fd >= 0)
		close(fd);
	free(path);
	return ok;
}

void token_cache_remove(const char *dir, const char *name)
{
	char *path = NULL;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return;
	if (unlink(path) != 0 && errno != ENOENT)
		cli_error("warning: cannot remove %s: %s", path, strerror(errno));
	free(path);
}
