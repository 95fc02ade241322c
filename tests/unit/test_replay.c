/*
 * One-time tokens through the core (fixed clock): the store key, the local
 * store's answers, races between processes, a process killed while it records,
 * a store that is unsafe, full or large, and jwt_verify() marking a token only
 * when every other check passed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jwt_json.h"
#include "jwt_replay.h"
#include "jwt_revoke.h"
#include "jwt_sig.h"
#include "jwt_store.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define NOW 1700000000LL

static char dir[] = "/tmp/pam_jwt_replay.XXXXXX";
static const unsigned char secret[] = "0123456789abcdef0123456789abcdef";

static json_object *claims_of(const char *text)
{
	struct jwt_err err = { 0 };
	json_object *o = NULL;

	if (jwt_json_parse_object(text, strlen(text), "payload", &o, &err) != JWT_OK) {
		fprintf(stderr, "bad test JSON: %s\n", err.reason);
		exit(99);
	}
	return o;
}

static enum jwt_status key_of(const char *text, unsigned char key[JWT_STORE_KEY_LEN],
			      struct jwt_err *err)
{
	json_object *o = claims_of(text);
	enum jwt_status rc = jwt_replay_key(o, key, err);

	json_object_put(o);
	return rc;
}

static void test_key(void)
{
	unsigned char a[32], b[32], c[32];
	struct jwt_err err = { 0 };

	ok(key_of("{\"iss\":\"idp\",\"jti\":\"a1\",\"exp\":1}", a, &err) == JWT_OK &&
	   key_of("{\"jti\":\"\\u0061\\u0031\",\"exp\":1,\"iss\":\"\\u0069dp\"}", b, &err) == JWT_OK &&
	   memcmp(a, b, 32) == 0, "two encodings of the same iss and jti: the same store key");
	ok(key_of("{\"iss\":\"idp2\",\"jti\":\"a1\"}", c, &err) == JWT_OK && memcmp(a, c, 32) != 0,
	   "another issuer with the same jti: another key");
	ok(key_of("{\"iss\":\"idpa\",\"jti\":\"1\"}", c, &err) == JWT_OK && memcmp(a, c, 32) != 0,
	   "iss and jti are separated (idp+a1 is not idpa+1)");
	ok(key_of("{\"jti\":\"a1\"}", c, &err) == JWT_OK && memcmp(a, c, 32) != 0,
	   "no iss: a key of its own");
	ok(key_of("{\"iss\":\"idp\",\"exp\":1}", c, &err) == JWT_E_REPLAY &&
	   strstr(err.reason, "no \"jti\"") != NULL, "no jti: refused (%s)", err.reason);
	ok(key_of("{\"jti\":7}", c, &err) == JWT_E_REPLAY && strstr(err.reason, "not a string"),
	   "a numeric jti: refused");
	ok(key_of("{\"jti\":\"\"}", c, &err) == JWT_E_REPLAY, "an empty jti: refused");
}

static void key_n(unsigned long n, unsigned char key[32])
{
	char text[64];

	snprintf(text, sizeof(text), "{\"jti\":\"%lu\"}", n);
	if (key_of(text, key, &(struct jwt_err){ 0 }) != JWT_OK)
		exit(99);
}

static void entry_path(const char *store, const unsigned char *key, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%02x/", store, key[0]);

	for (int i = 0; i < 32; i++)
		n += snprintf(out + n, size - (size_t)n, "%02x", key[i]);
}

static void test_store(void)
{
	char store[300], path[400];
	unsigned char k[32], first;
	struct jwt_err err = { 0 };
	unsigned long kept, removed;
	struct stat st;

	snprintf(store, sizeof(store), "%s/basic", dir);
	key_n(1, k);
	first = k[0];
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, true, &err) == JWT_OK &&
	   stat(store, &st) != 0, "peek on a store that does not exist: unused, nothing created");
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_OK,
	   "first use: recorded");
	ok(stat(store, &st) == 0 && (st.st_mode & 07777) == 0700,
	   "the store was created with mode 0700");
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_E_REPLAY &&
	   strstr(err.reason, "already used") != NULL, "second use: refused (%s)", err.reason);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, true, &err) == JWT_E_REPLAY,
	   "peek on a used token: already used");
	/* A token whose subdirectory exists (it holds the first token's entry). */
	key_n(1000, k);
	for (unsigned long n = 1001; k[0] != first; n++)
		key_n(n, k);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, true, &err) == JWT_OK &&
	   jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_OK,
	   "peek does not record: the token is still good after it");
	entry_path(store, k, path, sizeof(path));
	ok(stat(path, &st) == 0 && st.st_mtime == NOW + 60 && (st.st_mode & 07777) == 0600,
	   "an entry carries its expiry as mtime, mode 0600");

	/* A process killed after creating the entry, before writing it. */
	key_n(3, k);
	entry_path(store, k, path, sizeof(path));
	path[strlen(store) + 3] = '\0';
	(void)mkdir(path, 0700);
	path[strlen(store) + 3] = '/';
	write_file(path, "", 0, 0600);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_E_REPLAY,
	   "an entry left empty by a killed process still counts as used");
	ok(jwt_store_local_prune(store, NOW + 86400 * 30, &kept, &removed, &err) == JWT_OK &&
	   stat(path, &st) == 0 && removed == 2,
	   "pruning after expiry removes complete entries, keeps the incomplete one");
	ok(jwt_store_local_prune(store, (long long)time(NULL) + 3600, &kept, &removed, &err) == JWT_OK &&
	   stat(path, &st) == 0, "pruning an hour later keeps the incomplete entry (its token may "
	   "still be valid)");
	ok(jwt_store_local_prune(store, (long long)time(NULL) + JWT_MAX_LIFETIME + JWT_MAX_LEEWAY + 10,
				 &kept, &removed, &err) == JWT_OK && stat(path, &st) != 0,
	   "the incomplete entry goes once no token could still be valid");
}

