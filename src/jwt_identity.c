#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_identity.h"

bool jwt_user_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > JWT_USER_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == ':')
			return false;
	}
	return true;
}

static char ascii_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return "abcdefghijklmnopqrstuvwxyz"[c - 'A'];
	return c;
}

bool jwt_ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

void jwt_ascii_lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i] = ascii_lower(s[i]);
}

bool jwt_identity_eq(const struct jwt_config *cfg, const char *a, size_t alen, const char *b,
		     size_t blen)
{
	if (alen != blen)
		return false;
	return cfg->user_nocase ? jwt_ascii_caseeq(a, b, alen) : memcmp(a, b, alen) == 0;
}

enum jwt_status jwt_identity_transform(const struct jwt_config *cfg, const char *id, size_t len,
				       char **out, size_t *out_len, struct jwt_err *err)
{
	size_t n = len;

	*out = NULL;
	if (cfg->user_domain != NULL) {
		size_t dlen = strlen(cfg->user_domain);
		const char *at = memchr(id, '@', len);

		if (at == NULL || (size_t)(at - id) + 1 + dlen != len || at == id ||
		    !jwt_ascii_caseeq(at + 1, cfg->user_domain, dlen))
			return jwt_fail(err, JWT_E_USER, "the user claim is not of the form "
					"name@%.128s (user_domain=)", cfg->user_domain);
		n = (size_t)(at - id);
	}
	*out = malloc(n + 1);
	if (*out == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	memcpy(*out, id, n);
	if (cfg->user_lowercase)
		jwt_ascii_lower(*out, n);
	(*out)[n] = '\0';
	*out_len = n;
	return JWT_OK;
}
