/* The registered claims of RFC 7519 §4.1, checked against the configuration. */
#ifndef PAM_JWT_CLAIMS_H
#define PAM_JWT_CLAIMS_H

#include <stdint.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/*
 * Checks exp (required), nbf, iat, max_lifetime, iss and aud at time now,
 * reporting each to tr. JWT_E_CLAIMS with the reason on the first failure.
 */
enum jwt_status jwt_claims_check(const struct jwt_config *cfg, json_object *claims,
				 int64_t now, const struct jwt_trace *tr, struct jwt_err *err);

#endif
