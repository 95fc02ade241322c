/* Where a token comes from: the command line, a file, or standard input. */
#ifndef PAM_JWT_CLI_INPUT_H
#define PAM_JWT_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copies arg, or reads one line of standard input when arg is NULL, into a
 * fresh buffer (free with jwt_wipe_free(*tok, *len + 1)). A trailing "\n" or
 * "\r\n" is dropped, as a PAM conversation drops the Enter key. Input longer
 * than the core accepts is cut just past that limit, so the core still refuses it.
 * False (with a message) when standard input cannot be read.
 */
bool cli_read_token(const char *arg, char **tok, size_t *len);

/*
 * cli_read_token(), with the line read from file when arg is NULL and file
 * is given ("-": standard input). The file's stdio buffer is freed unwiped:
 * a token file is the user's own copy already.
 */
bool cli_read_token_from(const char *arg, const char *file, char **tok, size_t *len);

#endif
