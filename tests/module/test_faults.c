/*
 * Out of memory and failing I/O, through the real module: tests/faultshim.so
 * fails the Nth allocation (malloc, calloc, realloc, strdup, strndup), or
 * separately the Nth open/read/getpwnam_r, counted from pam_authenticate(), for
 * every N one authentication reaches. Each run is a fresh process (fork before
 * the module is loaded), so libgcrypt's first use is covered too.
 *
 * No run may return PAM_SUCCESS for a token that must be refused (future nbf
 * or iat, aud on a service without audience=, crit in the header, a key marked
 * "use":"enc"): json-c 0.16's tokener dropped such members when copying their
 * name failed. No run may crash, except for libgcrypt's documented abort when
 * its own allocator fails inside a public-key operation ("fatal error in
 * libgcrypt ... out of core", SECURITY.md): that is counted, not failed. A
 * valid token under allocation failure gives PAM_SUCCESS, or PAM_BUF_ERR (the
 * module, or libpam and the conversation reporting it), never a refusal that
 * blames the token.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/wait.h>

#include <security/pam_appl.h>

#include "../lib/faultshim.h"
#include "jwt_jwk_private.h"
#include "jwt_sig.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_faults.XXXXXX";
static struct faultshim fs;
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";
/* RFC 8037 A.1 (RFC 8032 test 1). */
#define ED_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define ED_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
/* base64url of key[] */
#define K64 "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"

struct outcome {
	int signaled, sig, exited, status;	/* how the child ended */
	int rc;					/* pam_authenticate's code */
	long calls;				/* calls of the family while armed */
	int gcry_abort;				/* libgcrypt's own out-of-core abort */
	int in_gcrypt;				/* the failed call was libgcrypt's */
	int misreported;			/* PAM_BUF_ERR, logged without "out of memory" */
	int gcry_crash;				/* another crash, when libgcrypt's allocation failed */
	char text[2048];			/* what the child wrote on stderr */
};

/* One authentication in a fresh child, with the nth call of family f failing. */
static struct outcome run(const char *svc, const char *token, enum faultshim_family f, long n)
{
	int res[2], errp[2];
	struct outcome o = { 0 };
	ssize_t got;
	pid_t pid;
	int st;

	if (pipe(res) != 0 || pipe(errp) != 0)
		exit(99);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(99);
	if (pid == 0) {
		struct conv_data cd = { CONV_TOKEN, token };
		struct pam_conv pc = { conv, &cd };
		pam_handle_t *pamh;
		long out[2];

		dup2(errp[1], 2);
		/* pam_syslog() lines on stderr too, for FAULTS_DEBUG. */
		openlog("test_faults", LOG_PERROR, LOG_AUTHPRIV);
		if (pam_start_confdir(svc, "root", &pc, service_dir, &pamh) != PAM_SUCCESS)
			_exit(98);
		fs.arm(f, n);
		out[0] = pam_authenticate(pamh, 0);
		out[1] = fs.disarm();
		if (write(res[1], out, sizeof(out)) != sizeof(out))
			_exit(97);
		pam_end(pamh, (int)out[0]);
		_exit(0);
	}
	close(res[1]);
	close(errp[1]);
	{
		long out[2] = { -1, -1 };

		if (read(res[0], out, sizeof(out)) == sizeof(out)) {
			o.rc = (int)out[0];
			o.calls = out[1];
		} else {
			o.rc = -1;
		}
	}
	got = read(errp[0], o.text, sizeof(o.text) - 1);
	o.text[got > 0 ? got : 0] = '\0';
	close(res[0]);
	close(errp[0]);
	if (waitpid(pid, &st, 0) != pid)
		exit(99);
	o.signaled = WIFSIGNALED(st);
	o.sig = o.signaled ? WTERMSIG(st) : 0;
	o.exited = WIFEXITED(st);
	o.status = o.exited ? WEXITSTATUS(st) : -1;
	/*
	 * libgcrypt's xmalloc failing: _gcry_fatal_error() (src/misc.c) writes
	 * "\nFatal error: " and the error text to stderr, then abort()s. Nothing
	 * else in the process writes that.
	 */
	o.gcry_abort = o.signaled && o.sig == SIGABRT &&
		       strstr(o.text, "\nFatal error: Cannot allocate memory\n") != NULL;
	o.in_gcrypt = strstr(o.text, "faultshim: failed a call from libgcrypt.so") != NULL;
	o.gcry_crash = o.signaled && !o.gcry_abort && o.in_gcrypt;
	{
		const char *why = strstr(o.text, "token refused: ");

		o.misreported = o.rc == PAM_BUF_ERR && why != NULL &&
				strncmp(strchr(why, ':') + 2, "out of memory", 13) != 0 &&
				strstr(why, ": out of memory") == NULL;
	}
	return o;
}

