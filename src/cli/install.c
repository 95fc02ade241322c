#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "install.h"

bool cli_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* link() refuses an existing path atomically, rename() replaces it. */
int cli_install_file(const char *path, const char *text, mode_t mode, bool replace)
{
	char *tmp = NULL;
	int fd, ret = CLI_FAILED;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	fd = mkostemp(tmp, O_CLOEXEC);	/* O_EXCL, mode 0600 until fchmod() */
	if (fd < 0) {
		cli_error("cannot create a file beside %s: %s", path, strerror(errno));
		free(tmp);
		return CLI_FAILED;
	}
	if (fchmod(fd, mode) != 0 || !cli_write_all(fd, text, strlen(text)) || fsync(fd) != 0) {
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) != 0) {
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (replace ? rename(tmp, path) != 0 : link(tmp, path) != 0) {
		if (errno == EEXIST)
			cli_error("%s exists; use --force to replace it", path);
		else
			cli_error("cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	ret = CLI_OK;
out:
	if (ret != CLI_OK || !replace)
		unlink(tmp);
	free(tmp);
	return ret;
}
