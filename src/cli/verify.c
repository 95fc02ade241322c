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
#include "jwt_mem.h"
#include "jwt_pop.h"
#include "jwt_verify.h"
#include "output.h"
#include "view.h"

static const char usage[] =
	"usage: pam-jwt verify [--key PATH] [--jwks SET] [--user NAME] [--signature-only]\n"
	"                      [--service NAME] [--host NAME]\n"
	"                      [--proof-file FILE --nonce NONCE [--htu URI]]\n"
	"                      [--json] [--token-file FILE] [MODULE-ARGUMENT...] < TOKEN\n"
	"Runs pam_jwt.so's checks on the token on standard input (its first line), or\n"
	"in FILE, and explains the verdict. MODULE-ARGUMENTs are the pam.d line's words\n"
	"(secret_file=, jwks_file=, algorithms=, issuer=, audience=, leeway=,\n"
	"max_lifetime=, max_expiry=, max_auth_age=, acr=, user_claim=, user_map=, ...),\n"
	"pasted with or without the line's type, control and module path (auth\n"
	"required pam_jwt.so).\n"
	"A token is never taken from the command line, where other users see it (ps).\n"
	"  --key PATH        the key file, the same as secret_file=PATH\n"
	"  --jwks SET        a JWK Set of public keys (RS*, PS*, ES*, EdDSA) or secrets,\n"
	"                    the same as jwks_file=SET\n"
	"  --user NAME       the user logging in (PAM_USER); the token must be for NAME\n"
	"  --token-file FILE read the token from the first line of FILE (- : stdin)\n"
	"  --service NAME    the PAM service, for %s in issuer= and audience=\n"
	"  --host NAME       the host name for %h (default: this host's, gethostname)\n"
	"  --proof-file FILE a DPoP proof for a bound token (cnf): its first line\n"
	"  --nonce NONCE     the nonce the proof answers (the module's prompt shows it)\n"
	"  --htu URI         the proof's htu (default: pam://HOST/SERVICE, from --host\n"
	"                    and --service); a bound token without a proof is refused\n"
	"  --signature-only  check only structure, header and signature (any payload)\n"
	"  --json            print one JSON object instead of text\n"
	"Exit status: 0 the module would accept, 1 it would refuse, 2 usage error\n"
	"(including module arguments the module would refuse as a configuration error).\n";

/*
 * Whether a word looks like a token: base64url and dots only, with at least
 * two dots (a JWS's three segments), or starting as a JSON header does
 * ("eyJ"). A module path such as pam_jwt.so does not.
 */
static bool looks_like_token(const char *w)
{
	size_t dots = 0;

	for (const char *p = w; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	}
	return dots >= 2 || strncmp(w, "eyJ", 3) == 0;
}

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
	const char *token_file;
	const char *user;
	const char *service, *host;
	const char *proof_file, *nonce, *htu;
	bool signature_only, json;
};

/* pam_jwt.so as a pam.d line names it: the bare name, or an absolute path. */
static bool is_module_path(const char *w)
{
	static const char name[] = "pam_jwt.so";
	size_t n = strlen(w), m = sizeof(name) - 1;

	return strcmp(w, name) == 0 ||
	       (w[0] == '/' && n > m && w[n - m - 1] == '/' && strcmp(w + n - m, name) == 0);
}

static bool is_control(const char *w)
{
	return strcmp(w, "required") == 0 || strcmp(w, "requisite") == 0 ||
	       strcmp(w, "sufficient") == 0 || strcmp(w, "optional") == 0;
}

/*
 * A pam.d line pasted whole: "[auth CONTROL] pam_jwt.so ARG...", where the
 * shell may have split a bracketed CONTROL ("[success=2 default=ignore]")
 * into several words. Returns how many words from argv[first] are the line's
 * type, control and module path, 0 when the words do not start with them.
 */
static int pam_line_prefix(int argc, char **argv, int first)
{
	int i = first;

	if (i < argc && is_module_path(argv[i]))
		return 1;
	if (i >= argc || (strcmp(argv[i], "auth") != 0 && strcmp(argv[i], "-auth") != 0))
		return 0;
	if (++i >= argc)
		return 0;
	if (argv[i][0] == '[') {
		while (i < argc && (argv[i][0] == '\0' || argv[i][strlen(argv[i]) - 1] != ']'))
			i++;
		i++;
	} else if (is_control(argv[i])) {
		i++;
	} else {
		return 0;
	}
	return i < argc && is_module_path(argv[i]) ? i + 1 - first : 0;
}

