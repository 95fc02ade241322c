/*
 * The strict text checks a token passes before anything else: base64url
 * decoding (against a plain reference decoder) and UTF-8 in the JSON parts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwt_b64url.h"
#include "jwt_json.h"
#include "../lib/tap.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The definition, one character at a time: what jwt_b64url_decode must agree with. */
static bool reference_decode(const char *in, size_t len, unsigned char *out, size_t *outlen)
{
	unsigned long acc = 0;
	unsigned bits = 0;
	size_t n = 0;

	if (len % 4 == 1)
		return false;
	for (size_t i = 0; i < len; i++) {
		const char *p = in[i] ? strchr(alphabet, in[i]) : NULL;

		if (p == NULL)
			return false;
		acc = (acc << 6) | (unsigned long)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1ul << bits) - 1;
		}
	}
	if (acc != 0)
		return false;
	*outlen = n;
	return true;
}

static void test_b64url_against_reference(void)
{
	/* Mostly the alphabet, with padding, whitespace, base64's own and non-ASCII bytes mixed in. */
	static const char chars[] = "AQgw_-9zZa+/= \n\x80\xff";
	unsigned char got[JWT_B64URL_DECODED_MAX(JWT_B64URL_ENCODED_LEN(48))], want[16], bytes[48];
	char in[16], enc[JWT_B64URL_ENCODED_LEN(48) + 1];
	size_t got_len = 0, want_len = 0, differ = 0, accepted = 0, roundtrip_bad = 0;

	srand(7);
	for (int i = 0; i < 300000; i++) {
		size_t len = (size_t)rand() % 13;
		bool g, w;

		for (size_t k = 0; k < len; k++)
			in[k] = rand() % 4 ? alphabet[rand() % 64] : chars[rand() % (sizeof(chars) - 1)];
		g = jwt_b64url_decode(in, len, got, &got_len);
		w = reference_decode(in, len, want, &want_len);
		accepted += w;
		if (g != w || (w && (got_len != want_len || memcmp(got, want, want_len) != 0)))
			differ++;
	}
	ok(differ == 0 && accepted > 10000,
	   "base64url: the decoder agrees with the reference on 300000 strings (%zu accepted)",
	   accepted);
	for (size_t len = 0; len <= sizeof(bytes); len++) {
		for (size_t k = 0; k < len; k++)
			bytes[k] = (unsigned char)rand();
		jwt_b64url_encode(bytes, len, enc);
		if (!jwt_b64url_decode(enc, strlen(enc), got, &got_len) || got_len != len ||
		    memcmp(got, bytes, len) != 0)
			roundtrip_bad++;
	}
	ok(roundtrip_bad == 0, "base64url: what is encoded decodes again");
	differ = 0;
	for (int c = 0; c < 256; c++) {
		bool in_alphabet = c != 0 && strchr(alphabet, c) != NULL;

		memcpy(in, "QUJD", 4);
		for (int pos = 0; pos < 4; pos++) {
			in[pos] = (char)c;
			if (jwt_b64url_decode(in, 4, got, &got_len) != in_alphabet)
				differ++;
			in[pos] = "QUJD"[pos];
		}
	}
	ok(differ == 0, "base64url: each of the 256 byte values is accepted exactly when in the "
	   "alphabet, at each position of a group");
}

static enum jwt_status parse(const char *text, size_t len)
{
	json_object *obj = NULL;
	struct jwt_err err = { 0 };
	enum jwt_status rc = jwt_json_parse_object(text, len, "header", &obj, &err);

	json_object_put(obj);
	return rc;
}

/* A JSON object with one string member holding the bytes of value. */
static enum jwt_status parse_string(const char *value)
{
	char text[64];

	snprintf(text, sizeof(text), "{\"x\":\"%s\"}", value);
	return parse(text, strlen(text));
}

