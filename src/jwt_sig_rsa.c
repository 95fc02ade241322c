#include "config.h"

#include "jwt_sig_pk.h"

/* RFC 8017 §8.2.2 and §5.2.2: exactly k bytes, and as a number below n. */
static enum jwt_status check_form(enum jwt_alg alg, const struct jwt_key *key,
				  const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	const char *name = jwt_alg_info(alg)->name;
	gcry_sexp_t n_sexp;
	gcry_mpi_t n = NULL, s = NULL;
	bool below;

	if (sig_len != key->modulus_len)
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature has %zu bytes, expected %zu "
				"(the key's modulus)", name, sig_len, key->modulus_len);
	n_sexp = gcry_sexp_find_token(key->pub, "n", 0);
	if (n_sexp != NULL)
		n = gcry_sexp_nth_mpi(n_sexp, 1, GCRYMPI_FMT_USG);
	gcry_sexp_release(n_sexp);
	if (n == NULL || gcry_mpi_scan(&s, GCRYMPI_FMT_USG, sig, sig_len, NULL)) {
		gcry_mpi_release(n);
		return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt cannot read the RSA key or signature");
	}
	below = gcry_mpi_cmp(s, n) < 0;
	gcry_mpi_release(n);
	gcry_mpi_release(s);
	if (!below)
		return jwt_fail(err, JWT_E_SIGNATURE, "%s signature is not below the modulus", name);
	return JWT_OK;
}

/* What is signed: the digest of input, padded as PKCS#1 v1.5 or PSS asks. */
static gcry_error_t rsa_data(enum jwt_alg alg, const void *input, size_t input_len,
			     gcry_sexp_t *data)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	const char *hash = gcry_md_algo_name(info->md);
	unsigned char digest[64];
	size_t dlen = jwt_sig_digest(alg, input, input_len, digest);

	if (info->family == JWT_FAMILY_RSA_PSS)
		/* RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash. */
		return gcry_sexp_build(data, NULL, "(data (flags pss) (hash %s %b) (salt-length %u))",
				       hash, (int)dlen, digest, (unsigned)dlen);
	return gcry_sexp_build(data, NULL, "(data (flags pkcs1) (hash %s %b))",
			       hash, (int)dlen, digest);
}

enum jwt_status jwt_sig_verify_rsa(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	gcry_sexp_t s_sig = NULL, s_data = NULL;
	gcry_error_t ge;
	enum jwt_status rc;

	rc = check_form(alg, key, sig, sig_len, err);
	if (rc != JWT_OK)
		return rc;
	ge = gcry_sexp_build(&s_sig, NULL, "(sig-val (rsa (s %b)))", (int)sig_len, sig);
	if (!ge)
		ge = rsa_data(alg, input, input_len, &s_data);
	return jwt_sig_pk_verify(alg, key, ge, s_sig, s_data, err);
}

enum jwt_status jwt_sig_sign_rsa(enum jwt_alg alg, const struct jwt_key *key,
				 const void *input, size_t input_len,
				 unsigned char *out, size_t *out_len, struct jwt_err *err)
{
	gcry_sexp_t s_data = NULL, s_sig;
	gcry_error_t ge;
	enum jwt_status rc;

	if (key->modulus_len > JWT_SIG_MAX)
		return jwt_fail(err, JWT_E_KEY, "the RSA key is too long");
	ge = rsa_data(alg, input, input_len, &s_data);
	rc = jwt_sig_pk_sign(alg, key, ge, s_data, &s_sig, err);
	if (rc != JWT_OK)
		return rc;
	/* RFC 8017 §8.2.1: exactly k bytes, leading zeros kept. */
	if (!jwt_sig_put_mpi(s_sig, "s", out, key->modulus_len))
		rc = jwt_fail(err, JWT_E_SYSTEM, "libgcrypt returned no %s signature",
			      jwt_alg_info(alg)->name);
	*out_len = key->modulus_len;
	gcry_sexp_release(s_sig);
	return rc;
}
