/*
 * No secret of a key set outlives the login: the real module (through
 * pam_start_confdir) reads a key set whose "k" members are distinctive
 * canaries, and after pam_end this process's heap and anonymous writable
 * mappings are scanned for each canary, as text (base64url) and as bytes.
 * Keys after a refused one, a key without kty, a set refused for a private
 * key, and the unused key of an accepted login: each canary must be gone.
 * Skipped under valgrind and ASan, whose allocators keep freed blocks apart
 * and forbid reading them.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "jwt_alg.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static char dir[] = "/tmp/pam_jwt_heap.XXXXXX";
static const unsigned char key_a[] = "0123456789abcdef0123456789abcdef";
#define KA "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
#define EC_D "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\""
#define EC_XY "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\""

/* Each canary: the secret's bytes and its base64url text, as "k" holds it. */
struct canary {
	const char *raw, *b64;
};
static const struct canary canaries[] = {
	{ "pam_jwt heap canary A 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBBIDdjMWU1YTkzZDJiOA" },
	{ "pam_jwt heap canary B 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBCIDdjMWU1YTkzZDJiOA" },
	{ "pam_jwt heap canary C 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBDIDdjMWU1YTkzZDJiOA" },
	{ "pam_jwt heap canary D 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBEIDdjMWU1YTkzZDJiOA" },
	{ "pam_jwt heap canary E 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBFIDdjMWU1YTkzZDJiOA" },
	{ "pam_jwt heap canary F 7c1e5a93d2b8", "cGFtX2p3dCBoZWFwIGNhbmFyeSBGIDdjMWU1YTkzZDJiOA" },
};

/* Whether any line of /proc/self/maps names one of the tools that keep freed memory apart. */
static bool under_checker(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		found = found || strstr(line, "vgpreload") != NULL || strstr(line, "asan") != NULL;
	fclose(f);
	return found;
}

/* Whether needle (n bytes) lies in [heap] or in an anonymous writable mapping. */
static bool in_heap(const void *needle, size_t n)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		exit(99);
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		unsigned long start, end;
		char perms[8], path[256] = "";

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &start, &end, perms, path) < 3)
			continue;
		if (perms[0] != 'r' || perms[1] != 'w')
			continue;
		if (path[0] != '\0' && strcmp(path, "[heap]") != 0)
			continue;	/* files, the stack, vdso: not the allocator's */
		found = memmem((const void *)start, end - start, needle, n) != NULL;
	}
	fclose(f);
	return found;
}

static bool canary_in_heap(const struct canary *c)
{
	return in_heap(c->raw, strlen(c->raw)) || in_heap(c->b64, strlen(c->b64));
}

/* Writes the key set with write(2): stdio would leave a copy in its freed buffer. */
static void write_set(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		perror(path);
		exit(99);
	}
}

/* Logs in as root with tok against a key set of text; returns the PAM code. */
static int login_with_set(const char *text, const char *tok)
{
	char path[128], args[192];

	snprintf(path, sizeof(path), "%s/set.json", dir);
	write_set(path, text);
	snprintf(args, sizeof(args), "jwks_file=%s allow_root", path);
	service("jwt", args);
	return authenticate("jwt", "root", CONV_TOKEN, tok, NULL);
}

int main(void)
{
	char set[2048], payload[128], *tok;
	int rc;

	if (!pamtest_start(dir))
		return 0;
	if (under_checker()) {
		printf("1..0 # SKIP valgrind or ASan keeps freed memory apart\n");
		return 0;
	}
#ifdef UNDER_ASAN
	printf("1..0 # SKIP built with ASan, which keeps freed memory apart\n");
	return 0;
#endif
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}", (long long)time(NULL) + 60);
	tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\",\"kid\":\"a\"}", payload, key_a, 32);

	/* The scan itself: a canary held in the heap is found, and gone once wiped. */
	{
		char *p = malloc(256);

		if (p == NULL)
			exit(99);
		memset(p, 'x', 256);
		memcpy(p + 100, canaries[5].raw, strlen(canaries[5].raw));
		ok(canary_in_heap(&canaries[5]), "control: the scan finds a canary held in the heap");
		explicit_bzero(p, 256);
		ok(!canary_in_heap(&canaries[5]), "control: the scan no longer finds it once wiped");
		free(p);
	}

	snprintf(set, sizeof(set), "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\",\"k\":\"" KA "\"},"
		 "{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"%s\"}]}", canaries[0].b64);
	rc = login_with_set(set, tok);
	ok(rc == PAM_SUCCESS, "control: the login with a key set of two secrets is accepted");
	ok(!canary_in_heap(&canaries[0]), "after pam_end, the unused secret of an accepted login is not in the heap");

	snprintf(set, sizeof(set), "{\"keys\":[{\"kty\":\"oct\",\"kid\":7,\"k\":\"" KA "\"},"
		 "{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"%s\"}]}", canaries[1].b64);
	rc = login_with_set(set, tok);
	ok(rc == PAM_AUTHINFO_UNAVAIL, "a key set with a malformed key is refused");
	ok(!canary_in_heap(&canaries[1]), "after pam_end, the secret of the key after the malformed one is not in the heap");

	snprintf(set, sizeof(set), "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\",\"k\":\"" KA "\"},"
		 "{\"kid\":\"s\",\"k\":\"%s\"}]}", canaries[2].b64);
	rc = login_with_set(set, tok);
	ok(rc == PAM_AUTHINFO_UNAVAIL, "a key set with a key without kty is refused");
	ok(!canary_in_heap(&canaries[2]), "after pam_end, the secret of the key without kty is not in the heap");

	snprintf(set, sizeof(set), "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"%s\"},"
		 "{\"kty\":\"EC\",\"crv\":\"P-256\"," EC_D "," EC_XY "}]}", canaries[3].b64);
	rc = login_with_set(set, tok);
	ok(rc == PAM_AUTHINFO_UNAVAIL, "a key set with a private EC key is refused");
	ok(!canary_in_heap(&canaries[3]), "after pam_end, the secret beside the private key is not in the heap");

	snprintf(set, sizeof(set), "{\"keys\":[\"not a key\",{\"kty\":\"oct\",\"kid\":\"a\",\"k\":\"%s\"}]}",
		 canaries[4].b64);
	rc = login_with_set(set, tok);
	ok(rc == PAM_AUTHINFO_UNAVAIL, "a key set whose first key is not an object is refused");
	ok(!canary_in_heap(&canaries[4]), "after pam_end, the secret of the key after it is not in the heap");

	explicit_bzero(set, sizeof(set));
	free(tok);
	return tap_done();
}
