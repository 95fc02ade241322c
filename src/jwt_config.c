#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_config.h"
#include "jwt_match.h"
#include "jwt_parts.h"

/* replay=: enum jwt_replay_mode, from JWT_REPLAY_LOCAL (1) on, stored as an int. */
static const char *const replay_modes[] = { "local", "redis", NULL };
_Static_assert(sizeof(enum jwt_replay_mode) == sizeof(int), "replay= is stored as an int");
/* pop=: enum jwt_pop_mode, JWT_POP_REQUIRED (1) the one value. */
static const char *const pop_modes[] = { "required", NULL };
/* session_end=: the index + 1 is JWT_SESSION_END_EXP (1), _REVOKE (2), both (3). */
static const char *const session_ends[] = { "exp", "revoke", "exp,revoke", NULL };
_Static_assert(sizeof(enum jwt_pop_mode) == sizeof(int), "pop= is stored as an int");

#define AT(field) offsetof(struct jwt_config, field)
#define FLAG(name, field) { name, JWT_OPTION_FLAG, AT(field), 0, 0, 0, NULL, JWT_PATH_NONE, NULL }
#define PAM(name) { name, JWT_OPTION_PAM, 0, 0, 0, 0, NULL, JWT_PATH_NONE, NULL }
#define STRING(name, field, max, text) \
	{ name, JWT_OPTION_STRING, AT(field), 0, max, 0, text, JWT_PATH_NONE, NULL }
#define LIST(name, field) { name, JWT_OPTION_LIST, AT(field), 0, 0, 0, NULL, JWT_PATH_NONE, NULL }
#define PATH(name, field, rule) { name, JWT_OPTION_PATH, AT(field), 0, 0, 0, NULL, rule, NULL }
#define NUMBER(name, kind, field, min, max, number) \
	{ name, kind, AT(field), min, max, number, NULL, JWT_PATH_NONE, NULL }
#define ENUM(name, field, values) \
	{ name, JWT_OPTION_ENUM, AT(field), 0, 0, 0, NULL, JWT_PATH_NONE, values }

/*
 * Every argument of the pam.d line, in the order pam_jwt(8) documents them.
 * Defaults that depend on other arguments (max_expiry=, replay_dir=) are set
 * in jwt_config_parse(); the checks across arguments in check_args().
 */
static const struct jwt_option options[] = {
	PATH("secret_file", secret_file, JWT_PATH_SECRET),
	PATH("jwks_file", jwks_file, JWT_PATH_FILES),
	{ "algorithms", JWT_OPTION_ALGORITHMS, AT(algorithms), 0, 0, 0, NULL, JWT_PATH_NONE, NULL },
	LIST("issuer", issuer),
	LIST("audience", audience),
	NUMBER("leeway", JWT_OPTION_SECONDS, leeway, 0, JWT_MAX_LEEWAY, JWT_DEFAULT_LEEWAY),
	NUMBER("max_lifetime", JWT_OPTION_SECONDS, max_lifetime, 1, JWT_MAX_LIFETIME, 0),
	NUMBER("max_expiry", JWT_OPTION_SECONDS, max_expiry, 1, JWT_MAX_LIFETIME, 0),
	NUMBER("max_auth_age", JWT_OPTION_SECONDS, max_auth_age, 1, JWT_MAX_LIFETIME, 0),
	LIST("acr", acr),
	STRING("user_claim", user_claim, 0, "sub"),
	PATH("user_map", user_map, JWT_PATH_PROTECTED),
	STRING("groups_claim", groups_claim, 0, "groups"),
	LIST("groups", groups),
	STRING("require_claim", require_claim, 0, NULL),
	FLAG("allow_root", allow_root),
	PATH("policy_file", policy_file, JWT_PATH_PROTECTED),
	STRING("user_domain", user_domain, 0, NULL),
	FLAG("user_lowercase", user_lowercase),
	FLAG("user_nocase", user_nocase),
	STRING("secret_issuer", secret_issuer, 0, NULL),
	ENUM("replay", replay, replay_modes),
	PATH("replay_dir", replay_dir, JWT_PATH_DIR),
	STRING("redis", redis, 0, NULL),
	PATH("redis_password_file", redis_password_file, JWT_PATH_SECRET),
	NUMBER("redis_timeout_ms", JWT_OPTION_MILLISECONDS, redis_timeout_ms, 1,
	       JWT_MAX_REDIS_TIMEOUT_MS, JWT_DEFAULT_REDIS_TIMEOUT_MS),
	STRING("redis_sentinel", redis_sentinel, 0, NULL),
	STRING("redis_master", redis_master, 0, NULL),
	PATH("revoked_file", revoked_file, JWT_PATH_PROTECTED),
	ENUM("pop", pop, pop_modes),
	ENUM("session_end", session_end, session_ends),
	NUMBER("session_warn", JWT_OPTION_SECONDS, session_warn, 1, JWT_MAX_SESSION_WARN, 0),
	PATH("session_dir", session_dir, JWT_PATH_DIR),
	FLAG("debug", debug),
	PAM("use_first_pass"),
	PAM("try_first_pass"),
	STRING("prompt", prompt, JWT_PROMPT_MAX, JWT_DEFAULT_PROMPT),
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

const struct jwt_option *jwt_options(size_t *count)
{
	*count = NOPTIONS;
	return options;
}

static void *field(struct jwt_config *cfg, const struct jwt_option *o)
{
	return (char *)cfg + o->offset;
}

const char *jwt_option_text(const struct jwt_config *cfg, const struct jwt_option *o)
{
	if (o->kind != JWT_OPTION_STRING && o->kind != JWT_OPTION_LIST &&
	    o->kind != JWT_OPTION_PATH)
		return NULL;
	return *(const char *const *)(const void *)((const char *)cfg + o->offset);
}

/*
 * Decimal digits only, from min to max: strtol alone would take leading
 * blanks and a sign (" 5", "+5", "-0"), which are no way to write a number.
 */
static enum jwt_status parse_number(const struct jwt_option *o, const char *value, long *out,
				    struct jwt_err *err)
{
	const char *unit = o->kind == JWT_OPTION_SECONDS ? "seconds" : "milliseconds";
	char *end;
	long v;

	if (value[0] < '0' || value[0] > '9' || value[strspn(value, "0123456789")] != '\0')
		return jwt_fail(err, JWT_E_CONFIG, "%s= wants a number of %s from %ld to %ld",
				o->name, unit, o->min, o->max);
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < o->min || v > o->max)
		return jwt_fail(err, JWT_E_CONFIG, "%s= wants a number of %s from %ld to %ld",
				o->name, unit, o->min, o->max);
	*out = v;
	return JWT_OK;
}

