/*
 * The keys a configuration names, read at each authentication:
 * secret_file= and each set of jwks_file=.
 */
#ifndef PAM_JWT_KEYSET_H
#define PAM_JWT_KEYSET_H

#include "jwt_config.h"
#include "jwt_err.h"
#include "jwt_key.h"

/* The largest key file read, in bytes. */
#define JWT_SECRET_FILE_MAX 4096

/*
 * Loads every key the configuration names: secret_file= (bound to
 * secret_issuer= if given), then each set of jwks_file= (a comma-separated
 * list; a set's top-level "issuer" binds its keys).
 */
enum jwt_status jwt_keyset_load(const struct jwt_config *cfg, struct jwt_keyset *ks,
				struct jwt_err *err);

#endif