/* Returns an exit code when done (--help, usage error), -1 to go on. */
static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "jwks", required_argument, NULL, 'J' },
		{ "user", required_argument, NULL, 'u' },
		{ "token-file", required_argument, NULL, 'T' },
		{ "service", required_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'H' },
		{ "proof-file", required_argument, NULL, 'P' },
		{ "nonce", required_argument, NULL, 'N' },
		{ "htu", required_argument, NULL, 'U' },
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
		case 'T':
			if (a->token_file != NULL)
				return cli_usage_error(usage, "--token-file is given twice");
			a->token_file = optarg;
			break;
		case 'S': a->service = optarg; break;
		case 'H': a->host = optarg; break;
		case 'P': a->proof_file = optarg; break;
		case 'N': a->nonce = optarg; break;
		case 'U': a->htu = optarg; break;
		case 's': a->signature_only = true; break;
		case 'j': a->json = true; break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if ((a->nonce != NULL || a->htu != NULL) && a->proof_file == NULL)
		return cli_usage_error(usage, "--nonce and --htu go with --proof-file");
	if (a->proof_file != NULL && a->nonce == NULL)
		return cli_usage_error(usage, "--proof-file needs --nonce, the nonce the proof "
				       "answers");
	if (a->proof_file != NULL && a->htu == NULL && a->service == NULL)
		return cli_usage_error(usage, "--proof-file needs --htu URI, or --service NAME "
				       "for pam://HOST/SERVICE");
	a->words = calloc((size_t)(argc - optind) + 2, sizeof(*a->words));
	if (a->words == NULL || (key != NULL && asprintf(&a->key_word, "secret_file=%s", key) < 0) ||
	    (jwks != NULL && asprintf(&a->jwks_word, "jwks_file=%s", jwks) < 0)) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	if (a->key_word != NULL)
		a->words[a->nwords++] = a->key_word;
	if (a->jwks_word != NULL)
		a->words[a->nwords++] = a->jwks_word;
	for (int i = optind + pam_line_prefix(argc, argv, optind); i < argc; i++) {
		if (looks_like_token(argv[i]))
			return cli_usage_error(usage, "a token on the command line is visible to "
					       "other users (ps): pass it on standard input "
					       "(pam-jwt verify ... < FILE) or with --token-file FILE");
		a->words[a->nwords++] = argv[i];
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

/* The proof source of --proof-file: the file's first line. */
static enum jwt_status proof_from_file(void *ctx, const struct jwt_pop_challenge *ch,
				       char **proof, size_t *len, struct jwt_err *err)
{
	(void)ch;
	if (!cli_read_token_from(NULL, ctx, proof, len))
		return jwt_fail(err, JWT_E_PROOF, "cannot read the DPoP proof file");
	return JWT_OK;
}

/* The challenge the proof answers: --nonce, and --htu or pam://HOST/SERVICE. */
static bool make_challenge(const struct verify_args *a, const struct jwt_config *cfg,
			   struct jwt_pop_challenge *ch)
{
	struct jwt_err err = { 0 };

	if (a->htu == NULL && jwt_pop_challenge_new(cfg, ch, &err) != JWT_OK) {
		cli_error("the proof's htu: %s", err.reason);
		return false;
	}
	if ((a->htu != NULL && snprintf(ch->htu, sizeof(ch->htu), "%s", a->htu) >=
	     (int)sizeof(ch->htu)) ||
	    snprintf(ch->nonce, sizeof(ch->nonce), "%s", a->nonce) >= (int)sizeof(ch->nonce) ||
	    strlen(a->nonce) < JWT_POP_NONCE_LEN) {
		cli_error("--htu or --nonce has the wrong length (a nonce has %d to %d "
			  "characters)", JWT_POP_NONCE_LEN, JWT_POP_NONCE_MAX);
		return false;
	}
	return true;
}

int cli_verify(int argc, char **argv)
{
	struct jwt_pop_challenge challenge = { { 0 }, { 0 } };
	struct jwt_pop_source pop = { .challenge = &challenge, .ask = proof_from_file };
	struct verify_args a = { 0 };
	struct report r = { 0 };
	struct jwt_trace trace = { .step = step, .ctx = &r };
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
	cfg.service = a.service;
	cfg.host = a.host;
	/* Never use up a one-time token: report what the store holds. */
	cfg.replay_peek = true;
	pop.ctx = (void *)a.proof_file;
	if (a.proof_file != NULL && !make_challenge(&a, &cfg, &challenge)) {
		ret = CLI_USAGE;
		goto done;
	}
	if (!cli_read_token_from(NULL, a.token_file, &tok, &len)) {
		ret = CLI_FAILED;
		goto done;
	}
	/* cppcheck-suppress unreadVariable ; step() reads it through trace.ctx */
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
		rc = jwt_verify(&cfg, tok, len, (int64_t)time(NULL), a.user, &trace,
				a.proof_file != NULL ? &pop : NULL, &user, &err);
	print_verdict(&a, rc, user, &err, out);
	if (out != NULL)
		out_json_print(out);
	ret = rc == JWT_OK ? CLI_OK : CLI_FAILED;
done:
	jwt_pop_challenge_clear(&challenge);
	free(user);
	jwt_wipe_free(tok, tok ? len + 1 : 0);
	free(a.key_word);
	free(a.jwks_word);
	free(a.words);
	return ret;
}
