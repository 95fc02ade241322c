/* Strict JSON for JOSE headers, claims and key files, into json-c objects. */
#ifndef PAM_JWT_JSON_H
#define PAM_JWT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "jwt_err.h"

/*
 * Parses exactly one JSON object from len bytes: valid UTF-8, nothing but
 * whitespace after it, no raw or escaped NUL, no NaN/Infinity, no member name
 * twice, at most 16 levels deep. what names the text in the reason ("header",
 * "payload", a file). *out is NULL on failure: JWT_E_MALFORMED, or JWT_E_NOMEM
 * when memory ran out. Built with checked json-c calls, not json-c's tokener,
 * so no member can be lost; the parser's own buffer is wiped.
 */
enum jwt_status jwt_json_parse_object(const char *buf, size_t len, const char *what,
				      json_object **out, struct jwt_err *err);

/* Member name of obj as a string of *len bytes, or NULL when absent or not a string. */
const char *jwt_json_string(json_object *obj, const char *name, size_t *len);

/*
 * Reads a NumericDate (RFC 7519 §2): a finite JSON number within int64. Sets
 * *present; JWT_E_CLAIMS when present and not such a number.
 */
enum jwt_status jwt_json_numericdate(json_object *obj, const char *name, bool *present,
				     double *value, struct jwt_err *err);

#endif