static void test_unsafe(void)
{
	char store[300], link[300];
	unsigned char k[32];
	struct jwt_err err = { 0 };

	key_n(10, k);
	snprintf(store, sizeof(store), "%s/unsafe", dir);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_OK, "control: a safe store");
	key_n(11, k);
	chmod(store, 0770);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_E_STORE &&
	   strstr(err.reason, "writable by group") != NULL, "group-writable store: refused (%s)",
	   err.reason);
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, true, &err) == JWT_E_STORE,
	   "group-writable store: peek refuses too");
	chmod(store, 0700);
	if (geteuid() == 0) {
		ok(chown(store, 1, 1) == 0 &&
		   jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_E_STORE &&
		   strstr(err.reason, "owned by uid 1") != NULL, "store owned by another user: refused");
		(void)chown(store, 0, 0);
	} else {
		ok(1, "# SKIP store owned by another user: needs root");
	}
	snprintf(link, sizeof(link), "%s/link", dir);
	ok(symlink(store, link) == 0 &&
	   jwt_store_local_mark(link, k, NOW + 60, NOW, false, &err) == JWT_E_STORE &&
	   strstr(err.reason, "symbolic link"), "a store that is a symbolic link: refused");
	snprintf(link, sizeof(link), "%s/afile", dir);
	write_file(link, "x", 1, 0600);
	ok(jwt_store_local_mark(link, k, NOW + 60, NOW, false, &err) == JWT_E_STORE,
	   "a store that is a file: refused");
	ok(jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_OK,
	   "control: the same token once the store is safe again");
}

struct mark {
	const char *store;
	const unsigned char *k;
};

/* One process's mark: 0 first use, 1 a replay (race_children's codes). */
static int mark_once(void *arg)
{
	const struct mark *m = arg;
	struct jwt_err err = { 0 };
	enum jwt_status rc = jwt_store_local_mark(m->store, m->k, NOW + 60, NOW, false, &err);

	return rc == JWT_OK ? 0 : rc == JWT_E_REPLAY ? 1 : 2;
}

static void test_race(void)
{
	char store[300];
	unsigned char k[32];
	int rounds = 10, exact = 0;

	snprintf(store, sizeof(store), "%s/race", dir);
	for (int r = 0; r < rounds; r++) {
		struct mark m = { store, k };

		key_n(100 + (unsigned long)r, k);
		if (race_children(32, mark_once, &m) == 1)
			exact++;
	}
	ok(exact == rounds, "32 processes, one token, %d rounds: exactly one accepted each time "
	   "(%d/%d)", rounds, exact, rounds);
}

/*
 * A process recording tokens one after another, killed at a random moment:
 * every token it reported accepted stays used, and the store stays usable.
 */
