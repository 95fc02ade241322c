/*
 * Tokens answered in parts: "k/M:text", k from 1 to M, M at most
 * JWT_PARTS_MAX. base64url and JWS never hold '/' or ':', so a part cannot be
 * mistaken for a whole token. The module joins the parts it is given in order;
 * pam-jwt cuts a token into parts and recognises the module's prompts.
 */
#ifndef PAM_JWT_PARTS_H
#define PAM_JWT_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_err.h"

#define JWT_PARTS_MAX 40
/* The longest part pam-jwt makes, prefix included: sudo hands PAM at most 511 bytes. */
#define JWT_PART_SIZE_MAX 500
/* The shortest: room for "40/40:" and a few characters of token. */
#define JWT_PART_SIZE_MIN 16
/* The longest prompt the module builds or pam-jwt recognises. */
#define JWT_PROMPT_MAX 256

/* Whether s starts like a part: digits, then '/'. A token never does. */
bool jwt_part_like(const char *s);

/*
 * Parses "k/M:" at the start of s: k and M without leading zeros, 1 <= k <= M
 * <= JWT_PARTS_MAX. On success *body is the text after the ':'.
 */
bool jwt_part_parse(const char *s, unsigned *k, unsigned *m, const char **body);

/* Parts being joined; zero it before jwt_parts_add(), free it with jwt_parts_free(). */
struct jwt_parts {
	char *buf;		/* the joined token, JWT_TOKEN_MAX + 1 bytes */
	size_t len;
	unsigned got;		/* parts joined so far */
	unsigned total;		/* M, from the first part */
	char *prev;		/* the previous answer, for "the same text again" */
	size_t prev_size;
};

/*
 * Adds the next answer. Refused (JWT_E_MALFORMED, with the reason): the same
 * text as the previous answer (sshd's password method repeats one answer to
 * every prompt), no part prefix, a part other than the next one, an M that
 * differs from the first part's, an empty part, a joined token over
 * JWT_TOKEN_MAX. JWT_E_NOMEM when out of memory.
 */
enum jwt_status jwt_parts_add(struct jwt_parts *p, const char *answer, struct jwt_err *err);

/* Whether all M parts are joined; the token is then p->buf, p->len bytes. */
bool jwt_parts_complete(const struct jwt_parts *p);

/* Wipes and frees what p holds. */
void jwt_parts_free(struct jwt_parts *p);

/*
 * How a token of len bytes is cut into parts of at most size bytes, prefix
 * included: *m parts of *body bytes of token each (the last may be shorter).
 * False when it takes more than JWT_PARTS_MAX parts or size is out of range.
 */
bool jwt_parts_layout(size_t len, size_t size, unsigned *m, size_t *body);

/*
 * The module's prompt for part k of m: the prompt without its trailing ':'
 * and spaces, then " (part k of m): ". "Token: " gives "Token (part 2 of 3): ".
 * False when it does not fit in n bytes.
 */
bool jwt_parts_prompt(const char *prompt, unsigned k, unsigned m, char *out, size_t n);

/*
 * Recognises a prompt the module shows, as a program passes it on: the first
 * prompt (*k = 0) or a part prompt (*k, *m), optionally after a "(user@host) "
 * prefix (OpenSSH's keyboard-interactive prompts carry one). False for any
 * other text.
 */
bool jwt_parts_prompt_match(const char *prompt, const char *asked, unsigned *k, unsigned *m);

#endif
