#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_mem.h"

void jwt_wipe_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	explicit_bzero(p, n);
	free(p);
}

bool jwt_mem_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	volatile unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

bool jwt_str_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
	return a_len == b_len && jwt_mem_equal(a, b, a_len);
}
