/*
 * Hostile and changing input through the real module (pam_start_confdir): the
 * size limit, thousands of mutated tokens, sshd's junk password, a key file
 * that changes or is swapped for a symlink between two logins.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "jwt_token.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_robust.XXXXXX";
static char key_path[64];
static const unsigned char key_a[] = "0123456789abcdef0123456789abcdef";
static const unsigned char key_b[] = "fedcba9876543210fedcba9876543210";

/* An HS256 token for root, valid for the next minute. */
static char *token(const unsigned char *key)
{
	char payload[128];

	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"exp\":%lld}",
		 (long long)time(NULL) + 60);
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
}

static int login(const char *tok)
{
	return authenticate("jwt", "root", CONV_TOKEN, tok, NULL);
}

static void test_size_limit(void)
{
	char members[64];
	char *at, *over;

	snprintf(members, sizeof(members), "\"sub\":\"root\",\"exp\":%lld",
		 (long long)time(NULL) + 60);
	at = mint_length(JWT_TOKEN_MAX, members, key_a, 32);
	over = mint_length(JWT_TOKEN_MAX + 1, members, key_a, 32);
	ok(login(at) == PAM_SUCCESS, "a token of exactly %d bytes (the limit) logs in", JWT_TOKEN_MAX);
	ok(login(over) == PAM_AUTH_ERR, "a token of %d bytes is refused", JWT_TOKEN_MAX + 1);
	free(at);
	free(over);
}

/* xorshift64*: a fixed seed makes every run try the same mutations. */
static uint64_t rng_state;

