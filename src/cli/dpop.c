/*
 * The user's DPoP proofs (RFC 9449 §4.2): loading the proof key and signing a
 * proof with it; pam-jwt proof prints one, for scripts.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gcrypt.h>

#include "cli.h"
#include "dpop.h"
#include "jwt_b64url.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_mem.h"
#include "jwt_pop.h"
#include "jwt_sig.h"
#include "jwt_token.h"

static const char usage[] =
	"usage: pam-jwt proof --key FILE --nonce NONCE --htu URI [--token-file F]\n"
	"                     [--htm METHOD]\n"
	"Prints a DPoP proof (RFC 9449) signed by the private JWK in FILE (EC, OKP or\n"
	"RSA, as pam-jwt keygen writes it; not readable by others): header typ\n"
	"dpop+jwt, alg by the key (ES256 for P-256, ES384, ES512, EdDSA, RS256 unless\n"
	"the JWK names its \"alg\") and the public jwk; claims jti (random), htm, htu,\n"
	"iat (now), nonce and, with a token, ath. pam_jwt's challenge reads\n"
	"\"DPoP proof for HTU (nonce NONCE): \".\n"
	"  --nonce NONCE    the challenge's nonce\n"
	"  --htu URI        the challenge's HTU (pam://HOST/SERVICE for pam_jwt)\n"
	"  --token-file F   the token the proof goes with (its first line; - for\n"
	"                   standard input): ath = base64url(SHA-256(token))\n"
	"  --htm METHOD     the method (default PAM, as pam_jwt wants)\n";

/* The members of a public key that RFC 7638 hashes, by kty: all a proof's jwk needs. */
static const char *const *public_members(const char *kty)
{
	static const char *const ec[] = { "kty", "crv", "x", "y", NULL };
	static const char *const okp[] = { "kty", "crv", "x", NULL };
	static const char *const rsa[] = { "kty", "n", "e", NULL };

	if (strcmp(kty, "EC") == 0)
		return ec;
	if (strcmp(kty, "OKP") == 0)
		return okp;
	if (strcmp(kty, "RSA") == 0)
		return rsa;
	return NULL;
}

void dpop_key_clear(struct dpop_key *k)
{
	jwt_key_clear(&k->key);
	json_object_put(k->pub);
	k->pub = NULL;
}

bool dpop_key_from_jwk(json_object *jwk, const char *what, struct dpop_key *k)
{
	struct jwt_err err = { 0 };
	const char *const *names;
	json_object *kty;

	if (!json_object_object_get_ex(jwk, "kty", &kty) || !json_object_is_type(kty, json_type_string) ||
	    (names = public_members(json_object_get_string(kty))) == NULL) {
		cli_error("%s: not an EC, OKP or RSA key: a DPoP proof needs a private asymmetric "
			  "key (pam-jwt keygen --alg ES256)", what);
		return false;
	}
	if (jwt_key_from_private_jwk(jwk, &k->key, &err) != JWT_OK) {
		cli_error("%s: %s", what, err.reason);
		return false;
	}
	k->alg = jwt_key_default_alg(&k->key);
	if (jwt_alg_info(k->alg)->family == JWT_FAMILY_HMAC) {
		cli_error("%s: an HMAC algorithm cannot sign a DPoP proof", what);
		return false;
	}
	k->pub = json_object_new_object();
	if (k->pub == NULL) {
		cli_error("out of memory");
		return false;
	}
	for (size_t i = 0; names[i] != NULL; i++) {
		json_object *v;

		if (json_object_object_get_ex(jwk, names[i], &v))
			json_object_object_add(k->pub, names[i], json_object_get(v));
	}
	if (jwt_jwk_thumbprint(k->pub, k->jkt, &err) != JWT_OK) {
		cli_error("%s: %s", what, err.reason);
		return false;
	}
	return true;
}

bool dpop_key_load(const char *path, struct dpop_key *k)
{
	struct jwt_err err = { 0 };
	unsigned char *buf = NULL;
	json_object *jwk = NULL;
	size_t len = 0;
	bool good = false;

	if (jwt_file_read(path, JWT_FILE_SECRET, JWT_JWK_FILE_MAX, &buf, &len, &err) != JWT_OK ||
	    (len > 0 && buf[0] == '{' &&
	     jwt_json_parse_object((const char *)buf, len, path, &jwk, &err) != JWT_OK))
		cli_error("%s", err.reason);
	else if (jwk == NULL)
		cli_error("%s: not a private JWK (a JSON object): a DPoP proof needs a private "
			  "asymmetric key", path);
	else
		good = dpop_key_from_jwk(jwk, path, k);
	if (jwk != NULL)
		jwt_jwk_wipe_secrets(jwk);
	json_object_put(jwk);
	jwt_wipe_free(buf, len);
	return good;
}

bool dpop_text_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* Appends "." (unless first) and the base64url of len bytes to the text at *t (*n bytes). */
static bool append_segment(char **t, size_t *n, const void *data, size_t len)
{
	char *p = realloc(*t, *n + 1 + JWT_B64URL_ENCODED_LEN(len) + 1);

	if (p == NULL)
		return false;
	if (*n > 0)
		p[(*n)++] = '.';
	jwt_b64url_encode(data, len, p + *n);
	*n += strlen(p + *n);
	*t = p;
	return true;
}

/* base64url of len random bytes (len <= 32) into out (JWT_B64URL_ENCODED_LEN(len) + 1). */
static void random_text(char *out, size_t len)
{
	unsigned char raw[32];

	gcry_randomize(raw, len, GCRY_STRONG_RANDOM);
	jwt_b64url_encode(raw, len, out);
	explicit_bzero(raw, sizeof(raw));
}

