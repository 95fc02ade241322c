#include "config.h"

#include <string.h>

#include "jwt_claims.h"
#include "jwt_json.h"
#include "jwt_match.h"

/* An exp at or past this (year 5138 in seconds) is most likely in milliseconds. */
#define JWT_EXP_MILLISECONDS 1e11

struct times {
	bool has_exp, has_nbf, has_iat;
	double exp, nbf, iat;
};

static enum jwt_status read_times(json_object *claims, struct times *t, struct jwt_err *err)
{
	enum jwt_status rc;

	rc = jwt_json_numericdate(claims, "exp", &t->has_exp, &t->exp, err);
	if (rc == JWT_OK)
		rc = jwt_json_numericdate(claims, "nbf", &t->has_nbf, &t->nbf, err);
	if (rc == JWT_OK)
		rc = jwt_json_numericdate(claims, "iat", &t->has_iat, &t->iat, err);
	return rc;
}

static enum jwt_status check_issuer(const struct jwt_config *cfg, json_object *claims,
				    struct jwt_err *err)
{
	const char *iss;
	size_t len;
	bool found = false;
	enum jwt_status rc;

	if (!json_object_object_get_ex(claims, "iss", NULL)) {
		if (cfg->issuer != NULL)
			return jwt_fail(err, JWT_E_CLAIMS, "token has no \"iss\"; issuer= requires one");
		return JWT_OK;
	}
	iss = jwt_json_string(claims, "iss", &len);
	if (iss == NULL)
		return jwt_fail(err, JWT_E_CLAIMS, "\"iss\" is not a string");
	if (cfg->issuer == NULL)
		return JWT_OK;
	rc = jwt_match_list(cfg->issuer, iss, len, cfg->host, cfg->service, &found, err);
	if (rc == JWT_OK && !found)
		rc = jwt_fail(err, JWT_E_CLAIMS, "\"iss\" is not the configured issuer");
	return rc;
}

/* Whether the string val is one of the audience= list (false when there is none). */
static enum jwt_status is_audience(const struct jwt_config *cfg, json_object *val, bool *found,
				   struct jwt_err *err)
{
	bool yes = false;
	enum jwt_status rc = JWT_OK;

	if (cfg->audience != NULL)
		rc = jwt_match_list(cfg->audience, json_object_get_string(val),
				    (size_t)json_object_get_string_len(val), cfg->host, cfg->service,
				    &yes, err);
	*found = *found || yes;
	return rc;
}

/* RFC 7519 §4.1.3: a token naming audiences is refused by any principal not among them. */
static enum jwt_status check_audience(const struct jwt_config *cfg, json_object *claims,
				      struct jwt_err *err)
{
	json_object *aud;
	bool found = false;
	enum jwt_status rc;

	if (!json_object_object_get_ex(claims, "aud", &aud)) {
		if (cfg->audience != NULL)
			return jwt_fail(err, JWT_E_CLAIMS, "token has no \"aud\"; audience= requires one");
		return JWT_OK;
	}
	if (json_object_is_type(aud, json_type_string)) {
		rc = is_audience(cfg, aud, &found, err);
		if (rc != JWT_OK)
			return rc;
	} else if (json_object_is_type(aud, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(aud); i++) {
			json_object *v = json_object_array_get_idx(aud, i);

			if (!json_object_is_type(v, json_type_string))
				return jwt_fail(err, JWT_E_CLAIMS, "\"aud\" holds a non-string");
			rc = is_audience(cfg, v, &found, err);
			if (rc != JWT_OK)
				return rc;
		}
	} else {
		return jwt_fail(err, JWT_E_CLAIMS, "\"aud\" is neither a string nor an array of strings");
	}
	if (cfg->audience == NULL)
		return jwt_fail(err, JWT_E_CLAIMS, "token is restricted by \"aud\" but no audience= "
				"is configured");
	if (!found)
		return jwt_fail(err, JWT_E_CLAIMS, "\"aud\" does not include the configured audience");
	return JWT_OK;
}