static enum jwt_status parse_algorithms(const char *value, jwt_alg_set *out,
					struct jwt_err *err)
{
	jwt_alg_set set = 0;
	struct jwt_list l;
	const char *el;
	size_t len;
	enum jwt_alg alg;
	char known[JWT_ALG_NAMES_MAX];

	for (jwt_list_start(&l, value, strlen(value)); jwt_list_next(&l, &el, &len);) {
		if (!jwt_alg_from_name(el, len, &alg)) {
			jwt_alg_names(known, sizeof(known));
			return jwt_fail(err, JWT_E_CONFIG, "algorithms= names an unknown algorithm "
					"\"%.*s\" (known: %s)", (int)(len > 16 ? 16 : len), el, known);
		}
		set |= JWT_ALG_BIT(alg);
	}
	*out = set;
	return JWT_OK;
}

/* value, one of o->values, stored as its index + 1. */
static enum jwt_status parse_enum(const struct jwt_option *o, const char *value,
				  struct jwt_config *cfg, struct jwt_err *err)
{
	char wants[128] = "";
	size_t n = 0;

	for (size_t i = 0; o->values[i] != NULL; i++) {
		if (strcmp(value, o->values[i]) == 0) {
			int v = (int)i + 1;

			memcpy(field(cfg, o), &v, sizeof(v));
			return JWT_OK;
		}
	}
	while (o->values[n] != NULL)
		n++;
	for (size_t i = 0; i < n; i++)
		(void)snprintf(wants + strlen(wants), sizeof(wants) - strlen(wants), "%s%s",
			       i == 0 ? "" : i + 1 == n ? " or " : ", ", o->values[i]);
	return jwt_fail(err, JWT_E_CONFIG, "%s= wants %s", o->name, wants);
}

/* The value of a string, list or path argument. */
static enum jwt_status parse_text(const struct jwt_option *o, const char *value,
				  struct jwt_config *cfg, struct jwt_err *err)
{
	if (*value == '\0')
		return jwt_fail(err, JWT_E_CONFIG, "%s= is empty", o->name);
	if (o->max > 0 && strlen(value) > (size_t)o->max)
		return jwt_fail(err, JWT_E_CONFIG, "%s= is longer than %ld bytes", o->name, o->max);
	if ((o->kind == JWT_OPTION_LIST || o->path == JWT_PATH_FILES) && !jwt_list_ok(value))
		return jwt_fail(err, JWT_E_CONFIG, "%s= has an empty element", o->name);
	if (o->path == JWT_PATH_DIR && value[0] != '/')
		return jwt_fail(err, JWT_E_CONFIG, "%s= wants an absolute path", o->name);
	*(const char **)field(cfg, o) = value;
	return JWT_OK;
}