static json_object *proof_claims(const char *htm, const char *htu, const char *nonce,
				 const char *token, size_t token_len)
{
	char jti[JWT_B64URL_ENCODED_LEN(16) + 1], ath[JWT_B64URL_ENCODED_LEN(32) + 1];
	unsigned char hash[32];
	json_object *c = json_object_new_object();

	if (c == NULL)
		return NULL;
	random_text(jti, 16);
	json_object_object_add(c, "jti", json_object_new_string(jti));
	json_object_object_add(c, "htm", json_object_new_string(htm));
	json_object_object_add(c, "htu", json_object_new_string(htu));
	json_object_object_add(c, "iat", json_object_new_int64((int64_t)time(NULL)));
	if (nonce != NULL)
		json_object_object_add(c, "nonce", json_object_new_string(nonce));
	if (token != NULL) {
		gcry_md_hash_buffer(GCRY_MD_SHA256, hash, token, token_len);
		jwt_b64url_encode(hash, sizeof(hash), ath);
		json_object_object_add(c, "ath", json_object_new_string(ath));
		explicit_bzero(hash, sizeof(hash));
	}
	return c;
}

char *dpop_proof_make(const struct dpop_key *k, const char *htm, const char *htu,
		      const char *nonce, const char *token, size_t token_len, size_t *len)
{
	const int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	json_object *header = json_object_new_object(), *claims;
	struct jwt_err err = { 0 };
	unsigned char sig[JWT_SIG_MAX];
	size_t sig_len = 0, n = 0;
	const char *h, *p;
	char *out = NULL;
	bool good = false;

	claims = proof_claims(htm, htu, nonce, token, token_len);
	if (header == NULL || claims == NULL) {
		cli_error("out of memory");
		goto out;
	}
	json_object_object_add(header, "typ", json_object_new_string("dpop+jwt"));
	json_object_object_add(header, "alg", json_object_new_string(jwt_alg_info(k->alg)->name));
	json_object_object_add(header, "jwk", json_object_get(k->pub));
	h = json_object_to_json_string_ext(header, flags);
	p = json_object_to_json_string_ext(claims, flags);
	if (h == NULL || p == NULL || !append_segment(&out, &n, h, strlen(h)) ||
	    !append_segment(&out, &n, p, strlen(p))) {
		cli_error("out of memory");
		goto out;
	}
	if (jwt_sig_sign(k->alg, &k->key, out, n, sig, &sig_len, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		goto out;
	}
	if (!append_segment(&out, &n, sig, sig_len)) {
		cli_error("out of memory");
		goto out;
	}
	good = true;
out:
	explicit_bzero(sig, sizeof(sig));
	json_object_put(header);
	json_object_put(claims);
	if (!good) {
		jwt_wipe_free(out, n);
		return NULL;
	}
	*len = n;
	return out;
}

/* The first line of path ("-": standard input) into buf (JWT_TOKEN_MAX + 3 bytes). */
static bool read_token(const char *path, char *buf, size_t size, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	bool good;

	if (f == NULL) {
		cli_error("--token-file %s: cannot open it", path);
		return false;
	}
	(void)setvbuf(f, NULL, _IONBF, 0);
	good = fgets(buf, (int)size, f) != NULL;
	if (f != stdin)
		(void)fclose(f);
	if (!good) {
		cli_error("--token-file %s: no token in it", path);
		return false;
	}
	*len = strcspn(buf, "\r\n");
	buf[*len] = '\0';
	if (*len == 0 || *len > JWT_TOKEN_MAX || !dpop_text_ok(buf)) {
		cli_error("--token-file %s: its first line is not a token (1 to %d visible ASCII "
			  "characters)", path, JWT_TOKEN_MAX);
		return false;
	}
	return true;
}

int cli_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "htu", required_argument, NULL, 'u' },
		{ "htm", required_argument, NULL, 'm' },
		{ "token-file", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL, *nonce = NULL, *htu = NULL, *htm = JWT_POP_HTM, *token_file = NULL;
	struct dpop_key k = { 0 };
	struct jwt_err err = { 0 };
	char *tok = NULL, *proof = NULL;
	size_t tok_len = 0, len = 0;
	int c, ret = CLI_FAILED;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'n': nonce = optarg; break;
		case 'u': htu = optarg; break;
		case 'm': htm = optarg; break;
		case 't': token_file = optarg; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	if (key == NULL || nonce == NULL || htu == NULL)
		return cli_usage_error(usage, "--key, --nonce and --htu are required");
	if (!dpop_text_ok(nonce) || strlen(nonce) > JWT_POP_NONCE_MAX)
		return cli_usage_error(usage, "--nonce wants 1 to %d visible ASCII characters",
				       JWT_POP_NONCE_MAX);
	if (!dpop_text_ok(htu) || !dpop_text_ok(htm))
		return cli_usage_error(usage, "--htu and --htm want visible ASCII without spaces");
	(void)setvbuf(stdout, NULL, _IONBF, 0);
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	if (token_file != NULL) {
		tok = malloc(JWT_TOKEN_MAX + 3);
		if (tok == NULL) {
			cli_error("out of memory");
			goto out;
		}
		if (!read_token(token_file, tok, JWT_TOKEN_MAX + 3, &tok_len))
			goto out;
	}
	if (!dpop_key_load(key, &k))
		goto out;
	proof = dpop_proof_make(&k, htm, htu, nonce, tok, tok_len, &len);
	if (proof == NULL)
		goto out;
	if (printf("%s\n", proof) < 0 || fflush(stdout) != 0)
		cli_error("cannot write the proof");
	else
		ret = CLI_OK;
out:
	if (proof != NULL)
		jwt_wipe_free(proof, len);
	if (tok != NULL)
		jwt_wipe_free(tok, JWT_TOKEN_MAX + 3);
	dpop_key_clear(&k);
	return ret;
}
