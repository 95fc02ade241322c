/*
 * tests/unit/test_session_end.c: src/cli/session_end.c, the ending of a
 * session bound to its token and the warning to its terminal. Each refusal
 * beside an accepted control: a live process given the wrong start time (a
 * reused pid) is not signalled, the right one is; a path that is not a
 * terminal is not written, a pty is.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jwt_proc.h"
#include "../../src/cli/session_end.h"
#include "../lib/tap.h"

enum child_mode { PLAIN, IGNORE_HUP, IGNORE_HUP_TERM };

/* A child that waits forever, ready (its signals set) when this returns. */
static pid_t spawn(enum child_mode mode)
{
	int fds[2];
	char c;
	pid_t pid;

	if (pipe(fds) != 0)
		exit(99);
	pid = fork();
	if (pid < 0)
		exit(99);
	if (pid == 0) {
		/* Set either way: a test run under nohup inherits SIGHUP ignored. */
		signal(SIGHUP, mode != PLAIN ? SIG_IGN : SIG_DFL);
		signal(SIGTERM, mode == IGNORE_HUP_TERM ? SIG_IGN : SIG_DFL);
		close(fds[0]);
		(void)!write(fds[1], "r", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		exit(99);
	close(fds[0]);
	return pid;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The signal that ended pid (reaped here), or 0 if it still runs (then killed). */
static int ended_by(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 0;
	}
	return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

static void test_end(void)
{
	struct jwt_proc p;
	struct jwt_err err;
	char why[256] = "";
	double t0;
	pid_t pid;
	int rc, sig;

	/* A normal process ends with SIGHUP. */
	pid = spawn(PLAIN);
	ok(jwt_proc_read(pid, &p, &err) == JWT_OK, "the child's identity is read");
	rc = session_end(&p, NULL, 3000, why, sizeof(why));
	sig = ended_by(pid);
	ok(rc == 0 && sig == SIGHUP, "a process is ended by SIGHUP (rc %d, signal %d)", rc, sig);

	/* One that ignores SIGHUP ends with SIGTERM after a second (su). */
	pid = spawn(IGNORE_HUP);
	jwt_proc_read(pid, &p, &err);
	rc = session_end(&p, NULL, 3000, why, sizeof(why));
	sig = ended_by(pid);
	ok(rc == 0 && sig == SIGTERM, "a process ignoring SIGHUP is ended by SIGTERM (signal %d)", sig);

	/* One that ignores both gets SIGKILL after the grace, not before. */
	pid = spawn(IGNORE_HUP_TERM);
	jwt_proc_read(pid, &p, &err);
	t0 = now();
	rc = session_end(&p, NULL, 1500, why, sizeof(why));
	sig = ended_by(pid);
	ok(rc == 0 && sig == SIGKILL && now() - t0 >= 1.4,
	   "a process ignoring SIGHUP and SIGTERM gets SIGKILL after the grace (signal %d, %.2f s)",
	   sig, now() - t0);

	/* A reused pid: a live process whose start time is not the record's survives. */
	pid = spawn(PLAIN);
	jwt_proc_read(pid, &p, &err);
	p.start += 1;
	rc = session_end(&p, NULL, 1500, why, sizeof(why));
	usleep(200 * 1000);
	sig = ended_by(pid);
	ok(rc == 0 && sig == 0, "a live process with another start time (a reused pid) is not signalled "
	   "(rc %d, signal %d)", rc, sig);

	/* A process gone counts as ended. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	jwt_proc_read(pid, &p, &err);
	waitpid(pid, NULL, 0);
	rc = session_end(&p, NULL, 1000, why, sizeof(why));
	ok(rc == 0, "a process already gone: ended (rc %d)", rc);

	/* A logind id where logind does not answer: the signals still end it. */
	pid = spawn(PLAIN);
	jwt_proc_read(pid, &p, &err);
	rc = session_end(&p, "c999999", 3000, why, sizeof(why));
	sig = ended_by(pid);
	ok(rc == 0 && sig != 0, "with a logind id that logind does not know, the process still ends");
}

static void test_warn(void)
{
	char buf[256], link[] = "/tmp/pam_jwt_test_ttyXXXXXX";
	const char *pts;
	ssize_t n;
	int master;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (pts = ptsname(master)) == NULL) {
		ok(0, "a pty to write to: %s", strerror(errno));
		return;
	}
	/* The slave must be open for the master to read what was written. */
	int slave = open(pts, O_RDWR | O_NOCTTY);

	ok(session_warn_tty(pts, "pam_jwt: your token expires in 60 s\n") == 0,
	   "the warning is written to a pty (%s)", pts);
	usleep(100 * 1000);
	n = read(master, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ok(strstr(buf, "token expires in 60 s") != NULL, "the warning reaches the pty's reader");

	ok(session_warn_tty("/etc/passwd", "x\n") != 0, "a regular file is refused");
	ok(session_warn_tty("/dev/null", "x\n") != 0, "a character device that is no terminal path is refused");
	ok(session_warn_tty("/dev/pts/../../etc/passwd", "x\n") != 0, "a path with .. is refused");
	ok(session_warn_tty("/dev/tty", "x\n") != 0, "/dev/tty (the caller's own terminal) is refused");
	if (mkstemp(link) >= 0) {
		unlink(link);
		if (symlink(pts, link) == 0)
			ok(session_warn_tty(link, "x\n") != 0, "a symbolic link to the pty (outside /dev/pts) is refused");
		unlink(link);
	}
	ok(session_warn_tty("/dev/pts/999999", "x\n") != 0, "a pty that does not exist: reported");
	close(slave);
	close(master);
}

int main(void)
{
	test_end();
	test_warn();
	return tap_done();
}
