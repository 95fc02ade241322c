/*
 * src/cli/session_end.c: the ending of a session bound to its token (what
 * pam-jwt sessions --reap does once it decided), and the warning written to
 * its terminal before.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session_end.h"

extern char **environ;

/* loginctl terminate-session ID where logind runs; true when it succeeded. */
static bool logind_terminate(const char *id)
{
	char *argv[] = { (char *)"loginctl", (char *)"terminate-session", (char *)id, NULL };
	posix_spawn_file_actions_t fa;
	struct stat st;
	pid_t pid;
	int status, rc;

	/* logind's session ids are short names of letters and digits ("3", "c2"). */
	if (id == NULL || *id == '\0' || strlen(id) > 64 ||
	    strspn(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(id))
		return false;
	if (stat("/run/systemd/seats", &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	/* Its messages would mix with the reaper's report on standard output. */
	if (posix_spawn_file_actions_init(&fa) != 0)
		return false;
	(void)posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	(void)posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "loginctl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Sends sig to p if p is still p. 1 when sent, 0 when p is gone (or its pid is
 * another process's now), -1 on an error (errno set). With a pidfd the
 * identity is checked after the pidfd is open: the pidfd then names that very
 * process, whose pid cannot be reused while the pidfd is open.
 */
static int signal_if_same(const struct jwt_proc *p, int sig)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
	int fd = (int)syscall(SYS_pidfd_open, p->pid, 0);

	if (fd >= 0) {
		int rc = 0;

		if (jwt_proc_alive(p)) {
			if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0)
				rc = 1;
			else if (errno != ESRCH)
				rc = -1;
		}
		int saved = errno;

		close(fd);
		errno = saved;
		return rc;
	}
	if (errno == ESRCH || errno == EINVAL)
		return 0;
	if (errno != ENOSYS)
		return -1;
#endif
	/* No pidfd: the window between the check and kill() stays open. */
	if (!jwt_proc_alive(p))
		return 0;
	if (kill(p->pid, sig) == 0)
		return 1;
	return errno == ESRCH ? 0 : -1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int session_end(const struct jwt_proc *p, const char *logind_id, unsigned grace_ms, char *why,
		size_t whylen)
{
	if (p == NULL || p->pid <= 0) {
		(void)snprintf(why, whylen, "no process to end");
		return -1;
	}
	if (!jwt_proc_alive(p))
		return 0;
	/* logind ends the whole session (its scope); the signals below then find it gone. */
	(void)logind_terminate(logind_id);
	if (signal_if_same(p, SIGHUP) < 0) {
		(void)snprintf(why, whylen, "cannot signal process %ld: %s", (long)p->pid, strerror(errno));
		return -1;
	}
	for (unsigned waited = 0; waited < grace_ms; waited += 100) {
		if (!jwt_proc_alive(p))
			return 0;
		/* su's watching parent blocks SIGHUP and ends its child on SIGTERM. */
		if (waited == 1000 && signal_if_same(p, SIGTERM) < 0) {
			(void)snprintf(why, whylen, "cannot signal process %ld: %s", (long)p->pid,
				 strerror(errno));
			return -1;
		}
		sleep_ms(100);
	}
	if (signal_if_same(p, SIGKILL) < 0) {
		(void)snprintf(why, whylen, "cannot kill process %ld: %s", (long)p->pid, strerror(errno));
		return -1;
	}
	/* SIGKILL takes effect at once; the process is gone once its parent reaps it. */
	for (unsigned waited = 0; waited < 2000 && jwt_proc_alive(p); waited += 50)
		sleep_ms(50);
	if (jwt_proc_alive(p)) {
		(void)snprintf(why, whylen, "process %ld still runs after SIGKILL", (long)p->pid);
		return -1;
	}
	return 0;
}

/* /dev/pts/N or /dev/ttyN: the only paths a warning goes to. */
static bool tty_path_ok(const char *tty)
{
	const char *num;

	if (tty == NULL)
		return false;
	if (strncmp(tty, "/dev/pts/", 9) == 0)
		num = tty + 9;
	else if (strncmp(tty, "/dev/tty", 8) == 0)
		num = tty + 8;
	else
		return false;
	if (*num == '\0' || strlen(num) > 10)
		return false;
	for (; *num != '\0'; num++)
		if (!isdigit((unsigned char)*num))
			return false;
	return true;
}

int session_warn_tty(const char *tty, const char *text)
{
	struct stat st;
	size_t len = strlen(text), done = 0;
	int fd;

	if (!tty_path_ok(tty))
		return -1;
	fd = open(tty, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return done == len ? 0 : -1;
}
