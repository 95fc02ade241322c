/* From the token's user claim to a local account. */
#ifndef PAM_JWT_USER_H
#define PAM_JWT_USER_H

#include <stddef.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_identity.h"

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
 * The user_map= lookup on the map's text (size bytes; what names it in
 * reasons), read by jwt_text_lines(): lines of "claim-value local-user",
 * blank lines and lines starting with '#' ignored. *local becomes a fresh
 * copy of the account identity maps to. JWT_E_USER when no line maps it;
 * JWT_E_KEY when the text is not a whole map or a line before the match is
 * malformed. With local NULL, only checks every line (JWT_OK when all are
 * well-formed; identity is not looked at).
 */
enum jwt_status jwt_user_map_find(const struct jwt_config *cfg, const char *what,
				  const char *text, size_t size, const char *identity,
				  size_t id_len, char **local, struct jwt_err *err);

/* Reads user_map= path with the module's file rules and checks every line of it. */
enum jwt_status jwt_user_map_check(const struct jwt_config *cfg, const char *path,
				   struct jwt_err *err);

#endif
