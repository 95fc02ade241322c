/*
 * pam-jwt sessions: the sessions bound to their token (session_end=), and
 * --reap, which ends those whose token has expired or been revoked, warns
 * their tty before expiry (session_warn=), and prunes the records of
 * processes that are gone. Each ending is an audit line in syslog.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jwt_audit.h"
#include "jwt_proc.h"
#include "jwt_revoke.h"
#include "jwt_session.h"
#include "session_end.h"

static const char usage_text[] =
	"usage: pam-jwt sessions [--reap] [--dir DIR]\n"
	"  Lists the sessions bound to their token (session_end=): user, service, tty,\n"
	"  rhost, pid, jti, exp, and whether the opening process is alive.\n"
	"  --reap      end the sessions whose token has expired (session_end=exp) or\n"
	"              is revoked (session_end=revoke), warn ttys session_warn= seconds\n"
	"              before expiry, prune the records of processes that are gone\n"
	"  --dir DIR   the registry (session_dir=), default " JWT_SESSION_DIR "\n";

/*
 * How long a session's process has after SIGHUP before SIGKILL: su's parent
 * gives its child 2 s after SIGTERM before it kills it and closes the session.
 */
#define REAP_GRACE_MS 5000
#define LOCK_NAME ".reap.lock"

struct ids {
	char (*id)[JWT_SESSION_ID_LEN + 1];
	size_t n, cap;
	bool nomem;
};

static bool collect(void *ctx, const char *id)
{
	struct ids *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *p = realloc(l->id, cap * sizeof(*l->id));

		if (p == NULL) {
			l->nomem = true;
			return false;
		}
		l->id = p;
		l->cap = cap;
	}
	memcpy(l->id[l->n++], id, JWT_SESSION_ID_LEN + 1);
	return true;
}

static const char *or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/* A record's value for the terminal: control characters shown as '?', at most 40 bytes. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t i;

	if (s == NULL)
		return "-";
	for (i = 0; s[i] != '\0' && i + 1 < size && i < 40; i++) {
		buf[i] = s[i];
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf[i] = '?';
	}
	buf[i] = '\0';
	return buf;
}

static void list_one(const char *dir, const char *id)
{
	struct jwt_session s;
	struct jwt_err err = { 0 };
	char u[48], sv[48], t[48], r[48], j[48], exp[32];

	if (jwt_session_read(dir, false, id, &s, &err) != JWT_OK) {
		cli_error("session %s: %s", id, err.reason);
		return;
	}
	jwt_revoke_format_time(s.exp, exp, sizeof(exp));
	printf("%.8s  %-12s %-8s %-12s %-15s %7ld  %-20s %s  %s\n", s.id, shown(s.user, u, sizeof(u)),
	       shown(s.service, sv, sizeof(sv)), shown(s.tty, t, sizeof(t)),
	       shown(s.rhost, r, sizeof(r)), (long)s.proc.pid, shown(s.jti, j, sizeof(j)), exp,
	       jwt_proc_alive(&s.proc) ? "alive" : "dead");
	jwt_session_free(&s);
}

/* The audit line of an ending or a pruning: syslog (authpriv) and stdout. */
static void audit(const struct jwt_session *s, int priority, const char *what, const char *why)
{
	struct jwt_audit a = { .len = 0 };
	char exp[32], pid[24];

	jwt_revoke_format_time(s->exp, exp, sizeof(exp));
	(void)snprintf(pid, sizeof(pid), "%ld", (long)s->proc.pid);
	jwt_audit_add_str(&a, "reason", why);
	jwt_audit_add_str(&a, "service", s->service);
	jwt_audit_add_str(&a, "user", s->user);
	jwt_audit_add_str(&a, "rhost", s->rhost);
	jwt_audit_add_str(&a, "tty", s->tty);
	jwt_audit_add_str(&a, "pid", pid);
	jwt_audit_add_str(&a, "token", s->fingerprint);
	jwt_audit_add_str(&a, "iss", s->iss);
	jwt_audit_add_str(&a, "sub", s->sub);
	jwt_audit_add_str(&a, "jti", s->jti);
	jwt_audit_add_str(&a, "exp", exp);
	syslog(priority, "%s:%s", what, a.text);
	printf("%s:%s\n", what, a.text);
}

/* Rewrites the record (warned) unless the session was closed meanwhile. */
static void mark_warned(const char *dir, struct jwt_session *s)
{
	struct jwt_err err = { 0 };
	bool gone;

	s->warned = true;
	if (jwt_session_rewrite(dir, s, &gone, &err) != JWT_OK)
		cli_error("session %s: cannot record the warning: %s", s->id, err.reason);
}

static void warn_tty(const char *dir, struct jwt_session *s, int64_t now)
{
	char text[512], exp[32], tty[64];
	const char *to = NULL;

	/*
	 * The session's terminal as its processes have it: sshd's PAM_TTY is "ssh"
	 * when the session opens, before the pty exists. Else PAM_TTY as a path.
	 */
	if (jwt_proc_session_tty(&s->proc, tty, sizeof(tty)))
		to = tty;
	else if (s->tty != NULL && strncmp(s->tty, "/dev/", 5) == 0)
		to = s->tty;
	jwt_revoke_format_time(s->exp, exp, sizeof(exp));
	(void)snprintf(text, sizeof(text), "\r\n*** pam_jwt: this session ends in %lld s, when "
		       "its token expires (%s). Log in again with a new token. ***\r\n",
		       (long long)(s->exp > now ? s->exp - now : 0), exp);
	if (to == NULL || session_warn_tty(to, text) != 0) {
		cli_error("session %.8s: cannot warn its tty (%s)", s->id, to ? to : "none found");
		/* Not retried every 30 s for a tty that is not one (ssh without a pty). */
	}
	mark_warned(dir, s);
}

