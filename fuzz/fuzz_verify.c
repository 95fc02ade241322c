/*
 * libFuzzer: the whole verification (jwt_verify, key file included) of a token
 * the harness signs itself. The input is the header JSON, a newline, and the
 * payload JSON; they are encoded and signed with the fixed key under the
 * header's algorithm (HS256 when it names none), so mutations reach the claim
 * and user checks instead of stopping at the signature.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_mem.h"
#include "jwt_sig.h"
#include "jwt_verify.h"

static char dir[] = "/tmp/pam_jwt_fuzz.XXXXXX";
static char key_path[sizeof(dir) + 8];
static char key_arg[sizeof(key_path) + 16];

static void remove_key(void)
{
	unlink(key_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f;

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	(void)snprintf(key_path, sizeof(key_path), "%s/key", dir);
	(void)snprintf(key_arg, sizeof(key_arg), "secret_file=%s", key_path);
	f = fopen(key_path, "w");
	if (f == NULL || fwrite(fuzz_key, 1, FUZZ_KEY_LEN, f) != FUZZ_KEY_LEN || fclose(f) != 0 ||
	    chmod(key_path, 0600) != 0)
		abort();
	if (atexit(remove_key) != 0)
		abort();
	return 0;
}

/* The algorithm the header names, if it parses and names a known one. */
static enum jwt_alg header_alg(const char *header, size_t len)
{
	json_object *obj;
	struct jwt_err err = { 0 };
	const char *name;
	size_t name_len;
	enum jwt_alg alg = JWT_ALG_HS256;

	if (jwt_json_parse_object(header, len, "header", &obj, &err) != JWT_OK)
		return alg;
	name = jwt_json_string(obj, "alg", &name_len);
	/* The harness holds an HMAC key only: other algorithms are signed as HS256. */
	if (name == NULL || !jwt_alg_from_name(name, name_len, &alg) ||
	    jwt_alg_info(alg)->family != JWT_FAMILY_HMAC)
		alg = JWT_ALG_HS256;
	json_object_put(obj);
	return alg;
}

/* "b64(header).b64(payload).b64(signature)" in a fresh buffer, or NULL. */
static char *sign(const char *header, size_t hlen, const char *payload, size_t plen,
		  size_t *len)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	unsigned char sig[JWT_SIG_MAX];
	size_t sig_len = 0, n;
	enum jwt_alg alg = header_alg(header, hlen);
	char *tok = malloc(JWT_B64URL_ENCODED_LEN(hlen) + JWT_B64URL_ENCODED_LEN(plen) +
			   JWT_B64URL_ENCODED_LEN(JWT_SIG_MAX) + 3);

	if (tok == NULL)
		return NULL;
	jwt_b64url_encode((const unsigned char *)header, hlen, tok);
	n = strlen(tok);
	tok[n++] = '.';
	jwt_b64url_encode((const unsigned char *)payload, plen, tok + n);
	n += strlen(tok + n);
	if (jwt_keyset_add_secret(&ks, fuzz_key, FUZZ_KEY_LEN, &err) != JWT_OK ||
	    jwt_sig_sign(alg, &ks.keys[0], tok, n, sig, &sig_len, &err) != JWT_OK)
		__builtin_trap();
	jwt_keyset_free(&ks);
	tok[n++] = '.';
	jwt_b64url_encode(sig, sig_len, tok + n);
	explicit_bzero(sig, sizeof(sig));
	*len = n + strlen(tok + n);
	return tok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[] = { key_arg, "issuer=https://idp.example", "audience=ssh" };
	const char *in = (const char *)data, *nl = memchr(in, '\n', size);
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	size_t sink = 0, len;
	struct jwt_trace tr = { .step = fuzz_step, .ctx = &sink };
	char *tok, *user = NULL;
	enum jwt_status rc;

	if (nl == NULL)
		return 0;
	if (jwt_config_parse(&cfg, 3, argv, &err) != JWT_OK || jwt_crypto_init(&err) != JWT_OK)
		__builtin_trap();
	cfg.allow_root = true;	/* the tokens are for root: reach the whole user path */
	tok = sign(in, (size_t)(nl - in), nl + 1, size - (size_t)(nl + 1 - in), &len);
	if (tok == NULL)
		return 0;
	rc = jwt_verify(&cfg, tok, len, FUZZ_NOW, "root", &tr, NULL, &user, &err);
	/* Success names exactly the expected user; failure leaves no user behind. */
	if ((rc == JWT_OK) != (user != NULL) || (user != NULL && strcmp(user, "root") != 0))
		__builtin_trap();
	free(user);
	jwt_wipe_free(tok, len);
	return 0;
}
