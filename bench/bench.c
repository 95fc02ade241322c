/*
 * pam_jwt benchmark (`make bench`): prints one table with
 *   1. token verification in the core, in µs per token, per algorithm;
 *   2. the same tokens verified by libjwt in the same run, and the ratio;
 *   3. whole PAM transactions per second through pam_jwt.so and pam_permit.so;
 *   4. the resident memory of a long run of pam_jwt transactions.
 * PAM transactions run in bench/pam_loop, a process linked with libpam alone.
 *
 * usage: bench [--quick] [--transactions N] --module PAM_JWT_SO [--unpinned SO] --pam-loop PATH
 *        bench --profile core|full N    (only N HS256 verifications, for callgrind)
 */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <gcrypt.h>
#include <json-c/json.h>

#include "bench.h"
#include "jwt_sig.h"
#include "libjwt.h"
#include "testlib.h"

/* The targets pam_jwt is held to, printed beside the results. */
#define TARGET_HS256_US 2.0
#define TARGET_LIBJWT_RATIO 0.5
#define TARGET_PAM_RATIO 1.5
/* Resident memory counts as flat when it grows by no more than this (allocator slack). */
#define FLAT_KB 64

static unsigned bench_round_ms = 100, bench_rounds = 11;

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Seconds that iters calls of fn take; exits on the first failure. */
static double timed(const char *what, bench_fn *fn, const struct bench_env *env,
		    const struct bench_case *c, long iters)
{
	double start = now_s();

	for (long i = 0; i < iters; i++)
		if (!fn(env, c)) {
			fprintf(stderr, "bench: %s failed\n", what);
			exit(1);
		}
	return now_s() - start;
}

#define MAX_ROUNDS 31

/*
 * Median microseconds per call of each of n functions over bench_rounds rounds
 * of about bench_round_ms each. Rounds of the functions alternate, so that a
 * machine that is busy for a while slows them alike and their ratio holds.
 */
void bench_medians_us(bench_fn *const fns[], const char *const names[], size_t n,
		      const struct bench_env *env, const struct bench_case *c, double *us)
{
	double per_round[4][MAX_ROUNDS], t;
	long iters[4];

	for (size_t f = 0; f < n; f++) {
		/* Double the count until a batch is measurable, then scale it to a round. */
		iters[f] = 1;
		while ((t = timed(names[f], fns[f], env, c, iters[f])) < bench_round_ms / 8000.0)
			iters[f] *= 2;
		iters[f] = (long)((double)iters[f] * (bench_round_ms / 1000.0) / t) + 1;
	}
	for (unsigned r = 0; r < bench_rounds; r++)
		for (size_t f = 0; f < n; f++)
			per_round[f][r] = timed(names[f], fns[f], env, c, iters[f]) * 1e6 /
					  (double)iters[f];
	for (size_t f = 0; f < n; f++)
		us[f] = median(per_round[f], bench_rounds);
}

#ifdef HAVE_LIBJWT
static bool libjwt_case(const struct bench_env *env, const struct bench_case *c)
{
	if (libjwt_verify(c->token, c->key, c->key_len, env->user, env->now))
		return true;
	fprintf(stderr, "bench: libjwt refused the %s token\n", jwt_alg_info(c->alg)->name);
	return false;
}
#endif

/* ---- PAM transactions, run in bench/pam_loop ---- */

struct loop_result {
	long transactions;
	double seconds;
	long rss_first_kb, rss_warm_kb, rss_last_kb, rss_max_kb;
};

