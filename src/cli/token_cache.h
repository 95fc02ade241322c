/*
 * The user's token cache: $XDG_CACHE_HOME/pam-jwt/ (~/.cache/pam-jwt/), a
 * directory of mode 0700 owned by the user, holding "token" (what pam-jwt
 * login got, and pam-jwt askpass reads), "refresh_token" and "token_kind"
 * ("id" or "access": which token "token" is, kept by --refresh), each mode
 * 0600 and replaced in one rename.
 */
#ifndef PAM_JWT_CLI_TOKEN_CACHE_H
#define PAM_JWT_CLI_TOKEN_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_CACHE_TOKEN "token"
#define TOKEN_CACHE_REFRESH "refresh_token"
#define TOKEN_CACHE_KIND "token_kind"

/*
 * The cache directory (a fresh string), made (mode 0700) when create is set
 * and it is missing. False, with a message, when it cannot be found or made,
 * or when it is not a directory of the user's own that only the user can
 * enter.
 */
bool token_cache_dir(bool create, char **dir);

/* Writes text + "\n" into dir/name (mode 0600) in one rename, then syncs dir. */
bool token_cache_write(const char *dir, const char *name, const char *text);

/*
 * Reads dir/name (the user's own, mode 0600 or stricter, at most max bytes)
 * without its trailing newline; free with jwt_wipe_free(*text, *len + 1).
 */
bool token_cache_read(const char *dir, const char *name, size_t max, char **text, size_t *len);

/* Removes dir/name if it is there. */
void token_cache_remove(const char *dir, const char *name);

#endif
