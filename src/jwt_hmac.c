/*
 * HMAC over libgcrypt's one-shot hashing. gcry_mac_open() allocates and sets
 * up a handle (and a hash context for each pad) on every call, which cost as
 * much as the hashing itself: 0.47 µs against 0.29 µs for HS256 over a
 * 330-byte signing input. gcry_md_hash_buffers() hashes pad and message
 * without allocating. Checked against RFC 4231 and against gcry_mac_*() in
 * tests/unit/test_hmac.
 */
#include "config.h"

#include <string.h>
#include <gcrypt.h>

#include "jwt_hmac.h"

/* SHA-256 hashes 64-byte blocks, SHA-384 and SHA-512 128-byte ones. */
#define HMAC_BLOCK_MAX 128

static size_t block_size(int md)
{
	switch (md) {
	case GCRY_MD_SHA256:
		return 64;
	case GCRY_MD_SHA384:
	case GCRY_MD_SHA512:
		return 128;
	}
	return 0;
}

bool jwt_hmac(int md, const unsigned char *key, size_t key_len, const void *data, size_t len,
	      unsigned char *out, size_t *out_len)
{
	unsigned char ipad[HMAC_BLOCK_MAX], opad[HMAC_BLOCK_MAX], hashed_key[JWT_HMAC_MAX];
	unsigned char inner[JWT_HMAC_MAX];
	size_t block = block_size(md), dlen = gcry_md_get_algo_dlen(md);
	gcry_buffer_t iov[2] = { { 0 } };
	bool ok = false;

	if (block == 0 || dlen == 0 || dlen > JWT_HMAC_MAX)
		return false;
	/* RFC 2104 §2: a key longer than a block is replaced by its hash. */
	if (key_len > block) {
		gcry_md_hash_buffer(md, hashed_key, key, key_len);
		key = hashed_key;
		key_len = dlen;
	}
	memset(ipad, 0x36, block);
	memset(opad, 0x5c, block);
	for (size_t i = 0; i < key_len; i++) {
		ipad[i] ^= key[i];
		opad[i] ^= key[i];
	}
	/* H(K ^ opad, H(K ^ ipad, data)) */
	iov[0].len = block;
	iov[0].data = ipad;
	iov[1].len = len;
	iov[1].data = (void *)data;
	if (gcry_md_hash_buffers(md, 0, inner, iov, 2) == 0) {
		iov[0].data = opad;
		iov[1].len = dlen;
		iov[1].data = inner;
		ok = gcry_md_hash_buffers(md, 0, out, iov, 2) == 0;
	}
	*out_len = dlen;
	explicit_bzero(ipad, sizeof(ipad));
	explicit_bzero(opad, sizeof(opad));
	explicit_bzero(hashed_key, sizeof(hashed_key));
	explicit_bzero(inner, sizeof(inner));
	return ok;
}
