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

void cli_usage_report(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("pam-jwt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
}

bool cli_alg_parse(const char *name, enum jwt_alg *alg)
{
	char known[JWT_ALG_NAMES_MAX];

	if (jwt_alg_from_name(name, strlen(name), alg))
		return true;
	jwt_alg_names(known, sizeof(known));
	cli_error("unknown algorithm \"%s\" (known: %s)", name, known);
	return false;
}
