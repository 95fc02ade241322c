/* The relay check of pam-jwt askpass: which host it may sign a DPoP proof for. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "dpop_host.h"
#include "jwt_match.h"

/* The most of the parent's command line read, and of ssh -G's output. */
#define CMDLINE_MAX 65536
#define SSH_G_MAX 262144

/* A copy of name in lower case without one trailing dot; NULL for an empty name. */
static char *normal_name(const char *name, size_t len)
{
	char *s;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > JWT_HOST_NAME_MAX)
		return NULL;
	s = strndup(name, len);
	if (s == NULL)
		return NULL;
	for (char *p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static bool add_name(struct dpop_host *h, const char *name, size_t len)
{
	for (size_t i = 0; i < DPOP_HOST_NAMES; i++) {
		if (h->names[i] != NULL)
			continue;
		h->names[i] = normal_name(name, len);
		return h->names[i] != NULL;
	}
	return false;
}

void dpop_host_free(struct dpop_host *h)
{
	for (size_t i = 0; i < DPOP_HOST_NAMES; i++) {
		free(h->names[i]);
		h->names[i] = NULL;
	}
}

static char *read_fd(int fd, size_t max, size_t *len);

static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1 ||
	       strchr(s, ':') != NULL;
}

/* The most of /etc/resolv.conf read for its search list. */
#define RESOLV_CONF_MAX 65536

/*
 * Whether domain (lower case, no trailing dot) is in a resolver search list
 * of words separated by blanks, compared without case and trailing dots.
 */
static bool list_has(const char *list, const char *domain)
{
	size_t n = strlen(domain);

	for (const char *p = list; *p != '\0';) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len > 0 && p[len - 1] == '.')
			len--;
		if (len == n && strncasecmp(p, domain, n) == 0)
			return true;
		p += strcspn(p, " \t\n");
		if (*p == '\n')
			break;
	}
	return false;
}

/*
 * Whether domain is in this machine's resolver search list, the one that
 * turns a short name typed into a full name: $LOCALDOMAIN when set (as the
 * resolver takes it), else the last "search" or "domain" line of
 * /etc/resolv.conf, else the domain of this host's own name.
 */
static bool search_domain(const char *domain)
{
	const char *env = getenv("LOCALDOMAIN");
	char self[JWT_HOST_NAME_MAX + 1], *dot, *buf = NULL, *last = NULL;
	size_t len = 0;
	bool found = false;
	int fd;

	if (env != NULL)
		return list_has(env, domain);
	fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		buf = read_fd(fd, RESOLV_CONF_MAX, &len);
		close(fd);
	}
	for (char *line = buf; line != NULL && *line != '\0';) {
		/* The last of the two wins, as in the resolver. */
		if ((strncmp(line, "search", 6) == 0 || strncmp(line, "domain", 6) == 0) &&
		    (line[6] == ' ' || line[6] == '\t'))
			last = line + 7;
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	if (last != NULL) {
		found = list_has(last, domain);
	} else if (gethostname(self, sizeof(self)) == 0) {
		self[sizeof(self) - 1] = '\0';
		dot = strchr(self, '.');
		found = dot != NULL && list_has(dot + 1, domain);
	}
	free(buf);
	return found;
}

/*
 * short (no dot) names full (a name, not an address) as the resolver would:
 * full is short, a dot, and a domain of this machine's search list.
 */
static bool expands_to(const char *shortname, const char *full)
{
	size_t n = strlen(shortname);

	return strchr(shortname, '.') == NULL && !is_address(full) &&
	       strncmp(full, shortname, n) == 0 && full[n] == '.' && search_domain(full + n + 1);
}

bool dpop_host_name_match(const char *a, const char *b)
{
	char *x = normal_name(a, strlen(a)), *y = normal_name(b, strlen(b));
	bool m = false;

	if (x != NULL && y != NULL)
		m = strcmp(x, y) == 0 || expands_to(x, y) || expands_to(y, x);
	free(x);
	free(y);
	return m;
}

bool dpop_host_match(const struct dpop_host *h, const char *host)
{
	for (size_t i = 0; i < DPOP_HOST_NAMES; i++)
		if (h->names[i] != NULL && dpop_host_name_match(h->names[i], host))
			return true;
	return false;
}

