/* pam-jwt mint --max-bytes: which claims to drop when a token is too long. */
#ifndef PAM_JWT_CLI_MINT_SIZE_H
#define PAM_JWT_CLI_MINT_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* --max-bytes N: digits, 1 to 1048576. */
bool mint_size_parse(const char *s, size_t *max);

/*
 * The token (header_len base64url characters of header, the claims, sig_len
 * characters of signature) is longer than max: reports on stderr by how much,
 * each claim with the bytes the token saves without it (largest first; sub and
 * exp marked required, claims a module argument checks marked with it), and
 * the largest claims whose removal together brings it to max, or that no
 * choice of claims does.
 */
void mint_size_report(json_object *claims, size_t header_len, size_t sig_len, size_t max);

#endif
