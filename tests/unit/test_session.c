/*
 * The session registry (jwt_session.c) and process identities (jwt_proc.c):
 * records round trip; hostile records refused, each beside the control that
 * parses; the registry's directory checks; pending records pruned by age;
 * revocation read from the record's revoked_file=; and a process known by
 * pid and start time: a live pid with another start time is not the process.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jwt_proc.h"
#include "jwt_session.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_test_session.XXXXXX";

static void sample(struct jwt_session *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->id, "0123456789abcdef0123456789abcdef", JWT_SESSION_ID_LEN + 1);
	s->created = 1767225600;
	s->user = strdup("alice");
	s->iss = strdup("https://idp.example");
	s->sub = strdup("alice@example.com");
	s->jti = strdup("jti-1");
	s->has_iat = true;
	s->iat = 1767225000;
	s->exp = 1767229200;
	memcpy(s->fingerprint, "sha256:0011223344556677", JWT_SESSION_FINGERPRINT_LEN + 1);
	s->names[0] = strdup("alice@example.com");
	s->names[1] = strdup("alice");
	s->nnames = 2;
	s->service = strdup("sshd");
	s->rhost = strdup("192.0.2.1");
	s->tty = strdup("/dev/pts/3");
	s->logind = strdup("c42");
	s->proc.pid = 4242;
	s->proc.start = 123456789;
	s->end = JWT_SESSION_END_EXP | JWT_SESSION_END_REVOKE;
	s->warn = 60;
	s->revoked_file = strdup("/etc/security/pam_jwt.revoked");
	s->redis = true;
	s->redis_addr = strdup("127.0.0.1:6379");
	s->redis_timeout_ms = 1000;
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static bool equal(const struct jwt_session *a, const struct jwt_session *b)
{
	return strcmp(a->id, b->id) == 0 && a->created == b->created && same(a->user, b->user) &&
	       same(a->iss, b->iss) && same(a->sub, b->sub) && same(a->jti, b->jti) &&
	       a->has_iat == b->has_iat && a->iat == b->iat && a->exp == b->exp &&
	       strcmp(a->fingerprint, b->fingerprint) == 0 && a->nnames == b->nnames &&
	       same(a->names[0], b->names[0]) && same(a->names[1], b->names[1]) &&
	       same(a->service, b->service) && same(a->rhost, b->rhost) && same(a->tty, b->tty) &&
	       same(a->logind, b->logind) && a->proc.pid == b->proc.pid &&
	       a->proc.start == b->proc.start && a->end == b->end && a->warn == b->warn &&
	       a->warned == b->warned && same(a->revoked_file, b->revoked_file) &&
	       a->redis == b->redis && same(a->redis_addr, b->redis_addr) &&
	       a->redis_timeout_ms == b->redis_timeout_ms;
}

/* The sample's JSON with one member replaced (or removed: value NULL, or added). */
static char *variant(const char *name, const char *value)
{
	struct jwt_session s;
	json_object *o;
	char *text;
	const char *out;

	sample(&s);
	text = jwt_session_format(&s);
	jwt_session_free(&s);
	o = json_tokener_parse(text);
	free(text);
	json_object_object_del(o, name);
	if (value != NULL)
		json_object_object_add(o, name, json_tokener_parse(value));
	out = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	text = strdup(out);
	json_object_put(o);
	return text;
}

static bool parses(const char *text)
{
	struct jwt_session s;
	struct jwt_err err = { 0 };
	bool ok_ = jwt_session_parse(text, strlen(text), &s, &err) == JWT_OK;

	if (ok_)
		jwt_session_free(&s);
	return ok_;
}

