/*
 * Tokens in parts: the "k/M:" prefix, the joining rules the module applies,
 * how pam-jwt cuts a token, and the prompts on both sides.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_parts.h"
#include "jwt_token.h"
#include "../lib/tap.h"

/* Feeds the answers in order; the status of the first refusal, or JWT_OK. */
static enum jwt_status feed(struct jwt_parts *p, const char *const *answers, size_t n,
			    struct jwt_err *err)
{
	for (size_t i = 0; i < n; i++) {
		enum jwt_status rc = jwt_parts_add(p, answers[i], err);

		if (rc != JWT_OK)
			return rc;
	}
	return JWT_OK;
}

#define FEED(p, err, ...) feed(p, (const char *const[]){ __VA_ARGS__ }, \
			       sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *), err)

static void test_prefix(void)
{
	unsigned k, m;
	const char *body;

	ok(jwt_part_parse("1/3:abc", &k, &m, &body) && k == 1 && m == 3 && strcmp(body, "abc") == 0,
	   "\"1/3:abc\" is part 1 of 3");
	ok(jwt_part_parse("40/40:x", &k, &m, &body) && k == 40 && m == 40, "\"40/40:\" is the last of 40");
	ok(jwt_part_parse("1/1:x", &k, &m, &body) && k == 1 && m == 1, "\"1/1:\" is a token in one part");
	ok(!jwt_part_parse("1/41:x", &k, &m, &body), "M = 41 is refused (at most 40 parts)");
	ok(!jwt_part_parse("0/3:x", &k, &m, &body), "part 0 is refused");
	ok(!jwt_part_parse("4/3:x", &k, &m, &body), "k > M is refused");
	ok(!jwt_part_parse("01/3:x", &k, &m, &body), "a leading zero is refused");
	ok(!jwt_part_parse("1/3x", &k, &m, &body) && !jwt_part_parse("1-3:x", &k, &m, &body),
	   "a prefix without '/' and ':' is not a part");
	ok(!jwt_part_parse("100/200:x", &k, &m, &body), "three digits are refused");
	ok(jwt_part_like("2/3:x") && jwt_part_like("99/1") && !jwt_part_like("eyJhbGciOi.x.y") &&
	   !jwt_part_like("123") && !jwt_part_like(""), "jwt_part_like: digits then '/' only");
}

static void test_join(void)
{
	struct jwt_parts p = { 0 };
	struct jwt_err err = { 0 };
	enum jwt_status rc;

	rc = FEED(&p, &err, "1/3:aa.", "2/3:bb.", "3/3:cc");
	ok(rc == JWT_OK && jwt_parts_complete(&p) && strcmp(p.buf, "aa.bb.cc") == 0 && p.len == 8,
	   "three parts in order join into the token");
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "2/3:bb");
	ok(rc == JWT_OK && !jwt_parts_complete(&p), "two parts of three are not complete");
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/1:whole");
	ok(rc == JWT_OK && jwt_parts_complete(&p) && strcmp(p.buf, "whole") == 0, "1/1 is complete at once");
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "3/3:cc");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "out of order") != NULL,
	   "a part out of order is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "2/3:bb");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "where part 1 was asked") != NULL,
	   "a first answer that is part 2 is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "2/3:bb", "2/3:bx");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "repeated") != NULL,
	   "a repeated part number is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "1/3:aa");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "long tokens need keyboard-interactive") != NULL,
	   "the same text again is refused, naming keyboard-interactive: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "2/4:bb");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "part 1 said 3") != NULL,
	   "an M that changes is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/3:aa", "bb");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "no \"2/3:\" prefix") != NULL,
	   "a later answer without its prefix is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/41:aa");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "<= 40") != NULL,
	   "too many parts (M = 41) is refused: %s", err.reason);
	jwt_parts_free(&p);

	rc = FEED(&p, &err, "1/2:aa", "2/2:");
	ok(rc == JWT_E_MALFORMED && strstr(err.reason, "empty") != NULL,
	   "an empty part is refused: %s", err.reason);
	jwt_parts_free(&p);

	/* 40 parts of 410 bytes: 16400 > 16384. The control: 16384 exactly. */
	{
		char *a = malloc(420);
		size_t total = 0;
		unsigned k;

		for (k = 1, rc = JWT_OK; k <= 40 && rc == JWT_OK; k++) {
			size_t n = k < 40 ? 410 : 16384 - 39 * 410;
			int w = snprintf(a, 420, "%u/40:", k);

			memset(a + w, 'A' + (char)(k % 26), n);
			a[(size_t)w + n] = '\0';
			rc = jwt_parts_add(&p, a, &err);
			total += n;
		}
		ok(rc == JWT_OK && jwt_parts_complete(&p) && p.len == JWT_TOKEN_MAX && total == p.len,
		   "40 parts joining to exactly 16384 bytes are taken");
		jwt_parts_free(&p);
		for (k = 1, rc = JWT_OK; k <= 40 && rc == JWT_OK; k++) {
			int w = snprintf(a, 420, "%u/40:", k);

			memset(a + w, 'A' + (char)(k % 26), 410);
			a[w + 410] = '\0';
			rc = jwt_parts_add(&p, a, &err);
		}
		ok(rc == JWT_E_MALFORMED && strstr(err.reason, "over 16384") != NULL && k == 41,
		   "a joined token over 16 KiB is refused at the last part: %s", err.reason);
		jwt_parts_free(&p);
		free(a);
	}
	ok(p.buf == NULL && p.prev == NULL && p.got == 0, "jwt_parts_free leaves nothing behind");
}

