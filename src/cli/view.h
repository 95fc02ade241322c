/*
 * A token as far as it decodes, for display: each segment on its own, so a
 * broken token still shows its readable parts. This decides nothing; the
 * verdict always comes from jwt_verify().
 */
#ifndef PAM_JWT_CLI_VIEW_H
#define PAM_JWT_CLI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "jwt_err.h"

struct view_part {
	bool present;		/* the token has this segment */
	bool decoded;		/* it is strict base64url */
	unsigned char *bytes;	/* decoded, NUL-terminated */
	size_t len;
	json_object *json;	/* header and payload: the parsed JSON object, if it is one */
	struct jwt_err err;	/* why it did not decode or parse */
};

struct view {
	size_t segments;
	struct view_part header, payload, signature;
};

void view_decode(struct view *v, const char *tok, size_t len);
void view_free(struct view *v);

#endif
