/* pam-jwt, the command-line companion of pam_jwt.so: what the subcommands share. */
#ifndef PAM_JWT_CLI_H
#define PAM_JWT_CLI_H

#include <stdbool.h>

#include "jwt_alg.h"

/* Exit codes, as ssh-keygen and openssl use them. */
enum cli_exit {
	CLI_OK = 0,		/* done; for verify: the module would accept */
	CLI_FAILED = 1,		/* refused by verification, or the operation failed */
	CLI_USAGE = 2,		/* bad command line (or bad module arguments) */
};

int cli_keygen(int argc, char **argv);
int cli_mint(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_decode(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_askpass(int argc, char **argv);
int cli_proof(int argc, char **argv);
int cli_split(int argc, char **argv);
int cli_jwks_sync(int argc, char **argv);
int cli_login(int argc, char **argv);
int cli_revoke(int argc, char **argv);
int cli_sessions(int argc, char **argv);

/* "pam-jwt: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports a usage error with the subcommand's usage text and yields
 * CLI_USAGE. A macro (as jwt_fail() is), so that static analysers, which do
 * not follow calls into other files, see which status a usage error returns.
 */
void cli_usage_report(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define cli_usage_error(usage, ...) (cli_usage_report((usage), __VA_ARGS__), CLI_USAGE)

/* Looks name up in the algorithm table; reports the known names when it is not there. */
bool cli_alg_parse(const char *name, enum jwt_alg *alg);

#endif