static void test_killed(void)
{
	char store[300];
	int bad = 0, runs = 20;
	unsigned long next = 100000;

	snprintf(store, sizeof(store), "%s/killed", dir);
	for (int run = 0; run < runs; run++) {
		int p[2];
		pid_t pid;
		unsigned long n, first = next;
		unsigned char k[32];
		struct jwt_err err = { 0 };

		if (pipe(p) != 0 || (pid = fork()) < 0)
			exit(99);
		if (pid == 0) {
			close(p[0]);
			for (unsigned long i = first;; i++) {
				key_n(i, k);
				if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_OK)
					(void)write(p[1], &i, sizeof(i));
			}
		}
		close(p[1]);
		usleep(2000 + (useconds_t)(rand() % 5000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		while (read(p[0], &n, sizeof(n)) == sizeof(n)) {
			key_n(n, k);
			if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_E_REPLAY)
				bad++;
			next = n + 1;
		}
		close(p[0]);
		/* The token the child was on when it died: used or not, never twice. */
		key_n(next, k);
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) == JWT_E_STORE ||
		    jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_E_REPLAY)
			bad++;
		next += 2;
	}
	ok(bad == 0, "a process killed while recording: %d runs, every accepted token stays "
	   "used, the token in flight is accepted at most once (%d faults)", runs, bad);
}

static unsigned long count_entries(const char *store)
{
	unsigned long n = 0;

	for (int i = 0; i < 256; i++) {
		char sub[400];
		DIR *d;
		struct dirent *de;

		snprintf(sub, sizeof(sub), "%s/%02x", store, i);
		d = opendir(sub);
		while (d != NULL && (de = readdir(d)) != NULL)
			n += de->d_name[0] != '.';
		if (d)
			closedir(d);
	}
	return n;
}

/* 100,000 tokens, then time passes: logins prune the store back to what is valid. */
static void test_shrink(const char *base)
{
	char store[300];
	unsigned char k[32];
	struct jwt_err err = { 0 };
	unsigned long total = 100000, fresh = 2000, faults = 0, before, after;
	struct timespec t0, t1;

	snprintf(store, sizeof(store), "%s/pam_jwt_shrink.%d", base, (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < total; i++) {
		key_n(1000000 + i, k);
		faults += jwt_store_local_mark(store, k, NOW + 600, NOW, false, &err) != JWT_OK;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	before = count_entries(store);
	ok(faults == 0 && before == total, "%lu tokens recorded (%lu entries, %.1f us each)",
	   total, before, ((double)(t1.tv_sec - t0.tv_sec) * 1e6 +
			   (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / (double)total);
	/* Later, every one of them has expired; new logins arrive. */
	for (unsigned long i = 0; i < fresh; i++) {
		key_n(5000000 + i, k);
		faults += jwt_store_local_mark(store, k, NOW + 1200, NOW + 700, false, &err) != JWT_OK;
	}
	after = count_entries(store);
	ok(faults == 0 && after <= fresh, "after expiry, %lu new logins shrink the store from %lu "
	   "to %lu entries", fresh, before, after);
	key_n(1000000, k);
	ok(jwt_store_local_mark(store, k, NOW + 600, NOW + 700, true, &err) == JWT_OK,
	   "an expired entry is gone");
	key_n(5000000, k);
	ok(jwt_store_local_mark(store, k, NOW + 1200, NOW + 700, false, &err) == JWT_E_REPLAY,
	   "control: an entry still valid is kept");
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", store);
		(void)system(cmd);
	}
}

/* A full file system: the login is refused, nothing half-recorded stays; space back, it works. */
static void test_disk_full(void)
{
	char mnt[300], store[320], filler[320];
	pid_t pid;
	int status = 0;

	if (geteuid() != 0) {
		ok(1, "# SKIP disk full: needs root (a tmpfs of 64 KiB)");
		return;
	}
	snprintf(mnt, sizeof(mnt), "%s/full", dir);
	mkdir(mnt, 0700);
	pid = fork();
	if (pid == 0) {
		unsigned char k[32];
		struct jwt_err err = { 0 };
		char block[4096] = { 0 };
		int fd, code = 0;

		if (unshare(CLONE_NEWNS) != 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("tmpfs", mnt, "tmpfs", 0, "size=64k,mode=0700") != 0)
			_exit(100);
		snprintf(store, sizeof(store), "%s/replay", mnt);
		snprintf(filler, sizeof(filler), "%s/filler", mnt);
		key_n(42, k);
		/* The store and the entry's subdirectory exist; the data blocks run out. */
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, true, &err) != JWT_OK)
			code |= 1;
		key_n(41, k);
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_OK)
			code |= 1;
		fd = open(filler, O_WRONLY | O_CREAT, 0600);
		while (write(fd, block, sizeof(block)) > 0)
			;
		close(fd);
		key_n(42, k);
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_E_STORE ||
		    strstr(err.reason, "No space") == NULL)
			code |= 2;
		fprintf(stderr, "# disk full: %s\n", err.reason);
		unlink(filler);
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_OK)
			code |= 4;
		if (jwt_store_local_mark(store, k, NOW + 60, NOW, false, &err) != JWT_E_REPLAY)
			code |= 8;
		_exit(code);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 100) {
		ok(1, "# SKIP disk full: cannot mount a tmpfs here");
		return;
	}
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "disk full: control, tokens recorded "
	   "while there is space");
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 2), "disk full: the login is refused "
	   "with JWT_E_STORE (PAM_AUTHINFO_UNAVAIL) and the reason");
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 12), "disk full: once there is space, "
	   "the same token is accepted once");
}

