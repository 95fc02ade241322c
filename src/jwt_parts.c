#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_mem.h"
#include "jwt_parts.h"
#include "jwt_token.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number from 1 to JWT_PARTS_MAX without leading zeros; *s moves past it. */
static bool parse_count(const char **s, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;

	if (!is_digit(*p) || *p == '0')
		return false;
	for (int i = 0; i < 2 && is_digit(*p); i++)
		v = v * 10 + (unsigned)(*p++ - '0');
	if (is_digit(*p) || v > JWT_PARTS_MAX)
		return false;
	*out = v;
	*s = p;
	return true;
}

bool jwt_part_like(const char *s)
{
	if (!is_digit(*s))
		return false;
	while (is_digit(*s))
		s++;
	return *s == '/';
}

bool jwt_part_parse(const char *s, unsigned *k, unsigned *m, const char **body)
{
	unsigned kk, mm;

	if (!parse_count(&s, &kk) || *s++ != '/' || !parse_count(&s, &mm) || *s++ != ':' ||
	    kk > mm)
		return false;
	*k = kk;
	*m = mm;
	*body = s;
	return true;
}

static enum jwt_status remember(struct jwt_parts *p, const char *answer, size_t n,
				struct jwt_err *err)
{
	if (p->prev == NULL || p->prev_size < n + 1) {
		jwt_wipe_free(p->prev, p->prev_size);
		p->prev_size = 0;
		p->prev = malloc(n + 1);
		if (p->prev == NULL)
			return jwt_fail(err, JWT_E_NOMEM, "out of memory joining parts");
		p->prev_size = n + 1;
	}
	memcpy(p->prev, answer, n + 1);
	return JWT_OK;
}

enum jwt_status jwt_parts_add(struct jwt_parts *p, const char *answer, struct jwt_err *err)
{
	unsigned next = p->got + 1, k, m;
	size_t n = strnlen(answer, JWT_TOKEN_MAX + 64), blen;
	const char *body;

	if (p->prev != NULL && strcmp(p->prev, answer) == 0)
		return jwt_fail(err, JWT_E_MALFORMED, "the same text came again at the prompt for "
				"part %u of %u: the client repeats one answer (sshd's password "
				"method does); long tokens need keyboard-interactive", next, p->total);
	if (!jwt_part_parse(answer, &k, &m, &body)) {
		if (p->got == 0 && jwt_part_like(answer))
			return jwt_fail(err, JWT_E_MALFORMED, "a token part's prefix is not \"k/M:\" "
					"with 1 <= k <= M <= %d", JWT_PARTS_MAX);
		if (p->got == 0)
			return jwt_fail(err, JWT_E_MALFORMED, "not a token part");
		return jwt_fail(err, JWT_E_MALFORMED, "the answer for part %u of %u has no "
				"\"%u/%u:\" prefix", next, p->total, next, p->total);
	}
	if (p->got > 0 && m != p->total)
		return jwt_fail(err, JWT_E_MALFORMED, "part %u says %u parts, part 1 said %u", k, m,
				p->total);
	if (k != next)
		return jwt_fail(err, JWT_E_MALFORMED, "part %u of %u came where part %u was asked "
				"for (out of order or repeated)", k, m, next);
	blen = n - (size_t)(body - answer);
	if (blen == 0)
		return jwt_fail(err, JWT_E_MALFORMED, "part %u of %u is empty", k, m);
	if (blen > JWT_TOKEN_MAX - p->len)
		return jwt_fail(err, JWT_E_MALFORMED, "the joined token is over %d bytes at part "
				"%u of %u", JWT_TOKEN_MAX, k, m);
	if (p->buf == NULL) {
		p->buf = malloc(JWT_TOKEN_MAX + 1);
		if (p->buf == NULL)
			return jwt_fail(err, JWT_E_NOMEM, "out of memory joining parts");
	}
	if (remember(p, answer, n, err) != JWT_OK)
		return JWT_E_NOMEM;
	memcpy(p->buf + p->len, body, blen);
	p->len += blen;
	p->buf[p->len] = '\0';
	p->total = m;
	p->got = k;
	return JWT_OK;
}

bool jwt_parts_complete(const struct jwt_parts *p)
{
	return p->got > 0 && p->got == p->total;
}

void jwt_parts_free(struct jwt_parts *p)
{
	jwt_wipe_free(p->buf, p->buf ? JWT_TOKEN_MAX + 1 : 0);
	jwt_wipe_free(p->prev, p->prev_size);
	memset(p, 0, sizeof(*p));
}

static size_t digits(unsigned v)
{
	return v >= 10 ? 2 : 1;
}

bool jwt_parts_layout(size_t len, size_t size, unsigned *m, size_t *body)
{
	if (len == 0 || size < JWT_PART_SIZE_MIN || size > JWT_PART_SIZE_MAX)
		return false;
	/* The prefix of the last part is the longest: "M/M:". */
	for (unsigned mm = 1; mm <= JWT_PARTS_MAX; mm++) {
		size_t b = size - (2 * digits(mm) + 2), need = (len + b - 1) / b;

		if (need <= mm) {
			*m = (unsigned)need;
			*body = b;
			return true;
		}
	}
	return false;
}

/* The prompt's length without its trailing spaces and one ':' before them. */
static size_t prompt_base(const char *prompt)
{
	size_t n = strlen(prompt);

	while (n > 0 && prompt[n - 1] == ' ')
		n--;
	if (n > 0 && prompt[n - 1] == ':')
		n--;
	while (n > 0 && prompt[n - 1] == ' ')
		n--;
	return n;
}

bool jwt_parts_prompt(const char *prompt, unsigned k, unsigned m, char *out, size_t n)
{
	size_t base = prompt_base(prompt);
	int w;

	if (base > JWT_PROMPT_MAX)
		return false;
	w = snprintf(out, n, "%.*s (part %u of %u): ", (int)base, prompt, k, m);
	return w > 0 && (size_t)w < n;
}

bool jwt_parts_prompt_match(const char *prompt, const char *asked, unsigned *k, unsigned *m)
{
	char want[JWT_PROMPT_MAX + 64];

	/* OpenSSH's keyboard-interactive prompts start with "(user@host) ". */
	if (asked[0] == '(' && strcmp(asked, prompt) != 0) {
		const char *end = strstr(asked, ") ");

		if (end != NULL && memchr(asked, '\n', (size_t)(end - asked)) == NULL)
			asked = end + 2;
	}
	if (strcmp(asked, prompt) == 0) {
		*k = 0;
		*m = 0;
		return true;
	}
	for (unsigned mm = 1; mm <= JWT_PARTS_MAX; mm++)
		for (unsigned kk = 1; kk <= mm; kk++)
			if (jwt_parts_prompt(prompt, kk, mm, want, sizeof(want)) &&
			    strcmp(asked, want) == 0) {
				*k = kk;
				*m = mm;
				return true;
			}
	return false;
}
