/* Reading the Wycheproof vector files (tests/data/vectors/wycheproof) with json-c. */
#ifndef PAM_JWT_VECTORS_H
#define PAM_JWT_VECTORS_H

#include <stddef.h>
#include <json-c/json.h>

/* Parses tests/data/vectors/wycheproof/NAME under $top_srcdir; exits 99 when it cannot. */
json_object *vectors_load(const char *name);

/* obj[name] as a string ("" when absent). */
const char *vectors_str(json_object *obj, const char *name);

/* Decodes hex into a fresh buffer of *len bytes; exits 99 on bad hex. */
unsigned char *vectors_hex(const char *hex, size_t *len);

#endif
