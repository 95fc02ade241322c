#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_authz.h"
#include "jwt_claims.h"
#include "jwt_fresh.h"
#include "jwt_keyset.h"
#include "jwt_pop.h"
#include "jwt_replay.h"
#include "jwt_revoke.h"
#include "jwt_sig.h"
#include "jwt_user.h"
#include "jwt_verify.h"

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

/*
 * Whether key is looked at in this pass: for a token with a kid, only keys of
 * that kid (and the secret_file= key), in one pass; for a token without,
 * keys without a kid in the first pass, the others in the second.
 */
static bool in_pass(const struct jwt_token *t, const struct jwt_key *key, int pass)
{
	if (t->kid != NULL)
		return pass == 0 && kid_matches(t, key);
	return (pass == 0) == (key->kid == NULL);
}

/* jwt_verify_signature(), also giving the index in ks of the key that verified. */
static enum jwt_status verify_signature_key(const struct jwt_token *t, const struct jwt_keyset *ks,
					    jwt_alg_set allowed, const struct jwt_trace *tr,
					    size_t *which, struct jwt_err *err)
{
	const char *name = jwt_alg_info(t->alg)->name;
	enum jwt_status rc = JWT_E_ALG;
	bool mismatch = false, kid_found = false;
	size_t tried = 0, fitting = 0;
	struct jwt_err last = { 0 };

	if (!(allowed & JWT_ALG_BIT(t->alg))) {
		rc = jwt_fail(err, JWT_E_ALG, "algorithm %s is not in algorithms=", name);
		jwt_trace_step(tr, "alg", false, "%s", err->reason);
		return rc;
	}
	jwt_trace_step(tr, "alg", true, "%s is allowed", name);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ks->count; i++) {
			const struct jwt_key *key = &ks->keys[i];

			if (!in_pass(t, key, pass))
				continue;
			kid_found = true;
			if (!jwt_key_fits(key, t->alg))
				continue;
			fitting++;
			/* The work a token without kid can cause is bounded. */
			if (t->kid == NULL && tried == JWT_KIDLESS_MAX_TRIES)
				continue;
			tried++;
			rc = jwt_sig_verify(t->alg, key, t->signing_input, t->signing_input_len,
					    t->sig, t->sig_len, &last);
			if (rc == JWT_OK) {
				jwt_trace_step(tr, "signature", true, "%s verified with key %zu", name,
					       i + 1);
				*which = i;
				return JWT_OK;
			}
			mismatch = mismatch || rc == JWT_E_SIGNATURE;
		}
	}
	if (tried == 0 && t->kid != NULL && !kid_found)
		rc = jwt_fail(err, JWT_E_ALG, "no configured key has the token's kid");
	else if (tried == 0)
		rc = jwt_fail(err, JWT_E_ALG, "no configured key can verify %s%s", name,
			      t->kid ? " under the token's kid" : "");
	else if (fitting > tried)
		rc = jwt_fail(err, JWT_E_SIGNATURE, "the token has no kid, and none of the first %zu "
			      "of the %zu keys that fit %s verifies it (a token without kid is tried "
			      "against at most %d keys: give it a kid)", tried, fitting, name,
			      JWT_KIDLESS_MAX_TRIES);
	else if (mismatch)
		rc = jwt_fail(err, JWT_E_SIGNATURE, "%s", last.status == JWT_E_SIGNATURE ? last.reason
							: "signature does not verify with any key");
	else
		rc = jwt_fail(err, last.status, "%s", last.reason);
	jwt_trace_step(tr, "signature", false, "%s", err->reason);
	return rc;
}

enum jwt_status jwt_verify_signature(const struct jwt_token *t, const struct jwt_keyset *ks,
				     jwt_alg_set allowed, const struct jwt_trace *tr,
				     struct jwt_err *err)
{
	size_t which;

	return verify_signature_key(t, ks, allowed, tr, &which, err);
}

