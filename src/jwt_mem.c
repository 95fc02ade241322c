#include "config.h"

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
