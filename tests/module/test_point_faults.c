/*
 * libgcrypt running out of memory while pam_jwt checks an EC or Ed25519 key:
 * every allocation libgcrypt makes for jwt_key_set_ec()/jwt_key_set_okp() is
 * failed in turn, each in a child process. The key is valid, so the only
 * honest outcomes are success, JWT_E_NOMEM with a reason saying out of memory,
 * JWT_E_SYSTEM (libgcrypt reports some failed allocations as another error,
 * "Invalid object" when a lookup in an s-expression failed), or libgcrypt's
 * own fatal error (it aborts when an allocation it cannot report fails). Never "not a point on the curve"
 * (JWT_E_KEY, PAM_AUTHINFO_UNAVAIL), which is what an administrator would then
 * go and fix in the key set. Then the same through the module (pam_start_confdir):
 * PAM_BUF_ERR and PAM_SYSTEM_ERR come out, never PAM_AUTHINFO_UNAVAIL.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gcrypt.h>

#include <security/pam_appl.h>

#include "jwt_b64url.h"
#include "jwt_pubkey.h"
#include "jwt_sig.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define FATAL 77	/* the child's exit status when libgcrypt gave up */

static long countdown = -1;	/* allocations left before one fails; -1: none fails */
static long allocations;	/* made so far */

static void *fail_or(void *p)
{
	allocations++;
	if (countdown == 0) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	if (countdown > 0)
		countdown--;
	return p;
}

static void *my_malloc(size_t n)
{
	return fail_or(malloc(n));
}

