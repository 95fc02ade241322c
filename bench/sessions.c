/*
 * Sessions bound to their token: what registering a session costs (the auth
 * hook's pending record, open_session's record, close_session's removal) and
 * one reap pass over 1,000 live records (list, read and validate each, check
 * its process and its revocation; nothing to end). Wall clock: the records
 * are files.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "jwt_session.h"

#define REAP_RECORDS 1000

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(struct jwt_session *s, const struct bench_env *env, const char *revoked)
{
	memset(s, 0, sizeof(*s));
	s->created = env->now;
	s->user = strdup(env->user);
	s->iss = strdup("https://idp.example");
	s->sub = strdup(env->user);
	s->jti = strdup("bench-jti");
	s->exp = env->now + 3600;
	memcpy(s->fingerprint, "sha256:0011223344556677", JWT_SESSION_FINGERPRINT_LEN + 1);
	s->names[0] = strdup(env->user);
	s->nnames = 1;
	s->service = strdup("sshd");
	s->rhost = strdup("192.0.2.1");
	s->tty = strdup("/dev/pts/1");
	s->end = JWT_SESSION_END_EXP | JWT_SESSION_END_REVOKE;
	s->warn = 60;
	s->revoked_file = strdup(revoked);
}

static void die(const char *what, const struct jwt_err *err)
{
	fprintf(stderr, "bench: sessions: %s: %s\n", what, err->reason);
	exit(1);
}

struct reap_pass {
	const char *dir;
	int64_t now;
	unsigned long alive;
};

static bool check_one(void *ctx, const char *id)
{
	struct reap_pass *r = ctx;
	struct jwt_session s;
	struct jwt_err err = { 0 };

	if (jwt_session_read(r->dir, false, id, &s, &err) != JWT_OK)
		die("read", &err);
	if (jwt_proc_alive(&s.proc) && jwt_session_revoked(&s, r->now, &err) == JWT_OK)
		r->alive++;
	jwt_session_free(&s);
	return true;
}

void bench_sessions_table(const struct bench_env *env, long count)
{
	char reg[512], revoked[512];
	struct jwt_session s, back;
	struct jwt_err err = { 0 };
	struct reap_pass pass;
	double start, open_us, close_us = 0, reap_ms;
	FILE *f;

	snprintf(reg, sizeof(reg), "%s/sessions", env->dir);
	snprintf(revoked, sizeof(revoked), "%s/revoked", env->dir);
	f = fopen(revoked, "w");
	if (f == NULL)
		return;
	/* A revocation file of 100 lines, none for the bench's token. */
	for (int i = 0; i < 100; i++)
		fprintf(f, "jti revoked-%d\n", i);
	fclose(f);
	fill(&s, env, revoked);
	start = wall_s();
	for (long i = 0; i < count; i++) {
		double t;

		if (jwt_session_new_id(s.id, &err) != JWT_OK ||
		    jwt_session_write(reg, true, &s, &err) != JWT_OK)
			die("pending record", &err);
		if (jwt_session_read(reg, true, s.id, &back, &err) != JWT_OK)
			die("pending read", &err);
		jwt_session_free(&back);
		if (jwt_session_remove(reg, true, s.id, &err) != JWT_OK ||
		    jwt_proc_read(getpid(), &s.proc, &err) != JWT_OK ||
		    jwt_session_write(reg, false, &s, &err) != JWT_OK)
			die("session record", &err);
		t = wall_s();
		if (jwt_session_remove(reg, false, s.id, &err) != JWT_OK)
			die("close", &err);
		close_us += wall_s() - t;
	}
	open_us = ((wall_s() - start) - close_us) * 1e6 / (double)count;
	close_us = close_us * 1e6 / (double)count;
	for (int i = 0; i < REAP_RECORDS; i++)
		if (jwt_session_new_id(s.id, &err) != JWT_OK ||
		    jwt_session_write(reg, false, &s, &err) != JWT_OK)
			die("reap records", &err);
	pass = (struct reap_pass){ reg, env->now, 0 };
	start = wall_s();
	if (jwt_session_list(reg, false, check_one, &pass, &err) != JWT_OK)
		die("list", &err);
	reap_ms = (wall_s() - start) * 1e3;
	jwt_session_free(&s);
	printf("7. Sessions bound to their token (session_end=exp,revoke; wall clock)\n");
	printf("  %-58s %10.1f us\n", "authentication's pending record + open_session's record", open_us);
	printf("  %-58s %10.1f us\n", "close_session (the record removed)", close_us);
	printf("  %-58s %10.1f ms\n", "one reap pass over 1000 live records (nothing to end)", reap_ms);
	printf("  mean of %ld registrations; the pass reads and validates each record, checks\n"
	       "  its process (/proc) and reads the 100-line revoked_file= for it (%lu alive)\n\n",
	       count, pass.alive);
}
