/* pam-jwt mint: a signed token, for testing a configuration or a login. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gcrypt.h>
#include <json-c/json.h>

#include "cli.h"
#include "duration.h"
#include "jwt_b64url.h"
#include "jwt_file.h"
#include "jwt_json.h"
#include "jwt_jwk_private.h"
#include "jwt_jwks.h"
#include "jwt_key.h"
#include "jwt_mem.h"
#include "jwt_sig.h"
#include "mint_size.h"

static const char usage[] =
	"usage: pam-jwt mint --key PATH --sub USER [--ttl DURATION] [--alg ALG]\n"
	"                    [--iss ISSUER] [--aud AUDIENCE]... [--nbf TIME]\n"
	"                    [--jti auto|ID] [--kid KID] [--claim NAME=VALUE]...\n"
	"                    [--max-bytes N] [--cnf-key JWK]\n"
	"Prints a token signed with the key in PATH, with iat = now and exp = now +\n"
	"DURATION. PATH is an HMAC key file (read as secret_file= reads it) or a\n"
	"private JWK (RSA, EC, OKP; from pam-jwt keygen), not readable by others.\n"
	"  --ttl DURATION     lifetime: seconds, or with s, m, h or d (default 5m);\n"
	"                     negative makes an expired token, for testing\n"
	"  --alg ALG          the JWS algorithm; the key must fit it (default: the\n"
	"                     JWK's \"alg\", else HS256, RS256, ES256/384/512, EdDSA\n"
	"                     by the key's type)\n"
	"  --aud AUDIENCE     repeat for an array of audiences\n"
	"  --nbf TIME         not before: a DURATION from now (may be negative), or\n"
	"                     @SECONDS since the epoch\n"
	"  --jti auto|ID      token id; auto: 128 random bits\n"
	"  --kid KID          key id in the header (default: the JWK's \"kid\")\n"
	"  --claim NAME=VALUE any claim; VALUE is JSON if it parses as JSON, else a\n"
	"                     string. Applied last, so it can replace any claim.\n"
	"  --cnf-key JWK      bind the token to the key in JWK (public or private;\n"
	"                     its public part counts): cnf.jkt, its RFC 7638\n"
	"                     thumbprint. A login then needs a DPoP proof of the key\n"
	"  --max-bytes N      print nothing, exit 1 and say which claims to drop when\n"
	"                     the token is longer than N bytes (sudo: 511, ssh: 1023)\n";

struct mint_args {
	const char *key, *sub, *iss, *jti, *kid, *cnf_key;
	int64_t now, ttl, nbf;
	bool has_nbf, has_alg;
	size_t max_bytes;	/* 0: no limit */
	enum jwt_alg alg;
	json_object *aud;	/* array of the --aud values */
	json_object *extra;	/* the --claim values, by name */
};

