/*
 * pam-jwt revoke: adds a line to the revoked_file= the module reads, or lists
 * what is in force. The file is replaced atomically: a new file in the same
 * directory, written and fsynced, renamed over the old one (whose mode and
 * owner it keeps), the directory fsynced; concurrent runs take turns on a lock
 * file beside it, so that none loses another's line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "duration.h"
#include "install.h"
#include "jwt_file.h"
#include "jwt_revoke.h"
#include "jwt_store.h"

#define DEFAULT_FILE "/etc/security/pam_jwt.revoked"

static const char usage_text[] =
	"usage: pam-jwt revoke --jti ID [--until TIME] [--file F]\n"
	"       pam-jwt revoke --sub S [--before TIME] [--until TIME] [--file F]\n"
	"       pam-jwt revoke --iss I --before TIME [--until TIME] [--file F]\n"
	"       pam-jwt revoke --list [--prune] [--file F]\n"
	"       pam-jwt revoke --init [--file F]   (a file with no revocation, mode 0644)\n"
	"  instead of --file: --redis HOST:PORT|unix:PATH or --redis-sentinel HOST:PORT,...\n"
	"    --redis-master NAME, with --redis-password-file F (as replay=redis uses them);\n"
	"    F holds \"USER PASSWORD\" of a user that may write pam_jwt:revoked:*, not the\n"
	"    module's (pamjwt-admin in the package's examples/redis-users.acl)\n"
	"  TIME: now, +DURATION (+90m, +2h, +1d), Unix seconds or YYYY-MM-DDTHH:MM:SSZ\n"
	"  --sub S: every token that logs in as S: S is its sub claim, its user claim,\n"
	"    the identity after user_domain=/user_lowercase, or the account it logs\n"
	"    in as (after user_map=/policy_file=), in any ASCII case (--jti and --iss:\n"
	"    exactly)\n"
	"  --before: only tokens issued (iat) before TIME\n"
	"  --until: the line may be dropped after TIME (every token it covers has expired)\n"
	"  --file: the module's revoked_file= (default " DEFAULT_FILE ")\n"
	"  --prune: with --list, drop the lines whose until= has passed\n";

static const char header[] =
	"# pam_jwt revocations (revoked_file=), written by pam-jwt revoke.\n"
	"# One per line: jti ID | sub S [before=TIME] | iss I before=TIME,\n"
	"# each optionally with until=TIME, after which the line may be dropped.\n"
	"# sub S covers every token that logs in as S, under any name, in any case.\n";

struct revoke_args {
	const char *file;
	enum jwt_revoke_kind kind;
	const char *value;
	const char *before, *until;
	bool list, prune, init;
	bool file_given;
	struct jwt_config redis;	/* replay=redis's fields, from --redis* */
};

static bool parse_when(const char *s, int64_t now, int64_t *out)
{
	int64_t d;

	if (strcmp(s, "now") == 0) {
		*out = now;
		return true;
	}
	if (s[0] == '+') {
		if (!cli_duration_parse(s + 1, false, &d))
			return false;
		*out = now + d;
		return true;
	}
	return jwt_revoke_parse_time(s, strlen(s), out);
}

