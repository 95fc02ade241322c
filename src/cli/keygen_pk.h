/* pam-jwt keygen for the public-key algorithms: a private JWK and its public half in a key set. */
#ifndef PAM_JWT_CLI_KEYGEN_PK_H
#define PAM_JWT_CLI_KEYGEN_PK_H

#include <stdbool.h>

#include "jwt_alg.h"

struct keygen_pk {
	enum jwt_alg alg;	/* RS*, PS*, ES*, EdDSA */
	const char *out;	/* the private JWK, mode 0600 */
	const char *jwks;	/* the key set to add the public JWK to, or NULL */
	const char *kid;	/* or NULL for the RFC 7638 thumbprint */
	unsigned bits;		/* RSA: 2048, 3072 or 4096 */
	bool force;		/* replace out */
};

/* Generates the key pair and writes it; an exit code. libgcrypt is initialised. */
int cli_keygen_pk(const struct keygen_pk *a);

#endif
