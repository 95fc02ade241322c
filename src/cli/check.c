/*
 * pam-jwt check: reads pam.d files and says, for each pam_jwt line, what the
 * module would do with it: its arguments through the module's own parser,
 * every file and directory it names through the module's own readers of them
 * (keys, key sets, user_map, policy file, revocations, replay store, Redis
 * password), the module path, and advice an administrator wants before
 * logging out.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "jwt_config.h"
#include "jwt_file.h"
#include "jwt_key.h"
#include "jwt_keyset.h"
#include "jwt_match.h"
#include "jwt_mem.h"
#include "jwt_policy.h"
#include "jwt_revoke.h"
#include "jwt_session.h"
#include "jwt_sig.h"
#include "jwt_store.h"
#include "jwt_user.h"
#include "jwt_verify.h"
#include "output.h"

#ifndef PAM_JWT_SECUREDIR
#define PAM_JWT_SECUREDIR "/lib/security"
#endif

static const char usage_head[] =
	"usage: pam-jwt check [--securedir DIR] [--sudoers FILE] [FILE...]\n"
	"Reads PAM service files (default: every file in /etc/pam.d) and reports, for\n"
	"each line that loads pam_jwt.so, what the module would do with it: the\n"
	"arguments through the module's parser; every file and directory it names\n";
static const char usage_tail[] =
	"through the module's own readers: existence, owner, mode, parent directories,\n"
	"content (run it as the user the module runs as: root for sshd, sudo and su);\n"
	"the module path; and advice. Run it before logging out.\n"
	"  --securedir DIR   where a module named without a path is looked up\n"
	"                    (default " PAM_JWT_SECUREDIR ")\n"
	"  --sudoers FILE    sudo's policy, read with FILE.d/* for timestamp_timeout\n"
	"                    (default /etc/sudoers)\n"
	"Exit status: 0 nothing the module would refuse, 1 a line the module would\n"
	"refuse (or a file that cannot be read), 2 usage error.\n";

/* The usage, naming the path arguments of the option table. */
static void usage(FILE *f)
{
	size_t count, col = 1;
	const struct jwt_option *options = jwt_options(&count);
	bool first = true;

	fputs(usage_head, f);
	fputc('(', f);
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(options[i].name) + 3;

		if (options[i].kind != JWT_OPTION_PATH)
			continue;
		if (!first && col + len > 78) {
			fputs(",\n", f);
			col = 0;
		} else if (!first) {
			fputs(", ", f);
			col += 2;
		}
		col += (size_t)fprintf(f, "%s=", options[i].name);
		first = false;
	}
	fputs(")\n", f);
	fputs(usage_tail, f);
}

/* The longest pam.d line looked at, continuation lines joined. */
#define LINE_MAX_BYTES 8192
#define MAX_WORDS 64

/* One pam.d line, split the way libpam splits it. */
struct pam_line {
	char buf[LINE_MAX_BYTES];
	char *word[MAX_WORDS];		/* type, control, module, arguments */
	int nwords;
};

/*
 * Splits line into words in place: blank-separated, except that a word
 * starting with '[' runs to the matching ']' ("\]" is a literal ']'). For
 * arguments libpam drops the brackets ("[prompt=a b]" is "prompt=a b"); the
 * control field keeps them, as it is only shown. False when the line has more
 * words than MAX_WORDS or an unclosed bracket.
 */
static bool split_words(struct pam_line *l)
{
	char *p = l->buf;

	l->nwords = 0;
	for (;;) {
		char *w, *out;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		if (l->nwords == MAX_WORDS)
			return false;
		w = out = p;
		if (*p == '[') {
			bool keep = l->nwords == 1;

			if (keep)
				*out++ = *p;
			p++;
			while (*p != '\0' && *p != ']') {
				if (p[0] == '\\' && p[1] == ']')
					p++;
				*out++ = *p++;
			}
			if (*p != ']')
				return false;
			if (keep)
				*out++ = *p;
			p++;
		} else {
			while (*p != '\0' && *p != ' ' && *p != '\t')
				*out++ = *p++;
		}
		if (*p != '\0')
			p++;
		*out = '\0';
		l->word[l->nwords++] = w;
	}
}

