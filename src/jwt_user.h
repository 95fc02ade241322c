/* From the token's user claim to a local account. */
#ifndef PAM_JWT_USER_H
#define PAM_JWT_USER_H

#include <stddef.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* Longest user claim or local user name accepted, in bytes. */
#define JWT_USER_MAX 256
/* Largest user_map file read, in bytes. */
#define JWT_USER_MAP_MAX ((size_t)1024 * 1024)

/*
 * Reads the configured user claim, transforms it (user_domain=,
 * user_lowercase), maps it (identity, user_map or policy_file), checks it
 * against expected (the PAM user, when set), looks the result up with
 * getpwnam_r and refuses uid 0 without allow_root. On success *user is a
 * fresh copy of the local name. The policy and root decisions go to tr, then
 * the "user" step: the account, or the reason of a refusal not reported yet.
 */
enum jwt_status jwt_user_resolve(const struct jwt_config *cfg, json_object *claims,
				 const char *expected, const struct jwt_trace *tr, char **user,
				 struct jwt_err *err);

/*
 * The user_map= lookup on the map's text (size bytes, NUL-terminated, split
 * in place; what names it in reasons): lines of "claim-value local-user",
 * blank lines and lines starting with '#' ignored. *local becomes a fresh
 * copy of the account identity maps to. JWT_E_USER when no line maps it;
 * JWT_E_KEY when the text holds a NUL, does not end with a newline, or a line
 * before the match is malformed. With local NULL, only checks every line
 * (JWT_OK when all are well-formed; identity is not looked at).
 */
enum jwt_status jwt_user_map_find(const struct jwt_config *cfg, const char *what, char *text,
				  size_t size, const char *identity, size_t id_len, char **local,
				  struct jwt_err *err);

/* Reads user_map= path with the module's file rules and checks every line of it. */
enum jwt_status jwt_user_map_check(const struct jwt_config *cfg, const char *path,
				   struct jwt_err *err);

/* A local user name: non-empty, short, free of NUL, '/', ':' and control characters. */
bool jwt_user_name_ok(const char *s, size_t len);

#endif
