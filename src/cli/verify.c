/*
 * pam-jwt verify: runs jwt_verify(), the module's own verification, with the
 * module's own argument parser, and shows each check as it is decided.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"
#include "jwt_config.h"
#include "jwt_file.h"
#include "jwt_verify.h"
#include "output.h"
#include "view.h"

static const char usage[] =
	"usage: pam-jwt verify [--key PATH] [--jwks SET] [--user NAME] [--signature-only]\n"
	"                      [--json] [MODULE-ARGUMENT...] [TOKEN]\n"
	"Runs pam_jwt.so's checks on TOKEN (or the token on standard input) and explains\n"
	"the verdict. MODULE-ARGUMENTs are the pam.d line's words (secret_file=,\n"
	"jwks_file=, algorithms=, issuer=, audience=, leeway=, max_lifetime=, user_claim=,\n"
	"user_map=, ...); an argument with a dot and no '=' is the token.\n"
	"  --key PATH        the key file, the same as secret_file=PATH\n"
	"  --jwks SET        a JWK Set of public keys (RS*, PS*, ES*, EdDSA) or secrets,\n"
	"                    the same as jwks_file=SET\n"
	"  --user NAME       the user logging in (PAM_USER); the token must be for NAME\n"
	"  --signature-only  check only structure, header and signature (any payload)\n"
	"  --json            print one JSON object instead of text\n"
	"Exit status: 0 the module would accept, 1 it would refuse, 2 usage error\n"
	"(including module arguments the module would refuse as a configuration error).\n";

struct report {
	bool json;
	json_object *checks;	/* JSON mode: the steps so far */
};

/* The jwt_trace callback: each step as the core decides it. */
static void step(void *ctx, const char *check, bool ok, const char *detail)
{
	struct report *r = ctx;
	json_object *o;

	if (!r->json) {
		printf("  %s %s: %s\n", out_mark(ok), check, detail);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "check", json_object_new_string(check));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "detail", json_object_new_string(detail));
	json_object_array_add(r->checks, o);
}

struct verify_args {
	const char **words;	/* module arguments, for jwt_config_parse() */
	int nwords;
	char *key_word;		/* "secret_file=PATH" from --key */
	char *jwks_word;	/* "jwks_file=SET" from --jwks */
	const char *token;
	const char *user;
	bool signature_only, json;
};

/* Returns an exit code when done (--help, usage error), -1 to go on. */
static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "jwks", required_argument, NULL, 'J' },
		{ "user", required_argument, NULL, 'u' },
		{ "signature-only", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL, *jwks = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "hk:u:", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (key != NULL)
				return cli_usage_error(usage, "--key is given twice");
			key = optarg;
			break;
		case 'J':
			if (jwks != NULL)
				return cli_usage_error(usage, "--jwks is given twice");
			jwks = optarg;
			break;
		case 'u': a->user = optarg; break;
		case 's': a->signature_only = true; break;
		case 'j': a->json = true; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	a->words = calloc((size_t)(argc - optind + 2), sizeof(*a->words));
	if (a->words == NULL || (key != NULL && asprintf(&a->key_word, "secret_file=%s", key) < 0) ||
	    (jwks != NULL && asprintf(&a->jwks_word, "jwks_file=%s", jwks) < 0)) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	if (a->key_word != NULL)
		a->words[a->nwords++] = a->key_word;
	if (a->jwks_word != NULL)
		a->words[a->nwords++] = a->jwks_word;
	for (int i = optind; i < argc; i++) {
		if (strchr(argv[i], '.') != NULL && strchr(argv[i], '=') == NULL) {
			if (a->token != NULL)
				return cli_usage_error(usage, "more than one token given");
			a->token = argv[i];
		} else {
			a->words[a->nwords++] = argv[i];
		}
	}
	return -1;
}

static void print_verdict(const struct verify_args *a, enum jwt_status rc, const char *user,
			  const struct jwt_err *err, json_object *out)
{
	if (out != NULL) {
		json_object_object_add(out, "accepted", json_object_new_boolean(rc == JWT_OK));
		json_object_object_add(out, "status", json_object_new_string(jwt_status_name(rc)));
		json_object_object_add(out, "reason", rc == JWT_OK ? NULL :
				       json_object_new_string(err->reason));
		if (!a->signature_only)
			json_object_object_add(out, "user", user ? json_object_new_string(user) : NULL);
		return;
	}
	if (rc != JWT_OK)
		printf("%s refused (%s): %s\n", out_mark(false), jwt_status_name(rc), err->reason);
	else if (a->signature_only)
		printf("%s signature verified (claims and user not checked)\n", out_mark(true));
	else
		printf("%s accepted for user %s\n", out_mark(true), user);
}

int cli_verify(int argc, char **argv)
{
	struct verify_args a = { 0 };
	struct report r = { 0 };
	struct jwt_trace trace = { step, &r };
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	json_object *out = NULL;
	struct view v;
	char *tok = NULL, *user = NULL;
	size_t len = 0;
	enum jwt_status rc;
	int ret = parse_args(argc, argv, &a);

	if (ret >= 0)
		goto done;
	if (jwt_config_parse(&cfg, a.nwords, a.words, &err) != JWT_OK) {
		cli_error("module arguments: %s", err.reason);
		ret = CLI_USAGE;
		goto done;
	}
	/* Never use up a one-time token: report what the store holds. */
	cfg.replay_peek = true;
	if (!cli_read_token(a.token, &tok, &len)) {
		ret = CLI_FAILED;
		goto done;
	}
	r.json = a.json;
	view_decode(&v, tok, len);
	if (a.json) {
		out = json_object_new_object();
		json_object_object_add(out, "token", out_view_json(&v));
		r.checks = json_object_new_array();
		json_object_object_add(out, "checks", r.checks);
	} else {
		puts("Token (decoded, trusted only if every check passes):");
		out_view_text(stdout, &v);
		puts("Checks:");
	}
	view_free(&v);
	if (a.signature_only)
		rc = jwt_verify_jws(&cfg, tok, len, &trace, &err);
	else
		rc = jwt_verify(&cfg, tok, len, (int64_t)time(NULL), a.user, &trace, &user, &err);
	print_verdict(&a, rc, user, &err, out);
	if (out != NULL)
		out_json_print(out);
	ret = rc == JWT_OK ? CLI_OK : CLI_FAILED;
done:
	free(user);
	jwt_wipe_free(tok, tok ? len + 1 : 0);
	free(a.key_word);
	free(a.jwks_word);
	free(a.words);
	return ret;
}