static enum jwt_status parse_value(const struct jwt_option *o, const char *value,
				   struct jwt_config *cfg, struct jwt_err *err)
{
	switch (o->kind) {
	case JWT_OPTION_FLAG:
		*(bool *)field(cfg, o) = true;
		return JWT_OK;
	case JWT_OPTION_PAM:	/* pam_get_authtok() reads it from argv */
		return JWT_OK;
	case JWT_OPTION_STRING:
	case JWT_OPTION_LIST:
	case JWT_OPTION_PATH:
		return parse_text(o, value, cfg, err);
	case JWT_OPTION_SECONDS:
	case JWT_OPTION_MILLISECONDS:
		return parse_number(o, value, (long *)field(cfg, o), err);
	case JWT_OPTION_ENUM:
		return parse_enum(o, value, cfg, err);
	case JWT_OPTION_ALGORITHMS:
		return parse_algorithms(value, (jwt_alg_set *)field(cfg, o), err);
	}
	return jwt_fail(err, JWT_E_CONFIG, "%s: no parser", o->name);
}

/* One argument, NAME or NAME=VALUE; seen[i] marks the rows given before. */
static enum jwt_status parse_one(struct jwt_config *cfg, const char *arg, bool *seen,
				 struct jwt_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	bool bare;

	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct jwt_option *o = &options[i];

		if (strlen(o->name) != nlen || strncmp(arg, o->name, nlen) != 0)
			continue;
		bare = o->kind == JWT_OPTION_FLAG || o->kind == JWT_OPTION_PAM;
		if (bare && eq != NULL)
			return jwt_fail(err, JWT_E_CONFIG, "%s takes no value", o->name);
		if (!bare && eq == NULL)
			return jwt_fail(err, JWT_E_CONFIG, "%s wants a value (%s=...)", o->name,
					o->name);
		if (seen[i])
			return jwt_fail(err, JWT_E_CONFIG, "%s%s is given twice", o->name,
					bare ? "" : "=");
		seen[i] = true;
		return parse_value(o, eq ? eq + 1 : "", cfg, err);
	}
	return jwt_fail(err, JWT_E_CONFIG, "unknown argument \"%.*s\"", (int)(nlen > 32 ? 32 : nlen),
			arg);
}

/* The replay and revocation arguments, which only make sense together. */
static enum jwt_status check_replay(const struct jwt_config *cfg, bool redis_args,
				    struct jwt_err *err)
{
	if (cfg->replay_dir != NULL && cfg->replay != JWT_REPLAY_LOCAL)
		return jwt_fail(err, JWT_E_CONFIG, "replay_dir= needs replay=local");
	if (redis_args && cfg->replay != JWT_REPLAY_REDIS)
		return jwt_fail(err, JWT_E_CONFIG, "redis arguments need replay=redis");
	if (cfg->replay != JWT_REPLAY_REDIS)
		return JWT_OK;
	if ((cfg->redis_sentinel == NULL) != (cfg->redis_master == NULL))
		return jwt_fail(err, JWT_E_CONFIG, "redis_sentinel= and redis_master= go together");
	if ((cfg->redis == NULL) == (cfg->redis_sentinel == NULL))
		return jwt_fail(err, JWT_E_CONFIG,
				"replay=redis wants either redis= or redis_sentinel=");
	return JWT_OK;
}

/* Each element is NAME=VALUE, both non-empty, and NAME a dotted path without empty steps. */
static bool pairs_ok(const char *list)
{
	struct jwt_list l;
	const char *el;
	size_t n;

	for (jwt_list_start(&l, list, strlen(list)); jwt_list_next(&l, &el, &n);) {
		const char *eq = memchr(el, '=', n);
		size_t name_len = eq ? (size_t)(eq - el) : n;

		if (name_len == 0 || name_len + 1 >= n || el[0] == '.' || el[name_len - 1] == '.')
			return false;
		for (size_t i = 1; i < name_len; i++)
			if (el[i] == '.' && el[i - 1] == '.')
				return false;
	}
	return true;
}

/*
 * The arguments once parsed: only %h, %s and %% in issuer= and audience=,
 * NAME=VALUE pairs in require_claim=, and the combinations that make sense.
 */
