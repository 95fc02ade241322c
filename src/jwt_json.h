/* Strict JSON for JOSE headers and claims, on top of json-c. */
#ifndef PAM_JWT_JSON_H
#define PAM_JWT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "jwt_err.h"

/*
 * Parses exactly one JSON object from len bytes: valid UTF-8, nothing but
 * whitespace after it, no raw or escaped NUL, no NaN/Infinity. what names the
 * text in the reason ("header", "payload"). *out is NULL on failure.
 */
enum jwt_status jwt_json_parse_object(const char *buf, size_t len, const char *what,
				      json_object **out, struct jwt_err *err);

/* A tokener for jwt_json_parse_object_with(); NULL when out of memory. */
json_tokener *jwt_json_tokener_new(void);

/*
 * jwt_json_parse_object() with a tokener the caller keeps (and frees with
 * json_tokener_free), so that one serves several texts: a token's header and
 * payload share one instead of allocating one each.
 */
enum jwt_status jwt_json_parse_object_with(json_tokener *tok, const char *buf, size_t len,
					   const char *what, json_object **out,
					   struct jwt_err *err);

/* Member name of obj as a string of *len bytes, or NULL when absent or not a string. */
const char *jwt_json_string(json_object *obj, const char *name, size_t *len);

/*
 * Reads a NumericDate (RFC 7519 §2): a finite JSON number within int64. Sets
 * *present; JWT_E_CLAIMS when present and not such a number.
 */
enum jwt_status jwt_json_numericdate(json_object *obj, const char *name, bool *present,
				     double *value, struct jwt_err *err);

#endif
