/*
 * Whole PAM transactions in one process: pam_start_confdir(), pam_authenticate(),
 * pam_end(), again and again, for one service. Linked with libpam alone, so
 * that whatever a module loads (libgcrypt, json-c) is loaded by the module
 * itself, as in sshd or sudo. bench/bench runs it and reads its one line:
 *   transactions=N seconds=S rss_first_kb=A rss_warm_kb=B rss_last_kb=C rss_max_kb=D
 *
 * usage: pam_loop (-n COUNT | -t MILLISECONDS) [-s SAMPLE_EVERY] CONFDIR SERVICE USER TOKEN_FILE
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

/* Transactions run before timing starts, and before the "warm" memory sample. */
#define WARMUP 1000

static char token[16384];

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct pam_response *r = calloc((size_t)n, sizeof(*r));

	(void)msg;
	(void)data;
	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++)
		r[i].resp = strdup(token);
	*resp = r;
	return PAM_SUCCESS;
}

/*
 * CPU time of this process (user and system): on a machine shared with other
 * work, it measures what a verification costs rather than how long it waited.
 */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size in kB, from /proc/self/statm. */
static long rss_kb(void)
{
	long size, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL || fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	if (f != NULL)
		fclose(f);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void transaction(const char *dir, const char *service, const char *user)
{
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *pamh;
	int rc;

	rc = pam_start_confdir(service, user, &pc, dir, &pamh);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_loop: pam_start_confdir: %d\n", rc);
		exit(1);
	}
	rc = pam_authenticate(pamh, 0);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_loop: %s: pam_authenticate: %s\n", service,
			pam_strerror(pamh, rc));
		exit(1);
	}
	pam_end(pamh, rc);
}

static void read_token(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	n = fread(token, 1, sizeof(token) - 1, f);
	fclose(f);
	token[n] = '\0';
	token[strcspn(token, "\n")] = '\0';
}

int main(int argc, char **argv)
{
	long count = 0, ms = 0, every = 0, done = 0, rss, first, warm, max;
	double start, elapsed;
	int opt;

	while ((opt = getopt(argc, argv, "n:t:s:")) != -1) {
		switch (opt) {
		case 'n': count = atol(optarg); break;
		case 't': ms = atol(optarg); break;
		case 's': every = atol(optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 4 || (count > 0) == (ms > 0) || every < 0)
		goto usage;
	read_token(argv[optind + 3]);

	transaction(argv[optind], argv[optind + 1], argv[optind + 2]);
	first = max = rss_kb();
	for (int i = 1; i < WARMUP; i++)
		transaction(argv[optind], argv[optind + 1], argv[optind + 2]);
	warm = rss_kb();
	max = warm > max ? warm : max;
	start = now_s();
	for (;;) {
		transaction(argv[optind], argv[optind + 1], argv[optind + 2]);
		done++;
		if (every > 0 && done % every == 0 && (rss = rss_kb()) > max)
			max = rss;
		if (count > 0 ? done >= count : (done % 64 == 0 && now_s() - start >= ms / 1000.0))
			break;
	}
	elapsed = now_s() - start;
	rss = rss_kb();
	printf("transactions=%ld seconds=%.6f rss_first_kb=%ld rss_warm_kb=%ld rss_last_kb=%ld "
	       "rss_max_kb=%ld\n", done, elapsed, first, warm, rss, rss > max ? rss : max);
	return 0;
usage:
	fprintf(stderr, "usage: pam_loop (-n COUNT | -t MILLISECONDS) [-s SAMPLE_EVERY] "
		"CONFDIR SERVICE USER TOKEN_FILE\n");
	return 2;
}
