/*
 * Who may log in as which account: rules decided from the verified claims
 * alone (require_claim=, groups=), the issuer a key is bound to, and the uid
 * 0 guard (allow_root).
 */
#ifndef PAM_JWT_AUTHZ_H
#define PAM_JWT_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/*
 * The token's groups (groups_claim=): an array of strings, each one group
 * as it is; or one string, split at every ',' (no whitespace trimmed, empty
 * parts ignored). *present is false when the claim is absent; any other type,
 * or an array member that is not a string, is JWT_E_CLAIMS.
 */
struct jwt_groups {
	json_object *value;	/* NULL when absent */
};
enum jwt_status jwt_groups_read(const struct jwt_config *cfg, json_object *claims,
				struct jwt_groups *g, struct jwt_err *err);

/* Whether the groups hold name (len bytes) exactly. */
bool jwt_groups_has(const struct jwt_groups *g, const char *name, size_t len);

/*
 * require_claim=, then groups=, each reported to tr. JWT_E_CLAIMS with the
 * reason (naming the configured names, never the token's values) on failure.
 */
enum jwt_status jwt_authz_claims(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_trace *tr, struct jwt_err *err);

/*
 * A token verified by a key bound to an issuer (key_issuer not NULL) must
 * carry exactly that "iss". JWT_E_CLAIMS if not.
 */
enum jwt_status jwt_authz_key_issuer(const char *key_issuer, json_object *claims,
				     const struct jwt_trace *tr, struct jwt_err *err);

/* The uid 0 guard: without allow_root, an account of uid 0 is JWT_E_USER. */
enum jwt_status jwt_authz_root(const struct jwt_config *cfg, const char *user, uid_t uid,
			       const struct jwt_trace *tr, struct jwt_err *err);

#endif