static void loop_run(const char *pam_loop, const char *mode, const char *sample,
		     const struct bench_env *env, const char *service, struct loop_result *res)
{
	char token_file[512], line[512];
	int fds[2], status;
	pid_t pid;
	FILE *out;
	ssize_t n;

	snprintf(token_file, sizeof(token_file), "%s/%s.token", env->dir, service);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		perror("bench: pipe/fork");
		exit(2);
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(pam_loop, pam_loop, mode, "-s", sample, env->dir, service, env->user,
		      token_file, (char *)NULL);
		perror(pam_loop);
		_exit(2);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	n = out && fgets(line, sizeof(line), out) ? (ssize_t)strlen(line) : -1;
	if (out)
		fclose(out);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    n <= 0 || sscanf(line, "transactions=%ld seconds=%lf rss_first_kb=%ld rss_warm_kb=%ld "
			     "rss_last_kb=%ld rss_max_kb=%ld", &res->transactions, &res->seconds,
			     &res->rss_first_kb, &res->rss_warm_kb, &res->rss_last_kb,
			     &res->rss_max_kb) != 6) {
		fprintf(stderr, "bench: %s failed for service %s\n", pam_loop, service);
		exit(1);
	}
}

/*
 * Median microseconds per transaction of each of n services, each round a
 * fresh pam_loop process running for round_ms; the services alternate.
 */
static void loop_medians_us(const char *pam_loop, const struct bench_env *env,
			    const char *const services[], size_t n, unsigned round_ms, double *us)
{
	double per_round[4][MAX_ROUNDS];
	char mode[32];
	struct loop_result res;

	snprintf(mode, sizeof(mode), "-t%u", round_ms);
	for (unsigned r = 0; r < bench_rounds; r++)
		for (size_t s = 0; s < n; s++) {
			loop_run(pam_loop, mode, "0", env, services[s], &res);
			per_round[s][r] = res.seconds * 1e6 / (double)res.transactions;
		}
	for (size_t s = 0; s < n; s++)
		us[s] = median(per_round[s], bench_rounds);
}

