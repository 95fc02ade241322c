/*
 * Section 6: what a proof of possession costs per login. The same HS256
 * token as bearer, and bound (cnf.jkt) to an ES256 key with its DPoP proof,
 * through jwt_verify() as the module calls it; and the client's side, making
 * one ES256 proof (what pam-jwt askpass does per login).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "bench.h"
#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_pop.h"
#include "jwt_verify.h"
#include "testlib.h"

/* A fixed P-256 key pair (tests/unit/test_pop.c's) and its RFC 7638 thumbprint. */
#define POP_X "XnfMokwBrpLFWQV3O3dlGq4X8bEeAja6ydHXLGLMQg4"
#define POP_Y "Ae_ip6TnWSU7KbzDzsr9LRAEJu8iXNEnMFGwGQ1_ebw"
#define POP_JWK "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" POP_X "\",\"y\":\"" POP_Y "\""
#define POP_JKT "zyynpQFrpkCXjBxhhjK_7vrth3HA92NuCbPntJfNtC4"

static const struct jwt_pop_challenge challenge = {
	.htu = "pam://bench.example/sshd", .nonce = "n0nce-n0nce-n0nce-n0nc",
};
static struct jwt_key proof_key;
static char *proof_header, *proof_claims, *proof;

static enum jwt_status give_proof(void *ctx, const struct jwt_pop_challenge *ch, char **p,
				  size_t *len, struct jwt_err *err)
{
	(void)ctx;
	(void)ch;
	*len = strlen(proof);
	*p = strdup(proof);
	return *p != NULL ? JWT_OK : jwt_fail(err, JWT_E_NOMEM, "out of memory");
}

static bool verify_with(const struct bench_env *env, const struct bench_case *c,
			const struct jwt_pop_source *src)
{
	struct jwt_err err = { 0 };
	char *user = NULL;
	bool ok = jwt_verify(&c->cfg, c->token, c->token_len, env->now, env->user, NULL, src,
			     &user, &err) == JWT_OK;

	if (!ok)
		fprintf(stderr, "bench: the %s token is refused: %s\n", c->label, err.reason);
	free(user);
	return ok;
}

static bool bound_verify(const struct bench_env *env, const struct bench_case *c)
{
	const struct jwt_pop_source src = { .challenge = &challenge, .ask = give_proof };

	return verify_with(env, c, &src);
}

static bool bearer_verify(const struct bench_env *env, const struct bench_case *c)
{
	return verify_with(env, c, NULL);
}

static bool make_proof(const struct bench_env *env, const struct bench_case *c)
{
	char *p = mint_key(JWT_ALG_ES256, proof_header, proof_claims, &proof_key);

	(void)env;
	(void)c;
	free(p);
	return p != NULL;
}

/* A case like hs256 (its key file), with claims for env and, when bound, cnf. */
static void pop_case(const struct bench_env *env, const struct bench_case *hs256, bool bound,
		     struct bench_case *c)
{
	char payload[512];
	struct jwt_err err = { 0 };

	memset(c, 0, sizeof(*c));
	c->label = bound ? "bound" : "bearer";
	c->argv[c->argc++] = hs256->argv[0];
	c->argv[c->argc++] = (char *)"allow_root";	/* the invoking user may be root */
	if (jwt_config_parse(&c->cfg, c->argc, (const char **)c->argv, &err) != JWT_OK) {
		fprintf(stderr, "bench: %s\n", err.reason);
		exit(2);
	}
	(void)snprintf(payload, sizeof(payload), "{\"sub\":\"%s\",\"iat\":%lld,\"exp\":%lld%s}",
		       env->user, (long long)env->now, (long long)env->now + 300,
		       bound ? ",\"cnf\":{\"jkt\":\"" POP_JKT "\"}" : "");
	c->token = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, hs256->key,
			hs256->key_len);
	c->token_len = strlen(c->token);
}

void bench_pop_table(const struct bench_env *env, const struct bench_case *hs256)
{
	bench_fn *const fns[] = { bearer_verify, bound_verify };
	const char *const names[] = { "bearer", "bound" };
	struct bench_case bearer, bound;
	struct jwt_err err = { 0 };
	unsigned char digest[32];
	char ath[44];
	json_object *jwk;
	double us[2], make_us;

	static const char private_jwk[] =
		POP_JWK ",\"d\":\"e0zG6uiXlmTzugE017TxNI8m7bTcA9wQUHq4f7XIEZM\"}";

	if (jwt_json_parse_object(private_jwk, sizeof(private_jwk) - 1, "bench key", &jwk,
				  &err) != JWT_OK ||
	    jwt_key_from_private_jwk(jwk, &proof_key, &err) != JWT_OK) {
		fprintf(stderr, "bench: the proof key: %s\n", err.reason);
		exit(2);
	}
	json_object_put(jwk);
	pop_case(env, hs256, false, &bearer);
	pop_case(env, hs256, true, &bound);
	gcry_md_hash_buffer(GCRY_MD_SHA256, digest, bound.token, bound.token_len);
	jwt_b64url_encode(digest, sizeof(digest), ath);
	proof_header = strdup("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" POP_JWK "}}");
	if (asprintf(&proof_claims, "{\"jti\":\"bench-1\",\"htm\":\"PAM\",\"htu\":\"%s\","
		     "\"iat\":%lld,\"nonce\":\"%s\",\"ath\":\"%s\"}", challenge.htu,
		     (long long)env->now, challenge.nonce, ath) < 0 || proof_header == NULL)
		exit(2);
	proof = mint_key(JWT_ALG_ES256, proof_header, proof_claims, &proof_key);
	/* Each row times its own token. */
	bench_medians_us(&fns[0], &names[0], 1, env, &bearer, &us[0]);
	bench_medians_us(&fns[1], &names[1], 1, env, &bound, &us[1]);
	bench_medians_us((bench_fn *const[]){ make_proof }, (const char *const[]){ "proof" }, 1,
			 env, &bound, &make_us);
	printf("6. Proof of possession, us per login (median of rounds, as in 1-2)\n");
	printf("  %-52s %9.1f\n", "jwt_verify(), HS256 bearer token", us[0]);
	printf("  %-52s %9.1f\n", "jwt_verify(), the same bound to ES256, with its proof", us[1]);
	printf("  %-52s %9.1f\n", "  the proof's share (thumbprint, ES256 verify, claims)",
	       us[1] - us[0]);
	printf("  %-52s %9.1f\n", "making one ES256 proof (the client, pam-jwt askpass)", make_us);
	printf("  proof: %zu bytes; token: %zu bytes bearer, %zu bound\n\n", strlen(proof),
	       bearer.token_len, bound.token_len);
	free(bearer.token);
	free(bound.token);
	free(proof);
	free(proof_header);
	free(proof_claims);
	jwt_key_clear(&proof_key);
}
