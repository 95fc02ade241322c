/*
 * The relay check of pam-jwt askpass: the host it may sign a DPoP proof for,
 * established by askpass itself and never taken from the prompt. A host the
 * user logs in to could otherwise show askpass another host's challenge and
 * log in there with the proof.
 */
#ifndef PAM_JWT_CLI_DPOP_HOST_H
#define PAM_JWT_CLI_DPOP_HOST_H

#include <stdbool.h>

#define DPOP_HOST_NAMES 2

/* The names of the host a proof may be for, and how they were found. */
struct dpop_host {
	char *names[DPOP_HOST_NAMES];	/* lower case, without a trailing dot */
	const char *how;		/* "PAM_JWT_HOST", "the ssh destination", "this host" */
};

/*
 * Establishes the host: $PAM_JWT_HOST when set; else, when askpass's parent
 * process is ssh, its destination as `ssh -G` resolves the parent's command
 * line (the host typed, and "hostname"); else this host (gethostname). False,
 * with a message, when it cannot be found. Free with dpop_host_free().
 */
bool dpop_host_establish(struct dpop_host *h);

void dpop_host_free(struct dpop_host *h);

/*
 * Whether a challenge's HOST is one of h's names, case-insensitively and
 * without a trailing dot; a short name (no dot) also matches a full name, either
 * way round, that the resolver would make of it: the short name, a dot, and a
 * domain of this machine's search list ($LOCALDOMAIN, else resolv.conf's
 * search or domain, else this host's domain): "web1" and "web1.example.org"
 * where example.org is searched, never "web1.evil.example". Never the first
 * label of an IP address; nothing else: no other suffix, no address for a name.
 */
bool dpop_host_match(const struct dpop_host *h, const char *host);

/* The same rule for two names. */
bool dpop_host_name_match(const char *a, const char *b);

#endif