enum jwt_status jwt_claims_check(const struct jwt_config *cfg, json_object *claims,
				 int64_t now_i, const struct jwt_trace *tr, struct jwt_err *err)
{
	const double now = (double)now_i, leeway = (double)cfg->leeway;
	struct times t = { 0 };
	enum jwt_status rc;

	rc = read_times(claims, &t, err);
	if (rc != JWT_OK)
		goto fail_times;
	if (!t.has_exp) {
		rc = jwt_fail(err, JWT_E_CLAIMS, "token has no \"exp\"");
		goto fail_times;
	}
	if (now >= t.exp + leeway) {
		rc = jwt_fail(err, JWT_E_CLAIMS, "token expired %.0f s ago (leeway %ld s)",
			      now - t.exp, cfg->leeway);
		goto fail_times;
	}
	/*
	 * An exp too far ahead: most often an issuer that writes milliseconds,
	 * whose tokens would otherwise live for 50,000 years.
	 */
	if (t.exp - now > (double)cfg->max_expiry + leeway) {
		if (t.exp >= JWT_EXP_MILLISECONDS)
			rc = jwt_fail(err, JWT_E_CLAIMS, "exp is %.0f: milliseconds? (it lies beyond "
				      "max_expiry=%ld)", t.exp, cfg->max_expiry);
		else
			rc = jwt_fail(err, JWT_E_CLAIMS, "token expires in %.0f s, beyond max_expiry=%ld",
				      t.exp - now, cfg->max_expiry);
		goto fail_times;
	}
	jwt_trace_step(tr, "exp", true, "expires in %.0f s", t.exp - now);
	if (t.has_nbf && now < t.nbf - leeway) {
		rc = jwt_fail(err, JWT_E_CLAIMS, "token not valid for another %.0f s (nbf, leeway %ld s)",
			      t.nbf - now, cfg->leeway);
		jwt_trace_step(tr, "nbf", false, "%s", err->reason);
		return rc;
	}
	if (t.has_nbf)
		jwt_trace_step(tr, "nbf", true, "valid since %.0f s", now - t.nbf);
	if (t.has_iat && t.iat > now + leeway) {
		rc = jwt_fail(err, JWT_E_CLAIMS, "token issued %.0f s in the future (iat, leeway %ld s)",
			      t.iat - now, cfg->leeway);
		jwt_trace_step(tr, "iat", false, "%s", err->reason);
		return rc;
	}
	if (t.has_iat)
		jwt_trace_step(tr, "iat", true, "issued %.0f s ago", now - t.iat);
	if (cfg->max_lifetime > 0) {
		if (!t.has_iat)
			rc = jwt_fail(err, JWT_E_CLAIMS, "token has no \"iat\"; max_lifetime= requires one");
		else if (t.exp - t.iat > (double)cfg->max_lifetime)
			rc = jwt_fail(err, JWT_E_CLAIMS, "token lifetime %.0f s exceeds max_lifetime=%ld",
				      t.exp - t.iat, cfg->max_lifetime);
		jwt_trace_step(tr, "max_lifetime", rc == JWT_OK, "%s",
			       rc == JWT_OK ? "within limit" : err->reason);
		if (rc != JWT_OK)
			return rc;
	}
	rc = check_issuer(cfg, claims, err);
	jwt_trace_step(tr, "iss", rc == JWT_OK, "%s", rc != JWT_OK ? err->reason
		       : cfg->issuer ? "matches issuer=" : "not checked (no issuer=)");
	if (rc != JWT_OK)
		return rc;
	rc = check_audience(cfg, claims, err);
	jwt_trace_step(tr, "aud", rc == JWT_OK, "%s", rc != JWT_OK ? err->reason
		       : cfg->audience ? "includes audience=" : "absent");
	return rc;

fail_times:
	jwt_trace_step(tr, "exp", false, "%s", err->reason);
	return rc;
}
