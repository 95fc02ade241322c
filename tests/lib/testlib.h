/* Helpers shared by the C tests: files and tokens signed with libgcrypt directly. */
#ifndef PAM_JWT_TESTLIB_H
#define PAM_JWT_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>

#include "jwt_alg.h"
#include "jwt_key.h"

/* Writes len bytes to path with mode; exits 99 (a hard error) on failure. */
void write_file(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Signs header.payload (JSON text, encoded here) with HMAC for alg, using
 * libgcrypt directly rather than the core, so that any key length goes.
 * Returns a malloc'd token.
 */
char *mint(enum jwt_alg alg, const char *header, const char *payload,
	   const unsigned char *key, size_t keylen);

/* Signs header.payload with key (a private key, or a secret) through jwt_sig_sign(). */
char *mint_key(enum jwt_alg alg, const char *header, const char *payload,
	       const struct jwt_key *key);

/*
 * An HS256 token of exactly len bytes whose claims are members (JSON object
 * members without braces) and a "pad" string that makes up the length.
 */
char *mint_length(size_t len, const char *members, const unsigned char *key, size_t keylen);

/*
 * Runs attempt(arg) in n child processes at once: each waits at a gate that
 * opens when all n are forked. attempt returns 0 when it was accepted and 1
 * when it was refused; any other value, or a child that dies, is odd.
 * Returns how many were accepted, or -1 when any was odd.
 */
int race_children(int n, int (*attempt)(void *arg), void *arg);

/* Makes a scratch directory from template (ending in XXXXXX); removes it at exit. */
void scratch_dir(char *template);

#endif