static enum jwt_status check_args(const struct jwt_config *cfg, struct jwt_err *err)
{
	if (cfg->issuer != NULL && !jwt_match_escapes_ok(cfg->issuer))
		return jwt_fail(err, JWT_E_CONFIG, "issuer= has a '%%' not followed by h, s or %%");
	if (cfg->audience != NULL && !jwt_match_escapes_ok(cfg->audience))
		return jwt_fail(err, JWT_E_CONFIG, "audience= has a '%%' not followed by h, s or %%");
	if (cfg->require_claim != NULL && !pairs_ok(cfg->require_claim))
		return jwt_fail(err, JWT_E_CONFIG, "require_claim= wants NAME=VALUE[,NAME=VALUE...] "
				"with non-empty names and values");
	if (cfg->groups_claim[0] == '.' || strstr(cfg->groups_claim, "..") != NULL ||
	    cfg->groups_claim[strlen(cfg->groups_claim) - 1] == '.')
		return jwt_fail(err, JWT_E_CONFIG, "groups_claim= has an empty step");
	if (cfg->user_domain != NULL && strchr(cfg->user_domain, '@') != NULL)
		return jwt_fail(err, JWT_E_CONFIG, "user_domain= is a domain without '@' "
				"(user_domain=example.com)");
	if (cfg->policy_file != NULL && cfg->user_map != NULL)
		return jwt_fail(err, JWT_E_CONFIG, "policy_file= and user_map= exclude each other "
				"(a policy file can say what a map says)");
	if (cfg->user_nocase && cfg->policy_file == NULL && cfg->user_map == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "user_nocase needs user_map= or policy_file= "
				"(without one, use user_lowercase)");
	if (cfg->session_warn != 0 && !(cfg->session_end & JWT_SESSION_END_EXP))
		return jwt_fail(err, JWT_E_CONFIG, "session_warn= needs session_end=exp or "
				"session_end=exp,revoke (it warns before the token expires)");
	if (cfg->session_dir != NULL && cfg->session_end == 0)
		return jwt_fail(err, JWT_E_CONFIG, "session_dir= needs session_end=");
	if (cfg->secret_issuer != NULL && cfg->secret_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "secret_issuer= without secret_file=");
	if (jwt_keys_must_bind(cfg) && cfg->secret_file != NULL && cfg->secret_issuer == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "issuer= names several issuers and there are "
				"several key files: bind the key of secret_file= to one with "
				"secret_issuer=");
	return JWT_OK;
}

/* The defaults of the rows not given. */
static void set_defaults(struct jwt_config *cfg, const bool *seen)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct jwt_option *o = &options[i];

		if (seen[i])
			continue;
		if (o->text != NULL)
			*(const char **)field(cfg, o) = o->text;
		else if (o->number != 0)
			*(long *)field(cfg, o) = o->number;
	}
}

enum jwt_status jwt_config_parse(struct jwt_config *cfg, int argc, const char **argv,
				 struct jwt_err *err)
{
	bool seen[NOPTIONS] = { false };
	bool redis_args;
	enum jwt_status rc;

	memset(cfg, 0, sizeof(*cfg));
	for (int i = 0; i < argc; i++) {
		rc = parse_one(cfg, argv[i], seen, err);
		if (rc != JWT_OK)
			return rc;
	}
	/* Before the defaults: redis_timeout_ms= has one. */
	redis_args = cfg->redis || cfg->redis_password_file || cfg->redis_sentinel ||
		     cfg->redis_master || cfg->redis_timeout_ms;
	set_defaults(cfg, seen);
	if (cfg->max_expiry == 0)
		cfg->max_expiry = cfg->max_lifetime > JWT_DEFAULT_MAX_EXPIRY ? cfg->max_lifetime
									  : JWT_DEFAULT_MAX_EXPIRY;
	if (cfg->secret_file == NULL && cfg->jwks_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "no key configured (secret_file= or jwks_file=)");
	rc = check_replay(cfg, redis_args, err);
	if (rc != JWT_OK)
		return rc;
	if (cfg->replay == JWT_REPLAY_LOCAL && cfg->replay_dir == NULL)
		cfg->replay_dir = JWT_DEFAULT_REPLAY_DIR;
	return check_args(cfg, err);
}

jwt_alg_set jwt_config_allowed(const struct jwt_config *cfg)
{
	return cfg->algorithms ? cfg->algorithms : JWT_ALG_ALL;
}

bool jwt_keys_must_bind(const struct jwt_config *cfg)
{
	return jwt_list_count(cfg->issuer) > 1 &&
	       (cfg->secret_file != NULL) + jwt_list_count(cfg->jwks_file) > 1;
}
