/* src/cli/session_end.h: ending a session bound to its token, and warning its terminal. */
#ifndef PAM_JWT_SESSION_END_H
#define PAM_JWT_SESSION_END_H

#include <stddef.h>

#include "jwt_proc.h"

/*
 * Ends the session of process p: through logind (TerminateSession, by
 * loginctl) when logind runs and logind_id is given, then SIGHUP to p, SIGTERM
 * after a second, SIGKILL after grace_ms. p's identity (pid and start time) is
 * checked before every signal, and the signal goes through a pidfd where the
 * kernel has pidfd_open(2), so a reused pid is never signalled. 0 when the
 * session ended or p was already gone; -1 with the reason in why.
 */
int session_end(const struct jwt_proc *p, const char *logind_id, unsigned grace_ms, char *why,
		size_t whylen);

/*
 * Writes text to the terminal tty: a path under /dev/pts/ or /dev/ttyN only,
 * opened without following a link, without becoming the controlling
 * terminal and without blocking, and a character device. 0 when written, -1
 * otherwise (a failure to report, not fatal).
 */
int session_warn_tty(const char *tty, const char *text);

#endif
