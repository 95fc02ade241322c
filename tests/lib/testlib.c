#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gcrypt.h>

#include "jwt_b64url.h"
#include "jwt_sig.h"
#include "testlib.h"

void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f;

	unlink(path);
	f = fopen(path, "w");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0 || chmod(path, mode) != 0) {
		perror(path);
		exit(99);
	}
}

int race_children(int n, int (*attempt)(void *arg), void *arg)
{
	int gate[2], accepted = 0, odd = 0;

	if (pipe(gate) != 0)
		exit(99);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			exit(99);
		if (pid == 0) {
			char c;

			close(gate[1]);
			(void)read(gate[0], &c, 1);	/* returns when the gate closes */
			_exit(attempt(arg));
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (int i = 0; i < n; i++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
			odd++;
		else if (WEXITSTATUS(status) == 0)
			accepted++;
	}
	return odd ? -1 : accepted;
}

/* Encodes header.payload into a buffer with room for '.' and the largest signature. */
static char *signing_input(const char *header, const char *payload, size_t *len)
{
	size_t hl = strlen(header), pl = strlen(payload);
	char *tok = malloc(JWT_B64URL_ENCODED_LEN(hl) + JWT_B64URL_ENCODED_LEN(pl) +
			   JWT_B64URL_ENCODED_LEN(JWT_SIG_MAX) + 3);

	if (tok == NULL)
		exit(99);
	jwt_b64url_encode((const unsigned char *)header, hl, tok);
	*len = strlen(tok);
	tok[(*len)++] = '.';
	jwt_b64url_encode((const unsigned char *)payload, pl, tok + *len);
	*len += strlen(tok + *len);
	return tok;
}

char *mint(enum jwt_alg alg, const char *header, const char *payload,
	   const unsigned char *key, size_t keylen)
{
	unsigned char sig[64];
	size_t sig_len = sizeof(sig), n;
	char *tok;
	gcry_mac_hd_t h;
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		exit(99);
	tok = signing_input(header, payload, &n);
	if (gcry_mac_open(&h, jwt_alg_info(alg)->mac, 0, NULL) || gcry_mac_setkey(h, key, keylen) ||
	    gcry_mac_write(h, tok, n) || gcry_mac_read(h, sig, &sig_len)) {
		fprintf(stderr, "mint: libgcrypt failed\n");
		exit(99);
	}
	gcry_mac_close(h);
	tok[n++] = '.';
	jwt_b64url_encode(sig, sig_len, tok + n);
	return tok;
}

char *mint_key(enum jwt_alg alg, const char *header, const char *payload,
	       const struct jwt_key *key)
{
	unsigned char sig[JWT_SIG_MAX];
	size_t sig_len = 0, n;
	char *tok = signing_input(header, payload, &n);
	struct jwt_err err = { 0 };

	if (jwt_sig_sign(alg, key, tok, n, sig, &sig_len, &err) != JWT_OK) {
		fprintf(stderr, "mint_key: %s\n", err.reason);
		exit(99);
	}
	tok[n++] = '.';
	jwt_b64url_encode(sig, sig_len, tok + n);
	return tok;
}

char *mint_length(size_t len, const char *members, const unsigned char *key, size_t keylen)
{
	size_t ml = strlen(members) + 10, plen;	/* {members,"pad":"..."} */
	char *payload = malloc(len + ml + 1), *tok = NULL;

	if (payload == NULL)
		exit(99);
	/* The payload's encoding takes 4/3 of it: start just short and grow a byte at a time. */
	for (plen = len > 120 ? (len - 120) * 3 / 4 : 0; plen < len && tok == NULL; plen++) {
		if (plen < ml)
			continue;
		snprintf(payload, len + ml + 1, "{%s,\"pad\":\"%0*d\"}", members, (int)(plen - ml), 0);
		tok = mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, keylen);
		if (strlen(tok) != len) {
			free(tok);
			tok = NULL;
		}
	}
	free(payload);
	if (tok == NULL) {
		fprintf(stderr, "mint_length: no token of %zu bytes\n", len);
		exit(99);
	}
	return tok;
}

static char *scratch;

static void remove_scratch(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", scratch);
	free(scratch);
}

void scratch_dir(char *template)
{
	if (mkdtemp(template) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	/* A copy: the template may be a caller's local array, gone by exit. */
	scratch = strdup(template);
	if (scratch == NULL) {
		perror("strdup");
		exit(99);
	}
	atexit(remove_scratch);
}
