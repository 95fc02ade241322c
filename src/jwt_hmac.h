/* HMAC (RFC 2104) with the SHA-2 hashes of HS256, HS384 and HS512. */
#ifndef PAM_JWT_HMAC_H
#define PAM_JWT_HMAC_H

#include <stdbool.h>
#include <stddef.h>

/* The longest HMAC output, in bytes (SHA-512). */
#define JWT_HMAC_MAX 64

/*
 * Computes HMAC with the libgcrypt digest md (GCRY_MD_SHA256, _SHA384 or
 * _SHA512; anything else fails) of len bytes at data under key into out
 * (JWT_HMAC_MAX bytes); *out_len is the digest length. Any key length goes:
 * the caller enforces the minimum.
 */
bool jwt_hmac(int md, const unsigned char *key, size_t key_len, const void *data, size_t len,
	      unsigned char *out, size_t *out_len);

#endif