/*
 * The steps every verification starts with: structure and header, the
 * configured keys, the signature. t keeps what was decoded, even on failure.
 */
static enum jwt_status verify_jws(const struct jwt_config *cfg, struct jwt_token *t,
				  const char *token, size_t len, const struct jwt_trace *tr,
				  char **key_issuer, struct jwt_err *err)
{
	struct jwt_keyset ks = { 0 };
	size_t which = 0;
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
		rc = verify_signature_key(t, &ks, jwt_config_allowed(cfg), tr, &which, err);
	/* The issuer of the key that verified, checked once the claims are parsed. */
	if (rc == JWT_OK && which >= ks.count)
		rc = jwt_fail(err, JWT_E_SYSTEM, "no key verified the signature");
	else if (rc == JWT_OK && ks.keys[which].issuer != NULL &&
		 (*key_issuer = strdup(ks.keys[which].issuer)) == NULL)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	jwt_keyset_free(&ks);
	return rc;
}

enum jwt_status jwt_verify_jws(const struct jwt_config *cfg, const char *token, size_t len,
			       const struct jwt_trace *tr, struct jwt_err *err)
{
	struct jwt_token t = { 0 };
	char *key_issuer = NULL;
	enum jwt_status rc = verify_jws(cfg, &t, token, len, tr, &key_issuer, err);

	free(key_issuer);
	jwt_token_free(&t);
	return rc;
}

enum jwt_status jwt_verify(const struct jwt_config *cfg, const char *token, size_t len,
			   int64_t now, const char *expected, const struct jwt_trace *tr,
			   const struct jwt_pop_source *pop, char **user, struct jwt_err *err)
{
	struct jwt_pop_binding binding;
	struct jwt_token t = { 0 };
	struct jwt_names names = { 0 };
	char *key_issuer = NULL;
	enum jwt_status rc;
	bool verified;

	*user = NULL;
	rc = verify_jws(cfg, &t, token, len, tr, &key_issuer, err);
	verified = rc == JWT_OK;
	if (rc != JWT_OK)
		goto out;
	rc = jwt_token_parse_claims(&t, err);
	if (rc != JWT_OK) {
		jwt_trace_step(tr, "claims", false, "%s", err->reason);
		goto out;
	}
	rc = jwt_authz_key_issuer(key_issuer, t.claims, tr, err);
	if (rc == JWT_OK)
		rc = jwt_claims_check(cfg, t.claims, now, tr, err);
	if (rc == JWT_OK)
		rc = jwt_fresh_check(cfg, t.claims, now, tr, err);
	if (rc == JWT_OK)
		rc = jwt_authz_claims(cfg, t.claims, tr, err);
	if (rc != JWT_OK)
		goto out;
	rc = jwt_user_resolve(cfg, t.claims, expected, tr, user, err);
	if (rc != JWT_OK)
		goto out;
	rc = jwt_names_of(cfg, t.claims, *user, &names, err);
	if (rc == JWT_OK)
		rc = jwt_revoke_check(cfg, t.claims, &names, tr, err);
	/* A bound token's proof: asked only of a token that passed everything else. */
	if (rc == JWT_OK)
		rc = jwt_pop_check(cfg, t.claims, token, len, now, pop, tr, &binding, err);
	/* Last: a token refused for any other reason must not use up its jti. */
	if (rc == JWT_OK)
		rc = jwt_replay_check(cfg, t.claims, &names, now, tr, err);
	if (rc != JWT_OK) {
		free(*user);
		*user = NULL;
	}
out:
	if (tr != NULL && tr->decoded != NULL) {
		struct jwt_err ignored = { 0 };

		/* The claims of a token refused before them, for the audit line only. */
		if (t.claims == NULL && t.header != NULL && t.payload_json != NULL)
			(void)jwt_token_parse_claims(&t, &ignored);
		tr->decoded(tr->ctx, &t, verified);
	}
	jwt_names_free(&names);
	free(key_issuer);
	jwt_token_free(&t);
	return rc;
}
