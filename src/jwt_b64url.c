#include "config.h"

#include <stdint.h>

#include "jwt_b64url.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#define XX 0xff
/* The value of each byte in the alphabet, or XX outside it: one lookup per character. */
static const unsigned char sextets[256] = {
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, 62, XX, XX,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, XX, XX, XX, XX, XX, XX,
	XX,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, XX, XX, XX, XX, 63,
	XX, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
	XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
};
#undef XX

bool jwt_b64url_decode(const char *in, size_t len, unsigned char *out, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t v;
	size_t i, n = 0;

	if (len % 4 == 1)
		return false;
	/* Whole groups of four characters give three bytes; 0xff anywhere marks a bad one. */
	for (i = 0; i + 4 <= len; i += 4) {
		unsigned a = sextets[s[i]], b = sextets[s[i + 1]], c = sextets[s[i + 2]],
			 d = sextets[s[i + 3]];

		if ((a | b | c | d) & 0x80)
			return false;
		v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
		out[n++] = (unsigned char)(v >> 16);
		out[n++] = (unsigned char)(v >> 8);
		out[n++] = (unsigned char)v;
	}
	/* Two or three characters left give one or two bytes. */
	if (len - i >= 2) {
		bool three = len - i == 3;
		unsigned a = sextets[s[i]], b = sextets[s[i + 1]], c = three ? sextets[s[i + 2]] : 0;

		if ((a | b | c) & 0x80)
			return false;
		v = (uint32_t)a << 12 | (uint32_t)b << 6 | c;
		/* Left-over bits must be zero: otherwise two strings would decode alike. */
		if (v & (three ? 0x3u : 0x3c0u))
			return false;
		out[n++] = (unsigned char)(v >> 10);
		if (three)
			out[n++] = (unsigned char)(v >> 2);
	}
	*outlen = n;
	return true;
}

void jwt_b64url_encode(const unsigned char *in, size_t len, char *out)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = alphabet[(acc >> bits) & 63];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[n++] = alphabet[(acc << (6 - bits)) & 63];
	out[n] = '\0';
}
