/* Memory hygiene: what held a key, a token or a password is wiped before it is freed. */
#ifndef PAM_JWT_MEM_H
#define PAM_JWT_MEM_H

#include <stddef.h>

/* Wipes n bytes at p and frees p (NULL is fine). */
void jwt_wipe_free(void *p, size_t n);

#endif
