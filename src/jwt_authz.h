/*
 * Who may log in as which account: rules decided from the verified claims
 * alone (require_claim=, groups=), the identity transforms (user_domain=,
 * user_lowercase, user_nocase), the issuer a key is bound to, issuer= and
 * audience= lists with %h and %s, and the uid 0 guard (allow_root).
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
 * The claim named path: first the top-level member of exactly that name (so
 * that namespaced claims such as "https://example.com/roles" work), else each
 * '.' steps into an object ("realm_access.roles"). NULL when absent.
 */
json_object *jwt_claim_path(json_object *claims, const char *path);

/*
 * Checks the authorization arguments once parsed: lists without empty
 * elements, only %h, %s and %% in issuer= and audience=, NAME=VALUE pairs in
 * require_claim=, and the combinations that make sense. JWT_E_CONFIG if not.
 */
enum jwt_status jwt_authz_config_check(const struct jwt_config *cfg, struct jwt_err *err);

/*
 * Whether every key must be bound to an issuer: issuer= names several, and
 * the keys come from several files (secret_file=, each set of jwks_file=).
 * With one file there is one provider; with one issuer, issuer= binds all.
 */
bool jwt_keys_must_bind(const struct jwt_config *cfg);

/* The number of comma-separated elements of list (0 for NULL). */
size_t jwt_list_count(const char *list);

/*
 * Whether s (len bytes) equals one element of list (issuer=, audience=)
 * exactly, after %h (the host name, cfg->host or gethostname()), %s
 * (cfg->service) and %% are expanded. A list using %s with no service known,
 * or a host name that cannot be read, is JWT_E_CONFIG.
 */
enum jwt_status jwt_list_match(const struct jwt_config *cfg, const char *list, const char *s,
			       size_t len, bool *found, struct jwt_err *err);

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
 * The identity transforms, in this order: user_domain= (the identity must end
 * in "@" and that domain, compared in any ASCII case, which is then cut off;
 * any other identity is refused), then user_lowercase (ASCII). *out is a
 * fresh copy of *out_len bytes (free it).
 */
enum jwt_status jwt_authz_identity(const struct jwt_config *cfg, const char *id, size_t len,
				   char **out, size_t *out_len, struct jwt_err *err);

/* Whether a and b (n bytes each) are the same in any ASCII case. */
bool jwt_ascii_caseeq(const char *a, const char *b, size_t n);

/* Lower-cases the n bytes of s in place (ASCII letters only). */
void jwt_ascii_lower(char *s, size_t n);

/* Whether two identities are the same: exactly, or in any ASCII case with user_nocase. */
bool jwt_identity_eq(const struct jwt_config *cfg, const char *a, size_t alen, const char *b,
		     size_t blen);

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
