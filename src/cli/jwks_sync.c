/*
 * pam-jwt jwks-sync: an OpenID Connect provider's signing keys, fetched
 * through its discovery document, checked with the module's own key-set code
 * (jwt_keyset_add_jwks) and written for jwks_file= in one rename. The file
 * carries a top-level "issuer" so that its keys verify that issuer's tokens
 * only. Keys the provider dropped stay for a grace period, marked with
 * "pam_jwt_removed_at" (a member the module ignores), then go. The file is
 * public (mode 0644, or the narrower mode it had): a secret key, published or
 * found in the old file, is never written to it. On any failure the file is
 * left exactly as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "duration.h"
#include "install.h"
#include "jwt_json.h"
#include "jwt_jwks.h"
#include "jwt_mem.h"
#include "jwt_sig.h"
#include "oidc.h"

#define REMOVED_AT "pam_jwt_removed_at"

static const char usage[] =
	"usage: pam-jwt jwks-sync --issuer URL --out FILE [--cacert FILE] [--max-age DURATION]\n"
	"                         [--grace DURATION] [--json] [--timeout SECS]\n"
	"Fetches URL/.well-known/openid-configuration (its \"issuer\" must be URL exactly),\n"
	"then its jwks_uri, checks the key set as pam_jwt.so does, and writes FILE for\n"
	"jwks_file= (mode 0644, or FILE's narrower mode) in one rename, with \"issuer\": URL\n"
	"in it. Public keys only: a provider's secret key fails the sync, and a secret\n"
	"already in FILE is dropped with a warning. On any failure FILE is left as it was.\n"
	"  --issuer URL        the provider's issuer (https)\n"
	"  --out FILE          the key set file\n"
	"  --grace DURATION    keep keys the provider removed this long (default 1h; 0: drop now)\n"
	"  --max-age DURATION  when the sync fails and FILE was last synced longer ago, say so\n"
	"                      and exit 3\n"
	"  --json              report as JSON on stdout\n"
	OIDC_HTTP_USAGE
	"Exit status: 0 FILE is current (\"unchanged\" or \"updated\"), 1 failed (FILE kept),\n"
	"2 usage error, 3 failed and FILE is older than --max-age.\n";

enum { SYNC_STALE = 3 };

struct sync {
	const char *issuer, *out;
	struct http_opts http;
	int64_t grace, max_age;		/* max_age < 0: not set */
	bool json;
	time_t now;
	mode_t mode;			/* FILE's: 0644, or narrower as FILE was */
	/* what happened, for the report */
	const char *result;		/* "unchanged", "updated", "failed" */
	char why[512];
	const char *jwks_uri;
	size_t nkeys;
	json_object *added, *retired, *dropped;	/* arrays of kids */
	int64_t age;			/* seconds since the last good sync, -1: unknown */
};

