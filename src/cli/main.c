/*
 * pam-jwt: make keys, mint test tokens, and explain why pam_jwt.so accepts or
 * refuses a token. Every check runs in the module's own token core.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "keygen", cli_keygen, "write a fresh HMAC key, or a key pair (RS*, PS*, ES*, EdDSA)" },
	{ "mint", cli_mint, "print a signed token" },
	{ "verify", cli_verify, "run the module's checks on a token and explain the verdict" },
	{ "decode", cli_decode, "print a token's header and claims without verifying" },
	{ "check", cli_check, "report what pam_jwt.so would do with each pam.d line" },
	{ "askpass", cli_askpass, "answer pam_jwt's prompts for ssh and sudo -A (SSH_ASKPASS)" },
	{ "proof", cli_proof, "print a DPoP proof for a bound token's challenge" },
	{ "split", cli_split, "print a token in parts to paste at pam_jwt's prompts" },
	{ "jwks-sync", cli_jwks_sync, "fetch an OpenID Connect provider's keys for jwks_file=" },
	{ "login", cli_login, "get a token from an OpenID Connect provider (device flow)" },
	{ "revoke", cli_revoke, "revoke tokens (revoked_file=), or list what is revoked" },
	{ "sessions", cli_sessions, "list the sessions bound to their token; --reap ends the expired and revoked" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fputs("usage: pam-jwt COMMAND [OPTIONS]   (pam-jwt COMMAND --help for each)\n\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\nExit status: 0 success, 1 refused or failed, 2 usage error.\n", f);
}

/*
 * pam-jwt owns its process (unlike the module): once done, libgcrypt may
 * release its entropy gatherer, whose buffer leak checkers would otherwise
 * report at exit.
 */
static void crypto_done(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		gcry_control(GCRYCTL_CLOSE_RANDOM_DEVICE, 0);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int run(int argc, char **argv)
{
	static char name[64];
	int ret;

	/* ssh and sudo run their askpass helper by path, with the prompt alone. */
	if (strcmp(base_name(argv[0]), "pam-jwt-askpass") == 0) {
		argv[0] = (char *)"pam-jwt askpass";
		return cli_askpass(argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("pam-jwt (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* getopt names the subcommand in its messages: "pam-jwt mint: ..." */
		(void)snprintf(name, sizeof(name), "pam-jwt %s", commands[i].name);
		argv[1] = name;
		ret = commands[i].run(argc - 1, argv + 1);
		crypto_done();
		return ret;
	}
	cli_error("unknown command \"%s\"", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}

/*
 * The reports go to stdout through stdio, whose write errors (a full disk, a
 * closed pipe) show only when it is flushed: checked here, once for every
 * command, as coreutils' close_stdout does. A command that succeeded then
 * fails (exit 1).
 */
static int output_written(int ret)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output: %s", errno ? strerror(errno) : "write error");
		return ret == CLI_OK ? CLI_FAILED : ret;
	}
	if (ferror(stderr))
		return ret == CLI_OK ? CLI_FAILED : ret;
	return ret;
}

int main(int argc, char **argv)
{
	return output_written(run(argc, argv));
}
