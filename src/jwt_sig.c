#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_hmac.h"
#include "jwt_mem.h"
#include "jwt_sig.h"
#include "jwt_sig_pk.h"

/* libgcrypt 1.8 is the oldest release with every interface used here. */
#define JWT_GCRYPT_MIN "1.8.0"

/* What gcry_check_version() answered: NULL when libgcrypt is older than JWT_GCRYPT_MIN. */
static const char *gcrypt_version;
static pthread_once_t gcrypt_once = PTHREAD_ONCE_INIT;

/*
 * Once per process: libgcrypt's first gcry_check_version() initialises its
 * subsystems and is not thread-safe. Two threads of a host (a display manager,
 * a daemon authenticating over PAM) meeting here aborted ("MPI subsystem not
 * initialized") or left the EC code broken for the life of the process.
 */
static void crypto_init_once(void)
{
	gcrypt_version = gcry_check_version(JWT_GCRYPT_MIN);
	if (gcrypt_version == NULL)
		return;
	/*
	 * Whoever initialised libgcrypt first (the host, or an earlier call) owns
	 * its settings; otherwise finish with the defaults (no secure memory pool,
	 * FIPS mode as the system decides).
	 */
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

enum jwt_status jwt_crypto_init(struct jwt_err *err)
{
	int e = pthread_once(&gcrypt_once, crypto_init_once);

	if (e != 0)
		return jwt_fail(err, JWT_E_SYSTEM, "cannot initialise libgcrypt: %s", strerror(e));
	if (gcrypt_version == NULL)
		return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt %s is older than %s",
				gcry_check_version(NULL), JWT_GCRYPT_MIN);
	return JWT_OK;
}

static enum jwt_status hmac(enum jwt_alg alg, const struct jwt_key *key,
			    const void *input, size_t input_len,
			    unsigned char *out, size_t *out_len, struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);
	size_t len = 0;

	/* RFC 7518 §3.2; HMAC itself accepts even an empty key. */
	if (key->secret_len < info->min_key_len)
		return jwt_fail(err, JWT_E_KEY, "the HMAC key has %zu bytes; %s needs at least %zu",
				key->secret_len, info->name, info->min_key_len);
	/* jwt_hmac(), not gcry_mac_open(): no handle to allocate on every verification. */
	if (!jwt_hmac(info->md, key->secret, key->secret_len, input, input_len, out, &len) ||
	    len != info->sig_len)
		return jwt_fail(err, JWT_E_SYSTEM, "libgcrypt failed computing %s", info->name);
	*out_len = len;
	return JWT_OK;
}

enum jwt_status jwt_sig_sign(enum jwt_alg alg, const struct jwt_key *key,
			     const void *input, size_t input_len,
			     unsigned char *out, size_t *out_len, struct jwt_err *err)
{
	if (!jwt_key_fits(key, alg))
		return jwt_fail(err, JWT_E_ALG, "the key cannot sign %s", jwt_alg_info(alg)->name);
	if (input_len > INT_MAX)
		return jwt_fail(err, JWT_E_MALFORMED, "the token is too long");
	if (jwt_alg_info(alg)->family == JWT_FAMILY_HMAC)
		return hmac(alg, key, input, input_len, out, out_len, err);
	if (key->priv == NULL)
		return jwt_fail(err, JWT_E_KEY, "a public key cannot sign %s; give the private key",
				jwt_alg_info(alg)->name);
	switch (jwt_alg_info(alg)->family) {
	case JWT_FAMILY_RSA:
	case JWT_FAMILY_RSA_PSS:
		return jwt_sig_sign_rsa(alg, key, input, input_len, out, out_len, err);
	case JWT_FAMILY_ECDSA:
		return jwt_sig_sign_ecdsa(alg, key, input, input_len, out, out_len, err);
	case JWT_FAMILY_EDDSA:
		return jwt_sig_sign_eddsa(alg, key, input, input_len, out, out_len, err);
	case JWT_FAMILY_HMAC:
		break;
	}
	return jwt_fail(err, JWT_E_ALG, "no signer for %s", jwt_alg_info(alg)->name);
}

static enum jwt_status hmac_verify(enum jwt_alg alg, const struct jwt_key *key,
				   const void *input, size_t input_len,
				   const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	unsigned char mac[JWT_SIG_MAX];
	size_t mac_len = 0;
	enum jwt_status rc;

	rc = hmac(alg, key, input, input_len, mac, &mac_len, err);
	/* The length first: a prefix of the right tag must not pass. */
	if (rc == JWT_OK && sig_len != mac_len)
		rc = jwt_fail(err, JWT_E_SIGNATURE, "%s signature has %zu bytes, expected %zu",
			      jwt_alg_info(alg)->name, sig_len, mac_len);
	else if (rc == JWT_OK && !jwt_mem_equal(mac, sig, mac_len))
		rc = jwt_fail(err, JWT_E_SIGNATURE, "the %s signature does not match",
			      jwt_alg_info(alg)->name);
	explicit_bzero(mac, sizeof(mac));
	return rc;
}

enum jwt_status jwt_sig_verify(enum jwt_alg alg, const struct jwt_key *key,
			       const void *input, size_t input_len,
			       const unsigned char *sig, size_t sig_len, struct jwt_err *err)
{
	const struct jwt_alg_info *info = jwt_alg_info(alg);

	if (!jwt_key_fits(key, alg))
		return jwt_fail(err, JWT_E_ALG, "the key cannot verify %s", info->name);
	/* libgcrypt's s-expressions take int lengths. */
	if (input_len > INT_MAX || sig_len > INT_MAX)
		return jwt_fail(err, JWT_E_MALFORMED, "the token is too long");
	switch (info->family) {
	case JWT_FAMILY_HMAC:
		return hmac_verify(alg, key, input, input_len, sig, sig_len, err);
	case JWT_FAMILY_RSA:
	case JWT_FAMILY_RSA_PSS:
		return jwt_sig_verify_rsa(alg, key, input, input_len, sig, sig_len, err);
	case JWT_FAMILY_ECDSA:
		return jwt_sig_verify_ecdsa(alg, key, input, input_len, sig, sig_len, err);
	case JWT_FAMILY_EDDSA:
		return jwt_sig_verify_eddsa(alg, key, input, input_len, sig, sig_len, err);
	}
	return jwt_fail(err, JWT_E_ALG, "no verifier for %s", info->name);
}