/* The key's identity: its JSON without our marker. */
static char *key_identity(json_object *key)
{
	json_object *copy = NULL;
	char *s;

	if (json_object_deep_copy(key, &copy, NULL) != 0)
		return NULL;
	json_object_object_del(copy, REMOVED_AT);
	s = strdup(json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(copy);
	return s;
}

static const char *key_kid(json_object *key)
{
	const char *kid = oidc_string(key, "kid");

	return kid ? kid : "(no kid)";
}

/* Whether key (by identity) is among keys. */
static bool key_in(json_object *keys, const char *id)
{
	size_t n = json_object_array_length(keys);

	for (size_t i = 0; i < n; i++) {
		char *other = key_identity(json_object_array_get_idx(keys, i));
		bool same = other != NULL && strcmp(other, id) == 0;

		free(other);
		if (same)
			return true;
	}
	return false;
}

/* Reads FILE as it is now: *old is NULL when it does not exist. */
static bool read_old(struct sync *s, char **old, size_t *old_len, json_object **old_root)
{
	struct stat st;
	FILE *f;
	size_t n;
	struct jwt_err err = { 0 };

	*old = NULL;
	*old_len = 0;
	*old_root = NULL;
	f = fopen(s->out, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return true;
		(void)snprintf(s->why, sizeof(s->why), "cannot read %s: %s", s->out, strerror(errno));
		return false;
	}
	if (fstat(fileno(f), &st) != 0) {
		(void)snprintf(s->why, sizeof(s->why), "cannot read %s: %s", s->out, strerror(errno));
		(void)fclose(f);
		return false;
	}
	s->age = (int64_t)(s->now - st.st_mtime);
	/* Never wider than it was: a file kept to root stays so. */
	s->mode = st.st_mode & 0644;
	*old = malloc(JWT_JWKS_FILE_MAX + 2);
	if (*old == NULL) {
		(void)fclose(f);
		(void)snprintf(s->why, sizeof(s->why), "out of memory");
		return false;
	}
	n = fread(*old, 1, JWT_JWKS_FILE_MAX + 1, f);
	(void)fclose(f);
	(*old)[n] = '\0';
	*old_len = n;
	/* A file we cannot read as a key set is replaced by a good one. */
	if (n <= JWT_JWKS_FILE_MAX &&
	    jwt_json_parse_object(*old, n, s->out, old_root, &err) == JWT_OK) {
		const char *iss = oidc_string(*old_root, "issuer");

		if (iss != NULL && strcmp(iss, s->issuer) != 0) {
			(void)snprintf(s->why, sizeof(s->why), "%s holds the keys of issuer \"%.200s\", not "
				 "of \"%s\"", s->out, iss, s->issuer);
			return false;
		}
	}
	return true;
}

/*
 * The provider's set (checked by the module's code) merged with the keys of
 * the old file still within their grace period, as the new file's text.
 */
static char *merge(struct sync *s, const char *body, size_t len, json_object *old_root)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	json_object *root = NULL, *keys, *out = NULL, *out_keys, *old_keys;
	bool secret = false;
	char *text = NULL;

	if (jwt_keyset_add_jwks(&ks, body, len, s->jwks_uri, &secret, &err) != JWT_OK) {
		(void)snprintf(s->why, sizeof(s->why), "the provider's key set is refused: %s", err.reason);
		goto out;
	}
	if (secret) {
		(void)snprintf(s->why, sizeof(s->why), "%s publishes a secret (\"oct\") key; refused",
			 s->jwks_uri);
		goto out;
	}
	if (jwt_json_parse_object(body, len, s->jwks_uri, &root, &err) != JWT_OK ||
	    !json_object_object_get_ex(root, "keys", &keys)) {
		(void)snprintf(s->why, sizeof(s->why), "%s", err.reason);
		goto out;
	}
	out = json_object_new_object();
	out_keys = json_object_new_array();
	json_object_object_add(out, "issuer", json_object_new_string(s->issuer));
	json_object_object_add(out, "keys", out_keys);
	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		json_object *k = json_object_array_get_idx(keys, i);

		json_object_object_del(k, REMOVED_AT);
		json_object_array_add(out_keys, json_object_get(k));
	}
	if (old_root != NULL && json_object_object_get_ex(old_root, "keys", &old_keys) &&
	    json_object_is_type(old_keys, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(old_keys); i++) {
			json_object *k = json_object_array_get_idx(old_keys, i), *at;
			char *id = key_identity(k);
			bool present;

			if (id == NULL || !json_object_is_type(k, json_type_object))
				goto next;
			present = key_in(keys, id);
			if (jwt_jwk_secret_member(k) != NULL) {
				/* not the provider's (its set holds no secret): the file's own */
				cli_error("warning: %s: key \"%s\" holds a secret (\"%s\"); dropped: the "
					  "synced set is public", s->out, key_kid(k),
					  jwt_jwk_secret_member(k));
				json_object_array_add(s->dropped, json_object_new_string(key_kid(k)));
			} else if (present) {
				/* still published: the provider's copy is in already */
			} else if (json_object_object_get_ex(k, REMOVED_AT, &at) &&
				   json_object_is_type(at, json_type_int) &&
				   s->now - json_object_get_int64(at) < s->grace &&
				   s->now >= json_object_get_int64(at)) {
				json_object_array_add(out_keys, json_object_get(k));
				json_object_array_add(s->retired, json_object_new_string(key_kid(k)));
			} else if (!json_object_object_get_ex(k, REMOVED_AT, NULL) && s->grace > 0) {
				json_object *copy = NULL;

				if (json_object_deep_copy(k, &copy, NULL) == 0) {
					json_object_object_add(copy, REMOVED_AT,
							       json_object_new_int64(s->now));
					json_object_array_add(out_keys, copy);
					json_object_array_add(s->retired,
							      json_object_new_string(key_kid(k)));
				}
			} else {
				json_object_array_add(s->dropped, json_object_new_string(key_kid(k)));
			}
next:
			free(id);
		}
	}
	/* Keys new since the old file. */
	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		json_object *k = json_object_array_get_idx(keys, i), *old_keys2;
		char *id = key_identity(k);
		bool was = false;

		if (id != NULL && old_root != NULL &&
		    json_object_object_get_ex(old_root, "keys", &old_keys2) &&
		    json_object_is_type(old_keys2, json_type_array))
			was = key_in(old_keys2, id);
		if (!was)
			json_object_array_add(s->added, json_object_new_string(key_kid(k)));
		free(id);
	}
	s->nkeys = json_object_array_length(out_keys);
	if (asprintf(&text, "%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0) {
		text = NULL;
		(void)snprintf(s->why, sizeof(s->why), "out of memory");
		goto out;
	}
	/* What the module will read: its own code again, on the very text. */
	jwt_keyset_free(&ks);
	if (strlen(text) > JWT_JWKS_FILE_MAX) {
		(void)snprintf(s->why, sizeof(s->why), "the key set would take %zu bytes, more than the "
			 "module reads (%d)", strlen(text), JWT_JWKS_FILE_MAX);
		free(text);
		text = NULL;
	} else if (jwt_keyset_add_jwks(&ks, text, strlen(text), s->out, &secret, &err) != JWT_OK) {
		(void)snprintf(s->why, sizeof(s->why), "the merged key set is refused: %s", err.reason);
		free(text);
		text = NULL;
	} else if (secret) {
		(void)snprintf(s->why, sizeof(s->why), "the merged key set holds a secret key");
		jwt_wipe_free(text, strlen(text));
		text = NULL;
	}
out:
	jwt_keyset_free(&ks);
	json_object_put(root);
	json_object_put(out);
	return text;
}