static void *my_realloc(void *p, size_t n)
{
	allocations++;
	if (countdown == 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (countdown > 0)
		countdown--;
	return realloc(p, n);
}

static int never_secure(const void *p)
{
	(void)p;
	return 0;
}

static void fatal(void *opaque, int rc, const char *text)
{
	(void)opaque;
	(void)rc;
	(void)text;
	_exit(FATAL);
}

struct outcome {
	int code;		/* FATAL, or what the function returned */
	char reason[256];
	long allocations;	/* libgcrypt allocations the function made */
};

/* Runs set_key in a child whose allocation number n (from 0) fails. */
static struct outcome run(int (*set_key)(struct jwt_err *), long n)
{
	struct outcome o = { .code = -1 };
	int fd[2], status;
	pid_t pid;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		exit(99);
	if (pid == 0) {
		struct jwt_err err = { 0 };
		int rc;

		close(fd[0]);
		countdown = n;
		allocations = 0;
		rc = set_key(&err);
		countdown = -1;
		if (write(fd[1], err.reason, sizeof(err.reason)) < 0 ||
		    write(fd[1], &allocations, sizeof(allocations)) < 0)
			_exit(98);
		_exit(rc);
	}
	close(fd[1]);
	if (read(fd[0], o.reason, sizeof(o.reason)) != sizeof(o.reason) ||
	    read(fd[0], &o.allocations, sizeof(o.allocations)) != sizeof(o.allocations))
		o.reason[0] = '\0';
	o.reason[sizeof(o.reason) - 1] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		o.code = WEXITSTATUS(status);
	return o;
}

/* RFC 7515 A.3's P-256 key and RFC 8037 A.4's Ed25519 key. */
static int set_p256(struct jwt_err *err)
{
	static const char x64[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
	static const char y64[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
	unsigned char x[32], y[32];
	size_t xl, yl;
	struct jwt_key key = { 0 };
	int rc;

	jwt_b64url_decode(x64, strlen(x64), x, &xl);
	jwt_b64url_decode(y64, strlen(y64), y, &yl);
	rc = jwt_key_set_ec(&key, JWT_CRV_P256, x, xl, y, yl, err);
	jwt_key_clear(&key);
	return rc;
}

static int set_ed25519(struct jwt_err *err)
{
	static const char x64[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
	unsigned char x[32];
	size_t xl;
	struct jwt_key key = { 0 };
	int rc;

	jwt_b64url_decode(x64, strlen(x64), x, &xl);
	rc = jwt_key_set_okp(&key, JWT_CRV_ED25519, x, xl, err);
	jwt_key_clear(&key);
	return rc;
}

static void sweep(const char *name, int (*set_key)(struct jwt_err *))
{
	int nomem = 0, fatals = 0, system = 0, wrong = 0, checking = 0;
	long n;
	struct outcome o;

	o = run(set_key, -1);
	ok(o.code == JWT_OK, "control: the %s key is accepted when no allocation fails (%d: %s)",
	   name, o.code, o.reason);
	for (n = 0; n < 5000; n++) {
		o = run(set_key, n);
		if (o.code == JWT_OK)
			break;
		if (o.code == FATAL) {
			fatals++;
		} else if (o.code == JWT_E_NOMEM && strstr(o.reason, "out of memory") != NULL) {
			nomem++;
			checking += strstr(o.reason, "out of memory checking") != NULL;
		} else if (o.code == JWT_E_SYSTEM && strncmp(o.reason, "libgcrypt ", 10) == 0) {
			system++;
		} else {
			if (wrong++ == 0)
				printf("# allocation %ld failed: status %d, \"%s\"\n", n, o.code, o.reason);
		}
	}
	ok(n < 5000 && wrong == 0, "%s key, each of %ld libgcrypt allocations failed in turn: "
	   "%d out of memory, %d libgcrypt errors, %d libgcrypt fatal errors, %d other verdicts",
	   name, n, nomem, system, fatals, wrong);
	ok(checking > 0, "%s key: out of memory in libgcrypt's curve check is JWT_E_NOMEM "
	   "(%d times)", name, checking);
}

static char dir[] = "/tmp/pam_jwt_point_faults.XXXXXX";

/* RFC 7515 A.3: an ES256 token (long expired) of the P-256 key above. */
static int login(struct jwt_err *err)
{
	static const char a3[] = "eyJhbGciOiJFUzI1NiJ9"
		".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
		".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

	(void)err;
	return authenticate("faults", "root", CONV_TOKEN, a3, NULL);
}

static void module_sweep(void)
{
	static const char set[] = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
		"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
		"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";
	char path[256], arg[300];
	int buf = 0, sys = 0, auth = 0, fatals = 0, wrong = 0;
	long n;
	struct outcome o;

	if (!pamtest_start(dir))
		return;
	snprintf(path, sizeof(path), "%s/jwks.json", dir);
	write_file(path, set, strlen(set), 0644);
	snprintf(arg, sizeof(arg), "jwks_file=%s", path);
	service("faults", arg);
	o = run(login, -1);
	ok(o.code == PAM_AUTH_ERR && o.allocations > 0, "control: through the module, with no "
	   "allocation failing, the expired RFC 7515 A.3 token gets PAM_AUTH_ERR (%d; %ld "
	   "libgcrypt allocations)", o.code, o.allocations);
	/* The key set is read and its key checked first: the first 400 allocations cover it. */
	for (n = 0; n < o.allocations && n < 400; n++) {
		struct outcome f = run(login, n);

		if (f.code == FATAL)
			fatals++;
		else if (f.code == PAM_BUF_ERR)
			buf++;
		else if (f.code == PAM_SYSTEM_ERR)
			sys++;
		else if (f.code == PAM_AUTH_ERR)
			auth++;
		else if (wrong++ == 0)
			printf("# allocation %ld failed: PAM code %d\n", n, f.code);
	}
	ok(wrong == 0, "through the module, each of the first %ld libgcrypt allocations failed: %d "
	   "PAM_BUF_ERR, %d PAM_SYSTEM_ERR, %d PAM_AUTH_ERR, %d fatal, %d other codes "
	   "(PAM_AUTHINFO_UNAVAIL or PAM_SUCCESS among them)", n, buf, sys, auth, fatals, wrong);
	ok(buf > 0, "out of memory in libgcrypt is PAM_BUF_ERR through the module (%d times)", buf);
	ok(sys > 0, "another libgcrypt failure is PAM_SYSTEM_ERR through the module (%d times)", sys);
}

int main(void)
{
	struct jwt_err err = { 0 };

	/*
	 * Under valgrind every child that libgcrypt abandons on its fatal path
	 * reports its memory as lost (exit 99), and the sweep takes minutes;
	 * under the sanitizers the children would be reported the same way.
	 */
	if (getenv("PAM_JWT_TEST_WRAPPER") != NULL || getenv("PAM_JWT_TEST_PRELOAD") != NULL) {
		printf("1..0 # SKIP allocation failures under valgrind or the sanitizers\n");
		return 0;
	}

	/* Before libgcrypt is initialised: that is when it takes these. */
	gcry_set_allocation_handler(my_malloc, my_malloc, never_secure, my_realloc, free);
	gcry_set_fatalerror_handler(fatal, NULL);
	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	sweep("P-256", set_p256);
	sweep("Ed25519", set_ed25519);
	module_sweep();
	return tap_done();
}