/*
 * Every N from 1 to the number of calls one authentication makes: counts
 * acceptances, crashes, libgcrypt aborts, and (for a valid token under
 * allocation failure) codes other than PAM_SUCCESS/PAM_BUF_ERR.
 */
static void sweep(const char *what, const char *svc, const char *token, int want,
		  enum faultshim_family f)
{
	const char *fam = f == FAULTSHIM_ALLOC ? "allocation" : "open/read/getpwnam_r";
	struct outcome ctl = run(svc, token, f, 0);
	long accepted = 0, crashed = 0, aborts = 0, gcry_crashes = 0, blamed = 0, misreported = 0;
	long n;
	long first_blamed = 0;

	ok(ctl.exited && ctl.status == 0 && ctl.rc == want && (ctl.calls > 0 || f == FAULTSHIM_IO),
	   "%s, no fault: %s (%d), %ld %s calls", what, want == PAM_SUCCESS ? "accepted" : "refused",
	   ctl.rc, ctl.calls, fam);
	for (n = 1; n <= ctl.calls; n++) {
		struct outcome o;

		if (getenv("FAULTS_ONLY") != NULL && (strcmp(getenv("FAULTS_ONLY"), svc) != 0 ||
						     atol(getenv("FAULTS_N")) != n))
			continue;
		o = run(svc, token, f, n);
		if (getenv("FAULTS_DEBUG"))
			printf("# %s call %ld: rc %d signal %d, stderr: %s\n", what, n, o.rc, o.sig, o.text);

		if (o.gcry_abort) {
			aborts++;
			continue;
		}
		if (o.gcry_crash) {
			if (gcry_crashes++ == 0)
				printf("# %s: libgcrypt's allocation %ld failing: signal %d inside libgcrypt\n",
				       what, n, o.sig);
			continue;
		}
		if (!o.exited || o.status != 0) {
			if (crashed++ == 0)
				printf("# %s: call %ld: child %s %d\n", what, n,
				       o.signaled ? "killed by signal" : "exited with", o.signaled ? o.sig
											: o.status);
			continue;
		}
		if (o.misreported && misreported++ == 0)
			printf("# %s: call %ld: PAM_BUF_ERR logged as: %.200s\n", what, n,
			       strstr(o.text, "token refused: "));
		if (o.rc == PAM_SUCCESS && want != PAM_SUCCESS && accepted++ == 0)
			printf("# %s: failing %s call %ld made the module accept\n", what, fam, n);
		/*
		 * Codes that blame the token, the key or the user. (libpam itself
		 * answers PAM_AUTHTOK_ERR when the conversation runs out of memory,
		 * and PAM_SYSTEM_ERR when its own bookkeeping does.) libgcrypt
		 * reports some of its own allocation failures as a bad object
		 * ("Invalid object"), which reads as a bad signature: only the
		 * module's, json-c's and libc's allocations are held to this.
		 */
		if (want == PAM_SUCCESS && f == FAULTSHIM_ALLOC && !o.in_gcrypt &&
		    (o.rc == PAM_AUTH_ERR || o.rc == PAM_AUTHINFO_UNAVAIL ||
		     o.rc == PAM_USER_UNKNOWN) && blamed++ == 0)
			first_blamed = n;
	}
	ok(accepted == 0 && crashed == 0, "%s: %ld failing %s calls: none accepted (%ld), none "
	   "crashed (%ld); libgcrypt's out-of-core aborts: %ld, other crashes in libgcrypt after "
	   "its own allocation failed: %ld", what, ctl.calls, fam, accepted, crashed, aborts,
	   gcry_crashes);
	if (f == FAULTSHIM_ALLOC)
		ok(misreported == 0, "%s: every PAM_BUF_ERR the module logs says \"out of memory\" "
		   "(%ld did not)", what, misreported);
	if (want == PAM_SUCCESS && f == FAULTSHIM_ALLOC)
		ok(blamed == 0, "%s: out of memory is never blamed on the token, key or user (%ld "
		   "runs were, the first at call %ld)", what, blamed, first_blamed);
}

static char *hs256(const char *header, const char *extra)
{
	char payload[512];
	long long now = (long long)time(NULL);

	snprintf(payload, sizeof(payload), "{\"iss\":\"https://idp.example\",\"sub\":\"root\","
		 "\"jti\":\"4f1a9c\",\"iat\":%lld,\"exp\":%lld%s}", now - 10, now + 3600, extra);
	return mint(JWT_ALG_HS256, header, payload, key, 32);
}

