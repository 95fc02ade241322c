/* From the token's user claim to a local account. */
#ifndef PAM_JWT_USER_H
#define PAM_JWT_USER_H

#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* Longest user claim or local user name accepted, in bytes. */
#define JWT_USER_MAX 256
/* Largest user_map file read, in bytes. */
#define JWT_USER_MAP_MAX ((size_t)1024 * 1024)

/*
 * Reads the configured user claim, maps it (identity, or user_map), checks it
 * against expected (the PAM user, when set) and looks the result up with
 * getpwnam_r. On success *user is a fresh copy of the local name.
 */
enum jwt_status jwt_user_resolve(const struct jwt_config *cfg, json_object *claims,
				 const char *expected, char **user, struct jwt_err *err);

#endif
