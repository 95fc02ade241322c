/* A process identified by pid and start time (/proc/PID/stat). */
#include "jwt_proc.h"

#include <errno.h>
#include <fcntl.h>
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

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
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

/*
 * The fields after the command name: state (field 3) first, start time
 * (field 22) the 20th. Each field a run of non-space characters.
 */
static bool parse_after_comm(const char *s, char *state, unsigned long long *start)
{
	unsigned field = 3;

	while (*s == ' ')
		s++;
	while (*s != '\0' && *s != '\n') {
		const char *f = s;

		while (*s != '\0' && *s != ' ' && *s != '\n')
			s++;
		if (field == 3) {
			if (s - f != 1)
				return false;
			*state = *f;
		} else if (field == 22) {
			unsigned long long v = 0;

			if (f == s)
				return false;
			for (const char *c = f; c < s; c++) {
				if (*c < '0' || *c > '9')
					return false;
				if (v > (~0ULL - 9) / 10)
					return false;
				v = v * 10 + (unsigned)(*c - '0');
			}
			*start = v;
			return true;
		}
		field++;
		while (*s == ' ')
			s++;
	}
	return false;
}

static enum jwt_status proc_read(pid_t pid, struct jwt_proc *p, char *state,
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
	if (close_paren == NULL || close_paren < end + 1 ||
	    !parse_after_comm(close_paren + 1, state, &p->start))
		return jwt_fail(err, JWT_E_SYSTEM, "/proc/%ld/stat does not parse", (long)pid);
	p->pid = pid;
	return JWT_OK;
}

enum jwt_status jwt_proc_read(pid_t pid, struct jwt_proc *p, struct jwt_err *err)
{
	char state;

	return proc_read(pid, p, &state, err);
}

bool jwt_proc_alive(const struct jwt_proc *p)
{
	struct jwt_proc now;
	struct jwt_err err;
	char state = '?';

	if (p == NULL || p->pid <= 0)
		return false;
	if (proc_read(p->pid, &now, &state, &err) != JWT_OK)
		return false;
	/* A zombie has exited: nothing of it runs. X: dead (older kernels show it briefly). */
	if (state == 'Z' || state == 'X' || state == 'x')
		return false;
	return now.start == p->start;
}