static void hostile(void)
{
	static const struct { const char *name, *value, *what; } cases[] = {
		{ "version", "2", "another version" },
		{ "pid", "-1", "a negative pid" },
		{ "pid", "\"4242\"", "a pid as a string" },
		{ "pid", "4.5", "a fractional pid" },
		{ "pid", "99999999999999999999", "a pid beyond int64 (clamped by json-c)" },
		{ "exp", "1e400", "exp 1e400" },
		{ "exp", "-5", "a negative exp" },
		{ "exp", NULL, "no exp" },
		{ "user", NULL, "no user" },
		{ "user", "\"\"", "an empty user" },
		{ "user", "\"al\\u0000ice\"", "a user with a NUL byte" },
		{ "user", "[\"alice\"]", "a user that is an array" },
		{ "id", "\"../../etc/passwd\"", "an id that is a path" },
		{ "fingerprint", "\"sha256:zz\"", "a malformed fingerprint" },
		{ "names", "[\"a\",\"b\",\"c\",\"d\",\"e\"]", "five names" },
		{ "names", "[1]", "a name that is a number" },
		{ "end_exp", "1", "end_exp as a number" },
		{ "warn", "86401", "session_warn beyond a day" },
		{ "revoked_file", "\"relative/path\"", "a relative revoked_file" },
		{ "redis_addr", NULL, "redis without an address" },
		{ "extra", "1", "an unknown member" },
	};
	char *text = variant("tty", "\"/dev/pts/3\"");
	char big[JWT_SESSION_RECORD_MAX + 64];

	ok(parses(text), "control: the sample record parses");
	free(text);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = variant(cases[i].name, cases[i].value);
		ok(!parses(text), "refused: %s", cases[i].what);
		free(text);
	}
	text = variant("tty", NULL);
	ok(parses(text), "control: a record without the optional tty parses");
	free(text);
	text = variant("tty", "\"/dev/pts/3\"");
	snprintf(big, sizeof(big), "%s {}", text);
	ok(!parses(big), "refused: data after the object");
	memset(big, ' ', sizeof(big));
	memcpy(big, text, strlen(text));
	big[sizeof(big) - 1] = '\0';
	ok(!parses(big), "refused: a record longer than %d bytes", JWT_SESSION_RECORD_MAX);
	free(text);
	ok(!parses("{\"id\":\"0123456789abcdef0123456789abcdef\",\"id\":\"x\"}"),
	   "refused: a duplicated member");
}

/* The number of names in directory d, temporary files included. */
static int entries(const char *d)
{
	DIR *dh = opendir(d);
	struct dirent *e;
	int n = 0;

	if (dh == NULL)
		return -1;
	while ((e = readdir(dh)) != NULL)
		n++;
	closedir(dh);
	return n;
}

static bool first(void *ctx, const char *id)
{
	int *n = ctx;

	(void)id;
	(*n)++;
	return true;
}

