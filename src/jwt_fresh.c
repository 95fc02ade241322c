#include "config.h"

#include <string.h>

#include "jwt_fresh.h"
#include "jwt_match.h"

/* What a refusal of max_auth_age= tells the user to do. */
#define FRESH_HINT "get a fresh token with pam-jwt login --max-age"

static enum jwt_status check_auth_age(const struct jwt_config *cfg, json_object *claims,
				      int64_t now, struct jwt_err *err)
{
	json_object *v;
	int64_t at;

	if (!json_object_object_get_ex(claims, "auth_time", &v))
		return jwt_fail(err, JWT_E_CLAIMS, "token has no \"auth_time\"; max_auth_age=%ld "
				"requires one (" FRESH_HINT " %ld)", cfg->max_auth_age,
				cfg->max_auth_age);
	if (!json_object_is_type(v, json_type_int))
		return jwt_fail(err, JWT_E_CLAIMS, "\"auth_time\" is not an integer");
	at = json_object_get_int64(v);
	/* json-c clamps what does not fit; before 1970 is no login time either. */
	if (at < 0 || at == INT64_MAX)
		return jwt_fail(err, JWT_E_CLAIMS, "\"auth_time\" is out of range");
	if (at > now + cfg->leeway)
		return jwt_fail(err, JWT_E_CLAIMS, "\"auth_time\" lies %lld s in the future "
				"(leeway %ld s)", (long long)(at - now), cfg->leeway);
	if (now - at > cfg->max_auth_age)
		return jwt_fail(err, JWT_E_CLAIMS, "authentication was %lld s ago, beyond "
				"max_auth_age=%ld (" FRESH_HINT " %ld)", (long long)(now - at),
				cfg->max_auth_age, cfg->max_auth_age);
	return JWT_OK;
}

static enum jwt_status check_acr(const struct jwt_config *cfg, json_object *claims,
				 struct jwt_err *err)
{
	struct jwt_list l;
	const char *el, *acr;
	size_t n, len;
	json_object *v;

	if (!json_object_object_get_ex(claims, "acr", &v))
		return jwt_fail(err, JWT_E_CLAIMS, "token has no \"acr\"; acr= requires one of "
				"%.128s", cfg->acr);
	if (!json_object_is_type(v, json_type_string))
		return jwt_fail(err, JWT_E_CLAIMS, "\"acr\" is not a string");
	acr = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	for (jwt_list_start(&l, cfg->acr, strlen(cfg->acr)); jwt_list_next(&l, &el, &n);)
		if (n == len && memcmp(el, acr, n) == 0)
			return JWT_OK;
	return jwt_fail(err, JWT_E_CLAIMS, "\"acr\" is none of the values acr= accepts (%.128s)",
			cfg->acr);
}

enum jwt_status jwt_fresh_check(const struct jwt_config *cfg, json_object *claims,
				int64_t now, const struct jwt_trace *tr, struct jwt_err *err)
{
	enum jwt_status rc;

	if (cfg->max_auth_age > 0) {
		rc = check_auth_age(cfg, claims, now, err);
		jwt_trace_step(tr, "auth_time", rc == JWT_OK, "%s",
			       rc == JWT_OK ? "within max_auth_age=" : err->reason);
		if (rc != JWT_OK)
			return rc;
	}
	if (cfg->acr != NULL) {
		rc = check_acr(cfg, claims, err);
		jwt_trace_step(tr, "acr", rc == JWT_OK, "%s",
			       rc == JWT_OK ? "one of acr=" : err->reason);
		if (rc != JWT_OK)
			return rc;
	}
	return JWT_OK;
}
