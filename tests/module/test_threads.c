/*
 * libgcrypt's first use from several threads at once (jwt_crypto_init): a
 * cold process whose 8 threads authenticate at the same moment through the
 * real module, with a key set of four Ed25519 keys (a token without kid is
 * tried against each). The program re-executes itself RUNS times, so that
 * every run starts with libgcrypt uninitialised. Before jwt_crypto_init ran
 * under pthread_once, runs aborted ("MPI subsystem not initialized") or
 * refused valid tokens ("not a point on the curve") for the rest of the
 * process.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <security/pam_appl.h>

#include "jwt_jwk_private.h"
#include "jwt_sig.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define THREADS 8
#define RUNS 50

static char dir[] = "/tmp/pam_jwt_threads.XXXXXX";
static pthread_barrier_t start;
static const char *token;

/* RFC 8032 test keys 2, 3 and 1024, then test key 1 (RFC 8037 A.1), which signs. */
#define ED_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define ED_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define OKP(x) "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" x "\"}"
#define ED_SET "{\"keys\":[" OKP("PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw") "," \
	OKP("_FHNjmIYoaONpH7QAjDwWAgW7RO6MwOsXeuRFUiQgCU") "," \
	OKP("J4EX_BRMcjQPZ9DyMW6Dhs7_vyskKMnFH-98WX8dQm4") "," OKP(ED_X) "]}"
#define ED_JWK "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" ED_D "\",\"x\":\"" ED_X "\"}"

/* pam_start (which loads the module) first, so that the threads meet in pam_authenticate. */
static void *login(void *arg)
{
	struct conv_data cd = { CONV_TOKEN, token };
	struct pam_conv pc = { conv, &cd };
	pam_handle_t *pamh;
	int *rc = arg;

	if (pam_start_confdir("ed", "root", &pc, service_dir, &pamh) != PAM_SUCCESS)
		exit(99);
	pthread_barrier_wait(&start);
	*rc = pam_authenticate(pamh, 0);
	pam_end(pamh, *rc);
	return NULL;
}

/* One cold run: exit 0 when every thread's valid token was accepted. */
static int child(void)
{
	pthread_t th[THREADS];
	int rc[THREADS], bad = 0;

	service_dir = getenv("THREADS_DIR");
	token = getenv("THREADS_TOKEN");
	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, login, &rc[i]) != 0)
			return 99;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (rc[i] != PAM_SUCCESS && bad++ == 0)
			fprintf(stderr, "thread %d: pam_authenticate gave %d\n", i, rc[i]);
	}
	return bad == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char path[300], arg[300], payload[128];
	struct jwt_key ed = { 0 };
	struct jwt_err err = { 0 };
	int refused = 0, crashed = 0;
	char *tok;

	(void)argc;
	if (getenv("THREADS_DIR") != NULL)
		return child();
	/* Under valgrind /proc/self/exe is valgrind itself, and 400 logins would take minutes. */
	if (getenv("PAM_JWT_TEST_WRAPPER") != NULL) {
		printf("1..0 # SKIP re-executes itself: not under valgrind\n");
		return 0;
	}
	if (!pamtest_start(dir))
		return 0;
	snprintf(path, sizeof(path), "%s/ed.json", dir);
	write_file(path, ED_SET, strlen(ED_SET), 0644);
	snprintf(arg, sizeof(arg), "jwks_file=%s/ed.json algorithms=EdDSA allow_root", dir);
	service("ed", arg);
	snprintf(path, sizeof(path), "%s/ed.jwk", dir);
	write_file(path, ED_JWK, strlen(ED_JWK), 0600);
	if (jwt_crypto_init(&err) != JWT_OK || jwt_key_load_signing(path, &ed, &err) != JWT_OK) {
		printf("Bail out! %s\n", err.reason);
		return 99;
	}
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}",
		 (long long)time(NULL) + 3600);
	tok = mint_key(JWT_ALG_EDDSA, "{\"alg\":\"EdDSA\"}", payload, &ed);
	ok(authenticate("ed", "root", CONV_TOKEN, tok, NULL) == PAM_SUCCESS,
	   "control: the EdDSA token is accepted in this process");
#if defined(__SANITIZE_ADDRESS__)
	/*
	 * libgcrypt's lazy set-up, raced by the threads, may drop a few bytes of
	 * its own: the children are about crashes and verdicts under threads, and
	 * run without the leak check (the last ASAN_OPTIONS value wins; LSan's
	 * __lsan_disable() would cover the calling thread only). Leaks are the
	 * business of the other tests, under ASan and valgrind.
	 */
	{
		const char *o = getenv("ASAN_OPTIONS");
		char opts[512];

		snprintf(opts, sizeof(opts), "%s:detect_leaks=0", o != NULL ? o : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
#endif
	setenv("THREADS_DIR", dir, 1);
	setenv("THREADS_TOKEN", tok, 1);
	for (int i = 0; i < RUNS; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return 99;
		if (pid == 0) {
			execv("/proc/self/exe", argv);
			_exit(99);
		}
		if (waitpid(pid, &st, 0) != pid)
			return 99;
		if (WIFSIGNALED(st))
			crashed++;
		else if (WEXITSTATUS(st) == 99)
			return 99;
		else if (WEXITSTATUS(st) != 0)
			refused++;
	}
	ok(crashed == 0 && refused == 0, "%d cold processes, %d threads each authenticating at "
	   "once: none crashed (%d), none refused a valid token (%d)", RUNS, THREADS, crashed,
	   refused);
	free(tok);
	jwt_key_clear(&ed);
	return tap_done();
}
