/*
 * Public-key points checked by pam_jwt itself, before libgcrypt's EC code
 * sees them: libgcrypt 1.10 aborts the process (log_bug "mulm_25519:
 * different sizes") on some Ed25519 points, the identity among them.
 */
#ifndef PAM_JWT_POINT_H
#define PAM_JWT_POINT_H

#include "jwt_alg.h"
#include "jwt_err.h"

/*
 * An EC public key on crv (P-256, P-384 or P-521) from its affine
 * coordinates x and y, big-endian, each as long as the field: both below the
 * field prime p, not x = y = 0 (how the point at infinity is written), and
 * on the curve (y^2 = x^3 - 3x + b mod p). These curves have prime order,
 * so every other point generates the whole group. JWT_E_KEY with the reason
 * otherwise.
 */
enum jwt_status jwt_point_check_ec(enum jwt_crv crv, const unsigned char *x,
				   const unsigned char *y, struct jwt_err *err);

/*
 * An Ed25519 public key, as RFC 8032 §5.1.2 encodes it (32 bytes): y below p
 * (RFC 8032 §5.1.3), not one of the 8 points of small order (the identity,
 * the point of order 2, those of order 4 and 8) in any encoding, a point of
 * the curve, and neither coordinate short enough for libgcrypt to abort on
 * it (below 2^(256 - the bits of one of its limbs), a chance of 2^-63 for a
 * random key). JWT_E_KEY with the reason otherwise.
 */
enum jwt_status jwt_point_check_ed25519(const unsigned char *q, struct jwt_err *err);

#endif