/* Reads all of fd (at most max bytes) into a fresh NUL-terminated buffer. */
static char *read_fd(int fd, size_t max, size_t *len)
{
	char *buf = malloc(max + 1);
	size_t n = 0;

	if (buf == NULL)
		return NULL;
	for (;;) {
		ssize_t r = read(fd, buf + n, max - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == max)
			break;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The parent's command line as an argv (pointers into *buf), and its program's path. */
static bool parent_cmdline(pid_t ppid, char **buf, char ***argv, int *argc, char *exe, size_t exe_size)
{
	char path[64];
	size_t len = 0;
	ssize_t n;
	int fd, count = 0;

	(void)snprintf(path, sizeof(path), "/proc/%ld/exe", (long)ppid);
	n = readlink(path, exe, exe_size - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	(void)snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)ppid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	*buf = read_fd(fd, CMDLINE_MAX, &len);
	close(fd);
	if (*buf == NULL || len == 0 || (*buf)[len - 1] != '\0')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((*buf)[i] == '\0')
			count++;
	*argv = calloc((size_t)count + 3, sizeof(char *));
	if (*argv == NULL)
		return false;
	for (size_t i = 0, start = 0; i < len; i++)
		if ((*buf)[i] == '\0') {
			(*argv)[(*argc)++] = *buf + start;
			start = i + 1;
		}
	return true;
}

/* Runs exe -G ARGS (the parent's arguments) and keeps "host" and "hostname". */
static bool ssh_destination(struct dpop_host *h, const char *exe, char **argv, int argc)
{
	char **args = calloc((size_t)argc + 2, sizeof(char *));
	char *out = NULL, *line, *save = NULL;
	int fds[2], status = -1;
	size_t len = 0;
	bool host = false, hostname = false;
	pid_t pid;

	if (args == NULL || pipe(fds) != 0) {
		free(args);
		return false;
	}
	args[0] = (char *)exe;
	args[1] = (char *)"-G";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execv(exe, args);
		_exit(127);
	}
	close(fds[1]);
	if (pid > 0) {
		out = read_fd(fds[0], SSH_G_MAX, &len);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close(fds[0]);
	free(args);
	if (out == NULL || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cli_error("askpass: `%s -G` of the ssh command that ran askpass failed, so its "
			  "destination is not known: no DPoP proof is given", exe);
		free(out);
		return false;
	}
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (!host && strncmp(line, "host ", 5) == 0)
			host = add_name(h, line + 5, strlen(line + 5));
		else if (!hostname && strncmp(line, "hostname ", 9) == 0)
			hostname = add_name(h, line + 9, strlen(line + 9));
	}
	free(out);
	if (!host && !hostname)
		cli_error("askpass: `%s -G` names no destination: no DPoP proof is given", exe);
	return host || hostname;
}

bool dpop_host_establish(struct dpop_host *h)
{
	const char *env = getenv("PAM_JWT_HOST");
	char exe[PATH_MAX + 1], *buf = NULL, **argv = NULL;
	char self[JWT_HOST_NAME_MAX + 1];
	int argc = 0;
	bool good;

	if (env != NULL && *env != '\0') {
		h->how = "PAM_JWT_HOST";
		if (!add_name(h, env, strlen(env))) {
			cli_error("askpass: PAM_JWT_HOST is not a host name");
			return false;
		}
		return true;
	}
	if (parent_cmdline(getppid(), &buf, &argv, &argc, exe, sizeof(exe)) && argc > 0 &&
	    (strcmp(base_name(argv[0]), "ssh") == 0 || strcmp(base_name(exe), "ssh") == 0)) {
		h->how = "the ssh destination";
		good = ssh_destination(h, exe, argv, argc);
	} else {
		h->how = "this host";
		good = gethostname(self, sizeof(self)) == 0 &&
		       (self[sizeof(self) - 1] = '\0', add_name(h, self, strlen(self)));
		if (!good)
			cli_error("askpass: cannot read this host's name: no DPoP proof is given");
	}
	free(argv);
	free(buf);
	return good;
}
