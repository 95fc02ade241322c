/*
 * The tokens the benchmark verifies: one row per algorithm, each a realistic
 * token (~350 bytes) with the claims an identity provider issues for a login.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "jwt_file.h"
#include "jwt_jwk_private.h"
#include "jwt_keyset.h"
#include "jwt_verify.h"
#include "testlib.h"

#define ISSUER "https://sso.example.com/realms/ops"
#define AUDIENCE "pam-ssh"
#define KID "ops-2026-01"

/* 64 bytes: long enough for HS512 (RFC 7518 §3.2), so one secret serves every HMAC row. */
static const unsigned char hmac_secret[] =
	"Zq3t6w9z$C&F)J@NcRfUjXn2r5u8x!A%D*G-KaPdSgVkYp3s6v9y$B&E)H@MbQeT";

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		perror("vasprintf");
		exit(2);
	}
	return s;
}

static char *header_json(enum jwt_alg alg)
{
	return xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"" KID "\"}",
			 jwt_alg_info(alg)->name);
}

static char *payload_json(const struct bench_env *env)
{
	long long now = (long long)env->now;

	return xasprintf("{\"iss\":\"" ISSUER "\",\"sub\":\"%s\",\"aud\":\"" AUDIENCE "\","
			 "\"iat\":%lld,\"nbf\":%lld,\"exp\":%lld,"
			 "\"jti\":\"6f1c2b9e-4d0a-4f7c-9a51-2d8e3c7b1a90\","
			 "\"groups\":[\"ops\",\"deploy\"]}",
			 env->user, now, now, now + 300);
}

/* HS256/HS384/HS512: the secret in a key file named by secret_file=. */
static void hmac_setup(const struct bench_env *env, struct bench_case *c)
{
	size_t len = sizeof(hmac_secret) - 1;
	char *path = xasprintf("%s/hmac.key", env->dir);
	char *header = header_json(c->alg), *payload = payload_json(env);

	write_file(path, hmac_secret, len, 0600);
	c->argv[c->argc++] = xasprintf("secret_file=%s", path);
	c->key = malloc(len);
	if (c->key == NULL)
		exit(2);
	memcpy(c->key, hmac_secret, len);
	c->key_len = len;
	c->token = mint(c->alg, header, payload, hmac_secret, len);
	free(path);
	free(header);
	free(payload);
}

/* Runs bench/pk_keys.py: a fresh key pair for alg, as ALG.jwk, ALG.jwks and ALG.pem in dir. */
static void make_key_pair(const char *alg, const char *dir)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/usr/bin/python3", "python3", BENCH_PK_KEYS, alg, KID, dir, (char *)NULL);
		perror("/usr/bin/python3");
		_exit(2);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: " BENCH_PK_KEYS " failed for %s (python3-jwcrypto)\n", alg);
		exit(2);
	}
}

/*
 * ES256, EdDSA, RS256: the public key in a key set named by jwks_file=, the
 * same key in PEM for libjwt, the token signed by the core with the private JWK.
 */
static void pk_setup(const struct bench_env *env, struct bench_case *c)
{
	const char *name = jwt_alg_info(c->alg)->name;
	char *jwk = xasprintf("%s/%s.jwk", env->dir, name);
	char *pem = xasprintf("%s/%s.pem", env->dir, name);
	char *header = header_json(c->alg), *payload = payload_json(env);
	struct jwt_key key = { 0 };
	struct jwt_err err = { 0 };

	make_key_pair(name, env->dir);
	c->argv[c->argc++] = xasprintf("jwks_file=%s/%s.jwks", env->dir, name);
	if (jwt_file_read(pem, JWT_FILE_PROTECTED, JWT_JWK_FILE_MAX, &c->key, &c->key_len,
			  &err) != JWT_OK ||
	    jwt_key_load_signing(jwk, &key, &err) != JWT_OK) {
		fprintf(stderr, "bench: %s: %s\n", name, err.reason);
		exit(2);
	}
	c->token = mint_key(c->alg, header, payload, &key);
	jwt_key_clear(&key);
	free(jwk);
	free(pem);
	free(header);
	free(payload);
}

/*
 * The rows, in table order. Each setup function writes the key where its
 * module argument points (c->argv), puts the key as libjwt takes it (secret or
 * PEM) in c->key, and signs the token. Everything else (loading the key the
 * module's way, the libjwt column, the PAM service) follows.
 */
static const struct row {
	enum jwt_alg alg;
	void (*setup)(const struct bench_env *env, struct bench_case *c);
	const char *label;	/* NULL: the algorithm's name */
} rows[] = {
	{ JWT_ALG_HS256, hmac_setup, NULL },
	{ JWT_ALG_HS384, hmac_setup, NULL },
	{ JWT_ALG_HS512, hmac_setup, NULL },
	{ JWT_ALG_ES256, pk_setup, NULL },
	{ JWT_ALG_EDDSA, pk_setup, NULL },
	{ JWT_ALG_RS256, pk_setup, NULL },
	{ JWT_ALG_HS256, hmac_setup, "+rules" },
};

/* The "+rules" row: HS256 with groups=, require_claim= and a policy_file=. */
static void rules_setup(const struct bench_env *env, struct bench_case *c)
{
	char *path = xasprintf("%s/bench.policy", env->dir);
	char *text = xasprintf("# who accounts\nnobody@example.com nobody\ngroup:deploy %s\n",
			       env->user);

	write_file(path, text, strlen(text), 0644);
	c->argv[c->argc++] = xasprintf("groups=deploy");
	c->argv[c->argc++] = xasprintf("require_claim=jti=6f1c2b9e-4d0a-4f7c-9a51-2d8e3c7b1a90");
	c->argv[c->argc++] = xasprintf("policy_file=%s", path);
	free(text);
	free(path);
}

size_t bench_cases(const struct bench_env *env, struct bench_case **cases)
{
	size_t n = sizeof(rows) / sizeof(rows[0]);
	struct bench_case *cs = calloc(n, sizeof(*cs));
	struct jwt_err err = { 0 };

	if (cs == NULL)
		exit(2);
	for (size_t i = 0; i < n; i++) {
		struct bench_case *c = &cs[i];

		c->alg = rows[i].alg;
		c->label = rows[i].label;
		rows[i].setup(env, c);
		if (c->label != NULL)
			rules_setup(env, c);
		c->token_len = strlen(c->token);
		c->argv[c->argc++] = xasprintf("issuer=%s", ISSUER);
		c->argv[c->argc++] = xasprintf("audience=%s", AUDIENCE);
		c->argv[c->argc++] = xasprintf("allow_root");	/* the invoking user may be root */
		if (jwt_config_parse(&c->cfg, c->argc, (const char **)c->argv, &err) != JWT_OK ||
		    jwt_keyset_load(&c->cfg, &c->keys, &err) != JWT_OK) {
			fprintf(stderr, "bench: %s: %s\n", jwt_alg_info(c->alg)->name, err.reason);
			exit(2);
		}
	}
	*cases = cs;
	return n;
}

void bench_cases_free(struct bench_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cases[i].token);
		free(cases[i].key);
		for (int a = 0; a < cases[i].argc; a++)
			free(cases[i].argv[a]);
		jwt_keyset_free(&cases[i].keys);
	}
	free(cases);
}
