/*
 * libFuzzer: the user_map= line format (jwt_user_map_find). The input's first
 * line is the identity looked up, the rest the map's text; each is looked up
 * as given and in any case (user_nocase), and the whole map checked as
 * pam-jwt check does (no account asked for). A mapped account is a safe user name; a
 * map whose every line is well-formed refuses a lookup only for its account.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_config.h"
#include "jwt_user.h"

static enum jwt_status find(const struct jwt_config *cfg, const char *text, size_t size,
			    const char *identity, size_t id_len, struct jwt_err *err)
{
	char *local = NULL;
	enum jwt_status rc;

	/* text is the input's, not NUL-terminated: the reader must stay within size bytes. */
	rc = jwt_user_map_find(cfg, "map", text, size, identity, id_len,
			       identity != NULL ? &local : NULL, err);
	if ((identity != NULL && (rc == JWT_OK) != (local != NULL)) ||
	    (local != NULL && !jwt_user_name_ok(local, strlen(local))))
		__builtin_trap();
	free(local);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *id, *text;
	size_t id_len, len;
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	enum jwt_status whole;

	if (!fuzz_identity_and_text(data, size, &id, &id_len, &text, &len))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		fuzz_config_pass(&cfg, "user_map=/unused", pass);
		whole = find(&cfg, text, len, NULL, 0, &err);
		if (find(&cfg, text, len, id, id_len, &err) == JWT_E_KEY && whole == JWT_OK &&
		    strstr(err.reason, "invalid user name") == NULL)
			__builtin_trap();
	}
	return 0;
}
