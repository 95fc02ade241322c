#include "config.h"

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
	/* RFC 8032 §5.1.7: R is the first half, S the second; PureEdDSA over the input. */
	ge = gcry_sexp_build(&s_sig, NULL, "(sig-val (eddsa (r %b) (s %b)))",
			     32, sig, 32, sig + 32);
	if (!ge)
		ge = gcry_sexp_build(&s_data, NULL, "(data (flags eddsa) (hash-algo sha512) (value %b))",
				     (int)input_len, input);
	return jwt_sig_pk_verify(alg, key, ge, s_sig, s_data, err);
}