/* fsync() of the directory that holds path, so that the rename is on disk. */
static bool sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;
	bool ok = false;

	if (copy == NULL)
		return false;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		ok = fsync(fd) == 0;
		close(fd);
	}
	free(copy);
	return ok;
}

/* Marks an unchanged file as checked now (its mtime is the last good sync). */
static void touch(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		if (futimens(fd, NULL) != 0)
			cli_error("warning: cannot update the time of %s: %s", path, strerror(errno));
		close(fd);
	}
}

static int run(struct sync *s)
{
	json_object *doc = NULL, *old_root = NULL, *jwks = NULL;
	struct http_response raw = { 0 };
	char *old = NULL, *text = NULL;
	size_t old_len = 0;
	long status = 0;
	int ret = CLI_FAILED;

	if (!read_old(s, &old, &old_len, &old_root))
		goto out;
	if (!oidc_discover(&s->http, s->issuer, &doc, s->why, sizeof(s->why)))
		goto out;
	s->jwks_uri = oidc_string(doc, "jwks_uri");
	if (s->jwks_uri == NULL) {
		(void)snprintf(s->why, sizeof(s->why), "the discovery document has no jwks_uri");
		goto out;
	}
	if (!oidc_json(&s->http, s->jwks_uri, NULL, NULL, NULL, &status, &jwks, &raw, s->why,
		       sizeof(s->why)))
		goto out;
	if (status != 200) {
		(void)snprintf(s->why, sizeof(s->why), "%s: HTTP %ld", s->jwks_uri, status);
		goto out;
	}
	text = merge(s, raw.body, raw.len, old_root);
	if (text == NULL)
		goto out;
	if (old != NULL && old_len == strlen(text) && memcmp(old, text, old_len) == 0) {
		touch(s->out);
		s->result = "unchanged";
	} else {
		if (cli_install_file(s->out, text, s->mode, true) != CLI_OK) {
			(void)snprintf(s->why, sizeof(s->why), "cannot write %s", s->out);
			goto out;
		}
		if (!sync_dir(s->out))
			cli_error("warning: cannot sync the directory of %s", s->out);
		s->result = "updated";
	}
	s->age = 0;
	ret = CLI_OK;
out:
	if (ret != CLI_OK) {
		s->result = "failed";
		if (s->max_age >= 0 && s->age > s->max_age)
			ret = SYNC_STALE;
	}
	free(text);
	free(old);
	http_response_free(&raw);
	json_object_put(jwks);
	json_object_put(old_root);
	/* jwks_uri points into doc: keep a copy for the report. */
	s->jwks_uri = s->jwks_uri ? strdup(s->jwks_uri) : NULL;
	json_object_put(doc);
	return ret;
}

