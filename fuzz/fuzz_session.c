/*
 * libFuzzer: a session record as the reaper reads it (jwt_session_parse), the
 * registry being root's but the record's text coming from a token's claims.
 * A record that parses has a valid id and fingerprint, its strings within
 * bounds and without NUL bytes, and formats to text that parses back to the
 * same record.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "jwt_session.h"

static void check_string(const char *s)
{
	if (s != NULL && (s[0] == '\0' || strlen(s) > JWT_SESSION_FIELD_MAX))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwt_session s, back;
	struct jwt_err err = { 0 };
	char *text;

	/* data is not NUL-terminated: the parser must stay within size bytes. */
	if (jwt_session_parse((const char *)data, size, &s, &err) != JWT_OK)
		return 0;
	if (!jwt_session_id_ok(s.id) || strncmp(s.fingerprint, "sha256:", 7) != 0 ||
	    s.nnames > JWT_NAMES_MAX || s.warn < 0 || s.warn > JWT_SESSION_WARN_MAX)
		__builtin_trap();
	check_string(s.user);
	check_string(s.jti);
	check_string(s.tty);
	for (size_t i = 0; i < s.nnames; i++)
		check_string(s.names[i]);
	text = jwt_session_format(&s);
	if (text != NULL) {
		if (jwt_session_parse(text, strlen(text), &back, &err) != JWT_OK ||
		    strcmp(back.id, s.id) != 0 || back.exp != s.exp || back.proc.pid != s.proc.pid ||
		    back.proc.start != s.proc.start || back.end != s.end ||
		    strcmp(back.user, s.user) != 0)
			__builtin_trap();
		jwt_session_free(&back);
		free(text);
	}
	jwt_session_free(&s);
	return 0;
}
