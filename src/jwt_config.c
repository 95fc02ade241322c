#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jwt_config.h"
#include "jwt_match.h"
#include "jwt_parts.h"

/* Arguments that belong to pam_get_authtok(), which reads them from argv itself. */
static const char *const authtok_flags[] = { "use_first_pass", "try_first_pass" };

static enum jwt_status parse_seconds(const char *name, const char *value, long min, long max,
				     long *out, struct jwt_err *err)
{
	char *end;
	long v;

	/*
	 * Decimal digits only: strtol alone would take leading blanks and a sign
	 * (" -0", "+5"), which are no way to write a number of seconds.
	 */
	if (value[0] < '0' || value[0] > '9' || value[strspn(value, "0123456789")] != '\0')
		return jwt_fail(err, JWT_E_CONFIG, "%s= wants a number of seconds from %ld to %ld",
				name, min, max);
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return jwt_fail(err, JWT_E_CONFIG, "%s= wants a number of seconds from %ld to %ld",
				name, min, max);
	*out = v;
	return JWT_OK;
}

static enum jwt_status parse_ms(const char *name, const char *value, long min, long max,
				long *out, struct jwt_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-' || value[0] == '+' ||
	    v < min || v > max)
		return jwt_fail(err, JWT_E_CONFIG,
				"%s= wants a number of milliseconds from %ld to %ld", name, min, max);
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

	for (jwt_list_start(&l, value, strlen(value)); jwt_list_next(&l, &el, &len);) {
		if (!jwt_alg_from_name(el, len, &alg))
			return jwt_fail(err, JWT_E_CONFIG, "algorithms= names an unknown algorithm "
					"\"%.*s\" (known: HS256, HS384, HS512, RS256, RS384, RS512, "
					"PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)",
					(int)(len > 16 ? 16 : len), el);
		set |= JWT_ALG_BIT(alg);
	}
	*out = set;
	return JWT_OK;
}

/* Marks a valued argument as seen; a second occurrence is an error. */
static enum jwt_status once(const char *name, bool *seen, struct jwt_err *err)
{
	if (*seen)
		return jwt_fail(err, JWT_E_CONFIG, "%s= is given twice", name);
	*seen = true;
	return JWT_OK;
}

/* Sets *slot to value unless the argument was given before or is empty. */
static enum jwt_status set_string(const char *name, const char *value, const char **slot,
				  struct jwt_err *err)
{
	if (*slot != NULL)
		return jwt_fail(err, JWT_E_CONFIG, "%s= is given twice", name);
	if (*value == '\0')
		return jwt_fail(err, JWT_E_CONFIG, "%s= is empty", name);
	*slot = value;
	return JWT_OK;
}

static enum jwt_status parse_replay(const char *value, enum jwt_replay_mode *out,
				   struct jwt_err *err)
{
	if (*out != JWT_REPLAY_NONE)
		return jwt_fail(err, JWT_E_CONFIG, "replay= is given twice");
	if (strcmp(value, "local") == 0)
		*out = JWT_REPLAY_LOCAL;
	else if (strcmp(value, "redis") == 0)
		*out = JWT_REPLAY_REDIS;
	else
		return jwt_fail(err, JWT_E_CONFIG, "replay= wants local or redis");
	return JWT_OK;
}

/* The replay and revocation arguments, which only make sense together. */
static enum jwt_status check_replay(const struct jwt_config *cfg, struct jwt_err *err)
{
	bool redis_args = cfg->redis || cfg->redis_password_file || cfg->redis_sentinel ||
			  cfg->redis_master || cfg->redis_timeout_ms;

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
 * The arguments once parsed: lists without empty elements, only %h, %s and
 * %% in issuer= and audience=, NAME=VALUE pairs in require_claim=, and the
 * combinations that make sense.
 */
static enum jwt_status check_args(const struct jwt_config *cfg, struct jwt_err *err)
{
	static const char *const names[] = { "issuer", "audience" };
	const char *lists[] = { cfg->issuer, cfg->audience };

