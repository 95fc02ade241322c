/* The benchmark's parts: timing, the tokens to verify, and each verifier. */
#ifndef PAM_JWT_BENCH_H
#define PAM_JWT_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jwt_alg.h"
#include "jwt_config.h"
#include "jwt_key.h"

#define BENCH_MAX_ARGS 8

/* What every case shares: the user the tokens are for, the clock, a scratch directory. */
struct bench_env {
	const char *user;		/* the invoking user: the tokens' "sub" */
	int64_t now;
	const char *dir;		/* key and service files go here */
};

/* One algorithm's row: a realistic token, and the key that verifies it. */
struct bench_case {
	enum jwt_alg alg;
	char *token;			/* malloc'd */
	size_t token_len;
	unsigned char *key;		/* the key as libjwt takes it: HMAC secret (or PEM) */
	size_t key_len;
	char *argv[BENCH_MAX_ARGS];	/* the module arguments: key file, issuer=, audience= */
	int argc;
	struct jwt_config cfg;		/* parsed from argv */
	struct jwt_keyset keys;		/* loaded from the key file, as the module loads it */
	const char *label;		/* the row's name when not the algorithm's */
};

/* A verification of case c that the benchmark times; false when it refuses the token. */
typedef bool bench_fn(const struct bench_env *env, const struct bench_case *c);

/* Fills the cases (bench/cases.c); returns how many. */
size_t bench_cases(const struct bench_env *env, struct bench_case **cases);
void bench_cases_free(struct bench_case *cases, size_t n);

/* The module's check of a token with the key in memory: structure, header, signature, claims. */
bench_fn bench_core_verify;
/* jwt_verify() as the module calls it: reads the key file and looks the user up as well. */
bench_fn bench_full_verify;

/*
 * Median microseconds per call of each of n functions on case c (bench.c),
 * the rounds of the functions alternating; us has n entries.
 */
void bench_medians_us(bench_fn *const fns[], const char *const names[], size_t n,
		      const struct bench_env *env, const struct bench_case *c, double *us);

/* Section 6: a bound token's login against a bearer one, and making a proof (bench/pop.c). */
void bench_pop_table(const struct bench_env *env, const struct bench_case *hs256);

/* Section 5: the cost per login of replay=local and replay=redis (bench/replay.c). */
void bench_replay_table(const struct bench_env *env, long count);
/* The replay=redis row: a redis-server of its own if one is installed, else "-". */
void bench_replay_redis_row(const struct bench_env *env, long count);
/* Section 7: registering a session, and one reap pass over 1000 records (bench/sessions.c). */
void bench_sessions_table(const struct bench_env *env, long count);

#endif