static char *token(const char *claims)
{
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", claims, secret, 32);
}

static enum jwt_status verify(const struct jwt_config *cfg, const char *tok, const char *user,
			      struct jwt_err *err)
{
	char *u = NULL;
	enum jwt_status rc = jwt_verify(cfg, tok, strlen(tok), NOW, user, NULL, NULL, &u, err);

	free(u);
	return rc;
}

static void test_verify(void)
{
	char keyfile[300], storearg[300], payload[256], revoked[300];
	const char *argv[] = { keyfile, "replay=local", storearg, "audience=ssh", "allow_root" };
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	char *tok, *nojti;

	snprintf(keyfile, sizeof(keyfile), "secret_file=%s/key", dir);
	write_file(keyfile + strlen("secret_file="), secret, 32, 0600);
	snprintf(storearg, sizeof(storearg), "replay_dir=%s/verify", dir);
	if (jwt_config_parse(&cfg, 5, argv, &err) != JWT_OK) {
		ok(0, "config: %s", err.reason);
		return;
	}
	snprintf(payload, sizeof(payload),
		 "{\"sub\":\"root\",\"aud\":\"ssh\",\"jti\":\"v1\",\"exp\":%lld}", NOW + 60);
	tok = token(payload);
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"aud\":\"ssh\",\"exp\":%lld}", NOW + 60);
	nojti = token(payload);

	ok(verify(&cfg, nojti, "root", &err) == JWT_E_REPLAY && strstr(err.reason, "jti"),
	   "replay=local: a token without jti is refused (%s)", err.reason);
	ok(verify(&cfg, tok, "daemon", &err) == JWT_E_USER, "token refused for another user...");
	cfg.audience = "web";
	ok(verify(&cfg, tok, "root", &err) == JWT_E_CLAIMS, "... and for another audience...");
	cfg.audience = "ssh";
	cfg.replay_peek = true;
	ok(verify(&cfg, tok, "root", &err) == JWT_OK, "... peek (pam-jwt verify): still unused");
	cfg.replay_peek = false;
	snprintf(revoked, sizeof(revoked), "%s/revoked", dir);
	write_file(revoked, "sub root\n", 9, 0644);
	cfg.revoked_file = revoked;
	ok(verify(&cfg, tok, "root", &err) == JWT_E_REVOKED, "... and while its subject is revoked...");
	cfg.revoked_file = NULL;
	ok(verify(&cfg, tok, "root", &err) == JWT_OK,
	   "... so its jti was not used up: accepted for the right user");
	ok(verify(&cfg, tok, "root", &err) == JWT_E_REPLAY, "the same token again: refused");
	cfg.replay_peek = true;
	ok(verify(&cfg, tok, "root", &err) == JWT_E_REPLAY, "peek after use: already used");
	free(tok);
	free(nojti);
}

/*
 * Two services share a store, one with leeway=0, one with leeway=120. The
 * second accepts a token up to 120 s past its exp, so the record the first
 * wrote must outlive exp by the largest leeway any host may use, even once
 * the store has been pruned.
 */
