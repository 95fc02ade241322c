#include "config.h"

#include "jwt_sig_pk.h"

/* Whether 0 < v < the curve order (libgcrypt checks it too; JWS asks it of every verifier). */
static bool in_range(const unsigned char *v, size_t len, gcry_mpi_t order)
{
	gcry_mpi_t m = NULL;
	bool ok;

	if (gcry_mpi_scan(&m, GCRYMPI_FMT_USG, v, len, NULL))
		return false;
	ok = gcry_mpi_cmp_ui(m, 0) > 0 && gcry_mpi_cmp(m, order) < 0;
	gcry_mpi_release(m);
	return ok;
}

enum jwt_status jwt_sig_verify_ecdsa(enum jwt_alg alg, const struct jwt_key *key,
				     const void *input, size_t input_len,
				     const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	size_t half = info->sig_len / 2, dlen;
	unsigned char digest[64];
	gcry_sexp_t s_sig = NULL, s_data = NULL;
	gcry_ctx_t ctx;
	gcry_mpi_t order;
	gcry_error_t ge;
	bool ok;

	/* RFC 7518 §3.4: R||S of fixed length; a DER SEQUENCE never has this length. */
	if (sig_len != info->sig_len)
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature has %zu bytes, expected %zu "
				"(raw R||S)", info->name, sig_len, info->sig_len);
	if (gcry_mpi_ec_new(&ctx, key->pub, NULL))
		return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt cannot read the EC key");
	order = gcry_mpi_ec_get_mpi("n", ctx, 1);
	ok = order != NULL && in_range(sig, half, order) && in_range(sig + half, half, order);
	gcry_mpi_release(order);
	gcry_ctx_release(ctx);
	if (!ok)
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature: R or S is 0 or not below the "
				"curve order", info->name);
	dlen = jwt_sig_digest(alg, input, input_len, digest);
	ge = gcry_sexp_build(&s_sig, NULL, "(sig-val (ecdsa (r %b) (s %b)))",
			     (int)half, sig, (int)half, sig + half);
	if (!ge)
		ge = gcry_sexp_build(&s_data, NULL, "(data (flags raw) (value %b))",
				     (int)dlen, digest);
	return jwt_sig_pk_verify(alg, key, ge, s_sig, s_data, err);
}

enum jwt_status jwt_sig_sign_ecdsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   unsigned char *out, size_t *out_len, struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	size_t half = info->sig_len / 2;
	unsigned char digest[64];
	size_t dlen = jwt_sig_digest(alg, input, input_len, digest);
	gcry_sexp_t s_data = NULL, s_sig;
	gcry_error_t ge;
	enum jwt_status rc;

	/* RFC 6979: the nonce comes from the key and the digest, not from the RNG. */
	ge = gcry_sexp_build(&s_data, NULL, "(data (flags rfc6979) (hash %s %b))",
			     gcry_md_algo_name(info->md), (int)dlen, digest);
	rc = jwt_sig_pk_sign(alg, key, ge, s_data, &s_sig, err);
	if (rc != JWT_OK)
		return rc;
	/* RFC 7518 §3.4: R and S, each as long as the order, concatenated. */
	if (!jwt_sig_put_mpi(s_sig, "r", out, half) || !jwt_sig_put_mpi(s_sig, "s", out + half, half))
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt returned no %s signature", info->name);
	*out_len = info->sig_len;
	gcry_sexp_release(s_sig);
	return rc;
}
