/*
 * Fresh authentication: how long ago the user authenticated at the provider
 * (auth_time, OpenID Connect Core §2) and how (acr), against max_auth_age=
 * and acr=.
 */
#ifndef PAM_JWT_FRESH_H
#define PAM_JWT_FRESH_H

#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/*
 * With max_auth_age=: auth_time is an integer, not beyond the leeway in the
 * future, and at most max_auth_age= seconds before now. With acr=: acr is a
 * string equal to one of the list. Neither configured: JWT_OK. Each step
 * goes to tr; JWT_E_CLAIMS with the reason on the first failure.
 */
enum jwt_status jwt_fresh_check(const struct jwt_config *cfg, json_object *claims,
				int64_t now, const struct jwt_trace *tr, struct jwt_err *err);

#endif
