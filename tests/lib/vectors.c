#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

json_object *vectors_load(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	json_object *obj;

	snprintf(path, sizeof(path), "%s/tests/data/vectors/wycheproof/%s", top ? top : ".", name);
	obj = json_object_from_file(path);
	if (obj == NULL) {
		fprintf(stderr, "cannot read %s: %s\n", path, json_util_get_last_err());
		exit(99);
	}
	return obj;
}

const char *vectors_str(json_object *obj, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

unsigned char *vectors_hex(const char *hex, size_t *len)
{
	size_t n = strlen(hex);
	unsigned char *out = malloc(n / 2 + 1);

	if (out == NULL || n % 2 != 0)
		exit(99);
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			exit(99);
		out[i] = (unsigned char)b;
	}
	*len = n / 2;
	return out;
}
