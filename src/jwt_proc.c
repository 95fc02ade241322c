/* A process identified by pid and start time (/proc/PID/stat). */
#include "jwt_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/PID/stat is short: pid, comm (at most 64 bytes with its parentheses), 50 numbers. */
#define STAT_MAX 4096

/* Reads /proc/PID/stat whole; false when it cannot be read. */
static bool read_stat(pid_t pid, char *buf, size_t size, size_t *len)
{
	char path[64];
	int fd;
	size_t got = 0;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	while (got < size - 1) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return false;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return got < size - 1;
}

/* What this file reads of /proc/PID/stat. */
struct stat_fields {
	char state;			/* field 3 */
	long long ppid;			/* field 4 */
	long long tty_nr;		/* field 7 */
	unsigned long long start;	/* field 22 */
};

/* A field of decimal digits (tty_nr and ppid may be negative in theory: a sign is taken). */
static bool number(const char *f, const char *end, long long *out)
{
	bool neg = f < end && *f == '-';
	unsigned long long v = 0;

	if (neg)
		f++;
	if (f == end)
		return false;
	for (; f < end; f++) {
		if (*f < '0' || *f > '9' || v > (~0ULL - 9) / 10)
			return false;
		v = v * 10 + (unsigned)(*f - '0');
	}
	if (v > (unsigned long long)INT64_MAX)
		return false;
	*out = neg ? -(long long)v : (long long)v;
	return true;
}

/*
 * The fields after the command name: state (field 3) first, start time
 * (field 22) the 20th. Each field a run of non-space characters.
 */
static bool parse_after_comm(const char *s, struct stat_fields *sf)
{
	unsigned field = 3;

	while (*s == ' ')
		s++;
	while (*s != '\0' && *s != '\n') {
		const char *f = s;
		long long v;

		while (*s != '\0' && *s != ' ' && *s != '\n')
			s++;
		if (field == 3) {
			if (s - f != 1)
				return false;
			sf->state = *f;
		} else if (field == 4 || field == 7 || field == 22) {
			if (!number(f, s, &v))
				return false;
			if (field == 4)
				sf->ppid = v;
			else if (field == 7)
				sf->tty_nr = v;
			else if (v < 0)
				return false;
			else {
				sf->start = (unsigned long long)v;
				return true;
			}
		}
		field++;
		while (*s == ' ')
			s++;
	}
	return false;
}

static enum jwt_status proc_read(pid_t pid, struct jwt_proc *p, struct stat_fields *sf,
				 struct jwt_err *err)
{
	char buf[STAT_MAX];
	size_t len;
	const char *close_paren;
	char *end;
	long got_pid;

	if (pid <= 0)
		return jwt_fail(err, JWT_E_SYSTEM, "process id %ld is not a process", (long)pid);
	if (!read_stat(pid, buf, sizeof(buf), &len))
		return jwt_fail(err, JWT_E_SYSTEM, "process %ld is gone", (long)pid);
	if (memchr(buf, '\0', len) != NULL)
		return jwt_fail(err, JWT_E_SYSTEM, "/proc/%ld/stat holds a NUL byte", (long)pid);
	errno = 0;
	got_pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || got_pid != (long)pid || strncmp(end, " (", 2) != 0)
		return jwt_fail(err, JWT_E_SYSTEM, "/proc/%ld/stat does not parse", (long)pid);
	close_paren = strrchr(buf, ')');
	if (close_paren == NULL || close_paren < end + 1 || !parse_after_comm(close_paren + 1, sf))
		return jwt_fail(err, JWT_E_SYSTEM, "/proc/%ld/stat does not parse", (long)pid);
	p->pid = pid;
	p->start = sf->start;
	return JWT_OK;
}

enum jwt_status jwt_proc_read(pid_t pid, struct jwt_proc *p, struct jwt_err *err)
{
	struct stat_fields sf;

	return proc_read(pid, p, &sf, err);
}

bool jwt_proc_alive(const struct jwt_proc *p)
{
	struct jwt_proc now;
	struct jwt_err err;
	struct stat_fields sf = { .state = '?' };

	if (p == NULL || p->pid <= 0)
		return false;
	if (proc_read(p->pid, &now, &sf, &err) != JWT_OK)
		return false;
	/* A zombie has exited: nothing of it runs. X: dead (older kernels show it briefly). */
	if (sf.state == 'Z' || sf.state == 'X' || sf.state == 'x')
		return false;
	return now.start == p->start;
}

/* The device path of tty_nr when it is a pseudo-terminal or a virtual console, checked by stat. */
static bool tty_path(long long tty_nr, char *path, size_t size)
{
	unsigned major = (unsigned)((tty_nr >> 8) & 0xfff);
	unsigned minor = (unsigned)((tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00));
	struct stat st;

	if (tty_nr <= 0)
		return false;
	if (major >= 136 && major <= 143)
		(void)snprintf(path, size, "/dev/pts/%u", (major - 136) * 256 + minor);
	else if (major == 4 && minor < 64)
		(void)snprintf(path, size, "/dev/tty%u", minor);
	else
		return false;
	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == makedev(major, minor);
}

bool jwt_proc_session_tty(const struct jwt_proc *p, char *path, size_t size)
{
	struct stat_fields sf;
	struct jwt_proc q;
	struct jwt_err err;
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (!jwt_proc_alive(p) || proc_read(p->pid, &q, &sf, &err) != JWT_OK)
		return false;
	if (tty_path(sf.tty_nr, path, size))
		return true;
	/* Its children, then theirs: sshd's [priv] process has none, its session child has. */
	d = opendir("/proc");
	if (d == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		struct stat_fields child;
		pid_t up;
		int depth;

		if (*end != '\0' || pid <= 0 || proc_read((pid_t)pid, &q, &child, &err) != JWT_OK)
			continue;
		/* Up the parents, at most 8 steps, to the session's process. */
		for (up = (pid_t)child.ppid, depth = 0; up > 1 && depth < 8; depth++) {
			struct stat_fields a;

			if (up == p->pid)
				break;
			if (proc_read(up, &q, &a, &err) != JWT_OK)
				break;
			up = (pid_t)a.ppid;
		}
		if (up == p->pid && jwt_proc_alive(p) && tty_path(child.tty_nr, path, size))
			found = true;
	}
	closedir(d);
	return found;
}