/* Cuts tok with jwt_parts_layout() into "k/M:" parts and joins them back. */
static bool roundtrip(size_t len, size_t size, unsigned *m_out)
{
	char *tok = malloc(len + 1), part[JWT_PART_SIZE_MAX + 1];
	struct jwt_parts p = { 0 };
	struct jwt_err err = { 0 };
	size_t body;
	unsigned m;
	bool good = true;

	for (size_t i = 0; i < len; i++)
		tok[i] = "abc.XYZ-_0"[i % 10];
	tok[len] = '\0';
	if (!jwt_parts_layout(len, size, &m, &body)) {
		free(tok);
		return false;
	}
	for (unsigned k = 1; k <= m && good; k++) {
		size_t off = (size_t)(k - 1) * body, n = len - off < body ? len - off : body;
		int w = snprintf(part, sizeof(part), "%u/%u:%.*s", k, m, (int)n, tok + off);

		good = w > 0 && (size_t)w <= size && jwt_parts_add(&p, part, &err) == JWT_OK;
	}
	good = good && jwt_parts_complete(&p) && p.len == len && memcmp(p.buf, tok, len) == 0;
	jwt_parts_free(&p);
	free(tok);
	*m_out = m;
	return good;
}

static void test_layout(void)
{
	unsigned m = 0;
	bool all = true;

	ok(roundtrip(1500, 500, &m) && m == 4, "1500 bytes in parts of 500: 4 parts, joined back");
	ok(roundtrip(16384, 500, &m) && m == 34, "16384 bytes in parts of 500: 34 parts");
	ok(roundtrip(496, 500, &m) && m == 1, "496 bytes fit one part of 500");
	for (size_t len = 1; len <= 4000 && all; len += 37)
		for (size_t size = JWT_PART_SIZE_MIN; size <= JWT_PART_SIZE_MAX && all; size += 61)
			all = !jwt_parts_layout(len, size, &m, &(size_t){ 0 }) || roundtrip(len, size, &m);
	ok(all, "every layout that is offered joins back, each part within its size");
	ok(!jwt_parts_layout(16384, 100, &m, &(size_t){ 0 }), "more than 40 parts is refused");
	ok(!jwt_parts_layout(100, 501, &m, &(size_t){ 0 }) &&
	   !jwt_parts_layout(100, 15, &m, &(size_t){ 0 }), "sizes outside 16..500 are refused");
}

static void test_prompts(void)
{
	char buf[300];
	unsigned k, m;

	ok(jwt_parts_prompt("Token: ", 2, 3, buf, sizeof(buf)) &&
	   strcmp(buf, "Token (part 2 of 3): ") == 0, "\"Token: \" gives \"Token (part 2 of 3): \"");
	ok(jwt_parts_prompt("Your ID token :  ", 1, 9, buf, sizeof(buf)) &&
	   strcmp(buf, "Your ID token (part 1 of 9): ") == 0, "a custom prompt keeps its words");
	ok(jwt_parts_prompt_match("Token: ", "Token: ", &k, &m) && k == 0, "the first prompt is recognised");
	ok(jwt_parts_prompt_match("Token: ", "(alice@127.0.0.1) Token: ", &k, &m) && k == 0,
	   "OpenSSH's \"(user@host) \" prefix is allowed");
	ok(jwt_parts_prompt_match("Token: ", "(alice@host) Token (part 12 of 40): ", &k, &m) &&
	   k == 12 && m == 40, "a part prompt gives k and M");
	ok(jwt_parts_prompt_match("JWT> ", "JWT> (part 2 of 2): ", &k, &m) && k == 2 && m == 2,
	   "a prompt= without a colon still matches its part prompts");
	ok(!jwt_parts_prompt_match("Token: ", "Password: ", &k, &m), "\"Password: \" is not recognised");
	ok(!jwt_parts_prompt_match("Token: ", "[sudo] password for alice: ", &k, &m),
	   "sudo's own prompt is not recognised");
	ok(!jwt_parts_prompt_match("Token: ", "Are you sure you want to continue connecting "
				   "(yes/no/[fingerprint])? ", &k, &m), "a host key question is not recognised");
	ok(!jwt_parts_prompt_match("Token: ", "alice@host's password: ", &k, &m),
	   "ssh's password prompt is not recognised");
	ok(!jwt_parts_prompt_match("Token: ", "Token (part 3 of 2): ", &k, &m) &&
	   !jwt_parts_prompt_match("Token: ", "Token (part 1 of 41): ", &k, &m),
	   "impossible part prompts are not recognised");
	ok(!jwt_parts_prompt_match("Token: ", "Token:", &k, &m) &&
	   !jwt_parts_prompt_match("Token: ", "(a) (b) Token: ", &k, &m), "near misses are not recognised");
}

int main(void)
{
	test_prefix();
	test_join();
	test_layout();
	test_prompts();
	return tap_done();
}
