#include "config.h"

#include <string.h>

#include "jwks.h"
#include "jwt_claims.h"
#include "jwt_replay.h"
#include "jwt_revoke.h"
#include "jwt_sig.h"
#include "jwt_user.h"
#include "jwt_verify.h"

enum jwt_status jwt_keyset_load(const struct jwt_config *cfg, struct jwt_keyset *ks,
				struct jwt_err *err)
{
	enum jwt_status rc = JWT_OK;

	if (cfg->secret_file == NULL && cfg->jwks_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "no key configured");
	if (cfg->secret_file != NULL)
		rc = jwt_keyset_add_secret_file(ks, cfg->secret_file, err);
	if (rc == JWT_OK && cfg->jwks_file != NULL)
		rc = jwt_keyset_add_jwks_file(ks, cfg->jwks_file, err);
	return rc;
}

/*
 * A token's kid selects only the keys of that kid. The key of secret_file= is
 * the only one of its kind, so it is tried whatever kid the token names; a key
 * of a key set without a kid is not.
 */
static bool kid_matches(const struct jwt_token *t, const struct jwt_key *key)
{
	if (t->kid == NULL || key->any_kid)
		return true;
	return key->kid != NULL && strlen(key->kid) == t->kid_len &&
	       memcmp(key->kid, t->kid, t->kid_len) == 0;
}

enum jwt_status jwt_verify_signature(const struct jwt_token *t, const struct jwt_keyset *ks,
				     jwt_alg_set allowed, const struct jwt_trace *tr,
				     struct jwt_err *err)
{
	const char *name = jwt_alg_info(t->alg)->name;
	enum jwt_status rc = JWT_E_ALG;
	bool tried = false, mismatch = false, kid_found = false;
	struct jwt_err last = { 0 };

	if (!(allowed & JWT_ALG_BIT(t->alg))) {
		rc = jwt_fail(err, JWT_E_ALG, "algorithm %s is not in algorithms=", name);
		jwt_trace_step(tr, "alg", false, "%s", err->reason);
		return rc;
	}
	jwt_trace_step(tr, "alg", true, "%s is allowed", name);
	for (size_t i = 0; i < ks->count; i++) {
		const struct jwt_key *key = &ks->keys[i];

		if (!kid_matches(t, key))
			continue;
		kid_found = true;
		if (!jwt_key_fits(key, t->alg))
			continue;
		tried = true;
		rc = jwt_sig_verify(t->alg, key, t->signing_input, t->signing_input_len,
				    t->sig, t->sig_len, &last);
		if (rc == JWT_OK) {
			jwt_trace_step(tr, "signature", true, "%s verified with key %zu", name, i + 1);
			return JWT_OK;
		}
		mismatch = mismatch || rc == JWT_E_SIGNATURE;
	}
	if (!tried && t->kid != NULL && !kid_found)
		rc = jwt_fail(err, JWT_E_ALG, "no configured key has the token's kid");
	else if (!tried)
		rc = jwt_fail(err, JWT_E_ALG, "no configured key can verify %s%s", name,
			      t->kid ? " under the token's kid" : "");
	else if (mismatch)
		rc = jwt_fail(err, JWT_E_SIGNATURE, "%s", last.status == JWT_E_SIGNATURE ? last.reason
							: "signature does not verify with any key");
	else
		rc = jwt_fail(err, last.status, "%s", last.reason);
	jwt_trace_step(tr, "signature", false, "%s", err->reason);
	return rc;
}

/*
 * The steps every verification starts with: structure and header, the
 * configured keys, the signature. t keeps what was decoded, even on failure.
 */
static enum jwt_status verify_jws(const struct jwt_config *cfg, struct jwt_token *t,
				  const char *token, size_t len, const struct jwt_trace *tr,
				  struct jwt_err *err)
{
	struct jwt_keyset ks = { 0 };
	enum jwt_status rc;

	rc = jwt_token_decode(t, token, len, err);
	if (rc == JWT_OK)
		rc = jwt_token_parse_header(t, err);
	jwt_trace_step(tr, "format", rc == JWT_OK, "%s",
		       rc == JWT_OK ? "three base64url segments, JSON header" : err->reason);
	if (rc != JWT_OK)
		return rc;
	rc = jwt_crypto_init(err);
	if (rc == JWT_OK)
		rc = jwt_keyset_load(cfg, &ks, err);
	jwt_trace_step(tr, "key", rc == JWT_OK, "%s", rc == JWT_OK ? "loaded" : err->reason);
	if (rc == JWT_OK)
		rc = jwt_verify_signature(t, &ks, jwt_config_allowed(cfg), tr, err);
	jwt_keyset_free(&ks);
	return rc;
}

enum jwt_status jwt_verify_jws(const struct jwt_config *cfg, const char *token, size_t len,
			       const struct jwt_trace *tr, struct jwt_err *err)
{
	struct jwt_token t = { 0 };
	enum jwt_status rc = verify_jws(cfg, &t, token, len, tr, err);

	jwt_token_free(&t);
	return rc;
}

enum jwt_status jwt_verify(const struct jwt_config *cfg, const char *token, size_t len,
			   int64_t now, const char *expected, const struct jwt_trace *tr,
			   char **user, struct jwt_err *err)
{
	struct jwt_token t = { 0 };
	enum jwt_status rc;

	*user = NULL;
	rc = verify_jws(cfg, &t, token, len, tr, err);
	if (rc != JWT_OK)
		goto out;
	rc = jwt_token_parse_claims(&t, err);
	if (rc != JWT_OK) {
		jwt_trace_step(tr, "claims", false, "%s", err->reason);
		goto out;
	}
	rc = jwt_claims_check(cfg, t.claims, now, tr, err);
	if (rc != JWT_OK)
		goto out;
	rc = jwt_user_resolve(cfg, t.claims, expected, user, err);
	jwt_trace_step(tr, "user", rc == JWT_OK, "%s", rc == JWT_OK ? *user : err->reason);
	if (rc != JWT_OK)
		goto out;
	/* Last: a token refused for any other reason must not use up its jti. */
	rc = jwt_revoke_check(cfg, t.claims, tr, err);
	if (rc == JWT_OK)
		rc = jwt_replay_check(cfg, t.claims, now, tr, err);
	if (rc != JWT_OK) {
		free(*user);
		*user = NULL;
	}
out:
	jwt_token_free(&t);
	return rc;
}
