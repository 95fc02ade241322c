/*
 * The cost per login of the one-time token stores: recording a fresh jti (what
 * every accepted login pays) and refusing a used one. Wall-clock time, since a
 * durable record waits for the disk (fsync) rather than the CPU.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "jwt_store.h"

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void key_of(unsigned long n, unsigned char key[JWT_STORE_KEY_LEN])
{
	memset(key, 0, JWT_STORE_KEY_LEN);
	/* Spread over the subdirectories as SHA-256 digests would be. */
	for (size_t i = 0; i < JWT_STORE_KEY_LEN; i++)
		key[i] = (unsigned char)((n * 2654435761u) >> (8 * (i % 4))) ^ (unsigned char)i;
	memcpy(key + 16, &n, sizeof(n));
}

/* The mean over count calls, in us: fresh jtis, or one used jti again and again. */
static double local_us(const char *store, unsigned long base, long count, bool fresh,
		       int64_t now)
{
	unsigned char key[JWT_STORE_KEY_LEN];
	struct jwt_err err;
	double start = wall_s();

	for (long i = 0; i < count; i++) {
		enum jwt_status rc;

		key_of(base + (unsigned long)(fresh ? i : 0), key);
		rc = jwt_store_local_mark(store, key, now + 3600, now, false, &err);
		if (rc != (fresh ? JWT_OK : JWT_E_REPLAY)) {
			fprintf(stderr, "bench: replay=local: %s\n", err.reason);
			exit(1);
		}
	}
	return (wall_s() - start) * 1e6 / (double)count;
}

void bench_replay_table(const struct bench_env *env, long count)
{
	char store[512];
	double rec, used;

	snprintf(store, sizeof(store), "%s/replay", env->dir);
	/* Warm up: the store and its 256 subdirectories exist on a host in service. */
	(void)local_us(store, 1u << 30, 512, true, env->now);
	rec = local_us(store, 1, count, true, env->now);
	used = local_us(store, 1, count, false, env->now);
	printf("5. One-time tokens: cost per login of the store (wall clock, mean of %ld)\n", count);
	printf("  %-44s %10s %10s\n", "store", "record us", "refuse us");
	printf("  %-44s %10.1f %10.1f\n", "replay=local (files, O_EXCL, fsync)", rec, used);
	bench_replay_redis_row(env, count);
	printf("  record: a fresh jti is written durably; refuse: a used one is found\n"
	       "  (%s is on the file system of %s)\n\n", store, env->dir);
}

void bench_replay_redis_row(const struct bench_env *env, long count)
{
	(void)env;
	(void)count;
	printf("  %-44s %10s %10s\n", "replay=redis", "-", "-");
}