static size_t rng(size_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (size_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

/* Characters a mutation writes: base64url, the separator, and some that must never pass. */
static const char mutation_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\n\x7f\x80\xff";

/* Applies one random edit to the len-byte string s (room for 2 * len + 2); returns the new length. */
static size_t mutate(char *s, size_t len)
{
	size_t i = rng(len), j;
	char c = mutation_chars[rng(sizeof(mutation_chars) - 1)];

	switch (rng(6)) {
	case 0:	/* flip one bit */
		s[i] ^= (char)(1u << rng(8));
		break;
	case 1:	/* overwrite a byte */
		s[i] = c;
		break;
	case 2:	/* insert a byte */
		memmove(s + i + 1, s + i, len - i);
		s[i] = c;
		len++;
		break;
	case 3:	/* delete a byte */
		memmove(s + i, s + i + 1, len - i - 1);
		len--;
		break;
	case 4:	/* cut the end off */
		len = i;
		break;
	default: /* repeat a stretch in place */
		j = rng(len - i) + 1;
		memmove(s + i + j, s + i, len - i);
		len += j;
		break;
	}
	s[len] = '\0';
	return len;
}

static void test_mutations(void)
{
	const char *count_env = getenv("PAM_JWT_MUTATIONS"), *seed_env = getenv("PAM_JWT_MUTATION_SEED");
	long count = count_env ? strtol(count_env, NULL, 10) : 10000;
	char *good = token(key_a), *buf = malloc(8 * strlen(good) + 8);
	size_t good_len = strlen(good);
	long tried = 0, refused = 0;

	rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x9e3779b97f4a7c15ULL;
	if (buf == NULL)
		exit(99);
	ok(login(good) == PAM_SUCCESS, "control: the token before mutation logs in");
	while (tried < count) {
		size_t len = good_len;
		int rc;

		memcpy(buf, good, good_len + 1);
		/* One to three edits: at most 8 times the length plus 3 bytes. */
		for (size_t edits = rng(3) + 1; edits > 0 && len > 0; edits--)
			len = mutate(buf, len);
		if (strcmp(buf, good) == 0)
			continue;	/* edits that undid each other */
		tried++;
		rc = login(buf);
		if (rc == PAM_AUTH_ERR)
			refused++;
		else	/* the same seed replays the same mutations */
			printf("# mutation %ld (seed %s) got PAM code %d\n", tried,
			       seed_env ? seed_env : "default", rc);
	}
	ok(refused == count, "%ld random mutations of a valid token: every one refused with "
	   "PAM_AUTH_ERR, no crash", count);
	ok(login(good) == PAM_SUCCESS, "control: the token still logs in afterwards");
	free(buf);
	free(good);
}

/* sshd sends this, repeated to the length of the typed password, for an invalid user. */
static void test_sshd_junk_password(void)
{
	static const char junk[] = "\b\n\r\177INCORRECT";
	const size_t lengths[] = { 1, 8, 13, 100, 1024 };
	char buf[1025];

	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		int rc;

		for (size_t k = 0; k < lengths[i]; k++)
			buf[k] = junk[k % (sizeof(junk) - 1)];
		buf[lengths[i]] = '\0';
		rc = authenticate("jwt", "root", CONV_TOKEN, buf, NULL);
		ok(rc == PAM_AUTH_ERR, "sshd's junk password of %zu bytes: PAM_AUTH_ERR, never "
		   "PAM_SUCCESS or PAM_IGNORE (got %d)", lengths[i], rc);
	}
}

/* sshd answers only PAM_PROMPT_ECHO_OFF prompts, and fails a login whose PAM_USER changed. */
static void test_sshd_conversation(void)
{
	char *tok = token(key_a), *user = NULL;
	int rc;

	last_msg_style = -1;
	ok(login(tok) == PAM_SUCCESS && last_msg_style == PAM_PROMPT_ECHO_OFF,
	   "the token is asked for with PAM_PROMPT_ECHO_OFF, the only prompt sshd answers");
	rc = authenticate("jwt", "root", CONV_TOKEN, tok, &user);
	ok(rc == PAM_SUCCESS && user && strcmp(user, "root") == 0,
	   "accepted: PAM_USER is left as the application set it");
	free(user);
	rc = authenticate("jwt", "root", CONV_TOKEN, "x.y.z", &user);
	ok(rc == PAM_AUTH_ERR && user && strcmp(user, "root") == 0,
	   "refused: PAM_USER is left as the application set it (sshd fails a changed user)");
	free(user);
	free(tok);
}

static void test_key_change(void)
{
	char *tok_a = token(key_a), *tok_b = token(key_b);

	write_file(key_path, key_a, 32, 0600);
	ok(login(tok_a) == PAM_SUCCESS, "key A in the file: a token signed with A logs in");
	write_file(key_path, key_b, 32, 0600);
	ok(login(tok_a) == PAM_AUTH_ERR, "the file now holds key B: the token signed with A is refused");
	ok(login(tok_b) == PAM_SUCCESS, "the file now holds key B: a token signed with B logs in");
	write_file(key_path, key_a, 32, 0600);
	free(tok_a);
	free(tok_b);
}

static void test_key_symlink(void)
{
	char *tok = token(key_a);

	ok(login(tok) == PAM_SUCCESS, "control: the key file is a regular file");
	if (unlink(key_path) != 0 || symlink("/etc/shadow", key_path) != 0)
		exit(99);
	ok(authenticate("jwt", "root", CONV_TOKEN, tok, NULL) == PAM_AUTHINFO_UNAVAIL,
	   "the key file replaced by a symlink to /etc/shadow: PAM_AUTHINFO_UNAVAIL");
	unlink(key_path);
	write_file(key_path, key_a, 32, 0600);
	free(tok);
}

int main(void)
{
	char arg[128];

	if (!pamtest_start(dir))
		return 0;
	snprintf(key_path, sizeof(key_path), "%s/key", dir);
	write_file(key_path, key_a, 32, 0600);
	snprintf(arg, sizeof(arg), "secret_file=%s allow_root", key_path);
	service("jwt", arg);

	test_size_limit();
	test_sshd_junk_password();
	test_sshd_conversation();
	test_key_change();
	test_key_symlink();
	test_mutations();
	return tap_done();
}