static void test_shared_leeway(void)
{
	char keyfile[300], storearg[300], payload[256];
	const char *strict[] = { keyfile, "replay=local", storearg, "allow_root", "leeway=0" };
	const char *lax[] = { keyfile, "replay=local", storearg, "allow_root", "leeway=120" };
	struct jwt_config a, b;
	struct jwt_err err = { 0 };
	unsigned long kept, removed;
	char *u = NULL, *tok, *fresh;
	int64_t later = NOW + 60 + 100;	/* past exp + 0, within exp + 120 */

	snprintf(keyfile, sizeof(keyfile), "secret_file=%s/key", dir);
	write_file(keyfile + strlen("secret_file="), secret, 32, 0600);
	snprintf(storearg, sizeof(storearg), "replay_dir=%s/leeway", dir);
	if (jwt_config_parse(&a, 5, strict, &err) != JWT_OK ||
	    jwt_config_parse(&b, 5, lax, &err) != JWT_OK) {
		ok(0, "config: %s", err.reason);
		return;
	}
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"jti\":\"lw1\",\"exp\":%lld}",
		 NOW + 60);
	tok = token(payload);
	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"jti\":\"lw2\",\"exp\":%lld}",
		 NOW + 60);
	fresh = token(payload);
	ok(jwt_verify(&a, tok, strlen(tok), NOW, "root", NULL, NULL, &u, &err) == JWT_OK,
	   "shared store: the leeway=0 service accepts the token");
	free(u);
	u = NULL;
	ok(jwt_store_local_prune(storearg + strlen("replay_dir="), later, &kept, &removed,
				 &err) == JWT_OK && removed == 0,
	   "100 s past exp, pruning keeps its record");
	ok(jwt_verify(&b, tok, strlen(tok), later, "root", NULL, NULL, &u, &err) == JWT_E_REPLAY,
	   "... and the leeway=120 service refuses the replay (%s)", err.reason);
	free(u);
	u = NULL;
	ok(jwt_verify(&b, fresh, strlen(fresh), later, "root", NULL, NULL, &u, &err) == JWT_OK,
	   "control: the leeway=120 service accepts an unused token 100 s past its exp");
	free(u);
	u = NULL;
	ok(jwt_store_local_prune(storearg + strlen("replay_dir="),
				 NOW + 60 + JWT_MAX_LEEWAY + 1, &kept, &removed, &err) == JWT_OK &&
	   removed == 2 && kept == 0,
	   "records go once exp plus the largest leeway (%ld s) has passed", JWT_MAX_LEEWAY);
	free(tok);
	free(fresh);
}

static bool line_ok(const char *line, const char *claims)
{
	struct jwt_names names = { 0 };
	struct jwt_revocation r;
	struct jwt_err err = { 0 };
	bool empty, hit;
	json_object *o;

	const struct jwt_line l = { "revoked", 1, line, strlen(line) };

	if (jwt_revoke_parse_line(&l, &r, &empty, &err) != JWT_OK || empty)
		return false;
	o = claims_of(claims);
	/* The token logs in under its sub claim alone (no transform, no map). */
	names.name[0] = jwt_json_string(o, "sub", &names.len[0]);
	names.count = names.name[0] != NULL;
	hit = jwt_revoke_matches(&r, o, &names);
	json_object_put(o);
	return hit;
}

static bool line_bad(const char *line)
{
	const struct jwt_line l = { "revoked", 7, line, strlen(line) };
	struct jwt_revocation r;
	struct jwt_err err = { 0 };
	bool empty;

	return jwt_revoke_parse_line(&l, &r, &empty, &err) == JWT_E_KEY &&
	       strncmp(err.reason, "revoked:7 ", 10) == 0;
}

/* What jwt_revoke_each() hands over: the value of each revocation, in order. */
static bool collect(void *ctx, unsigned lineno, const char *line, size_t line_len,
		    const struct jwt_revocation *r)
{
	char *seen = ctx;

	(void)line;
	(void)line_len;
	snprintf(seen + strlen(seen), 64 - strlen(seen), "%u:%.*s;", lineno, (int)r->value_len,
		 r->value);
	return true;
}