static int parse_args(int argc, char **argv, struct revoke_args *a)
{
	static const struct option opts[] = {
		{ "jti", required_argument, NULL, 'j' },
		{ "sub", required_argument, NULL, 's' },
		{ "iss", required_argument, NULL, 'i' },
		{ "before", required_argument, NULL, 'b' },
		{ "until", required_argument, NULL, 'u' },
		{ "file", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "prune", no_argument, NULL, 'p' },
		{ "init", no_argument, NULL, 'I' },
		{ "redis", required_argument, NULL, 'R' },
		{ "redis-password-file", required_argument, NULL, 'P' },
		{ "redis-sentinel", required_argument, NULL, 'S' },
		{ "redis-master", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, kinds = 0;

	a->file = DEFAULT_FILE;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': a->kind = JWT_REVOKE_JTI; a->value = optarg; kinds++; break;
		case 's': a->kind = JWT_REVOKE_SUB; a->value = optarg; kinds++; break;
		case 'i': a->kind = JWT_REVOKE_ISS; a->value = optarg; kinds++; break;
		case 'b': a->before = optarg; break;
		case 'u': a->until = optarg; break;
		case 'f': a->file = optarg; a->file_given = true; break;
		case 'R': a->redis.redis = optarg; break;
		case 'P': a->redis.redis_password_file = optarg; break;
		case 'S': a->redis.redis_sentinel = optarg; break;
		case 'M': a->redis.redis_master = optarg; break;
		case 'l': a->list = true; break;
		case 'p': a->prune = true; break;
		case 'I': a->init = true; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage_text, "unexpected argument \"%s\"", argv[optind]);
	if (a->redis.redis || a->redis.redis_sentinel || a->redis.redis_master ||
	    a->redis.redis_password_file) {
		if (a->file_given)
			return cli_usage_error(usage_text, "--file or --redis, not both");
		if ((a->redis.redis == NULL) == (a->redis.redis_sentinel == NULL) ||
		    (a->redis.redis_sentinel == NULL) != (a->redis.redis_master == NULL))
			return cli_usage_error(usage_text, "give --redis, or --redis-sentinel with "
					       "--redis-master");
		a->redis.replay = JWT_REPLAY_REDIS;
		a->redis.redis_timeout_ms = 5000;
	}
	if (a->init && (a->list || a->prune || kinds != 0 || a->before || a->until ||
			a->redis.replay == JWT_REPLAY_REDIS))
		return cli_usage_error(usage_text, "--init goes with --file alone");
	if (a->init)
		return -1;
	if (a->list ? kinds != 0 || a->before || a->until : kinds != 1)
		return cli_usage_error(usage_text, "give one of --jti, --sub, --iss, --list or --init");
	if (a->prune && !a->list)
		return cli_usage_error(usage_text, "--prune goes with --list");
	if (!a->list && a->kind == JWT_REVOKE_JTI && a->before)
		return cli_usage_error(usage_text, "--jti takes no --before");
	if (!a->list && a->kind == JWT_REVOKE_ISS && !a->before)
		return cli_usage_error(usage_text, "--iss needs --before");
	if (!a->list && (a->value == NULL || a->value[0] == '\0' ||
			 strpbrk(a->value, " \t\r\n") != NULL))
		return cli_usage_error(usage_text, "the value must be non-empty, without spaces or "
				       "line breaks");
	return -1;
}

/* The file's text (NULL and *missing when it does not exist), its mode and owner. */
static bool read_current(const char *path, char **text, size_t *len, struct stat *st,
			 bool *missing)
{
	struct jwt_err err = { 0 };
	unsigned char *buf = NULL;

	*missing = false;
	*text = NULL;
	*len = 0;
	if (lstat(path, st) != 0) {
		if (errno != ENOENT) {
			cli_error("%s: %s", path, strerror(errno));
			return false;
		}
		*missing = true;
		return true;
	}
	if (jwt_file_read(path, JWT_FILE_PROTECTED, JWT_REVOKE_FILE_MAX, &buf, len, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		return false;
	}
	*text = (char *)buf;
	return true;
}

/* Replaces path with text atomically, keeping st's mode and owner (a new file: 0644). */
static bool replace_file(const char *path, const char *text, size_t len, const struct stat *st,
			 bool missing)
{
	char *tmp = NULL, *dcopy = NULL;
	int fd = -1, dfd = -1;
	bool ok = false;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0 || (dcopy = strdup(path)) == NULL) {
		cli_error("out of memory");
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error("cannot create a file beside %s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, missing ? 0644 : st->st_mode & 07777) != 0 ||
	    (!missing && fchown(fd, st->st_uid, st->st_gid) != 0) ||
	    !cli_write_all(fd, text, len) || fsync(fd) != 0) {
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		cli_error("cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		cli_error("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ok = dfd >= 0 && fsync(dfd) == 0;
	if (!ok)
		cli_error("%s was replaced, but its directory could not be synced: %s", path,
			  strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	if (dfd >= 0)
		close(dfd);
	free(dcopy);
	return ok;
}

struct listing {
	int64_t now;
	bool prune;
	unsigned shown, expired;
};

static void describe(const struct jwt_revocation *r, int64_t now)
{
	char when[32];

	printf("%s %.*s", jwt_revoke_kind_name(r->kind), (int)r->value_len, r->value);
	if (r->has_before) {
		jwt_revoke_format_time(r->before, when, sizeof(when));
		printf(", tokens issued before %s", when);
	} else if (r->kind != JWT_REVOKE_JTI) {
		printf(", every token");
	}
	if (r->has_until) {
		jwt_revoke_format_time(r->until, when, sizeof(when));
		printf("; may be dropped after %s%s", when,
		       r->until < now ? " (passed: --prune drops it)" : "");
	}
	putchar('\n');
}

static bool list_one(void *ctx, unsigned lineno, const char *line, size_t line_len,
		     const struct jwt_revocation *r)
{
	struct listing *l = ctx;

	(void)line;
	(void)line_len;
	if (r->has_until && r->until < l->now) {
		l->expired++;
		if (l->prune)
			return true;
	}
	l->shown++;
	if (lineno > 0)
		printf("  line %u: ", lineno);
	else
		printf("  ");
	describe(r, l->now);
	return true;
}

/* The lines pruned_text() keeps, written one after another. */
struct pruning {
	int64_t now;
	char *out;
	size_t n;
};

static enum jwt_status keep_line(void *ctx, const struct jwt_line *line, bool *stop,
				 struct jwt_err *err)
{
	struct pruning *p = ctx;
	struct jwt_revocation r;
	bool empty;

	(void)stop;
	if (jwt_revoke_parse_line(line, &r, &empty, err) == JWT_OK && !empty && r.has_until &&
	    r.until < p->now)
		return JWT_OK;
	memcpy(p->out + p->n, line->text, line->len);
	p->n += line->len;
	p->out[p->n++] = '\n';
	return JWT_OK;
}

/* The text without the lines whose until= has passed (comments and blank lines stay). */
static char *pruned_text(const char *text, size_t len, int64_t now, size_t *out_len)
{
	struct pruning p = { now, malloc(len + 1), 0 };
	struct jwt_err err = { 0 };

	if (p.out == NULL)
		return NULL;
	(void)jwt_text_lines("", text, len, keep_line, &p, &err);
	*out_len = p.n;
	return p.out;
}

static int lock_file(const char *path)
{
	char *lock = NULL;
	int fd;

	if (asprintf(&lock, "%s.lock", path) < 0)
		return -1;
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		cli_error("cannot lock %s: %s", lock, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(lock);
	return fd;
}

static int redis_revoke(const struct revoke_args *a, int64_t now, int64_t before, int64_t until)
{
	struct jwt_err err = { 0 };
	struct listing l = { .now = now };
	const char *where = a->redis.redis ? a->redis.redis : a->redis.redis_master;

	if (a->list) {
		if (a->prune)
			printf("(Redis drops each revocation at its until= by itself)\n");
		printf("Redis %s:\n", where);
		if (jwt_store_redis_list(&a->redis, list_one, &l, &err) != JWT_OK) {
			cli_error("%s", err.reason);
			return CLI_FAILED;
		}
		if (l.shown == 0)
			printf("  nothing is revoked\n");
		return CLI_OK;
	}
	{
		struct jwt_revocation r = { .kind = a->kind, .value = a->value,
					    .value_len = strlen(a->value),
					    .has_before = a->before != NULL, .before = before,
					    .has_until = a->until != NULL, .until = until };

		if (r.has_until && r.until <= now) {
			cli_error("--until is already past");
			return CLI_USAGE;
		}
		if (jwt_store_redis_revoke(&a->redis, &r, &err) != JWT_OK) {
			cli_error("%s", err.reason);
			return CLI_FAILED;
		}
		printf("Redis %s: added ", where);
		describe(&r, now);
	}
	return CLI_OK;
}

int cli_revoke(int argc, char **argv)
{
	struct revoke_args a = { 0 };
	struct jwt_err err = { 0 };
	struct listing l = { 0 };
	struct stat st = { 0 };
	int64_t now = (int64_t)time(NULL), before = 0, until = 0;
	char *text = NULL, *out = NULL, b[32], u[32];
	size_t len = 0, out_len = 0;
	bool missing;
	int ret = parse_args(argc, argv, &a), lock = -1;

	if (ret >= 0)
		return ret;
	if ((a.before && !parse_when(a.before, now, &before)) ||
	    (a.until && !parse_when(a.until, now, &until)))
		return cli_usage_error(usage_text, "a TIME is now, +DURATION, Unix seconds or "
				       "YYYY-MM-DDTHH:MM:SSZ");
	ret = CLI_FAILED;
	if (a.redis.replay == JWT_REPLAY_REDIS)
		return redis_revoke(&a, now, before, until);
	if (!a.list || a.prune) {	/* a change, or --init */
		lock = lock_file(a.file);
		if (lock < 0)
			goto out;
	}
	if (!read_current(a.file, &text, &len, &st, &missing))
		goto out;
	if (missing && a.list) {
		cli_error("%s does not exist: a module whose revoked_file= names it refuses every "
			  "login while it is missing (to revoke nothing yet: pam-jwt revoke --init "
			  "--file %s)", a.file, a.file);
		goto out;
	}
	if (a.init) {
		if (!missing) {
			if (jwt_revoke_each(a.file, text, len, NULL, NULL, &err) != JWT_OK) {
				cli_error("%s exists and is not a revocation file the module reads: "
					  "%s; fix it", a.file, err.reason);
				goto out;
			}
			printf("%s exists; left as it is\n", a.file);
		} else if (replace_file(a.file, header, strlen(header), &st, true)) {
			printf("created %s with no revocation (mode 0644)\n", a.file);
		} else {
			goto out;
		}
		ret = CLI_OK;
		goto out;
	}
	l.now = now;
	l.prune = a.prune;
	if (a.list) {
		printf("%s:\n", a.file);
		if (jwt_revoke_each(a.file, text, len, list_one, &l, &err) != JWT_OK) {
			cli_error("%s (fix the file; the module refuses every token meanwhile)",
				  err.reason);
			goto out;
		}
		if (l.shown == 0)
			printf("  nothing is revoked\n");
		if (a.prune && l.expired > 0) {
			out = pruned_text(text, len, now, &out_len);
			if (out == NULL || !replace_file(a.file, out, out_len, &st, false))
				goto out;
			printf("dropped %u line%s whose until= has passed\n", l.expired,
			       l.expired == 1 ? "" : "s");
		} else if (l.expired > 0) {
			printf("%u line%s may be dropped (pam-jwt revoke --list --prune)\n",
			       l.expired, l.expired == 1 ? "" : "s");
		}
		ret = CLI_OK;
		goto out;
	}
	if (text != NULL && jwt_revoke_each(a.file, text, len, NULL, NULL, &err) != JWT_OK) {
		cli_error("%s; fix it first", err.reason);
		goto out;
	}
	jwt_revoke_format_time(before, b, sizeof(b));
	jwt_revoke_format_time(until, u, sizeof(u));
	if (asprintf(&out, "%s%.*s%s %s%s%s%s%s\n", missing ? header : "", (int)len,
		     text ? text : "", jwt_revoke_kind_name(a.kind), a.value,
		     a.before ? " before=" : "", a.before ? b : "", a.until ? " until=" : "",
		     a.until ? u : "") < 0) {
		out = NULL;
		cli_error("out of memory");
		goto out;
	}
	if (!replace_file(a.file, out, strlen(out), &st, missing))
		goto out;
	printf("%s: added ", a.file);
	{
		struct jwt_revocation r = { .kind = a.kind, .value = a.value,
					    .value_len = strlen(a.value), .has_before = a.before != NULL,
					    .before = before, .has_until = a.until != NULL,
					    .until = until };

		describe(&r, now);
	}
	ret = CLI_OK;
out:
	free(text);
	free(out);
	if (lock >= 0)
		close(lock);
	return ret;
}