int main(int argc, char **argv)
{
	char arg[300], path[300], nbf[64], iat[64];
	long long now = (long long)time(NULL);
	struct jwt_key ed = { 0 };
	struct jwt_err err = { 0 };
	char *good, *tok;

	(void)argc;
	if (!faultshim_load(argv, &fs) || !pamtest_start(dir))
		return 0;
	snprintf(path, sizeof(path), "%s/key", dir);
	write_file(path, key, 32, 0600);
	snprintf(arg, sizeof(arg), "secret_file=%s/key allow_root", dir);
	service("hmac", arg);
	/* A set whose second key, the one that signed the tokens, is marked for encryption. */
	snprintf(path, sizeof(path), "%s/set.json", dir);
#define SET(use) "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\",\"use\":\"sig\",\"k\":\"" \
	"ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA\"},{\"kty\":\"oct\",\"kid\":\"b\"," \
	"\"use\":\"" use "\",\"alg\":\"HS256\",\"k\":\"" K64 "\"}]}"
	write_file(path, SET("sig"), strlen(SET("sig")), 0600);
	snprintf(arg, sizeof(arg), "jwks_file=%s/set.json allow_root", dir);
	service("jwks", arg);
	snprintf(path, sizeof(path), "%s/enc.json", dir);
	write_file(path, SET("enc"), strlen(SET("enc")), 0600);
	snprintf(arg, sizeof(arg), "jwks_file=%s/enc.json allow_root", dir);
	service("enc", arg);
	/* An Ed25519 key set: libgcrypt's allocations too. */
	snprintf(path, sizeof(path), "%s/ed.json", dir);
#define ED_SET "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"x\":\"" ED_X "\"}]}"
	write_file(path, ED_SET, strlen(ED_SET), 0644);
	snprintf(arg, sizeof(arg), "jwks_file=%s/ed.json allow_root", dir);
	service("ed", arg);
	snprintf(path, sizeof(path), "%s/ed.jwk", dir);
#define ED_JWK "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" ED_D "\",\"x\":\"" ED_X "\"}"
	write_file(path, ED_JWK, strlen(ED_JWK), 0600);
	if (jwt_crypto_init(&err) != JWT_OK || jwt_key_load_signing(path, &ed, &err) != JWT_OK) {
		printf("Bail out! %s\n", err.reason);
		return 99;
	}

	snprintf(nbf, sizeof(nbf), ",\"nbf\":%lld", now + 3600);
	snprintf(iat, sizeof(iat), ",\"iat\":%lld", now + 3600);
	good = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"b\"}", "");
	for (int f = FAULTSHIM_ALLOC; f <= FAULTSHIM_IO; f++) {
		sweep("HS256, secret_file=, valid token", "hmac", good, PAM_SUCCESS, f);
		sweep("HS256, jwks_file=, valid token", "jwks", good, PAM_SUCCESS, f);
		tok = hs256("{\"alg\":\"HS256\",\"kid\":\"b\"}", nbf);
		sweep("secret_file=, nbf an hour ahead", "hmac", tok, PAM_AUTH_ERR, f);
		sweep("jwks_file=, nbf an hour ahead", "jwks", tok, PAM_AUTH_ERR, f);
		free(tok);
		tok = hs256("{\"alg\":\"HS256\",\"kid\":\"b\"}", ",\"aud\":\"other-host\"");
		sweep("secret_file=, aud without audience=", "hmac", tok, PAM_AUTH_ERR, f);
		sweep("jwks_file=, aud without audience=", "jwks", tok, PAM_AUTH_ERR, f);
		free(tok);
		tok = hs256("{\"alg\":\"HS256\",\"kid\":\"b\",\"crit\":[\"exp\"]}", "");
		sweep("secret_file=, crit in the header", "hmac", tok, PAM_AUTH_ERR, f);
		sweep("jwks_file=, crit in the header", "jwks", tok, PAM_AUTH_ERR, f);
		free(tok);
		sweep("jwks_file=, the signing key has \"use\":\"enc\"", "enc", good, PAM_AUTH_ERR, f);
		{
			char payload[256];

			snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}", now + 3600);
			tok = mint_key(JWT_ALG_EDDSA, "{\"alg\":\"EdDSA\"}", payload, &ed);
			sweep("EdDSA, jwks_file=, valid token", "ed", tok, PAM_SUCCESS, f);
			free(tok);
			snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld%s}", now + 3600, iat);
			tok = mint_key(JWT_ALG_EDDSA, "{\"alg\":\"EdDSA\"}", payload, &ed);
			sweep("EdDSA, jwks_file=, iat an hour ahead", "ed", tok, PAM_AUTH_ERR, f);
			free(tok);
		}
	}
	free(good);
	jwt_key_clear(&ed);
	return tap_done();
}
