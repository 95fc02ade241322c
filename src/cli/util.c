/* What the subcommands share: error reports, and algorithms by name. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pam-jwt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("pam-jwt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return CLI_USAGE;
}

bool cli_alg_parse(const char *name, enum jwt_alg *alg)
{
	if (jwt_alg_from_name(name, strlen(name), alg))
		return true;
	fprintf(stderr, "pam-jwt: unknown algorithm \"%s\" (known:", name);
	for (int i = 0; i < JWT_ALG_COUNT; i++)
		fprintf(stderr, " %s", jwt_alg_info((enum jwt_alg)i)->name);
	fputs(")\n", stderr);
	return false;
}
