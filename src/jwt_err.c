#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jwt_err.h"

void jwt_fail_record(struct jwt_err *err, enum jwt_status status, const char *fmt, ...)
{
	char reason[sizeof(err->reason)];
	va_list ap;

	err->status = status;
	va_start(ap, fmt);
	/*
	 * A reason cut short at the end of the buffer is still a reason. Formatted
	 * apart, then copied: an argument that points into err->reason must not
	 * be overwritten while it is read.
	 */
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	memcpy(err->reason, reason, sizeof(reason));
}

void jwt_fail_keep_record(struct jwt_err *err, enum jwt_status status)
{
	err->status = status;
	if (err->reason[0] == '\0')
		(void)snprintf(err->reason, sizeof(err->reason), "%s", jwt_status_name(status));
}

const char *jwt_status_name(enum jwt_status status)
{
	switch (status) {
	case JWT_OK: return "ok";
	case JWT_E_MALFORMED: return "malformed token";
	case JWT_E_ALG: return "algorithm refused";
	case JWT_E_SIGNATURE: return "bad signature";
	case JWT_E_CLAIMS: return "claims refused";
	case JWT_E_USER: return "user refused";
	case JWT_E_USER_UNKNOWN: return "unknown user";
	case JWT_E_KEY: return "key unavailable";
	case JWT_E_CONFIG: return "configuration error";
	case JWT_E_NOMEM: return "out of memory";
	case JWT_E_SYSTEM: return "system error";
	case JWT_E_REPLAY: return "token already used";
	case JWT_E_STORE: return "store unavailable";
	case JWT_E_REVOKED: return "token revoked";
	case JWT_E_PROOF: return "proof of possession refused";
	}
	return "unknown status";
}

void jwt_trace_step(const struct jwt_trace *tr, const char *check, bool ok, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	if (tr == NULL || tr->step == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	tr->step(tr->ctx, check, ok, detail);
}
