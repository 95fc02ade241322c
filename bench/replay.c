/*
 * The cost per login of the one-time token stores: recording a fresh jti (what
 * every accepted login pays) and refusing a used one. Wall-clock time, since a
 * durable record waits for the disk (fsync) rather than the CPU.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

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
	struct jwt_err err = { 0 };
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

/* A free TCP port on 127.0.0.1 (0 when none). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static double redis_us(const struct jwt_config *cfg, unsigned long base, long count, bool fresh,
		       int64_t now)
{
	unsigned char key[JWT_STORE_KEY_LEN];
	struct jwt_err err = { 0 };
	double start = wall_s();

	for (long i = 0; i < count; i++) {
		key_of(base + (unsigned long)(fresh ? i : 0), key);
		if (jwt_store_redis_mark(cfg, key, now + 3600, now, false, NULL, NULL, &err) !=
		    (fresh ? JWT_OK : JWT_E_REPLAY)) {
			fprintf(stderr, "bench: replay=redis: %s\n", err.reason);
			return -1;
		}
	}
	return (wall_s() - start) * 1e6 / (double)count;
}

void bench_replay_redis_row(const struct bench_env *env, long count)
{
	char port_s[16], addr[64], key_arg[600], redis_arg[80];
	const char *argv[] = { key_arg, "replay=redis", redis_arg };
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	unsigned char key[JWT_STORE_KEY_LEN];
	double rec = -1, used = -1;
	int port = free_port(), status;
	pid_t pid;

	if (port == 0)
		goto none;
	snprintf(port_s, sizeof(port_s), "%d", port);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("redis-server", "redis-server", "--port", port_s, "--bind", "127.0.0.1",
		       "--save", "", "--appendonly", "no", (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		goto none;
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	snprintf(redis_arg, sizeof(redis_arg), "redis=%s", addr);
	snprintf(key_arg, sizeof(key_arg), "secret_file=%s/unused.key", env->dir);
	if (jwt_config_parse(&cfg, 3, argv, &err) != JWT_OK)
		goto stop;
	key_of(0, key);
	for (int i = 0; i < 100; i++) {	/* up to 5 s for the server to listen */
		if (jwt_store_redis_mark(&cfg, key, env->now + 60, env->now, true, NULL, NULL, &err) == JWT_OK)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto none;	/* no redis-server here */
		usleep(50000);
	}
	(void)redis_us(&cfg, 1u << 30, 100, true, env->now);
	rec = redis_us(&cfg, 1, count, true, env->now);
	if (rec >= 0)
		used = redis_us(&cfg, 1, count, false, env->now);
stop:
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	if (rec >= 0 && used >= 0) {
		printf("  %-44s %10.1f %10.1f\n", "replay=redis (127.0.0.1, connect per login)",
		       rec, used);
		return;
	}
none:
	printf("  %-44s %10s %10s\n", "replay=redis (no redis-server found)", "-", "-");
}
