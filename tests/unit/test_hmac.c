/*
 * jwt_hmac(): RFC 4231 vectors (a short key, and a key longer than a block),
 * and agreement with libgcrypt's own HMAC (gcry_mac_*) for keys shorter than,
 * equal to and longer than a block, and messages of every length up to 300.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_hmac.h"
#include "jwt_sig.h"
#include "../lib/tap.h"

static const struct {
	int md, mac;
	const char *name, *tc1, *tc6;
} hashes[] = {
	{ GCRY_MD_SHA256, GCRY_MAC_HMAC_SHA256, "SHA-256",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ GCRY_MD_SHA384, GCRY_MAC_HMAC_SHA384, "SHA-384",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6",
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	  "0c2ef6ab4030fe8296248df163f44952" },
	{ GCRY_MD_SHA512, GCRY_MAC_HMAC_SHA512, "SHA-512",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
};

static bool hex_is(const unsigned char *bytes, size_t len, const char *hex)
{
	char buf[2 * JWT_HMAC_MAX + 1];

	for (size_t i = 0; i < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", bytes[i]);
	return strlen(hex) == 2 * len && memcmp(buf, hex, 2 * len) == 0;
}

static bool libgcrypt_hmac(int mac, const unsigned char *key, size_t key_len,
			   const unsigned char *data, size_t len, unsigned char *out, size_t *out_len)
{
	gcry_mac_hd_t h;
	bool good;

	*out_len = JWT_HMAC_MAX;
	if (gcry_mac_open(&h, mac, 0, NULL) != 0)
		return false;
	good = gcry_mac_setkey(h, key, key_len) == 0 && gcry_mac_write(h, data, len) == 0 &&
	     gcry_mac_read(h, out, out_len) == 0;
	gcry_mac_close(h);
	return good;
}

int main(void)
{
	static const size_t key_lens[] = { 1, 20, 32, 63, 64, 65, 127, 128, 129, 131, 300 };
	unsigned char key[300], data[300], got[JWT_HMAC_MAX], want[JWT_HMAC_MAX];
	size_t got_len, want_len;
	struct jwt_err err = { 0 };

	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	for (size_t h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		size_t differ = 0;

		memset(key, 0x0b, 20);
		ok(jwt_hmac(hashes[h].md, key, 20, "Hi There", 8, got, &got_len) &&
		   hex_is(got, got_len, hashes[h].tc1), "HMAC-%s: RFC 4231 test case 1", hashes[h].name);
		memset(key, 0xaa, 131);
		ok(jwt_hmac(hashes[h].md, key, 131,
			    "Test Using Larger Than Block-Size Key - Hash Key First", 54, got, &got_len) &&
		   hex_is(got, got_len, hashes[h].tc6),
		   "HMAC-%s: RFC 4231 test case 6 (a key longer than a block)", hashes[h].name);
		for (size_t k = 0; k < sizeof(key_lens) / sizeof(key_lens[0]); k++) {
			for (size_t i = 0; i < key_lens[k]; i++)
				key[i] = (unsigned char)(i * 7 + k + h);
			for (size_t len = 0; len <= sizeof(data); len++) {
				data[len ? len - 1 : 0] = (unsigned char)(len * 13);
				if (!jwt_hmac(hashes[h].md, key, key_lens[k], data, len, got, &got_len) ||
				    !libgcrypt_hmac(hashes[h].mac, key, key_lens[k], data, len, want,
						    &want_len) ||
				    got_len != want_len || memcmp(got, want, want_len) != 0)
					differ++;
			}
		}
		ok(differ == 0, "HMAC-%s: agrees with gcry_mac for keys of 1 to 300 bytes and "
		   "messages of 0 to 300 bytes", hashes[h].name);
	}
	ok(!jwt_hmac(GCRY_MD_MD5, key, 32, data, 10, got, &got_len),
	   "a digest other than SHA-256/384/512 is refused");
	return tap_done();
}
