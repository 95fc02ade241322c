/* Strict base64url (RFC 4648 §5) without padding, as JWS compact form requires. */
#ifndef PAM_JWT_B64URL_H
#define PAM_JWT_B64URL_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes needed to decode / encode len input bytes (decode: an upper bound). */
#define JWT_B64URL_DECODED_MAX(len) (((len) / 4) * 3 + 2)
#define JWT_B64URL_ENCODED_LEN(len) (((len) / 3) * 4 + ((len) % 3 ? (len) % 3 + 1 : 0))

/*
 * Decodes len characters of in into out (at least JWT_B64URL_DECODED_MAX(len) bytes).
 * Refuses padding, whitespace, any character outside the alphabet, a length of
 * 1 mod 4, and non-zero trailing bits (so every byte string has one encoding).
 */
bool jwt_b64url_decode(const char *in, size_t len, unsigned char *out, size_t *outlen);

/* Encodes len bytes into out (JWT_B64URL_ENCODED_LEN(len) + 1 bytes, NUL-terminated). */
void jwt_b64url_encode(const unsigned char *in, size_t len, char *out);

#endif