	for (size_t i = 0; i < 2; i++) {
		if (lists[i] == NULL)
			continue;
		if (!jwt_list_ok(lists[i]))
			return jwt_fail(err, JWT_E_CONFIG, "%s= has an empty element", names[i]);
		if (!jwt_match_escapes_ok(lists[i]))
			return jwt_fail(err, JWT_E_CONFIG, "%s= has a '%%' not followed by h, s "
					"or %%", names[i]);
	}
	if (cfg->jwks_file != NULL && !jwt_list_ok(cfg->jwks_file))
		return jwt_fail(err, JWT_E_CONFIG, "jwks_file= has an empty element");
	if (cfg->groups != NULL && !jwt_list_ok(cfg->groups))
		return jwt_fail(err, JWT_E_CONFIG, "groups= has an empty element");
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
	if (cfg->secret_issuer != NULL && cfg->secret_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "secret_issuer= without secret_file=");
	if (jwt_keys_must_bind(cfg) && cfg->secret_file != NULL && cfg->secret_issuer == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "issuer= names several issuers and there are "
				"several key files: bind the key of secret_file= to one with "
				"secret_issuer=");
	return JWT_OK;
}

static enum jwt_status parse_one(struct jwt_config *cfg, const char *arg, bool seen[3],
				 struct jwt_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq ? eq + 1 : NULL;

#define IS(name) (strlen(name) == nlen && strncmp(arg, name, nlen) == 0)
	if (value == NULL) {
		if (IS("debug")) {
			cfg->debug = true;
			return JWT_OK;
		}
		if (IS("allow_root") || IS("user_lowercase") || IS("user_nocase")) {
			bool *flag = IS("allow_root") ? &cfg->allow_root :
				     IS("user_lowercase") ? &cfg->user_lowercase : &cfg->user_nocase;

			if (*flag)
				return jwt_fail(err, JWT_E_CONFIG, "%.*s is given twice", (int)nlen, arg);
			*flag = true;
			return JWT_OK;
		}
		for (size_t i = 0; i < sizeof(authtok_flags) / sizeof(authtok_flags[0]); i++)
			if (IS(authtok_flags[i]))
				return JWT_OK;
	} else if (IS("secret_file")) {
		return set_string("secret_file", value, &cfg->secret_file, err);
	} else if (IS("jwks_file")) {
		return set_string("jwks_file", value, &cfg->jwks_file, err);
	} else if (IS("issuer")) {
		return set_string("issuer", value, &cfg->issuer, err);
	} else if (IS("audience")) {
		return set_string("audience", value, &cfg->audience, err);
	} else if (IS("user_claim")) {
		return set_string("user_claim", value, &cfg->user_claim, err);
	} else if (IS("user_map")) {
		return set_string("user_map", value, &cfg->user_map, err);
	} else if (IS("algorithms")) {
		if (once("algorithms", &seen[0], err) != JWT_OK)
			return JWT_E_CONFIG;
		return parse_algorithms(value, &cfg->algorithms, err);
	} else if (IS("leeway")) {
		if (once("leeway", &seen[1], err) != JWT_OK)
			return JWT_E_CONFIG;
		return parse_seconds("leeway", value, 0, JWT_MAX_LEEWAY, &cfg->leeway, err);
	} else if (IS("max_lifetime")) {
		if (once("max_lifetime", &seen[2], err) != JWT_OK)
			return JWT_E_CONFIG;
		return parse_seconds("max_lifetime", value, 1, JWT_MAX_LIFETIME,
				     &cfg->max_lifetime, err);
	} else if (IS("prompt")) {
		if (strlen(value) > JWT_PROMPT_MAX)
			return jwt_fail(err, JWT_E_CONFIG, "prompt= is longer than %d bytes",
					JWT_PROMPT_MAX);
		return set_string("prompt", value, &cfg->prompt, err);
	} else if (IS("max_expiry")) {
		if (cfg->max_expiry != 0)
			return jwt_fail(err, JWT_E_CONFIG, "max_expiry= is given twice");
		return parse_seconds("max_expiry", value, 1, JWT_MAX_LIFETIME, &cfg->max_expiry, err);
	} else if (IS("groups_claim")) {
		return set_string("groups_claim", value, &cfg->groups_claim, err);
	} else if (IS("groups")) {
		return set_string("groups", value, &cfg->groups, err);
	} else if (IS("require_claim")) {
		return set_string("require_claim", value, &cfg->require_claim, err);
	} else if (IS("policy_file")) {
		return set_string("policy_file", value, &cfg->policy_file, err);
	} else if (IS("user_domain")) {
		return set_string("user_domain", value, &cfg->user_domain, err);
	} else if (IS("secret_issuer")) {
		return set_string("secret_issuer", value, &cfg->secret_issuer, err);
	} else if (IS("replay")) {
		return parse_replay(value, &cfg->replay, err);
	} else if (IS("replay_dir")) {
		if (value[0] != '/')
			return jwt_fail(err, JWT_E_CONFIG, "replay_dir= wants an absolute path");
		return set_string("replay_dir", value, &cfg->replay_dir, err);
	} else if (IS("redis")) {
		return set_string("redis", value, &cfg->redis, err);
	} else if (IS("redis_password_file")) {
		return set_string("redis_password_file", value, &cfg->redis_password_file, err);
	} else if (IS("redis_sentinel")) {
		return set_string("redis_sentinel", value, &cfg->redis_sentinel, err);
	} else if (IS("redis_master")) {
		return set_string("redis_master", value, &cfg->redis_master, err);
	} else if (IS("redis_timeout_ms")) {
		if (cfg->redis_timeout_ms != 0)
			return jwt_fail(err, JWT_E_CONFIG, "redis_timeout_ms= is given twice");
		return parse_ms("redis_timeout_ms", value, 1, JWT_MAX_REDIS_TIMEOUT_MS,
				     &cfg->redis_timeout_ms, err);
	} else if (IS("revoked_file")) {
		return set_string("revoked_file", value, &cfg->revoked_file, err);
	}
#undef IS
	return jwt_fail(err, JWT_E_CONFIG, "unknown argument \"%.*s\"", (int)(nlen > 32 ? 32 : nlen), arg);
}

enum jwt_status jwt_config_parse(struct jwt_config *cfg, int argc, const char **argv,
				 struct jwt_err *err)
{
	bool seen[3] = { false };
	enum jwt_status rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->leeway = JWT_DEFAULT_LEEWAY;
	for (int i = 0; i < argc; i++) {
		rc = parse_one(cfg, argv[i], seen, err);
		if (rc != JWT_OK)
			return rc;
	}
	if (cfg->user_claim == NULL)
		cfg->user_claim = "sub";
	if (cfg->prompt == NULL)
		cfg->prompt = JWT_DEFAULT_PROMPT;
	if (cfg->max_expiry == 0)
		cfg->max_expiry = cfg->max_lifetime > JWT_DEFAULT_MAX_EXPIRY ? cfg->max_lifetime
									  : JWT_DEFAULT_MAX_EXPIRY;
	if (cfg->secret_file == NULL && cfg->jwks_file == NULL)
		return jwt_fail(err, JWT_E_CONFIG, "no key configured (secret_file= or jwks_file=)");
	if (cfg->groups_claim == NULL)
		cfg->groups_claim = "groups";
	rc = check_replay(cfg, err);
	if (rc != JWT_OK)
		return rc;
	if (cfg->replay_dir == NULL)
		cfg->replay_dir = JWT_DEFAULT_REPLAY_DIR;
	if (cfg->redis_timeout_ms == 0)
		cfg->redis_timeout_ms = JWT_DEFAULT_REDIS_TIMEOUT_MS;
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
