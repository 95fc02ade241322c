/* How pam-jwt shows a token and its checks: text for people, JSON for scripts. */
#ifndef PAM_JWT_CLI_OUTPUT_H
#define PAM_JWT_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "view.h"

/* "✓" or "✗". */
const char *out_mark(bool ok);

/* Header, claims (NumericDates also as UTC dates) and signature length, as text. */
void out_view_text(FILE *f, const struct view *v);

/* The same as a JSON object (a new reference). */
json_object *out_view_json(const struct view *v);

/* Prints o on stdout, pretty, and drops the reference. */
void out_json_print(json_object *o);

#endif