/* One record: 0 kept, 1 ended or pruned, -1 a failure reported. */
static int reap_one(const char *dir, const char *id, int64_t now)
{
	struct jwt_session s;
	struct jwt_err err = { 0 };
	const char *why = NULL;
	char failed[256];
	int ret = 0;

	if (jwt_session_read(dir, false, id, &s, &err) != JWT_OK) {
		cli_error("session %s: %s (left as it is)", id, err.reason);
		syslog(LOG_ERR, "session record %s unreadable: %s", id, err.reason);
		return -1;
	}
	if (!jwt_proc_alive(&s.proc)) {
		/* The host process crashed, or the session ended without close_session. */
		if (jwt_session_remove(dir, false, id, &err) == JWT_OK) {
			audit(&s, LOG_INFO, "session record pruned", "process-gone");
			ret = 1;
		} else {
			cli_error("session %s: %s", id, err.reason);
			ret = -1;
		}
		goto out;
	}
	if ((s.end & JWT_SESSION_END_EXP) && now >= s.exp) {
		why = "expired";
	} else if (s.end & JWT_SESSION_END_REVOKE) {
		enum jwt_status rc = jwt_session_revoked(&s, now, &err);

		if (rc == JWT_E_REVOKED) {
			why = "revoked";
		} else if (rc != JWT_OK) {
			cli_error("session %.8s: cannot tell whether its token is revoked: %s", id,
				  err.reason);
			syslog(LOG_ERR, "session %s of user %s: cannot tell whether its token is "
			       "revoked: %s", id, or_dash(s.user), err.reason);
			ret = -1;
		}
	}
	if (why == NULL) {
		if ((s.end & JWT_SESSION_END_EXP) && s.warn > 0 && !s.warned &&
		    now >= s.exp - s.warn)
			warn_tty(dir, &s, now);
		goto out;
	}
	if (session_end(&s.proc, s.logind, REAP_GRACE_MS, failed, sizeof(failed)) != 0) {
		cli_error("session %.8s (%s): cannot end it: %s", id, why, failed);
		syslog(LOG_ERR, "session %s of user %s (%s): cannot end it: %s", id, or_dash(s.user),
		       why, failed);
		ret = -1;
		goto out;
	}
	(void)jwt_session_remove(dir, false, id, &err);
	audit(&s, LOG_NOTICE, "session ended", why);
	ret = 1;
out:
	jwt_session_free(&s);
	return ret;
}

static int reap(const char *dir)
{
	struct ids l = { 0 };
	struct jwt_err err = { 0 };
	unsigned long pruned = 0;
	int64_t now = (int64_t)time(NULL);
	int dfd, lock, ret = CLI_OK;

	if (jwt_session_dir_open(dir, false, false, &dfd, &err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	if (dfd < 0)
		return CLI_OK;	/* no session was ever registered */
	lock = openat(dfd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	if (lock < 0) {
		cli_error("cannot open the lock %s/%s: %s", dir, LOCK_NAME, strerror(errno));
		return CLI_FAILED;
	}
	/* Two reapers at once (the timer and cron): the second waits for the first. */
	if (flock(lock, LOCK_EX) != 0) {
		cli_error("cannot lock %s/%s: %s", dir, LOCK_NAME, strerror(errno));
		close(lock);
		return CLI_FAILED;
	}
	openlog("pam-jwt", LOG_PID, LOG_AUTHPRIV);
	(void)jwt_session_prune_pending(dir, now, JWT_SESSION_PENDING_MAX_AGE, &pruned, &err);
	if (jwt_session_list(dir, false, collect, &l, &err) != JWT_OK || l.nomem) {
		cli_error("%s", l.nomem ? "out of memory" : err.reason);
		ret = CLI_FAILED;
	}
	for (size_t i = 0; i < l.n; i++)
		if (reap_one(dir, l.id[i], now) < 0)
			ret = CLI_FAILED;
	closelog();
	free(l.id);
	close(lock);
	return ret;
}

int cli_sessions(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reap", no_argument, NULL, 'r' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = JWT_SESSION_DIR;
	struct ids l = { 0 };
	struct jwt_err err = { 0 };
	bool do_reap = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': do_reap = true; break;
		case 'd': dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: return cli_usage_error(usage_text, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error(usage_text, "unexpected argument \"%s\"", argv[optind]);
	if (dir[0] != '/')
		return cli_usage_error(usage_text, "--dir wants an absolute path");
	if (do_reap)
		return reap(dir);
	if (jwt_session_list(dir, false, collect, &l, &err) != JWT_OK || l.nomem) {
		cli_error("%s", l.nomem ? "out of memory" : err.reason);
		free(l.id);
		return CLI_FAILED;
	}
	printf("%-8s  %-12s %-8s %-12s %-15s %7s  %-20s %-20s  %s\n", "ID", "USER", "SERVICE",
	       "TTY", "RHOST", "PID", "JTI", "EXP", "PROCESS");
	for (size_t i = 0; i < l.n; i++)
		list_one(dir, l.id[i]);
	free(l.id);
	return CLI_OK;
}
