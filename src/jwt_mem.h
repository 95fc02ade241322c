/* Memory hygiene: what held a key, a token or a password is wiped before it is freed. */
#ifndef PAM_JWT_MEM_H
#define PAM_JWT_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Wipes n bytes at p and frees p (NULL is fine). */
void jwt_wipe_free(void *p, size_t n);

/*
 * Whether n bytes at a and b are equal, in time that depends on n alone:
 * differences are accumulated, never branched on.
 */
bool jwt_mem_equal(const void *a, const void *b, size_t n);

/* Whether two strings of known length are equal: the lengths, then jwt_mem_equal(). */
bool jwt_str_equal(const char *a, size_t a_len, const char *b, size_t b_len);

#endif