static void test_utf8(void)
{
	static const struct {
		const char *bytes, *what;
	} good[] = {
		{ "\xc3\xa9", "U+00E9 (2 bytes)" },
		{ "\xe2\x82\xac", "U+20AC (3 bytes)" },
		{ "\xed\x9f\xbf", "U+D7FF, below the surrogates" },
		{ "\xee\x80\x80", "U+E000, above the surrogates" },
		{ "\xf0\x9d\x84\x9e", "U+1D11E (4 bytes)" },
		{ "\xf4\x8f\xbf\xbf", "U+10FFFF, the last code point" },
		{ "\\u0041\\u00e9", "escapes other than \\u0000" },
	}, bad[] = {
		{ "\x80", "a lone continuation byte" },
		{ "\xc0\xaf", "an overlong 2-byte form (C0)" },
		{ "\xc1\xbf", "an overlong 2-byte form (C1)" },
		{ "\xe0\x80\xaf", "an overlong 3-byte form" },
		{ "\xf0\x80\x80\xaf", "an overlong 4-byte form" },
		{ "\xed\xa0\x80", "a UTF-16 surrogate (U+D800)" },
		{ "\xed\xbf\xbf", "a UTF-16 surrogate (U+DFFF)" },
		{ "\xf4\x90\x80\x80", "U+110000, beyond Unicode" },
		{ "\xf5\x80\x80\x80", "the lead byte F5" },
		{ "\xff", "the byte FF" },
		{ "\xc3", "a sequence cut short by the closing quote" },
		{ "\xe2\x82", "a 3-byte sequence cut short" },
		{ "\xe2\x28\xa1", "a sequence with a bad continuation byte" },
		{ "a\\u0000b", "the escape \\u0000" },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(parse_string(good[i].bytes) == JWT_OK, "UTF-8: control: %s is accepted", good[i].what);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_string(bad[i].bytes) == JWT_E_MALFORMED, "UTF-8: %s is refused", bad[i].what);
	ok(parse("{\"x\":\"a\0b\"}", 11) == JWT_E_MALFORMED, "a raw NUL is refused");
	/* In the third word of eight bytes: plain ASCII is checked a word at a time. */
	ok(parse_string("0123456789a\xc3\xa9" "bcdefghij") == JWT_OK,
	   "control: U+00E9 after a long ASCII run is accepted");
	ok(parse_string("0123456789a\xff" "bcdefghij") == JWT_E_MALFORMED,
	   "the byte FF after a long ASCII run is refused");
	ok(parse("{\"x\":\"0123456789a\0bcdefghij\"}", 29) == JWT_E_MALFORMED,
	   "a raw NUL after a long ASCII run is refused");
	ok(parse_string("\\n\\t\\\"\\u0000") == JWT_E_MALFORMED,
	   "the escape \\u0000 after other escapes is refused");
	ok(parse("{\"x\":\"\xc3", 7) == JWT_E_MALFORMED, "text ending inside a sequence is refused");
}

/* The string member "x" of text, or NULL; *len its length. obj is put by the caller. */
static const char *member_x(const char *text, json_object **obj, size_t *len)
{
	struct jwt_err err = { 0 };

	if (jwt_json_parse_object(text, strlen(text), "header", obj, &err) != JWT_OK)
		return NULL;
	return jwt_json_string(*obj, "x", len);
}

/*
 * A NUL is found while unescaping: \\u0000 in the text (an escaped
 * backslash, then "u0000") holds no NUL and is six characters of value.
 */
static void test_escaped_nul(void)
{
	json_object *obj = NULL;
	size_t len = 0;
	const char *x = member_x("{\"x\":\"a\\\\u0000\"}", &obj, &len);

	ok(x != NULL && len == 7 && memcmp(x, "a\\u0000", 7) == 0,
	   "control: \"a\\\\u0000\" (an escaped backslash, then u0000) is accepted as a\\u0000");
	json_object_put(obj);
	obj = NULL;
	x = member_x("{\"x\\\\u0000\":1,\"x\":\"\\\\\\\\u0000\"}", &obj, &len);
	ok(x != NULL && len == 7 && memcmp(x, "\\\\u0000", 7) == 0 &&
	   json_object_object_get_ex(obj, "x\\u0000", NULL),
	   "control: the same in a member name, and two escaped backslashes before u0000");
	json_object_put(obj);
	ok(parse_string("a\\u0000") == JWT_E_MALFORMED, "\"a\\u0000\" (the escape of NUL) is refused");
	ok(parse_string("a\\\\\\u0000") == JWT_E_MALFORMED,
	   "an escaped backslash, then the escape \\u0000, is refused");
	ok(parse("{\"x\\u0000\":1}", 13) == JWT_E_MALFORMED, "the escape \\u0000 in a member name is refused");
}

int main(void)
{
	test_b64url_against_reference();
	test_utf8();
	test_escaped_nul();
	return tap_done();
}
