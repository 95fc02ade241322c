/* pam_jwt's token core, the two ways the benchmark times it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "jwt_authz.h"
#include "jwt_claims.h"
#include "jwt_json.h"
#include "jwt_token.h"
#include "jwt_verify.h"

static bool report(const struct bench_case *c, const struct jwt_err *err)
{
	fprintf(stderr, "bench: pam_jwt refused the %s token: %s\n",
		jwt_alg_info(c->alg)->name, err->reason);
	return false;
}

/*
 * The steps of jwt_verify() that depend on the token alone, with the key already
 * in memory: what libjwt's jwt_decode() plus reading exp and sub compare with.
 */
bool bench_core_verify(const struct bench_env *env, const struct bench_case *c)
{
	struct jwt_token t = { 0 };
	struct jwt_err err = { 0 };
	const char *sub;
	size_t sub_len = 0;
	bool ok;

	ok = jwt_token_decode(&t, c->token, c->token_len, &err) == JWT_OK &&
	     jwt_token_parse_header(&t, &err) == JWT_OK &&
	     jwt_verify_signature(&t, &c->keys, jwt_config_allowed(&c->cfg), NULL, &err) == JWT_OK &&
	     jwt_token_parse_claims(&t, &err) == JWT_OK &&
	     jwt_claims_check(&c->cfg, t.claims, env->now, NULL, &err) == JWT_OK &&
	     jwt_authz_claims(&c->cfg, t.claims, NULL, &err) == JWT_OK;
	if (ok) {
		sub = jwt_json_string(t.claims, c->cfg.user_claim, &sub_len);
		ok = sub != NULL && sub_len == strlen(env->user) && memcmp(sub, env->user, sub_len) == 0;
		if (!ok)
			jwt_fail(&err, JWT_E_USER, "\"sub\" is not the invoking user");
	}
	jwt_token_free(&t);
	return ok || report(c, &err);
}

/* The whole of jwt_verify(), as pam_sm_authenticate() calls it. */
bool bench_full_verify(const struct bench_env *env, const struct bench_case *c)
{
	struct jwt_err err = { 0 };
	char *user = NULL;
	bool ok;

	ok = jwt_verify(&c->cfg, c->token, c->token_len, env->now, env->user, NULL, NULL, &user,
			&err) == JWT_OK;
	free(user);
	return ok || report(c, &err);
}
