/*
 * What the public-key families (jwt_sig_rsa.c, jwt_sig_ecdsa.c,
 * jwt_sig_eddsa.c) share: the digest, and libgcrypt's sign and verify with
 * their results as statuses.
 */
#include "config.h"

#include <string.h>

#include "jwt_sig_pk.h"

size_t jwt_sig_digest(enum jwt_alg alg, const void *input, size_t input_len, unsigned char *out)
{
	int md = jwt_alg_info(alg)->md;

	gcry_md_hash_buffer(md, out, input, input_len);
	return gcry_md_get_algo_dlen(md);
}

enum jwt_status jwt_sig_pk_sign(enum jwt_alg alg, const struct jwt_key *key, gcry_error_t ge,
				gcry_sexp_t data, gcry_sexp_t *sig, struct jwt_err *err)
{
	*sig = NULL;
	if (!ge)
		ge = gcry_pk_sign(sig, data, key->priv);
	gcry_sexp_release(data);
	if (!ge)
		return JWT_OK;
	gcry_sexp_release(*sig);
	*sig = NULL;
	if (gcry_err_code(ge) == GPG_ERR_ENOMEM)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt cannot sign %s: %s",
			jwt_alg_info(alg)->name, gcry_strerror(ge));
}

bool jwt_sig_put_mpi(gcry_sexp_t sig, const char *name, unsigned char *out, size_t len)
{
	gcry_sexp_t tok = gcry_sexp_find_token(sig, name, 0);
	gcry_mpi_t m = tok ? gcry_sexp_nth_mpi(tok, 1, GCRYMPI_FMT_USG) : NULL;
	size_t n = 0;
	bool ok;

	gcry_sexp_release(tok);
	ok = m != NULL && (gcry_mpi_get_nbits(m) + 7) / 8 <= len;
	memset(out, 0, len);
	if (ok) {
		gcry_mpi_print(GCRYMPI_FMT_USG, NULL, 0, &n, m);
		ok = gcry_mpi_print(GCRYMPI_FMT_USG, out + len - n, n, NULL, m) == 0;
	}
	gcry_mpi_release(m);
	return ok;
}

enum jwt_status jwt_sig_pk_verify(enum jwt_alg alg, const struct jwt_key *key, gcry_error_t ge,
				  gcry_sexp_t sig, gcry_sexp_t data, struct jwt_err *err)
{
	const char *name = jwt_alg_info(alg)->name;
	enum jwt_status rc;

	if (!ge)
		ge = gcry_pk_verify(sig, data, key->pub);
	gcry_sexp_release(sig);
	gcry_sexp_release(data);
	if (!ge)
		rc = JWT_OK;
	else if (gcry_err_code(ge) == GPG_ERR_BAD_SIGNATURE)
		rc = jwt_fail(err, JWT_E_SIGNATURE, "the %s signature does not verify", name);
	else if (gcry_err_code(ge) == GPG_ERR_ENOMEM)
		rc = jwt_fail(err, JWT_E_NOMEM, "out of memory");
	else	/* a signature libgcrypt cannot even parse is still just a bad signature */
		rc = jwt_fail(err, JWT_E_SIGNATURE, "the %s signature does not verify (%s)",
			      name, gcry_strerror(ge));
	return rc;
}
