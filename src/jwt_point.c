/*
 * Point checks in plain modular arithmetic (gcry_mpi_*), which has no
 * curve-specific code paths: libgcrypt's EC code sees a key only after these.
 */
#include "config.h"

#include <string.h>
#include <gcrypt.h>

#include "jwt_point.h"

/* The field primes and the b of y^2 = x^3 - 3x + b (SEC 2 §2.4.2, §2.5.1, §2.6.1). */
static const struct nist {
	const char *p, *b;
} nist[] = {
	[JWT_CRV_P256] = {
		"FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
		"5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B" },
	[JWT_CRV_P384] = {
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
		"FFFFFFFF0000000000000000FFFFFFFF",
		"B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
		"C656398D8A2ED19D2A85C8EDD3EC2AEF" },
	[JWT_CRV_P521] = {
		"01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
		"0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
		"09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00" },
};

/* 2^255 - 19, and the y of the points of order 8 (the other one is p minus it). */
#define ED25519_P "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED"
#define ED25519_Y8 "05FC536D880238B13933C6D305ACDFD5F098EFF289F4C345B027B2C28F95E826"

static gcry_mpi_t hex(const char *s)
{
	gcry_mpi_t m = NULL;

	gcry_mpi_scan(&m, GCRYMPI_FMT_HEX, s, 0, NULL);
	return m;
}

static gcry_mpi_t bytes(const unsigned char *b, size_t len)
{
	gcry_mpi_t m = NULL;

	gcry_mpi_scan(&m, GCRYMPI_FMT_USG, b, len, NULL);
	return m;
}

static void release(gcry_mpi_t *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gcry_mpi_release(m[i]);
}

static bool all_set(const gcry_mpi_t *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i] == NULL)
			return false;
	return true;
}

enum jwt_status jwt_point_check_ec(enum jwt_crv crv, const unsigned char *x,
				   const unsigned char *y, struct jwt_err *err)
{
	const char *name = jwt_crv_name(crv);
	size_t len = jwt_crv_len(crv);
	gcry_mpi_t m[7] = { NULL };
	enum jwt_status rc = JWT_OK;
	enum { P, B, X, Y, L, R, T };

	if (jwt_crv_kty(crv) != JWT_KTY_EC)
		return jwt_fail(err, JWT_E_KEY, "not a curve of EC keys");
	m[P] = hex(nist[crv].p);
	m[B] = hex(nist[crv].b);
	m[X] = bytes(x, len);
	m[Y] = bytes(y, len);
	m[L] = gcry_mpi_new(0);
	m[R] = gcry_mpi_new(0);
	m[T] = gcry_mpi_new(0);
	if (!all_set(m, 7)) {
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt cannot read the %s key", name);
	} else if (gcry_mpi_cmp(m[X], m[P]) >= 0 || gcry_mpi_cmp(m[Y], m[P]) >= 0) {
		rc = jwt_fail(err, JWT_E_KEY, "the %s key has a coordinate not below the field "
			      "prime", name);
	} else if (gcry_mpi_cmp_ui(m[X], 0) == 0 && gcry_mpi_cmp_ui(m[Y], 0) == 0) {
		rc = jwt_fail(err, JWT_E_KEY, "the %s key is the point at infinity (x = y = 0)",
			      name);
	} else {
		gcry_mpi_mulm(m[L], m[Y], m[Y], m[P]);		/* y^2 */
		gcry_mpi_mulm(m[R], m[X], m[X], m[P]);
		gcry_mpi_mulm(m[R], m[R], m[X], m[P]);		/* x^3 */
		gcry_mpi_mul_ui(m[T], m[X], 3);
		gcry_mpi_subm(m[R], m[R], m[T], m[P]);		/* x^3 - 3x */
		gcry_mpi_addm(m[R], m[R], m[B], m[P]);		/* x^3 - 3x + b */
		if (gcry_mpi_cmp(m[L], m[R]) != 0)
			rc = jwt_fail(err, JWT_E_KEY, "the %s key is not a point on the curve", name);
	}
	release(m, 7);
	return rc;
}

/* Whether m is short enough for libgcrypt's Ed25519 arithmetic to abort on it. */
static bool short_for_libgcrypt(gcry_mpi_t m)
{
	return gcry_mpi_get_nbits(m) <= 256 - 8 * sizeof(unsigned long);
}

