#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "jwt_match.h"

void jwt_list_start(struct jwt_list *l, const char *s, size_t len)
{
	l->p = s;
	l->end = s + len;
	l->done = false;
}

bool jwt_list_next(struct jwt_list *l, const char **el, size_t *n)
{
	const char *comma;

	if (l->done)
		return false;
	comma = memchr(l->p, ',', (size_t)(l->end - l->p));
	*el = l->p;
	*n = comma ? (size_t)(comma - l->p) : (size_t)(l->end - l->p);
	if (comma != NULL)
		l->p = comma + 1;
	else
		l->done = true;
	return true;
}

size_t jwt_list_count(const char *list)
{
	struct jwt_list l;
	const char *el;
	size_t n, count = 0;

	if (list == NULL)
		return 0;
	for (jwt_list_start(&l, list, strlen(list)); jwt_list_next(&l, &el, &n);)
		count++;
	return count;
}

bool jwt_list_ok(const char *list)
{
	struct jwt_list l;
	const char *el;
	size_t n;

	for (jwt_list_start(&l, list, strlen(list)); jwt_list_next(&l, &el, &n);)
		if (n == 0)
			return false;
	return true;
}

bool jwt_match_escapes_ok(const char *list)
{
	for (const char *p = strchr(list, '%'); p != NULL; p = strchr(p + 2, '%'))
		if (p[1] != 'h' && p[1] != 's' && p[1] != '%')
			return false;
	return true;
}

enum jwt_status jwt_host_name(const char **host, char *hostbuf, struct jwt_err *err)
{
	if (*host != NULL)
		return JWT_OK;
	if (gethostname(hostbuf, JWT_HOST_NAME_MAX + 1) != 0)
		return jwt_fail(err, JWT_E_CONFIG, "%%h: cannot read the host name: %s",
				strerror(errno));
	hostbuf[JWT_HOST_NAME_MAX] = '\0';
	*host = hostbuf;
	return JWT_OK;
}

/* Compares one list element (n bytes, %-escapes expanded) with s, len bytes. */
static enum jwt_status element_eq(const char *el, size_t n, const char **host, char *hostbuf,
				  const char *service, const char *s, size_t len, bool *eq,
				  struct jwt_err *err)
{
	size_t at = 0;
	enum jwt_status rc;

	*eq = false;
	for (size_t i = 0; i < n; i++) {
		const char *part = &el[i];
		size_t plen = 1;

		if (el[i] == '%' && i + 1 < n) {
			i++;
			if (el[i] == 'h') {
				rc = jwt_host_name(host, hostbuf, err);
				if (rc != JWT_OK)
					return rc;
				part = *host;
				plen = strlen(part);
			} else if (el[i] == 's') {
				if (service == NULL)
					return jwt_fail(err, JWT_E_CONFIG, "%%s: the PAM service is "
							"not known");
				part = service;
				plen = strlen(part);
			} else {
				part = &el[i];	/* "%%" */
			}
			if (plen == 0)
				return jwt_fail(err, JWT_E_CONFIG, "%%%c expands to nothing", el[i]);
		}
		if (plen > len - at || memcmp(s + at, part, plen) != 0)
			return JWT_OK;
		at += plen;
	}
	*eq = at == len;
	return JWT_OK;
}

enum jwt_status jwt_match_list(const char *list, const char *s, size_t len, const char *host,
			       const char *service, bool *found, struct jwt_err *err)
{
	char hostbuf[JWT_HOST_NAME_MAX + 1];
	struct jwt_list l;
	const char *el;
	size_t n;
	enum jwt_status rc = JWT_OK;

	*found = false;
	for (jwt_list_start(&l, list, strlen(list)); rc == JWT_OK && !*found &&
	     jwt_list_next(&l, &el, &n);)
		rc = element_eq(el, n, &host, hostbuf, service, s, len, found, err);
	return rc;
}
