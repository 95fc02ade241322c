/* pam-jwt askpass's answer to a bound token's DPoP challenge (askpass_dpop.c). */
#ifndef PAM_JWT_CLI_ASKPASS_DPOP_H
#define PAM_JWT_CLI_ASKPASS_DPOP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether asked is a DPoP prompt of pam_jwt: the challenge ("DPoP proof for
 * ...", *part false) or a proof's part ("DPoP proof (part k of M): ", *part true).
 */
bool askpass_dpop_prompt(const char *asked, bool *part);

/*
 * Answers the challenge in asked with a proof by the user's key
 * ($PAM_JWT_DPOP_KEY, else dpop_key in the directory of token_path) for the
 * token (len bytes), when its host passes the relay check (dpop_host.h). An
 * exit code; no proof and a message on stderr when it does not.
 */
int askpass_dpop_challenge(const char *asked, const char *token, size_t len,
			   const char *token_path);

/* Answers a part prompt with that part of the proof kept since the challenge. */
int askpass_dpop_part(const char *asked);

#endif