static void report(const struct sync *s, int ret)
{
	if (s->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "result", json_object_new_string(s->result));
		json_object_object_add(o, "issuer", json_object_new_string(s->issuer));
		json_object_object_add(o, "file", json_object_new_string(s->out));
		if (s->jwks_uri != NULL)
			json_object_object_add(o, "jwks_uri", json_object_new_string(s->jwks_uri));
		if (ret == CLI_OK) {
			json_object_object_add(o, "keys", json_object_new_int64((int64_t)s->nkeys));
			json_object_object_add(o, "added", json_object_get(s->added));
			json_object_object_add(o, "retired", json_object_get(s->retired));
			json_object_object_add(o, "dropped", json_object_get(s->dropped));
		} else {
			json_object_object_add(o, "reason", json_object_new_string(s->why));
			json_object_object_add(o, "stale", json_object_new_boolean(ret == SYNC_STALE));
		}
		if (s->age >= 0)
			json_object_object_add(o, "age", json_object_new_int64(s->age));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else if (ret == CLI_OK) {
		printf("%s %s: %zu key%s (%zu new, %zu kept after removal, %zu dropped)\n", s->out,
		       s->result, s->nkeys, s->nkeys == 1 ? "" : "s",
		       json_object_array_length(s->added), json_object_array_length(s->retired),
		       json_object_array_length(s->dropped));
	}
	if (ret != CLI_OK) {
		cli_error("jwks-sync failed, %s left as it was: %s", s->out, s->why);
		if (ret == SYNC_STALE)
			cli_error("%s was last synced %lld s ago, more than --max-age (%lld s)",
				  s->out, (long long)s->age, (long long)s->max_age);
	}
}

int cli_jwks_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "issuer", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "grace", required_argument, NULL, 'g' },
		{ "max-age", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		OIDC_HTTP_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sync s = { .grace = 3600, .max_age = -1, .age = -1, .mode = 0644 };
	struct jwt_err err = { 0 };
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': s.issuer = optarg; break;
		case 'o': s.out = optarg; break;
		case 'j': s.json = true; break;
		case 'g':
			if (!cli_duration_parse(optarg, false, &s.grace))
				return cli_usage_error(usage, "--grace wants a duration, not \"%s\"", optarg);
			break;
		case 'm':
			if (!cli_duration_parse(optarg, false, &s.max_age))
				return cli_usage_error(usage, "--max-age wants a duration, not \"%s\"",
						       optarg);
			break;
		default:
			ret = oidc_common_option(&s.http, c, optarg, usage);
			if (ret >= 0)
				return ret;
			break;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	if (s.issuer == NULL || s.out == NULL)
		return cli_usage_error(usage, "--issuer and --out are required");
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	s.now = time(NULL);
	s.added = json_object_new_array();
	s.retired = json_object_new_array();
	s.dropped = json_object_new_array();
	ret = run(&s);
	report(&s, ret);
	free((char *)s.jwks_uri);
	json_object_put(s.added);
	json_object_put(s.retired);
	json_object_put(s.dropped);
	return ret;
}
