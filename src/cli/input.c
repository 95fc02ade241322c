#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "jwt_mem.h"
#include "jwt_token.h"

/* Room for a token one byte over the limit, and a "\r" before the newline. */
#define INPUT_MAX (JWT_TOKEN_MAX + 3)

/* One line of f, as a PAM conversation reads the password. */
static size_t read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while (n < INPUT_MAX && (c = getc(f)) != EOF && c != '\n')
		buf[n++] = (char)c;
	return n;
}

bool cli_read_token(const char *arg, char **tok, size_t *len)
{
	return cli_read_token_from(arg, NULL, tok, len);
}

bool cli_read_token_from(const char *arg, const char *file, char **tok, size_t *len)
{
	char *buf = malloc(INPUT_MAX + 1);
	size_t n = 0;
	FILE *f = stdin;

	if (buf == NULL) {
		cli_error("out of memory");
		return false;
	}
	if (arg != NULL) {
		n = strnlen(arg, INPUT_MAX);
		memcpy(buf, arg, n);
	} else {
		if (file != NULL && strcmp(file, "-") != 0)
			f = fopen(file, "re");
		if (f == NULL) {
			cli_error("cannot open the token file %s: %s", file, strerror(errno));
			jwt_wipe_free(buf, INPUT_MAX + 1);
			return false;
		}
		n = read_line(f, buf);
		if (ferror(f)) {
			cli_error("cannot read the token from %s", f == stdin ? "standard input" : file);
			jwt_wipe_free(buf, INPUT_MAX + 1);
			if (f != stdin)
				(void)fclose(f);
			return false;
		}
		if (f != stdin)
			(void)fclose(f);
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*tok = buf;
	*len = n;
	return true;
}
