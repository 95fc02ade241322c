#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "jwt_mem.h"
#include "view.h"

/* Decodes one segment; what ("header", "payload") also asks for a JSON object. */
static void decode_part(struct view_part *p, const char *seg, size_t len, const char *what)
{
	p->present = true;
	p->bytes = malloc(JWT_B64URL_DECODED_MAX(len) + 1);
	if (p->bytes == NULL) {
		jwt_fail(&p->err, JWT_E_NOMEM, "out of memory");
		return;
	}
	if (!jwt_b64url_decode(seg, len, p->bytes, &p->len)) {
		jwt_fail(&p->err, JWT_E_MALFORMED, "not strict base64url");
		jwt_wipe_free(p->bytes, JWT_B64URL_DECODED_MAX(len) + 1);
		p->bytes = NULL;
		p->len = 0;
		return;
	}
	p->bytes[p->len] = '\0';
	p->decoded = true;
	if (what != NULL)
		jwt_json_parse_object((const char *)p->bytes, p->len, what, &p->json, &p->err);
}

void view_decode(struct view *v, const char *tok, size_t len)
{
	struct view_part *parts[] = { &v->header, &v->payload, &v->signature };
	const char *what[] = { "header", "payload", NULL };
	const char *seg = tok, *end = tok + len;

	memset(v, 0, sizeof(*v));
	v->segments = 1;
	for (size_t i = 0;; i++) {
		const char *dot = memchr(seg, '.', (size_t)(end - seg));
		size_t seglen = (size_t)((dot ? dot : end) - seg);

		if (i < 3)
			decode_part(parts[i], seg, seglen, what[i]);
		if (dot == NULL)
			break;
		v->segments++;
		seg = dot + 1;
	}
}

static void part_free(struct view_part *p)
{
	json_object_put(p->json);
	jwt_wipe_free(p->bytes, p->len + 1);
}

void view_free(struct view *v)
{
	part_free(&v->header);
	part_free(&v->payload);
	part_free(&v->signature);
	memset(v, 0, sizeof(*v));
}