/* The service name using module with c's arguments (none for NULL), and its token, name.token. */
static void write_service(const struct bench_env *env, const char *name, const char *module,
			  const struct bench_case *c)
{
	char path[512], text[2048];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.token", env->dir, name);
	write_file(path, c ? c->token : "", c ? c->token_len : 0, 0600);
	snprintf(path, sizeof(path), "%s/%s", env->dir, name);
	n = (size_t)snprintf(text, sizeof(text), "auth required %s", module);
	for (int i = 0; c != NULL && i < c->argc; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %s", c->argv[i]);
	snprintf(text + n, sizeof(text) - n, "\n");
	write_file(path, text, strlen(text), 0644);
}

/* Runs count transactions of service, sampling memory; prints one row, and returns it in res. */
static void memory_row(const char *pam_loop, const struct bench_env *env, const char *service,
		       const char *label, long count, struct loop_result *res)
{
	struct loop_result r;
	char mode[32], every[32];

	snprintf(mode, sizeof(mode), "-n%ld", count);
	snprintf(every, sizeof(every), "%ld", count / 100 > 0 ? count / 100 : 1);
	loop_run(pam_loop, mode, every, env, service, &r);
	printf("  %-24s %7ld %7ld %7ld %7ld %7ld %+7ld\n", label, count, r.rss_first_kb,
	       r.rss_warm_kb, r.rss_last_kb, r.rss_max_kb, r.rss_max_kb - r.rss_warm_kb);
	if (res != NULL)
		*res = r;
}

/* ---- the table ---- */

static const char *verdict(bool met)
{
	return met ? "met" : "MISSED";
}

static void print_machine(void)
{
	char model[256] = "unknown", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct utsname u;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) == 0) {
			char *v = strchr(line, ':');

			if (v != NULL) {
				snprintf(model, sizeof(model), "%s", v + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	uname(&u);
	printf("machine: %ld CPUs, %s, Linux %s\n", sysconf(_SC_NPROCESSORS_ONLN), model, u.release);
	printf("libraries: libgcrypt %s, json-c %s", gcry_check_version(NULL), json_c_version());
#ifdef HAVE_LIBJWT
	printf(", libjwt %s", LIBJWT_VERSION);
#endif
	printf("\n\n");
}

static void table_verify(const struct bench_env *env, struct bench_case *cases, size_t n,
			 double *hs256_us, double *hs256_ratio)
{
	/* Column order: pam_jwt core, jwt_verify(), libjwt when built with it. */
	bench_fn *const fns[] = { bench_core_verify, bench_full_verify,
#ifdef HAVE_LIBJWT
				  libjwt_case,
#endif
	};
	const char *const names[] = { "pam_jwt core", "jwt_verify", "libjwt" };

	*hs256_ratio = 0;	/* stays 0 without libjwt */
	printf("1-2. Token verification, us per token (median of %u rounds of %u ms)\n",
	       bench_rounds, bench_round_ms);
	printf("  %-6s %6s %13s %8s %15s %18s\n", "alg", "bytes", "pam_jwt core", "libjwt",
	       "pam_jwt/libjwt", "jwt_verify() all");
	for (size_t i = 0; i < n; i++) {
		const struct bench_case *c = &cases[i];
		const char *alg = c->label ? c->label : jwt_alg_info(c->alg)->name;
		size_t nfns = sizeof(fns) / sizeof(fns[0]);
		double us[3];

#ifdef HAVE_LIBJWT
		if (c->label != NULL || !libjwt_knows(alg))
			nfns = 2;
#endif
		bench_medians_us(fns, names, nfns, env, c, us);
		printf("  %-6s %6zu %13.2f", alg, c->token_len, us[0]);
		if (nfns == 3) {
			printf(" %8.2f %15.2f", us[2], us[0] / us[2]);
			if (c->alg == JWT_ALG_HS256)
				*hs256_ratio = us[0] / us[2];
		} else {
			printf(" %8s %15s", "-", "-");
		}
		printf(" %18.2f\n", us[1]);
		if (c->alg == JWT_ALG_HS256 && c->label == NULL)
			*hs256_us = us[0];
	}
	printf("  core: decode, header, signature (key in memory), claims, sub\n"
	       "  libjwt: jwt_decode() with the key, then exp and sub (-: not built\n"
	       "  with libjwt, or this libjwt lacks the algorithm)\n"
	       "  jwt_verify() all: the module's whole check, also reading the key\n"
	       "  file and looking the user up (getpwnam_r) on every call\n"
	       "  +rules: HS256 with groups=, require_claim= and policy_file= (the\n"
	       "  policy file read on every call, in jwt_verify() all)\n\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ "unpinned", required_argument, NULL, 'u' },
		{ "pam-loop", required_argument, NULL, 'l' },
		{ "transactions", required_argument, NULL, 'n' },
		{ "quick", no_argument, NULL, 'q' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *module = NULL, *unpinned = NULL, *pam_loop = NULL, *profile = NULL;
	long transactions = 100000;
	char dir[] = "/tmp/pam_jwt_bench.XXXXXX", user[256];
	struct bench_env env = { 0 };
	struct bench_case *cases;
	struct passwd *pw;
	struct jwt_err err = { 0 };
	size_t n;
	int opt;
	/* services[0] is the baseline, services[1] the one the target is for. */
	const char *services[4] = { "permit", "jwt" }, *labels[4] = {
		"auth required pam_permit.so", "auth required pam_jwt.so (HS256)" };
	size_t nservices = 2;
	double hs256_us = 0, hs256_ratio = 0, jwt_ratio, us[4];
	struct loop_result mem;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': module = optarg; break;
		case 'u': unpinned = optarg; break;
		case 'l': pam_loop = optarg; break;
		case 'n': transactions = atol(optarg); break;
		case 'q': bench_round_ms = 50; bench_rounds = 5; transactions = 10000; break;
		case 'p': profile = optarg; break;
		default: return 2;
		}
	}
	if (profile != NULL ? strcmp(profile, "core") != 0 && strcmp(profile, "full") != 0
			    : module == NULL || pam_loop == NULL || transactions <= 0) {
		fprintf(stderr, "usage: %s [--quick] [--transactions N] --module PAM_JWT_SO "
			"[--unpinned SO] --pam-loop PATH\n       %s --profile core|full N\n",
			argv[0], argv[0]);
		return 2;
	}
	pw = getpwuid(geteuid());
	if (pw == NULL || jwt_crypto_init(&err) != JWT_OK) {
		fprintf(stderr, "bench: no passwd entry for the invoking user, or no libgcrypt\n");
		return 2;
	}
	snprintf(user, sizeof(user), "%s", pw->pw_name);
	env.user = user;
	env.now = (int64_t)time(NULL);
	scratch_dir(dir);
	env.dir = dir;
	n = bench_cases(&env, &cases);

	if (profile != NULL) {
		bool full = strcmp(profile, "full") == 0;
		long iters = optind < argc ? atol(argv[optind]) : 100000;

		for (long i = 0; i < iters; i++)
			if (!(full ? bench_full_verify : bench_core_verify)(&env, &cases[0]))
				return 1;
		bench_cases_free(cases, n);
		return 0;
	}

	print_machine();
	table_verify(&env, cases, n, &hs256_us, &hs256_ratio);

	/* PAM transactions with the first (HS256) token, and with an ES256 one. */
	write_service(&env, "permit", "pam_permit.so", NULL);
	write_service(&env, "jwt", module, &cases[0]);
	for (size_t i = 0; i < n; i++)
		if (cases[i].alg == JWT_ALG_ES256) {
			write_service(&env, "jwt-es256", module, &cases[i]);
			services[nservices] = "jwt-es256";
			labels[nservices++] = "auth required pam_jwt.so (ES256)";
		}
	if (unpinned != NULL) {
		write_service(&env, "jwt-unpinned", unpinned, &cases[0]);
		services[nservices] = "jwt-unpinned";
		labels[nservices++] = "pam_jwt.so (HS256) without -z nodelete";
	}
	printf("3. PAM transactions (pam_start_confdir, pam_authenticate, pam_end)\n"
	       "   median of %u rounds of %u ms, each in a fresh process after 1000\n",
	       bench_rounds, 2 * bench_round_ms);
	printf("  %-38s %8s %8s %6s\n", "service", "tx/s", "us/tx", "ratio");
	loop_medians_us(pam_loop, &env, services, nservices, 2 * bench_round_ms, us);
	for (size_t s = 0; s < nservices; s++)
		printf("  %-38s %8.0f %8.1f %6.2f\n", labels[s], 1e6 / us[s], us[s], us[s] / us[0]);
	jwt_ratio = us[1] / us[0];
	printf("\n4. Resident memory (VmRSS, kB) of the loop, sampled every 1%% of it\n");
	printf("  %-24s %7s %7s %7s %7s %7s %7s\n", "module", "tx", "after 1", "1000",
	       "end", "largest", "growth");
	memory_row(pam_loop, &env, "jwt", "pam_jwt.so", transactions, &mem);
	if (unpinned != NULL)
		memory_row(pam_loop, &env, "jwt-unpinned", "the same, no -z nodelete",
			   transactions / 10, NULL);
	printf("  growth: the largest sample minus the one after 1000\n\n");
	bench_replay_table(&env, transactions / 50 > 100 ? transactions / 50 : 100);
	bench_pop_table(&env, &cases[0]);
	bench_sessions_table(&env, transactions / 50 > 100 ? transactions / 50 : 100);

	printf("Targets\n");
	printf("  HS256 core verify <= %.1f us: %.2f us, %s\n", TARGET_HS256_US, hs256_us,
	       verdict(hs256_us <= TARGET_HS256_US));
#ifdef HAVE_LIBJWT
	printf("  pam_jwt/libjwt <= %.1f (HS256): %.2f, %s\n", TARGET_LIBJWT_RATIO, hs256_ratio,
	       verdict(hs256_ratio <= TARGET_LIBJWT_RATIO));
#else
	printf("  pam_jwt/libjwt: not measured (configure found no libjwt)\n");
#endif
	printf("  pam_jwt/pam_permit transaction <= %.1f: %.2f, %s\n", TARGET_PAM_RATIO,
	       jwt_ratio, verdict(jwt_ratio <= TARGET_PAM_RATIO));
	printf("  memory flat over %ld tx (growth <= %d kB): %+ld kB, %s\n", transactions,
	       FLAT_KB, mem.rss_max_kb - mem.rss_warm_kb,
	       verdict(mem.rss_max_kb - mem.rss_warm_kb <= FLAT_KB));
	bench_cases_free(cases, n);
	return 0;
}
