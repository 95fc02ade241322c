#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_point.h"
#include "jwt_pubkey.h"

/* A libgcrypt failure: out of memory, or another system error, never the key's fault. */
static enum jwt_status gcry_failure(gcry_error_t ge, const char *what, const char *name,
				    struct jwt_err *err)
{
	if (gcry_err_code(ge) == GPG_ERR_ENOMEM)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory %s the %s key", what, name);
	return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt failed %s the %s key: %s", what, name,
			gcry_strerror(ge));
}

enum jwt_status jwt_key_set_rsa(struct jwt_key *key, const unsigned char *n, size_t n_len,
				const unsigned char *e, size_t e_len, struct jwt_err *err)
{
	size_t bits;
	gcry_error_t ge;

	/* RFC 7518 §6.3.1.1 asks for no leading zeros; some issuers add one anyway. */
	while (n_len > 0 && n[0] == 0) {
		n++;
		n_len--;
	}
	while (e_len > 0 && e[0] == 0) {
		e++;
		e_len--;
	}
	bits = n_len * 8;
	for (unsigned char top = n_len ? n[0] : 0; top != 0 && !(top & 0x80); top <<= 1)
		bits--;
	if (n_len == 0 || bits < JWT_RSA_MIN_BITS || bits > JWT_RSA_MAX_BITS)
		return jwt_fail(err, JWT_E_KEY, "the RSA key has %zu bits; pam_jwt accepts %d to %d",
				n_len ? bits : 0, JWT_RSA_MIN_BITS, JWT_RSA_MAX_BITS);
	if (e_len == 0 || e_len > 8 || !(e[e_len - 1] & 1) || (e_len == 1 && e[0] == 1))
		return jwt_fail(err, JWT_E_KEY, "the RSA key's exponent is not an odd number "
				"from 3 to 2^64-1");
	ge = gcry_sexp_build(&key->pub, NULL, "(public-key (rsa (n %b) (e %b)))",
			     (int)n_len, n, (int)e_len, e);
	if (ge)
		return gcry_failure(ge, "holding", "RSA", err);
	key->kty = JWT_KTY_RSA;
	key->modulus_len = n_len;
	return JWT_OK;
}

/*
 * libgcrypt's own view: whether the key's point q decodes and lies on its
 * curve. Only points that passed jwt_point.c's checks come here.
 */
static enum jwt_status point_on_curve(gcry_sexp_t pub, enum jwt_crv crv, struct jwt_err *err)
{
	gcry_ctx_t ctx;
	gcry_mpi_point_t q;
	gcry_error_t ge;
	enum jwt_status rc = JWT_OK;

	ge = gcry_mpi_ec_new(&ctx, pub, NULL);
	if (ge)
		return gcry_failure(ge, "checking", jwt_crv_name(crv), err);
	q = gcry_mpi_ec_get_point("q", ctx, 1);
	if (q == NULL)
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt returned no point for the %s key",
			      jwt_crv_name(crv));
	else if (!gcry_mpi_ec_curve_point(q, ctx))
		rc = jwt_fail(err, JWT_E_KEY, "libgcrypt finds the %s key off the curve",
			      jwt_crv_name(crv));
	gcry_mpi_point_release(q);
	gcry_ctx_release(ctx);
	return rc;
}

/* Builds key->pub from q (encoded as libgcrypt expects for the curve) and checks the point. */
static enum jwt_status set_curve_key(struct jwt_key *key, enum jwt_crv crv, const char *fmt,
				     const unsigned char *q, size_t q_len, struct jwt_err *err)
{
	gcry_error_t ge;
	enum jwt_status rc;

	ge = gcry_sexp_build(&key->pub, NULL, fmt, jwt_crv_gcry_name(crv), (int)q_len, q);
	if (ge)
		return gcry_failure(ge, "holding", jwt_crv_name(crv), err);
	rc = point_on_curve(key->pub, crv, err);
	if (rc != JWT_OK) {
		gcry_sexp_release(key->pub);
		key->pub = NULL;
		return rc;
	}
	key->kty = jwt_crv_kty(crv);
	key->crv = crv;
	return JWT_OK;
}

enum jwt_status jwt_key_set_ec(struct jwt_key *key, enum jwt_crv crv,
			       const unsigned char *x, size_t x_len,
			       const unsigned char *y, size_t y_len, struct jwt_err *err)
{
	unsigned char q[1 + 2 * 66];
	size_t len;
	enum jwt_status rc;

	if (crv == JWT_CRV_NONE || jwt_crv_kty(crv) != JWT_KTY_EC)
		return jwt_fail(err, JWT_E_KEY, "not a curve of EC keys");
	len = jwt_crv_len(crv);
	/*
	 * RFC 7518 §6.2.1.2 wants the full length, but some issuers drop leading
	 * zero bytes (PyJWT before 2.8 does for one P-521 key in two): pad those.
	 */
	if (x_len == 0 || y_len == 0 || x_len > len || y_len > len)
		return jwt_fail(err, JWT_E_KEY, "%s coordinates must have %zu bytes each",
				jwt_crv_name(crv), len);
	/* SEC 1 uncompressed point: 0x04 || x || y. */
	memset(q, 0, sizeof(q));
	q[0] = 0x04;
	memcpy(q + 1 + len - x_len, x, x_len);
	memcpy(q + 1 + 2 * len - y_len, y, y_len);
	rc = jwt_point_check_ec(crv, q + 1, q + 1 + len, err);
	if (rc != JWT_OK)
		return rc;
	return set_curve_key(key, crv, "(public-key (ecc (curve %s) (q %b)))", q, 1 + 2 * len, err);
}

enum jwt_status jwt_key_set_okp(struct jwt_key *key, enum jwt_crv crv,
				const unsigned char *x, size_t x_len, struct jwt_err *err)
{
	enum jwt_status rc;

	if (crv == JWT_CRV_NONE || jwt_crv_kty(crv) != JWT_KTY_OKP)
		return jwt_fail(err, JWT_E_KEY, "not a curve of OKP keys");
	if (x_len != jwt_crv_len(crv))
		return jwt_fail(err, JWT_E_KEY, "an %s key must have %zu bytes",
				jwt_crv_name(crv), jwt_crv_len(crv));
	rc = jwt_point_check_ed25519(x, err);
	if (rc != JWT_OK)
		return rc;
	return set_curve_key(key, crv, "(public-key (ecc (curve %s) (flags eddsa) (q %b)))",
			     x, x_len, err);
}