static bool is_pam_jwt(const char *module)
{
	const char *base = strrchr(module, '/');

	return strcmp(base ? base + 1 : module, "pam_jwt.so") == 0;
}

/* The auth lines of a file, as far as check needs them. */
struct stack_entry {
	unsigned lineno;
	bool is_jwt;
	char control[32];
};

struct check {
	const char *securedir;
	const char *sudoers;
	/* sudo's timestamp_timeout in seconds, read once: -1 never expires. */
	bool sudo_read, sudo_known;
	double sudo_timeout;
	unsigned files, lines, errors, advice;
};

static void mark(struct check *c, bool ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void mark(struct check *c, bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("  %s %s: ", out_mark(ok), what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		c->errors++;
}

static void advise(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void advise(struct check *c, const char *fmt, ...)
{
	va_list ap;

	fputs("  ! advice: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	c->advice++;
}

static void check_module_path(struct check *c, const char *module)
{
	char path[4096];
	struct stat st;

	if (module[0] == '/')
		(void)snprintf(path, sizeof(path), "%s", module);
	else
		(void)snprintf(path, sizeof(path), "%s/%s", c->securedir, module);
	if (stat(path, &st) != 0)
		mark(c, false, "module", "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		mark(c, false, "module", "%s is not a regular file", path);
	else
		mark(c, true, "module", "%s", path);
}

/* The shortest token a key makes, in bytes: the signature's base64url and a small header and claims. */
static size_t shortest_token(const struct jwt_key *key)
{
	size_t sig;

	switch (key->kty) {
	case JWT_KTY_RSA:
		sig = key->modulus_len;
		break;
	case JWT_KTY_EC:
		sig = key->crv == JWT_CRV_P256 ? 64 : key->crv == JWT_CRV_P384 ? 96 : 132;
		break;
	case JWT_KTY_OKP:
		sig = 64;
		break;
	default:
		sig = 32;
		break;
	}
	/* {"alg":"RS256","kid":"..."} and sub, aud, iat, exp: about 200 bytes encoded. */
	return 200 + (sig * 4 + 2) / 3;
}

/*
 * The longest token a service's program passes, by the service file's name;
 * *askpass is how its users give a longer one.
 */
static size_t buffer_of(const char *service, const char **program, const char **askpass)
{
	if (strncmp(service, "sudo", 4) == 0) {
		*program = "sudo passes at most 511 bytes";
		*askpass = "sudo -A with SUDO_ASKPASS=pam-jwt-askpass";
		return 511;
	}
	if (strncmp(service, "sshd", 4) == 0) {
		*program = "the OpenSSH client passes at most 1023 bytes";
		*askpass = "ssh -o PreferredAuthentications=keyboard-interactive with "
			   "SSH_ASKPASS=pam-jwt-askpass";
		return 1023;
	}
	return 0;
}

static void check_keys(struct check *c, const struct jwt_config *cfg, const char *service)
{
	struct jwt_keyset ks = { 0 };
	struct jwt_err err = { 0 };
	const char *program = NULL, *askpass = NULL;
	size_t limit, longest_min = 0;

	if (jwt_crypto_init(&err) != JWT_OK || jwt_keyset_load(cfg, &ks, &err) != JWT_OK) {
		mark(c, false, "keys", "%s", err.reason);
		jwt_keyset_free(&ks);	/* the keys of the files before the one refused */
		return;
	}
	mark(c, true, "keys", "%zu key%s loaded (%s%s%s)", ks.count, ks.count == 1 ? "" : "s",
	     cfg->secret_file ? cfg->secret_file : "", cfg->secret_file && cfg->jwks_file ? ", " : "",
	     cfg->jwks_file ? cfg->jwks_file : "");
	limit = buffer_of(service, &program, &askpass);
	for (size_t i = 0; i < ks.count; i++) {
		size_t n = shortest_token(&ks.keys[i]);

		if (n > longest_min)
			longest_min = n;
	}
	/* A provider's users cannot choose its keys: they give long tokens in parts. */
	if (limit > 0 && longest_min > limit)
		advise(c, "tokens signed by the largest key here are at least %zu bytes, and %s: "
		       "users give them in parts, with %s (or pam-jwt split's parts, pasted); "
		       "keys of your own can be ES256 or EdDSA, whose tokens fit", longest_min,
		       program, askpass);
	jwt_keyset_free(&ks);
}

/* A file or directory argument, as the module's own reader of it found it. */
static void judge(struct check *c, const char *what, const char *path, enum jwt_status rc,
		  const struct jwt_err *err)
{
	if (rc == JWT_OK)
		mark(c, true, what, "%s", path);
	else
		mark(c, false, what, "%s", err->reason);
}

/* revoked_file=: the module's check itself, with a token no line can cover. */
static void check_revoked(struct check *c, const struct jwt_config *cfg, const char *path)
{
	json_object *none = json_object_new_object();
	const struct jwt_names nobody = { .count = 0 };
	struct jwt_err err = { 0 };
	struct stat st;
	enum jwt_status rc;

	if (none == NULL) {
		mark(c, false, "revoked_file", "out of memory");
		return;
	}
	rc = jwt_revoke_check(cfg, none, &nobody, NULL, &err);
	json_object_put(none);
	if (rc == JWT_OK)
		mark(c, true, "revoked_file", "%s", path);
	else if (lstat(path, &st) != 0 && errno == ENOENT)
		mark(c, false, "revoked_file", "%s (while it is missing the module refuses every "
		     "login; to revoke nothing yet: pam-jwt revoke --init --file %s)", err.reason,
		     path);
	else
		mark(c, false, "revoked_file", "%s (the module refuses every login until it is "
		     "fixed)", err.reason);
}

static void check_user_map(struct check *c, const struct jwt_config *cfg, const char *path)
{
	struct jwt_err err = { 0 };

	judge(c, "user_map", path, jwt_user_map_check(cfg, path, &err), &err);
}

static void check_policy(struct check *c, const struct jwt_config *cfg, const char *path)
{
	struct jwt_err err = { 0 };

	(void)cfg;
	judge(c, "policy_file", path, jwt_policy_check(path, &err), &err);
}

static void check_replay_dir(struct check *c, const struct jwt_config *cfg, const char *path)
{
	struct jwt_err err = { 0 };
	bool exists;
	enum jwt_status rc = jwt_store_local_check(path, &exists, &err);

	(void)cfg;
	if (rc == JWT_OK && !exists)
		mark(c, true, "replay_dir", "%s does not exist yet: the first one-time token makes it "
		     "(mode 0700)", path);
	else
		judge(c, "replay_dir", path, rc, &err);
}

static void check_session_dir(struct check *c, const struct jwt_config *cfg, const char *path)
{
	struct jwt_err err = { 0 };
	int fd = -1;
	enum jwt_status rc = jwt_session_dir_open(path, false, false, &fd, &err);

	(void)cfg;
	if (fd >= 0)
		close(fd);
	if (rc == JWT_OK && fd < 0)
		mark(c, true, "session_dir", "%s does not exist yet: the first bound session makes "
		     "it (mode 0700)", path);
	else
		judge(c, "session_dir", path, rc, &err);
}

static void check_redis_password(struct check *c, const struct jwt_config *cfg, const char *path)
{
	struct jwt_err err = { 0 };
	unsigned char *text = NULL;
	size_t len = 0;
	enum jwt_status rc = jwt_store_redis_password(path, &text, &len, &err);

	(void)cfg;
	jwt_wipe_free(text, len);
	judge(c, "redis_password_file", path, rc, &err);
}

/*
 * The module's own reader of each path argument of the option table. The keys
 * (secret_file=, jwks_file=) are loaded together by check_keys(). A path
 * argument not named here is examined by its file rule alone (by_rule()).
 */
static const struct reader {
	const char *option;
	void (*check)(struct check *c, const struct jwt_config *cfg, const char *path);
} readers[] = {
	{ "secret_file", NULL },
	{ "jwks_file", NULL },
	{ "user_map", check_user_map },
	{ "policy_file", check_policy },
	{ "revoked_file", check_revoked },
	{ "replay_dir", check_replay_dir },
	{ "session_dir", check_session_dir },
	{ "redis_password_file", check_redis_password },
};

static const struct reader *reader_of(const struct jwt_option *o)
{
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (strcmp(readers[i].option, o->name) == 0)
			return &readers[i];
	return NULL;
}

/* The largest file by_rule() reads. */
#define RULE_FILE_MAX (64u << 20)

/* One file read by the rule of its table row. */
static enum jwt_status read_by_rule(const struct jwt_option *o, const char *file, size_t len,
				    struct jwt_err *err)
{
	char path[4096];
	unsigned char *text = NULL;
	size_t size = 0;
	enum jwt_status rc;

	if (len >= sizeof(path))
		return jwt_fail(err, JWT_E_KEY, "%.64s...: the path is too long", file);
	memcpy(path, file, len);
	path[len] = '\0';
	rc = jwt_file_read(path, o->path == JWT_PATH_SECRET ? JWT_FILE_SECRET : JWT_FILE_PROTECTED,
			   RULE_FILE_MAX, &text, &size, err);
	jwt_wipe_free(text, size);
	return rc;
}

/* A path argument without a reader of its own: the file rule of its table row. */
static void by_rule(struct check *c, const struct jwt_option *o, const char *path)
{
	struct jwt_err err = { 0 };
	struct jwt_list l;
	const char *el;
	char dir[4096];
	size_t n;
	enum jwt_status rc = JWT_OK;

	if (o->path == JWT_PATH_DIR) {
		/* Every directory from / down to it, itself included. */
		(void)snprintf(dir, sizeof(dir), "%s/.", path);
		rc = jwt_file_check_parents(dir, &err);
	} else if (o->path == JWT_PATH_FILES) {
		jwt_list_start(&l, path, strlen(path));
		while (rc == JWT_OK && jwt_list_next(&l, &el, &n))
			rc = read_by_rule(o, el, n, &err);
	} else {
		rc = read_by_rule(o, path, strlen(path), &err);
	}
	judge(c, o->name, path, rc, &err);
}

/*
 * Every file and directory argument besides the keys: each path argument of
 * the option table, by the module's own reader of it, else by its file rule.
 */
static void check_files(struct check *c, const struct jwt_config *cfg)
{
	size_t count;
	const struct jwt_option *options = jwt_options(&count);

	for (size_t i = 0; i < count; i++) {
		const struct jwt_option *o = &options[i];
		const char *path = jwt_option_text(cfg, o);
		const struct reader *r;

		if (o->kind != JWT_OPTION_PATH || path == NULL)
			continue;
		r = reader_of(o);
		if (r == NULL)
			by_rule(c, o, path);
		else if (r->check != NULL)
			r->check(c, cfg, path);
	}
}

/* Reads the next logical line (continuations joined); false at the end. */
static bool next_line(FILE *f, struct pam_line *l, unsigned *lineno, unsigned *first)
{
	char part[LINE_MAX_BYTES];
	size_t used = 0;
	bool any = false;

	l->buf[0] = '\0';
	*first = *lineno + 1;
	while (fgets(part, sizeof(part), f) != NULL) {
		size_t n = strlen(part);
		bool cont;

		any = true;
		(*lineno)++;
		if (n > 0 && part[n - 1] == '\n')
			part[--n] = '\0';
		cont = n > 0 && part[n - 1] == '\\';
		if (cont)
			part[--n] = '\0';
		if (used + n + 1 < sizeof(l->buf)) {
			memcpy(l->buf + used, part, n + 1);
			used += n;
		}
		if (!cont)
			break;
		l->buf[used++] = ' ';
		l->buf[used] = '\0';
	}
	/* A '#' starts a comment to the end of the line. */
	if (any) {
		char *hash = strchr(l->buf, '#');

		if (hash != NULL)
			*hash = '\0';
	}
	return any;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * The longest timestamp_timeout= (minutes) of the Defaults lines of one
 * sudoers file into *max (a negative value: never expires); false when the
 * file cannot be read.
 */
static bool sudoers_timeout(const char *path, double *max, bool *set)
{
	char line[4096];
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = line + strspn(line, " \t");
		char *end;
		double v;

		if (strncmp(p, "Defaults", 8) != 0)
			continue;
		/* Every Defaults (global, per user, host, runas or command) counts. */
		while ((p = strstr(p, "timestamp_timeout")) != NULL) {
			p += strlen("timestamp_timeout");
			p += strspn(p, " \t");
			if (*p != '=')
				continue;
			p++;
			p += strspn(p, " \t");
			v = strtod(p, &end);
			if (end == p)
				continue;
			if (!*set || (*max >= 0 && (v < 0 || v > *max)))
				*max = v;
			*set = true;
			p = end;
		}
	}
	(void)fclose(f);
	return true;
}

/*
 * sudo's timestamp_timeout in seconds from FILE and the files of FILE.d (sudo's default
 * 15 minutes when none sets it), read once; false when FILE cannot be read.
 */
static bool sudo_timeout(struct check *c, double *seconds)
{
	if (!c->sudo_read) {
		double minutes = 15;
		bool set = false;
		char dir[4096];
		struct dirent **names;
		int n;

		c->sudo_read = true;
		c->sudo_known = sudoers_timeout(c->sudoers, &minutes, &set);
		(void)snprintf(dir, sizeof(dir), "%s.d", c->sudoers);
		n = c->sudo_known ? scandir(dir, &names, NULL, by_name) : -1;
		for (int i = 0; i < n; i++) {
			char path[4096 + 256];
			const char *name = names[i]->d_name;

			/* sudo's @includedir skips names with a '.' or ending in '~'. */
			if (strchr(name, '.') == NULL && name[strlen(name) - 1] != '~') {
				(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
				(void)sudoers_timeout(path, &minutes, &set);
			}
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		c->sudo_timeout = minutes < 0 ? -1 : minutes * 60;
	}
	*seconds = c->sudo_timeout;
	return c->sudo_known;
}

/*
 * On sudo: a token login is remembered for timestamp_timeout, during which
 * sudo asks nothing: the token's max_lifetime= does not bound that.
 */
static void check_sudo_timeout(struct check *c, const struct jwt_config *cfg, const char *service)
{
	double t;

	if (strncmp(service, "sudo", 4) != 0 || cfg->max_lifetime <= 0 || !sudo_timeout(c, &t))
		return;
	if (t < 0)
		advise(c, "sudo's timestamp_timeout is negative (%s): after one token login sudo "
		       "never asks again in that terminal, however short the token's "
		       "max_lifetime=%lds; set Defaults timestamp_timeout=0 (or at most the token's "
		       "life)", c->sudoers, cfg->max_lifetime);
	else if (t > (double)cfg->max_lifetime)
		advise(c, "sudo's timestamp_timeout (%.0fs, %s) outlives max_lifetime=%lds: after a "
		       "token login sudo does not ask again for that long, even once the token "
		       "expired; set Defaults timestamp_timeout=0 (or at most %ld minutes)",
		       t, c->sudoers, cfg->max_lifetime, cfg->max_lifetime / 60);
}

static const char *service_of(const char *path)
{
	const char *base = strrchr(path, '/');

	return base ? base + 1 : path;
}

/* The control field as pam.d gives it: a word, or "[...]" kept whole. */
static bool falls_through(const char *control)
{
	return strcmp(control, "sufficient") == 0 || strstr(control, "success=done") != NULL;
}

static void check_line(struct check *c, const char *path, struct pam_line *l,
		       const struct stack_entry *stack, size_t n, size_t self)
{
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	const char **args = (const char **)l->word + 3;
	int nargs = l->nwords - 3;
	bool fallback;

	printf("%s:%u: %s %s %s", path, stack[self].lineno, l->word[0], l->word[1], l->word[2]);
	for (int i = 0; i < nargs; i++)
		printf(strchr(args[i], ' ') ? " [%s]" : " %s", args[i]);
	putchar('\n');
	c->lines++;
	check_module_path(c, l->word[2]);
	if (strcmp(l->word[0], "session") == 0 || strcmp(l->word[0], "-session") == 0) {
		/* The session hooks parse the same arguments as the auth line. */
		if (jwt_config_parse(&cfg, nargs, args, &err) != JWT_OK) {
			mark(c, false, "arguments", "%s (the session hooks return PAM_SERVICE_ERR)",
			     err.reason);
			return;
		}
		mark(c, true, "arguments", "parsed");
		if (cfg.session_end == 0) {
			mark(c, true, "type", "session without session_end=: here it does nothing "
			     "(PAM_IGNORE)");
			return;
		}
		mark(c, true, "type", "session: registers the sessions a pam_jwt token with "
		     "session_end= on its auth line authenticated (pam-jwt sessions --reap ends them)");
		check_files(c, &cfg);
		return;
	}
	if (strcmp(l->word[0], "auth") != 0 && strcmp(l->word[0], "-auth") != 0) {
		mark(c, true, "type", "%s: the module only authenticates and registers sessions; "
		     "here it does nothing (pam_sm_setcred succeeds, other types are not provided)",
		     l->word[0]);
		return;
	}
	if (jwt_config_parse(&cfg, nargs, args, &err) != JWT_OK) {
		mark(c, false, "arguments", "%s (the module returns PAM_SERVICE_ERR)", err.reason);
		return;
	}
	mark(c, true, "arguments", "parsed");
	check_keys(c, &cfg, service_of(path));
	check_files(c, &cfg);
	if (cfg.audience == NULL)
		advise(c, "no audience=: a token minted for any other service or host is accepted "
		       "here as long as it carries no \"aud\"; scope tokens with audience=");
	if (cfg.max_lifetime == 0)
		advise(c, "no max_lifetime=: the issuer alone decides how long a token lives");
	check_sudo_timeout(c, &cfg, service_of(path));
	fallback = self + 1 < n;
	if (falls_through(l->word[1]) && !fallback)
		advise(c, "%s with no auth line after it: when the token is refused, nothing else "
		       "can authenticate (add the fallback you want, e.g. @include common-auth, "
		       "or use required)", l->word[1]);
}

/* Checks every pam_jwt line of one file; false when the file cannot be read. */
static bool check_file(struct check *c, const char *path)
{
	struct stack_entry stack[256];
	struct pam_line l;
	size_t n = 0;
	unsigned lineno = 0, first;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		printf("%s: %s\n", path, strerror(errno));
		c->errors++;
		return false;
	}
	c->files++;
	/* First pass: the auth stack, to tell whether a line has something after it. */
	while (n < sizeof(stack) / sizeof(stack[0]) && next_line(f, &l, &lineno, &first)) {
		if (!split_words(&l) || l.nwords == 0)
			continue;
		/* An @include may hold the fallback: it counts as an auth line. */
		if (l.word[0][0] != '@' && strcmp(l.word[0], "auth") != 0 &&
		    strcmp(l.word[0], "-auth") != 0)
			continue;
		stack[n].lineno = first;
		stack[n].is_jwt = l.nwords >= 3 && is_pam_jwt(l.word[2]);
		(void)snprintf(stack[n].control, sizeof(stack[n].control), "%s", l.nwords > 1 ? l.word[1] : "");
		n++;
	}
	rewind(f);
	lineno = 0;
	while (next_line(f, &l, &lineno, &first)) {
		size_t self = 0;

		if (!split_words(&l)) {
			if (strstr(l.buf, "pam_jwt") != NULL) {
				printf("%s:%u: a line that loads pam_jwt has an unclosed [ or too many words\n",
				       path, first);
				c->errors++;
			}
			continue;
		}
		if (l.nwords < 3 || !is_pam_jwt(l.word[2]))
			continue;
		while (self < n && stack[self].lineno != first)
			self++;
		if (self == n) {
			/* Not an auth line: shown and judged by check_line() alone. */
			struct stack_entry one = { .lineno = first };

			check_line(c, path, &l, &one, 1, 0);
			continue;
		}
		check_line(c, path, &l, stack, n, self);
	}
	(void)fclose(f);
	return true;
}

static void check_dir(struct check *c, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);

	if (n < 0) {
		printf("%s: %s\n", dir, strerror(errno));
		c->errors++;
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		(void)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			check_file(c, path);
		free(names[i]);
	}
	free(names);
}

/*
 * --list-arguments (not in the usage: for tests/static/options_doc.sh): the
 * option table, a row a line: name, kind, and for a path argument its file
 * rule and what examines it here.
 */
static void list_arguments(void)
{
	static const char *const kinds[] = {
		[JWT_OPTION_FLAG] = "flag", [JWT_OPTION_PAM] = "pam", [JWT_OPTION_STRING] = "string",
		[JWT_OPTION_LIST] = "list", [JWT_OPTION_PATH] = "path",
		[JWT_OPTION_SECONDS] = "seconds", [JWT_OPTION_MILLISECONDS] = "milliseconds",
		[JWT_OPTION_ENUM] = "enum", [JWT_OPTION_ALGORITHMS] = "algorithms",
	};
	static const char *const rules[] = {
		[JWT_PATH_NONE] = "-", [JWT_PATH_SECRET] = "secret", [JWT_PATH_PROTECTED] = "protected",
		[JWT_PATH_FILES] = "files", [JWT_PATH_DIR] = "directory",
	};
	size_t count;
	const struct jwt_option *options = jwt_options(&count);

	for (size_t i = 0; i < count; i++) {
		const struct jwt_option *o = &options[i];
		const struct reader *r = reader_of(o);

		printf("%s %s %s %s\n", o->name, kinds[o->kind], rules[o->path],
		       o->kind != JWT_OPTION_PATH ? "-" : r == NULL ? "rule"
		       : r->check == NULL ? "keys" : "reader");
	}
}

int cli_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "securedir", required_argument, NULL, 's' },
		{ "sudoers", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "list-arguments", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct check c = { .securedir = PAM_JWT_SECUREDIR, .sudoers = "/etc/sudoers" };
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			c.securedir = optarg;
			break;
		case 'S':
			c.sudoers = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'l':
			list_arguments();
			return CLI_OK;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind == argc)
		check_dir(&c, "/etc/pam.d");
	for (int i = optind; i < argc; i++)
		check_file(&c, argv[i]);
	if (c.lines == 0)
		printf("no line loads pam_jwt.so in %u file%s\n", c.files, c.files == 1 ? "" : "s");
	else
		printf("%u pam_jwt line%s: %u refused by the module, %u advice\n", c.lines,
		       c.lines == 1 ? "" : "s", c.errors, c.advice);
	return c.errors > 0 ? CLI_FAILED : CLI_OK;
}
