/* Public keys (RSA, EC, OKP) from their JWK members, checked and held as libgcrypt s-expressions. */
#ifndef PAM_JWT_PUBKEY_H
#define PAM_JWT_PUBKEY_H

#include <stddef.h>

#include "jwt_err.h"
#include "jwt_key.h"

/* RSA moduli shorter than this are refused; longer ones than the maximum too. */
#define JWT_RSA_MIN_BITS 2048
#define JWT_RSA_MAX_BITS 8192

/*
 * Makes key (zeroed by the caller) an RSA public key from n and e, unsigned
 * big-endian as in a JWK. n must have 2048 to 8192 bits; e must be odd,
 * greater than 1 and at most 8 bytes. JWT_E_KEY with the reason otherwise.
 */
enum jwt_status jwt_key_set_rsa(struct jwt_key *key, const unsigned char *n, size_t n_len,
				const unsigned char *e, size_t e_len, struct jwt_err *err);

/*
 * Makes key an EC public key on crv (P-256, P-384 or P-521) from its affine
 * coordinates, each as long as the field (RFC 7518 §6.2.1.2) or shorter by
 * leading zero bytes left out. The point must be on the curve.
 */
enum jwt_status jwt_key_set_ec(struct jwt_key *key, enum jwt_crv crv,
			       const unsigned char *x, size_t x_len,
			       const unsigned char *y, size_t y_len, struct jwt_err *err);

/* Makes key an OKP public key (Ed25519: 32 bytes, RFC 8037 §2) that decodes to a curve point. */
enum jwt_status jwt_key_set_okp(struct jwt_key *key, enum jwt_crv crv,
				const unsigned char *x, size_t x_len, struct jwt_err *err);

#endif