static void registry(void)
{
	char reg[300], path[400], parent[300];
	struct jwt_session s, back;
	struct jwt_err err = { 0 };
	struct stat st;
	unsigned long removed = 0;
	int fd = -1, n = 0;
	bool rt;

	snprintf(parent, sizeof(parent), "%s/run", dir);
	snprintf(reg, sizeof(reg), "%s/run/sessions", dir);
	sample(&s);
	ok(jwt_session_write(reg, false, &s, &err) == JWT_OK, "a record is written: %s",
	   err.reason);
	ok(stat(reg, &st) == 0 && (st.st_mode & 07777) == 0700,
	   "the missing registry is made with mode 0700");
	snprintf(path, sizeof(path), "%s/%s", reg, s.id);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600, "the record has mode 0600");
	rt = jwt_session_read(reg, false, s.id, &back, &err) == JWT_OK;
	ok(rt && equal(&s, &back), "the record reads back whole: %s", rt ? "" : err.reason);
	if (rt)
		jwt_session_free(&back);
	snprintf(path, sizeof(path), "%s/.tmp.abc", reg);
	write_file(path, "x", 1, 0600);
	snprintf(path, sizeof(path), "%s/not-an-id", reg);
	write_file(path, "x", 1, 0600);
	ok(jwt_session_list(reg, false, first, &n, &err) == JWT_OK && n == 1,
	   "the listing holds the one record, not the temporary or other files (%d)", n);

	chmod(reg, 0750);
	ok(jwt_session_read(reg, false, s.id, &back, &err) == JWT_E_STORE,
	   "refused: a registry open to the group (%s)", err.reason);
	chmod(reg, 0700);
	chmod(parent, 0777);
	ok(jwt_session_dir_open(reg, false, false, &fd, &err) == JWT_E_STORE,
	   "refused: a directory above the registry writable by others (%s)", err.reason);
	chmod(parent, 0755);
	if (chown(reg, 65534, 65534) == 0) {
		ok(jwt_session_dir_open(reg, false, false, &fd, &err) == JWT_E_STORE,
		   "refused: a registry owned by another uid (%s)", err.reason);
		chown(reg, 0, 0);
	} else {
		ok(1, "# SKIP a registry of another owner: chown needs root");
	}
	ok(jwt_session_dir_open(reg, false, false, &fd, &err) == JWT_OK && fd >= 0,
	   "control: the registry opens once safe again");
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/%s", reg, s.id);
	chmod(path, 0644);
	ok(jwt_session_read(reg, false, s.id, &back, &err) == JWT_E_STORE,
	   "refused: a record readable by others");
	chmod(path, 0600);
	snprintf(path, sizeof(path), "%s/link", dir);
	if (symlink(reg, path) == 0)
		ok(jwt_session_dir_open(path, false, false, &fd, &err) == JWT_E_STORE,
		   "refused: a registry that is a symbolic link (%s)", err.reason);
	{
		char other[400];

		snprintf(other, sizeof(other), "%s/%s", reg, "fedcba9876543210fedcba9876543210");
		snprintf(path, sizeof(path), "%s/%s", reg, s.id);
		if (symlink(path, other) == 0)
			ok(jwt_session_read(reg, false, "fedcba9876543210fedcba9876543210", &back,
					    &err) != JWT_OK,
			   "refused: a record that is a symbolic link");
		unlink(other);
		/* A copy under another name: the id inside must be the file's name. */
		{
			char *text = jwt_session_format(&s);

			write_file(other, text, strlen(text), 0600);
			free(text);
		}
		ok(jwt_session_read(reg, false, "fedcba9876543210fedcba9876543210", &back,
				    &err) == JWT_E_MALFORMED,
		   "refused: a record whose id is not its file name");
		unlink(other);
	}
	/* The reaper's rewrite (warned): in place while the record is there... */
	{
		int before = entries(reg);
		bool gone = true;

		s.warned = true;
		rt = jwt_session_rewrite(reg, &s, &gone, &err) == JWT_OK && !gone &&
		     jwt_session_read(reg, false, s.id, &back, &err) == JWT_OK;
		ok(rt && back.warned && entries(reg) == before,
		   "a rewrite replaces the record, no file left beside it%s%s", rt ? "" : ": ",
		   rt ? "" : err.reason);
		if (rt)
			jwt_session_free(&back);
	}
	ok(jwt_session_remove(reg, false, s.id, &err) == JWT_OK &&
	   jwt_session_read(reg, false, s.id, &back, &err) == JWT_E_STORE,
	   "a removed record is gone");
	/* ...and never making again one that close_session removed meanwhile. */
	{
		int before = entries(reg);
		bool gone = false;

		ok(jwt_session_rewrite(reg, &s, &gone, &err) == JWT_OK && gone &&
		   jwt_session_read(reg, false, s.id, &back, &err) == JWT_E_STORE &&
		   entries(reg) == before,
		   "a rewrite of a removed record says it is gone and writes nothing");
	}

	/* Pending records: the registry's pending/ subdirectory, pruned by age. */
	ok(jwt_session_write(reg, true, &s, &err) == JWT_OK, "a pending record is written");
	ok(jwt_session_prune_pending(reg, time(NULL), JWT_SESSION_PENDING_MAX_AGE, &removed,
				     &err) == JWT_OK && removed == 0,
	   "control: a fresh pending record is kept");
	{
		struct timespec old[2] = { { time(NULL) - 3600, 0 }, { time(NULL) - 3600, 0 } };

		snprintf(path, sizeof(path), "%s/pending/%s", reg, s.id);
		utimensat(AT_FDCWD, path, old, AT_SYMLINK_NOFOLLOW);
	}
	ok(jwt_session_prune_pending(reg, time(NULL), JWT_SESSION_PENDING_MAX_AGE, &removed,
				     &err) == JWT_OK && removed == 1,
	   "a pending record an hour old is pruned");
	jwt_session_free(&s);
}

