/* Status codes and the reason that goes with them: how the token core reports. */
#ifndef PAM_JWT_ERR_H
#define PAM_JWT_ERR_H

#include <stdbool.h>

enum jwt_status {
	JWT_OK = 0,
	JWT_E_MALFORMED,	/* not a well-formed JWS compact token */
	JWT_E_ALG,		/* algorithm unknown, not allowed, or unfit for the key */
	JWT_E_SIGNATURE,	/* signature does not verify */
	JWT_E_CLAIMS,		/* claims missing, ill-typed or out of range */
	JWT_E_USER,		/* user claim invalid, unmapped, or not the PAM user */
	JWT_E_USER_UNKNOWN,	/* mapped user has no local account */
	JWT_E_KEY,		/* key missing, unreadable, insecure or too short */
	JWT_E_CONFIG,		/* bad module arguments */
	JWT_E_NOMEM,
	JWT_E_SYSTEM,
	JWT_E_REPLAY,		/* one-time token already used, or without jti */
	JWT_E_STORE,		/* replay or revocation store unreachable, unreadable or unwritable */
	JWT_E_REVOKED,		/* token matches a revocation */
	JWT_E_PROOF,		/* bound token without a valid proof of possession, or bearer under pop=required */
};

/*
 * A status with its reason. The reason never holds a token or a key; of the
 * claims it names only the local user name, after it passed the name checks.
 */
struct jwt_err {
	enum jwt_status status;
	char reason[256];
};

/* Records status and reason in err. */
void jwt_fail_record(struct jwt_err *err, enum jwt_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Records status and reason in err and yields status, like a function. A
 * macro, so that static analysers, which do not follow calls into other files,
 * see that a failing path returns the status it names.
 */
#define jwt_fail(err, status, ...) __extension__ ({				\
	enum jwt_status jwt_fail_status_ = (status);				\
	jwt_fail_record((err), jwt_fail_status_, __VA_ARGS__);			\
	jwt_fail_status_;							\
})

/*
 * Records a new status for the failure already in err and yields it, keeping
 * err's reason (or, were it empty, the status's name). The way to pass a
 * reason on: never jwt_fail(err, s, "%s", err->reason), which formats a
 * buffer into itself (tests/static/self_format.sh refuses that pattern in src/).
 */
#define jwt_fail_keep(err, status) __extension__ ({				\
	enum jwt_status jwt_fail_status_ = (status);				\
	jwt_fail_keep_record((err), jwt_fail_status_);				\
	jwt_fail_status_;							\
})

void jwt_fail_keep_record(struct jwt_err *err, enum jwt_status status);

const char *jwt_status_name(enum jwt_status status);

struct jwt_token;

/*
 * Steps of a verification, reported as they are decided, for the module's
 * debug log and the command-line explanation; and, once at the end of
 * jwt_verify(), the token as far as it was decoded (its claims parsed even
 * when the signature did not verify) with whether its signature verified, for
 * the audit line. Any field may be NULL.
 */
struct jwt_trace {
	void (*step)(void *ctx, const char *check, bool ok, const char *detail);
	void *ctx;
	void (*decoded)(void *ctx, const struct jwt_token *t, bool verified);
};

void jwt_trace_step(const struct jwt_trace *tr, const char *check, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
