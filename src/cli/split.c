/* pam-jwt split: a token cut into parts to paste at the module's prompts. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "input.h"
#include "jwt_mem.h"
#include "jwt_parts.h"
#include "jwt_token.h"
#include "split.h"

static const char usage[] =
	"usage: pam-jwt split [--size N] < TOKEN\n"
	"Reads a token on standard input and prints it in parts, one a line, each at\n"
	"most N bytes (default and most 500, least 16) with its \"k/M:\" prefix. Paste\n"
	"them in order at pam_jwt's prompts: \"Token: \", \"Token (part 2 of M): \", ...\n"
	"A token of N bytes or fewer is printed whole. At most 40 parts.\n";

void cli_part_print(FILE *f, const char *tok, size_t len, size_t body, unsigned k, unsigned m)
{
	size_t off = (size_t)(k - 1) * body;
	size_t n = len - off < body ? len - off : body;

	/* A write error shows in ferror(f), which main() checks for stdout. */
	fprintf(f, "%u/%u:", k, m);
	(void)fwrite(tok + off, 1, n, f);
	fputc('\n', f);
}

int cli_split(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long size = JWT_PART_SIZE_MAX;
	char *tok, *end;
	size_t len, body;
	unsigned m;
	int c;

	/* No stdio buffer keeps a copy of the token: only ours, which is wiped. */
	(void)setvbuf(stdout, NULL, _IONBF, 0);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			size = strtoul(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-' ||
			    size < JWT_PART_SIZE_MIN || size > JWT_PART_SIZE_MAX)
				return cli_usage_error(usage, "--size wants a number from %d to %d",
						       JWT_PART_SIZE_MIN, JWT_PART_SIZE_MAX);
			break;
		case 'h': fputs(usage, stdout); return CLI_OK;
		default: fputs(usage, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "the token is read on standard input only");
	if (!cli_read_token(NULL, &tok, &len))
		return CLI_FAILED;
	if (len == 0) {
		cli_error("no token on standard input");
		jwt_wipe_free(tok, len + 1);
		return CLI_FAILED;
	}
	if (len > JWT_TOKEN_MAX) {
		cli_error("the token is over %d bytes: pam_jwt refuses it whole or in parts",
			  JWT_TOKEN_MAX);
		jwt_wipe_free(tok, len + 1);
		return CLI_FAILED;
	}
	if (len <= size) {
		puts(tok);
	} else if (!jwt_parts_layout(len, size, &m, &body)) {
		cli_error("a %zu-byte token takes more than %d parts of %lu bytes", len,
			  JWT_PARTS_MAX, size);
		jwt_wipe_free(tok, len + 1);
		return CLI_FAILED;
	} else {
		for (unsigned k = 1; k <= m; k++)
			cli_part_print(stdout, tok, len, body, k, m);
	}
	jwt_wipe_free(tok, len + 1);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}