static void revocation(void)
{
	char file[300];
	struct jwt_session s;
	struct jwt_err err = { 0 };
	static const char lines[] = "jti jti-1\n";
	static const char others[] = "jti jti-2\n";

	sample(&s);
	s.redis = false;
	free(s.redis_addr);
	s.redis_addr = NULL;
	snprintf(file, sizeof(file), "%s/revoked", dir);
	free(s.revoked_file);
	s.revoked_file = strdup(file);
	write_file(file, others, strlen(others), 0644);
	ok(jwt_session_revoked(&s, time(NULL), &err) == JWT_OK,
	   "control: a revoked_file without the session's jti: not revoked");
	write_file(file, lines, strlen(lines), 0644);
	ok(jwt_session_revoked(&s, time(NULL), &err) == JWT_E_REVOKED,
	   "the session's jti revoked in its revoked_file: JWT_E_REVOKED (%s)", err.reason);
	write_file(file, "sub alice\n", 10, 0644);
	ok(jwt_session_revoked(&s, time(NULL), &err) == JWT_E_REVOKED,
	   "a revocation of one of its names (the account): JWT_E_REVOKED");
	unlink(file);
	ok(jwt_session_revoked(&s, time(NULL), &err) == JWT_E_KEY,
	   "a missing revoked_file: cannot tell (JWT_E_KEY), never \"not revoked\"");
	jwt_session_free(&s);
}

static void processes(void)
{
	struct jwt_proc self, child, copy;
	struct jwt_err err = { 0 };
	int fds[2];
	pid_t pid;
	char c;

	ok(jwt_proc_read(getpid(), &self, &err) == JWT_OK && self.pid == getpid() && self.start > 0,
	   "this process: pid and start time read");
	ok(jwt_proc_alive(&self), "control: this process is alive");
	copy = self;
	copy.start++;
	ok(!jwt_proc_alive(&copy), "a live pid with another start time is not the process "
	   "(a reused pid)");
	copy.start = self.start - 1;
	ok(!jwt_proc_alive(&copy), "nor with an earlier start time");
	ok(jwt_proc_read(0, &copy, &err) != JWT_OK && jwt_proc_read(-1, &copy, &err) != JWT_OK,
	   "pid 0 and -1 are no process");

	/* A command name with spaces and parentheses: the fields after the last ')'. */
	if (pipe(fds) != 0)
		exit(99);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "a) (b c) d", 0, 0, 0);
		close(fds[0]);
		(void)!write(fds[1], "x", 1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	(void)!read(fds[0], &c, 1);
	close(fds[0]);
	ok(jwt_proc_read(pid, &child, &err) == JWT_OK && child.start >= self.start,
	   "a process named \"a) (b c) d\": its start time read (%s)", err.reason);
	ok(jwt_proc_alive(&child), "control: the child is alive");
	kill(pid, SIGKILL);
	usleep(100000);
	ok(!jwt_proc_alive(&child), "a child killed and not yet reaped (a zombie) is not alive");
	waitpid(pid, NULL, 0);
	ok(!jwt_proc_alive(&child) && jwt_proc_read(pid, &copy, &err) != JWT_OK,
	   "a child gone: not alive, and its stat cannot be read");
}

int main(void)
{
	scratch_dir(dir);
	chmod(dir, 0755);
	hostile();
	registry();
	revocation();
	processes();
	return tap_done();
}
