#include "config.h"

#include <string.h>

#include "jwt_sig_pk.h"

/* L, the order of Ed25519's base point (RFC 8032 §5.1), little-endian. */
static const unsigned char order[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* S < L (RFC 8032 §5.1.7). libgcrypt 1.10 does not check it: S + L would verify too. */
static bool scalar_below_order(const unsigned char *s)
{
	for (int i = 31; i >= 0; i--)
		if (s[i] != order[i])
			return s[i] < order[i];
	return false;
}

/* PureEdDSA (RFC 8032 §5.1.6): the input itself is signed, hashed inside with SHA-512. */
static gcry_error_t eddsa_data(const void *input, size_t input_len, gcry_sexp_t *data)
{
	return gcry_sexp_build(data, NULL, "(data (flags eddsa) (hash-algo sha512) (value %b))",
			       (int)input_len, input);
}

enum jwt_status jwt_sig_verify_eddsa(enum jwt_alg alg, const struct jwt_key *key,
				     const void *input, size_t input_len,
				     const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	gcry_sexp_t s_sig = NULL, s_data = NULL;
	gcry_error_t ge;

	if (sig_len != info->sig_len)
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature has %zu bytes, expected %zu",
				info->name, sig_len, info->sig_len);
	if (!scalar_below_order(sig + 32))
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature: S is not below the group order",
				info->name);
	/* RFC 8032 §5.1.7: R is the first half, S the second. */
	ge = gcry_sexp_build(&s_sig, NULL, "(sig-val (eddsa (r %b) (s %b)))",
			     32, sig, 32, sig + 32);
	if (!ge)
		ge = eddsa_data(input, input_len, &s_data);
	return jwt_sig_pk_verify(alg, key, ge, s_sig, s_data, err);
}

/* R or S of a libgcrypt EdDSA signature: 32 bytes, little-endian as RFC 8032 encodes them. */
static bool put_half(gcry_sexp_t sig, const char *name, unsigned char *out)
{
	gcry_sexp_t tok = gcry_sexp_find_token(sig, name, 0);
	const char *p;
	size_t len = 0;
	bool ok;

	p = tok ? gcry_sexp_nth_data(tok, 1, &len) : NULL;
	ok = p != NULL && len == 32;
	if (ok)
		memcpy(out, p, 32);
	gcry_sexp_release(tok);
	return ok;
}

enum jwt_status jwt_sig_sign_eddsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   unsigned char *out, size_t *out_len, struct jwt_err *err)
{
	gcry_sexp_t s_data = NULL, s_sig;
	gcry_error_t ge;
	enum jwt_status rc;

	ge = eddsa_data(input, input_len, &s_data);
	rc = jwt_sig_pk_sign(alg, key, ge, s_data, &s_sig, err);
	if (rc != JWT_OK)
		return rc;
	if (!put_half(s_sig, "r", out) || !put_half(s_sig, "s", out + 32))
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt returned no EdDSA signature");
	*out_len = 64;
	gcry_sexp_release(s_sig);
	return rc;
}
