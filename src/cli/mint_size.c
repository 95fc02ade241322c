/* pam-jwt mint --max-bytes: which claims to drop when a token is too long. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "mint_size.h"

#define MINT_MAX_BYTES_LIMIT 1048576ULL

bool mint_size_parse(const char *s, size_t *max)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > MINT_MAX_BYTES_LIMIT)
		return false;
	*max = (size_t)v;
	return true;
}

struct claim_cost {
	const char *name;
	size_t saves;		/* bytes the token is shorter without this claim */
	const char *note;	/* why it should stay, or NULL */
	bool required;
	bool drop;		/* in the suggested set */
};

/* The token's length with the claims whose drop flag is set (or "skip") left out. */
static size_t token_len(json_object *claims, const struct claim_cost *c, size_t n,
			const char *skip, size_t header_len, size_t sig_len)
{
	const int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	json_object *o = json_object_new_object();
	size_t len = 0;

	if (o == NULL)
		return 0;
	json_object_object_foreach(claims, name, val) {
		bool left_out = skip != NULL && strcmp(name, skip) == 0;

		for (size_t i = 0; i < n && !left_out; i++)
			left_out = c[i].drop && strcmp(c[i].name, name) == 0;
		if (!left_out)
			json_object_object_add(o, name, json_object_get(val));
	}
	len = strlen(json_object_to_json_string_ext(o, flags));
	json_object_put(o);
	return header_len + 1 + JWT_B64URL_ENCODED_LEN(len) + 1 + sig_len;
}

static const char *claim_note(const char *name, bool *required)
{
	*required = strcmp(name, "sub") == 0 || strcmp(name, "exp") == 0;
	if (*required)
		return "required";
	if (strcmp(name, "iat") == 0)
		return "needed by max_lifetime=";
	if (strcmp(name, "aud") == 0)
		return "checked by audience=";
	if (strcmp(name, "iss") == 0)
		return "checked by issuer=";
	return NULL;
}

static int by_saving(const void *a, const void *b)
{
	const struct claim_cost *x = a, *y = b;

	if (x->saves != y->saves)
		return x->saves < y->saves ? 1 : -1;
	return strcmp(x->name, y->name);
}

void mint_size_report(json_object *claims, size_t header_len, size_t sig_len, size_t max)
{
	size_t n = (size_t)json_object_object_length(claims), k = 0;
	size_t full = token_len(claims, NULL, 0, NULL, header_len, sig_len), len;
	struct claim_cost *c = calloc(n > 0 ? n : 1, sizeof(*c));

	fprintf(stderr, "pam-jwt: the token would be %zu bytes, %zu over --max-bytes %zu; "
		"nothing printed\n", full, full - max, max);
	if (c == NULL)
		return;
	json_object_object_foreach(claims, name, val) {
		(void)val;
		c[k].name = name;
		c[k].note = claim_note(name, &c[k].required);
		len = token_len(claims, NULL, 0, name, header_len, sig_len);
		c[k].saves = len > 0 && len < full ? full - len : 0;
		k++;
	}
	len = full;
	qsort(c, n, sizeof(*c), by_saving);
	fprintf(stderr, "claims, largest first, with the bytes the token saves without each:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %-12s %5zu%s%s%s\n", c[i].name, c[i].saves,
			c[i].note ? "  (" : "", c[i].note ? c[i].note : "", c[i].note ? ")" : "");
	/* The largest optional claims first, those no argument checks before the others. */
	for (int pass = 0; pass < 2 && len > max; pass++) {
		for (size_t i = 0; i < n && len > max; i++) {
			if (c[i].required || (pass == 0) != (c[i].note == NULL))
				continue;
			c[i].drop = true;
			len = token_len(claims, c, n, NULL, header_len, sig_len);
		}
	}
	if (len > max) {
		fprintf(stderr, "without every optional claim the token is still %zu bytes (header "
			"and signature: %zu): it needs a shorter signature (HS256, ES256 or EdDSA "
			"rather than RSA), a shorter kid or a larger limit\n", len,
			header_len + 1 + 1 + sig_len);
	} else {
		fprintf(stderr, "drop");
		for (size_t i = 0; i < n; i++)
			if (c[i].drop)
				fprintf(stderr, " %s", c[i].name);
		fprintf(stderr, ": %zu bytes\n", len);
	}
	free(c);
}
