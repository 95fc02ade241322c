/* The ending of a session (src/cli/session_end.c): what pam-jwt sessions --reap calls. */
#ifndef PAM_JWT_SESSION_END_API_H
#define PAM_JWT_SESSION_END_API_H

#include <stddef.h>

#include "jwt_proc.h"

int session_end(const struct jwt_proc *p, const char *logind_id, unsigned grace_ms, char *why,
		size_t whylen);
int session_warn_tty(const char *tty, const char *text);

#endif