/* VALUE as JSON when all of it is one JSON value (null included), else as a string. */
static json_object *claim_value(const char *value)
{
	size_t len = strlen(value);
	json_tokener *tok = json_tokener_new();
	json_object *v;
	bool json;

	if (tok == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* With its NUL, so that a number at the end is complete. */
	v = json_tokener_parse_ex(tok, value, (int)len + 1);
	json = json_tokener_get_error(tok) == json_tokener_success &&
	       json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	if (json)
		return v;
	json_object_put(v);
	return json_object_new_string(value);
}

/* --claim NAME=VALUE into claims; false when there is no NAME. */
static bool add_claim(json_object *claims, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *name;

	if (eq == NULL || eq == arg)
		return false;
	name = strndup(arg, (size_t)(eq - arg));
	if (name == NULL)
		return false;
	json_object_object_add(claims, name, claim_value(eq + 1));
	free(name);
	return true;
}

/* --nbf: a duration from now, or @SECONDS since the epoch. */
static bool parse_nbf(const char *s, int64_t now, int64_t *nbf)
{
	int64_t d;

	if (s[0] != '@') {
		if (!cli_duration_parse(s, true, &d))
			return false;
		*nbf = now + d;
		return true;
	}
	if (strspn(s + 1, "0123456789") != strlen(s + 1) || !cli_duration_parse(s + 1, false, &d))
		return false;
	*nbf = d;
	return true;
}

/* Returns an exit code when done (--help, usage error), -1 to go on. */
static int parse_args(int argc, char **argv, struct mint_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "sub", required_argument, NULL, 's' },
		{ "ttl", required_argument, NULL, 't' },
		{ "alg", required_argument, NULL, 'a' },
		{ "iss", required_argument, NULL, 'i' },
		{ "aud", required_argument, NULL, 'A' },
		{ "nbf", required_argument, NULL, 'n' },
		{ "jti", required_argument, NULL, 'J' },
		{ "kid", required_argument, NULL, 'K' },
		{ "claim", required_argument, NULL, 'c' },
		{ "max-bytes", required_argument, NULL, 'M' },
		{ "cnf-key", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': a->key = optarg; break;
		case 's': a->sub = optarg; break;
		case 't':
			if (!cli_duration_parse(optarg, true, &a->ttl))
				return cli_usage_error(usage, "--ttl wants a duration like 300, 90s, "
						       "5m, 2h or 1d, not \"%s\"", optarg);
			break;
		case 'a':
			if (!cli_alg_parse(optarg, &a->alg))
				return CLI_USAGE;
			a->has_alg = true;
			break;
		case 'i': a->iss = optarg; break;
		case 'A': json_object_array_add(a->aud, json_object_new_string(optarg)); break;
		case 'n':
			if (!parse_nbf(optarg, a->now, &a->nbf))
				return cli_usage_error(usage, "--nbf wants a duration from now or "
						       "@SECONDS, not \"%s\"", optarg);
			a->has_nbf = true;
			break;
		case 'J': a->jti = optarg; break;
		case 'K': a->kid = optarg; break;
		case 'C': a->cnf_key = optarg; break;
		case 'c':
			if (!add_claim(a->extra, optarg))
				return cli_usage_error(usage, "--claim wants NAME=VALUE, not \"%s\"", optarg);
			break;
		case 'M':
			if (!mint_size_parse(optarg, &a->max_bytes))
				return cli_usage_error(usage, "--max-bytes wants a number of bytes from 1 "
						       "to 1048576, not \"%s\"", optarg);
			break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	if (a->key == NULL || a->sub == NULL)
		return cli_usage_error(usage, "--key and --sub are required");
	return -1;
}

/* 128 random bits, base64url. */
static json_object *random_jti(void)
{
	unsigned char raw[16];
	char text[JWT_B64URL_ENCODED_LEN(sizeof(raw)) + 1];

	gcry_randomize(raw, sizeof(raw), GCRY_STRONG_RANDOM);
	jwt_b64url_encode(raw, sizeof(raw), text);
	return json_object_new_string(text);
}

/* --cnf-key: {"jkt": the RFC 7638 thumbprint of the JWK in path}, or NULL (said why). */
static json_object *cnf_of(const char *path)
{
	char jkt[JWT_JWK_THUMBPRINT_LEN + 1];
	struct jwt_err err = { 0 };
	unsigned char *buf = NULL;
	json_object *jwk = NULL, *cnf = NULL;
	size_t len = 0;

	if (jwt_file_read(path, JWT_FILE_PROTECTED, JWT_JWK_FILE_MAX, &buf, &len, &err) != JWT_OK ||
	    jwt_json_parse_object((const char *)buf, len, path, &jwk, &err) != JWT_OK ||
	    jwt_jwk_thumbprint(jwk, jkt, &err) != JWT_OK) {
		cli_error("--cnf-key %s: %s", path, err.reason);
	} else {
		cnf = json_object_new_object();
		json_object_object_add(cnf, "jkt", json_object_new_string(jkt));
	}
	if (jwk != NULL)
		jwt_jwk_wipe_secrets(jwk);
	json_object_put(jwk);
	jwt_wipe_free(buf, len);
	return cnf;
}

static json_object *make_claims(const struct mint_args *a, json_object *cnf)
{
	json_object *claims = json_object_new_object();
	size_t naud = json_object_array_length(a->aud);

	json_object_object_add(claims, "sub", json_object_new_string(a->sub));
	if (a->iss != NULL)
		json_object_object_add(claims, "iss", json_object_new_string(a->iss));
	if (naud == 1)
		json_object_object_add(claims, "aud", json_object_get(json_object_array_get_idx(a->aud, 0)));
	else if (naud > 1)
		json_object_object_add(claims, "aud", json_object_get(a->aud));
	json_object_object_add(claims, "iat", json_object_new_int64(a->now));
	json_object_object_add(claims, "exp", json_object_new_int64(a->now + a->ttl));
	if (a->has_nbf)
		json_object_object_add(claims, "nbf", json_object_new_int64(a->nbf));
	if (a->jti != NULL)
		json_object_object_add(claims, "jti", strcmp(a->jti, "auto") == 0 ? random_jti()
					: json_object_new_string(a->jti));
	if (cnf != NULL)
		json_object_object_add(claims, "cnf", json_object_get(cnf));
	json_object_object_foreach(a->extra, name, val) {
		json_object_object_add(claims, name, json_object_get(val));
	}
	return claims;
}

/* Appends "." (unless first) and the base64url of len bytes to the token at *tok. */
static bool append_segment(char **tok, size_t *n, const void *data, size_t len)
{
	char *t = realloc(*tok, *n + 1 + JWT_B64URL_ENCODED_LEN(len) + 1);

	if (t == NULL)
		return false;
	if (*n > 0)
		t[(*n)++] = '.';
	jwt_b64url_encode(data, len, t + *n);
	*n += strlen(t + *n);
	*tok = t;
	return true;
}

static int sign_and_print(const struct mint_args *a, const struct jwt_key *key,
			  json_object *header, json_object *claims)
{
	const int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *h = json_object_to_json_string_ext(header, flags);
	const char *p = json_object_to_json_string_ext(claims, flags);
	struct jwt_err err = { 0 };
	unsigned char sig[JWT_SIG_MAX];
	size_t sig_len = 0, n = 0;
	char *tok = NULL;
	int ret = CLI_FAILED;

	if (!append_segment(&tok, &n, h, strlen(h)) || !append_segment(&tok, &n, p, strlen(p))) {
		cli_error("out of memory");
		goto out;
	}
	if (jwt_sig_sign(a->alg, key, tok, n, sig, &sig_len, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		goto out;
	}
	if (!append_segment(&tok, &n, sig, sig_len)) {
		cli_error("out of memory");
		goto out;
	}
	if (a->max_bytes > 0 && n > a->max_bytes) {
		mint_size_report(claims, JWT_B64URL_ENCODED_LEN(strlen(h)), JWT_B64URL_ENCODED_LEN(sig_len),
				 a->max_bytes);
		goto out;
	}
	puts(tok);
	ret = CLI_OK;
out:
	explicit_bzero(sig, sizeof(sig));
	jwt_wipe_free(tok, n);
	return ret;
}

int cli_mint(int argc, char **argv)
{
	struct mint_args a = { .now = (int64_t)time(NULL), .ttl = 300 };
	struct jwt_key key = { 0 };
	json_object *header = NULL, *claims = NULL, *cnf = NULL;
	struct jwt_err err = { 0 };
	int ret;

	a.aud = json_object_new_array();
	a.extra = json_object_new_object();
	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		goto out;
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		ret = CLI_FAILED;
		goto out;
	}
	if (jwt_key_load_signing(a.key, &key, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		ret = CLI_FAILED;
		goto out;
	}
	if (a.cnf_key != NULL && (cnf = cnf_of(a.cnf_key)) == NULL) {
		ret = CLI_FAILED;
		goto out;
	}
	if (!a.has_alg)
		a.alg = jwt_key_default_alg(&key);
	if (a.kid == NULL)
		a.kid = key.kid;
	header = json_object_new_object();
	json_object_object_add(header, "alg", json_object_new_string(jwt_alg_info(a.alg)->name));
	json_object_object_add(header, "typ", json_object_new_string("JWT"));
	if (a.kid != NULL)
		json_object_object_add(header, "kid", json_object_new_string(a.kid));
	claims = make_claims(&a, cnf);
	ret = sign_and_print(&a, &key, header, claims);
out:
	jwt_key_clear(&key);
	json_object_put(header);
	json_object_put(claims);
	json_object_put(cnf);
	json_object_put(a.aud);
	json_object_put(a.extra);
	return ret;
}
