/*
 * Stand-in for src/cli/session_end.c (branch sessend) until it is merged:
 * logind's terminate-session when logind runs and the record has its id, then
 * SIGHUP to the opening process, SIGTERM after a second (su's watching
 * parent blocks SIGHUP and ends its child on SIGTERM; sshd's monitor and
 * sudo relay both), SIGKILL after grace_ms, the identity re-checked before
 * each signal; the tty warning written with O_NOCTTY.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session_end_api.h"

extern char **environ;

/* loginctl terminate-session ID, where logind runs; true when it succeeded. */
static bool logind_terminate(const char *id)
{
	char *argv[] = { (char *)"loginctl", (char *)"terminate-session", (char *)id, NULL };
	struct stat st;
	pid_t pid;
	int status;

	if (id == NULL || *id == '\0' || strspn(id, "0123456789abcdefghijklmnopqrstuvwxyz") !=
	    strlen(id) || stat("/run/systemd/seats", &st) != 0)
		return false;
	if (posix_spawnp(&pid, "loginctl", NULL, NULL, argv, environ) != 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int session_end(const struct jwt_proc *p, const char *logind_id, unsigned grace_ms, char *why,
		size_t whylen)
{
	if (!jwt_proc_alive(p))
		return 0;
	/* logind ends the whole session (its cgroup); the signals below then find it gone. */
	(void)logind_terminate(logind_id);
	if (kill(p->pid, SIGHUP) != 0 && errno != ESRCH) {
		snprintf(why, whylen, "cannot signal process %ld: %s", (long)p->pid, strerror(errno));
		return -1;
	}
	for (unsigned waited = 0; waited < grace_ms; waited += 100) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (!jwt_proc_alive(p))
			return 0;
		if (waited == 1000 && kill(p->pid, SIGTERM) != 0 && errno != ESRCH) {
			snprintf(why, whylen, "cannot signal process %ld: %s", (long)p->pid,
				 strerror(errno));
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	if (jwt_proc_alive(p) && kill(p->pid, SIGKILL) != 0 && errno != ESRCH) {
		snprintf(why, whylen, "cannot kill process %ld: %s", (long)p->pid, strerror(errno));
		return -1;
	}
	return 0;
}

int session_warn_tty(const char *tty, const char *text)
{
	int fd;
	ssize_t n;

	if (tty == NULL || strncmp(tty, "/dev/", 5) != 0 || strstr(tty, "..") != NULL)
		return -1;
	fd = open(tty, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}
