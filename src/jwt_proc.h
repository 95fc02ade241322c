/* src/jwt_proc.h: a process identified by pid and start time, so that a reused pid is never taken for it. */
#ifndef PAM_JWT_PROC_H
#define PAM_JWT_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "jwt_err.h"

struct jwt_proc {
	pid_t pid;
	unsigned long long start;	/* field 22 of /proc/PID/stat: clock ticks after boot */
};

/*
 * Reads the identity of process pid from /proc/PID/stat into *p. The command
 * name (field 2) may hold spaces and parentheses: the fields are taken after
 * the LAST ')'. JWT_E_SYSTEM with the reason when the process is gone (or pid
 * is not positive) or the file does not parse.
 */
enum jwt_status jwt_proc_read(pid_t pid, struct jwt_proc *p, struct jwt_err *err);

/*
 * True only if p->pid exists now AND has the same start time: a pid reused by
 * another process is not p. False for a zombie as for a process gone.
 */
bool jwt_proc_alive(const struct jwt_proc *p);

/*
 * The terminal of the session p opened: p's own controlling tty, else that of
 * a process below it (sshd's [priv] process has none; the session's child
 * and shell have the pty). A /dev/pts/N or /dev/ttyN path that stat() shows
 * to be that device, into path; false when there is none or p is not alive.
 */
bool jwt_proc_session_tty(const struct jwt_proc *p, char *path, size_t size);

#endif
