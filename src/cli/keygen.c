/*
 * pam-jwt keygen: a fresh key file, never readable by anyone else, never
 * half-written. HMAC keys here; key pairs in keygen_pk.c.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "cli.h"
#include "install.h"
#include "jwt_b64url.h"
#include "jwt_mem.h"
#include "jwt_sig.h"
#include "keygen_pk.h"

static const char usage[] =
	"usage: pam-jwt keygen --out PATH [--alg ALG] [--force]\n"
	"       pam-jwt keygen --out PATH --alg ALG [--jwks SET] [--kid ID] [--bits N] [--force]\n"
	"Writes a new key for ALG (default HS256) to PATH, mode 0600.\n"
	"HS256, HS384, HS512: as many random bytes as the algorithm's hash (HS256: 32),\n"
	"written as base64url text without a newline; the module uses the text itself\n"
	"as the HMAC key, so give an issuer the file's content as it is.\n"
	"RS256..RS512, PS256..PS512, ES256, ES384, ES512, EdDSA: a new key pair; PATH\n"
	"gets the private key as a JWK (for pam-jwt mint and issuers), and --jwks adds\n"
	"the public key to the key set SET for jwks_file= (created, mode 0644, if missing).\n"
	"  --jwks SET  the JWK Set file to add the public key to\n"
	"  --kid ID    the key id (default: the key's RFC 7638 thumbprint)\n"
	"  --bits N    RSA modulus size: 2048 (default), 3072 or 4096\n"
	"  --force     replace an existing PATH\n";

/* --bits: an RSA modulus size pam_jwt makes (never under 2048). */
static bool parse_bits(const char *s, unsigned *bits)
{
	static const char *const sizes[] = { "2048", "3072", "4096" };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (strcmp(s, sizes[i]) == 0) {
			*bits = 2048 + 1024 * (unsigned)i;
			return true;
		}
	return false;
}

int cli_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "alg", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "jwks", required_argument, NULL, 'j' },
		{ "kid", required_argument, NULL, 'k' },
		{ "bits", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct keygen_pk pk = { .bits = 2048 };
	const char *out = NULL, *bits = NULL;
	enum jwt_alg alg = JWT_ALG_HS256;
	const struct jwt_alg_info *info;
	bool force = false;
	struct jwt_err err = { 0 };
	unsigned char *raw;
	char *text;
	size_t n;
	int c, ret;

	while ((c = getopt_long(argc, argv, "ho:a:f", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'a':
			if (!cli_alg_parse(optarg, &alg))
				return CLI_USAGE;
			break;
		case 'f': force = true; break;
		case 'j': pk.jwks = optarg; break;
		case 'k': pk.kid = optarg; break;
		case 'b': bits = optarg; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (out == NULL)
		return cli_usage_error(usage, "--out PATH is required");
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	info = jwt_alg_info(alg);
	if (bits != NULL && (info->family != JWT_FAMILY_RSA && info->family != JWT_FAMILY_RSA_PSS))
		return cli_usage_error(usage, "--bits is for RSA keys (RS* and PS*) only");
	if (bits != NULL && !parse_bits(bits, &pk.bits))
		return cli_usage_error(usage, "--bits wants 2048, 3072 or 4096, not \"%s\"", bits);
	if (info->family == JWT_FAMILY_HMAC && (pk.jwks != NULL || pk.kid != NULL))
		return cli_usage_error(usage, "--jwks and --kid are for key pairs, not %s keys",
				       info->name);
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	if (info->family != JWT_FAMILY_HMAC) {
		pk.alg = alg;
		pk.out = out;
		pk.force = force;
		return cli_keygen_pk(&pk);
	}
	/* As much randomness as the hash is long (RFC 7518 §3.2), as text the file can hold. */
	n = info->min_key_len;
	raw = malloc(n);
	text = malloc(JWT_B64URL_ENCODED_LEN(n) + 1);
	if (raw == NULL || text == NULL) {
		cli_error("out of memory");
		ret = CLI_FAILED;
		goto out;
	}
	gcry_randomize(raw, n, GCRY_VERY_STRONG_RANDOM);
	jwt_b64url_encode(raw, n, text);
	ret = cli_install_file(out, text, 0600, force);
	if (ret == CLI_OK)
		printf("wrote a new %s key (%zu random bytes) to %s\n", info->name, n, out);
out:
	jwt_wipe_free(raw, n);
	jwt_wipe_free(text, JWT_B64URL_ENCODED_LEN(n) + 1);
	return ret;
}
