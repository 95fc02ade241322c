/*
 * Comma-separated lists, the one way every list of the configuration (and a
 * string "groups" claim) is read, and matching a string against a list
 * whose elements may hold %h and %s (issuer=, audience=). Model: OpenSSH's
 * match.c.
 */
#ifndef PAM_JWT_MATCH_H
#define PAM_JWT_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_err.h"

/* The longest host name gethostname() gives on Linux (HOST_NAME_MAX). */
#define JWT_HOST_NAME_MAX 255

/*
 * The host name %h stands for: *host when set (the configuration's host),
 * else gethostname() read into hostbuf (JWT_HOST_NAME_MAX + 1 bytes), which
 * *host then points to. JWT_E_CONFIG when the name cannot be read.
 */
enum jwt_status jwt_host_name(const char **host, char *hostbuf, struct jwt_err *err);

/*
 * The elements of a list of len bytes, each up to the next ',' (an element
 * may be empty: "" is one empty element, "a," is "a" and ""):
 *
 *	struct jwt_list l;
 *	const char *el;
 *	size_t n;
 *
 *	for (jwt_list_start(&l, s, len); jwt_list_next(&l, &el, &n);)
 *		...
 */
struct jwt_list {
	const char *p, *end;
	bool done;
};
void jwt_list_start(struct jwt_list *l, const char *s, size_t len);
bool jwt_list_next(struct jwt_list *l, const char **el, size_t *n);

/* The number of elements of list (0 for NULL). */
size_t jwt_list_count(const char *list);

/* Whether no element of list is empty. */
bool jwt_list_ok(const char *list);

/* Whether only %h, %s and %% follow a '%' in list. */
bool jwt_match_escapes_ok(const char *list);

/*
 * Whether s (len bytes) equals one element of list exactly, after %h (host,
 * or gethostname() when NULL), %s (service) and %% are expanded. A list using
 * %s with no service known, or a host name that cannot be read, is
 * JWT_E_CONFIG.
 */
enum jwt_status jwt_match_list(const char *list, const char *s, size_t len, const char *host,
			       const char *service, bool *found, struct jwt_err *err);

#endif
