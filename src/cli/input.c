#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "jwt_file.h"
#include "jwt_token.h"

/* Room for a token one byte over the limit, and a "\r" before the newline. */
#define INPUT_MAX (JWT_TOKEN_MAX + 3)

bool cli_read_token(const char *arg, char **tok, size_t *len)
{
	char *buf = malloc(INPUT_MAX + 1);
	size_t n = 0;

	if (buf == NULL) {
		cli_error("out of memory");
		return false;
	}
	if (arg != NULL) {
		n = strnlen(arg, INPUT_MAX);
		memcpy(buf, arg, n);
	} else {
		/* One line, as a PAM conversation reads the password. */
		int c;

		while (n < INPUT_MAX && (c = getchar()) != EOF && c != '\n')
			buf[n++] = (char)c;
		if (ferror(stdin)) {
			cli_error("cannot read the token from standard input");
			jwt_wipe_free(buf, INPUT_MAX + 1);
			return false;
		}
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