enum jwt_status jwt_point_check_ed25519(const unsigned char *q, struct jwt_err *err)
{
	unsigned char be[32];
	bool sign;
	gcry_mpi_t m[9] = { NULL };
	enum jwt_status rc = JWT_OK;
	enum { P, Y, Y8, D, U, V, E, W, X };

	/* Little-endian y, the sign of x in the top bit (RFC 8032 §5.1.2). */
	for (size_t i = 0; i < 32; i++)
		be[i] = q[31 - i];
	sign = be[0] >> 7;
	be[0] &= 0x7f;
	m[P] = hex(ED25519_P);
	m[Y] = bytes(be, 32);
	m[Y8] = hex(ED25519_Y8);
	for (size_t i = D; i < 9; i++)
		m[i] = gcry_mpi_new(0);
	if (!all_set(m, 9)) {
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt cannot read the Ed25519 key");
		goto out;
	}
	if (gcry_mpi_cmp(m[Y], m[P]) >= 0) {
		rc = jwt_fail(err, JWT_E_KEY, "the Ed25519 key is not canonical (y is not below p)");
		goto out;
	}
	/* The 8 points of small order have y = 1, -1, 0, or +-Y8; any x sign. */
	gcry_mpi_sub(m[U], m[P], m[Y8]);
	gcry_mpi_sub_ui(m[V], m[P], 1);
	if (gcry_mpi_cmp_ui(m[Y], 0) == 0 || gcry_mpi_cmp_ui(m[Y], 1) == 0 ||
	    gcry_mpi_cmp(m[Y], m[V]) == 0 || gcry_mpi_cmp(m[Y], m[Y8]) == 0 ||
	    gcry_mpi_cmp(m[Y], m[U]) == 0) {
		rc = jwt_fail(err, JWT_E_KEY, "the Ed25519 key is a point of small order");
		goto out;
	}
	/* d = -121665/121666; x^2 = (y^2 - 1) / (d y^2 + 1) (RFC 8032 §5.1.3). */
	gcry_mpi_set_ui(m[D], 121666);
	gcry_mpi_invm(m[D], m[D], m[P]);
	gcry_mpi_set_ui(m[E], 121665);
	gcry_mpi_mulm(m[D], m[D], m[E], m[P]);
	gcry_mpi_subm(m[D], m[P], m[D], m[P]);
	gcry_mpi_mulm(m[W], m[Y], m[Y], m[P]);
	gcry_mpi_sub_ui(m[U], m[W], 1);
	gcry_mpi_mulm(m[V], m[D], m[W], m[P]);
	gcry_mpi_add_ui(m[V], m[V], 1);
	gcry_mpi_invm(m[V], m[V], m[P]);
	gcry_mpi_mulm(m[W], m[U], m[V], m[P]);		/* x^2 */
	/* Euler's criterion: x^2 has a root when (x^2)^((p-1)/2) is 1. */
	gcry_mpi_sub_ui(m[E], m[P], 1);
	gcry_mpi_rshift(m[E], m[E], 1);
	gcry_mpi_powm(m[U], m[W], m[E], m[P]);
	if (gcry_mpi_cmp_ui(m[U], 1) != 0) {
		rc = jwt_fail(err, JWT_E_KEY, "the Ed25519 key is not a point on the curve");
		goto out;
	}
	/* x = (x^2)^((p+3)/8), times sqrt(-1) = 2^((p-1)/4) if that squares to -x^2. */
	gcry_mpi_add_ui(m[E], m[P], 3);
	gcry_mpi_rshift(m[E], m[E], 3);
	gcry_mpi_powm(m[X], m[W], m[E], m[P]);
	gcry_mpi_mulm(m[U], m[X], m[X], m[P]);
	if (gcry_mpi_cmp(m[U], m[W]) != 0) {
		gcry_mpi_sub_ui(m[E], m[P], 1);
		gcry_mpi_rshift(m[E], m[E], 2);
		gcry_mpi_set_ui(m[U], 2);
		gcry_mpi_powm(m[U], m[U], m[E], m[P]);
		gcry_mpi_mulm(m[X], m[X], m[U], m[P]);
	}
	if ((gcry_mpi_test_bit(m[X], 0) != 0) != sign)
		gcry_mpi_sub(m[X], m[P], m[X]);
	if (short_for_libgcrypt(m[X]) || short_for_libgcrypt(m[Y]))
		rc = jwt_fail(err, JWT_E_KEY, "the Ed25519 key has a coordinate below 2^%zu, which "
			      "libgcrypt cannot handle", 256 - 8 * sizeof(unsigned long));
out:
	release(m, 9);
	return rc;
}
