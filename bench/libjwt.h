/*
 * The same tokens verified by libjwt. Its header defines names that pam_jwt's
 * own use too (enum jwt_alg, JWT_ALG_HS256), so this interface has plain types only.
 */
#ifndef PAM_JWT_BENCH_LIBJWT_H
#define PAM_JWT_BENCH_LIBJWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether libjwt knows the algorithm named alg (1.10 has no "EdDSA"). */
bool libjwt_knows(const char *alg);

/* jwt_decode() with the key (verifies the signature), then exp against now and sub. */
bool libjwt_verify(const char *token, const unsigned char *key, size_t key_len,
		   const char *user, int64_t now);

#endif
