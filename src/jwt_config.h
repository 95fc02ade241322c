/* The module's arguments (the pam.d line), shared by the module and the CLI. */
#ifndef PAM_JWT_CONFIG_H
#define PAM_JWT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_alg.h"
#include "jwt_err.h"

enum jwt_replay_mode {
	JWT_REPLAY_NONE = 0,
	JWT_REPLAY_LOCAL,	/* replay=local: files in replay_dir= */
	JWT_REPLAY_REDIS,	/* replay=redis */
};

enum jwt_pop_mode {
	JWT_POP_BOUND = 0,	/* bound tokens need a proof; bearer tokens pass */
	JWT_POP_REQUIRED,	/* pop=required: every token must be bound */
};

struct jwt_config {
	const char *secret_file;	/* strings point into argv */
	const char *jwks_file;
	jwt_alg_set algorithms;		/* 0: any that a configured key fits */
	const char *issuer;
	const char *audience;
	long leeway;			/* seconds */
	long max_lifetime;		/* seconds; 0: not checked */
	const char *user_claim;
	const char *user_map;
	bool debug;
	const char *prompt;		/* the first prompt; parts get "<prompt> (part k of M): " */
	long max_expiry;		/* seconds: the furthest ahead exp may lie */
	/* Fresh authentication (jwt_fresh.c). */
	long max_auth_age;		/* seconds auth_time may lie back; 0: not checked */
	const char *acr;		/* acr=: comma-separated, the token's acr is one */
	/* Who may log in as whom (jwt_authz.c, jwt_policy.c). */
	const char *groups_claim;	/* dotted path; default "groups" */
	const char *groups;		/* groups=: comma-separated, any one admits */
	const char *require_claim;	/* NAME=VALUE[,NAME=VALUE...] */
	bool allow_root;		/* without it no account of uid 0 is authenticated */
	const char *policy_file;
	const char *user_domain;	/* strip this one "@domain" from the identity */
	bool user_lowercase;		/* lower-case the identity (ASCII) */
	bool user_nocase;		/* user_map=/policy_file= identities match in any case */
	const char *secret_issuer;	/* the issuer secret_file='s key belongs to */
	/* Set by the caller after parsing, never from argv: */
	const char *service;		/* %s in issuer=/audience= (PAM_SERVICE); NULL: unknown */
	const char *host;		/* %h; NULL: gethostname() */
	/* One-time tokens and revocation (jwt_replay.c, jwt_revoke.c). */
	enum jwt_replay_mode replay;
	const char *replay_dir;		/* replay=local; default JWT_DEFAULT_REPLAY_DIR */
	const char *redis;		/* replay=redis: "HOST:PORT" or "unix:PATH" */
	const char *redis_password_file;
	long redis_timeout_ms;
	const char *redis_sentinel;	/* "HOST:PORT,..." with redis_master= */
	const char *redis_master;
	const char *revoked_file;
	enum jwt_pop_mode pop;		/* proof of possession (jwt_pop.c) */
	bool replay_peek;		/* report the store's answer without recording (pam-jwt verify) */
	/* Sessions bound to their token (jwt_session.c): registered when session_end= is given. */
	int session_end;		/* JWT_SESSION_END_* bits: 1 exp, 2 revoke, 3 both; 0: none */
	long session_warn;		/* seconds before exp the session's tty is warned; 0: never */
	const char *session_dir;	/* the registry; default JWT_SESSION_DIR */
};

#define JWT_DEFAULT_PROMPT "Token: "

#define JWT_DEFAULT_LEEWAY 30
#define JWT_MAX_LEEWAY 86400L
#define JWT_MAX_LIFETIME (366L * 86400L)
/* max_expiry= by default: a day, or max_lifetime= when that is longer. */
#define JWT_DEFAULT_MAX_EXPIRY 86400L
#define JWT_DEFAULT_REPLAY_DIR "/var/lib/pam_jwt/replay"
#define JWT_DEFAULT_REDIS_TIMEOUT_MS 1000
#define JWT_MAX_REDIS_TIMEOUT_MS 60000L
/* session_end=: what ends a session (jwt_session.h). */
#define JWT_SESSION_END_EXP 1u
#define JWT_SESSION_END_REVOKE 2u
/* session_warn= at most: a day. */
#define JWT_MAX_SESSION_WARN 86400L

/*
 * Fills cfg from argv, then the defaults of what was not given. Any unknown,
 * repeated or malformed argument, or a configuration without a key
 * (secret_file= or jwks_file=), is JWT_E_CONFIG with the reason.
 */
enum jwt_status jwt_config_parse(struct jwt_config *cfg, int argc, const char **argv,
				 struct jwt_err *err);

/*
 * The module's arguments, one row each of the option table (jwt_config.c),
 * which drives jwt_config_parse(), the files pam-jwt check examines and the
 * list pam_jwt(8) documents (tests/static/options_doc.sh). Adding an argument
 * is a field of struct jwt_config, a row, and its entry in pam_jwt(8).
 */
enum jwt_option_kind {
	JWT_OPTION_FLAG,	/* no value: sets a bool */
	JWT_OPTION_PAM,		/* no value, read by pam_get_authtok() from argv itself */
	JWT_OPTION_STRING,	/* a non-empty string of at most max bytes (max 0: any) */
	JWT_OPTION_LIST,	/* a comma-separated list without empty elements */
	JWT_OPTION_PATH,	/* a file or directory, read by its rule (enum jwt_path_rule) */
	JWT_OPTION_SECONDS,	/* decimal digits only, from min to max */
	JWT_OPTION_MILLISECONDS,
	JWT_OPTION_ENUM,	/* one of values, stored as its index + 1 (an enum) */
	JWT_OPTION_ALGORITHMS,	/* a comma-separated list of the algorithm table's names */
};

/* How the module reads the file or directory a path argument names. */
enum jwt_path_rule {
	JWT_PATH_NONE,
	JWT_PATH_SECRET,	/* a file not writable by group or others, not readable by others */
	JWT_PATH_PROTECTED,	/* a file not writable by group or others */
	JWT_PATH_FILES,		/* a comma-separated list of such files (key sets) */
	JWT_PATH_DIR,		/* an absolute path of a directory, made if missing */
};

struct jwt_option {
	const char *name;
	enum jwt_option_kind kind;
	size_t offset;			/* of the field in struct jwt_config */
	long min, max;			/* numbers: the range; strings: max is the longest */
	long number;			/* numbers: the default (0: none) */
	const char *text;		/* strings: the default (NULL: none) */
	enum jwt_path_rule path;	/* JWT_OPTION_PATH */
	const char *const *values;	/* JWT_OPTION_ENUM: the names, NULL-terminated */
};

/* The option table: *count rows. */
const struct jwt_option *jwt_options(size_t *count);

/* The string a string, list or path option holds in cfg (NULL: not given, no default). */
const char *jwt_option_text(const struct jwt_config *cfg, const struct jwt_option *o);

/* The allowlist in force: algorithms=, or every algorithm (the keys then decide). */
jwt_alg_set jwt_config_allowed(const struct jwt_config *cfg);

/*
 * Whether every key must be bound to an issuer: issuer= names several, and
 * the keys come from several files (secret_file=, each set of jwks_file=).
 * With one file there is one provider; with one issuer, issuer= binds all.
 */
bool jwt_keys_must_bind(const struct jwt_config *cfg);

#endif