/* The revocation file as a whole: CRLF, NUL bytes, the last newline. */
static void test_revoke_text(void)
{
	struct jwt_err err = { 0 };
	char seen[64] = "";

	ok(jwt_revoke_each("revoked", "# c\r\nsub a\r\n\r\njti b\n", 20, collect, seen, &err) ==
	   JWT_OK && strcmp(seen, "2:a;4:b;") == 0,
	   "CRLF line ends read as LF: sub a is a, not a and a carriage return (%s)", seen);
	seen[0] = '\0';
	ok(jwt_revoke_each("revoked", "sub a\n", 6, collect, seen, &err) == JWT_OK &&
	   strcmp(seen, "1:a;") == 0, "control: an LF file");
	ok(jwt_revoke_each("revoked", "sub a\nsub b", 11, NULL, NULL, &err) == JWT_E_KEY &&
	   strcmp(err.reason, "revoked does not end with a newline (half-written? replace it "
		  "atomically: write a new file, then rename it)") == 0,
	   "a last line without its newline is refused: %s", err.reason);
	ok(jwt_revoke_each("revoked", "sub a\0\n", 7, NULL, NULL, &err) == JWT_E_KEY &&
	   strcmp(err.reason, "revoked holds a NUL byte") == 0,
	   "a NUL byte is refused: %s", err.reason);
	ok(jwt_revoke_each("revoked", "sub a\nsub\n", 10, NULL, NULL, &err) == JWT_E_KEY &&
	   strcmp(err.reason, "revoked:2 has sub without a value") == 0,
	   "a malformed line is refused, naming the file and line: %s", err.reason);
}

static void test_revoke_lines(void)
{
	int64_t t = 0;

	ok(jwt_revoke_parse_time("2026-12-02T20:00:00Z", 20, &t) && t == 1796241600,
	   "TIME as YYYY-MM-DDTHH:MM:SSZ");
	ok(jwt_revoke_parse_time("1700000000", 10, &t) && t == 1700000000, "TIME as Unix seconds");
	ok(!jwt_revoke_parse_time("2026-02-30T00:00:00Z", 20, &t) &&
	   !jwt_revoke_parse_time("2026-12-02 20:00:00", 19, &t) &&
	   !jwt_revoke_parse_time("-5", 2, &t) && !jwt_revoke_parse_time("", 0, &t),
	   "a date that does not exist, a local time, a negative or empty TIME: refused");
	ok(line_ok("jti abc", "{\"jti\":\"abc\"}") && !line_ok("jti abc", "{\"jti\":\"abcd\"}") &&
	   !line_ok("jti abc", "{\"jti\":\"ab\"}"),
	   "jti line covers its jti only, not an extension or a prefix of it");
	ok(line_ok("sub Bob", "{\"sub\":\"bOB\"}") && !line_ok("sub bob", "{\"sub\":\"bo\"}") &&
	   !line_ok("sub bob", "{\"sub\":\"bobb\"}") && !line_ok("sub bob", "{\"jti\":\"bob\"}"),
	   "sub line covers its name in any ASCII case, not a prefix, an extension or another claim");
	ok(line_ok("sub bob before=100", "{\"sub\":\"bob\",\"iat\":99.5}") &&
	   !line_ok("sub bob before=100", "{\"sub\":\"bob\",\"iat\":100}"),
	   "before= is iat < TIME (99.5 covered, 100 not)");
	ok(line_ok("iss I before=100 until=200", "{\"iss\":\"I\"}") &&
	   !line_ok("iss I before=100", "{\"iss\":\"J\"}"),
	   "iss line: no iat counts as before; another issuer is not covered");
	ok(line_ok("\tsub   a\t", "{\"sub\":\"a\"}"), "spaces and tabs separate fields");
	ok(line_bad("jti") && line_bad("jti a before=1") && line_bad("iss a") &&
	   line_bad("sub a before=1 before=2") && line_bad("sub a when=1") &&
	   line_bad("user a") && line_bad("su a") && line_bad("j a"),
	   "malformed lines are refused with their number");
}

/* The heavy parts (forks, 100,000 entries) skip under valgrind and the sanitizer runs. */
static bool heavy(const char *what)
{
	if (getenv("PAM_JWT_TEST_WRAPPER") == NULL && getenv("PAM_JWT_TEST_PRELOAD") == NULL)
		return true;
	ok(1, "# SKIP %s: not under valgrind or the sanitizer", what);
	return false;
}

int main(void)
{
	struct jwt_err err = { 0 };

	scratch_dir(dir);
	if (jwt_crypto_init(&err) != JWT_OK)
		return 99;
	srand((unsigned)getpid());
	test_key();
	test_revoke_lines();
	test_revoke_text();
	test_store();
	test_unsafe();
	if (heavy("32 racing processes"))
		test_race();
	if (heavy("processes killed while recording"))
		test_killed();
	if (heavy("disk full"))
		test_disk_full();
	test_verify();
	test_shared_leeway();
	/* A tmpfs if there is one: 100,000 fsyncs on a disk take minutes. */
	if (heavy("100,000 tokens"))
		test_shrink(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : dir);
	return tap_done();
}
